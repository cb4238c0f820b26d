//! The store abstraction: where the leaderboard's data lives. The HTTP layer only talks to
//! [`LeaderboardStore`]; the embedded store ([`embedded::EmbeddedStore`], the default) and the
//! Redis store (scale-out) sit behind it and must give identical answers.

pub mod embedded;
pub mod redis;

use async_trait::async_trait;
use leaderboard_model::{
    HealthResponse, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, PostedScore, Profile,
    ScoreRecord,
};

use crate::http::public_url::{absolutize_avatars, PublicBaseUrl};

/// Why a store could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// `around` named a player with no entry in the selection.
    PlayerNotFound { profile_id: String },
    /// A posted score names a profile the store does not have, and no `profile` came with it.
    UnknownProfile { profile_id: String },
    /// A posted score reuses a stored score id with different content.
    Conflict { id: String },
    /// The backing store cannot be reached now; the caller should retry later.
    Unavailable { reason: String },
}

impl StoreError {
    /// A page the store read but could not write as JSON (never expected: the types are
    /// plain data; reported rather than panicking).
    pub fn unserialisable(error: serde_json::Error) -> StoreError {
        StoreError::Unavailable {
            reason: format!("cannot serialise the page: {error}"),
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::PlayerNotFound { profile_id } => {
                write!(f, "player {profile_id:?} has no score in this selection")
            }
            StoreError::UnknownProfile { profile_id } => write!(
                f,
                "profile {profile_id:?} does not exist: send its profile with the score"
            ),
            StoreError::Conflict { id } => {
                write!(f, "score {id:?} is already stored with different content")
            }
            StoreError::Unavailable { reason } => {
                write!(f, "the leaderboard store is unavailable: {reason}")
            }
        }
    }
}

impl std::error::Error for StoreError {}

/// A leaderboard data source. Avatar URLs are returned as stored (possibly relative); the
/// HTTP layer makes them absolute.
#[async_trait]
pub trait LeaderboardStore: Send + Sync + 'static {
    /// One page of the leaderboard for a validated query.
    async fn leaderboard(
        &self,
        query: &LeaderboardQuery,
    ) -> Result<LeaderboardResponse, StoreError>;

    /// [`LeaderboardStore::leaderboard`]'s answer with every avatar URL made absolute
    /// against `base` ([`PublicBaseUrl::resolve_avatar`]), as the API's JSON, appended to
    /// `out`. The HTTP layer calls this one. A store that can write the JSON straight from
    /// data it holds, without building the owned response first, overrides it (the
    /// embedded store does); the bytes must equal what this default writes.
    async fn leaderboard_json(
        &self,
        query: &LeaderboardQuery,
        base: &PublicBaseUrl,
        out: &mut Vec<u8>,
    ) -> Result<(), StoreError> {
        let mut page = self.leaderboard(query).await?;
        absolutize_avatars(&mut page, base);
        serde_json::to_writer(out, &page).map_err(StoreError::unserialisable)
    }

    /// The modes and regions present, with counts.
    async fn meta(&self) -> Result<LeaderboardMeta, StoreError>;

    /// An opaque token that changes whenever the data changes. ETags derive from it, so a
    /// conditional request can be answered from it alone.
    async fn version(&self) -> Result<String, StoreError>;

    /// The store's state for `/api/health`.
    async fn health(&self) -> HealthResponse;

    /// Stores validated scores (ids assigned), each atomically: a score is in every
    /// leaderboard it belongs to or in none. Idempotent by score id: a score whose id is
    /// stored with the same content answers `created: false` and changes nothing. Bumps
    /// [`LeaderboardStore::version`] when anything changed.
    async fn post_scores(&self, posts: Vec<NewScore>) -> Result<Vec<PostedScore>, StoreError>;
}

/// A validated score to store, with the profile to create or update when one was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScore {
    pub score: ScoreRecord,
    pub profile: Option<Profile>,
}
