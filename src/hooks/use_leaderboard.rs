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

    // The first request starts during the first render, not in the effect below: yew yields
    // to the browser between rendering and running effects, so an effect would send it only
    // after the skeleton has been laid out and painted (60-80 ms later on a cold load).
    let first_request = use_mut_ref(|| {
        let abort = start_fetch(
            state.options.endpoint.clone(),
            state.query.clone(),
            state.revalidate,
            state.request_id,
            state.dispatcher(),
        );
        Some((state.request_id, abort))
    });

    // One fetch per request id. Changing the id runs the previous effect's teardown, which
    // aborts the older request; the id travels with the answer as a second guard.
    {
        let dispatcher = state.dispatcher();
        let endpoint = state.options.endpoint.clone();
        let query = state.query.clone();
        let revalidate = state.revalidate;
        use_effect_with(state.request_id, move |&request_id| {
            let started = first_request.borrow_mut().take();
            let abort = match started {
                Some((id, abort)) if id == request_id => abort,
                stale => {
                    if let Some((_, abort)) = stale {
                        abort.cancel();
                    }
                    start_fetch(endpoint, query, revalidate, request_id, dispatcher)
                }
            };
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

/// The facets (modes and regions with counts) for the filter controls. One request per
/// endpoint for all the widgets on the page (see [`subscribe_meta`]); after a failure,
/// again with the next successful page load.
#[hook]
pub fn use_meta(endpoint: &str, loads: u64) -> Option<Rc<LeaderboardMeta>> {
    let seen = use_state(MetaSeen::default);
    // Only a page load after the failure retries: a page answer arriving before the facets
    // neither cancels nor resends their request.
    let retry = seen.failed_at.is_none_or(|at| loads > at);
    {
        let seen = seen.clone();
        use_effect_with(
            (endpoint.to_string(), seen.failed_at, retry),
            move |(endpoint, _, retry)| -> Box<dyn FnOnce()> {
                if !*retry {
                    return Box::new(|| ());
                }
                let subscription = subscribe_meta(endpoint, seen, loads);
                Box::new(move || subscription.cancel())
            },
        );
    }
    seen.meta.clone()
}

/// A widget's facets, and the page loads count when its last request for them failed.
#[derive(Default)]
struct MetaSeen {
    meta: Option<Rc<LeaderboardMeta>>,
    failed_at: Option<u64>,
}

/// A widget waiting for facets: its subscription id, its state, its loads count.
type MetaWaiter = (u64, UseStateHandle<MetaSeen>, u64);

/// An endpoint's facets, or the widgets waiting for the request in flight.
type MetaEntry = Result<Rc<LeaderboardMeta>, Vec<MetaWaiter>>;

/// The page's facets requests, one per endpoint, shared by its widgets.
struct SharedMeta {
    next_id: u64,
    /// Endpoint → the answer, or the widgets waiting for the request in flight. A list, not
    /// a map: a page has one or two endpoints (a hash map would cost the wasm its hashing).
    /// A failed request leaves no entry: the next subscriber asks again.
    entries: Vec<(String, MetaEntry)>,
}

thread_local! {
    static SHARED_META: std::cell::RefCell<SharedMeta> = const {
        std::cell::RefCell::new(SharedMeta {
            next_id: 0,
            entries: Vec::new(),
        })
    };
}

/// A widget's wait for an endpoint's facets. Cancelled (the widget was destroyed, or moved
/// to another endpoint), it is never delivered: a stale answer is ignored.
pub struct MetaSubscription {
    id: u64,
}

impl MetaSubscription {
    pub fn cancel(self) {
        SHARED_META.with_borrow_mut(|shared| {
            for (_, entry) in &mut shared.entries {
                if let Err(waiting) = entry {
                    waiting.retain(|(id, _, _)| *id != self.id);
                }
            }
        });
    }
}

/// Delivers `endpoint`'s facets to `seen`: at once when the page has them, else when the
/// request in flight for them answers; sends one only when none is in flight.
fn subscribe_meta(endpoint: &str, seen: UseStateHandle<MetaSeen>, loads: u64) -> MetaSubscription {
    let (id, send, known) = SHARED_META.with_borrow_mut(|shared| {
        let id = shared.next_id;
        shared.next_id = id.wrapping_add(1);
        match shared.entries.iter_mut().find(|(at, _)| at == endpoint) {
            Some((_, Ok(meta))) => (id, false, Some(Rc::clone(meta))),
            Some((_, Err(waiting))) => {
                waiting.push((id, seen.clone(), loads));
                (id, false, None)
            }
            None => {
                let waiting = vec![(id, seen.clone(), loads)];
                shared.entries.push((endpoint.to_string(), Err(waiting)));
                (id, true, None)
            }
        }
    });
    if let Some(meta) = known {
        // Not set again when shown already (a widget mounted after the answer).
        if !seen
            .meta
            .as_ref()
            .is_some_and(|shown| Rc::ptr_eq(shown, &meta))
        {
            seen.set(MetaSeen {
                meta: Some(meta),
                failed_at: None,
            });
        }
    }
    if send {
        send_meta_request(endpoint.to_string());
    }
    MetaSubscription { id }
}

/// Keeps the answer for `endpoint` (forgets a failure) and sets it on every widget still
/// waiting, outside the borrow (a render may subscribe again).
fn meta_answered(endpoint: &str, answer: Option<Rc<LeaderboardMeta>>) {
    let mut waiting = Vec::new();
    SHARED_META.with_borrow_mut(|shared| {
        for (at, entry) in &mut shared.entries {
            if at == endpoint {
                if let Err(waiters) = entry {
                    waiting = std::mem::take(waiters);
                }
                if let Some(meta) = &answer {
                    *entry = Ok(Rc::clone(meta));
                }
            }
        }
        shared
            .entries
            .retain(|(at, entry)| at != endpoint || entry.is_ok());
    });
    for (_, seen, loads) in waiting {
        seen.set(match &answer {
            Some(meta) => MetaSeen {
                meta: Some(Rc::clone(meta)),
                failed_at: None,
            },
            None => MetaSeen {
                meta: seen.meta.clone(),
                failed_at: Some(loads),
            },
        });
    }
}

#[cfg(target_arch = "wasm32")]
fn send_meta_request(endpoint: String) {
    wasm_bindgen_futures::spawn_local(async move {
        let answer = crate::api::fetch_meta(&endpoint).await.ok();
        meta_answered(&endpoint, answer.map(Rc::new));
    });
}

/// Host builds answer at once with a failure (the widget only fetches in browsers).
#[cfg(not(target_arch = "wasm32"))]
fn send_meta_request(endpoint: String) {
    meta_answered(&endpoint, None);
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
