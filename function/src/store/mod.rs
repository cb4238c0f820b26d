//! The store abstraction: where the leaderboard's data lives. The HTTP layer only talks to
//! [`LeaderboardStore`]; the embedded store ([`embedded::EmbeddedStore`], the default) and the
//! Redis store (scale-out) sit behind it and must give identical answers.
//!
//! Architecture invariant: a store answers data (rows, counts, a version) and knows nothing
//! of HTTP: it never imports the HTTP layer (`http/`), writes no JSON for a response and resolves no
//! avatar URL (they leave a store as stored, possibly relative).

pub mod embedded;
pub mod redis;

use async_trait::async_trait;
use leaderboard_model::{
    HealthResponse, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, PlayedAt, PostedScore,
    Profile, ScorePost, ScoreRecord,
};

use std::sync::Arc;

use leaderboard_engine::{Engine, PageRecords, PageRef};

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
    /// A post was stored but its replicas did not confirm it in time, so a read may not
    /// show it yet; it replicates on its own, and a retry (idempotent by id) confirms it.
    Unconfirmed { acked: usize, wanted: usize },
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
            StoreError::Unconfirmed { acked, wanted } => write!(
                f,
                "the post is stored but only {acked} of {wanted} replicas confirmed it in time"
            ),
        }
    }
}

impl std::error::Error for StoreError {}

/// A leaderboard data source.
#[async_trait]
pub trait LeaderboardStore: Send + Sync + 'static {
    /// One page of the leaderboard for a validated query.
    async fn leaderboard(
        &self,
        query: &LeaderboardQuery,
    ) -> Result<LeaderboardResponse, StoreError>;

    /// [`LeaderboardStore::leaderboard`]'s page for the HTTP layer to write. A store that
    /// can lend its rows instead of building owned ones overrides it (the embedded store
    /// does); the page must hold the same rows.
    async fn page(&self, query: &LeaderboardQuery) -> Result<Page, StoreError> {
        Ok(Page::Owned(self.leaderboard(query).await?))
    }

    /// The modes and regions present, with counts, and (when the data holds timed scores)
    /// the periods at `now`, the server's clock: which retained ones hold scores, when the
    /// current ones end.
    async fn meta(&self, now: PlayedAt) -> Result<LeaderboardMeta, StoreError>;

    /// An opaque token that changes whenever the data changes. ETags derive from it, so a
    /// conditional request can be answered from it alone.
    async fn version(&self) -> Result<String, StoreError>;

    /// The store's state for `/api/health`.
    async fn health(&self) -> HealthResponse;

    /// Whether this store keeps a body cache shared by every function instance that uses it
    /// ([`LeaderboardStore::shared_bodies`]).
    fn shares_bodies(&self) -> bool {
        false
    }

    /// The bodies kept under `key` in each of its `forms` (e.g. encodings), fetched together
    /// from the cache every function instance of this store shares; `None` for a form not
    /// kept. The bodies are opaque to the store; `key` must name everything a body depends
    /// on (the data version included). Best effort: a failure is a miss.
    async fn shared_bodies(&self, _key: &str, _forms: &[char]) -> Vec<Option<Vec<u8>>> {
        Vec::new()
    }

    /// Keeps `bodies` (form, bytes) under `key` in the shared cache, within its size cap and
    /// expiry. Best effort: a failure keeps nothing.
    async fn share_bodies(&self, _key: &str, _bodies: &[(char, &[u8])]) {}

    /// Stores validated scores (ids assigned), each atomically: a score is in every
    /// leaderboard it belongs to or in none. Idempotent by score id: a score whose id is
    /// stored with the same content answers `created: false` and changes nothing. Bumps
    /// [`LeaderboardStore::version`] when anything changed.
    async fn post_scores(&self, posts: Vec<NewScore>) -> Result<Vec<PostedScore>, StoreError>;

    /// Removes a score from every leaderboard it is in, or a player's profile and all
    /// their scores, atomically: all of it or nothing. Idempotent: what is not stored
    /// (any more) is not an error, it changes nothing and answers [`Removed::NOTHING`].
    /// Bumps [`LeaderboardStore::version`] exactly when something was removed.
    async fn remove(&self, removal: &Removal) -> Result<Removed, StoreError>;
}

/// What to remove (ids checked by the model's rule, `leaderboard_model::check_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// One score, by its id.
    Score(String),
    /// A player (by profile id): their profile and every score of theirs.
    Player(String),
}

/// What a removal took away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    /// Scores removed.
    pub scores: u64,
    /// Whether a profile was removed.
    pub profile: bool,
}

impl Removed {
    /// A removal of what was not stored.
    pub const NOTHING: Removed = Removed {
        scores: 0,
        profile: false,
    };

    /// Whether the data changed (and with it the version).
    pub fn changed(&self) -> bool {
        *self != Removed::NOTHING
    }
}

/// A validated score to store, with the profile to create or update when one was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScore {
    pub score: ScoreRecord,
    pub profile: Option<Profile>,
    /// Whether `score.played_at` was sent (`true`), or is the time the post was received
    /// (`false`): see [`NewScore::is_retry_of`].
    pub time_sent: bool,
}

impl From<(ScoreRecord, Option<Profile>)> for NewScore {
    /// A score whose every field, its time included, is as sent.
    fn from((score, profile): (ScoreRecord, Option<Profile>)) -> Self {
        NewScore {
            score,
            profile,
            time_sent: true,
        }
    }
}

impl NewScore {
    /// The score a validated post stores: its id, or `new_id()`; its `playedAt`, or
    /// `received`.
    pub fn of_post(post: ScorePost, new_id: impl FnOnce() -> String, received: PlayedAt) -> Self {
        let time_sent = post.played_at.is_some();
        let (score, profile) = post.into_records(new_id, received);
        NewScore {
            score,
            profile,
            time_sent,
        }
    }

    /// Whether this post is a retry of the `stored` score with the same id (answered
    /// `created: false`, nothing changes) rather than a conflict. Every field must be the
    /// same, `playedAt` included when the post sent one; a post without `playedAt` (given
    /// the time it was received) is a retry of a stored score with any time or none: a
    /// retry arrives later than the first sending, and the first sending's time stays.
    pub fn is_retry_of(&self, stored: &ScoreRecord) -> bool {
        let post = &self.score;
        post.id == stored.id
            && post.profile_id == stored.profile_id
            && post.score == stored.score
            && post.game_mode == stored.game_mode
            && post.game_region == stored.game_region
            && (!self.time_sent || post.played_at == stored.played_at)
    }
}

/// One leaderboard page as a store answers it.
pub enum Page {
    /// Rows the store built.
    Owned(LeaderboardResponse),
    /// Rows lent by an engine snapshot, read when the page is written: nothing is cloned.
    Lent(LentPage),
}

/// A page's record numbers and the engine snapshot they index, kept together so the rows
/// can be borrowed after the store call returned.
pub struct LentPage {
    engine: Arc<Engine>,
    records: PageRecords,
}

impl LentPage {
    pub fn new(engine: Arc<Engine>, records: PageRecords) -> LentPage {
        LentPage { engine, records }
    }

    pub fn rows(&self) -> PageRef<'_> {
        self.engine.rows(&self.records)
    }
}
