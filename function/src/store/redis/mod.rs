//! The Redis store: the leaderboard in sorted sets on one Redis server or a Redis Cluster,
//! shared by any number of stateless function replicas, with atomic posts.
//!
//! # Key layout
//!
//! Every key starts with the hash tag `{lb}:`. A *filter selection* is `all`, `m:<mode>`,
//! `r:<region>` or `mr:<byte length of mode>:<mode><region>`; each score is in the four of
//! its mode and region. A *selection* `S` (the suffix of the keys below) is a filter
//! selection in a *scope*, in a view:
//!
//! - scope: all time (empty), or a period: `day:YYYY-MM-DD/`, `week:YYYY-MM-DD/` (the ISO
//!   week's Monday), `month:YYYY-MM-01/` ([`keys::period_scope`]). A timed score is in its
//!   four filter selections in all time and in each of its day, week and month that is
//!   still retained ([`leaderboard_model::Retention`]): 16 selections; an untimed one in 4.
//! - view: every score (`<scope><filter>`, e.g. `week:2026-11-30/m:Solo`), or each player's
//!   best entry there (`view=best`): `<scope>bv:<byte length of F>:<F>` for filter selection
//!   F, and for the groups of `sort=mode|region` over best entries (the key F leaves free),
//!   `<scope>bg:<byte length of F>:<F>m:<mode>` / `…r:<region>` ([`keys::best_view`],
//!   [`keys::best_view_group`]). A view set holds exactly the `best:` entries of its filter
//!   selection (of that mode or region): the best entry of `all` is in 3 view sets, of
//!   `m:`/`r:` in 2, of `mr:` in 1. View sets have `score:` and `name:` sets and prefix
//!   sets; their `around` reads the filter selection's `best:` hash (a player's row).
//!
//! The tokens before the first `:` (`all`, `m`, `r`, `mr`, `day`, `week`, `month`, `bv`,
//! `bg`) differ and lengths delimit names, so selection names are unambiguous.
//!
//! Every key of a period scope expires by itself (`PEXPIREAT`) when its period leaves the
//! retention ([`leaderboard_model::Retention::expires_at`]): no scan, no job. Posts and
//! removals set it on every period key they write, on the function's clock (Redis's clock
//! offset to it, so a test clock and Redis agree); the import on Redis's.
//!
//! | key | type | content |
//! |---|---|---|
//! | `{lb}:score:S` | sorted set, all scores 0 (byte order) | rank keys `R` = 16 hex digits of the score, complemented so bytes sort by score *descending*, then the score id: byte order is leaderboard order (score desc, id asc) |
//! | `{lb}:name:S` | sorted set, all scores 0 | `N ‖ R`, N = escaped lower-cased name, `00 01`, escaped name, `00 01` (NUL escaped as `00 FF`): byte order is player order (name case-insensitively, then raw, then leaderboard order), and a `q` prefix is a contiguous range |
//! | `{lb}:best:S` | hash | profile id → R of the player's best entry in S (for `around`, and what the view sets hold); every-score selections only |
//! | `{lb}:rec` | hash | score id → the score's JSON (as in `scores.json`) |
//! | `{lb}:prof` | hash | profile id → the profile's JSON |
//! | `{lb}:pkey` | hash | profile id → N (so a rename re-keys the player's entries) |
//! | `{lb}:pscores` | sorted set, all scores 0 | escaped profile id, `00 01`, R: each player's entries |
//! | `{lb}:players` | hash | profile id → entries (`HLEN` = players with scores) |
//! | `{lb}:facet:mode`, `{lb}:facet:region` | hash | name → entries (the meta, and the groups of `sort=mode|region`) |
//! | `{lb}:pfx:<byte length of S>:S:<p>` | sorted set, all scores 0 | *prefix set*: the rank keys `R` of the entries of S whose N starts with `p` (an escaped lower-cased name prefix ending at a character boundary), kept for every (S, p) matched by more than T entries, and only for those |
//! | `{lb}:pfxmin` | string | the prefix threshold T (set by `import --prefix-threshold`, default [`keys::DEFAULT_PREFIX_THRESHOLD`] = 4096; an empty store adopts the default on its first post) |
//! | `{lb}:timed` | string | how many scores have a `playedAt` (absent: none, and the meta has no `periods`) |
//! | `{lb}:keys` | set | every all-time data key above (what an import replaces) |
//! | `{lb}:pkeys` | sorted set, score = expiry (Unix seconds) | every period key (what an import replaces; posts drop the expired members, `ZREMRANGEBYSCORE`) |
//! | `{lb}:version`, `{lb}:epoch` | string | write counter (INCR on every change) and the imported data set's token: the store version is `epoch-counter` |
//!
//! # Reads (see [`read`])
//! A query reads the sets of its selection: its filter selection in the scope of its
//! resolved period ([`LeaderboardQuery::period_window`]), in its view; every shape below
//! is the same for every scope and view. The meta adds one `ZCARD` of `score:<scope>all`
//! per retained period (55 by default) to its one pipeline, for `periods.*.withData`.
//! Counts are `ZCARD`/`ZLEXCOUNT`, pages `ZRANGE` by index (never `BYLEX … LIMIT`, which
//! walks the offset), a competition rank is `1 + ZLEXCOUNT score:S - (<score hex>` (entries
//! with a strictly higher score; one per distinct score on the page), `around` is `HGET best:S` then `ZRANK`. `sort=score`
//! and `sort=player` read one set forwards or backwards; `sort=mode|region` over a
//! selection that does not fix that key concatenates the per-mode (per-region) selections
//! in name order, O(#modes) extra `ZCARD`s. `q` under sort=player is a range of the name
//! set. `q` under sort=score|mode|region: one script per read takes, per selection (the
//! selection, or each mode or region group), the match count m = `ZLEXCOUNT` of the prefix
//! range of the name set; when m > T the prefix set holds exactly those m rank keys in
//! leaderboard order and is paged like a score set (`ZRANGE` by index, `ZRANK` for
//! `around`); when m ≤ T the m matches are fetched and sorted in the function, a cost
//! bounded by the constant T. So every shape costs at most six pipelined round trips and
//! O(log n + pageSize) Redis work (ranks: O(pageSize · log n)), plus at most T listed
//! matches per segment for `q`. A prefix set missing while m > T (data imported by a
//! version without prefix sets: no `pfxmin`) falls back to listing all m matches, with a
//! warning logged once; importing again builds the sets.
//!
//! Prefix sets cost memory: every score is in the one-letter prefix set of each of its four
//! selections once T is below those counts, so they cost at least about 4 members per score,
//! and longer prefixes add the rest. T trades that memory and import time against the matches
//! a `q` read of a rarer prefix lists (figures: bench/analysis.md, "Redis store: memory").
//!
//! # Writes (see [`post`], [`import`])
//! A `post_scores` call (one score or a batch) is one Lua script, all or nothing like the
//! embedded store: it first checks every score (idempotent by id: same JSON → `created:
//! false`, other JSON → conflict; an unknown player without a profile → refused) and
//! refuses the whole call on the first problem, before anything changes; then it stores
//! the profiles (the last sent per player wins; a changed name re-keys the player's name
//! entries and moves them between prefix sets), adds each new R to its four score sets,
//! name sets and prefix sets, updates best, facets, players, and INCRs the version once;
//! the ranks it answers are as of the whole call. Each new score goes into its 16 (timed)
//! or 4 selections; where it beats the player's `best:` entry, the old best leaves that
//! filter selection's view sets and the new one enters them (a rename re-keys the view
//! sets' name members too). Prefix sets are kept by walking the
//! name's prefixes in the script: `ZADD` into each existing set, stopping at the first
//! prefix with at most T matches (counts shrink as prefixes grow); a prefix whose count
//! just passed T gets its set built from the name range (O(T)); a rename removes the entry
//! from the sets of prefixes the new name does not share and drops a set whose count fell
//! to T. A post thus costs O(log n) per prefix set it touches (a few per selection), plus
//! O(T) when it creates one. A removal (`remove.rs`, moderation) is one script too,
//! undoing exactly what posts keep: the entry leaves its four selections' sets, its
//! prefix sets (a set whose count falls to T goes), the counts (a field at 0 goes), and
//! the player's `best` moves to their next entry in that selection (the first of the
//! player's remaining entries, in leaderboard order, that the selection's score set holds:
//! a walk bounded by the player's entries), which enters the view sets the removed one
//! left; a player's removal also drops `prof` and `pkey`. Lua never compares strings with `<` (locale collation): byte order questions go
//! to Redis (`ZRANK`), and `==` is byte equality. The import builds `{lb}:staging:*`
//! (prefix sets from each selection's name members sorted once: the entries sharing a
//! prefix are contiguous) and swaps it in with one script.
//!
//! # Cluster, replicas, boards
//! All keys of a board share its hash tag (`{lb}`, or `{lb:<name>}` for a named board, see
//! [`keys::BoardName`]), so they live in one slot on one master: scripts and pipelines are
//! single-slot (which Redis Cluster requires of scripts and redis-rs of pipelines), and every
//! read is one consistent node's view. One board is bounded by one node's memory; several
//! boards spread over the masters (ARCHITECTURE.md, "Beyond one shard"). Reads go to
//! replicas and posts wait for them ([`replication`]); computed pages are shared by every
//! function instance in keys of their own ([`shared`]).
//!
//! # Faults
//! Connections are made lazily with connect and response timeouts ([`conn`]); a
//! connection-level error drops the connection and the next request reconnects. Redis down
//! means `Unavailable` (503 with `Retry-After`) within the timeouts, never a hang.

pub mod conn;
pub mod import;
pub mod keys;
mod lua;
pub mod post;
pub mod read;
pub mod remove;
pub mod replication;
pub mod shared;

use async_trait::async_trait;
use leaderboard_model::{
    HealthResponse, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, PlayedAt, PostedScore,
    Retention, StoreStatus,
};
use redis::RedisError;
use std::time::Duration;

pub use conn::{BadRedisUrl, RedisTarget};

use crate::clock::Clock;

use super::{LeaderboardStore, NewScore, Removal, Removed, StoreError};
use conn::{bounded, Conn, Connector};
use keys::{selection, BoardName, Keys};
use post::PostError;
use read::{ReadError, ReadPathCounts, ReadPaths};
use replication::Confirmation;
pub use shared::SharedCacheConfig;

/// How long a post waits for its replicas to confirm it by default.
pub const DEFAULT_REPLICA_WAIT: Duration = Duration::from_millis(1000);

/// The leaderboard on Redis.
pub struct RedisStore {
    connector: Connector,
    keys: Keys,
    paths: ReadPaths,
    replica_wait: Duration,
    shared: SharedCacheConfig,
    /// How many periods of each kind stay readable (a period's keys expire after).
    retention: Retention,
    clock: Clock,
}

impl RedisStore {
    /// A store for `target`. Connects lazily: Redis need not be up yet.
    pub fn new(target: RedisTarget) -> RedisStore {
        RedisStore {
            connector: Connector::new(target),
            keys: Keys::live(),
            paths: ReadPaths::default(),
            replica_wait: DEFAULT_REPLICA_WAIT,
            shared: SharedCacheConfig::OFF,
            retention: Retention::default(),
            clock: Clock::System,
        }
    }

    /// The clock that decides which periods a post or removal still writes, and when their
    /// keys expire (Redis's own clock is offset to it): the server's (a test clock too).
    pub fn with_clock(mut self, clock: Clock) -> RedisStore {
        self.clock = clock;
        self
    }

    /// Keeps `retention` periods of each kind readable (the server's `--retention-*`;
    /// [`Retention::default`] otherwise), and so when each period's keys expire (by
    /// themselves, `EXPIREAT`). Imports must use the same retention as the servers.
    pub fn with_retention(mut self, retention: Retention) -> RedisStore {
        self.retention = retention;
        self
    }

    /// The retention this store keeps.
    pub fn retention(&self) -> &Retention {
        &self.retention
    }

    /// Serves `board` (its keys under `{lb:<board>}`) instead of the default board.
    pub fn with_board(mut self, board: Option<&BoardName>) -> RedisStore {
        self.keys = Keys::of_board(board);
        self
    }

    /// Turns on the shared body cache (see [`shared`]) with these limits.
    pub fn with_shared_cache(mut self, config: SharedCacheConfig) -> RedisStore {
        self.shared = config;
        self
    }

    /// How long a post waits for the replicas to confirm it before answering that they did
    /// not (see [`replication`]).
    pub fn with_replica_wait(mut self, wait: Duration) -> RedisStore {
        self.replica_wait = wait;
        self
    }

    pub fn target(&self) -> &RedisTarget {
        self.connector.target()
    }

    /// How this store's `q` reads under a score order were answered (prefix set, listed
    /// matches, fallback), for tests and diagnostics.
    pub fn read_paths(&self) -> ReadPathCounts {
        self.paths.counts()
    }

    /// Runs the read `work` on the reader (a replica, when there are some); a failure there
    /// (the replica is down, syncing, or cut off from the primary) is retried once on the
    /// writer, so reads keep answering while a replica fails.
    async fn read<T, F, W>(&self, work: W) -> Result<T, StoreError>
    where
        W: Fn(Conn) -> F,
        F: std::future::Future<Output = Result<T, ReadError>>,
    {
        if self.connector.has_reader() {
            if let Ok(conn) = bounded(self.connector.get_reader()).await {
                match tokio::time::timeout(conn::RESPONSE_TIMEOUT * 2, work(conn)).await {
                    Ok(Ok(answer)) => return Ok(answer),
                    Ok(Err(ReadError::PlayerNotFound { profile_id })) => {
                        return Err(StoreError::PlayerNotFound { profile_id })
                    }
                    Ok(Err(_)) | Err(_) => self.connector.read_failed().await,
                }
            }
        }
        let conn = self.conn().await?;
        match tokio::time::timeout(conn::RESPONSE_TIMEOUT * 2, work(conn)).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(e)) => Err(self.read_error(e).await),
            Err(_) => Err(StoreError::Unavailable {
                reason: "Redis did not answer in time".to_string(),
            }),
        }
    }

    async fn conn(&self) -> Result<Conn, StoreError> {
        match bounded(self.connector.get()).await {
            Ok(conn) => Ok(conn),
            Err(e) => Err(self.unavailable(e).await),
        }
    }

    async fn unavailable(&self, error: RedisError) -> StoreError {
        self.connector.failed(&error).await;
        StoreError::Unavailable {
            reason: format!("Redis at {}: {error}", self.connector.target()),
        }
    }

    async fn read_error(&self, error: ReadError) -> StoreError {
        match error {
            ReadError::PlayerNotFound { profile_id } => StoreError::PlayerNotFound { profile_id },
            ReadError::Redis(e) => self.unavailable(e).await,
            ReadError::Inconsistent(what) => StoreError::Unavailable {
                reason: format!("Redis data is inconsistent: {what}"),
            },
        }
    }

    async fn version_and_total(&self) -> Result<(String, u64), StoreError> {
        let mut pipe = redis::pipe();
        pipe.get(self.keys.epoch())
            .get(self.keys.version())
            .zcard(self.keys.score(&selection(None, None)));
        let pipe = &pipe;
        let (epoch, counter, total) = self
            .read(|mut conn| async move {
                Ok(pipe
                    .query_async::<(Option<String>, Option<u64>, u64)>(&mut conn)
                    .await?)
            })
            .await?;
        Ok((version_token(epoch, counter), total))
    }
}

#[async_trait]
impl LeaderboardStore for RedisStore {
    async fn leaderboard(
        &self,
        query: &LeaderboardQuery,
    ) -> Result<LeaderboardResponse, StoreError> {
        self.read(|mut conn| async move {
            read::leaderboard(&mut conn, &self.keys, query, &self.paths).await
        })
        .await
    }

    async fn meta(&self, now: PlayedAt) -> Result<LeaderboardMeta, StoreError> {
        self.read(|mut conn| async move {
            read::meta(&mut conn, &self.keys, now, &self.retention).await
        })
        .await
    }

    async fn version(&self) -> Result<String, StoreError> {
        // Asked by every request: one command (both keys share the board's slot).
        let mut mget = redis::cmd("MGET");
        mget.arg(self.keys.epoch()).arg(self.keys.version());
        let mget = &mget;
        let (epoch, counter) = self
            .read(|mut conn| async move {
                Ok(mget
                    .query_async::<(Option<String>, Option<u64>)>(&mut conn)
                    .await?)
            })
            .await?;
        Ok(version_token(epoch, counter))
    }

    async fn health(&self) -> HealthResponse {
        let (status, version, total_scores) = match self.version_and_total().await {
            Ok((version, total)) => (StoreStatus::Ok, version, total),
            Err(_) => (StoreStatus::Unavailable, String::new(), 0),
        };
        HealthResponse {
            status,
            store: "redis".to_string(),
            version,
            total_scores,
            service_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    fn shares_bodies(&self) -> bool {
        self.shared.enabled()
    }

    async fn shared_bodies(&self, key: &str, forms: &[char]) -> Vec<Option<Vec<u8>>> {
        if !self.shared.enabled() {
            return Vec::new();
        }
        let namespace = self.keys.prefix.as_str();
        self.read(
            |mut conn| async move { Ok(shared::fetch(&mut conn, namespace, key, forms).await?) },
        )
        .await
        .unwrap_or_default()
    }

    async fn share_bodies(&self, key: &str, bodies: &[(char, &[u8])]) {
        if !self.shared.enabled() {
            return;
        }
        let Ok(mut conn) = self.conn().await else {
            return;
        };
        let kept = shared::keep(&mut conn, self.shared, &self.keys.prefix, key, bodies);
        if let Err(e) = bounded(kept).await {
            self.connector.failed(&e).await;
        }
    }

    async fn post_scores(&self, posts: Vec<NewScore>) -> Result<Vec<PostedScore>, StoreError> {
        let mut conn = self.conn().await?;
        // One script for the whole call: all or nothing, like the embedded store.
        let answers = match bounded_post(post::post_all(
            &mut conn,
            &self.keys,
            &self.retention,
            self.clock.now(),
            &posts,
        ))
        .await
        {
            Ok(answers) => answers,
            Err(PostError::Conflict { id }) => return Err(StoreError::Conflict { id }),
            Err(PostError::UnknownProfile { profile_id }) => {
                return Err(StoreError::UnknownProfile { profile_id })
            }
            Err(PostError::Read(e)) => return Err(self.read_error(e).await),
        };
        self.confirm_replicas(&mut conn).await?;
        Ok(answers)
    }

    async fn remove(&self, removal: &Removal) -> Result<Removed, StoreError> {
        let mut conn = self.conn().await?;
        let work = remove::remove(
            &mut conn,
            &self.keys,
            &self.retention,
            self.clock.now(),
            removal,
        );
        match tokio::time::timeout(conn::RESPONSE_TIMEOUT * 2, work).await {
            Ok(Ok(removed)) => {
                self.confirm_replicas(&mut conn).await?;
                Ok(removed)
            }
            Ok(Err(e)) => Err(self.read_error(e).await),
            Err(_) => Err(StoreError::Unavailable {
                reason: "Redis did not answer the removal in time".to_string(),
            }),
        }
    }
}

impl RedisStore {
    /// Read your writes: a write is acknowledged only once every replica a read may go to
    /// has it (nothing to wait for without replicas).
    async fn confirm_replicas(&self, conn: &mut Conn) -> Result<(), StoreError> {
        if !self.connector.has_replicas() {
            return Ok(());
        }
        let slot_key = self.keys.version();
        let confirmed = replication::confirm(conn, slot_key.as_bytes(), self.replica_wait);
        let deadline = self.replica_wait + conn::RESPONSE_TIMEOUT;
        match tokio::time::timeout(deadline, confirmed).await {
            Ok(Ok(Confirmation::Confirmed)) => Ok(()),
            Ok(Ok(Confirmation::Unconfirmed { acked, wanted })) => {
                Err(StoreError::Unconfirmed { acked, wanted })
            }
            Ok(Err(e)) => Err(self.unavailable(e).await),
            Err(_) => Err(StoreError::Unconfirmed {
                acked: 0,
                wanted: 1,
            }),
        }
    }
}

/// The store version: the imported data set's token and the write counter.
fn version_token(epoch: Option<String>, counter: Option<u64>) -> String {
    format!(
        "redis-{}-{}",
        epoch.unwrap_or_else(|| "empty".to_string()),
        counter.unwrap_or(0)
    )
}

async fn bounded_post<T>(
    work: impl std::future::Future<Output = Result<T, PostError>>,
) -> Result<T, PostError> {
    match tokio::time::timeout(conn::RESPONSE_TIMEOUT * 2, work).await {
        Ok(result) => result,
        Err(_) => Err(PostError::Read(ReadError::Redis(RedisError::from(
            std::io::Error::new(std::io::ErrorKind::TimedOut, "posting to Redis"),
        )))),
    }
}
