//! The Redis store with replicas (real `redis-server`s on loopback, started here): a primary
//! with two replicas (`--redis-replica`) and a three-master cluster with a replica each.
//! Reads go to the replicas (counted in their `INFO commandstats`), a `201` means the score
//! is in the next read of another function process reading from a replica (the post waited
//! for `WAIT`), and a post the replicas do not confirm in time answers `503` with
//! `Retry-After`, then a retry of it is confirmed.

mod common;

use std::thread;

use serde_json::{json, Value};

use common::redis::{ask, RedisCluster, RedisReplicaSet, RedisServer};
use common::{fixture_dir, import_into_redis, request_with_body, Launch, Reply, Server};

const KEY: &str = "replica-test-ingest-key-0123456789";

fn post(server: &Server, body: &Value) -> Reply {
    request_with_body(
        "POST",
        &server.url("/api/scores"),
        &[
            ("Authorization", &format!("Bearer {KEY}")),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
}

fn score(id: &str, points: i64) -> Value {
    json!({ "id": id, "profileId": "p1", "score": points, "gameMode": "Solo", "gameRegion": "Milky Way" })
}

fn total(server: &Server) -> u64 {
    let reply = server.get("/api/LeaderboardFunction?pageSize=1");
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["totalResults"].as_u64().unwrap()
}

/// Whether `id` is on the first page of the whole board (`pageSize=100`).
fn lists(server: &Server, id: &str) -> bool {
    let reply = server.get("/api/LeaderboardFunction?pageSize=100");
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["scores"]
        .as_array()
        .unwrap()
        .iter()
        .any(|entry| entry["score"]["id"] == id)
}

fn serve(args: &[String]) -> Server {
    Launch::args(args.iter().map(String::as_str))
        .arg("--port")
        .arg("0")
        .arg("--response-cache")
        .arg("0")
        .ingest_key(KEY)
        .start()
}

fn zcards(nodes: &[&RedisServer]) -> u64 {
    nodes.iter().map(|node| node.calls("zcard")).sum()
}

#[test]
fn with_replicas_reads_go_to_them_and_a_201_is_in_the_next_read_of_another_function() {
    let data = fixture_dir();
    let set = RedisReplicaSet::start(2);
    import_into_redis(data.path(), &set.primary.url());
    let writer = serve(&set.args());
    let reader = serve(&set.args());

    let replicas: Vec<&RedisServer> = set.replicas.iter().collect();
    let (primary_before, replicas_before) = (set.primary.calls("zcard"), zcards(&replicas));
    assert_eq!(total(&reader), 21);
    assert_eq!(total(&writer), 21);
    assert_eq!(
        set.primary.calls("zcard"),
        primary_before,
        "a read went to the primary"
    );
    assert!(
        zcards(&replicas) > replicas_before,
        "no read went to a replica"
    );

    // Read your writes, many times over: each 201 is in the other process's next read.
    for i in 0..20 {
        let id = format!("ryw-{i}");
        let reply = post(&writer, &score(&id, 5000 + i));
        assert_eq!(reply.status, 201, "{}", reply.text());
        assert!(lists(&reader, &id), "{id} missing from the next read");
    }
    assert_eq!(total(&reader), 41);
}

#[test]
fn a_post_the_replicas_do_not_confirm_in_time_answers_503_and_a_retry_confirms_it() {
    let data = fixture_dir();
    let set = RedisReplicaSet::start(2);
    import_into_redis(data.path(), &set.primary.url());
    let mut args = set.args();
    args.extend(["--redis-replica-wait-ms".to_string(), "200".to_string()]);
    let writer = serve(&args);

    // One replica stops answering (DEBUG SLEEP blocks it, replication included).
    let stalled = set.replicas[1].port;
    let sleeper = thread::spawn(move || ask(stalled, "DEBUG SLEEP 5"));
    common::redis::wait_until("the replica to stall", || ask(stalled, "PING").is_none());
    let body = score("unconfirmed", 4242);
    let refused = post(&writer, &body);
    assert_eq!(refused.status, 503, "{}", refused.text());
    assert!(refused.header("retry-after").is_some());
    let error = refused.json()["error"].as_str().unwrap().to_string();
    assert!(
        error.contains("1 of 2 read replicas confirmed") && error.contains("retry"),
        "{error}"
    );
    let _ = sleeper.join();

    // The score was stored; once the replica is back, the same post is confirmed.
    common::redis::wait_until("the replica to answer again", || {
        ask(stalled, "PING").is_some_and(|r| r.starts_with("+PONG"))
    });
    let retried = post(&writer, &body);
    assert_eq!(retried.status, 200, "{}", retried.text());
    assert_eq!(retried.json()["created"], false, "{}", retried.text());
    assert!(lists(&writer, "unconfirmed"));
}

#[test]
fn a_cluster_reads_from_its_replicas_and_a_201_is_in_the_next_read_of_another_function() {
    let data = fixture_dir();
    let cluster = RedisCluster::start_with_replicas(1);
    import_into_redis(data.path(), &cluster.url());
    let args = vec!["--redis".to_string(), cluster.url()];
    let writer = serve(&args);
    let reader = serve(&args);

    let (masters, replicas): (Vec<&RedisServer>, Vec<&RedisServer>) = cluster
        .nodes
        .iter()
        .partition(|node| node.replication().contains("role:master"));
    let (masters_before, replicas_before) = (zcards(&masters), zcards(&replicas));
    assert_eq!(total(&reader), 21);
    assert_eq!(zcards(&masters), masters_before, "a read went to a master");
    assert!(
        zcards(&replicas) > replicas_before,
        "no read went to a replica"
    );

    for i in 0..10 {
        let id = format!("cluster-ryw-{i}");
        let reply = post(&writer, &score(&id, 6000 + i));
        assert_eq!(reply.status, 201, "{}", reply.text());
        assert!(lists(&reader, &id), "{id} missing from the next read");
    }
    // `q` under a score order runs a read-only script: on a replica too.
    let scripts =
        |nodes: &[&RedisServer]| -> u64 { nodes.iter().map(|n| n.calls("eval_ro")).sum() };
    let replica_scripts = scripts(&replicas);
    let reply = reader.get("/api/LeaderboardFunction?q=ali");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(scripts(&masters), 0, "a script read went to a master");
    assert!(
        scripts(&replicas) > replica_scripts,
        "no script read went to a replica"
    );
}
