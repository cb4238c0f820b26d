//! The page cache every function instance shares, in Redis (real `redis-server`s on
//! loopback): a page one function process computed is served by another (`X-Cache:
//! shared-hit`, the same bytes, in each encoding), a post makes both compute the next
//! version's page once (never serving the old one), pages over the size cap are not shared,
//! and what is kept expires. On a cluster with replicas too.

mod common;

use serde_json::json;

use common::redis::{ask, RedisCluster, RedisServer};
use common::{fixture_dir, import_into_redis, request_with_body, Launch, Server};

const KEY: &str = "page-cache-test-ingest-key-0123456789";
const PAGE: &str = "/api/LeaderboardFunction?mode=Solo&pageSize=5";
const GZIP: &[(&str, &str)] = &[
    ("Accept-Encoding", "gzip"),
    ("X-Forwarded-Host", "g.example"),
];
const PLAIN: &[(&str, &str)] = &[("X-Forwarded-Host", "g.example")];

fn serve(args: &[String]) -> Server {
    Launch::args(args.iter().map(String::as_str))
        .arg("--port")
        .arg("0")
        .ingest_key(KEY)
        .start()
}

fn source(server: &Server, headers: &[(&str, &str)]) -> (String, Vec<u8>) {
    let reply = server.get_with(PAGE, headers);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let source = reply.header("x-cache").unwrap_or("(none)").to_string();
    (source, reply.body)
}

fn shares_pages_between_two_functions(redis_args: Vec<String>) {
    let first = serve(&redis_args);
    let second = serve(&redis_args);

    let (made, gzipped) = source(&first, GZIP);
    assert_eq!(made, "miss");
    let (shared, same) = source(&second, GZIP);
    assert_eq!(
        shared, "shared-hit",
        "the second function computed the page again"
    );
    assert_eq!(same, gzipped);
    assert_eq!(source(&second, GZIP).0, "local-hit");
    // The identity form was shared with the gzip form.
    let (plain_source, plain) = source(&second, PLAIN);
    assert_eq!(plain_source, "shared-hit");
    assert_eq!(
        source(&first, PLAIN),
        ("local-hit".to_string(), plain.clone())
    );

    // A post is a new data version: neither function serves the old page; one computes
    // the new page, the other takes it from the shared cache.
    let posted = request_with_body(
        "POST",
        &first.url("/api/scores"),
        &[
            ("Authorization", &format!("Bearer {KEY}")),
            ("Content-Type", "application/json"),
        ],
        json!({ "id": "shared-new", "profileId": "p1", "score": 99_999, "gameMode": "Solo", "gameRegion": "Milky Way" })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(posted.status, 201, "{}", posted.text());
    let (after, body) = source(&second, PLAIN);
    assert_eq!(after, "miss");
    assert!(String::from_utf8_lossy(&body).contains("shared-new"));
    let (after, same) = source(&first, PLAIN);
    assert_eq!(after, "shared-hit");
    assert_eq!(same, body);
}

#[test]
fn a_page_computed_by_one_function_is_served_by_another_until_a_post() {
    let data = fixture_dir();
    let redis = RedisServer::start();
    import_into_redis(data.path(), &redis.url());
    shares_pages_between_two_functions(vec!["--redis".into(), redis.url()]);
    // Pages are kept with an expiry (the leaderboard's keys have none).
    let keyspace = ask(redis.port, "INFO keyspace").unwrap_or_default();
    let expiring: u64 = keyspace
        .split("expires=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(expiring >= 3, "{keyspace}");
}

#[test]
fn a_cluster_with_replicas_shares_pages_too() {
    let data = fixture_dir();
    let cluster = RedisCluster::start_with_replicas(1);
    import_into_redis(data.path(), &cluster.url());
    shares_pages_between_two_functions(vec!["--redis".into(), cluster.url()]);
}

#[test]
fn pages_over_the_cap_are_not_shared_and_the_cache_can_be_off() {
    let data = fixture_dir();
    let redis = RedisServer::start();
    import_into_redis(data.path(), &redis.url());
    let capped: Vec<String> = vec![
        "--redis".into(),
        redis.url(),
        "--redis-page-cache".into(),
        "100".into(),
    ];
    let (first, second) = (serve(&capped), serve(&capped));
    assert_eq!(source(&first, PLAIN).0, "miss");
    assert_eq!(
        source(&second, PLAIN).0,
        "miss",
        "a page over the cap was shared"
    );

    let off: Vec<String> = vec![
        "--redis".into(),
        redis.url(),
        "--redis-page-cache".into(),
        "0".into(),
    ];
    let plain = serve(&off);
    assert_eq!(
        source(&plain, PLAIN).0,
        "(none)",
        "X-Cache without a shared cache"
    );
}
