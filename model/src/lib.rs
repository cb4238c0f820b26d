//! The leaderboard API contract, shared by the widget (compiled to wasm) and the function.
//!
//! Everything that crosses the wire is defined here once: the documents the game stores
//! ([`ScoreRecord`], [`Profile`]), the request ([`LeaderboardQuery`], parsed and validated
//! from query-string pairs), the responses ([`LeaderboardResponse`], [`LeaderboardMeta`],
//! [`HealthResponse`]) and the error body ([`ApiErrorBody`]).
//!
//! Architecture invariant: this crate does no I/O and has no dependency but `serde`, so it
//! builds for `wasm32-unknown-unknown` and costs the widget little.

mod error;
mod ingest;
mod query;
mod records;
mod response;

pub use error::{ApiErrorBody, QueryError, QueryErrorKind};
pub use ingest::{
    BoardRank, PostedScore, ProfilePost, ScorePost, MAX_BATCH, MAX_ID_LEN, MAX_POSTED_SCORE,
    MAX_USER_NAME_CHARS,
};
pub use query::{
    percent_encode, LeaderboardQuery, SortKey, SortOrder, DEFAULT_PAGE_SIZE, MAX_AROUND_LEN,
    MAX_FILTER_LEN, MAX_PAGE_SIZE, MAX_SEARCH_LEN,
};
pub use records::{Profile, ScoreRecord};
pub use response::{
    FacetCount, HealthResponse, LeaderboardEntry, LeaderboardMeta, LeaderboardResponse, StoreStatus,
};

/// Path of the leaderboard endpoint, as the original Azure Function named it.
pub const LEADERBOARD_PATH: &str = "/api/LeaderboardFunction";
/// Path of the facet endpoint: modes and regions present in the data, with counts.
pub const META_PATH: &str = "/api/LeaderboardFunction/meta";
/// Path of the health endpoint.
pub const HEALTH_PATH: &str = "/api/health";
/// Path of score ingestion (`POST`, bearer key).
pub const SCORES_PATH: &str = "/api/scores";
