//! The leaderboard API contract, shared by the widget (compiled to wasm) and the function.
//!
//! Everything that crosses the wire is defined here once: the documents the game stores
//! ([`ScoreRecord`], [`Profile`]), the request ([`LeaderboardQuery`], parsed and validated
//! from query-string pairs), the responses ([`LeaderboardResponse`], [`LeaderboardMeta`],
//! [`HealthResponse`]), the error body ([`ApiErrorBody`]), a posted score and its rules
//! ([`PostBody`], [`ScorePost`], [`PostError`]), when a score was played ([`PlayedAt`]: its
//! RFC 3339 rules and canonical form), every limit, and the one URL rule
//! ([`UrlKind`], [`is_http_or_relative_url`]).
//!
//! Architecture invariant: this crate does no I/O and has no dependency but `serde`, so it
//! builds for `wasm32-unknown-unknown` and costs the widget little. The `openapi` feature
//! (the function's only) adds `utoipa::ToSchema` to the wire types, with the same serde
//! names, for the OpenAPI document; limits in its attributes are literals (utoipa takes no
//! constants), which the function's `openapi` test pins to the constants here.

mod error;
mod ingest;
mod oembed;
mod period;
mod played_at;
mod query;
mod records;
mod response;
mod text;
mod url;

pub use error::{ApiErrorBody, QueryError, QueryErrorKind};
pub use ingest::{
    batch_param, check_id, BoardRank, PostBody, PostError, PostField, PostProblem, PostedScore,
    ProfilePost, ScorePost, ScorePosts, Unit, MAX_ACHIEVEMENTS, MAX_ACHIEVEMENT_CHARS, MAX_BATCH,
    MAX_ID_LEN, MAX_POSTED_SCORE, MAX_USER_NAME_CHARS,
};
pub use oembed::{OEmbedResponse, OEMBED_VERSION};
pub use period::{Period, PeriodKind, PeriodSummary, PeriodsMeta, Retention, View};
pub use played_at::{PlayedAt, PlayedAtError, MAX_CLOCK_SKEW_MILLIS};
pub use query::{
    percent_encode, LeaderboardQuery, SortKey, SortOrder, DEFAULT_PAGE_SIZE, MAX_AROUND_LEN,
    MAX_FILTER_LEN, MAX_PAGE_SIZE, MAX_SEARCH_LEN,
};
pub use records::{Profile, ScoreRecord};
pub use response::{
    FacetCount, HealthResponse, LeaderboardEntry, LeaderboardMeta, LeaderboardResponse, StoreStatus,
};
pub use text::{shown_prefix, Excerpt, Found, SHOWN_CHARS};
pub use url::{is_http_or_relative_url, UrlKind, DEFAULT_AVATAR_PATH, MAX_AVATAR_URL_LEN};

/// Path of the leaderboard endpoint, as the original Azure Function named it.
pub const LEADERBOARD_PATH: &str = "/api/LeaderboardFunction";
/// Path of the facet endpoint: modes and regions present in the data, with counts.
pub const META_PATH: &str = "/api/LeaderboardFunction/meta";
/// Path of the health endpoint.
pub const HEALTH_PATH: &str = "/api/health";
/// Path of score ingestion (`POST`, bearer key).
pub const SCORES_PATH: &str = "/api/scores";
/// Path of the board page: one leaderboard as a complete HTML page (what an iframe shows
/// and a shared link opens), configured by the widget's options as query parameters.
pub const BOARD_PATH: &str = "/api/board";
/// Path of the oEmbed endpoint for board pages.
pub const OEMBED_PATH: &str = "/api/oembed";
