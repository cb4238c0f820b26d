//! Moderation over real HTTP against the built binary: `DELETE /api/scores/{id}` and
//! `DELETE /api/players/{id}` with the admin key. Auth (only the admin key: not the ingest
//! key, and the admin key posts nothing), off without a key, bad ids, a removed score gone
//! from all four leaderboards with ranks closed up (whole pages compared with what the API
//! answered before, minus the row), a removed player gone everywhere, idempotency, the
//! version and ETags, removals racing posts, and the same bodies from both stores.
//!
//! The store under test is `LEADERBOARD_TEST_STORE` (embedded by default; scripts/test.sh
//! runs this file again on `redis` and `redis-cluster`). On Redis the data is imported with
//! a prefix threshold of 1, so that nearly every name prefix has a prefix set and removals
//! must keep them exact for `q` reads to answer right.

mod common;

use std::thread;

use common::redis::{RedisCluster, RedisServer};
use common::*;
use serde_json::{json, Value};
use tempfile::TempDir;

const ADMIN: &str = "test-admin-key-0123456789abcdef";
const INGEST: &str = "test-ingest-key-0123456789abcdef";
const LEADERBOARD: &str = "/api/LeaderboardFunction";

/// The Redis processes behind a board, alive as long as it (held, never read).
#[allow(dead_code)]
enum Redis {
    None,
    Server(RedisServer),
    Cluster(RedisCluster),
}

/// A server on the fixture data (21 scores, 9 players) with both keys unless asked
/// otherwise, on the store under test.
struct Board {
    server: Server,
    _data: TempDir,
    _redis: Redis,
}

impl Board {
    fn start() -> Board {
        Board::start_on(&store_under_test(), Some(ADMIN))
    }

    fn start_on(store: &str, admin: Option<&str>) -> Board {
        let data = fixture_dir();
        let (launch, redis) = match store {
            "redis" => {
                let server = RedisServer::start();
                let launch = import_and_serve(data.path(), &server.url());
                (launch, Redis::Server(server))
            }
            "redis-cluster" => {
                let cluster = RedisCluster::start();
                let launch = import_and_serve(data.path(), &cluster.url());
                (launch, Redis::Cluster(cluster))
            }
            _ => (Launch::serve(data.path()), Redis::None),
        };
        let launch = launch.ingest_key(INGEST);
        let launch = match admin {
            Some(key) => launch.admin_key(key),
            None => launch,
        };
        Board {
            server: launch.start(),
            _data: data,
            _redis: redis,
        }
    }

    fn delete(&self, path: &str) -> Reply {
        self.delete_with(path, &format!("Bearer {ADMIN}"))
    }

    fn delete_with(&self, path: &str, authorization: &str) -> Reply {
        self.server
            .request("DELETE", path, &[("Authorization", authorization)])
    }

    fn get_json(&self, path: &str) -> Value {
        let reply = self.server.get_with(path, SAME_HOST);
        assert_eq!(reply.status, 200, "GET {path}: {}", reply.text());
        reply.json()
    }

    fn meta(&self) -> Value {
        self.get_json("/api/LeaderboardFunction/meta")
    }

    fn version(&self) -> String {
        self.get_json("/api/health")["version"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn total(&self) -> u64 {
        self.get_json(LEADERBOARD)["totalResults"].as_u64().unwrap()
    }

    /// A selection's whole leaderboard in one page (the fixture is small).
    fn page(&self, selection: &str) -> Value {
        self.get_json(&format!("{LEADERBOARD}?pageSize=50{selection}"))
    }

    fn post(&self, body: &Value) -> Reply {
        post(&self.server.url("/api/scores"), body)
    }
}

/// Loads the data directory into Redis with `import --prefix-threshold 1`, then launches
/// the function on it.
fn import_and_serve(data_dir: &std::path::Path, url: &str) -> Launch {
    let exited = Launch::args(["import", "--prefix-threshold", "1", "--data-dir"])
        .arg(data_dir)
        .arg("--redis")
        .arg(url)
        .run_to_exit();
    assert!(exited.status.success(), "import failed: {}", exited.stderr);
    Launch::args(["--redis", url, "--port", "0"])
}

/// A score post with the ingest key (usable from any thread).
fn post(url: &str, body: &Value) -> Reply {
    request_with_body(
        "POST",
        url,
        &[
            ("Authorization", &format!("Bearer {INGEST}")),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
}

/// Avatar URLs resolve against the request's host: two servers compared name one host.
const SAME_HOST: &[(&str, &str)] = &[("X-Forwarded-Host", "games.example")];

/// The four selections of a fixture score (Solo in Andromeda), as query suffixes.
const SELECTIONS: [&str; 4] = [
    "",
    "&mode=Solo",
    "&region=Andromeda",
    "&mode=Solo&region=Andromeda",
];

fn assert_error(reply: &Reply, status: u16, param: Option<&str>) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["param"].as_str(), param, "{body}");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    body["error"].as_str().unwrap().to_string()
}

fn assert_no_content(reply: &Reply) {
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert!(reply.body.is_empty());
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

/// `page` (a whole selection on one page) without the entries `gone` says, with the
/// competition ranks of what is left and the counts one less per removed entry: what the
/// API must answer after those entries' removal.
fn without(page: &Value, gone: impl Fn(&Value) -> bool) -> Value {
    let mut expected = page.clone();
    let kept: Vec<Value> = page["scores"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| !gone(entry))
        .cloned()
        .collect();
    let points: Vec<i64> = kept
        .iter()
        .map(|e| e["score"]["score"].as_i64().unwrap())
        .collect();
    let ranked: Vec<Value> = kept
        .into_iter()
        .map(|mut entry| {
            let score = entry["score"]["score"].as_i64().unwrap();
            entry["rank"] = json!(1 + points.iter().filter(|&&p| p > score).count());
            entry
        })
        .collect();
    expected["totalResults"] = json!(ranked.len());
    expected["totalPages"] = json!(ranked.len().div_ceil(50));
    expected["scores"] = Value::Array(ranked);
    expected
}

fn facet_count(meta: &Value, facet: &str, name: &str) -> Option<u64> {
    meta[facet]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .map(|f| f["count"].as_u64().unwrap())
}

// ---------------------------------------------------------------------------------------
// Auth, off, ids, methods
// ---------------------------------------------------------------------------------------

#[test]
fn without_an_admin_key_moderation_is_off_and_says_how_to_turn_it_on() {
    let board = Board::start_on(&store_under_test(), None);
    for path in ["/api/scores/s01", "/api/players/p1"] {
        let reply = board.delete(path);
        let message = assert_error(&reply, 404, None);
        assert!(message.contains("LEADERBOARD_ADMIN_KEY"), "{message}");
    }
    assert_eq!(board.total(), 21);
    // Ingestion, configured, is unaffected.
    let reply =
        board.post(&json!({"profileId": "p1", "score": 5, "gameMode": "Solo", "gameRegion": "X"}));
    assert_eq!(reply.status, 201, "{}", reply.text());
}

#[test]
fn the_admin_key_alone_turns_on_moderation_and_leaves_ingestion_off() {
    let data = fixture_dir();
    let server = Launch::serve_with_store_under_test(data.path())
        .admin_key(ADMIN)
        .start();
    let reply = server.request(
        "DELETE",
        "/api/players/p1",
        &[("Authorization", &format!("Bearer {ADMIN}"))],
    );
    assert_no_content(&reply);
    let health = server.get("/api/health").json();
    assert_eq!(health["totalScores"], 18);
    let posted = request_with_body(
        "POST",
        &server.url("/api/scores"),
        &[
            ("Authorization", &format!("Bearer {ADMIN}")),
            ("Content-Type", "application/json"),
        ],
        br#"{"profileId":"p2","score":5,"gameMode":"Solo","gameRegion":"X"}"#,
    );
    let message = assert_error(&posted, 404, None);
    assert!(message.contains("LEADERBOARD_INGEST_KEY"), "{message}");
}

#[test]
fn only_the_admin_key_removes_and_it_posts_nothing() {
    let board = Board::start();
    let version = board.version();
    let missing = board.server.request("DELETE", "/api/scores/s01", &[]);
    assert_error(&missing, 401, None);
    assert_eq!(
        missing.header("www-authenticate"),
        Some("Bearer realm=\"leaderboard-admin\"")
    );
    let wrong = format!("Bearer {ADMIN}x");
    let ingest = format!("Bearer {INGEST}");
    let basic = format!("Basic {ADMIN}");
    for path in ["/api/scores/s01", "/api/players/p1"] {
        for auth in [wrong.as_str(), ingest.as_str(), basic.as_str(), "Bearer"] {
            let reply = board.delete_with(path, auth);
            let message = assert_error(&reply, 401, None);
            assert!(message.contains("admin key"), "{message}");
            assert_eq!(
                reply.header("www-authenticate"),
                Some("Bearer realm=\"leaderboard-admin\", error=\"invalid_token\""),
                "{auth}"
            );
        }
    }
    // The admin key is not an ingest key.
    let posted = request_with_body(
        "POST",
        &board.server.url("/api/scores"),
        &[
            ("Authorization", &format!("Bearer {ADMIN}")),
            ("Content-Type", "application/json"),
        ],
        br#"{"profileId":"p1","score":5,"gameMode":"Solo","gameRegion":"X"}"#,
    );
    assert_error(&posted, 401, None);
    assert_eq!(
        posted.header("www-authenticate"),
        Some("Bearer realm=\"leaderboard-ingest\", error=\"invalid_token\"")
    );
    assert_eq!(board.total(), 21, "nothing changed");
    assert_eq!(board.version(), version);
    assert_no_content(&board.delete_with("/api/scores/s01", &format!("bearer {ADMIN}")));
    assert_eq!(board.total(), 20);
}

#[test]
fn bad_ids_are_400_naming_id_after_auth_and_other_methods_405() {
    let board = Board::start();
    let long = format!("/api/scores/{}", "x".repeat(129));
    for path in [
        "/api/scores/",
        "/api/players/",
        long.as_str(),
        "/api/scores/s%0A1",
        "/api/players/p%001",
        "/api/players/%FF",
    ] {
        let reply = board.delete(path);
        let message = assert_error(&reply, 400, Some("id"));
        assert!(message.starts_with("id "), "{path}: {message}");
        // Without the key, nothing about the id is said.
        let anonymous = board.server.request("DELETE", path, &[]);
        assert_error(&anonymous, 401, None);
    }
    assert_eq!(board.total(), 21);
    for path in ["/api/scores/s01", "/api/players/p1"] {
        for method in ["GET", "POST", "PUT", "PATCH"] {
            let reply = board.server.request(method, path, &[]);
            assert_error(&reply, 405, None);
            assert_eq!(reply.header("allow"), Some("DELETE"), "{method} {path}");
        }
    }
    // Browsers are never invited to remove: the preflight does not allow DELETE.
    let preflight = board.server.request(
        "OPTIONS",
        "/api/scores/s01",
        &[
            ("Origin", "https://blog.example"),
            ("Access-Control-Request-Method", "DELETE"),
            ("Access-Control-Request-Headers", "authorization"),
        ],
    );
    let allowed = preflight.header_list("access-control-allow-methods");
    assert!(!allowed.is_empty(), "a preflight answer: {preflight:?}");
    assert!(
        !allowed.to_ascii_uppercase().contains("DELETE"),
        "{allowed}"
    );
    // An id with a slash or a space travels percent-encoded; an unknown one is no error.
    assert_no_content(&board.delete("/api/scores/a%2Fb%20c"));
    assert_eq!(board.total(), 21);
}

// ---------------------------------------------------------------------------------------
// Removing
// ---------------------------------------------------------------------------------------

#[test]
fn a_removed_score_leaves_all_four_leaderboards_and_ranks_close_up() {
    let board = Board::start();
    // s02: 900 points, Solo in Andromeda, p2's best; tied at 900 with three others.
    let before: Vec<Value> = SELECTIONS.iter().map(|s| board.page(s)).collect();
    let etags: Vec<String> = SELECTIONS
        .iter()
        .map(|s| {
            let path = format!("{LEADERBOARD}?pageSize=50{s}");
            board.server.get(&path).header("etag").unwrap().to_string()
        })
        .collect();
    let meta = board.meta();
    let version = board.version();
    assert_no_content(&board.delete("/api/scores/s02"));
    assert_ne!(board.version(), version, "a removal is a new version");
    for ((selection, page), etag) in SELECTIONS.iter().zip(&before).zip(&etags) {
        let expected = without(page, |entry| entry["score"]["id"] == "s02");
        assert_eq!(board.page(selection), expected, "selection {selection:?}");
        let path = format!("{LEADERBOARD}?pageSize=50{selection}");
        let reply = board.server.get_with(&path, &[("If-None-Match", etag)]);
        assert_eq!(reply.status, 200, "an old ETag no longer matches: {path}");
    }
    // Three left in the tie at 900; the 800 below it is now fourth, not fifth.
    let all = board.page("");
    assert_eq!(all["scores"][2]["rank"], 1);
    assert_eq!(all["scores"][3]["rank"], 4);
    // The counts dropped by one.
    let after = board.meta();
    assert_eq!(after["totalScores"], 20);
    assert_eq!(after["totalPlayers"], meta["totalPlayers"]);
    assert_eq!(
        facet_count(&after, "modes", "Solo"),
        facet_count(&meta, "modes", "Solo").map(|c| c - 1)
    );
    assert_eq!(
        facet_count(&after, "regions", "Andromeda"),
        facet_count(&meta, "regions", "Andromeda").map(|c| c - 1)
    );
    // The player's best moved on to their next entry (p2: s20, 600 points).
    let around = board.get_json(&format!("{LEADERBOARD}?around=p2&pageSize=1"));
    assert_eq!(around["scores"][0]["score"]["id"], "s20");
    // Their Solo-in-Andromeda board has no entry of theirs left.
    let reply = board.server.get(&format!(
        "{LEADERBOARD}?around=p2&mode=Solo&region=Andromeda"
    ));
    assert_error(&reply, 404, Some("around"));
    // Name search (prefix sets on Redis) no longer lists it.
    let found = board.get_json(&format!("{LEADERBOARD}?q=ali&pageSize=50"));
    assert!(found["scores"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["score"]["id"] != "s02"));
    assert_eq!(
        found["totalResults"], 5,
        "alice's three and Alicia's other two"
    );
}

#[test]
fn a_removed_player_loses_profile_and_every_score() {
    let board = Board::start();
    let before: Vec<Value> = ["", "&mode=Duo", "&region=Ring%20Nebula", "&q=d"]
        .iter()
        .map(|s| board.page(s))
        .collect();
    assert_no_content(&board.delete("/api/players/p6"));
    // p6 (Dave) had both Ring Nebula scores: the region leaves the meta.
    for (selection, page) in ["", "&mode=Duo", "&region=Ring%20Nebula", "&q=d"]
        .iter()
        .zip(&before)
    {
        let expected = without(page, |entry| entry["score"]["profileId"] == "p6");
        assert_eq!(board.page(selection), expected, "selection {selection:?}");
    }
    let meta = board.meta();
    assert_eq!(meta["totalScores"], 19);
    assert_eq!(meta["totalPlayers"], 8);
    assert_eq!(facet_count(&meta, "regions", "Ring Nebula"), None, "{meta}");
    let sum: u64 = meta["modes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["count"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, 19);
    let reply = board.server.get(&format!("{LEADERBOARD}?around=p6"));
    assert_error(&reply, 404, Some("around"));
    // The profile went too: a score for p6 needs a profile again.
    let orphan =
        board.post(&json!({"profileId": "p6", "score": 5, "gameMode": "Solo", "gameRegion": "X"}));
    assert_error(&orphan, 400, Some("profile"));
    let back = board.post(
        &json!({"profileId": "p6", "score": 5, "gameMode": "Solo", "gameRegion": "X",
        "profile": {"userName": "Dave again"}}),
    );
    assert_eq!(back.status, 201, "{}", back.text());
    assert_eq!(back.json()["profile"]["achievements"], json!([]));
}

#[test]
fn a_second_removal_answers_the_same_and_changes_nothing() {
    let board = Board::start();
    for path in [
        "/api/scores/s15",
        "/api/players/p1",
        "/api/scores/never-stored",
    ] {
        let first = board.delete(path);
        assert_no_content(&first);
        let version = board.version();
        let etag = board
            .server
            .get(LEADERBOARD)
            .header("etag")
            .unwrap()
            .to_string();
        let meta = board.meta();
        let second = board.delete(path);
        assert_no_content(&second);
        assert_eq!(second.body, first.body);
        assert_eq!(
            second.header("cache-control"),
            first.header("cache-control")
        );
        assert_eq!(
            board.version(),
            version,
            "{path}: a no-op keeps the version"
        );
        let reply = board
            .server
            .get_with(LEADERBOARD, &[("If-None-Match", &etag)]);
        assert_eq!(reply.status, 304, "{path}: the ETag still matches");
        assert_eq!(board.meta(), meta);
    }
    // A score of a removed player is gone with them: removing it again is no change.
    let version = board.version();
    assert_no_content(&board.delete("/api/scores/s09"));
    assert_eq!(board.version(), version);
    assert_eq!(board.total(), 21 - 1 - 3);
}

#[test]
fn removals_racing_posts_lose_nothing_else() {
    const POSTERS: usize = 4;
    const POSTS_EACH: usize = 15;
    let board = Board::start();
    let removed: Vec<&str> = vec!["s01", "s03", "s05", "s07", "s11", "s13", "s17", "s19"];
    thread::scope(|scope| {
        for poster in 0..POSTERS {
            let url = board.server.url("/api/scores");
            scope.spawn(move || {
                for n in 0..POSTS_EACH {
                    let mode = ["Solo", "Duo"][n % 2];
                    let mut body = json!({"id": format!("race-{poster}-{n}"),
                        "profileId": format!("racer-{poster}"), "score": (n * 100) as i64,
                        "gameMode": mode, "gameRegion": "Andromeda"});
                    if n == 0 {
                        body["profile"] = json!({"userName": format!("alice racer {poster}")});
                    }
                    let reply = post(&url, &body);
                    assert_eq!(reply.status, 201, "{}", reply.text());
                }
            });
        }
        let removed = &removed;
        let base = board.server.base_url.clone();
        scope.spawn(move || {
            let auth = format!("Bearer {ADMIN}");
            let delete = |path: &str| {
                request(
                    "DELETE",
                    &format!("{base}{path}"),
                    &[("Authorization", &auth)],
                )
            };
            for id in removed {
                assert_no_content(&delete(&format!("/api/scores/{id}")));
            }
            assert_no_content(&delete("/api/players/p5"));
        });
    });
    // p5 had s05 (already removed) and s13 (removed twice over): 21 - 8 + the posts.
    let total = 21 - removed.len() + POSTERS * POSTS_EACH;
    let all = board.page("&pageSize=50");
    let mut ids = Vec::new();
    for page in 1.. {
        let body = board.get_json(&format!("{LEADERBOARD}?pageSize=50&page={page}"));
        let scores = body["scores"].as_array().unwrap().clone();
        if scores.is_empty() {
            break;
        }
        ids.extend(
            scores
                .iter()
                .map(|e| e["score"]["id"].as_str().unwrap().to_string()),
        );
    }
    assert_eq!(all["totalResults"], total);
    assert_eq!(ids.len(), total);
    for id in &removed {
        assert!(!ids.iter().any(|i| i == id), "{id} is back");
    }
    for poster in 0..POSTERS {
        for n in 0..POSTS_EACH {
            let id = format!("race-{poster}-{n}");
            assert!(ids.contains(&id), "{id} was lost");
        }
    }
    let meta = board.meta();
    assert_eq!(meta["totalScores"], total);
    // Players with scores: not p5 (removed) nor p7 (both scores removed).
    assert_eq!(meta["totalPlayers"], 7 + POSTERS);
    for facet in ["modes", "regions"] {
        let sum: u64 = meta[facet]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["count"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, total as u64, "{facet}");
    }
    // Every selection still ranks the same set as a fresh count would.
    let andromeda = board.get_json(&format!(
        "{LEADERBOARD}?region=Andromeda&q=alice&pageSize=50"
    ));
    assert_eq!(andromeda["totalResults"], POSTERS * POSTS_EACH);
}

// ---------------------------------------------------------------------------------------
// Both stores
// ---------------------------------------------------------------------------------------

/// Every read shape, after removals: scores, filters, sorts, `q` (on Redis through prefix
/// sets that removals shrank and dropped), `around`, the meta.
const REQUESTS: &[&str] = &[
    "/api/LeaderboardFunction",
    "/api/LeaderboardFunction?page=2&pageSize=4",
    "/api/LeaderboardFunction?mode=Solo",
    "/api/LeaderboardFunction?mode=Duo&page=2&pageSize=2",
    "/api/LeaderboardFunction?region=Andromeda",
    "/api/LeaderboardFunction?region=Ring%20Nebula",
    "/api/LeaderboardFunction?mode=Trio&region=Pinwheel",
    "/api/LeaderboardFunction?mode=Solo&region=Milky%20Way&sort=player&q=a",
    "/api/LeaderboardFunction?sort=score&order=asc",
    "/api/LeaderboardFunction?sort=player&pageSize=50",
    "/api/LeaderboardFunction?sort=mode&pageSize=50",
    "/api/LeaderboardFunction?sort=region&order=desc&pageSize=50",
    "/api/LeaderboardFunction?q=ali",
    "/api/LeaderboardFunction?q=a&pageSize=50",
    "/api/LeaderboardFunction?q=b&sort=mode&pageSize=3&page=2",
    "/api/LeaderboardFunction?q=zo%C3%AB",
    "/api/LeaderboardFunction?q=d",
    "/api/LeaderboardFunction?around=p2&pageSize=3",
    "/api/LeaderboardFunction?around=p3&sort=player&pageSize=2",
    "/api/LeaderboardFunction?around=p9&mode=Trio&pageSize=1",
    "/api/LeaderboardFunction?around=p6",
    "/api/LeaderboardFunction?around=p1&mode=Solo",
    "/api/LeaderboardFunction/meta",
];

#[test]
fn the_store_under_test_answers_as_the_embedded_store_after_the_same_removals() {
    let embedded = Board::start_on("embedded", Some(ADMIN));
    let tested = Board::start();
    let steps: &[(&str, &str)] = &[
        ("DELETE", "/api/scores/s02"),
        ("DELETE", "/api/players/p6"),
        ("DELETE", "/api/scores/s15"),
        (
            "POST",
            r#"{"id":"n1","profileId":"p2","score":950,"gameMode":"Solo","gameRegion":"Andromeda"}"#,
        ),
        ("DELETE", "/api/scores/s21"),
        ("DELETE", "/api/players/p4"),
        ("DELETE", "/api/scores/nothing"),
        ("DELETE", "/api/players/p2"),
    ];
    for (method, what) in steps {
        for board in [&embedded, &tested] {
            let reply = match *method {
                "DELETE" => board.delete(what),
                _ => board.post(&serde_json::from_str(what).unwrap()),
            };
            assert!(
                reply.status == 204 || reply.status == 201,
                "{what}: {}",
                reply.text()
            );
        }
        for path in REQUESTS {
            let expected = embedded.server.get_with(path, SAME_HOST);
            let actual = tested.server.get_with(path, SAME_HOST);
            assert_eq!(actual.status, expected.status, "after {what}: {path}");
            assert_eq!(actual.text(), expected.text(), "after {what}: {path}");
        }
    }
    assert!(
        !tested.server.stderr().contains("no prefix score sets"),
        "q reads fell back to listing: {}",
        tested.server.stderr()
    );
}

// ---------------------------------------------------------------------------------------
// The operators' commands
// ---------------------------------------------------------------------------------------

fn command(args: &[&str]) -> Exited {
    Launch::args(args.iter().copied()).run_to_exit()
}

/// `remove-score` and `remove-player` act on a Redis store (whatever store the suite
/// tests, they need their own Redis) exactly as the routes do: a running function on that
/// store sees the removal at once, and a second run reports that nothing changed.
#[test]
fn the_remove_commands_act_on_a_redis_store_like_the_routes() {
    let redis = RedisServer::start();
    let data = fixture_dir();
    let board = Board {
        server: import_and_serve(data.path(), &redis.url()).start(),
        _data: data,
        _redis: Redis::None,
    };
    let url = redis.url();
    let version = board.version();
    let removed = command(&["remove-score", "s02", "--redis", &url]);
    assert!(removed.status.success(), "{}", removed.stderr);
    assert_eq!(removed.stdout, "removed score \"s02\"\n");
    assert_ne!(board.version(), version);
    assert_eq!(board.total(), 20);
    let version = board.version();
    let again = command(&["remove-score", "s02", "--redis", &url]);
    assert!(again.status.success(), "{}", again.stderr);
    assert_eq!(
        again.stdout,
        "score \"s02\" is not stored: nothing changed\n"
    );
    assert_eq!(board.version(), version);

    let player = command(&["remove-player", "p6", "--redis", &url]);
    assert!(player.status.success(), "{}", player.stderr);
    assert_eq!(
        player.stdout,
        "removed player \"p6\": 2 score(s) and the profile\n"
    );
    assert_eq!(board.total(), 18);
    let reply = board.server.get(&format!("{LEADERBOARD}?around=p6"));
    assert_error(&reply, 404, Some("around"));
    let again = command(&["remove-player", "p6", "--redis", &url]);
    assert_eq!(
        again.stdout,
        "player \"p6\" is not stored: nothing changed\n"
    );

    // A bad id is refused by the model's rule before Redis is asked.
    let bad = command(&["remove-score", "", "--redis", &url]);
    assert!(!bad.status.success());
    assert!(
        bad.stderr.contains("id must not be empty"),
        "{}",
        bad.stderr
    );
    // Redis down: a clear error, not a hang.
    let down = format!("redis://127.0.0.1:{}", free_port());
    let unreachable = command(&["remove-player", "p1", "--redis", &down]);
    assert!(!unreachable.status.success());
    assert!(
        unreachable.stderr.contains("unavailable"),
        "{}",
        unreachable.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Startup
// ---------------------------------------------------------------------------------------

#[test]
fn a_bad_admin_key_or_one_key_for_both_refuses_to_start_without_printing_it() {
    let data = fixture_dir();
    let short = Launch::serve(data.path())
        .admin_key("tooshort")
        .run_to_exit();
    assert!(!short.status.success());
    assert!(
        short.stderr.contains("LEADERBOARD_ADMIN_KEY") && short.stderr.contains("16"),
        "{}",
        short.stderr
    );
    assert!(!short.stderr.contains("tooshort"), "{}", short.stderr);
    let same = Launch::serve(data.path())
        .ingest_key(ADMIN)
        .admin_key(ADMIN)
        .run_to_exit();
    assert!(!same.status.success());
    assert!(same.stderr.contains("must differ"), "{}", same.stderr);
    assert!(!same.stderr.contains(ADMIN), "{}", same.stderr);
    let help = Launch::args(["--help"]).admin_key(ADMIN).run_to_exit();
    assert!(help.stdout.contains("--admin-key"), "{}", help.stdout);
    assert!(!help.stdout.contains(ADMIN), "{}", help.stdout);
}
