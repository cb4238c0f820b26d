//! `POST /api/scores` over real HTTP against the built binary: auth, every validation
//! error, body limits, batches, assigned ids, idempotent retries, conflicts, the posted
//! score on the next read at its rank, ETags moving on, and many concurrent clients.
//!
//! Every behaviour is a function of the store kind, so the same tests run against each
//! store (`for_each_store!` at the bottom instantiates them).

mod common;

use std::collections::HashSet;
use std::thread;

use common::redis::{RedisCluster, RedisServer};
use common::*;
use serde_json::{json, Value};
use tempfile::TempDir;

const KEY: &str = "test-ingest-key-0123456789abcdef";
const SCORES: &str = "/api/scores";

/// Which store the server under test uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StoreKind {
    Embedded,
    /// One `redis-server`, loaded with `import`.
    Redis,
    /// A three-master Redis Cluster, loaded with `import`.
    RedisCluster,
}

/// A server on the fixture data (21 scores, 9 players), ingestion on unless asked
/// otherwise.
struct Board {
    server: Server,
    _data: TempDir,
    /// The Redis processes behind a Redis board, alive as long as the board.
    _redis: Option<RedisServer>,
    _cluster: Option<RedisCluster>,
}

impl Board {
    fn start(kind: StoreKind) -> Board {
        Board::start_with(kind, Some(KEY))
    }

    fn start_with(kind: StoreKind, key: Option<&str>) -> Board {
        let data = fixture_dir();
        let (mut redis, mut cluster) = (None, None);
        let launch = match kind {
            StoreKind::Embedded => Launch::serve(data.path()),
            StoreKind::Redis => {
                let server = redis.insert(RedisServer::start());
                import_and_serve(data.path(), &server.url())
            }
            StoreKind::RedisCluster => {
                let nodes = cluster.insert(RedisCluster::start());
                import_and_serve(data.path(), &nodes.url())
            }
        };
        let launch = match key {
            Some(key) => launch.ingest_key(key),
            None => launch,
        };
        Board {
            server: launch.start(),
            _data: data,
            _redis: redis,
            _cluster: cluster,
        }
    }

    /// A JSON post with the right key.
    fn post(&self, body: &Value) -> Reply {
        post_json(&self.server.url(SCORES), body)
    }

    fn post_raw(&self, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        self.server.send("POST", SCORES, headers, body)
    }

    fn get_json(&self, path: &str) -> Value {
        let reply = self.server.get(path);
        assert_eq!(reply.status, 200, "GET {path}: {}", reply.text());
        reply.json()
    }

    fn total(&self, query: &str) -> u64 {
        self.get_json(&format!("/api/LeaderboardFunction?{query}"))["totalResults"]
            .as_u64()
            .unwrap()
    }

    fn meta(&self) -> Value {
        self.get_json("/api/LeaderboardFunction/meta")
    }

    /// Every entry of a selection, in leaderboard order (the fixture is small).
    fn all_entries(&self, mode: Option<&str>, region: Option<&str>) -> Vec<Value> {
        let mut entries = Vec::new();
        for page in 1.. {
            let mut query = format!("pageSize=50&page={page}");
            if let Some(mode) = mode {
                query.push_str(&format!("&mode={}", encode(mode)));
            }
            if let Some(region) = region {
                query.push_str(&format!("&region={}", encode(region)));
            }
            let body = self.get_json(&format!("/api/LeaderboardFunction?{query}"));
            let scores = body["scores"].as_array().unwrap().clone();
            if scores.is_empty() {
                break;
            }
            entries.extend(scores);
        }
        entries
    }

    /// The counts every read must agree on: leaderboard total, meta total, and the sums of
    /// the mode and region facets.
    fn assert_counts(&self, scores: u64, players: u64) {
        assert_eq!(self.total(""), scores, "totalResults");
        let meta = self.meta();
        assert_eq!(meta["totalScores"], scores, "meta totalScores");
        assert_eq!(meta["totalPlayers"], players, "meta totalPlayers");
        for facet in ["modes", "regions"] {
            let sum: u64 = meta[facet]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["count"].as_u64().unwrap())
                .sum();
            assert_eq!(sum, scores, "sum of {facet} counts");
        }
        let health = self.get_json("/api/health");
        assert_eq!(health["totalScores"], scores, "health totalScores");
    }

    /// Each rank a post reported is the rank reads show for that score.
    fn assert_ranks_match_reads(&self, posted: &Value) {
        let id = posted["score"]["id"].as_str().unwrap();
        let ranks = posted["ranks"].as_array().unwrap();
        assert_eq!(
            ranks.len(),
            4,
            "all, mode, region, mode in region: {posted}"
        );
        for board in ranks {
            let (mode, region) = (board["mode"].as_str(), board["region"].as_str());
            let entries = self.all_entries(mode, region);
            let shown = entries
                .iter()
                .find(|e| e["score"]["id"] == id)
                .unwrap_or_else(|| panic!("{id} not in {mode:?}/{region:?}"));
            assert_eq!(shown["rank"], board["rank"], "{mode:?}/{region:?}");
        }
    }
}

/// Loads the data directory into Redis with `import`, then launches the function on it.
fn import_and_serve(data_dir: &std::path::Path, url: &str) -> Launch {
    import_into_redis(data_dir, url);
    Launch::args(["--redis", url, "--port", "0"])
}

/// A JSON post with the right key to `url` (usable from any thread).
fn post_json(url: &str, body: &Value) -> Reply {
    request_with_body(
        "POST",
        url,
        &[
            ("Authorization", &format!("Bearer {KEY}")),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
}

fn encode(text: &str) -> String {
    text.replace(' ', "%20")
}

/// A score in the post format.
fn score(id: &str, profile_id: &str, points: i64, mode: &str, region: &str) -> Value {
    json!({ "id": id, "profileId": profile_id, "score": points, "gameMode": mode, "gameRegion": region })
}

fn with_profile(mut score: Value, name: &str) -> Value {
    score["profile"] = json!({ "userName": name });
    score
}

fn assert_error(reply: &Reply, status: u16, param: Option<&str>) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["param"].as_str(), param, "{body}");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    body["error"].as_str().unwrap().to_string()
}

// ---------------------------------------------------------------------------------------
// Auth and transport
// ---------------------------------------------------------------------------------------

fn without_a_key_ingestion_is_off_and_says_how_to_turn_it_on(kind: StoreKind) {
    let board = Board::start_with(kind, None);
    let reply = board.post(&with_profile(score("n1", "p1", 1, "Solo", "X"), "a"));
    let message = assert_error(&reply, 404, None);
    assert!(message.contains("LEADERBOARD_INGEST_KEY"), "{message}");
    board.assert_counts(21, 9);
}

fn a_missing_or_wrong_key_is_401_with_a_bearer_challenge(kind: StoreKind) {
    let board = Board::start(kind);
    let body = score("n1", "p1", 1, "Solo", "X").to_string();
    let json = ("Content-Type", "application/json");
    let missing = board.post_raw(&[json], body.as_bytes());
    assert_error(&missing, 401, None);
    assert_eq!(
        missing.header("www-authenticate"),
        Some("Bearer realm=\"leaderboard-ingest\"")
    );
    let wrong_key = format!("Bearer {}x", KEY);
    let prefix_key = format!("Bearer {}", &KEY[..KEY.len() - 1]);
    let basic = format!("Basic {KEY}");
    for auth in [
        wrong_key.as_str(),
        prefix_key.as_str(),
        basic.as_str(),
        "Bearer",
    ] {
        let reply = board.post_raw(&[json, ("Authorization", auth)], body.as_bytes());
        assert_error(&reply, 401, None);
        assert!(
            reply
                .header("www-authenticate")
                .is_some_and(|c| c.starts_with("Bearer ") && c.contains("invalid_token")),
            "{auth}: {:?}",
            reply.header("www-authenticate")
        );
    }
    // Unauthenticated posts are refused before the body is even read: nothing was stored.
    board.assert_counts(21, 9);
    let right = format!("bearer {KEY}");
    let reply = board.post_raw(&[json, ("Authorization", &right)], body.as_bytes());
    assert_eq!(reply.status, 201, "{}", reply.text());
    board.assert_counts(22, 9);
}

fn only_uncompressed_json_is_accepted(kind: StoreKind) {
    let board = Board::start(kind);
    let auth = format!("Bearer {KEY}");
    let body = score("n1", "p1", 1, "Solo", "X").to_string();
    for headers in [
        vec![("Content-Type", "text/plain")],
        vec![("Content-Type", "application/x-www-form-urlencoded")],
        vec![],
        vec![("Content-Type", "application/json; charset=latin1")],
        vec![
            ("Content-Type", "application/json"),
            ("Content-Encoding", "gzip"),
        ],
    ] {
        let mut headers = headers;
        headers.push(("Authorization", &auth));
        let reply = board.post_raw(&headers, body.as_bytes());
        assert_error(&reply, 415, None);
    }
    board.assert_counts(21, 9);
    let reply = board.post_raw(
        &[
            ("Content-Type", "Application/JSON; charset=UTF-8"),
            ("Authorization", &auth),
        ],
        body.as_bytes(),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
}

fn a_body_over_one_mebibyte_is_413(kind: StoreKind) {
    let board = Board::start(kind);
    // Valid JSON up to the cap (a score with a huge run of whitespace), one byte over.
    let head = score("big", "p1", 1, "Solo", "X").to_string();
    let mut body = head.into_bytes();
    body.resize(1024 * 1024 + 1, b' ');
    let reply = board.post_raw(
        &[
            ("Authorization", &format!("Bearer {KEY}")),
            ("Content-Type", "application/json"),
        ],
        &body,
    );
    assert_error(&reply, 413, Some("body"));
    // Exactly at the cap is fine.
    body.truncate(1024 * 1024);
    let reply = board.post_raw(
        &[
            ("Authorization", &format!("Bearer {KEY}")),
            ("Content-Type", "application/json"),
        ],
        &body,
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
}

fn other_methods_are_405_and_cors_never_offers_post(kind: StoreKind) {
    let board = Board::start(kind);
    let reply = board.server.get(SCORES);
    assert_error(&reply, 405, None);
    assert_eq!(reply.header("allow"), Some("POST"));
    let preflight = board.server.request(
        "OPTIONS",
        SCORES,
        &[
            ("Origin", "https://blog.example"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization, content-type",
            ),
        ],
    );
    let allowed = preflight.header_list("access-control-allow-methods");
    assert!(!allowed.is_empty(), "a preflight answer: {preflight:?}");
    assert!(
        !allowed.to_ascii_uppercase().contains("POST"),
        "browsers must not be invited to post: {allowed}"
    );
}

fn each_post_writes_one_log_line(kind: StoreKind) {
    let board = Board::start(kind);
    let reply = board.post(&score("logged", "p1", 5, "Solo", "X"));
    assert_eq!(reply.status, 201);
    let line = board
        .server
        .wait_for_line(|line| line.contains("\"path\":\"/api/scores\""));
    let line: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(line["method"], "POST");
    assert_eq!(line["status"], 201);
    assert!(
        !line.to_string().contains(KEY),
        "the key is never logged: {line}"
    );
}

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

fn every_validation_error_is_400_naming_the_field(kind: StoreKind) {
    let board = Board::start(kind);
    let base = || score("v1", "p1", 10, "Solo", "Milky Way");
    let set = |field: &str, value: Value| {
        let mut post = base();
        post[field] = value;
        post
    };
    let profile = |profile: Value| {
        let mut post = base();
        post["profile"] = profile;
        post
    };
    let long = |n: usize| "x".repeat(n);
    let cases: Vec<(String, &str)> = vec![
        ("{not json".to_string(), "body"),
        ("\"a string\"".to_string(), "body"),
        ("[]".to_string(), "body"),
        (set("score", json!(-1)).to_string(), "score"),
        (
            set("score", json!(1_000_000_000_001_i64)).to_string(),
            "score",
        ),
        (set("score", json!(u64::MAX)).to_string(), "score"),
        (set("score", json!(12.5)).to_string(), "score"),
        (set("score", json!("12")).to_string(), "score"),
        (set("score", Value::Null).to_string(), "score"),
        (set("id", json!("")).to_string(), "id"),
        (set("id", json!(long(129))).to_string(), "id"),
        (set("id", json!(7)).to_string(), "id"),
        (set("id", json!("tab\there")).to_string(), "id"),
        (set("profileId", json!("")).to_string(), "profileId"),
        (set("profileId", json!(long(129))).to_string(), "profileId"),
        (set("gameMode", json!("")).to_string(), "gameMode"),
        (set("gameMode", json!(long(101))).to_string(), "gameMode"),
        (
            set("gameRegion", json!(["Milky Way"])).to_string(),
            "gameRegion",
        ),
        (
            set("gameRegion", json!(long(101))).to_string(),
            "gameRegion",
        ),
        (set("color", json!("red")).to_string(), "color"),
        (
            r#"{"profileId":"p1","score":1,"gameRegion":"X"}"#.to_string(),
            "gameMode",
        ),
        (profile(json!("NovaQueen")).to_string(), "profile"),
        (profile(json!({})).to_string(), "profile.userName"),
        (
            profile(json!({ "userName": "" })).to_string(),
            "profile.userName",
        ),
        (
            profile(json!({ "userName": "   " })).to_string(),
            "profile.userName",
        ),
        (
            profile(json!({ "userName": "é".repeat(65) })).to_string(),
            "profile.userName",
        ),
        (
            profile(json!({ "userName": "A", "avatarUrl": "javascript:alert(1)" })).to_string(),
            "profile.avatarUrl",
        ),
        (
            profile(json!({ "userName": "A", "avatarUrl": "data:image/png;base64,AA" }))
                .to_string(),
            "profile.avatarUrl",
        ),
        (
            profile(json!({ "userName": "A", "avatarUrl": long(2049) })).to_string(),
            "profile.avatarUrl",
        ),
        (
            profile(json!({ "userName": "A", "achievements": "King" })).to_string(),
            "profile.achievements",
        ),
        (
            profile(json!({ "userName": "A", "achievements": vec!["x"; 501] })).to_string(),
            "profile.achievements",
        ),
        (
            profile(json!({ "userName": "A", "achievements": ["ok", 3] })).to_string(),
            "profile.achievements[1]",
        ),
        (
            profile(json!({ "userName": "A", "achievements": ["ok", long(101)] })).to_string(),
            "profile.achievements[1]",
        ),
        (
            profile(json!({ "userName": "A", "id": "p9" })).to_string(),
            "profile.id",
        ),
        (
            json!([base(), set("score", json!(-5))]).to_string(),
            "[1].score",
        ),
        (json!([base(), 3]).to_string(), "[1]"),
        (
            json!([base(), set("gameMode", json!(""))]).to_string(),
            "[1].gameMode",
        ),
        (json!([base(), base()]).to_string(), "[1].id"),
        (json!(vec![base(); 1001]).to_string(), "body"),
    ];
    let auth = format!("Bearer {KEY}");
    let version = board.get_json("/api/health")["version"].clone();
    for (body, param) in &cases {
        let reply = board.post_raw(
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            body.as_bytes(),
        );
        assert_eq!(reply.status, 400, "{param}: {}", reply.text());
        let error = reply.json();
        assert_eq!(error["param"], *param, "{body:.200}: {error}");
        assert!(
            error["error"].as_str().is_some_and(|e| e.len() > 10),
            "{error}"
        );
    }
    // Nothing of any refused post was stored, and the data version never moved.
    board.assert_counts(21, 9);
    assert_eq!(board.get_json("/api/health")["version"], version);
}

/// Regression: a key sent twice is refused (it used to count as its last value, silently),
/// and an unknown key that reads like a field path is reported at the object holding it.
/// Validation runs before any store is asked, so the embedded store stands for all.
#[test]
fn repeated_and_path_like_keys_are_refused_naming_a_real_place() {
    let board = Board::start(StoreKind::Embedded);
    let auth = format!("Bearer {KEY}");
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    let twice = r#"{"profileId":"p1","score":5,"score":900,"gameMode":"Solo","gameRegion":"X"}"#;
    let message = assert_error(
        &board.post_raw(&headers, twice.as_bytes()),
        400,
        Some("score"),
    );
    assert!(message.contains("twice"), "{message}");
    let dotted = r#"{"profileId":"p1","score":5,"gameMode":"Solo","gameRegion":"X","profile.userName":"Eve"}"#;
    let message = assert_error(
        &board.post_raw(&headers, dotted.as_bytes()),
        400,
        Some("body"),
    );
    assert!(message.contains("\"profile.userName\""), "{message}");
    let batch = format!("[{twice}]");
    assert_error(
        &board.post_raw(&headers, batch.as_bytes()),
        400,
        Some("[0].score"),
    );
    board.assert_counts(21, 9);
}

// ---------------------------------------------------------------------------------------
// Storing
// ---------------------------------------------------------------------------------------

fn a_new_top_score_is_on_the_next_read_at_rank_one(kind: StoreKind) {
    let board = Board::start(kind);
    let reply = board.post(&json!({
        "id": "top", "profileId": "p10", "score": 5000, "gameMode": "Duo", "gameRegion": "Andromeda",
        "profile": { "userName": "Newcomer", "avatarUrl": "images/avatars/comet.svg",
                     "achievements": ["First Light", "First Light"] }
    }));
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let posted = reply.json();
    assert_eq!(posted["created"], true);
    assert_eq!(posted["score"]["id"], "top");
    assert_eq!(posted["profile"]["userName"], "Newcomer");
    assert!(
        posted["profile"]["avatarUrl"].as_str().is_some_and(
            |u| u.starts_with("http://") && u.ends_with("/api/images/avatars/comet.svg")
        ),
        "absolute, like reads: {posted}"
    );
    let ranks: Vec<u64> = posted["ranks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, [1, 1, 1, 1]);
    assert_eq!(posted["ranks"][1]["mode"], "Duo");
    assert_eq!(posted["ranks"][2]["region"], "Andromeda");

    let first = &board.get_json("/api/LeaderboardFunction")["scores"][0];
    assert_eq!(first["rank"], 1);
    assert_eq!(first["score"]["id"], "top");
    assert_eq!(first["profile"]["userName"], "Newcomer");
    assert_eq!(
        first["profile"]["achievements"],
        json!(["First Light", "First Light"])
    );
    let found = board.get_json("/api/LeaderboardFunction?q=newc");
    assert_eq!(found["totalResults"], 1);
    board.assert_counts(22, 10);
    board.assert_ranks_match_reads(&posted);
}

fn ties_and_filtered_boards_rank_as_reads_do(kind: StoreKind) {
    let board = Board::start(kind);
    // 900 ties the fixture's four best; 750 ties four; 5 is near the bottom.
    for (id, points, mode, region) in [
        ("t900", 900, "Solo", "Milky Way"),
        ("t750", 750, "Trio", "Pinwheel"),
        ("t5", 5, "Duo", "Ring Nebula"),
        ("new-mode", 300, "Squad", "Milky Way"),
    ] {
        let reply = board.post(&score(id, "p4", points, mode, region));
        assert_eq!(reply.status, 201, "{}", reply.text());
        board.assert_ranks_match_reads(&reply.json());
    }
    let posted = board
        .post(&score("t900", "p4", 900, "Solo", "Milky Way"))
        .json();
    assert_eq!(posted["ranks"][0]["rank"], 1, "a 900 shares rank 1");
    let modes = board.meta()["modes"].clone();
    assert!(
        modes
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "Squad" && m["count"] == 1),
        "a new mode shows in meta: {modes}"
    );
}

fn a_batch_is_stored_in_order_with_ranks(kind: StoreKind) {
    let board = Board::start(kind);
    // In batch order, no later score outranks an earlier one: then every store's ranks
    // (as of the whole batch, or as of each score) are the ranks of the next read.
    let batch = json!([
        with_profile(score("b1", "p20", 990, "Solo", "Andromeda"), "Batcher"),
        score("b2", "p1", 950, "Solo", "Andromeda"),
        score("b3", "p20", 10, "Duo", "Pinwheel"),
    ]);
    let reply = board.post(&batch);
    assert_eq!(reply.status, 201, "{}", reply.text());
    let posted = reply.json();
    let posted = posted.as_array().expect("a batch answers an array");
    let ids: Vec<&str> = posted
        .iter()
        .map(|p| p["score"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["b1", "b2", "b3"]);
    assert!(posted.iter().all(|p| p["created"] == true));
    assert_eq!(posted[0]["ranks"][0]["rank"], 1);
    assert_eq!(posted[1]["ranks"][0]["rank"], 2);
    assert_eq!(posted[2]["ranks"][0]["rank"], 22, "ties the fixture's 10");
    assert_eq!(posted[2]["profile"]["userName"], "Batcher");
    for entry in posted {
        board.assert_ranks_match_reads(entry);
    }
    board.assert_counts(24, 10);
}

fn a_batch_with_one_bad_score_stores_nothing(kind: StoreKind) {
    let board = Board::start(kind);
    let batch = json!([
        with_profile(score("ok1", "p30", 10, "Solo", "X"), "Fine"),
        score("ok2", "p1", 20, "Solo", "X"),
        score("bad", "p1", -20, "Solo", "X"),
    ]);
    let reply = board.post(&batch);
    assert_error(&reply, 400, Some("[2].score"));
    board.assert_counts(21, 9);
    // Store-side refusals are all or nothing too, and point at the element.
    let unknown = json!([
        score("ok1", "p1", 10, "Solo", "X"),
        score("ghost", "nobody", 20, "Solo", "X"),
    ]);
    assert_error(&board.post(&unknown), 400, Some("[1].profile"));
    assert_recovery_after_a_refused_batch(&board, "ok1", &unknown[0]);
}

/// After the store refused element 1 of a batch whose element 0 is `first`: nothing was
/// stored (every store checks the whole batch before applying any of it), and the batch
/// without the refused element then succeeds and stores `first` once.
fn assert_recovery_after_a_refused_batch(board: &Board, id: &str, first: &Value) {
    let stored_before = board
        .all_entries(None, None)
        .iter()
        .any(|e| e["score"]["id"] == id);
    assert!(!stored_before, "{id} was stored from a refused batch");
    board.assert_counts(21, 9);
    let retry = board.post(&json!([first]));
    assert_eq!(retry.json()[0]["created"], true, "{}", retry.text());
    board.assert_counts(22, 9);
    board.assert_ranks_match_reads(&retry.json()[0]);
}

fn missing_ids_are_assigned_unique_and_url_safe(kind: StoreKind) {
    let board = Board::start(kind);
    let post = json!({ "profileId": "p1", "score": 77, "gameMode": "Solo", "gameRegion": "X" });
    let first = board.post(&post);
    let second = board.post(&post);
    assert_eq!((first.status, second.status), (201, 201));
    let ids: Vec<String> = [first, second]
        .iter()
        .map(|r| r.json()["score"]["id"].as_str().unwrap().to_string())
        .collect();
    assert_ne!(ids[0], ids[1]);
    for id in &ids {
        assert!(
            !id.is_empty()
                && id.len() <= 128
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{id}"
        );
    }
    let entries = board.all_entries(Some("Solo"), Some("X"));
    let shown: HashSet<&str> = entries
        .iter()
        .map(|e| e["score"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(shown, ids.iter().map(String::as_str).collect());
    board.assert_counts(23, 9);
}

fn a_retry_of_a_stored_score_is_200_not_created_and_not_counted_twice(kind: StoreKind) {
    let board = Board::start(kind);
    let post = with_profile(score("once", "p40", 640, "Trio", "Andromeda"), "Retry");
    let first = board.post(&post);
    assert_eq!(first.status, 201);
    let version = board.get_json("/api/health")["version"].clone();
    for _ in 0..3 {
        let retry = board.post(&post);
        assert_eq!(retry.status, 200, "{}", retry.text());
        assert_eq!(retry.header("cache-control"), Some("no-store"));
        let body = retry.json();
        assert_eq!(body["created"], false);
        assert_eq!(body["score"], first.json()["score"]);
        assert_eq!(body["ranks"], first.json()["ranks"]);
    }
    // The same score without its profile is the same score: still a retry.
    let mut bare = post.clone();
    bare.as_object_mut().unwrap().remove("profile");
    assert_eq!(board.post(&bare).status, 200);
    // In a batch with a new one: 201, the retried element says created:false.
    let batch = board.post(&json!([
        post,
        score("twice", "p40", 1, "Trio", "Andromeda")
    ]));
    assert_eq!(batch.status, 201);
    let created: Vec<Value> = batch
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["created"].clone())
        .collect();
    assert_eq!(created, [json!(false), json!(true)]);
    board.assert_counts(23, 10);
    assert_ne!(board.get_json("/api/health")["version"], version);
}

fn a_stored_id_with_other_content_is_409_and_changes_nothing(kind: StoreKind) {
    let board = Board::start(kind);
    // s01 is the fixture's: p1, 900, Solo, Milky Way.
    let reply = board.post(&score("s01", "p1", 901, "Solo", "Milky Way"));
    assert_error(&reply, 409, Some("id"));
    let first = &board.get_json("/api/LeaderboardFunction")["scores"][0];
    assert_eq!(first["score"]["score"], 900);
    board.assert_counts(21, 9);
    let batch = json!([
        score("fresh", "p1", 1, "Solo", "X"),
        score("s02", "p2", 900, "Duo", "Andromeda"),
    ]);
    assert_error(&board.post(&batch), 409, Some("[1].id"));
    assert_recovery_after_a_refused_batch(&board, "fresh", &batch[0]);
}

fn an_unknown_player_without_a_profile_is_400(kind: StoreKind) {
    let board = Board::start(kind);
    let reply = board.post(&score("orphan", "p404", 10, "Solo", "X"));
    let message = assert_error(&reply, 400, Some("profile"));
    assert!(message.contains("p404"), "{message}");
    board.assert_counts(21, 9);
}

fn a_posted_profile_replaces_the_players_name_everywhere(kind: StoreKind) {
    let board = Board::start(kind);
    // p1 ("alice") has three fixture scores; the post renames her.
    let mut post = with_profile(score("rename", "p1", 1, "Solo", "X"), "Alice Prime");
    post["profile"]["achievements"] = json!(["Renamed"]);
    assert_eq!(board.post(&post).status, 201);
    let found = board.get_json("/api/LeaderboardFunction?q=alice%20p&pageSize=50");
    assert_eq!(found["totalResults"], 4);
    for entry in found["scores"].as_array().unwrap() {
        assert_eq!(entry["profile"]["achievements"], json!(["Renamed"]));
    }
    assert_eq!(board.total("q=alice&pageSize=50"), 4);
    board.assert_counts(22, 9);
}

fn etags_change_after_a_post_then_304_again(kind: StoreKind) {
    let board = Board::start(kind);
    let paths = [
        "/api/LeaderboardFunction?mode=Solo",
        "/api/LeaderboardFunction/meta",
    ];
    let mut tags = Vec::new();
    for path in paths {
        let first = board.server.get(path);
        let tag = first.header("etag").unwrap().to_string();
        assert_eq!(
            board
                .server
                .get_with(path, &[("If-None-Match", &tag)])
                .status,
            304
        );
        tags.push(tag);
    }
    assert_eq!(
        board
            .post(&score("fresh", "p2", 999, "Solo", "Andromeda"))
            .status,
        201
    );
    for (path, old) in paths.iter().zip(&tags) {
        let changed = board.server.get_with(path, &[("If-None-Match", old)]);
        assert_eq!(changed.status, 200, "{path}: the old tag is stale");
        let new = changed.header("etag").unwrap().to_string();
        assert_ne!(&new, old);
        assert_eq!(
            board
                .server
                .get_with(path, &[("If-None-Match", &new)])
                .status,
            304,
            "{path}"
        );
    }
    let page = board.get_json(paths[0]);
    assert_eq!(page["scores"][0]["score"]["id"], "fresh");
    // A retry changes nothing, so the tag holds.
    board.post(&score("fresh", "p2", 999, "Solo", "Andromeda"));
    let now = board
        .server
        .get(paths[0])
        .header("etag")
        .unwrap()
        .to_string();
    assert_eq!(
        board
            .server
            .get_with(paths[0], &[("If-None-Match", &now)])
            .status,
        304
    );
}

fn concurrent_posts_from_many_clients_lose_nothing(kind: StoreKind) {
    const CLIENTS: usize = 16;
    const POSTS_EACH: usize = 25;
    let board = Board::start(kind);
    let ids: Vec<Vec<String>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let url = board.server.url(SCORES);
                scope.spawn(move || {
                    let player = format!("racer-{client}");
                    (0..POSTS_EACH)
                        .map(|n| {
                            let mode = ["Solo", "Duo", "Trio"][n % 3];
                            let mut post = json!({
                                "profileId": player, "score": (client * 1000 + n) as i64,
                                "gameMode": mode, "gameRegion": "Race Track",
                            });
                            if n % 2 == 0 {
                                post["id"] = json!(format!("race-{client}-{n}"));
                            }
                            if n == 0 {
                                post["profile"] = json!({ "userName": player });
                            }
                            let reply = post_json(&url, &post);
                            assert_eq!(reply.status, 201, "{}", reply.text());
                            reply.json()["score"]["id"].as_str().unwrap().to_string()
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let all: HashSet<&String> = ids.iter().flatten().collect();
    assert_eq!(all.len(), CLIENTS * POSTS_EACH, "every post got its own id");
    let total = 21 + (CLIENTS * POSTS_EACH) as u64;
    board.assert_counts(total, 9 + CLIENTS as u64);
    let race = board.all_entries(None, Some("Race Track"));
    assert_eq!(race.len(), CLIENTS * POSTS_EACH);
    let shown: HashSet<&str> = race
        .iter()
        .map(|e| e["score"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(shown, all.iter().map(|s| s.as_str()).collect());
    assert_eq!(race[0]["score"]["score"], 15_024, "best first");
}

// ---------------------------------------------------------------------------------------
// Startup
// ---------------------------------------------------------------------------------------

#[test]
fn a_short_ingest_key_refuses_to_start_without_printing_it() {
    let data = fixture_dir();
    let key = "tooshort";
    let exited = Launch::serve(data.path()).ingest_key(key).run_to_exit();
    assert!(!exited.status.success());
    assert!(
        exited.stderr.contains("LEADERBOARD_INGEST_KEY") && exited.stderr.contains("16"),
        "{}",
        exited.stderr
    );
    assert!(!exited.stderr.contains(key), "{}", exited.stderr);
}

#[test]
fn help_never_shows_the_ingest_key() {
    let exited = Launch::args(["--help"]).ingest_key(KEY).run_to_exit();
    assert!(exited.status.success());
    assert!(exited.stdout.contains("--ingest-key"), "{}", exited.stdout);
    assert!(!exited.stdout.contains(KEY), "{}", exited.stdout);
}

// ---------------------------------------------------------------------------------------
// Every behaviour against every store
// ---------------------------------------------------------------------------------------

macro_rules! for_each_store {
    ($($behaviour:ident),* $(,)?) => {
        mod embedded {
            $(
                #[test]
                fn $behaviour() {
                    super::$behaviour(super::StoreKind::Embedded);
                }
            )*
        }
        mod redis {
            $(
                #[test]
                fn $behaviour() {
                    super::$behaviour(super::StoreKind::Redis);
                }
            )*
        }
        mod redis_cluster {
            $(
                #[test]
                fn $behaviour() {
                    super::$behaviour(super::StoreKind::RedisCluster);
                }
            )*
        }
    };
}

for_each_store!(
    without_a_key_ingestion_is_off_and_says_how_to_turn_it_on,
    a_missing_or_wrong_key_is_401_with_a_bearer_challenge,
    only_uncompressed_json_is_accepted,
    a_body_over_one_mebibyte_is_413,
    other_methods_are_405_and_cors_never_offers_post,
    each_post_writes_one_log_line,
    every_validation_error_is_400_naming_the_field,
    a_new_top_score_is_on_the_next_read_at_rank_one,
    ties_and_filtered_boards_rank_as_reads_do,
    a_batch_is_stored_in_order_with_ranks,
    a_batch_with_one_bad_score_stores_nothing,
    missing_ids_are_assigned_unique_and_url_safe,
    a_retry_of_a_stored_score_is_200_not_created_and_not_counted_twice,
    a_stored_id_with_other_content_is_409_and_changes_nothing,
    an_unknown_player_without_a_profile_is_400,
    a_posted_profile_replaces_the_players_name_everywhere,
    etags_change_after_a_post_then_304_again,
    concurrent_posts_from_many_clients_lose_nothing,
);
