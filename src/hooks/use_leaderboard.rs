//! The page hook: one widget's leaderboard page. A fetch per request id (stale requests
//! cancelled, a timeout, retries with backoff), live refresh paused while the page is hidden,
//! and the query kept in the page URL with `syncUrl` ([`super::url_sync`]).

use std::rc::Rc;

use leaderboard_model::LeaderboardQuery;
use yew::prelude::*;

use super::url_sync::{query_from_page_url, write_page_url};
use crate::board::FirstPage;
use crate::options::WidgetOptions;
use crate::state::{now_millis, Action, LeaderboardState};

/// `first_page`: a page the server rendered (the board page): shown at once, not fetched.
#[hook]
pub fn use_leaderboard(
    options: &Rc<WidgetOptions>,
    first_page: Option<&FirstPage>,
) -> UseReducerHandle<LeaderboardState> {
    let state = {
        let options = Rc::clone(options);
        // Without the `board` feature `FirstPage` has no value: this branch and what it
        // holds leave the wasm.
        let first_page = first_page.cloned();
        use_reducer(move || {
            if let Some(first_page) = first_page {
                return LeaderboardState::with_first_page(options, &first_page);
            }
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
    // after the skeleton has been laid out and painted. A widget that starts with the
    // server's page has no first request (`None` for its id).
    let first_request = use_mut_ref(|| {
        let abort = state.in_flight.then(|| {
            start_fetch(
                state.options.endpoint.clone(),
                state.query.clone(),
                state.revalidate,
                state.request_id,
                state.dispatcher(),
            )
        });
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
                    if let Some((_, Some(abort))) = stale {
                        abort.cancel();
                    }
                    Some(start_fetch(
                        endpoint, query, revalidate, request_id, dispatcher,
                    ))
                }
            };
            move || {
                if let Some(abort) = abort {
                    abort.cancel();
                }
            }
        });
    }

    // The state's timer: the automatic retry with exponential backoff for transient
    // failures, else the periods row's clock (the time left, the end of the current period).
    // One effect for both (size rule "few types"); the effect's timer goes with the widget.
    {
        let dispatcher = state.dispatcher();
        let delay = state.timer_delay_ms(now_millis());
        use_effect_with((delay, state.ticks), move |(delay, _)| {
            let timer = delay.map(|delay| {
                gloo_timers::callback::Timeout::new(delay, move || {
                    dispatcher.dispatch(Action::Tick { now: now_millis() });
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
