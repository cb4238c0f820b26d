//! The facets (modes and regions with counts) of an endpoint, shared page-wide: one request
//! per endpoint for all the widgets on the page, its answer kept for later widgets, a
//! failure forgotten so the next page load asks again.

use std::rc::Rc;

use leaderboard_model::LeaderboardMeta;
use yew::prelude::*;

/// The facets for the filter controls of a widget showing `endpoint`; `loads` counts its
/// successful page loads: after a failure, the next one asks again. `first`: the facets the
/// server rendered with (the board page), shown until the page's own answer.
#[hook]
pub fn use_meta(
    endpoint: &str,
    loads: u64,
    first: Option<&Rc<LeaderboardMeta>>,
) -> Option<Rc<LeaderboardMeta>> {
    let first = first.cloned();
    let seen = use_state(move || MetaSeen {
        meta: first,
        failed_at: None,
    });
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
    /// Endpoint → the answer, or the widgets waiting for the request in flight. A list: a page
    /// has one or two endpoints (size rule "lists, not hash maps").
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
