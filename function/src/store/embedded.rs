//! The embedded default store: the game's score and profile documents, loaded from a data
//! directory into the indexed [`Engine`].

use async_trait::async_trait;
use leaderboard_engine::{Engine, QueryError};
use leaderboard_model::{
    HealthResponse, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, PostedScore,
    StoreStatus,
};

use super::{LeaderboardStore, NewScore, StoreError};

pub struct EmbeddedStore {
    engine: Engine,
    meta: LeaderboardMeta,
    version: String,
}

impl EmbeddedStore {
    /// `version` identifies the loaded data (for example a hash of the files), so that ETags
    /// change when a restarted function serves different data.
    pub fn new(engine: Engine, version: String) -> Self {
        let meta = engine.meta();
        EmbeddedStore {
            engine,
            meta,
            version,
        }
    }
}

#[async_trait]
impl LeaderboardStore for EmbeddedStore {
    async fn leaderboard(
        &self,
        query: &LeaderboardQuery,
    ) -> Result<LeaderboardResponse, StoreError> {
        self.engine.query(query).map_err(|e| match e {
            QueryError::AroundNotFound { profile_id } => StoreError::PlayerNotFound { profile_id },
        })
    }

    async fn meta(&self) -> Result<LeaderboardMeta, StoreError> {
        Ok(self.meta.clone())
    }

    async fn version(&self) -> Result<String, StoreError> {
        Ok(self.version.clone())
    }

    async fn health(&self) -> HealthResponse {
        HealthResponse {
            status: StoreStatus::Ok,
            store: "embedded".to_string(),
            version: self.version.clone(),
            total_scores: self.engine.len() as u64,
            service_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    async fn post_scores(&self, _posts: Vec<NewScore>) -> Result<Vec<PostedScore>, StoreError> {
        Err(StoreError::Unavailable {
            reason: "the embedded store does not take posts yet".to_string(),
        })
    }
}
