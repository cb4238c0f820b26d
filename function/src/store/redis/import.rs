//! `leaderboard-function import`: bulk-load the game's documents into Redis.
//!
//! The data directory is read with [`crate::data::load_dir`] (the same bad-data policy as
//! the embedded store), every key is written under the staging namespace in pipelined
//! batches of variadic commands, and one Lua script then swaps the staged keys in for the
//! live ones (UNLINK the old, RENAME the new) and bumps the version, atomically. Readers see
//! the old data set or the new one, never a mix; running the import twice gives the same
//! store. Scores posted while an import runs are replaced by the imported data set.
//!
//! Period keys (the selections of each retained day, week and month, on Redis's clock)
//! are listed in `pkeys` with their expiry and get it (`EXPIREAT`) once all are written;
//! the swap RENAMEs them, which keeps it. The `view=best` sets come from each selection's
//! best entries.
//!
//! The prefix sets (`{lb}:pfx:…`, one per selection and name prefix matched by more than
//! the threshold T) come from each selection's name members sorted once: the entries whose
//! names share a prefix are contiguous there, so one pass with a stack of open prefixes
//! finds every run longer than T.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use leaderboard_model::{Period, PeriodKind, Profile, Retention, ScoreRecord};
use redis::{RedisError, Script};

use super::conn::{connect_with_response_timeout, Conn, RedisTarget, BULK_RESPONSE_TIMEOUT};
use super::keys::{
    best_view, best_view_group, id_of_rank_key, name_key, name_member, period_scope, player_prefix,
    rank_key, rank_key_of_name_member, search_prefix_ends, selection, selections_of, BoardName,
    Keys,
};
use crate::data::{load_dir, LoadError, LoadOptions};

/// Members (or field/value pairs) per command, and commands per pipeline.
const MEMBERS_PER_COMMAND: usize = 1000;
const COMMANDS_PER_PIPELINE: usize = 64;

/// ARGV: 1 live prefix, 2 staging prefix, 3 epoch. Replaces every live data key by its
/// staged twin, atomically: the all-time keys listed in `keys`, the period keys in
/// `pkeys` (a renamed key keeps its expiry).
const SWAP_SCRIPT: &str = r#"
local live, staging = ARGV[1], ARGV[2]
for _, k in ipairs(redis.call('SMEMBERS', live .. 'keys')) do redis.call('UNLINK', k) end
for _, k in ipairs(redis.call('ZRANGE', live .. 'pkeys', 0, -1)) do redis.call('UNLINK', k) end
redis.call('UNLINK', live .. 'keys', live .. 'pkeys')
local staged = redis.call('SMEMBERS', staging .. 'keys')
for _, k in ipairs(staged) do
  local target = live .. string.sub(k, #staging + 1)
  if redis.call('EXISTS', k) == 1 then redis.call('RENAME', k, target) end
  redis.call('SADD', live .. 'keys', target)
end
local periods = redis.call('ZRANGE', staging .. 'pkeys', 0, -1, 'WITHSCORES')
for i = 1, #periods, 2 do
  local k = periods[i]
  if redis.call('EXISTS', k) == 1 then
    local target = live .. string.sub(k, #staging + 1)
    redis.call('RENAME', k, target)
    redis.call('ZADD', live .. 'pkeys', periods[i + 1], target)
  end
end
redis.call('UNLINK', staging .. 'keys', staging .. 'pkeys')
redis.call('SET', live .. 'epoch', ARGV[3])
return redis.call('INCR', live .. 'version')
"#;

/// Why an import failed.
#[derive(Debug)]
pub enum ImportError {
    Load(LoadError),
    Redis(RedisError),
    /// Swapped in on the primary, but not every replica had it within [`REPLICA_WAIT`].
    Unreplicated {
        acked: usize,
        wanted: usize,
    },
}

/// How long an import waits for the replicas to have the new data set.
pub const REPLICA_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Load(e) => write!(f, "cannot load the data: {e}"),
            ImportError::Redis(e) => write!(f, "Redis: {e}"),
            ImportError::Unreplicated { acked, wanted } => write!(
                f,
                "the data set is live on the primary, but only {acked} of {wanted} replicas \
                 had it after {}s: functions reading from the others serve the old data \
                 until they catch up",
                REPLICA_WAIT.as_secs()
            ),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<RedisError> for ImportError {
    fn from(e: RedisError) -> Self {
        ImportError::Redis(e)
    }
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub scores: usize,
    pub profiles: usize,
    pub warnings: Vec<String>,
    pub seconds: f64,
    pub version: String,
}

/// Pipelines sent but not yet answered, at most this many: the client builds the next
/// batch while Redis applies the previous ones.
const PIPELINES_IN_FLIGHT: usize = 4;

/// Commands waiting to be sent, and pipelines in flight.
struct Writer {
    conn: Conn,
    pipe: redis::Pipeline,
    queued: usize,
    in_flight: std::collections::VecDeque<tokio::task::JoinHandle<Result<(), RedisError>>>,
    members_written: u64,
    members_total: u64,
    progress: bool,
}

impl Writer {
    async fn push(&mut self, command: redis::Cmd, members: usize) -> Result<(), RedisError> {
        self.pipe.add_command(command).ignore();
        self.queued += 1;
        self.members_written += members as u64;
        if self.queued >= COMMANDS_PER_PIPELINE {
            self.send().await?;
        }
        Ok(())
    }

    /// Sends the queued commands, first waiting for the oldest pipeline when too many are
    /// in flight.
    async fn send(&mut self) -> Result<(), RedisError> {
        if self.queued == 0 {
            return Ok(());
        }
        while self.in_flight.len() >= PIPELINES_IN_FLIGHT {
            self.wait_oldest().await?;
        }
        let pipe = std::mem::replace(&mut self.pipe, redis::pipe());
        let mut conn = self.conn.clone();
        self.in_flight.push_back(tokio::spawn(async move {
            pipe.query_async::<()>(&mut conn).await
        }));
        self.queued = 0;
        if self.progress {
            eprint!(
                "\rimporting: {:>3}% ({} of {} set members)",
                self.members_written * 100 / self.members_total.max(1),
                self.members_written,
                self.members_total
            );
        }
        Ok(())
    }

    async fn wait_oldest(&mut self) -> Result<(), RedisError> {
        match self.in_flight.pop_front() {
            Some(task) => task.await.map_err(|e| {
                RedisError::from(std::io::Error::other(format!("an import task failed: {e}")))
            })?,
            None => Ok(()),
        }
    }

    /// Sends everything and waits for every answer.
    async fn finish(&mut self) -> Result<(), RedisError> {
        self.send().await?;
        while !self.in_flight.is_empty() {
            self.wait_oldest().await?;
        }
        Ok(())
    }

    /// `ZADD key 0 m 0 m ...` in chunks.
    async fn lex_set<K: redis::ToRedisArgs, M: AsRef<[u8]>>(
        &mut self,
        key: &K,
        members: &[M],
    ) -> Result<(), RedisError> {
        for chunk in members.chunks(MEMBERS_PER_COMMAND) {
            let mut cmd = redis::cmd("ZADD");
            cmd.arg(key);
            for member in chunk {
                cmd.arg(0).arg(member.as_ref());
            }
            self.push(cmd, chunk.len()).await?;
        }
        Ok(())
    }

    /// `HSET key f v f v ...` in chunks.
    async fn hash<F: redis::ToRedisArgs, V: redis::ToRedisArgs>(
        &mut self,
        key: &str,
        pairs: &[(F, V)],
    ) -> Result<(), RedisError> {
        for chunk in pairs.chunks(MEMBERS_PER_COMMAND) {
            let mut cmd = redis::cmd("HSET");
            cmd.arg(key);
            for (field, value) in chunk {
                cmd.arg(field).arg(value);
            }
            self.push(cmd, chunk.len()).await?;
        }
        Ok(())
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Loads `data_dir` and replaces the store at `target` with it, with prefix sets for every
/// name prefix matched by more than `prefix_threshold` scores of a selection.
pub async fn import(
    data_dir: &Path,
    target: &RedisTarget,
    options: LoadOptions,
    prefix_threshold: u64,
    board: Option<&BoardName>,
    retention: Retention,
) -> Result<ImportSummary, ImportError> {
    let started = Instant::now();
    let loaded = load_dir(data_dir, options).map_err(ImportError::Load)?;
    let mut conn = connect_with_response_timeout(target, BULK_RESPONSE_TIMEOUT).await?;
    let (live, staging) = (Keys::of_board(board), Keys::staging_of_board(board));
    clear_staging(&mut conn, &staging).await?;
    let (scores, profiles) = (loaded.scores, loaded.profiles);
    // Periods no longer retained on Redis's clock (what expires the keys) are not written.
    let (now, _micros): (u64, u64) = redis::cmd("TIME").query_async(&mut conn).await?;
    let layout = Layout::build(&scores, &profiles, prefix_threshold, &retention, now);
    let progress = std::io::stderr().is_terminal();
    let mut writer = Writer {
        conn: conn.clone(),
        pipe: redis::pipe(),
        queued: 0,
        in_flight: std::collections::VecDeque::new(),
        members_written: 0,
        members_total: layout.member_count(),
        progress,
    };
    // The manifest first, so a crashed import's keys are found and cleared next time.
    let (manifest, period_keys) = layout.keys(&staging);
    for chunk in manifest.chunks(MEMBERS_PER_COMMAND) {
        let mut cmd = redis::cmd("SADD");
        cmd.arg(staging.manifest()).arg(chunk);
        writer.push(cmd, 0).await?;
    }
    for chunk in period_keys.chunks(MEMBERS_PER_COMMAND) {
        let mut cmd = redis::cmd("ZADD");
        cmd.arg(staging.period_manifest());
        for (key, expiry) in chunk {
            cmd.arg(expiry).arg(key);
        }
        writer.push(cmd, 0).await?;
    }
    writer.finish().await?;
    layout.write(&staging, &mut writer).await?;
    writer.finish().await?;
    // Pipelines in flight may run in any order: the expiries go once every key exists
    // (a RENAME keeps them).
    for (key, expiry) in &period_keys {
        let mut cmd = redis::cmd("EXPIREAT");
        cmd.arg(key).arg(expiry);
        writer.push(cmd, 0).await?;
    }
    writer.finish().await?;
    if progress {
        eprintln!();
    }
    let epoch = format!(
        "{:x}-{}",
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
        loaded.version
    );
    let counter: u64 = Script::new(SWAP_SCRIPT)
        .key(live.version())
        .arg(&live.prefix)
        .arg(&staging.prefix)
        .arg(&epoch)
        .invoke_async(&mut conn)
        .await?;
    // Functions read from replicas: the import is done when they have it (as a post is).
    let confirmation =
        super::replication::confirm(&mut conn, live.version().as_bytes(), REPLICA_WAIT).await?;
    if let super::replication::Confirmation::Unconfirmed { acked, wanted } = confirmation {
        return Err(ImportError::Unreplicated { acked, wanted });
    }
    let (score_count, profile_count) = (scores.len(), profiles.len());
    // Freeing ~10 million small allocations takes seconds: do it off the caller's path
    // (a command exits without waiting for it).
    std::thread::spawn(move || drop((layout, scores, profiles)));
    Ok(ImportSummary {
        scores: score_count,
        profiles: profile_count,
        warnings: loaded.warnings,
        seconds: started.elapsed().as_secs_f64(),
        version: format!("{epoch}-{counter}"),
    })
}

/// Removes what an interrupted import left in the staging namespace.
async fn clear_staging(conn: &mut Conn, staging: &Keys) -> Result<(), RedisError> {
    let mut leftovers: Vec<Vec<u8>> = redis::cmd("SMEMBERS")
        .arg(staging.manifest())
        .query_async(conn)
        .await?;
    let period_leftovers: Vec<Vec<u8>> = redis::cmd("ZRANGE")
        .arg(staging.period_manifest())
        .arg(0)
        .arg(-1)
        .query_async(conn)
        .await?;
    leftovers.extend(period_leftovers);
    leftovers.push(staging.period_manifest().into_bytes());
    for chunk in leftovers.chunks(MEMBERS_PER_COMMAND) {
        redis::cmd("UNLINK")
            .arg(chunk)
            .query_async::<()>(&mut *conn)
            .await?;
    }
    redis::cmd("UNLINK")
        .arg(staging.manifest())
        .query_async::<()>(conn)
        .await
}

/// Every member of every key, computed from the documents.
struct Layout {
    records: Vec<(String, String)>,
    profiles: Vec<(String, String)>,
    name_keys: Vec<(String, Vec<u8>)>,
    player_scores: Vec<Vec<u8>>,
    players: Vec<(String, u64)>,
    modes: Vec<(String, u64)>,
    regions: Vec<(String, u64)>,
    /// Scores with a `playedAt`.
    timed: u64,
    /// Per selection (filter selections in all time and each retained period, and their
    /// `view=best` sets): rank keys, name members, best entry per player, prefix runs.
    selections: BTreeMap<String, SelectionLayout>,
    prefix_threshold: u64,
}

#[derive(Default)]
struct SelectionLayout {
    ranks: Vec<Vec<u8>>,
    names: Vec<Vec<u8>>,
    /// Profile id → rank key of the player's best entry (filter selections only).
    best: HashMap<String, String>,
    /// The prefixes matched by more than the threshold, each with its run of `names`.
    prefix_runs: Vec<PrefixRun>,
    /// When the selection's period stops being retained (Unix seconds); `None`: all time.
    expires: Option<u64>,
}

/// A filter selection in a scope: what its best entries' view sets are made from.
struct FilterSelection {
    scope: String,
    /// Index among a score's four selections (all, mode, region, both).
    index: usize,
    selection: String,
}

/// The `view=best` selections where the best entry (of `mode`, `region`) of the
/// `index`-th filter selection `selection` of `scope` is listed: as `view_sets` in `lua.rs`.
fn view_sets(filter: &FilterSelection, mode: &str, region: &str) -> Vec<String> {
    let (scope, s) = (filter.scope.as_str(), filter.selection.as_str());
    let by_mode = || best_view_group(scope, s, &selection(Some(mode), None));
    let by_region = || best_view_group(scope, s, &selection(None, Some(region)));
    let mut sets = vec![best_view(scope, s)];
    match filter.index {
        0 => sets.extend([by_mode(), by_region()]),
        1 => sets.push(by_region()),
        2 => sets.push(by_mode()),
        _ => {}
    }
    sets
}

/// A name prefix and the contiguous run `start..end` of sorted name members matching it.
struct PrefixRun {
    prefix: Vec<u8>,
    start: usize,
    end: usize,
}

/// Every prefix (at char boundaries of the escaped lower-cased name) matched by more than
/// `threshold` of the sorted name members `names`: one pass, keeping a stack of the
/// prefixes the current member shares with the previous one.
fn prefix_runs(names: &[Vec<u8>], threshold: u64) -> Vec<PrefixRun> {
    let mut runs = Vec::new();
    // (prefix end in bytes, index of the first member with that prefix)
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut previous: &[u8] = &[];
    let mut close = |open: &mut Vec<(usize, usize)>, keep: usize, end: usize, prev: &[u8]| {
        while let Some(&(length, start)) = open.last() {
            if length <= keep {
                break;
            }
            open.pop();
            if (end - start) as u64 > threshold {
                runs.push(PrefixRun {
                    prefix: prev[..length].to_vec(),
                    start,
                    end,
                });
            }
        }
    };
    for (index, member) in names.iter().enumerate() {
        let ends = search_prefix_ends(member);
        let lowered = &member[..ends.last().copied().unwrap_or(0)];
        let shared = lowered
            .iter()
            .zip(previous)
            .take_while(|(a, b)| a == b)
            .count();
        close(&mut open, shared, index, previous);
        for end in ends {
            if end > shared {
                open.push((end, index));
            }
        }
        previous = lowered;
    }
    close(&mut open, 0, names.len(), previous);
    runs
}

impl Layout {
    fn build(
        scores: &[ScoreRecord],
        profiles: &[Profile],
        prefix_threshold: u64,
        retention: &Retention,
        now: u64,
    ) -> Layout {
        let name_keys: HashMap<&str, Vec<u8>> = profiles
            .iter()
            .map(|p| (p.id.as_str(), name_key(&p.user_name)))
            .collect();
        let mut selections: BTreeMap<String, SelectionLayout> = BTreeMap::new();
        let mut filters: Vec<(String, FilterSelection)> = Vec::new();
        let mut players: BTreeMap<String, u64> = BTreeMap::new();
        let mut modes: BTreeMap<String, u64> = BTreeMap::new();
        let mut regions: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_id: HashMap<&str, &ScoreRecord> = HashMap::with_capacity(scores.len());
        let mut player_scores = Vec::with_capacity(scores.len());
        let mut records = Vec::with_capacity(scores.len());
        let mut timed = 0;
        let mut periods = HashMap::new();
        for score in scores {
            // The loader keeps only scores whose profile it kept.
            let Some(name) = name_keys.get(score.profile_id.as_str()) else {
                continue;
            };
            by_id.insert(score.id.as_str(), score);
            let rank = rank_key(score);
            let mut owner = player_prefix(&score.profile_id);
            owner.extend_from_slice(rank.as_bytes());
            player_scores.push(owner);
            records.push((score.id.clone(), to_json(score)));
            *players.entry(score.profile_id.clone()).or_default() += 1;
            *modes.entry(score.game_mode.clone()).or_default() += 1;
            *regions.entry(score.game_region.clone()).or_default() += 1;
            timed += u64::from(score.played_at.is_some());
            for (scope, expires) in scopes_of(score, retention, now, &mut periods) {
                for (index, filter) in selections_of(score).into_iter().enumerate() {
                    let full = format!("{scope}{filter}");
                    let layout = selections.entry(full.clone()).or_insert_with(|| {
                        filters.push((
                            full,
                            FilterSelection {
                                scope: scope.clone(),
                                index,
                                selection: filter,
                            },
                        ));
                        SelectionLayout {
                            expires,
                            ..SelectionLayout::default()
                        }
                    });
                    layout.ranks.push(rank.as_bytes().to_vec());
                    layout.names.push(name_member(name, &rank));
                    match layout.best.get_mut(&score.profile_id) {
                        Some(best) if *best <= rank => {}
                        Some(best) => *best = rank.clone(),
                        None => {
                            layout.best.insert(score.profile_id.clone(), rank.clone());
                        }
                    }
                }
            }
        }
        // view=best: each filter selection's best entries, in its view sets.
        let mut views: BTreeMap<String, SelectionLayout> = BTreeMap::new();
        for (full, filter) in &filters {
            let Some(layout) = selections.get(full) else {
                continue;
            };
            for (profile_id, rank) in &layout.best {
                let (Some(score), Some(name)) = (
                    id_of_rank_key(rank).and_then(|id| by_id.get(id)),
                    name_keys.get(profile_id.as_str()),
                ) else {
                    continue;
                };
                for view in view_sets(filter, &score.game_mode, &score.game_region) {
                    let view = views.entry(view).or_insert_with(|| SelectionLayout {
                        expires: layout.expires,
                        ..SelectionLayout::default()
                    });
                    view.ranks.push(rank.as_bytes().to_vec());
                    view.names.push(name_member(name, rank));
                }
            }
        }
        selections.extend(views);
        // Sorted members make ZADD append at the tail of the skiplist.
        for layout in selections.values_mut() {
            layout.ranks.sort_unstable();
            layout.names.sort_unstable();
            layout.prefix_runs = prefix_runs(&layout.names, prefix_threshold);
        }
        player_scores.sort_unstable();
        Layout {
            records,
            profiles: profiles
                .iter()
                .map(|p| (p.id.clone(), to_json(p)))
                .collect(),
            name_keys: profiles
                .iter()
                .map(|p| (p.id.clone(), name_key(&p.user_name)))
                .collect(),
            player_scores,
            players: players.into_iter().collect(),
            modes: modes.into_iter().collect(),
            regions: regions.into_iter().collect(),
            timed,
            selections,
            prefix_threshold,
        }
    }

    fn member_count(&self) -> u64 {
        let per_selection: usize = self
            .selections
            .values()
            .map(|s| {
                s.ranks.len()
                    + s.names.len()
                    + s.best.len()
                    + s.prefix_runs.iter().map(|r| r.end - r.start).sum::<usize>()
            })
            .sum();
        (self.records.len()
            + self.profiles.len()
            + self.name_keys.len()
            + self.player_scores.len()
            + per_selection) as u64
    }

    /// The keys to write: all-time ones (for `keys`), and period ones with their expiry
    /// (for `pkeys`).
    #[allow(clippy::type_complexity)]
    fn keys(&self, keys: &Keys) -> (Vec<Vec<u8>>, Vec<(Vec<u8>, u64)>) {
        let mut all: BTreeSet<Vec<u8>> = keys.fixed().into_iter().map(String::into_bytes).collect();
        all.insert(keys.prefix_threshold().into_bytes());
        let mut periods = Vec::new();
        for (selection, layout) in &self.selections {
            let mut of_selection = vec![
                keys.score(selection).into_bytes(),
                keys.name(selection).into_bytes(),
            ];
            if !layout.best.is_empty() {
                of_selection.push(keys.best(selection).into_bytes());
            }
            for run in &layout.prefix_runs {
                of_selection.push(keys.prefix_set(selection, &run.prefix));
            }
            match layout.expires {
                None => all.extend(of_selection),
                Some(expiry) => periods.extend(of_selection.into_iter().map(|k| (k, expiry))),
            }
        }
        (all.into_iter().collect(), periods)
    }

    async fn write(&self, keys: &Keys, writer: &mut Writer) -> Result<(), RedisError> {
        writer.hash(&keys.records(), &self.records).await?;
        writer.hash(&keys.profiles(), &self.profiles).await?;
        writer.hash(&keys.name_keys(), &self.name_keys).await?;
        writer.hash(&keys.players(), &self.players).await?;
        writer.hash(&keys.mode_counts(), &self.modes).await?;
        writer.hash(&keys.region_counts(), &self.regions).await?;
        let mut threshold = redis::cmd("SET");
        threshold
            .arg(keys.prefix_threshold())
            .arg(self.prefix_threshold);
        writer.push(threshold, 0).await?;
        if self.timed > 0 {
            let mut timed = redis::cmd("SET");
            timed.arg(keys.timed()).arg(self.timed);
            writer.push(timed, 0).await?;
        }
        writer
            .lex_set(&keys.player_scores(), &self.player_scores)
            .await?;
        for (selection, layout) in &self.selections {
            writer
                .lex_set(&keys.score(selection), &layout.ranks)
                .await?;
            writer.lex_set(&keys.name(selection), &layout.names).await?;
            let best: Vec<(&String, &String)> = layout.best.iter().collect();
            writer.hash(&keys.best(selection), &best).await?;
            for run in &layout.prefix_runs {
                let mut ranks: Vec<&[u8]> = layout.names[run.start..run.end]
                    .iter()
                    .filter_map(|member| rank_key_of_name_member(member).map(str::as_bytes))
                    .collect();
                ranks.sort_unstable();
                let key = keys.prefix_set(selection, &run.prefix);
                writer.lex_set(&key, &ranks).await?;
            }
        }
        Ok(())
    }
}

/// The scopes (`keys::period_scope`) a score is in, each with its expiry (Unix seconds):
/// all time, and each period of its `playedAt` still retained at `now`.
fn scopes_of(
    score: &ScoreRecord,
    retention: &Retention,
    now: u64,
    known: &mut HashMap<Period, Option<(String, u64)>>,
) -> Vec<(String, Option<u64>)> {
    let mut scopes = vec![(String::new(), None)];
    let Some(at) = score.played_at else {
        return scopes;
    };
    for kind in PeriodKind::RESETTING {
        let Some(period) = Period::containing(kind, at) else {
            continue;
        };
        // Each period once: `expires_at` walks the retained periods after it.
        let retained = known.entry(period).or_insert_with(|| {
            let expiry = retention
                .expires_at(&period)
                .map_or(u64::MAX, |end| end.unix_millis() / 1000);
            (expiry > now).then(|| (period_scope(Some(&period)), expiry))
        });
        if let Some((scope, expiry)) = retained {
            scopes.push((scope.clone(), Some(*expiry)));
        }
    }
    scopes
}

/// The `import` command: loads, imports, reports on stderr. Blocks.
pub fn run(args: &crate::cli::ImportArgs) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let options = LoadOptions {
        strict: args.strict,
    };
    let summary = runtime
        .block_on(import(
            &args.data_dir,
            &args.redis,
            options,
            args.prefix_threshold,
            args.board.name.as_ref(),
            args.retention.retention(),
        ))
        .map_err(|e| match e {
            ImportError::Load(source @ LoadError::BadRecord(_)) if args.strict => {
                format!("refusing to import bad data (--strict): {source}")
            }
            other => other.to_string(),
        })?;
    eprintln!(
        "imported {} scores and {} profiles from {} into {} in {:.2}s \
         ({} bad records skipped; store version {})",
        summary.scores,
        summary.profiles,
        args.data_dir.display(),
        args.redis,
        summary.seconds,
        summary.warnings.len(),
        summary.version
    );
    for warning in summary.warnings.iter().take(5) {
        eprintln!("warning: {warning}");
    }
    if summary.warnings.len() > 5 {
        eprintln!(
            "warning: ... and {} more (use --strict to refuse bad data)",
            summary.warnings.len() - 5
        );
    }
    Ok(())
}
