//! The board page (`GET /api/board`, served by the function): what the server gives the
//! widget beyond its options. [`FirstPage`]: the page and facets it rendered with, so the
//! widget shows them at once and does not ask again (with the player "Find me" asked for,
//! `around`, highlighted); [`BoardLinks`]: the page's own address,
//! so sort headers, page buttons, filters and search are real links and GET forms that
//! work without scripts (with scripts they still work in place).
//!
//! What must stay true: a board URL is the path plus the widget's options as query
//! parameters, plus `page`, `q` and `around`; the state a reader changes (filters, sort, page size,
//! page, search) is written by [`BoardLinks::href`] from a [`LeaderboardQuery`], and every
//! other option the host gave is kept as it came.

use std::rc::Rc;

use leaderboard_model::{
    LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, PeriodKind, PlayedAt, SortKey, View,
};
use yew::prelude::*;

#[cfg(feature = "board")]
use crate::options::{canonical_name, OptionName};

/// The board page's controls for the query on screen: where each link leads. Only with
/// the `board` feature (the function's server rendering, the board embed): without it this
/// type has no value, so the components' link and form branches leave the widget's wasm.
#[cfg(feature = "board")]
#[derive(Debug, Clone, PartialEq)]
pub struct BoardNav {
    links: Rc<BoardLinks>,
    query: LeaderboardQuery,
}

/// Without the `board` feature: no value, the board's branches are dead code.
#[cfg(not(feature = "board"))]
#[derive(Debug, Clone, PartialEq)]
pub enum BoardNav {}

impl BoardNav {
    /// The controls of a widget on the board page (`links` given), for `query`.
    pub fn new(links: Option<&Rc<BoardLinks>>, query: &LeaderboardQuery) -> Option<BoardNav> {
        #[cfg(feature = "board")]
        {
            links.map(|links| BoardNav {
                links: Rc::clone(links),
                query: query.clone(),
            })
        }
        #[cfg(not(feature = "board"))]
        {
            let _ = (links, query);
            None
        }
    }
}

#[cfg(not(feature = "board"))]
impl BoardNav {
    pub fn form_action(&self) -> String {
        match *self {}
    }

    pub fn sort_href(&self, _key: SortKey) -> String {
        match *self {}
    }

    pub fn page_href(&self, _page: u64) -> String {
        match *self {}
    }

    pub fn hidden_fields(&self, _own: &[&str]) -> Html {
        match *self {}
    }

    pub fn find_me_href(&self, _player: &str) -> String {
        match *self {}
    }

    pub fn period_href(&self, _period: PeriodKind) -> String {
        match *self {}
    }

    pub fn at_href(&self, _at: Option<PlayedAt>) -> String {
        match *self {}
    }

    pub fn view_href(&self, _view: View) -> String {
        match *self {}
    }
}

#[cfg(feature = "board")]
impl BoardNav {
    /// Where the board's GET forms go.
    pub fn form_action(&self) -> String {
        self.links.path().to_string()
    }

    /// The board sorted by `key` (what a click on that header does).
    pub fn sort_href(&self, key: SortKey) -> String {
        self.links.href(&crate::state::sorted_by(&self.query, key))
    }

    /// The board at `page`.
    pub fn page_href(&self, page: u64) -> String {
        let mut query = self.query.clone();
        query.page = u32::try_from(page).unwrap_or(u32::MAX).max(1);
        self.links.href(&query)
    }

    /// The board on `period`'s tab: its current period, page 1.
    pub fn period_href(&self, period: PeriodKind) -> String {
        let mut query = self.refiltered();
        query.period = period;
        query.at = None;
        self.links.href(&query)
    }

    /// The board on the period holding `at` (`None`: the current one), page 1.
    pub fn at_href(&self, at: Option<PlayedAt>) -> String {
        let mut query = self.refiltered();
        query.at = at;
        self.links.href(&query)
    }

    /// The board in `view`, page 1.
    pub fn view_href(&self, view: View) -> String {
        let mut query = self.refiltered();
        query.view = view;
        self.links.href(&query)
    }

    /// The query as a new selection starts it: page 1, no player being located.
    fn refiltered(&self) -> LeaderboardQuery {
        let mut query = self.query.clone();
        query.page = 1;
        query.around = None;
        query
    }

    /// The page that holds `player` ("Find me"): the filters and sort as they are, the
    /// search cleared, the page chosen by the server (`around`).
    pub fn find_me_href(&self, player: &str) -> String {
        let mut query = self.query.clone();
        query.q = None;
        query.page = 1;
        let mut url = self.links.href(&query);
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str("around=");
        url.push_str(&leaderboard_model::percent_encode(player));
        url
    }

    /// A GET form's hidden fields: the kept options and the state, but `own` (the fields
    /// the form shows) and `page` (a new filter, search or size starts at page 1).
    pub fn hidden_fields(&self, own: &[&str]) -> Html {
        let kept = self
            .links
            .kept()
            .iter()
            .map(|(name, value)| (name.as_str(), value.clone()));
        let state = BoardLinks::state_fields(&self.query, own);
        html! {
            { for kept.chain(state).map(|(name, value)| html! {
                <input type="hidden" name={name.to_string()} {value} />
            }) }
        }
    }
}

/// A click on a board link that the widget handles in place (a plain click); a click with
/// a modifier (new tab, new window) is left to the browser.
pub fn in_place(event: &MouseEvent) -> bool {
    let plain = event.button() == 0
        && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key());
    if plain {
        event.prevent_default();
    }
    plain
}

/// The first page and the facets the server rendered with. Only with the `board` feature:
/// without it this type has no value and the first-page paths leave the widget's wasm.
#[cfg(feature = "board")]
#[derive(Debug, Clone, PartialEq)]
pub struct FirstPage {
    pub page: Rc<LeaderboardResponse>,
    pub meta: Option<Rc<LeaderboardMeta>>,
    /// The player a "Find me" link asked for (`around`): highlighted on the page.
    pub highlight: Option<String>,
    /// The server's clock when it rendered (ms since the epoch), for the time a period has
    /// left; `None` in the browser, whose own clock counts.
    pub now: Option<u64>,
}

#[cfg(feature = "board")]
impl FirstPage {
    pub fn page(&self) -> &Rc<LeaderboardResponse> {
        &self.page
    }

    pub fn meta(&self) -> Option<&Rc<LeaderboardMeta>> {
        self.meta.as_ref()
    }

    pub fn highlight(&self) -> Option<&String> {
        self.highlight.as_ref()
    }

    pub fn now(&self) -> Option<u64> {
        self.now
    }
}

/// Without the `board` feature: no value.
#[cfg(not(feature = "board"))]
#[derive(Debug, Clone, PartialEq)]
pub enum FirstPage {}

#[cfg(not(feature = "board"))]
impl FirstPage {
    pub fn page(&self) -> &Rc<LeaderboardResponse> {
        match *self {}
    }

    pub fn meta(&self) -> Option<&Rc<LeaderboardMeta>> {
        match *self {}
    }

    pub fn highlight(&self) -> Option<&String> {
        match *self {}
    }

    pub fn now(&self) -> Option<u64> {
        match *self {}
    }
}

/// Query parameters a reader's action changes: written from the query, never kept.
#[cfg(feature = "board")]
const STATE_KEYS: [&str; 10] = [
    "page", "pageSize", "mode", "region", "sort", "order", "q", "period", "at", "view",
];

/// Without the `board` feature: no value (no board links in the published wasm).
#[cfg(not(feature = "board"))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoardLinks {}

/// The board page's address: its path and the options that stay as the host gave them.
#[cfg(feature = "board")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardLinks {
    path: String,
    /// Host options other than the reader's state (`theme`, `lockMode`, `title`, …), by
    /// camelCase name, in the order given.
    kept: Vec<(String, String)>,
}

#[cfg(feature = "board")]
impl BoardLinks {
    /// The links of the board at `path` whose request carried `pairs` (decoded). Pairs
    /// that are not options (cache busters) are dropped, like the widget ignores them.
    pub fn new<I, K, V>(path: &str, pairs: I) -> BoardLinks
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let kept = pairs
            .into_iter()
            .map(|(name, value)| (canonical_name(name.as_ref()), value.as_ref().to_string()))
            .filter(|(name, _)| {
                !STATE_KEYS.contains(&name.as_str()) && OptionName::from_name(name).is_some()
            })
            .collect();
        BoardLinks {
            path: path.to_string(),
            kept,
        }
    }

    /// The path a GET form submits to.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The kept options, for a GET form's hidden inputs.
    pub fn kept(&self) -> &[(String, String)] {
        &self.kept
    }

    /// The board showing `query`: kept options first, then the state (canonical, defaults
    /// left out: the options' defaults are the same).
    pub fn href(&self, query: &LeaderboardQuery) -> String {
        let mut state = query.clone();
        state.around = None;
        let state = state.to_query_string();
        let mut url = self.path.clone();
        let kept = self.kept.iter().map(|(key, value)| {
            let mut pair = key.clone();
            pair.push('=');
            pair.push_str(&leaderboard_model::percent_encode(value));
            pair
        });
        let state = state.split('&').filter(|pair| !pair.is_empty());
        for (index, pair) in kept.chain(state.map(str::to_string)).enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(&pair);
        }
        url
    }

    /// The state as a GET form's fields (`without`: the fields the form itself holds);
    /// `page` is never among them (a form starts at page 1).
    pub fn state_fields(query: &LeaderboardQuery, without: &[&str]) -> Vec<(&'static str, String)> {
        let mut fields = Vec::new();
        fields.push(("pageSize", query.page_size.to_string()));
        fields.push(("sort", query.sort.as_str().to_string()));
        fields.push(("order", query.order.as_str().to_string()));
        if let Some(mode) = &query.mode {
            fields.push(("mode", mode.clone()));
        }
        if let Some(region) = &query.region {
            fields.push(("region", region.clone()));
        }
        if let Some(q) = &query.q {
            fields.push(("q", q.clone()));
        }
        if !query.period.is_all() {
            fields.push(("period", query.period.as_str().to_string()));
        }
        if let Some(at) = query.at {
            fields.push(("at", at.to_string()));
        }
        if !query.view.is_scores() {
            fields.push(("view", query.view.as_str().to_string()));
        }
        fields.retain(|(key, _)| !without.contains(key));
        fields
    }
}
