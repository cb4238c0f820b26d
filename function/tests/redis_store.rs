//! The Redis store through its API, against real Redis (started here): it answers exactly
//! as the naive reference on random data and random queries (one server and a three-master
//! cluster), the import is idempotent, and posts are atomic, idempotent, versioned and
//! ranked.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::redis::{RedisCluster, RedisServer};
use leaderboard_engine::reference;
use leaderboard_function::data::LoadOptions;
use leaderboard_function::store::redis::import::import;
use leaderboard_function::store::redis::{RedisStore, RedisTarget};
use leaderboard_function::store::{LeaderboardStore, NewScore, StoreError};
use leaderboard_model::{LeaderboardQuery, Profile, ScoreRecord, SortKey, SortOrder};
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

fn import_records(
    rt: &tokio::runtime::Runtime,
    url: &str,
    scores: &[ScoreRecord],
    profiles: &[Profile],
) {
    let dir = tempfile::tempdir().unwrap();
    common::write_data(dir.path(), scores, profiles);
    import_dir(rt, url, dir.path());
}

fn import_dir(rt: &tokio::runtime::Runtime, url: &str, dir: &Path) {
    rt.block_on(import(dir, &target(url), LoadOptions::default()))
        .unwrap_or_else(|e| panic!("import failed: {e}"));
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
const QS: &[&str] = &[
    "a", "A", "al", "ALI", "b", "bo", "z", "zo", "é", "É", "_", "x", "i̇", "a b",
];

#[derive(Debug, Clone)]
struct Data {
    scores: Vec<ScoreRecord>,
    profiles: Vec<Profile>,
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
                .map(|(profile, score, mode, region, id)| ScoreRecord {
                    // "s10" < "s2" in byte order: ids that sort unlike numbers.
                    id: format!("s{id}"),
                    profile_id: format!("p{profile}"),
                    score,
                    game_mode: MODES[mode].to_string(),
                    game_region: REGIONS[region].to_string(),
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
    )
        .prop_map(
            |(page, page_size, mode, region, sort, asc, q, around)| LeaderboardQuery {
                page,
                page_size,
                mode: mode.map(str::to_string),
                region: region.map(str::to_string),
                sort,
                order: if asc { SortOrder::Asc } else { SortOrder::Desc },
                q: q.map(str::to_string),
                around: around.map(|p| format!("p{p}")),
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
    let meta = rt
        .block_on(store.meta())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(meta, reference::meta(&data.scores, &data.profiles));
    Ok(())
}

fn equivalence_run(url: &str, cases: u32, max_scores: usize) {
    let rt = runtime();
    let store = RedisStore::new(target(url));
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        data_strategy(max_scores),
        prop::collection::vec(query_strategy(), 40),
    );
    runner
        .run(&strategy, |(data, queries)| {
            import_records(&rt, url, &data.scores, &data.profiles);
            check_queries(&rt, &store, &data, &queries)
        })
        .unwrap();
}

#[test]
fn imported_data_answers_every_query_exactly_as_the_reference() {
    let redis = RedisServer::start();
    equivalence_run(&redis.url(), 48, 40);
}

#[test]
fn a_three_master_cluster_answers_exactly_as_the_reference() {
    let cluster = RedisCluster::start();
    equivalence_run(&cluster.url(), 12, 30);
}

/// Posts (new players, renames, ties, more entries) after an import: the store then answers
/// as the reference over the imported plus the posted data.
#[test]
fn posted_scores_answer_every_query_exactly_as_the_reference() {
    let redis = RedisServer::start();
    let url = redis.url();
    let rt = runtime();
    let store = RedisStore::new(target(&url));
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        data_strategy(25),
        prop::collection::vec(
            (
                0usize..10,
                prop::option::weighted(0.5, 0..NAMES.len()),
                prop::sample::select(vec![0i64, 7, 100, 5000]),
                0..MODES.len(),
                0..REGIONS.len(),
            ),
            1..12,
        ),
        prop::collection::vec(query_strategy(), 30),
    );
    runner
        .run(&strategy, |(data, posts, queries)| {
            import_records(&rt, &url, &data.scores, &data.profiles);
            let mut profiles: BTreeMap<String, Profile> = data
                .profiles
                .iter()
                .map(|p| (p.id.clone(), p.clone()))
                .collect();
            let mut scores = data.scores.clone();
            for (i, (player, name, score, mode, region)) in posts.into_iter().enumerate() {
                let profile_id = format!("p{player}");
                let profile = name.map(|n| Profile {
                    id: profile_id.clone(),
                    user_name: NAMES[n].to_string(),
                    avatar_url: "images/avatars/new.svg".into(),
                    achievements: vec![],
                });
                if profile.is_none() && !profiles.contains_key(&profile_id) {
                    continue;
                }
                let record = ScoreRecord {
                    id: format!("posted-{i}"),
                    profile_id: profile_id.clone(),
                    score,
                    game_mode: MODES[mode].to_string(),
                    game_region: REGIONS[region].to_string(),
                };
                let posted = rt
                    .block_on(store.post_scores(vec![NewScore {
                        score: record.clone(),
                        profile: profile.clone(),
                    }]))
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(posted[0].created);
                if let Some(profile) = profile {
                    profiles.insert(profile_id, profile);
                }
                scores.push(record);
            }
            let data = Data {
                scores,
                profiles: profiles.into_values().collect(),
            };
            check_queries(&rt, &store, &data, &queries)
        })
        .unwrap();
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
    let store = RedisStore::new(target(&redis.url()));
    let dir = common::fixture_dir();
    import_dir(&rt, &redis.url(), dir.path());
    let first = dump(&rt, &redis.url());
    let first_version = rt.block_on(store.version()).unwrap();
    assert!(first.keys().any(|k| k.starts_with(b"{lb}:score:")));
    import_dir(&rt, &redis.url(), dir.path());
    assert_eq!(dump(&rt, &redis.url()), first);
    assert_ne!(rt.block_on(store.version()).unwrap(), first_version);

    // A smaller data set replaces the larger one entirely: no stale selection is left.
    let smaller: Vec<ScoreRecord> = common::fixture_scores()
        .into_iter()
        .filter(|s| s.game_mode == "Solo")
        .collect();
    import_records(&rt, &redis.url(), &smaller, &common::fixture_profiles());
    let keys = dump(&rt, &redis.url());
    assert!(!keys.keys().any(|k| k.starts_with(b"{lb}:score:m:Duo")));
    assert!(!keys.keys().any(|k| k.starts_with(b"{lb}:staging:")));
    let meta = rt.block_on(store.meta()).unwrap();
    assert_eq!(meta, reference::meta(&smaller, &common::fixture_profiles()));
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
    }
}

#[test]
fn a_post_is_ranked_in_its_four_boards_bumps_the_version_and_is_idempotent() {
    let redis = RedisServer::start();
    let rt = runtime();
    let store = RedisStore::new(target(&redis.url()));
    import_dir(&rt, &redis.url(), common::fixture_dir().path());
    let before = rt.block_on(store.version()).unwrap();

    // 850 in Solo / Milky Way: below the four 900s overall, the three Solo ones, the three
    // Milky Way ones (s01, s15, s21), and s01 and s21 in Solo / Milky Way.
    let post = NewScore {
        score: record("new-1", "p5", 850, "Solo", "Milky Way"),
        profile: None,
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
    assert_eq!(rt.block_on(store.meta()).unwrap().total_scores, 22);

    // Same id, other content: a conflict, nothing stored.
    let conflict = NewScore {
        score: record("new-1", "p5", 851, "Solo", "Milky Way"),
        profile: None,
    };
    assert_eq!(
        rt.block_on(store.post_scores(vec![conflict])),
        Err(StoreError::Conflict { id: "new-1".into() })
    );
    // An unknown player without a profile: refused, nothing stored.
    let stranger = NewScore {
        score: record("new-2", "p-new", 1, "Solo", "Milky Way"),
        profile: None,
    };
    assert_eq!(
        rt.block_on(store.post_scores(vec![stranger])),
        Err(StoreError::UnknownProfile {
            profile_id: "p-new".into()
        })
    );
    assert_eq!(rt.block_on(store.version()).unwrap(), after);
    assert_eq!(rt.block_on(store.meta()).unwrap().total_scores, 22);

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
fn a_batch_stores_each_post_and_stops_at_the_first_refusal() {
    let redis = RedisServer::start();
    let rt = runtime();
    let store = RedisStore::new(target(&redis.url()));
    import_dir(&rt, &redis.url(), common::fixture_dir().path());
    let newcomer = Profile {
        id: "p-new".into(),
        user_name: "Newcomer".into(),
        avatar_url: "images/avatars/default.svg".into(),
        achievements: vec![],
    };
    let batch = vec![
        NewScore {
            score: record("b1", "p-new", 10, "Duo", "Andromeda"),
            profile: Some(newcomer.clone()),
        },
        NewScore {
            score: record("b2", "p-new", 20, "Duo", "Andromeda"),
            profile: None,
        },
    ];
    let answers = rt.block_on(store.post_scores(batch)).unwrap();
    assert!(answers.iter().all(|a| a.created));
    assert_eq!(answers[1].profile, newcomer);
    let meta = rt.block_on(store.meta()).unwrap();
    assert_eq!((meta.total_scores, meta.total_players), (23, 10));

    let refused = vec![
        NewScore {
            score: record("b3", "p1", 5, "Duo", "Andromeda"),
            profile: None,
        },
        NewScore {
            score: record("b4", "p-unknown", 5, "Duo", "Andromeda"),
            profile: None,
        },
        NewScore {
            score: record("b5", "p1", 5, "Duo", "Andromeda"),
            profile: None,
        },
    ];
    assert!(matches!(
        rt.block_on(store.post_scores(refused)),
        Err(StoreError::UnknownProfile { .. })
    ));
    assert_eq!(
        rt.block_on(store.meta()).unwrap().total_scores,
        24,
        "b3 only"
    );
}

#[test]
fn concurrent_posts_from_many_clients_are_all_counted() {
    let redis = RedisServer::start();
    let rt = runtime();
    import_dir(&rt, &redis.url(), common::fixture_dir().path());
    let store = std::sync::Arc::new(RedisStore::new(target(&redis.url())));
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
                    };
                    store.post_scores(vec![post]).await.unwrap();
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
    });
    let meta = rt.block_on(store.meta()).unwrap();
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
    import_dir(&rt, &redis.url(), common::fixture_dir().path());
    let deadline = std::time::Instant::now() + common::DEADLINE;
    loop {
        match rt.block_on(store.meta()) {
            Ok(meta) => {
                assert_eq!(meta.total_scores, 21);
                break;
            }
            Err(e) => assert!(std::time::Instant::now() < deadline, "never recovered: {e}"),
        }
    }
}

/// `q` under a score order is answered by walking the leaderboard when matches are dense
/// (early pages) and by fetching the matches when they are sparse (deep pages, rare
/// names): both give the reference's pages.
#[test]
fn dense_and_sparse_q_pages_match_the_reference_whether_walked_or_listed() {
    use leaderboard_function::store::redis::read::scan_is_cheaper;
    let redis = RedisServer::start();
    let rt = runtime();
    let store = RedisStore::new(target(&redis.url()));
    let names = ["alpha", "Alba", "al", "Bob", "amy", "ALF", "zed", "Ann"];
    let profiles: Vec<Profile> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Profile {
            id: format!("p{i}"),
            user_name: name.to_string(),
            avatar_url: String::new(),
            achievements: vec![],
        })
        .collect();
    let scores: Vec<ScoreRecord> = (0..300)
        .map(|i| ScoreRecord {
            id: format!("s{i}"),
            profile_id: format!("p{}", (i * 7) % names.len()),
            score: (i * 37 % 50) as i64,
            game_mode: ["Solo", "Duo"][i % 2].to_string(),
            game_region: "Milky Way".to_string(),
        })
        .collect();
    import_records(&rt, &redis.url(), &scores, &profiles);
    // "a" matches 6 of 8 players: page 1 is walked, page 20 of 10 is listed.
    assert!(scan_is_cheaper(10, 225, 300));
    assert!(!scan_is_cheaper(200, 225, 300));
    for q in ["a", "al", "AL", "b", "z", "x"] {
        for sort in [SortKey::Score, SortKey::Mode, SortKey::Region] {
            for order in [SortOrder::Asc, SortOrder::Desc] {
                for mode in [None, Some("Duo".to_string())] {
                    for page in [1, 2, 7, 20, 40] {
                        let query = LeaderboardQuery {
                            page,
                            page_size: 10,
                            mode: mode.clone(),
                            region: None,
                            sort,
                            order,
                            q: Some(q.to_string()),
                            around: None,
                        };
                        let expected = reference::query(&scores, &profiles, &query).unwrap();
                        let actual = rt.block_on(store.leaderboard(&query)).unwrap();
                        assert_eq!(actual, expected, "{query:?}");
                    }
                }
            }
        }
    }
}
