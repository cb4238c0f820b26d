//! The Redis store through its API, against real Redis (started here): it answers exactly
//! as the naive reference on random data and random queries (one server and a three-master
//! cluster) with prefix thresholds that send `q` reads down both paths (prefix sets and
//! listed matches), the prefix sets hold exactly the matches (checked key by key), the
//! import is idempotent, and posts are atomic per call (a batch included), idempotent,
//! versioned and ranked exactly as the embedded store ranks them.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::redis::{RedisCluster, RedisServer};
use leaderboard_engine::reference;
use leaderboard_function::data::LoadOptions;
use leaderboard_function::store::embedded::EmbeddedStore;
use leaderboard_function::store::redis::import::import;
use leaderboard_function::store::redis::keys::{
    rank_key_of_name_member, search_prefix_ends, Keys, DEFAULT_PREFIX_THRESHOLD,
};
use leaderboard_function::store::redis::{RedisStore, RedisTarget};
use leaderboard_function::store::{LeaderboardStore, NewScore, Removal, StoreError};
use leaderboard_model::{
    LeaderboardQuery, Period, PeriodKind, PlayedAt, Profile, Retention, ScoreRecord, SortKey,
    SortOrder, View,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn target(url: &str) -> RedisTarget {
    url.parse().unwrap()
}

/// The retention the stores under test write with: long enough that the generated times
/// (2024 to 2027) stay retained whatever the clock says when the tests run, so period keys
/// never expire under a test. (Expiries under the default retention: see
/// `every_period_key_expires_by_itself_when_its_period_leaves_the_retention`.)
const TEST_RETENTION: Retention = Retention {
    days: 100_000,
    weeks: 20_000,
    months: 5_000,
};

/// The store under test.
fn store_at(url: &str) -> RedisStore {
    RedisStore::new(target(url)).with_retention(TEST_RETENTION)
}

/// The clock the meta is read at: the generated times' last weeks are retained.
fn meta_now() -> PlayedAt {
    PlayedAt::parse("2027-01-10T12:00:00Z").unwrap()
}

fn import_records(
    rt: &tokio::runtime::Runtime,
    url: &str,
    scores: &[ScoreRecord],
    profiles: &[Profile],
    prefix_threshold: u64,
) {
    let dir = tempfile::tempdir().unwrap();
    common::write_data(dir.path(), scores, profiles);
    import_dir(rt, url, dir.path(), prefix_threshold);
}

fn import_dir(rt: &tokio::runtime::Runtime, url: &str, dir: &Path, prefix_threshold: u64) {
    rt.block_on(import(
        dir,
        &target(url),
        LoadOptions::default(),
        prefix_threshold,
        None,
        TEST_RETENTION,
    ))
    .unwrap_or_else(|e| panic!("import failed: {e}"));
}

fn connection(rt: &tokio::runtime::Runtime, url: &str) -> redis::aio::MultiplexedConnection {
    rt.block_on(async {
        redis::Client::open(url)
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap()
    })
}

fn redis_keys(rt: &tokio::runtime::Runtime, url: &str, pattern: &str) -> BTreeSet<Vec<u8>> {
    let mut conn = connection(rt, url);
    rt.block_on(redis::cmd("KEYS").arg(pattern).query_async(&mut conn))
        .unwrap()
}

/// The prefix-set invariant, checked key by key on one server: with T from `{lb}:pfxmin`,
/// for every selection S and every prefix p (char boundaries of the escaped lower-cased
/// name) matched by more than T members of `{lb}:name:S`, `{lb}:pfx:…S…p` exists, holds
/// exactly those members' rank keys and is listed in `{lb}:keys`; no other prefix set
/// exists. Returns how many prefix sets there are.
fn assert_prefix_sets_hold_exactly_the_matches(
    rt: &tokio::runtime::Runtime,
    url: &str,
) -> Result<usize, TestCaseError> {
    let keys = Keys::live();
    let mut conn = connection(rt, url);
    let threshold: Option<u64> = rt
        .block_on(
            redis::cmd("GET")
                .arg(keys.prefix_threshold())
                .query_async(&mut conn),
        )
        .unwrap();
    let threshold = match threshold {
        Some(t) => t,
        None => {
            // A store that was never imported nor posted to has neither.
            let prefix_sets = redis_keys(rt, url, "{lb}:pfx:*");
            prop_assert!(prefix_sets.is_empty(), "prefix sets without a threshold");
            return Ok(0);
        }
    };
    let mut manifest: BTreeSet<Vec<u8>> = rt
        .block_on(
            redis::cmd("SMEMBERS")
                .arg(keys.manifest())
                .query_async(&mut conn),
        )
        .unwrap();
    let period_manifest: BTreeSet<Vec<u8>> = rt
        .block_on(
            redis::cmd("ZRANGE")
                .arg(keys.period_manifest())
                .arg(0)
                .arg(-1)
                .query_async(&mut conn),
        )
        .unwrap();
    manifest.extend(period_manifest);
    let mut expected_keys = BTreeSet::new();
    for name_set in redis_keys(rt, url, "{lb}:name:*") {
        let selection = String::from_utf8(name_set[b"{lb}:name:".len()..].to_vec()).unwrap();
        let members: Vec<Vec<u8>> = rt
            .block_on(
                redis::cmd("ZRANGE")
                    .arg(&name_set)
                    .arg(0)
                    .arg(-1)
                    .query_async(&mut conn),
            )
            .unwrap();
        let mut matches: BTreeMap<Vec<u8>, BTreeSet<Vec<u8>>> = BTreeMap::new();
        for member in &members {
            let rank = rank_key_of_name_member(member).unwrap().as_bytes().to_vec();
            for end in search_prefix_ends(member) {
                matches
                    .entry(member[..end].to_vec())
                    .or_default()
                    .insert(rank.clone());
            }
        }
        for (prefix, ranks) in matches {
            if ranks.len() as u64 <= threshold {
                continue;
            }
            let key = keys.prefix_set(&selection, &prefix);
            let stored: BTreeSet<Vec<u8>> = rt
                .block_on(
                    redis::cmd("ZRANGE")
                        .arg(&key)
                        .arg(0)
                        .arg(-1)
                        .query_async(&mut conn),
                )
                .unwrap();
            prop_assert_eq!(
                &stored,
                &ranks,
                "prefix set of {} {:?}",
                selection,
                String::from_utf8_lossy(&prefix)
            );
            prop_assert!(
                manifest.contains(&key),
                "{:?} not in {{lb}}:keys nor {{lb}}:pkeys",
                key
            );
            expected_keys.insert(key);
        }
    }
    let actual = redis_keys(rt, url, "{lb}:pfx:*");
    prop_assert_eq!(&actual, &expected_keys, "prefix sets beyond the invariant");
    Ok(actual.len())
}

/// Whether a key's `PEXPIRETIME` is `expiry` (Unix seconds) on the writer's clock: posts
/// and removals offset Redis's clock to the function's (the stores here read the machine's
/// clock, as Redis does), so the two differ by the time between the function reading its
/// clock and the script starting; imports use Redis's clock itself.
fn expires_with(pexpiretime: i64, expiry: i64) -> bool {
    (pexpiretime - expiry * 1000).abs() < 60_000
}

/// Every data key is listed where an import finds it to replace it: all-time keys in
/// `{lb}:keys`, period keys in `{lb}:pkeys` (scored by their expiry, which they carry).
fn assert_every_key_is_listed(
    rt: &tokio::runtime::Runtime,
    url: &str,
) -> Result<(), TestCaseError> {
    let keys = Keys::live();
    let mut conn = connection(rt, url);
    let listed: BTreeSet<Vec<u8>> = rt
        .block_on(
            redis::cmd("SMEMBERS")
                .arg(keys.manifest())
                .query_async(&mut conn),
        )
        .unwrap();
    let periods: Vec<(Vec<u8>, i64)> = rt
        .block_on(
            redis::cmd("ZRANGE")
                .arg(keys.period_manifest())
                .arg(0)
                .arg(-1)
                .arg("WITHSCORES")
                .query_async(&mut conn),
        )
        .unwrap();
    let periods: BTreeMap<Vec<u8>, i64> = periods.into_iter().collect();
    let bookkeeping = [
        keys.manifest(),
        keys.period_manifest(),
        keys.version(),
        keys.epoch(),
    ]
    .map(String::into_bytes);
    for key in redis_keys(rt, url, "{lb}:*") {
        if bookkeeping.contains(&key) {
            continue;
        }
        let expiry: i64 = rt
            .block_on(redis::cmd("PEXPIRETIME").arg(&key).query_async(&mut conn))
            .unwrap();
        let name = String::from_utf8_lossy(&key);
        match periods.get(&key) {
            Some(listed_expiry) => prop_assert!(
                expires_with(expiry, *listed_expiry),
                "{} expires at {} ms, listed at {} s",
                name,
                expiry,
                listed_expiry
            ),
            None => {
                prop_assert!(listed.contains(&key), "{} is listed nowhere", name);
                prop_assert_eq!(expiry, -1, "{} is all-time but expires", name);
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Random data and queries
// ---------------------------------------------------------------------------------------

/// Names that exercise case folding, prefixes, non-ASCII and byte order.
const NAMES: &[&str] = &[
    "alice",
    "Alice",
    "ALICE",
    "alicia",
    "Al",
    "bob",
    "Bob",
    "bobby",
    "Zoë",
    "zoe",
    "Émile",
    "émile",
    "_x",
    "Z",
    "a b",
    "İstanbul",
];
const MODES: &[&str] = &["Solo", "Duo", "Trio", "solo"];
const REGIONS: &[&str] = &["Milky Way", "Andromeda", "NGC 1300", "ß"];
/// Times on both sides of period boundaries: a Sunday night and the Monday of ISO week 53
/// of 2026, New Year inside that week, the week's end, a leap day and the month after it,
/// and ordinary days (the first of a month, a Monday).
const TIMES: &[&str] = &[
    "2026-12-27T23:59:59.999Z",
    "2026-12-28T00:00:00Z",
    "2026-12-31T23:59:59Z",
    "2027-01-01T00:00:00Z",
    "2027-01-03T12:00:00Z",
    "2027-01-04T00:00:00Z",
    "2027-01-04T09:30:00Z",
    "2024-02-29T10:00:00Z",
    "2024-03-01T00:00:00Z",
    "2026-11-30T08:00:00Z",
    "2026-12-01T00:00:00.001Z",
];

fn played_at(time: usize) -> PlayedAt {
    PlayedAt::parse(TIMES[time]).unwrap()
}

/// A time for a generated score: one of [`TIMES`], or none (all time only).
fn time_strategy() -> impl Strategy<Value = Option<usize>> {
    prop::option::weighted(0.75, 0..TIMES.len())
}

const QS: &[&str] = &[
    "a", "A", "al", "ALI", "b", "bo", "z", "zo", "é", "É", "_", "x", "i̇", "a b",
];

#[derive(Debug, Clone)]
struct Data {
    scores: Vec<ScoreRecord>,
    profiles: Vec<Profile>,
}

/// A generated post: player `p{player}`, with a profile named `NAMES[name]` when given.
#[allow(clippy::too_many_arguments)]
fn new_score(
    id: String,
    player: usize,
    name: Option<usize>,
    score: i64,
    mode: usize,
    region: usize,
    time: Option<usize>,
) -> NewScore {
    let profile_id = format!("p{player}");
    NewScore {
        score: ScoreRecord {
            id,
            profile_id: profile_id.clone(),
            score,
            game_mode: MODES[mode].to_string(),
            game_region: REGIONS[region].to_string(),
            played_at: time.map(played_at),
        },
        profile: name.map(|n| Profile {
            id: profile_id,
            user_name: NAMES[n].to_string(),
            avatar_url: "images/avatars/new.svg".into(),
            achievements: vec![],
        }),
        time_sent: true,
    }
}

impl Data {
    /// The embedded store on the same data (the answers to match), and the data by id (what
    /// the reference runs on as the steps change it).
    fn embedded_and_by_id(
        &self,
    ) -> (
        EmbeddedStore,
        BTreeMap<String, Profile>,
        BTreeMap<String, ScoreRecord>,
    ) {
        let embedded = EmbeddedStore::accepting_posts(
            self.scores.clone(),
            self.profiles.clone(),
            "test".into(),
        );
        let profiles = self
            .profiles
            .iter()
            .map(|p| (p.id.clone(), p.clone()))
            .collect();
        let scores = self
            .scores
            .iter()
            .map(|s| (s.id.clone(), s.clone()))
            .collect();
        (embedded, profiles, scores)
    }
}

fn data_strategy(max_scores: usize) -> impl Strategy<Value = Data> {
    let profiles = prop::collection::vec(
        (
            0..NAMES.len(),
            prop::sample::select(vec!["", "images/avatars/x.svg", "https://a/b.png"]),
        ),
        1..8,
    );
    profiles.prop_flat_map(move |profiles| {
        let count = profiles.len();
        let scores = prop::collection::vec(
            (
                0..count,
                // Few distinct values: many ties.
                prop::sample::select(vec![-5i64, 0, 1, 7, 7, 100, 1_000_000_000_000, i64::MAX]),
                0..MODES.len(),
                0..REGIONS.len(),
                0u32..40,
                time_strategy(),
            ),
            0..max_scores,
        );
        (Just(profiles), scores).prop_map(|(profiles, scores)| {
            let profiles: Vec<Profile> = profiles
                .iter()
                .enumerate()
                .map(|(i, (name, avatar))| Profile {
                    id: format!("p{i}"),
                    user_name: NAMES[*name].to_string(),
                    avatar_url: avatar.to_string(),
                    achievements: vec!["A".into(); i % 3],
                })
                .collect();
            let mut seen = BTreeSet::new();
            let scores = scores
                .into_iter()
                .filter(|s| seen.insert(s.4))
                .map(|(profile, score, mode, region, id, time)| ScoreRecord {
                    // "s10" < "s2" in byte order: ids that sort unlike numbers.
                    id: format!("s{id}"),
                    profile_id: format!("p{profile}"),
                    score,
                    game_mode: MODES[mode].to_string(),
                    game_region: REGIONS[region].to_string(),
                    played_at: time.map(played_at),
                })
                .collect();
            Data { scores, profiles }
        })
    })
}

fn query_strategy() -> impl Strategy<Value = LeaderboardQuery> {
    (
        1u32..5,
        1u32..7,
        prop::option::of(prop::sample::select(MODES.to_vec())),
        prop::option::of(prop::sample::select(REGIONS.to_vec())),
        prop::sample::select(SortKey::ALL.to_vec()),
        any::<bool>(),
        prop::option::weighted(0.4, prop::sample::select(QS.to_vec())),
        prop::option::weighted(0.3, 0usize..9),
        (
            prop::sample::select(PeriodKind::ALL.to_vec()),
            0..TIMES.len(),
            prop::sample::select(View::ALL.to_vec()),
        ),
    )
        .prop_map(
            |(page, page_size, mode, region, sort, asc, q, around, (period, at, view))| {
                LeaderboardQuery {
                    page,
                    page_size,
                    mode: mode.map(str::to_string),
                    region: region.map(str::to_string),
                    sort,
                    order: if asc { SortOrder::Asc } else { SortOrder::Desc },
                    q: q.map(str::to_string),
                    around: around.map(|p| format!("p{p}")),
                    period,
                    // Resolved, as the HTTP layer hands it over: the period's start.
                    at: Period::containing(period, played_at(at)).map(|p| p.start()),
                    view,
                }
            },
        )
}

/// Checks every query against the reference over `data`.
fn check_queries(
    rt: &tokio::runtime::Runtime,
    store: &RedisStore,
    data: &Data,
    queries: &[LeaderboardQuery],
) -> Result<(), TestCaseError> {
    for query in queries {
        let expected = reference::query(&data.scores, &data.profiles, query);
        let actual = rt.block_on(store.leaderboard(query));
        match (expected, actual) {
            (Ok(expected), Ok(actual)) => prop_assert_eq!(actual, expected, "{:?}", query),
            (Err(_), Err(StoreError::PlayerNotFound { .. })) => {}
            (expected, actual) => {
                prop_assert!(false, "{query:?}: expected {expected:?}, got {actual:?}")
            }
        }
    }
    // The meta under the default retention (what a server reads; the keys it counts were
    // written under the longer test retention and still exist).
    let reader = RedisStore::new(store.target().clone());
    let meta = rt
        .block_on(reader.meta(meta_now()))
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(
        meta,
        reference::meta(
            &data.scores,
            &data.profiles,
            meta_now(),
            &Retention::default()
        )
    );
    Ok(())
}

/// Thresholds that put most `q` reads on prefix sets (1, 2, 3) or all on listed matches.
fn threshold_strategy() -> impl Strategy<Value = u64> {
    prop::sample::select(vec![1u64, 2, 3, DEFAULT_PREFIX_THRESHOLD])
}

/// `one_server`: also check the prefix sets key by key (`KEYS` sees one node).
fn equivalence_run(url: &str, cases: u32, max_scores: usize, one_server: bool) {
    let rt = runtime();
    let store = store_at(url);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        data_strategy(max_scores),
        threshold_strategy(),
        prop::collection::vec(query_strategy(), 40),
    );
    runner
        .run(&strategy, |(data, threshold, queries)| {
            import_records(&rt, url, &data.scores, &data.profiles, threshold);
            if one_server {
                assert_prefix_sets_hold_exactly_the_matches(&rt, url)?;
                assert_every_key_is_listed(&rt, url)?;
            }
            check_queries(&rt, &store, &data, &queries)
        })
        .unwrap();
    let paths = store.read_paths();
    assert_eq!(paths.fallback_segments, 0, "{paths:?}");
    if one_server {
        // 48 cases, a quarter of them at the default threshold: both paths are taken.
        assert!(paths.prefix_set_segments > 0, "{paths:?}");
        assert!(paths.listed_segments > 0, "{paths:?}");
    }
}

#[test]
fn imported_data_answers_every_query_exactly_as_the_reference() {
    let redis = RedisServer::start();
    equivalence_run(&redis.url(), 48, 40, true);
}

#[test]
fn a_three_master_cluster_answers_exactly_as_the_reference() {
    let cluster = RedisCluster::start();
    equivalence_run(&cluster.url(), 12, 30, false);
}

/// Batches of posts (new players, renames across prefixes, ties, retries, conflicting ids,
/// unknown players) after an import with a tiny threshold, so prefixes cross it: each call
/// gets exactly the embedded store's answer (entries, ranks, or the refusal), the prefix
/// sets keep holding exactly the matches, and the store then answers as the reference
/// over the imported plus the accepted data.
#[test]
fn posted_batches_answer_as_the_embedded_store_and_keep_the_prefix_sets_exact() {
    let redis = RedisServer::start();
    let url = redis.url();
    let rt = runtime();
    let store = store_at(&url);
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let post = (
        0usize..10,
        prop::option::weighted(0.5, 0..NAMES.len()),
        prop::sample::select(vec![0i64, 7, 100, 5000]),
        0..MODES.len(),
        0..REGIONS.len(),
        // Few ids: some repeat (a retry when the content is the same, else a conflict).
        0u32..24,
        time_strategy(),
    );
    let strategy = (
        data_strategy(25),
        prop::sample::select(vec![1u64, 2, 3]),
        prop::collection::vec(prop::collection::vec(post, 1..4), 1..8),
        prop::collection::vec(query_strategy(), 30),
    );
    runner
        .run(&strategy, |(data, threshold, batches, queries)| {
            import_records(&rt, &url, &data.scores, &data.profiles, threshold);
            let (embedded, mut profiles, mut scores) = data.embedded_and_by_id();
            for batch in batches {
                let posts: Vec<NewScore> = batch
                    .into_iter()
                    .map(|(player, name, score, mode, region, id, time)| {
                        new_score(
                            format!("posted-{id}"),
                            player,
                            name,
                            score,
                            mode,
                            region,
                            time,
                        )
                    })
                    .collect();
                let expected = rt.block_on(embedded.post_scores(posts.clone()));
                let actual = rt.block_on(store.post_scores(posts.clone()));
                prop_assert_eq!(&actual, &expected, "{:?}", posts);
                if let Ok(answers) = actual {
                    for (post, answer) in posts.into_iter().zip(answers) {
                        if answer.created {
                            if let Some(profile) = post.profile {
                                profiles.insert(profile.id.clone(), profile);
                            }
                            scores.insert(post.score.id.clone(), post.score);
                        }
                    }
                }
                assert_prefix_sets_hold_exactly_the_matches(&rt, &url)?;
                assert_every_key_is_listed(&rt, &url)?;
            }
            let data = Data {
                scores: scores.into_values().collect(),
                profiles: profiles.into_values().collect(),
            };
            check_queries(&rt, &store, &data, &queries)
        })
        .unwrap();
    assert_eq!(store.read_paths().fallback_segments, 0);
}

// ---------------------------------------------------------------------------------------
// Removals
// ---------------------------------------------------------------------------------------

/// A step of the removal runs: remove a score or a player (ids that exist and ids that
/// do not), or post a score (so removals meet posted entries, and posts follow removals).
#[derive(Debug, Clone)]
enum Step {
    RemoveScore(u32),
    RemovePlayer(usize),
    Post {
        player: usize,
        name: Option<usize>,
        score: i64,
        mode: usize,
        region: usize,
        id: u32,
        time: Option<usize>,
    },
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0u32..44).prop_map(Step::RemoveScore),
        1 => (0usize..10).prop_map(Step::RemovePlayer),
        2 => (
            0usize..10,
            prop::option::weighted(0.5, 0..NAMES.len()),
            prop::sample::select(vec![-5i64, 0, 7, 100, i64::MAX]),
            0..MODES.len(),
            0..REGIONS.len(),
            0u32..44,
            time_strategy(),
        )
            .prop_map(|(player, name, score, mode, region, id, time)| Step::Post {
                player,
                name,
                score,
                mode,
                region,
                id,
                time,
            }),
    ]
}

/// Removals (and posts between them) on Redis answer exactly as on the embedded store,
/// keep the prefix sets exact after every step (thresholds 1 to 3: most prefixes have a
/// set, and removals make counts fall to T), and leave a store that answers every query and
/// the meta exactly as the reference over what remains.
#[test]
fn removals_answer_as_the_embedded_store_and_keep_every_set_exact() {
    let redis = RedisServer::start();
    let url = redis.url();
    let rt = runtime();
    let store = store_at(&url);
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        data_strategy(30),
        prop::sample::select(vec![1u64, 2, 3]),
        prop::collection::vec(step_strategy(), 1..12),
        prop::collection::vec(query_strategy(), 30),
    );
    runner
        .run(&strategy, |(data, threshold, steps, queries)| {
            import_records(&rt, &url, &data.scores, &data.profiles, threshold);
            let (embedded, mut profiles, mut scores) = data.embedded_and_by_id();
            for step in steps {
                let version = rt.block_on(store.version()).unwrap();
                let removal = match &step {
                    Step::RemoveScore(id) => Some(Removal::Score(format!("s{id}"))),
                    Step::RemovePlayer(player) => Some(Removal::Player(format!("p{player}"))),
                    Step::Post { .. } => None,
                };
                if let Some(removal) = removal {
                    let expected = rt.block_on(embedded.remove(&removal)).unwrap();
                    let actual = rt.block_on(store.remove(&removal)).unwrap();
                    prop_assert_eq!(actual, expected, "{:?}", removal);
                    let unchanged = rt.block_on(store.version()).unwrap() == version;
                    prop_assert_eq!(unchanged, !actual.changed(), "version after {:?}", removal);
                    match removal {
                        Removal::Score(id) => {
                            scores.remove(&id);
                        }
                        Removal::Player(profile_id) => {
                            scores.retain(|_, s| s.profile_id != profile_id);
                            profiles.remove(&profile_id);
                        }
                    }
                } else if let Step::Post {
                    player,
                    name,
                    score,
                    mode,
                    region,
                    id,
                    time,
                } = step
                {
                    let post = new_score(format!("s{id}"), player, name, score, mode, region, time);
                    let expected = rt.block_on(embedded.post_scores(vec![post.clone()]));
                    let actual = rt.block_on(store.post_scores(vec![post.clone()]));
                    prop_assert_eq!(&actual, &expected, "{:?}", post);
                    if matches!(&actual, Ok(answers) if answers[0].created) {
                        if let Some(profile) = post.profile {
                            profiles.insert(profile.id.clone(), profile);
                        }
                        scores.insert(post.score.id.clone(), post.score);
                    }
                }
                assert_prefix_sets_hold_exactly_the_matches(&rt, &url)?;
                assert_every_key_is_listed(&rt, &url)?;
            }
            let remaining = Data {
                scores: scores.into_values().collect(),
                profiles: profiles.into_values().collect(),
            };
            check_queries(&rt, &store, &remaining, &queries)?;
            // The embedded store, after the same steps, answers as the reference too.
            for query in &queries {
                let expected = reference::query(&remaining.scores, &remaining.profiles, query);
                let actual = rt.block_on(embedded.leaderboard(query));
                match (expected, actual) {
                    (Ok(expected), Ok(actual)) => prop_assert_eq!(actual, expected, "{:?}", query),
                    (Err(_), Err(StoreError::PlayerNotFound { .. })) => {}
                    (expected, actual) => {
                        prop_assert!(false, "{query:?}: expected {expected:?}, got {actual:?}")
                    }
                }
            }
            prop_assert_eq!(
                rt.block_on(embedded.meta(leaderboard_model::PlayedAt::MIN))
                    .unwrap(),
                reference::meta(
                    &remaining.scores,
                    &remaining.profiles,
                    leaderboard_model::PlayedAt::MIN,
                    &leaderboard_model::Retention::default()
                )
            );
            // Every `around` (the players' best entries per selection) as the reference.
            for player in 0..10 {
                for (mode, region) in [
                    (None, None),
                    (Some("Solo"), None),
                    (None, Some("ß")),
                    (Some("Duo"), Some("Andromeda")),
                ] {
                    let query = LeaderboardQuery {
                        around: Some(format!("p{player}")),
                        mode: mode.map(str::to_string),
                        region: region.map(str::to_string),
                        page_size: 3,
                        ..LeaderboardQuery::default()
                    };
                    check_queries(&rt, &store, &remaining, std::slice::from_ref(&query))?;
                }
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(store.read_paths().fallback_segments, 0);
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

/// Every key's type and full contents, version keys aside.
fn dump(rt: &tokio::runtime::Runtime, url: &str) -> BTreeMap<Vec<u8>, (String, Vec<Vec<u8>>)> {
    rt.block_on(async {
        let client = redis::Client::open(url).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        let keys: Vec<Vec<u8>> = redis::cmd("KEYS")
            .arg("*")
            .query_async(&mut conn)
            .await
            .unwrap();
        let mut out = BTreeMap::new();
        for key in keys {
            if key.ends_with(b":version") || key.ends_with(b":epoch") {
                continue;
            }
            let kind: String = redis::cmd("TYPE")
                .arg(&key)
                .query_async(&mut conn)
                .await
                .unwrap();
            let mut contents: Vec<Vec<u8>> = match kind.as_str() {
                "zset" => redis::cmd("ZRANGE")
                    .arg(&key)
                    .arg(0)
                    .arg(-1)
                    .arg("WITHSCORES")
                    .query_async(&mut conn)
                    .await
                    .unwrap(),
                "hash" => redis::cmd("HGETALL")
                    .arg(&key)
                    .query_async(&mut conn)
                    .await
                    .unwrap(),
                "set" => redis::cmd("SMEMBERS")
                    .arg(&key)
                    .query_async(&mut conn)
                    .await
                    .unwrap(),
                other => vec![other.as_bytes().to_vec()],
            };
            if kind != "zset" {
                contents.sort();
            }
            out.insert(key, (kind, contents));
        }
        out
    })
}

#[test]
fn importing_twice_gives_the_same_store_and_a_new_version() {
    let redis = RedisServer::start();
    let rt = runtime();
    let store = store_at(&redis.url());
    let dir = common::fixture_dir();
    import_dir(&rt, &redis.url(), dir.path(), 2);
    let first = dump(&rt, &redis.url());
    let first_version = rt.block_on(store.version()).unwrap();
    assert!(first.keys().any(|k| k.starts_with(b"{lb}:score:")));
    assert!(first.keys().any(|k| k.starts_with(b"{lb}:pfx:")));
    import_dir(&rt, &redis.url(), dir.path(), 2);
    assert_eq!(dump(&rt, &redis.url()), first);
    assert_ne!(rt.block_on(store.version()).unwrap(), first_version);

    // A smaller data set replaces the larger one entirely: no stale selection or prefix
    // set is left, and the new threshold's prefix sets are exactly the matches.
    let smaller: Vec<ScoreRecord> = common::fixture_scores()
        .into_iter()
        .filter(|s| s.game_mode == "Solo")
        .collect();
    import_records(&rt, &redis.url(), &smaller, &common::fixture_profiles(), 3);
    let keys = dump(&rt, &redis.url());
    assert!(!keys.keys().any(|k| k.starts_with(b"{lb}:score:m:Duo")));
    assert!(!keys.keys().any(|k| k.starts_with(b"{lb}:staging:")));
    let prefix_sets = assert_prefix_sets_hold_exactly_the_matches(&rt, &redis.url()).unwrap();
    assert!(prefix_sets > 0);
    let meta = rt
        .block_on(store.meta(leaderboard_model::PlayedAt::MIN))
        .unwrap();
    assert_eq!(
        meta,
        reference::meta(
            &smaller,
            &common::fixture_profiles(),
            leaderboard_model::PlayedAt::MIN,
            &leaderboard_model::Retention::default()
        )
    );

    // Back to the default threshold: no prefix set is left over the fixture's few scores.
    import_dir(&rt, &redis.url(), dir.path(), DEFAULT_PREFIX_THRESHOLD);
    assert_eq!(
        assert_prefix_sets_hold_exactly_the_matches(&rt, &redis.url()).unwrap(),
        0
    );
}

// ---------------------------------------------------------------------------------------
// Posts
// ---------------------------------------------------------------------------------------

fn record(id: &str, profile_id: &str, score: i64, mode: &str, region: &str) -> ScoreRecord {
    ScoreRecord {
        id: id.into(),
        profile_id: profile_id.into(),
        score,
        game_mode: mode.into(),
        game_region: region.into(),
        played_at: None,
    }
}

#[test]
fn a_post_is_ranked_in_its_four_boards_bumps_the_version_and_is_idempotent() {
    let redis = RedisServer::start();
    let rt = runtime();
    let store = store_at(&redis.url());
    import_dir(
        &rt,
        &redis.url(),
        common::fixture_dir().path(),
        DEFAULT_PREFIX_THRESHOLD,
    );
    let before = rt.block_on(store.version()).unwrap();

    // 850 in Solo / Milky Way: below the four 900s overall, the three Solo ones, the three
    // Milky Way ones (s01, s15, s21), and s01 and s21 in Solo / Milky Way.
    let post = NewScore {
        score: record("new-1", "p5", 850, "Solo", "Milky Way"),
        profile: None,
        time_sent: true,
    };
    let answer = rt.block_on(store.post_scores(vec![post.clone()])).unwrap();
    assert_eq!(answer.len(), 1);
    assert!(answer[0].created);
    assert_eq!(answer[0].profile.user_name, "carol");
    let ranks: Vec<(Option<&str>, Option<&str>, u64)> = answer[0]
        .ranks
        .iter()
        .map(|r| (r.mode.as_deref(), r.region.as_deref(), r.rank))
        .collect();
    assert_eq!(
        ranks,
        [
            (None, None, 5),
            (Some("Solo"), None, 4),
            (None, Some("Milky Way"), 4),
            (Some("Solo"), Some("Milky Way"), 3)
        ]
    );
    let after = rt.block_on(store.version()).unwrap();
    assert_ne!(after, before);

    // The retry changes nothing and says so.
    let again = rt.block_on(store.post_scores(vec![post])).unwrap();
    assert!(!again[0].created);
    assert_eq!(again[0].ranks, answer[0].ranks);
    assert_eq!(rt.block_on(store.version()).unwrap(), after);
    assert_eq!(
        rt.block_on(store.meta(leaderboard_model::PlayedAt::MIN))
            .unwrap()
            .total_scores,
        22
    );

    // Same id, other content: a conflict, nothing stored.
    let conflict = NewScore {
        score: record("new-1", "p5", 851, "Solo", "Milky Way"),
        profile: None,
        time_sent: true,
    };
    assert_eq!(
        rt.block_on(store.post_scores(vec![conflict])),
        Err(StoreError::Conflict { id: "new-1".into() })
    );
    // An unknown player without a profile: refused, nothing stored.
    let stranger = NewScore {
        score: record("new-2", "p-new", 1, "Solo", "Milky Way"),
        profile: None,
        time_sent: true,
    };
    assert_eq!(
        rt.block_on(store.post_scores(vec![stranger])),
        Err(StoreError::UnknownProfile {
            profile_id: "p-new".into()
        })
    );
    assert_eq!(rt.block_on(store.version()).unwrap(), after);
    assert_eq!(
        rt.block_on(store.meta(leaderboard_model::PlayedAt::MIN))
            .unwrap()
            .total_scores,
        22
    );

    // The new entry reads back at its rank.
    let page = rt
        .block_on(store.leaderboard(&LeaderboardQuery {
            mode: Some("Solo".into()),
            region: Some("Milky Way".into()),
            ..LeaderboardQuery::default()
        }))
        .unwrap();
    let row = page.scores.iter().find(|e| e.score.id == "new-1").unwrap();
    assert_eq!(row.rank, 3);
}

#[test]
fn a_batch_with_one_refused_score_changes_nothing_and_a_good_one_is_ranked_as_a_whole() {
    let redis = RedisServer::start();
    let rt = runtime();
    let store = store_at(&redis.url());
    import_dir(&rt, &redis.url(), common::fixture_dir().path(), 2);
    let newcomer = Profile {
        id: "p-new".into(),
        user_name: "Newcomer".into(),
        avatar_url: "images/avatars/default.svg".into(),
        achievements: vec![],
    };
    // The later, higher score counts in the earlier one's ranks: ranks are as of the
    // whole batch, as on the embedded store.
    let batch = vec![
        NewScore {
            score: record("b1", "p-new", 10, "Duo", "Andromeda"),
            profile: Some(newcomer.clone()),
            time_sent: true,
        },
        NewScore {
            score: record("b2", "p-new", 20, "Duo", "Andromeda"),
            profile: None,
            time_sent: true,
        },
    ];
    let answers = rt.block_on(store.post_scores(batch)).unwrap();
    assert!(answers.iter().all(|a| a.created));
    assert_eq!(answers[1].profile, newcomer);
    assert_eq!(answers[0].ranks[3].rank, answers[1].ranks[3].rank + 1);
    let meta = rt
        .block_on(store.meta(leaderboard_model::PlayedAt::MIN))
        .unwrap();
    assert_eq!((meta.total_scores, meta.total_players), (23, 10));

    let before = dump(&rt, &redis.url());
    let version = rt.block_on(store.version()).unwrap();
    let fine = |id: &str| NewScore {
        score: record(id, "p1", 5, "Duo", "Andromeda"),
        profile: Some(Profile {
            id: "p1".into(),
            user_name: "Renamed Mid-Batch".into(),
            avatar_url: String::new(),
            achievements: vec![],
        }),
        time_sent: true,
    };
    let unknown = NewScore {
        score: record("b4", "p-unknown", 5, "Duo", "Andromeda"),
        profile: None,
        time_sent: true,
    };
    let conflict = NewScore {
        score: record("b1", "p-new", 11, "Duo", "Andromeda"),
        profile: None,
        time_sent: true,
    };
    assert_eq!(
        rt.block_on(store.post_scores(vec![fine("b3"), unknown, fine("b5")])),
        Err(StoreError::UnknownProfile {
            profile_id: "p-unknown".into()
        })
    );
    assert_eq!(
        rt.block_on(store.post_scores(vec![fine("b3"), fine("b5"), conflict])),
        Err(StoreError::Conflict { id: "b1".into() })
    );
    // Nothing changed: not a key, not a member, not the version.
    assert_eq!(dump(&rt, &redis.url()), before);
    assert_eq!(rt.block_on(store.version()).unwrap(), version);

    // A retry inside a batch answers created:false; the batch still applies.
    let answers = rt
        .block_on(store.post_scores(vec![
            NewScore {
                score: record("b1", "p-new", 10, "Duo", "Andromeda"),
                profile: None,
                time_sent: true,
            },
            fine("b3"),
        ]))
        .unwrap();
    assert_eq!(
        answers.iter().map(|a| a.created).collect::<Vec<_>>(),
        [false, true]
    );
    assert_eq!(answers[1].profile.user_name, "Renamed Mid-Batch");
    assert_eq!(
        rt.block_on(store.meta(leaderboard_model::PlayedAt::MIN))
            .unwrap()
            .total_scores,
        24
    );
    assert_prefix_sets_hold_exactly_the_matches(&rt, &redis.url()).unwrap();
}

#[test]
fn concurrent_posts_from_many_clients_are_all_counted() {
    let redis = RedisServer::start();
    let rt = runtime();
    import_dir(
        &rt,
        &redis.url(),
        common::fixture_dir().path(),
        DEFAULT_PREFIX_THRESHOLD,
    );
    let store = std::sync::Arc::new(store_at(&redis.url()));
    rt.block_on(async {
        let mut tasks = Vec::new();
        for client in 0..16 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..25 {
                    let post = NewScore {
                        score: record(
                            &format!("c{client}-{i}"),
                            &format!("p{}", 1 + (i % 9)),
                            i64::from(i) * 10,
                            "Trio",
                            "Pinwheel",
                        ),
                        profile: None,
                        time_sent: true,
                    };
                    store.post_scores(vec![post]).await.unwrap();
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
    });
    let meta = rt
        .block_on(store.meta(leaderboard_model::PlayedAt::MIN))
        .unwrap();
    assert_eq!(meta.total_scores, 21 + 16 * 25);
    let trio: u64 = meta.modes.iter().find(|m| m.name == "Trio").unwrap().count;
    assert_eq!(trio, 5 + 16 * 25);
}

#[test]
fn an_unreachable_redis_is_unavailable_quickly_not_a_hang() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let rt = runtime();
    let store = RedisStore::new(target(&format!("redis://127.0.0.1:{port}")));
    assert!(matches!(
        rt.block_on(store.leaderboard(&LeaderboardQuery::default())),
        Err(StoreError::Unavailable { .. })
    ));
    let health = rt.block_on(store.health());
    assert_eq!(health.status, leaderboard_model::StoreStatus::Unavailable);
    assert_eq!(health.store, "redis");
    // Redis arrives: the same store object recovers on its own.
    let redis = RedisServer::start_on(port);
    import_dir(
        &rt,
        &redis.url(),
        common::fixture_dir().path(),
        DEFAULT_PREFIX_THRESHOLD,
    );
    let deadline = std::time::Instant::now() + common::DEADLINE;
    loop {
        match rt.block_on(store.meta(leaderboard_model::PlayedAt::MIN)) {
            Ok(meta) => {
                assert_eq!(meta.total_scores, 21);
                break;
            }
            Err(e) => assert!(std::time::Instant::now() < deadline, "never recovered: {e}"),
        }
    }
}

fn named_profiles(names: &[&str]) -> Vec<Profile> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| Profile {
            id: format!("p{i}"),
            user_name: name.to_string(),
            avatar_url: String::new(),
            achievements: vec![],
        })
        .collect()
}

/// `q` under a score order pages a prefix set when more than T scores match and lists at
/// most T matches otherwise: every sort, order, group, deep page and `around` gives the
/// reference's page either way, and no read lists more than T matches (the read-path
/// counters say which path each segment took: this fails if reads list all matches).
#[test]
fn q_pages_come_from_prefix_sets_over_the_threshold_and_at_most_t_listed_below_it() {
    const THRESHOLD: u64 = 20;
    let redis = RedisServer::start();
    let rt = runtime();
    let store = store_at(&redis.url());
    let names = [
        "alpha", "Alba", "al", "Bob", "amy", "ALF", "zed", "Ann", "Zoë",
    ];
    let profiles = named_profiles(&names);
    let scores: Vec<ScoreRecord> = (0..400)
        .map(|i| ScoreRecord {
            id: format!("s{i}"),
            // zed and Zoë are rare: their prefixes stay under the threshold.
            profile_id: format!(
                "p{}",
                if i % 40 == 0 {
                    6 + (i / 40) % 3
                } else {
                    (i * 7) % 6
                }
            ),
            score: (i * 37 % 50) as i64,
            game_mode: ["Solo", "Duo"][i % 2].to_string(),
            game_region: ["Milky Way", "Andromeda", "Pinwheel"][i % 3].to_string(),
            played_at: None,
        })
        .collect();
    import_records(&rt, &redis.url(), &scores, &profiles, THRESHOLD);
    assert!(assert_prefix_sets_hold_exactly_the_matches(&rt, &redis.url()).unwrap() > 0);
    let mut queries = Vec::new();
    for q in ["a", "al", "AL", "alp", "b", "z", "zo", "ZOË", "x"] {
        for sort in [SortKey::Score, SortKey::Mode, SortKey::Region] {
            for order in [SortOrder::Asc, SortOrder::Desc] {
                for mode in [None, Some("Duo".to_string())] {
                    for page in [1, 2, 7, 20, 40] {
                        queries.push(LeaderboardQuery {
                            page,
                            page_size: 10,
                            mode: mode.clone(),
                            region: None,
                            sort,
                            order,
                            q: Some(q.to_string()),
                            around: None,
                            ..LeaderboardQuery::default()
                        });
                    }
                    for player in 0..names.len() {
                        queries.push(LeaderboardQuery {
                            page_size: 7,
                            mode: mode.clone(),
                            sort,
                            order,
                            q: Some(q.to_string()),
                            around: Some(format!("p{player}")),
                            ..LeaderboardQuery::default()
                        });
                    }
                }
            }
        }
    }
    for query in &queries {
        let expected = reference::query(&scores, &profiles, query);
        match (expected, rt.block_on(store.leaderboard(query))) {
            (Ok(expected), Ok(actual)) => assert_eq!(actual, expected, "{query:?}"),
            (Err(_), Err(StoreError::PlayerNotFound { .. })) => {}
            (expected, actual) => panic!("{query:?}: expected {expected:?}, got {actual:?}"),
        }
    }
    let paths = store.read_paths();
    assert!(paths.prefix_set_segments > 0, "{paths:?}");
    assert!(paths.listed_segments > 0, "{paths:?}");
    assert!(paths.most_listed <= THRESHOLD, "{paths:?}");
    assert_eq!(paths.fallback_segments, 0, "{paths:?}");
}

/// Posts push a prefix over the threshold (its set appears), a rename moves the player's
/// entries to other prefixes (the old set goes once at most T match), and reads match
/// the reference at every step.
#[test]
fn posts_create_prefix_sets_as_prefixes_cross_the_threshold_and_renames_move_entries() {
    const THRESHOLD: u64 = 3;
    let redis = RedisServer::start();
    let rt = runtime();
    let url = redis.url();
    let store = store_at(&url);
    let mut profiles = common::fixture_profiles();
    let mut scores = common::fixture_scores();
    import_records(&rt, &url, &scores, &profiles, THRESHOLD);
    let quasar_key = Keys::live().prefix_set("all", b"q");
    let exists = |key: &[u8]| -> bool {
        let mut conn = connection(&rt, &url);
        rt.block_on(redis::cmd("EXISTS").arg(key).query_async::<u64>(&mut conn))
            .unwrap()
            == 1
    };
    let quasar = Profile {
        id: "p-quasar".into(),
        user_name: "Quasar".into(),
        avatar_url: String::new(),
        achievements: vec![],
    };
    profiles.push(quasar.clone());
    let check = |scores: &[ScoreRecord], profiles: &[Profile]| {
        assert_prefix_sets_hold_exactly_the_matches(&rt, &url).unwrap();
        for q in ["q", "qu", "x", "xe", "a"] {
            for sort in [SortKey::Score, SortKey::Mode, SortKey::Region] {
                for order in [SortOrder::Asc, SortOrder::Desc] {
                    let query = LeaderboardQuery {
                        page_size: 2,
                        page: 2,
                        sort,
                        order,
                        q: Some(q.into()),
                        ..LeaderboardQuery::default()
                    };
                    let expected = reference::query(scores, profiles, &query).unwrap();
                    assert_eq!(rt.block_on(store.leaderboard(&query)).unwrap(), expected);
                }
            }
        }
    };
    for i in 0..5 {
        let score = record(&format!("q{i}"), "p-quasar", 100 * i, "Solo", "Andromeda");
        rt.block_on(store.post_scores(vec![NewScore {
            score: score.clone(),
            profile: Some(quasar.clone()),
            time_sent: true,
        }]))
        .unwrap();
        scores.push(score);
        // T = 3: the fourth score makes "q" a prefix of more than T entries.
        assert_eq!(exists(&quasar_key), i >= 3, "after {} posts", i + 1);
        check(&scores, &profiles);
    }
    // Rename: "q…" loses all five entries (its set goes), "xenon" gains them.
    let xenon = Profile {
        user_name: "Xenon".into(),
        ..quasar.clone()
    };
    let last = record("q5", "p-quasar", 1, "Duo", "Pinwheel");
    rt.block_on(store.post_scores(vec![NewScore {
        score: last.clone(),
        profile: Some(xenon.clone()),
        time_sent: true,
    }]))
    .unwrap();
    scores.push(last);
    *profiles.last_mut().unwrap() = xenon;
    assert!(!exists(&quasar_key));
    assert!(exists(&Keys::live().prefix_set("all", b"xe")));
    check(&scores, &profiles);
    assert_eq!(store.read_paths().fallback_segments, 0);
}

/// Data without prefix sets (imported by an older version: no threshold key, no sets)
/// still answers exactly, by listing the matches, and says so through the counter.
#[test]
fn data_without_prefix_sets_falls_back_to_listing_and_still_answers_exactly() {
    let redis = RedisServer::start();
    let rt = runtime();
    let url = redis.url();
    let store = store_at(&url);
    let (scores, profiles) = (common::fixture_scores(), common::fixture_profiles());
    import_records(&rt, &url, &scores, &profiles, 1);
    let mut conn = connection(&rt, &url);
    let mut old = redis_keys(&rt, &url, "{lb}:pfx:*");
    old.insert(Keys::live().prefix_threshold().into_bytes());
    rt.block_on(redis::cmd("DEL").arg(old).query_async::<()>(&mut conn))
        .unwrap();
    for q in ["a", "b", "zo"] {
        let query = LeaderboardQuery {
            q: Some(q.into()),
            sort: SortKey::Mode,
            ..LeaderboardQuery::default()
        };
        let expected = reference::query(&scores, &profiles, &query).unwrap();
        assert_eq!(rt.block_on(store.leaderboard(&query)).unwrap(), expected);
    }
    let paths = store.read_paths();
    assert!(paths.fallback_segments > 0, "{paths:?}");
    assert_eq!(paths.prefix_set_segments, 0, "{paths:?}");
}

// ---------------------------------------------------------------------------------------
// Expiry
// ---------------------------------------------------------------------------------------

/// The period a key belongs to, read from its name (`day:YYYY-MM-DD/`, `week:…/`,
/// `month:…/`), or `None` for an all-time key.
fn period_of_key(name: &str) -> Option<Period> {
    PeriodKind::RESETTING.into_iter().find_map(|kind| {
        let tag = format!("{kind}:");
        let at = name.find(&tag)? + tag.len();
        let date = name.get(at..at + 10)?;
        (name.get(at + 10..at + 11) == Some("/")).then_some(())?;
        let start = PlayedAt::parse(&format!("{date}T00:00:00Z")).ok()?;
        let period = Period::containing(kind, start)?;
        (period.start() == start).then_some(period)
    })
}

/// Under the default retention, imported and posted scores (and a removal that moves a
/// player's best) write their day, week and month keys only while those periods are
/// retained, and every period key carries `PEXPIRETIME` = `Retention::expires_at` of its
/// period (so Redis drops it by itself, no scan, no sleeping here); all-time keys never
/// expire. The times are the machine clock's recent past: a day 35 days back is no longer
/// retained (its week and month are), a time 400 days back only counts for all time.
#[test]
fn every_period_key_expires_by_itself_when_its_period_leaves_the_retention() {
    const DAY: u64 = 86_400_000;
    let redis = RedisServer::start();
    let url = redis.url();
    let rt = runtime();
    let retention = Retention::default();
    let store = RedisStore::new(target(&url)).with_retention(retention);
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let ago = |days: u64| PlayedAt::from_unix_millis(wall - days * DAY).unwrap();
    let times = [ago(0), ago(1), ago(8), ago(35), ago(400)];
    let profiles = named_profiles(&["alice", "bob"]);
    let imported: Vec<ScoreRecord> = times
        .iter()
        .enumerate()
        .map(|(i, at)| ScoreRecord {
            played_at: Some(*at),
            ..record(&format!("i{i}"), "p0", 10 * i as i64, "Solo", "Andromeda")
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    common::write_data(dir.path(), &imported, &profiles);
    rt.block_on(import(
        dir.path(),
        &target(&url),
        LoadOptions::default(),
        1,
        None,
        retention,
    ))
    .unwrap();
    let posts: Vec<NewScore> = times
        .iter()
        .enumerate()
        .map(|(i, at)| NewScore {
            score: ScoreRecord {
                played_at: Some(*at),
                ..record(&format!("n{i}"), "p1", 100 - i as i64, "Duo", "ß")
            },
            profile: None,
            time_sent: true,
        })
        .collect();
    rt.block_on(store.post_scores(posts)).unwrap();
    // p1's best everywhere goes: their next best takes its place in the view sets.
    rt.block_on(store.remove(&Removal::Score("n0".into())))
        .unwrap();

    let mut conn = connection(&rt, &url);
    let mut scopes_seen = BTreeSet::new();
    let mut period_keys = 0;
    for key in redis_keys(&rt, &url, "{lb}:*") {
        let name = String::from_utf8_lossy(&key).into_owned();
        let expiry: i64 = rt
            .block_on(redis::cmd("PEXPIRETIME").arg(&key).query_async(&mut conn))
            .unwrap();
        match period_of_key(&name) {
            Some(period) => {
                let expected = retention.expires_at(&period).unwrap().unix_millis() / 1000;
                assert!(expires_with(expiry, expected as i64), "{name}: {expiry} ms");
                assert!(retention.keeps(&period, ago(0)), "{name} is not retained");
                scopes_seen.insert(period);
                period_keys += 1;
            }
            None => assert_eq!(expiry, -1, "{name} is all-time but expires"),
        }
    }
    // Every retained period of the times has its keys; the others have none.
    for at in times {
        for kind in PeriodKind::RESETTING {
            let period = Period::containing(kind, at).unwrap();
            assert_eq!(
                scopes_seen.contains(&period),
                retention.keeps(&period, ago(0)),
                "{kind} of {at}"
            );
        }
    }
    assert!(!scopes_seen.contains(&Period::containing(PeriodKind::Day, ago(35)).unwrap()));
    assert!(period_keys > 0);
    // What the meta says matches: each retained period with scores is listed.
    let meta = rt.block_on(store.meta(ago(0))).unwrap();
    let periods = meta.periods.expect("timed scores give the meta periods");
    let listed: BTreeSet<(PeriodKind, PlayedAt)> = [
        (PeriodKind::Day, periods.day),
        (PeriodKind::Week, periods.week),
        (PeriodKind::Month, periods.month),
    ]
    .into_iter()
    .flat_map(|(kind, summary)| summary.with_data.into_iter().map(move |at| (kind, at)))
    .collect();
    let expected: BTreeSet<(PeriodKind, PlayedAt)> =
        scopes_seen.iter().map(|p| (p.kind(), p.start())).collect();
    assert_eq!(listed, expected);
}
