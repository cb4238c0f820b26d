//! URL sync (`syncUrl`): the widget's filters, sort and page in the page URL, read once when
//! a widget starts and written on every change, leaving the host's own parameters alone.

use leaderboard_model::LeaderboardQuery;

use crate::options::WidgetOptions;

/// Query parameters the widget owns in the page URL (with `syncUrl`).
const URL_KEYS: [&str; 10] = [
    "page", "pageSize", "mode", "region", "sort", "order", "q", "period", "at", "view",
];

/// The widget's parameters from the page URL; `None` when absent or invalid (a bad
/// shared link must not break the widget).
#[cfg(target_arch = "wasm32")]
pub fn query_from_page_url(options: &WidgetOptions) -> Option<LeaderboardQuery> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let pairs: Vec<(&'static str, String)> = URL_KEYS
        .iter()
        .filter_map(|key| params.get(key).map(|value| (*key, value)))
        .collect();
    query_from_url_pairs(options, pairs)
}

#[cfg(not(target_arch = "wasm32"))]
pub fn query_from_page_url(_options: &WidgetOptions) -> Option<LeaderboardQuery> {
    None
}

/// The query a shared link asks for: the URL's parameters, and the options for the ones
/// it leaves out (a link with only `?mode=Solo` keeps the configured page size and sort).
/// `None` when the URL has none of the widget's parameters or an invalid one.
pub fn query_from_url_pairs(
    options: &WidgetOptions,
    url_pairs: Vec<(&'static str, String)>,
) -> Option<LeaderboardQuery> {
    if url_pairs.is_empty() {
        return None;
    }
    let url_sorts = url_pairs.iter().any(|(key, _)| *key == "sort");
    // `from_pairs` keeps the first occurrence: URL values first, option defaults after.
    let mut pairs = url_pairs;
    pairs.push(("pageSize", options.page_size.to_string()));
    if !url_sorts {
        pairs.push(("sort", options.sort.as_str().to_string()));
        pairs.push(("order", options.order.as_str().to_string()));
    }
    pairs.extend(options.mode.clone().map(|mode| ("mode", mode)));
    pairs.extend(options.region.clone().map(|region| ("region", region)));
    pairs.push(("period", options.period.as_str().to_string()));
    pairs.push(("view", options.view.as_str().to_string()));
    LeaderboardQuery::from_pairs(pairs).ok()
}

/// Replaces the widget's parameters in the page URL, keeping the host's own parameters,
/// the path and the hash; no history entry is added.
#[cfg(target_arch = "wasm32")]
pub fn write_page_url(query: &LeaderboardQuery) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(path), Ok(search), Ok(hash)) =
        (location.pathname(), location.search(), location.hash())
    else {
        return;
    };
    let url = page_url(&path, &search, &hash, query);
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn write_page_url(_query: &LeaderboardQuery) {}

/// `path?<host params>&<widget params>#hash`, widget params in canonical order.
pub fn page_url(path: &str, search: &str, hash: &str, query: &LeaderboardQuery) -> String {
    let foreign = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !URL_KEYS.contains(&key) && key != "around"
        });
    let ours = query.to_query_string();
    let mut url = path.to_string();
    // Pushed one by one, not collected and joined (see `describe_filters` in app.rs).
    for (index, param) in foreign
        .chain(Some(ours.as_str()).filter(|ours| !ours.is_empty()))
        .enumerate()
    {
        url.push(if index == 0 { '?' } else { '&' });
        url.push_str(param);
    }
    url.push_str(hash);
    url
}
