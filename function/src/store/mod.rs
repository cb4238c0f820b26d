//! The store abstraction: where the leaderboard's data lives. The HTTP layer only talks to
//! [`LeaderboardStore`]; the embedded store ([`embedded::EmbeddedStore`], the default) and the
//! Redis store (scale-out) sit behind it and must give identical answers.

pub mod embedded;

use async_trait::async_trait;
use leaderboard_model::{HealthResponse, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse};

/// Why a store could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// `around` named a player with no entry in the selection.
    PlayerNotFound { profile_id: String },
    /// The backing store cannot be reached now; the caller should retry later.
    Unavailable { reason: String },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::PlayerNotFound { profile_id } => {
                write!(f, "player {profile_id:?} has no score in this selection")
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

    /// The modes and regions present, with counts.
    async fn meta(&self) -> Result<LeaderboardMeta, StoreError>;

    /// An opaque token that changes whenever the data changes. ETags derive from it, so a
    /// conditional request can be answered from it alone.
    async fn version(&self) -> Result<String, StoreError>;

    /// The store's state for `/api/health`.
    async fn health(&self) -> HealthResponse;
}
