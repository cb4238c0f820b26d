//! The embedded default store: the game's score and profile documents, loaded from a data
//! directory into the indexed [`Engine`].
//!
//! # Posted scores
//!
//! Built with [`EmbeddedStore::accepting_posts`] (the server does when an ingest key is
//! configured), the store also takes posts, kept in memory on top of the loaded files
//! (README.md, "Notes": what that means for restarts and replicas; bench/analysis.md,
//! "Function: embedded ingestion": what it costs).
//!
//! The engine is an immutable snapshot, so a post builds a new one: the store keeps the
//! served records beside it; posts queue up, and one writer at a time (a mutex over the
//! records) takes everything queued, checks each call against the records, builds a new
//! [`Engine`] from records + accepted posts on a blocking thread, commits the records and
//! swaps the snapshot (engine, facets, version) as one `Arc`. Concurrent posters share a
//! rebuild (group commit) instead of queueing for one each.
//!
//! # Removals
//!
//! Removals ([`LeaderboardStore::remove`], moderation) go through the same writer and queue
//! as posts, in the order they were asked: each builds a new engine from the records
//! without what it removes (nothing is built when there is nothing to remove), then commits
//! and swaps like a round of posts. Like posts they live in this process's memory: a
//! restart serves the data files again, removed scores included.
//!
//! The records are copied out of the engine the store started with
//! ([`Engine::to_records`]) by the first round of posts, not at start: a store that
//! started from an index snapshot file (`data::snapshot`) serves at once, and only a
//! process that is posted to pays for the copy. Posts are never written to that file: it
//! indexes the data files, and posts live in this process's memory on top of it.
//!
//! # Boards built ahead of their reads
//!
//! Every state the store publishes (at start through [`EmbeddedStore::warm_up`], after
//! each round of posts and each removal) has the boards readers are likely to ask for
//! (the current day, week and month and the best views, [`Boards::warm`]) built on a
//! thread of its own (`warm.rs`), after the state is published: a post's answer does not
//! wait for them. The first read of a state on a new day of the store's clock starts the
//! new periods' warm-up the same way.
//!
//! Invariants:
//! - Readers only clone the current `Arc`: they never wait for a rebuild and always see a
//!   whole state, never half of a post.
//! - A removal is all or nothing, and one snapshot swap: no read sees a score gone from
//!   one leaderboard and still in another, or a player's profile gone and a score left.
//! - A `post_scores` call is all or nothing: a conflicting id or an unknown profile
//!   anywhere refuses the whole call before anything changes (other calls in the same
//!   round are not affected).
//! - The version (which ETags derive from) changes with every change and never repeats
//!   across restarts: it carries a random part of this process, so a cache cannot mistake
//!   one process's posts for another's.

mod warm;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError, RwLock};
use std::thread::JoinHandle;

use async_trait::async_trait;
use leaderboard_engine::{Boards, Engine, QueryError};
use leaderboard_model::{
    BoardRank, HealthResponse, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, PlayedAt,
    PostedScore, Profile, Retention, ScoreRecord, StoreStatus,
};
use tokio::sync::oneshot;

use super::{LeaderboardStore, LentPage, NewScore, Page, Removal, Removed, StoreError};
use crate::clock::Clock;
use crate::unique::random_u64;
use warm::{Warmed, Warmer};

pub use warm::WarmUp;

/// One consistent state of the data: what every read sees. Its boards (every period and
/// view, [`Boards`]) are built from its all-time engine, so a post or removal, which makes
/// a new snapshot, reaches every period and view at once.
struct Snapshot {
    boards: Boards,
    version: String,
    warmed: Warmed,
}

impl Snapshot {
    fn new(engine: Engine, version: String) -> Snapshot {
        Snapshot {
            boards: Boards::new(Arc::new(engine)),
            version,
            warmed: Warmed::default(),
        }
    }

    fn engine(&self) -> &Arc<Engine> {
        self.boards.all_time()
    }
}

/// The served documents behind the current snapshot, by id. Only writers touch them.
struct Records {
    /// `None` until the first round of posts copies them out of the current engine.
    documents: Option<Documents>,
    /// The version of the loaded files.
    loaded_version: String,
    /// Random per process: versions after posts never repeat across restarts.
    instance: u64,
    /// Post batches that changed something.
    writes: u64,
}

/// The served scores and profiles, by id.
struct Documents {
    scores: HashMap<String, ScoreRecord>,
    profiles: HashMap<String, Profile>,
}

impl Documents {
    /// What `engine` serves: the store's records before any post.
    fn of(engine: &Engine) -> Documents {
        let (scores, profiles) = engine.to_records();
        Documents {
            scores: scores.into_iter().map(|s| (s.id.clone(), s)).collect(),
            profiles: profiles.into_iter().map(|p| (p.id.clone(), p)).collect(),
        }
    }
}

pub struct EmbeddedStore {
    current: Arc<RwLock<Arc<Snapshot>>>,
    /// Which past periods the meta lists (queries come resolved against it).
    retention: Retention,
    /// `None`: a read-only store (built from an engine alone).
    writer: Option<Writer>,
    /// Builds the boards readers are likely to ask for off the read path (`warm.rs`).
    warmer: Warmer,
}

/// The write side: posts and removals queue up, and whoever holds the records applies
/// everything queued, consecutive posts in one rebuild (group commit), so concurrent
/// posters share rebuilds instead of waiting for one each.
#[derive(Clone)]
struct Writer {
    queue: Arc<std::sync::Mutex<Vec<Change>>>,
    records: Arc<tokio::sync::Mutex<Records>>,
}

/// A change waiting to be applied, in the order it was asked.
enum Change {
    Post(Pending),
    Remove(PendingRemoval),
}

/// One `post_scores` call waiting to be applied, and where its answer goes.
struct Pending {
    posts: Vec<NewScore>,
    answer: oneshot::Sender<Result<Vec<PostedScore>, StoreError>>,
}

/// One removal waiting to be applied, and where its answer goes.
struct PendingRemoval {
    removal: Removal,
    answer: oneshot::Sender<Removed>,
}

impl EmbeddedStore {
    /// A read-only store over an engine. `version` identifies the loaded data (for example
    /// a hash of the files), so that ETags change when a restarted function serves
    /// different data.
    pub fn new(engine: Engine, version: String) -> Self {
        EmbeddedStore {
            current: Arc::new(RwLock::new(Arc::new(Snapshot::new(engine, version)))),
            retention: Retention::default(),
            writer: None,
            warmer: Warmer::default(),
        }
    }

    /// The same store keeping `retention` periods of each kind (the server's
    /// `--retention-*`; [`Retention::default`] otherwise).
    pub fn with_retention(mut self, retention: Retention) -> Self {
        self.retention = retention;
        self
    }

    /// A store that also takes posts, starting from these records (served exactly as
    /// [`Engine::build`] serves them: the first profile of each id, scores whose profile
    /// exists, the first score of each id).
    pub fn accepting_posts(
        scores: Vec<ScoreRecord>,
        profiles: Vec<Profile>,
        version: String,
    ) -> Self {
        Self::accepting_posts_over(Engine::build(scores, profiles), version)
    }

    /// A store that also takes posts, starting from what `engine` serves (built from the
    /// files or read from a snapshot). Its records are copied out of the engine by the
    /// first round of posts (module docs).
    pub fn accepting_posts_over(engine: Engine, version: String) -> Self {
        EmbeddedStore {
            current: Arc::new(RwLock::new(Arc::new(Snapshot::new(
                engine,
                version.clone(),
            )))),
            retention: Retention::default(),
            writer: Some(Writer {
                queue: Arc::new(std::sync::Mutex::new(Vec::new())),
                records: Arc::new(tokio::sync::Mutex::new(Records {
                    documents: None,
                    loaded_version: version,
                    instance: random_u64(),
                    writes: 0,
                })),
            }),
            warmer: Warmer::default(),
        }
    }

    /// The same store on `clock` (the server's; [`Clock::System`] otherwise): which
    /// periods are current, so which boards are built ahead of their reads.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.warmer = Warmer::new(clock);
        self
    }

    /// Starts building the boards readers are likely to ask for (the current periods and
    /// best views, [`Boards::warm`]) on a thread of its own; the server calls it at start.
    /// Posts, removals and reads start it by themselves when the state of the data or the
    /// day changed, so `None` when a warm-up of this state for this day already started.
    pub fn warm_up(&self) -> Option<JoinHandle<WarmUp>> {
        self.warmer.ensure(&self.current, &self.snapshot())
    }

    /// The engine serving now (for writing it as a snapshot).
    pub fn engine(&self) -> Arc<Engine> {
        Arc::clone(self.snapshot().engine())
    }

    /// The current snapshot. The lock is held only to clone the `Arc`.
    fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Queues a change and makes sure a writer applies it: the answer comes on the
    /// change's channel. `Unavailable` for a read-only store.
    fn enqueue(&self, change: Change) -> Result<(), StoreError> {
        let Some(writer) = &self.writer else {
            return Err(StoreError::Unavailable {
                reason: "this embedded store was built read-only".to_string(),
            });
        };
        writer
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(change);
        // A task rather than the caller's future: a change runs to its end (and the
        // snapshot swap) even if the client goes away, so it is never half-applied or
        // left queued.
        let writer = writer.clone();
        let current = Arc::clone(&self.current);
        let warmer = self.warmer.clone();
        tokio::spawn(async move {
            let mut records = writer.records.lock_owned().await;
            let queued =
                std::mem::take(&mut *writer.queue.lock().unwrap_or_else(PoisonError::into_inner));
            if queued.is_empty() {
                return; // an earlier round took this change along
            }
            // Dropped answers (a panic in there) reach their callers as errors.
            let _ = tokio::task::spawn_blocking(move || {
                apply_queue(&mut records, &Publisher { current, warmer }, queued);
            })
            .await;
        });
        Ok(())
    }
}

impl EmbeddedStore {
    /// The board that answers `query` ([`Boards::board`]): at once when it is built; else
    /// built on a blocking thread (a board over a million scores takes a while), so the
    /// async workers keep serving the others.
    async fn board(&self, query: &LeaderboardQuery) -> Result<Arc<Engine>, StoreError> {
        let snapshot = self.snapshot();
        // The first read of a state on a new day (the clock crossed midnight) starts the
        // new periods' warm-up.
        self.warmer.ensure(&self.current, &snapshot);
        if let Some(board) = snapshot.boards.built(query) {
            return Ok(board);
        }
        let query = query.clone();
        tokio::task::spawn_blocking(move || snapshot.boards.board(&query))
            .await
            .map_err(|_| StoreError::Unavailable {
                reason: "building the board failed".to_string(),
            })
    }
}

/// The failure a caller sees when its change's answer was dropped.
fn not_applied() -> StoreError {
    StoreError::Unavailable {
        reason: "applying the change failed".to_string(),
    }
}

/// The engine's one query error, as the store reports it.
fn player_not_found(error: QueryError) -> StoreError {
    match error {
        QueryError::AroundNotFound { profile_id } => StoreError::PlayerNotFound { profile_id },
    }
}

#[async_trait]
impl LeaderboardStore for EmbeddedStore {
    async fn leaderboard(
        &self,
        query: &LeaderboardQuery,
    ) -> Result<LeaderboardResponse, StoreError> {
        self.board(query)
            .await?
            .query(query)
            .map_err(player_not_found)
    }

    /// The board's rows, lent: nothing is cloned until the page is written.
    async fn page(&self, query: &LeaderboardQuery) -> Result<Page, StoreError> {
        let board = self.board(query).await?;
        let records = board.page_records(query).map_err(player_not_found)?;
        Ok(Page::Lent(LentPage::new(board, records)))
    }

    async fn meta(&self, now: PlayedAt) -> Result<LeaderboardMeta, StoreError> {
        Ok(self.snapshot().boards.meta(now, &self.retention))
    }

    async fn version(&self) -> Result<String, StoreError> {
        Ok(self.snapshot().version.clone())
    }

    async fn health(&self) -> HealthResponse {
        let snapshot = self.snapshot();
        HealthResponse {
            status: StoreStatus::Ok,
            store: "embedded".to_string(),
            version: snapshot.version.clone(),
            total_scores: snapshot.engine().len() as u64,
            service_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    async fn post_scores(&self, posts: Vec<NewScore>) -> Result<Vec<PostedScore>, StoreError> {
        let (answer, answered) = oneshot::channel();
        self.enqueue(Change::Post(Pending { posts, answer }))?;
        answered.await.map_err(|_| not_applied())?
    }

    async fn remove(&self, removal: &Removal) -> Result<Removed, StoreError> {
        let (answer, answered) = oneshot::channel();
        self.enqueue(Change::Remove(PendingRemoval {
            removal: removal.clone(),
            answer,
        }))?;
        answered.await.map_err(|_| not_applied())
    }
}

/// Applies the queued changes in order: each run of consecutive posts as one round (one
/// rebuild), each removal on its own.
fn apply_queue(records: &mut Records, current: &Publisher, queued: Vec<Change>) {
    let mut posts = Vec::new();
    for change in queued {
        match change {
            Change::Post(pending) => posts.push(pending),
            Change::Remove(pending) => {
                if !posts.is_empty() {
                    apply_round(records, current, std::mem::take(&mut posts));
                }
                let removed = apply_removal(records, current, &pending.removal);
                let _ = pending.answer.send(removed);
            }
        }
    }
    if !posts.is_empty() {
        apply_round(records, current, posts);
    }
}

/// The served documents, copied out of the current engine by the first change.
fn documents_of<'a>(
    documents: &'a mut Option<Documents>,
    current: &Publisher,
) -> &'a mut Documents {
    // Before the first change the current engine is still the one the store started with.
    documents.get_or_insert_with(|| Documents::of(current.serving().engine()))
}

/// Where a writer publishes a new state of the data: the store's current snapshot, and the
/// warm-up of its boards.
struct Publisher {
    current: Arc<RwLock<Arc<Snapshot>>>,
    warmer: Warmer,
}

impl Publisher {
    fn serving(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Swaps in the new state at once (readers of the all-time board never wait for the
    /// others), then starts building its likely boards in the background.
    fn publish(&self, engine: Engine, version: String) {
        let next = Arc::new(Snapshot::new(engine, version));
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::clone(&next);
        self.warmer.ensure(&self.current, &next);
    }
}

/// Applies one removal: the engine without what it removes is built first, then the
/// records are committed and the snapshot swapped (so a failure changes nothing). Nothing
/// to remove: nothing is built and the version stays.
fn apply_removal(records: &mut Records, current: &Publisher, removal: &Removal) -> Removed {
    let Records {
        documents,
        loaded_version,
        instance,
        writes,
    } = records;
    let documents = documents_of(documents, current);
    let (gone, profile_gone): (HashSet<String>, Option<&str>) = match removal {
        Removal::Score(id) => (
            documents
                .scores
                .get_key_value(id)
                .map(|(id, _)| id.clone())
                .into_iter()
                .collect(),
            None,
        ),
        Removal::Player(profile_id) => (
            documents
                .scores
                .values()
                .filter(|score| score.profile_id == *profile_id)
                .map(|score| score.id.clone())
                .collect(),
            documents
                .profiles
                .contains_key(profile_id)
                .then_some(profile_id.as_str()),
        ),
    };
    let removed = Removed {
        scores: gone.len() as u64,
        profile: profile_gone.is_some(),
    };
    if !removed.changed() {
        return removed;
    }
    let scores: Vec<ScoreRecord> = documents
        .scores
        .values()
        .filter(|score| !gone.contains(&score.id))
        .cloned()
        .collect();
    let profiles: Vec<Profile> = documents
        .profiles
        .values()
        .filter(|profile| Some(profile.id.as_str()) != profile_gone)
        .cloned()
        .collect();
    let engine = Engine::build(scores, profiles);
    for id in &gone {
        documents.scores.remove(id);
    }
    if let Some(profile_id) = profile_gone {
        documents.profiles.remove(profile_id);
    }
    *writes += 1;
    let version = format!("{loaded_version}+{instance:016x}.{writes}");
    current.publish(engine, version);
    removed
}

/// What one `post_scores` call adds, checked against the records and the round so far.
struct Plan {
    /// New scores, in order.
    scores: Vec<ScoreRecord>,
    /// Profiles to create or replace, in order (a later one for the same id wins).
    profiles: Vec<Profile>,
    /// Per post: stored now (`true`) or already stored with the same content.
    created: Vec<bool>,
}

/// The scores and profiles the calls accepted so far in this round add.
#[derive(Default)]
struct Round {
    scores: HashMap<String, ScoreRecord>,
    profiles: HashMap<String, Profile>,
}

/// Checks one call's posts in order; refuses the whole call on the first conflict or
/// unknown player, so a call is all or nothing.
fn plan(records: &Documents, round: &Round, posts: &[NewScore]) -> Result<Plan, StoreError> {
    let mut added: HashMap<&str, &ScoreRecord> = HashMap::new();
    let mut profiled: HashMap<&str, &Profile> = HashMap::new();
    let mut created = Vec::with_capacity(posts.len());
    for post in posts {
        let id = post.score.id.as_str();
        let stored = records
            .scores
            .get(id)
            .or_else(|| round.scores.get(id))
            .or_else(|| added.get(id).copied());
        match stored {
            // An idempotent retry: the same score, nothing changes (its profile included).
            Some(stored) if post.is_retry_of(stored) => {
                created.push(false);
                continue;
            }
            Some(_) => return Err(StoreError::Conflict { id: id.to_string() }),
            None => {}
        }
        let profile_id = post.score.profile_id.as_str();
        match &post.profile {
            Some(profile) => {
                profiled.insert(profile_id, profile);
            }
            None if records.profiles.contains_key(profile_id)
                || round.profiles.contains_key(profile_id)
                || profiled.contains_key(profile_id) => {}
            None => {
                return Err(StoreError::UnknownProfile {
                    profile_id: profile_id.to_string(),
                })
            }
        }
        added.insert(id, &post.score);
        created.push(true);
    }
    let scores = posts
        .iter()
        .zip(&created)
        .filter(|(_, &created)| created)
        .map(|(post, _)| post.score.clone())
        .collect();
    Ok(Plan {
        scores,
        profiles: profiled.into_values().cloned().collect(),
        created,
    })
}

/// Applies every queued call: each is checked in queue order against what the earlier ones
/// added, then everything accepted goes into one new snapshot (built first, committed and
/// swapped after, so a failure changes nothing), and each call gets its answer.
fn apply_round(records: &mut Records, current: &Publisher, queued: Vec<Pending>) {
    let Records {
        documents,
        loaded_version,
        instance,
        writes,
    } = records;
    let documents = documents_of(documents, current);
    let mut round = Round::default();
    let mut accepted = Vec::with_capacity(queued.len());
    for pending in queued {
        match plan(documents, &round, &pending.posts) {
            Ok(plan) => {
                for score in plan.scores {
                    round.scores.insert(score.id.clone(), score);
                }
                for profile in plan.profiles {
                    round.profiles.insert(profile.id.clone(), profile);
                }
                accepted.push((pending, plan.created));
            }
            Err(refused) => {
                let _ = pending.answer.send(Err(refused));
            }
        }
    }

    if !round.scores.is_empty() {
        let scores: Vec<ScoreRecord> = documents
            .scores
            .values()
            .chain(round.scores.values())
            .cloned()
            .collect();
        let profiles: Vec<Profile> = documents
            .profiles
            .iter()
            .filter(|(id, _)| !round.profiles.contains_key(id.as_str()))
            .map(|(_, profile)| profile)
            .chain(round.profiles.values())
            .cloned()
            .collect();
        let engine = Engine::build(scores, profiles);
        documents.scores.extend(round.scores);
        documents.profiles.extend(round.profiles);
        *writes += 1;
        let version = format!("{loaded_version}+{instance:016x}.{writes}");
        current.publish(engine, version);
    }

    let snapshot = current.serving();
    for (pending, created) in accepted {
        let answer = pending
            .posts
            .iter()
            .zip(created)
            .map(|(post, created)| posted_entry(documents, snapshot.engine(), post, created))
            .collect();
        let _ = pending.answer.send(answer);
    }
}

/// The answer for one accepted post: the stored score and profile, with its ranks.
fn posted_entry(
    records: &Documents,
    engine: &Engine,
    post: &NewScore,
    created: bool,
) -> Result<PostedScore, StoreError> {
    let score = records
        .scores
        .get(&post.score.id)
        .cloned()
        .unwrap_or_else(|| post.score.clone());
    let profile = records
        .profiles
        .get(&score.profile_id)
        .cloned()
        .ok_or_else(|| StoreError::UnknownProfile {
            profile_id: score.profile_id.clone(),
        })?;
    let ranks = board_ranks(engine, &score)?;
    Ok(PostedScore {
        score,
        profile,
        created,
        ranks,
    })
}

/// The score's competition rank in the four leaderboards it belongs to: all, its mode, its
/// region, its mode in its region, as the engine ranks it for every read.
fn board_ranks(engine: &Engine, score: &ScoreRecord) -> Result<Vec<BoardRank>, StoreError> {
    let ranks = engine
        .ranks_of(&score.id, score.score)
        .ok_or_else(|| StoreError::Unavailable {
            reason: format!("stored score {:?} is not in the index", score.id),
        })?;
    let mode = Some(score.game_mode.as_str());
    let region = Some(score.game_region.as_str());
    let boards = [(None, None), (mode, None), (None, region), (mode, region)];
    Ok(boards
        .into_iter()
        .zip(ranks)
        .map(|((mode, region), rank)| BoardRank {
            mode: mode.map(str::to_string),
            region: region.map(str::to_string),
            rank,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(id: &str, profile_id: &str, points: i64, mode: &str, region: &str) -> ScoreRecord {
        ScoreRecord {
            id: id.to_string(),
            profile_id: profile_id.to_string(),
            score: points,
            game_mode: mode.to_string(),
            game_region: region.to_string(),
            played_at: None,
        }
    }

    fn profile(id: &str, name: &str) -> Profile {
        Profile {
            id: id.to_string(),
            user_name: name.to_string(),
            avatar_url: String::new(),
            achievements: Vec::new(),
        }
    }

    fn store() -> EmbeddedStore {
        EmbeddedStore::accepting_posts(
            vec![
                score("a", "p1", 900, "Solo", "M"),
                score("b", "p2", 800, "Duo", "M"),
                score("c", "p1", 800, "Solo", "A"),
            ],
            vec![profile("p1", "one"), profile("p2", "two")],
            "v0".to_string(),
        )
    }

    fn post(score: ScoreRecord, profile: Option<Profile>) -> NewScore {
        NewScore::from((score, profile))
    }

    #[tokio::test]
    async fn a_post_is_ranked_and_read_and_bumps_the_version() {
        let store = store();
        let before = store.version().await.unwrap();
        let posted = store
            .post_scores(vec![post(
                score("d", "p3", 850, "Solo", "A"),
                Some(profile("p3", "three")),
            )])
            .await
            .unwrap();
        let ranks: Vec<u64> = posted[0].ranks.iter().map(|r| r.rank).collect();
        assert_eq!(ranks, vec![2, 2, 1, 1]);
        assert!(posted[0].created);
        let after = store.version().await.unwrap();
        assert_ne!(before, after);
        let page = store
            .leaderboard(&LeaderboardQuery::default())
            .await
            .unwrap();
        assert_eq!(page.total_results, 4);
        assert_eq!(page.scores[1].score.id, "d");
        assert_eq!(page.scores[1].profile.user_name, "three");
    }

    #[tokio::test]
    async fn retries_change_nothing_and_conflicts_refuse_the_whole_batch() {
        let store = store();
        let first = post(score("d", "p1", 10, "Solo", "A"), None);
        store.post_scores(vec![first.clone()]).await.unwrap();
        let version = store.version().await.unwrap();
        let retried = store.post_scores(vec![first.clone()]).await.unwrap();
        assert!(!retried[0].created);
        assert_eq!(store.version().await.unwrap(), version);

        let conflicting = post(score("d", "p1", 11, "Solo", "A"), None);
        let fresh = post(score("e", "p1", 12, "Solo", "A"), None);
        assert_eq!(
            store.post_scores(vec![fresh.clone(), conflicting]).await,
            Err(StoreError::Conflict {
                id: "d".to_string()
            })
        );
        let unknown = post(score("f", "nobody", 1, "Solo", "A"), None);
        assert_eq!(
            store.post_scores(vec![fresh, unknown]).await,
            Err(StoreError::UnknownProfile {
                profile_id: "nobody".to_string()
            })
        );
        assert_eq!(store.version().await.unwrap(), version);
        assert_eq!(store.health().await.total_scores, 4);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn queued_calls_share_one_rebuild_and_a_refused_call_spoils_no_other() {
        let store = Arc::new(store());
        let writer = store.writer.clone().unwrap();
        // Hold the writer so that every call below queues up for the same round.
        let held = Arc::clone(&writer.records).lock_owned().await;
        let mut calls = Vec::new();
        for n in 0..10 {
            let store = Arc::clone(&store);
            let new = post(score(&format!("q{n}"), "p1", n, "Solo", "M"), None);
            calls.push(tokio::spawn(
                async move { store.post_scores(vec![new]).await },
            ));
        }
        let conflicting = post(score("a", "p1", 1, "Solo", "M"), None);
        let refused = {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.post_scores(vec![conflicting]).await })
        };
        while writer.queue.lock().unwrap().len() < 11 {
            tokio::task::yield_now().await;
        }
        drop(held);
        for call in calls {
            assert!(call.await.unwrap().unwrap()[0].created);
        }
        assert_eq!(
            refused.await.unwrap(),
            Err(StoreError::Conflict {
                id: "a".to_string()
            })
        );
        assert_eq!(store.health().await.total_scores, 13);
        let version = store.version().await.unwrap();
        assert!(
            version.starts_with("v0+") && version.ends_with(".1"),
            "one rebuild: {version}"
        );
    }

    #[tokio::test]
    async fn a_removed_score_leaves_every_board_and_a_second_removal_changes_nothing() {
        let store = store();
        let before = store.version().await.unwrap();
        let removal = Removal::Score("a".to_string());
        let removed = store.remove(&removal).await.unwrap();
        assert_eq!(
            removed,
            Removed {
                scores: 1,
                profile: false
            }
        );
        let after = store.version().await.unwrap();
        assert_ne!(before, after);
        let page = store
            .leaderboard(&LeaderboardQuery::default())
            .await
            .unwrap();
        let ids: Vec<&str> = page.scores.iter().map(|e| e.score.id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
        assert_eq!(page.scores[0].rank, 1, "ranks close up");
        assert_eq!(store.remove(&removal).await.unwrap(), Removed::NOTHING);
        assert_eq!(
            store.version().await.unwrap(),
            after,
            "a no-op keeps the version"
        );
    }

    #[tokio::test]
    async fn a_removed_player_loses_profile_and_scores_and_cannot_post_without_one() {
        let store = store();
        let removal = Removal::Player("p1".to_string());
        let removed = store.remove(&removal).await.unwrap();
        assert_eq!(
            removed,
            Removed {
                scores: 2,
                profile: true
            }
        );
        let meta = store.meta(leaderboard_model::PlayedAt::MIN).await.unwrap();
        assert_eq!((meta.total_scores, meta.total_players), (1, 1));
        assert_eq!(store.remove(&removal).await.unwrap(), Removed::NOTHING);
        // The profile is gone too: a score for p1 needs a profile again.
        let orphan = post(score("z", "p1", 5, "Solo", "M"), None);
        assert_eq!(
            store.post_scores(vec![orphan]).await,
            Err(StoreError::UnknownProfile {
                profile_id: "p1".to_string()
            })
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn queued_posts_and_removals_apply_in_the_order_asked() {
        let store = Arc::new(store());
        let writer = store.writer.clone().unwrap();
        let held = Arc::clone(&writer.records).lock_owned().await;
        let spawn_post = |id: &'static str| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .post_scores(vec![post(score(id, "p2", 1, "Duo", "M"), None)])
                    .await
            })
        };
        let first = spawn_post("n1");
        while writer.queue.lock().unwrap().is_empty() {
            tokio::task::yield_now().await;
        }
        let removal = {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.remove(&Removal::Score("n1".to_string())).await })
        };
        while writer.queue.lock().unwrap().len() < 2 {
            tokio::task::yield_now().await;
        }
        let second = spawn_post("n2");
        while writer.queue.lock().unwrap().len() < 3 {
            tokio::task::yield_now().await;
        }
        drop(held);
        assert!(first.await.unwrap().unwrap()[0].created);
        assert_eq!(removal.await.unwrap().unwrap().scores, 1, "after the post");
        assert!(second.await.unwrap().unwrap()[0].created);
        let page = store
            .leaderboard(&LeaderboardQuery::default())
            .await
            .unwrap();
        let ids: Vec<&str> = page.scores.iter().map(|e| e.score.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "n2"]);
    }

    /// Posted timed scores reach their periods and the best view at once, and a removal
    /// leaves every period and view, each answer as the reference's.
    #[tokio::test]
    async fn posts_and_removals_reach_every_period_and_view() {
        let now = PlayedAt::parse("2027-01-03T12:00:00Z").unwrap();
        let store = store().with_retention(Retention::default());
        let timed = |id: &str, points: i64, at: &str| {
            let mut s = score(id, "p2", points, "Duo", "M");
            s.played_at = Some(PlayedAt::parse(at).unwrap());
            s
        };
        let posted = [
            timed("d1", 950, "2027-01-03T08:00:00Z"),
            timed("d2", 990, "2027-01-02T23:59:59.999Z"),
            timed("w1", 700, "2026-12-28T00:00:00Z"),
        ];
        for s in &posted {
            store
                .post_scores(vec![post(s.clone(), None)])
                .await
                .unwrap();
        }
        let queries: Vec<LeaderboardQuery> = [
            "period=day",
            "period=day&at=2027-01-02",
            "period=week&view=best",
            "period=month&view=best&mode=Duo",
            "view=best",
            "view=best&sort=player&order=desc",
            "period=week&around=p2",
        ]
        .iter()
        .map(|text| {
            let mut q =
                LeaderboardQuery::from_pairs(form_urlencoded::parse(text.as_bytes())).unwrap();
            q.resolve_period(now, &Retention::default()).unwrap();
            q
        })
        .collect();
        let check = |scores: Vec<ScoreRecord>, profiles: Vec<Profile>| {
            let store = &store;
            let queries = &queries;
            async move {
                for query in queries {
                    let expected =
                        leaderboard_engine::reference::query(&scores, &profiles, query).ok();
                    assert_eq!(store.leaderboard(query).await.ok(), expected, "{query:?}");
                }
                assert_eq!(
                    store.meta(now).await.unwrap(),
                    leaderboard_engine::reference::meta(
                        &scores,
                        &profiles,
                        now,
                        &Retention::default()
                    )
                );
            }
        };
        let mut scores = vec![
            score("a", "p1", 900, "Solo", "M"),
            score("b", "p2", 800, "Duo", "M"),
            score("c", "p1", 800, "Solo", "A"),
        ];
        scores.extend(posted.iter().cloned());
        let profiles = vec![profile("p1", "one"), profile("p2", "two")];
        check(scores.clone(), profiles.clone()).await;
        let day = store.leaderboard(&queries[0]).await.unwrap();
        assert_eq!(day.scores.len(), 1, "today: d1 alone");

        store
            .remove(&Removal::Score("d2".to_string()))
            .await
            .unwrap();
        scores.retain(|s| s.id != "d2");
        check(scores.clone(), profiles.clone()).await;
        assert_eq!(
            store.leaderboard(&queries[1]).await.unwrap().total_results,
            0
        );

        store
            .remove(&Removal::Player("p2".to_string()))
            .await
            .unwrap();
        scores.retain(|s| s.profile_id != "p2");
        check(scores, vec![profile("p1", "one")]).await;
        let meta = store.meta(now).await.unwrap();
        assert_eq!(meta.periods, None, "no timed score left");
    }

    /// Waits until `done` (a condition, never a fixed sleep), for at most a minute.
    async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !done() {
            assert!(std::time::Instant::now() < deadline, "never: {what}");
            tokio::task::yield_now().await;
        }
    }

    /// Queries resolved at `now`, as the HTTP layer resolves them.
    fn resolved(now: PlayedAt, texts: &[&str]) -> Vec<LeaderboardQuery> {
        texts
            .iter()
            .map(|text| {
                let mut q =
                    LeaderboardQuery::from_pairs(form_urlencoded::parse(text.as_bytes())).unwrap();
                q.resolve_period(now, &Retention::default()).unwrap();
                q
            })
            .collect()
    }

    /// The boards warming builds, a sample of each kind.
    const WARM: &[&str] = &[
        "period=day",
        "period=week",
        "period=month&mode=Solo",
        "view=best",
        "period=day&view=best",
        "period=week&view=best&region=M",
        "period=month&view=best&mode=Solo&region=M",
    ];

    fn timed(id: &str, points: i64, at: &str) -> ScoreRecord {
        let mut s = score(id, "p1", points, "Solo", "M");
        s.played_at = Some(PlayedAt::parse(at).unwrap());
        s
    }

    fn all_built(store: &EmbeddedStore, queries: &[LeaderboardQuery]) -> bool {
        let snapshot = store.snapshot();
        queries.iter().all(|q| snapshot.boards.built(q).is_some())
    }

    #[tokio::test]
    async fn a_published_state_has_its_likely_boards_built_without_a_read() {
        let now = PlayedAt::parse("2027-01-03T12:00:00Z").unwrap();
        let store = EmbeddedStore::accepting_posts(
            vec![timed("a", 5, "2027-01-03T08:00:00Z")],
            vec![profile("p1", "one")],
            "v0".to_string(),
        )
        .with_clock(Clock::Fixed(now));
        let queries = resolved(now, WARM);
        let past = &resolved(now, &["period=week&at=2026-12-20", "view=best&mode=Solo"]);
        assert!(!all_built(&store, &queries));
        let warmed = store.warm_up().unwrap().join().unwrap();
        assert_eq!(warmed.boards, 3 + 1 + 3 * 4);
        assert!(all_built(&store, &queries));
        assert!(store.warm_up().is_none(), "one warm-up a state and day");
        assert!(past
            .iter()
            .all(|q| store.snapshot().boards.built(q).is_none()));

        // A post publishes a new state: its boards are built again, with no read.
        let posted = timed("b", 9, "2027-01-03T09:00:00Z");
        store.post_scores(vec![post(posted, None)]).await.unwrap();
        eventually("the posted state's boards built", || {
            all_built(&store, &queries)
        })
        .await;
        let day = store.snapshot().boards.built(&queries[0]).unwrap();
        assert_eq!(day.len(), 2, "the new state's day board holds the post");
        // A removal too.
        store
            .remove(&Removal::Score("a".to_string()))
            .await
            .unwrap();
        eventually("the state after a removal warmed", || {
            all_built(&store, &queries)
        })
        .await;
        assert_eq!(store.snapshot().boards.built(&queries[0]).unwrap().len(), 1);
        assert!(past
            .iter()
            .all(|q| store.snapshot().boards.built(q).is_none()));
    }

    /// Sunday 31 January 2027 to Monday 1 February: a new day, ISO week and month.
    #[tokio::test]
    async fn the_first_read_after_midnight_builds_the_new_periods_boards() {
        let dir = tempfile::tempdir().unwrap();
        let clock_file: std::sync::Arc<std::path::Path> = dir.path().join("now").into();
        let before = "2027-01-31T23:59:59.999Z";
        let after = "2027-02-01T00:00:00Z";
        std::fs::write(&clock_file, before).unwrap();
        let store = EmbeddedStore::accepting_posts(
            vec![timed("a", 5, before), timed("b", 7, after)],
            vec![profile("p1", "one")],
            "v0".to_string(),
        )
        .with_clock(Clock::File(clock_file.clone()));
        store.warm_up().unwrap().join().unwrap();
        let old = resolved(PlayedAt::parse(before).unwrap(), WARM);
        let new = resolved(PlayedAt::parse(after).unwrap(), WARM);
        assert!(all_built(&store, &old));
        assert!(!all_built(&store, &new));

        std::fs::write(&clock_file, after).unwrap();
        // Any read (here all time's) on the new day starts the new periods' warm-up.
        store
            .leaderboard(&LeaderboardQuery::default())
            .await
            .unwrap();
        assert!(store.warm_up().is_none(), "the read started it");
        eventually("the new day's boards built", || all_built(&store, &new)).await;
        let day = store.snapshot().boards.built(&new[0]).unwrap();
        assert_eq!(day.query(&new[0]).unwrap().scores[0].score.id, "b");
    }

    #[tokio::test]
    async fn a_read_only_store_refuses_posts() {
        let store = EmbeddedStore::new(Engine::default(), "v".to_string());
        let result = store
            .post_scores(vec![post(
                score("a", "p", 1, "S", "R"),
                Some(profile("p", "n")),
            )])
            .await;
        assert!(matches!(result, Err(StoreError::Unavailable { .. })));
    }
}
