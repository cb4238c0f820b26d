//! The function over real HTTP with the Redis store (real `redis-server`, started here):
//! the same requests give byte-identical bodies from the embedded store and from Redis
//! (one server and a three-master cluster), with `q` pages from prefix sets (a tiny
//! `--prefix-threshold`) or from listed matches (the default), batch posts refused or
//! accepted exactly as the embedded store does, the `import` command, and faults (Redis down
//! at start, killed mid-traffic: 503 with `Retry-After`, then recovery on its own).

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use common::redis::{RedisCluster, RedisServer};
use common::{fixture_dir, import_into_redis, Launch, Reply, Server, DEADLINE};

/// Every query shape of the HTTP suite, errors included.
const REQUESTS: &[&str] = &[
    "/api/LeaderboardFunction",
    "/api/LeaderboardFunction?page=2",
    "/api/LeaderboardFunction?page=3&pageSize=4",
    "/api/LeaderboardFunction?page=4",
    "/api/LeaderboardFunction?page=4294967295",
    "/api/LeaderboardFunction?pageSize=0",
    "/api/LeaderboardFunction?pageSize=100000",
    "/api/LeaderboardFunction?mode=Solo",
    "/api/LeaderboardFunction?mode=Duo&page=2&pageSize=2",
    "/api/LeaderboardFunction?region=Andromeda",
    "/api/LeaderboardFunction?region=Ring%20Nebula",
    "/api/LeaderboardFunction?mode=Trio&region=Pinwheel",
    "/api/LeaderboardFunction?mode=Solo&region=Milky+Way",
    "/api/LeaderboardFunction?mode=Solo&region=Milky%20Way&sort=player&q=a",
    "/api/LeaderboardFunction?sort=score&order=asc",
    "/api/LeaderboardFunction?sort=player&pageSize=50",
    "/api/LeaderboardFunction?sort=player&order=desc&pageSize=50",
    "/api/LeaderboardFunction?sort=mode&pageSize=50",
    "/api/LeaderboardFunction?sort=mode&order=desc&pageSize=50",
    "/api/LeaderboardFunction?sort=region&pageSize=50",
    "/api/LeaderboardFunction?sort=region&order=desc&mode=Solo",
    "/api/LeaderboardFunction?sort=region&region=Pinwheel&order=desc",
    "/api/LeaderboardFunction?q=ali",
    "/api/LeaderboardFunction?q=ALI&pageSize=50",
    "/api/LeaderboardFunction?q=bo&sort=player&order=desc",
    "/api/LeaderboardFunction?q=b&sort=mode&pageSize=3&page=2",
    "/api/LeaderboardFunction?q=a&sort=region&order=desc",
    "/api/LeaderboardFunction?q=zo%C3%AB",
    "/api/LeaderboardFunction?q=nobody",
    "/api/LeaderboardFunction?around=p8&pageSize=3",
    "/api/LeaderboardFunction?around=p1&sort=player&pageSize=2",
    "/api/LeaderboardFunction?around=p6&mode=Duo&pageSize=1",
    "/api/LeaderboardFunction?around=p2&sort=region&order=desc&pageSize=4",
    "/api/LeaderboardFunction?around=p1&mode=Solo&pageSize=2&page=3",
    "/api/LeaderboardFunction?around=p3&q=b&sort=mode&pageSize=2",
    "/api/LeaderboardFunction?around=p404",
    "/api/LeaderboardFunction?around=p5&mode=Solo",
    "/api/LeaderboardFunction?around=p1&q=bob",
    "/api/LeaderboardFunction?mode=Quintet",
    "/api/LeaderboardFunction?mode=solo",
    "/api/LeaderboardFunction?mode=&region=&q=&sort=&order=",
    "/api/LeaderboardFunction?SORT=player&pageSize=5&utm_source=newsletter",
    "/api/LeaderboardFunction?page=0",
    "/api/LeaderboardFunction?sort=name",
    "/api/LeaderboardFunction/meta",
    "/api/nothing-here",
];

fn serve_redis(url: &str) -> Server {
    Launch::args(["--redis", url, "--port", "0"]).start()
}

fn assert_same_answers(embedded: &Server, redis: &Server, headers: &[(&str, &str)]) {
    for path in REQUESTS {
        let expected = embedded.get_with(path, headers);
        let actual = redis.get_with(path, headers);
        assert_eq!(actual.status, expected.status, "{path}: {}", actual.text());
        assert_eq!(
            actual.header("content-type"),
            expected.header("content-type"),
            "{path}"
        );
        assert_eq!(actual.text(), expected.text(), "{path}");
    }
}

/// Avatar URLs resolve against the request's host, which differs between two servers:
/// name one through the forwarding headers.
const SAME_HOST: &[(&str, &str)] = &[("X-Forwarded-Host", "games.example")];

#[test]
fn redis_answers_every_request_with_the_embedded_stores_exact_bodies() {
    let dir = fixture_dir();
    let embedded = Launch::serve(dir.path()).start();
    let redis = RedisServer::start();
    let report = import_into_redis(dir.path(), &redis.url());
    assert!(
        report.contains("imported 21 scores and 9 profiles"),
        "{report}"
    );
    let function = serve_redis(&redis.url());
    assert_same_answers(&embedded, &function, SAME_HOST);
    // With a configured public URL too (the HTTP layer resolves avatars for both stores).
    let public = "https://cdn.example/api/";
    let embedded = Launch::serve(dir.path())
        .arg("--public-url")
        .arg(public)
        .start();
    let function = Launch::args([
        "--redis",
        &redis.url(),
        "--port",
        "0",
        "--public-url",
        public,
    ])
    .start();
    assert_same_answers(&embedded, &function, &[]);
    let health = function.get("/api/health");
    assert_eq!(health.status, 200);
    let body = health.json();
    assert_eq!(
        (body["status"].as_str(), body["store"].as_str()),
        (Some("ok"), Some("redis"))
    );
    assert_eq!(body["totalScores"], 21);
}

#[test]
fn a_redis_cluster_answers_with_the_embedded_stores_exact_bodies() {
    let dir = fixture_dir();
    let embedded = Launch::serve(dir.path()).start();
    let cluster = RedisCluster::start();
    import_into_redis(dir.path(), &cluster.url());
    let function = serve_redis(&cluster.url());
    assert_same_answers(&embedded, &function, SAME_HOST);
}

/// `import --prefix-threshold N`, checked and reported.
fn import_with_threshold(data_dir: &std::path::Path, url: &str, threshold: u64) -> String {
    let exited = Launch::args(["import", "--data-dir"])
        .arg(data_dir)
        .arg("--redis")
        .arg(url)
        .arg("--prefix-threshold")
        .arg(threshold.to_string())
        .run_to_exit();
    assert!(exited.status.success(), "import failed: {}", exited.stderr);
    exited.stderr
}

/// With T = 1 nearly every `q` page under a score order comes from a prefix set.
#[test]
fn q_pages_from_prefix_sets_have_the_embedded_stores_exact_bodies() {
    let dir = fixture_dir();
    let embedded = Launch::serve(dir.path()).start();
    let redis = RedisServer::start();
    import_with_threshold(dir.path(), &redis.url(), 1);
    let function = serve_redis(&redis.url());
    assert_same_answers(&embedded, &function, SAME_HOST);
    let cluster = RedisCluster::start();
    import_with_threshold(dir.path(), &cluster.url(), 2);
    let function = serve_redis(&cluster.url());
    assert_same_answers(&embedded, &function, SAME_HOST);
}

/// The same posts to both stores: the same statuses and bodies (a batch refused for one
/// element stores nothing on either), then the same pages.
#[test]
fn batch_posts_answer_and_refuse_exactly_as_on_the_embedded_store() {
    const KEY: &str = "test-ingest-key-0123456789abcdef";
    let dir = fixture_dir();
    // One clock for both: a score posted without playedAt gets its time.
    const NOW: &str = "2026-05-04T18:30:00Z";
    let embedded = Launch::serve(dir.path())
        .ingest_key(KEY)
        .env("LEADERBOARD_TEST_NOW", NOW)
        .start();
    let redis = RedisServer::start();
    import_with_threshold(dir.path(), &redis.url(), 2);
    let function = Launch::args(["--redis", &redis.url(), "--port", "0"])
        .ingest_key(KEY)
        .env("LEADERBOARD_TEST_NOW", NOW)
        .start();
    let auth = format!("Bearer {KEY}");
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
        SAME_HOST[0],
    ];
    let bodies = [
        // Accepted: a new player, ranked as of the whole batch.
        r#"[{"id":"h1","profileId":"p-h","score":10,"gameMode":"Solo","gameRegion":"Andromeda","profile":{"userName":"Halley"}},
            {"id":"h2","profileId":"p-h","score":990,"gameMode":"Solo","gameRegion":"Andromeda"}]"#,
        // Refused (409 at [1]): h3 must not be stored.
        r#"[{"id":"h3","profileId":"p1","score":5,"gameMode":"Duo","gameRegion":"Pinwheel"},
            {"id":"h1","profileId":"p-h","score":11,"gameMode":"Solo","gameRegion":"Andromeda"}]"#,
        // Refused (400 at [1].profile): nothing stored, the rename included.
        r#"[{"id":"h4","profileId":"p-h","score":5,"gameMode":"Duo","gameRegion":"Pinwheel","profile":{"userName":"Renamed"}},
            {"id":"h5","profileId":"nobody","score":5,"gameMode":"Duo","gameRegion":"Pinwheel"}]"#,
        // An idempotent retry of the whole first batch: 200, created false.
        r#"[{"id":"h1","profileId":"p-h","score":10,"gameMode":"Solo","gameRegion":"Andromeda","profile":{"userName":"Halley"}},
            {"id":"h2","profileId":"p-h","score":990,"gameMode":"Solo","gameRegion":"Andromeda"}]"#,
        // The refused batch without its conflict, with a rename.
        r#"[{"id":"h3","profileId":"p1","score":5,"gameMode":"Duo","gameRegion":"Pinwheel","profile":{"userName":"Hale-Bopp"}}]"#,
    ];
    let mut statuses = Vec::new();
    for body in bodies {
        let expected = embedded.send("POST", "/api/scores", &headers, body.as_bytes());
        let actual = function.send("POST", "/api/scores", &headers, body.as_bytes());
        assert_eq!(actual.status, expected.status, "{body}: {}", actual.text());
        assert_eq!(actual.text(), expected.text(), "{body}");
        statuses.push(actual.status);
    }
    assert_eq!(statuses, [201, 409, 400, 200, 201]);
    assert_same_answers(&embedded, &function, SAME_HOST);
}

#[test]
fn etags_follow_the_store_version_and_304_until_it_changes() {
    let dir = fixture_dir();
    let redis = RedisServer::start();
    import_into_redis(dir.path(), &redis.url());
    let function = serve_redis(&redis.url());
    let first = function.get("/api/LeaderboardFunction");
    let etag = first.header("etag").expect("an ETag").to_string();
    let again = function.get_with("/api/LeaderboardFunction", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    // A new import is a new version: the old ETag no longer matches.
    import_into_redis(dir.path(), &redis.url());
    let after = function.get_with("/api/LeaderboardFunction", &[("If-None-Match", &etag)]);
    assert_eq!(after.status, 200);
    assert_ne!(after.header("etag"), Some(etag.as_str()));
    assert_eq!(after.text(), first.text());
}

fn assert_unavailable(reply: &Reply, what: &str) {
    assert_eq!(reply.status, 503, "{what}: {}", reply.text());
    assert!(
        reply
            .header("retry-after")
            .is_some_and(|v| v.parse::<u32>().is_ok()),
        "{what}: Retry-After"
    );
    let body = reply.json();
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{what}"
    );
}

/// Polls until `path` answers 200 (the function reconnects on its own).
fn wait_for_200(function: &Server, path: &str) -> Reply {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let reply = function.get(path);
        if reply.status == 200 {
            return reply;
        }
        assert_eq!(
            reply.status,
            503,
            "{path} while recovering: {}",
            reply.text()
        );
        assert!(Instant::now() < deadline, "{path} never recovered");
        thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn redis_down_at_start_gives_503_then_the_function_recovers_on_its_own() {
    let mut redis = RedisServer::start();
    let port = redis.port;
    redis.kill();
    let function = serve_redis(&format!("redis://127.0.0.1:{port}"));
    let health = function.get("/api/health");
    assert_eq!(health.status, 503);
    assert_eq!(health.json()["status"], "unavailable");
    assert_unavailable(&function.get("/api/LeaderboardFunction"), "page");
    assert_unavailable(&function.get("/api/LeaderboardFunction/meta"), "meta");
    // The board page says so in the reader's language (Accept-Language: no `lang` given).
    let board = function.get_with("/api/board?mode=Solo", &[("Accept-Language", "de-DE")]);
    assert_eq!(board.status, 503);
    assert!(board.header("retry-after").is_some());
    let html = board.text();
    assert!(html.contains("<html lang=\"de\" dir=\"ltr\">"), "{html}");
    assert!(
        html.contains(
            "Bestenliste nicht angezeigt. Der Bestenlisten-Dienst hat mit einem Fehler \
             geantwortet (HTTP 503)."
        ),
        "{html}"
    );

    redis.restart();
    let dir = fixture_dir();
    import_into_redis(dir.path(), &redis.url());
    let health = wait_for_200(&function, "/api/health");
    assert_eq!(health.json()["totalScores"], 21);
    assert_eq!(function.get("/api/LeaderboardFunction").status, 200);
}

#[test]
fn killing_redis_mid_traffic_gives_503s_without_panics_and_then_recovers() {
    let dir = fixture_dir();
    let mut redis = RedisServer::start();
    import_into_redis(dir.path(), &redis.url());
    let function = serve_redis(&redis.url());
    let page_url = function.url("/api/LeaderboardFunction?sort=player");
    let expected = function.get("/api/LeaderboardFunction?sort=player").text();

    let stop = Arc::new(AtomicBool::new(false));
    let saw_503 = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (url, stop, saw_503) = (page_url.clone(), stop.clone(), saw_503.clone());
            thread::spawn(move || {
                let mut statuses = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let reply = common::request("GET", &url, &[]);
                    if reply.status == 503 {
                        assert_unavailable(&reply, "mid-traffic");
                        saw_503.store(true, Ordering::Relaxed);
                    }
                    statuses.push(reply.status);
                }
                statuses
            })
        })
        .collect();
    // Traffic flows, then Redis dies under it.
    wait_for_200(&function, "/api/LeaderboardFunction");
    redis.kill();
    let deadline = Instant::now() + DEADLINE;
    while !saw_503.load(Ordering::Relaxed) {
        assert!(Instant::now() < deadline, "no 503 after Redis died");
        thread::yield_now();
    }
    redis.restart();
    import_into_redis(dir.path(), &redis.url());
    let deadline = Instant::now() + DEADLINE;
    loop {
        let reply = function.get("/api/LeaderboardFunction?sort=player");
        if reply.status == 200 && reply.text() == expected {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never recovered: {}",
            reply.text()
        );
        thread::sleep(std::time::Duration::from_millis(20));
    }
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        let statuses = client.join().expect("a client thread");
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 503),
            "only 200s and 503s: {statuses:?}"
        );
    }
    let stderr = function.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn import_refuses_a_bad_url_and_bad_data_under_strict() {
    let dir = fixture_dir();
    let exited = Launch::args(["import", "--data-dir"])
        .arg(dir.path())
        .arg("--redis")
        .arg("http://127.0.0.1:1")
        .run_to_exit();
    assert!(!exited.status.success());
    assert!(exited.stderr.contains("redis://"), "{}", exited.stderr);

    let redis = RedisServer::start();
    let mut scores = common::fixture_scores();
    scores[3].profile_id = "nobody".into();
    let bad = tempfile::tempdir().unwrap();
    common::write_data(bad.path(), &scores, &common::fixture_profiles());
    let exited = Launch::args(["import", "--strict", "--data-dir"])
        .arg(bad.path())
        .arg("--redis")
        .arg(redis.url())
        .run_to_exit();
    assert!(!exited.status.success());
    assert!(
        exited.stderr.contains("scores.json: record 3"),
        "{}",
        exited.stderr
    );
    // Without --strict the bad record is skipped with a warning.
    let report = import_into_redis(bad.path(), &redis.url());
    assert!(report.contains("imported 20 scores"), "{report}");
    assert!(report.contains("warning: "), "{report}");
}
