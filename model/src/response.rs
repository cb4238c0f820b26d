use serde::{Deserialize, Serialize};

use crate::{
    LeaderboardQuery, PeriodKind, PeriodsMeta, PlayedAt, Profile, ScoreRecord, SortKey, SortOrder,
    View,
};

/// The answer to `GET /api/LeaderboardFunction`.
///
/// The first six fields are the original function's, with its names; a client written for
/// the original reads this unchanged. The rest are additions.
///
/// `LeaderboardResponse` is the owned form clients read. The parameters exist so a server
/// can write the same JSON from borrowed text and its own row type
/// (`LeaderboardResponse<&str, Rows>`, see [`LeaderboardResponse::for_query_with`]): one
/// definition of the wire shape for both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(bound = "", description = "One page of the leaderboard. The first six fields are the original function's, with its names; the rest are additions.", example = json!({"selectedMode": "Solo", "selectedRegion": null, "page": 1, "pageSize": 1, "totalResults": 2716, "scores": [{"rank": 1, "score": {"id": "1071", "profileId": "452", "score": 999999, "gameMode": "Solo", "gameRegion": "Triangulum"}, "profile": {"id": "452", "userName": "ZeroAce", "avatarUrl": "https://game.example/api/images/avatars/planet.svg", "achievements": ["Atom Smasher", "Event Horizon", "Cruiser"]}}], "totalPages": 2716, "sort": "score", "order": "desc"})))]
pub struct LeaderboardResponse<Text = String, Entries = Vec<LeaderboardEntry>> {
    /// The mode filter in force, `null` for all modes.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, required = true, example = "Solo"))]
    pub selected_mode: Option<Text>,
    /// The region filter in force, `null` for all regions.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, required = true))]
    pub selected_region: Option<Text>,
    /// The 1-based page returned (with `around`, the page that holds that player).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub page: u32,
    /// Entries per page, after clamping to `1..=50`.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 50))]
    pub page_size: u32,
    /// Entries matching the filters and `q`, over all pages.
    pub total_results: u64,
    /// This page's entries in the requested order.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<LeaderboardEntry>))]
    pub scores: Entries,
    /// `ceil(totalResults / pageSize)`, 0 when nothing matches.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub total_pages: u64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub sort: SortKey,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub order: SortOrder,
    /// The player-name prefix in force, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub q: Option<Text>,
    /// The period read; absent for all time (so all-time answers are the original's bytes).
    #[serde(default, skip_serializing_if = "PeriodKind::is_all")]
    pub period: PeriodKind,
    /// The period's first instant; absent for all time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub period_start: Option<PlayedAt>,
    /// The first instant after the period (when a current period resets); absent for all
    /// time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub period_end: Option<PlayedAt>,
    /// `best` when each player is listed once; absent for every score.
    #[serde(default, skip_serializing_if = "View::is_scores")]
    pub view: View,
}

impl LeaderboardResponse {
    /// The answer to `query` showing `page` (the requested one, or the one `around` chose):
    /// echoes the query's filters, sort, order, `q`, view and period (of a resolved query:
    /// [`LeaderboardQuery::resolve_period`]), and derives `totalPages`.
    pub fn for_query(
        query: &LeaderboardQuery,
        page: u32,
        total_results: u64,
        scores: Vec<LeaderboardEntry>,
    ) -> Self {
        LeaderboardResponse::for_query_with(query, page, total_results, scores, str::to_owned)
    }
}

impl<'q, Text, Entries> LeaderboardResponse<Text, Entries> {
    /// [`LeaderboardResponse::for_query`] for any text and row types: `text` turns the
    /// query's strings into the response's (`str::to_owned`, or the identity to borrow).
    pub fn for_query_with(
        query: &'q LeaderboardQuery,
        page: u32,
        total_results: u64,
        scores: Entries,
        text: impl Fn(&'q str) -> Text,
    ) -> Self {
        let page_size = query.page_size.max(1);
        LeaderboardResponse {
            selected_mode: query.mode.as_deref().map(&text),
            selected_region: query.region.as_deref().map(&text),
            page,
            page_size,
            total_results,
            scores,
            total_pages: total_results.div_ceil(u64::from(page_size)),
            sort: query.sort,
            order: query.order,
            q: query.q.as_deref().map(&text),
            period: query.period,
            period_start: query.period_window().map(|p| p.start()),
            period_end: query.period_window().map(|p| p.end()),
            view: query.view,
        }
    }
}

/// One row: the original's `{score, profile}` pair plus its competition rank. Owned by
/// default; a server may write it from borrowed parts (see [`LeaderboardResponse`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(
        bound = "",
        description = "One row: the original's `{score, profile}` pair plus its competition rank."
    )
)]
pub struct LeaderboardEntry<Score = ScoreRecord, Player = Profile> {
    /// Competition rank (1, 2, 2, 4) by score within the selected mode and region,
    /// whatever the sort and `q`.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub rank: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = ScoreRecord))]
    pub score: Score,
    #[cfg_attr(feature = "openapi", schema(value_type = Profile))]
    pub profile: Player,
}

/// The answer to `GET /api/LeaderboardFunction/meta`: what the data holds, so no client
/// hard-codes the lists of modes and regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"modes": [{"name": "Solo", "count": 2716}, {"name": "Duo", "count": 1550}, {"name": "Trio", "count": 734}], "regions": [{"name": "Milky Way", "count": 1202}, {"name": "Andromeda", "count": 991}], "totalScores": 5000, "totalPlayers": 800})))]
pub struct LeaderboardMeta {
    /// Modes present, most scores first (ties by name).
    pub modes: Vec<FacetCount>,
    /// Regions present, most scores first (ties by name).
    pub regions: Vec<FacetCount>,
    pub total_scores: u64,
    /// Distinct players with at least one score.
    pub total_players: u64,
    /// The periods (day, week, month): present when the data holds timed scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<PeriodsMeta>,
}

/// A facet value and how many scores carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub name: String,
    pub count: u64,
}

/// Whether the store behind the function can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StoreStatus {
    Ok,
    Unavailable,
}

/// The answer to `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"status": "ok", "store": "embedded", "version": "1dfe0bc490b1f05b8f99f8600e451be7", "totalScores": 5000, "serviceVersion": "0.1.0"})))]
pub struct HealthResponse {
    pub status: StoreStatus,
    /// `embedded` or `redis`.
    pub store: String,
    /// The store's data version; changes whenever the data does (ETags derive from it).
    pub version: String,
    pub total_scores: u64,
    /// The function's own version (`CARGO_PKG_VERSION`).
    pub service_version: String,
}
