//! Data hooks: the leaderboard page (fetch per request id, cancel stale requests, time out,
//! retry with backoff, live refresh paused while the page is hidden, URL sync) and the facets.

use std::rc::Rc;

use leaderboard_model::{LeaderboardMeta, LeaderboardQuery};
use yew::prelude::*;

use crate::options::WidgetOptions;
use crate::state::{Action, LeaderboardState};

/// Query parameters the widget owns in the page URL (with `syncUrl`).
const URL_KEYS: [&str; 7] = ["page", "pageSize", "mode", "region", "sort", "order", "q"];

#[hook]
pub fn use_leaderboard(options: &Rc<WidgetOptions>) -> UseReducerHandle<LeaderboardState> {
    let state = {
        let options = Rc::clone(options);
        use_reducer(move || {
            let from_url = if options.sync_url {
                query_from_page_url(&options)
            } else {
                None
            };
            LeaderboardState::new(options, from_url)
        })
    };

    // New options from the host.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(Rc::clone(options), move |options| {
            dispatcher.dispatch(Action::Reconfigure(Rc::clone(options)));
        });
    }

    // One fetch per request id. Changing the id runs the previous effect's teardown, which
    // aborts the older request; the id travels with the answer as a second guard.
    {
        let dispatcher = state.dispatcher();
        let endpoint = state.options.endpoint.clone();
        let query = state.query.clone();
        let revalidate = state.revalidate;
        use_effect_with(state.request_id, move |&request_id| {
            let abort = start_fetch(endpoint, query, revalidate, request_id, dispatcher);
            move || abort.cancel()
        });
    }

    // Automatic retry with exponential backoff for transient failures.
    {
        let dispatcher = state.dispatcher();
        let delay = state.retry_delay_ms();
        let attempt = state.failure.as_ref().map_or(0, |f| f.attempt);
        use_effect_with((delay, attempt), move |(delay, _)| {
            let timer = delay.map(|delay| {
                gloo_timers::callback::Timeout::new(delay, move || {
                    dispatcher.dispatch(Action::Retry);
                })
            });
            move || drop(timer)
        });
    }

    // Live refresh, skipped while the page is hidden.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.options.refresh, move |refresh| {
            let timer = refresh.map(|seconds| {
                gloo_timers::callback::Interval::new(seconds.saturating_mul(1000), move || {
                    if !page_is_hidden() {
                        dispatcher.dispatch(Action::Refresh);
                    }
                })
            });
            move || drop(timer)
        });
    }

    // Keep the filters in the page URL (the native page's `?mode=Solo&region=…#leaderboard`).
    {
        let sync = state.options.sync_url;
        let mut shown = state.query.clone();
        shown.around = None;
        use_effect_with((sync, shown), |(sync, shown)| {
            if *sync {
                write_page_url(shown);
            }
        });
    }

    state
}

/// The facets (modes and regions with counts) for the filter controls. Fetched once per
/// endpoint; after a failure, again with the next successful page load.
#[hook]
pub fn use_meta(endpoint: &str, loads: u64) -> Option<Rc<LeaderboardMeta>> {
    let meta = use_state(|| None::<Rc<LeaderboardMeta>>);
    let retry_key = if meta.is_some() { 0 } else { loads };
    {
        let meta = meta.clone();
        use_effect_with(
            (endpoint.to_string(), retry_key),
            move |(endpoint, _)| -> Box<dyn FnOnce()> { start_meta_fetch(endpoint.clone(), meta) },
        );
    }
    (*meta).clone()
}

/// Cancels an in-flight request (the fetch effect's teardown).
pub struct RequestAbort {
    #[cfg(target_arch = "wasm32")]
    controller: Option<web_sys::AbortController>,
}

impl RequestAbort {
    pub fn cancel(self) {
        #[cfg(target_arch = "wasm32")]
        if let Some(controller) = &self.controller {
            controller.abort();
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn start_fetch(
    endpoint: String,
    query: LeaderboardQuery,
    revalidate: bool,
    request_id: u64,
    dispatcher: UseReducerDispatcher<LeaderboardState>,
) -> RequestAbort {
    use std::cell::Cell;

    use crate::api::{self, ApiError, REQUEST_TIMEOUT_MS};

    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    let timed_out = Rc::new(Cell::new(false));
    let timeout = {
        let controller = controller.clone();
        let timed_out = Rc::clone(&timed_out);
        gloo_timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || {
            timed_out.set(true);
            if let Some(controller) = controller {
                controller.abort();
            }
        })
    };
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::fetch_page(&endpoint, &query, revalidate, signal.as_ref()).await;
        drop(timeout);
        match result {
            Ok(response) => dispatcher.dispatch(Action::Loaded {
                request_id,
                response: Rc::new(response),
            }),
            Err(ApiError::Aborted) if timed_out.get() => dispatcher.dispatch(Action::Failed {
                request_id,
                error: ApiError::Timeout,
            }),
            // Superseded by a newer request (or the widget was destroyed): nothing to show.
            Err(ApiError::Aborted) => {}
            Err(error) => dispatcher.dispatch(Action::Failed { request_id, error }),
        }
    });
    RequestAbort { controller }
}

#[cfg(not(target_arch = "wasm32"))]
fn start_fetch(
    _endpoint: String,
    _query: LeaderboardQuery,
    _revalidate: bool,
    _request_id: u64,
    _dispatcher: UseReducerDispatcher<LeaderboardState>,
) -> RequestAbort {
    RequestAbort {}
}

#[cfg(target_arch = "wasm32")]
fn start_meta_fetch(
    endpoint: String,
    meta: UseStateHandle<Option<Rc<LeaderboardMeta>>>,
) -> Box<dyn FnOnce()> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(answer) = crate::api::fetch_meta(&endpoint, signal.as_ref()).await {
            meta.set(Some(Rc::new(answer)));
        }
    });
    Box::new(move || RequestAbort { controller }.cancel())
}

#[cfg(not(target_arch = "wasm32"))]
fn start_meta_fetch(
    _endpoint: String,
    _meta: UseStateHandle<Option<Rc<LeaderboardMeta>>>,
) -> Box<dyn FnOnce()> {
    Box::new(|| ())
}

#[cfg(target_arch = "wasm32")]
fn page_is_hidden() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .is_some_and(|document| document.hidden())
}

#[cfg(not(target_arch = "wasm32"))]
fn page_is_hidden() -> bool {
    false
}

/// The widget's parameters from the page URL; `None` when absent or invalid (a bad
/// shared link must not break the widget).
#[cfg(target_arch = "wasm32")]
fn query_from_page_url(options: &WidgetOptions) -> Option<LeaderboardQuery> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let pairs: Vec<(&'static str, String)> = URL_KEYS
        .iter()
        .filter_map(|key| params.get(key).map(|value| (*key, value)))
        .collect();
    query_from_url_pairs(options, pairs)
}

#[cfg(not(target_arch = "wasm32"))]
fn query_from_page_url(_options: &WidgetOptions) -> Option<LeaderboardQuery> {
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
    LeaderboardQuery::from_pairs(pairs).ok()
}

/// Replaces the widget's parameters in the page URL, keeping the host's own parameters,
/// the path and the hash; no history entry is added.
#[cfg(target_arch = "wasm32")]
fn write_page_url(query: &LeaderboardQuery) {
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
fn write_page_url(_query: &LeaderboardQuery) {}

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
    let mut params: Vec<&str> = foreign.collect();
    if !ours.is_empty() {
        params.push(&ours);
    }
    let mut url = path.to_string();
    if !params.is_empty() {
        url.push('?');
        url.push_str(&params.join("&"));
    }
    url.push_str(hash);
    url
}
