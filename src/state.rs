//! The whole UI state of one widget as a [`Reducible`], and the [`Action`]s that change it.
//!
//! Every change that needs new data bumps `request_id`; the fetch effect in
//! `hooks::use_leaderboard` runs once per id and tags its answer with it, so an answer to
//! an older request (a slow one, overtaken by a newer click) is ignored here.

use std::rc::Rc;

use leaderboard_model::{
    LeaderboardQuery, LeaderboardResponse, PeriodKind, PlayedAt, SortKey, View, MAX_SEARCH_LEN,
};
use yew::Reducible;

use crate::api::ApiError;
use crate::board::FirstPage;
use crate::options::WidgetOptions;

/// The last failed request, kept until a request succeeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error: ApiError,
    /// Consecutive failures, for the retry backoff.
    pub attempt: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LeaderboardState {
    pub options: Rc<WidgetOptions>,
    /// What the reader asked for. `around` is set only while a "find player" request runs.
    pub query: LeaderboardQuery,
    /// The last good answer: stays on screen while a newer request runs or fails.
    pub data: Option<Rc<LeaderboardResponse>>,
    pub failure: Option<Failure>,
    /// Identifies the request the UI waits for; bumped by every change that needs data.
    pub request_id: u64,
    pub in_flight: bool,
    /// The pending request must reach the server, past the browser's HTTP cache: a live
    /// refresh or a retry, where a cached answer (fresh for `max-age`) would be stale.
    pub revalidate: bool,
    /// Profile id of the player to highlight (after "Show on leaderboard" / "Find me").
    pub highlight: Option<String>,
    /// Successful loads so far (lets the facet request retry after a recovery).
    pub loads: u64,
    /// [`Action::Tick`]s so far (the clock has moved since the first render).
    pub ticks: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetMode(Option<String>),
    SetRegion(Option<String>),
    SetSearch(Option<String>),
    /// A period tab: its current period (unless the options lock the period).
    SetPeriod(PeriodKind),
    /// An instant in the period to read ("Last week"), or `None` for the current one.
    SetAt(Option<PlayedAt>),
    /// The "Best per player" switch.
    SetView(View),
    /// Sort by a column; the active column toggles its order.
    SortBy(SortKey),
    GoToPage(u32),
    SetPageSize(u32),
    /// Load the page holding this profile's best entry and highlight it.
    Locate(String),
    /// Back to the configured filters (the empty state's reset).
    Reset,
    /// Try the current query again (retry button, automatic backoff).
    Retry,
    /// Live refresh tick: reload the current page unless a request is running.
    Refresh,
    /// The state's timer fired ([`LeaderboardState::timer_delay_ms`] after the last render):
    /// the automatic retry, or the periods row's clock (the row reads the time again; once
    /// the current period on screen has ended, the page is asked again, and the server names
    /// the new current period by its own clock). `now`: when it fired (ms since the epoch).
    Tick {
        now: u64,
    },
    Loaded {
        request_id: u64,
        response: Rc<LeaderboardResponse>,
    },
    Failed {
        request_id: u64,
        error: ApiError,
    },
    /// New options from the host (`mount::update_widget`).
    Reconfigure(Rc<WidgetOptions>),
}

impl LeaderboardState {
    /// The initial state: the options' filters and sort, overridden by `from_url` (the page
    /// URL, with `syncUrl`) except where the options lock a filter.
    pub fn new(options: Rc<WidgetOptions>, from_url: Option<LeaderboardQuery>) -> Self {
        let mut query = query_from_options(&options);
        if let Some(url) = from_url {
            if !options.lock_mode {
                query.mode = url.mode;
            }
            if !options.lock_region {
                query.region = url.region;
            }
            query.page = url.page;
            query.page_size = url.page_size;
            query.sort = url.sort;
            query.order = url.order;
            query.q = url.q;
            if !options.lock_period {
                query.period = url.period;
                query.at = url.at;
            }
            query.view = url.view;
        }
        LeaderboardState {
            options,
            query,
            data: None,
            failure: None,
            request_id: 1,
            in_flight: true,
            revalidate: false,
            highlight: None,
            loads: 0,
            ticks: 0,
        }
    }

    /// The state of a widget that starts with a page the server already rendered (the board
    /// page): that page on screen, its query in force, the player a "Find me" link asked for
    /// highlighted, no request to send.
    pub fn with_first_page(options: Rc<WidgetOptions>, first_page: &FirstPage) -> Self {
        let page = Rc::clone(first_page.page());
        let mut state = LeaderboardState::new(options, None);
        state.query.page = page.page.max(1);
        state.query.page_size = page.page_size;
        state.query.mode = page.selected_mode.clone();
        state.query.region = page.selected_region.clone();
        state.query.sort = page.sort;
        state.query.order = page.order;
        state.query.q = page.q.clone();
        state.query.period = page.period;
        // A past period stays the one read; the current one stays "current" (no `at`), so
        // the links do not pin it past its end.
        state.query.at = page.period_start.filter(|_| {
            let now = first_page.now().unwrap_or_else(now_millis);
            page.period_end.is_some_and(|end| end.unix_millis() <= now)
        });
        state.query.view = page.view;
        state.data = Some(page);
        state.highlight = first_page.highlight().cloned();
        state.in_flight = false;
        state.loads = 1;
        state
    }

    /// Showing skeleton rows: nothing loaded yet and nothing failed.
    pub fn is_first_load(&self) -> bool {
        self.data.is_none() && self.failure.is_none()
    }

    /// A request (and a retry of it) should run automatically after this many ms.
    pub fn retry_delay_ms(&self) -> Option<u32> {
        let failure = self.failure.as_ref()?;
        if !failure.error.is_transient() || self.in_flight {
            return None;
        }
        let exponent = failure.attempt.saturating_sub(1).min(4);
        Some((1000_u32 << exponent).min(15_000))
    }

    /// When the current period on screen ends (milliseconds since the epoch): a resetting
    /// period's answer to a query without `at`, nothing loading.
    fn current_end(&self) -> Option<u64> {
        let data = self.data.as_ref().filter(|data| {
            !self.in_flight && self.query.at.is_none() && data.period == self.query.period
        })?;
        data.period_end.map(PlayedAt::unix_millis)
    }

    /// When the next [`Action::Tick`] is due, in ms after `now`: the automatic retry's
    /// delay, else when the periods row's time left changes (it counts whole minutes, rounded
    /// up), or a minute once the period has ended (its page asked again until the server
    /// names the next period). `None` without either (all time, a past period, loading): no
    /// timer.
    pub fn timer_delay_ms(&self, now: u64) -> Option<u32> {
        const MINUTE: u64 = 60_000;
        self.retry_delay_ms().or_else(|| {
            let left = self.current_end()?.saturating_sub(now);
            Some(match left {
                0 => MINUTE as u32,
                left => ((left - 1) % MINUTE + 1) as u32,
            })
        })
    }

    fn next_request(mut self) -> Self {
        self.request_id = self.request_id.wrapping_add(1);
        self.in_flight = true;
        self.revalidate = false;
        self
    }

    /// The same query again, asked of the server itself (see `revalidate`).
    fn revalidated_request(self) -> Self {
        let mut next = self.next_request();
        next.revalidate = true;
        next
    }

    /// A filter changed: back to page 1, no player being located.
    fn refiltered(mut self) -> Self {
        self.query.page = 1;
        self.query.around = None;
        self.highlight = None;
        self.next_request()
    }
}

/// The browser's clock (the host's on the board page's server), in milliseconds.
pub fn now_millis() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as u64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as u64)
    }
}

fn query_from_options(options: &WidgetOptions) -> LeaderboardQuery {
    LeaderboardQuery {
        page: 1,
        page_size: options.page_size,
        mode: options.mode.clone(),
        region: options.region.clone(),
        sort: options.sort,
        order: options.order,
        q: None,
        around: None,
        period: options.period,
        at: None,
        view: options.view,
    }
}

/// `query` sorted by a column (the board page's sort links say the same): the active column
/// toggles its order, another starts at its default order; back to page 1.
pub fn sorted_by(query: &LeaderboardQuery, key: SortKey) -> LeaderboardQuery {
    let mut next = query.clone();
    next.order = if query.sort == key {
        query.order.reversed()
    } else {
        key.default_order()
    };
    next.sort = key;
    next.page = 1;
    next.around = None;
    next
}

/// Cuts a search to the API's byte limit at a character boundary (longer ones get a 400).
/// Leading spaces are dropped; a trailing one stays ("ada " finds "Ada Lovelace", not "Adam").
fn bounded_search(q: Option<String>) -> Option<String> {
    let q = q?;
    let q = q.trim_start();
    if q.is_empty() {
        return None;
    }
    let mut end = q.len().min(MAX_SEARCH_LEN);
    while !q.is_char_boundary(end) {
        end -= 1;
    }
    q.get(..end).map(str::to_string)
}

impl Reducible for LeaderboardState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let next = match action {
            Action::SetMode(mode) if !next.options.lock_mode => {
                next.query.mode = mode;
                next.refiltered()
            }
            Action::SetRegion(region) if !next.options.lock_region => {
                next.query.region = region;
                next.refiltered()
            }
            Action::SetMode(_) | Action::SetRegion(_) => return self,
            Action::SetPeriod(period) if !next.options.lock_period => {
                next.query.period = period;
                next.query.at = None;
                next.refiltered()
            }
            Action::SetPeriod(_) => return self,
            Action::SetAt(at) if !next.query.period.is_all() && at != next.query.at => {
                next.query.at = at;
                next.refiltered()
            }
            Action::SetAt(_) => return self,
            Action::SetView(view) if view != next.query.view => {
                next.query.view = view;
                next.refiltered()
            }
            Action::SetView(_) => return self,
            Action::SetSearch(q) => {
                let q = bounded_search(q);
                if q == next.query.q {
                    return self;
                }
                next.query.q = q;
                next.refiltered()
            }
            Action::SortBy(key) => {
                next.query = sorted_by(&next.query, key);
                next.next_request()
            }
            Action::GoToPage(page) => {
                next.query.page = page.max(1);
                next.query.around = None;
                next.next_request()
            }
            Action::SetPageSize(size) => {
                // Keep the first visible entry on screen.
                let first = next.query.offset();
                next.query.page_size = size.clamp(1, leaderboard_model::MAX_PAGE_SIZE);
                next.query.page =
                    u32::try_from(first / u64::from(next.query.page_size) + 1).unwrap_or(1);
                next.query.around = None;
                next.next_request()
            }
            Action::Locate(profile_id) => {
                next.query.q = None;
                next.query.around = Some(profile_id);
                // Highlighted when the player's page arrives, not on the page shown now.
                next.highlight = None;
                next.next_request()
            }
            Action::Reset => {
                let options = Rc::clone(&next.options);
                next.query = LeaderboardQuery {
                    page_size: next.query.page_size,
                    sort: next.query.sort,
                    order: next.query.order,
                    ..query_from_options(&options)
                };
                if !options.lock_mode {
                    next.query.mode = None;
                }
                if !options.lock_region {
                    next.query.region = None;
                }
                next.refiltered()
            }
            Action::Retry => next.revalidated_request(),
            Action::Refresh => {
                if next.in_flight || next.failure.is_some() {
                    return self;
                }
                next.revalidated_request()
            }
            Action::Tick { now } => {
                next.ticks = next.ticks.wrapping_add(1);
                // After the period's end, not after a failure no retry can mend.
                let ended =
                    next.failure.is_none() && next.current_end().is_some_and(|end| end <= now);
                if next.retry_delay_ms().is_some() || ended {
                    next.revalidated_request()
                } else {
                    next
                }
            }
            Action::Loaded {
                request_id,
                response,
            } => {
                if request_id != next.request_id {
                    return self;
                }
                if let Some(profile_id) = next.query.around.take() {
                    next.query.page = response.page.max(1);
                    next.highlight = Some(profile_id);
                }
                next.data = Some(response);
                next.failure = None;
                next.in_flight = false;
                next.loads = next.loads.wrapping_add(1);
                next
            }
            Action::Failed { request_id, error } => {
                if request_id != next.request_id || error == ApiError::Aborted {
                    return self;
                }
                // A player not on this board: stay where we were.
                next.query.around = None;
                let attempt = next.failure.as_ref().map_or(0, |f| f.attempt) + 1;
                next.failure = Some(Failure { error, attempt });
                next.in_flight = false;
                next
            }
            Action::Reconfigure(options) => {
                if options == next.options {
                    return self;
                }
                let endpoint_changed = options.endpoint != next.options.endpoint;
                let mut fresh = LeaderboardState::new(options, None);
                fresh.request_id = next.request_id.wrapping_add(1);
                if !endpoint_changed {
                    fresh.data = next.data;
                }
                fresh
            }
        };
        Rc::new(next)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn state(pairs: &[(&str, &str)]) -> Rc<LeaderboardState> {
        let options = WidgetOptions::from_pairs(pairs.iter().copied()).unwrap();
        Rc::new(LeaderboardState::new(Rc::new(options), None))
    }

    #[test]
    fn a_period_tab_keeps_the_filters_and_starts_the_current_period_at_page_one() {
        let start = state(&[("period", "week"), ("view", "best")]);
        assert_eq!(
            (start.query.period, start.query.view),
            (PeriodKind::Week, View::Best)
        );
        let filtered = start
            .reduce(Action::SetMode(Some("Solo".into())))
            .reduce(Action::GoToPage(3))
            .reduce(Action::SetAt(PlayedAt::parse("2026-11-29T00:00:00Z").ok()));
        assert_eq!(filtered.query.page, 1, "a past period starts at page 1");
        assert!(filtered.query.at.is_some());
        let id = filtered.request_id;
        let day = filtered.reduce(Action::SetPeriod(PeriodKind::Day));
        assert_eq!(day.query.period, PeriodKind::Day);
        assert_eq!(day.query.at, None, "a tab shows its current period");
        assert_eq!(day.query.mode.as_deref(), Some("Solo"));
        assert_eq!(day.query.page, 1);
        assert_ne!(day.request_id, id, "a new request");
        let scores = day.reduce(Action::SetView(View::Scores));
        assert_eq!(scores.query.view, View::Scores);
        assert_eq!(
            scores.query.to_query_string(),
            "mode=Solo&period=day",
            "what the widget asks the API"
        );
    }

    /// `start` with the answer to its query loaded: a period ending at `end` (ms), or all time.
    fn loaded(start: Rc<LeaderboardState>, end: Option<u64>) -> Rc<LeaderboardState> {
        let mut response = LeaderboardResponse::for_query(&start.query, 1, 0, Vec::new());
        response.period_end = end.and_then(PlayedAt::from_unix_millis);
        let request_id = start.request_id;
        start.reduce(Action::Loaded {
            request_id,
            response: Rc::new(response),
        })
    }

    #[test]
    fn the_timer_ticks_as_the_minutes_left_change_asks_again_when_the_period_ends_and_retries_first(
    ) {
        const MINUTE: u64 = 60_000;
        let now = now_millis();
        let today = loaded(state(&[("period", "day")]), Some(now + 90 * MINUTE + 1_500));
        assert_eq!(today.timer_delay_ms(now), Some(1_500), "to 90 minutes left");
        assert_eq!(today.timer_delay_ms(now + 1_500), Some(60_000), "to 89");
        assert_eq!(today.timer_delay_ms(now + 1_501), Some(59_999));
        let id = today.request_id;
        let ticked = Rc::clone(&today).reduce(Action::Tick { now });
        assert_eq!(
            (ticked.ticks, ticked.request_id),
            (1, id),
            "a tick only re-renders"
        );

        let ended = loaded(state(&[("period", "day")]), Some(now - 1));
        assert_eq!(
            ended.timer_delay_ms(now),
            Some(60_000),
            "asked again each minute"
        );
        let ended_again = Rc::clone(&ended);
        let id = ended.request_id;
        let asked = ended.reduce(Action::Tick { now });
        assert_ne!(
            asked.request_id, id,
            "the page asked again at the period's end"
        );
        assert!(asked.in_flight && asked.revalidate);
        assert_eq!(
            asked.query.at, None,
            "still the current period, as the server names it"
        );
        assert_eq!(asked.timer_delay_ms(now), None, "no timer while loading");

        // A due retry comes first, and its tick is the retry.
        let id = today.request_id.wrapping_add(1);
        let failed = Rc::clone(&today)
            .reduce(Action::Refresh)
            .reduce(Action::Failed {
                request_id: id,
                error: ApiError::Timeout,
            });
        assert_eq!(
            failed.timer_delay_ms(now),
            Some(1_000),
            "the first retry's backoff"
        );
        let retried = failed.reduce(Action::Tick { now });
        assert_ne!(retried.request_id, id, "retried");
        assert!(retried.in_flight && retried.revalidate);

        // A failure no retry can mend is not asked again at the period's end.
        let id = ended_again.request_id.wrapping_add(1);
        let refused = Rc::clone(&ended_again)
            .reduce(Action::Refresh)
            .reduce(Action::Failed {
                request_id: id,
                error: ApiError::Unreadable {
                    detail: "not JSON".into(),
                },
            });
        assert_eq!(refused.timer_delay_ms(now), Some(60_000));
        assert_eq!(
            refused.reduce(Action::Tick { now }).request_id,
            id,
            "not asked again"
        );

        // No timer: all time, a past period.
        let all = loaded(state(&[]), None);
        assert_eq!(all.timer_delay_ms(now), None);
        let past = state(&[("period", "week")]).reduce(Action::SetAt(PlayedAt::from_unix_millis(
            now - 8 * 24 * 60 * MINUTE,
        )));
        assert_eq!(loaded(past, Some(now - MINUTE)).timer_delay_ms(now), None);
    }

    #[test]
    fn a_locked_period_ignores_the_tabs_and_all_time_has_no_previous_period() {
        let locked = state(&[("lockPeriod", "month")]);
        let id = locked.request_id;
        let after = Rc::clone(&locked).reduce(Action::SetPeriod(PeriodKind::Day));
        assert_eq!(after.query.period, PeriodKind::Month);
        assert_eq!(after.request_id, id, "nothing to load");
        let all = state(&[]);
        let id = all.request_id;
        let after = all.reduce(Action::SetAt(PlayedAt::parse("2026-11-29T00:00:00Z").ok()));
        assert_eq!((after.query.at, after.request_id), (None, id));
    }
}
