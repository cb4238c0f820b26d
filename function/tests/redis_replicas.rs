//! The Redis store with replicas (real `redis-server`s on loopback, started here): a primary
//! with two replicas (`--redis-replica`) and a three-master cluster with a replica each.
//! Reads go to the replicas (counted in their `INFO commandstats`), a `201` means the score
//! is in the next read of another function process reading from a replica (the post waited
//! for `WAIT`), and a post the replicas do not confirm in time answers `503` with
//! `Retry-After`, then a retry of it is confirmed. Failover under load (a replica promoted by
//! hand, `CLUSTER FAILOVER`, a cluster master killed): reads keep answering, posts answer
//! `201` or `503` with `Retry-After` and then succeed, and every acknowledged score is there.

mod common;

use std::thread;

use serde_json::{json, Value};

use common::redis::{ask, RedisCluster, RedisReplicaSet, RedisServer};
use common::{fixture_dir, import_into_redis, request_with_body, Launch, Reply, Server};

const KEY: &str = "replica-test-ingest-key-0123456789";

fn post(server: &Server, body: &Value) -> Reply {
    post_to(&server.url("/api/scores"), body)
}

fn post_to(url: &str, body: &Value) -> Reply {
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

/// Read commands run by `nodes`: `ZCARD` (every page) and `MGET` (every version).
fn zcards(nodes: &[&RedisServer]) -> u64 {
    nodes
        .iter()
        .map(|node| node.calls("zcard") + node.calls("mget"))
        .sum()
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

/// What a load run saw.
struct LoadOutcome {
    /// Ids answered 201.
    acked: Vec<String>,
    /// Every id posted.
    posted: Vec<String>,
    /// 503s seen (posts, reads), each with Retry-After.
    unavailable: (usize, usize),
}

/// Posts (one thread) and reads (another) through `writer` and `reader` while `switch`
/// runs: starts it once 10 posts were acknowledged, and ends once 5 posts and 5 reads
/// succeeded after it. Any answer but 2xx or 503 with Retry-After fails the test.
fn under_load(writer: &Server, reader: &Server, switch: impl FnOnce()) -> LoadOutcome {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Mutex;

    let stop = AtomicBool::new(false);
    let switched = AtomicBool::new(false);
    let acked = Mutex::new(Vec::new());
    let posted = Mutex::new(Vec::new());
    let (acked_after, read_after) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let (posts_503, reads_503) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let (post_url, read_url) = (
        writer.url("/api/scores"),
        reader.url("/api/LeaderboardFunction?pageSize=5"),
    );
    let check_503 = |reply: &Reply, what: &str| {
        assert_eq!(reply.status, 503, "{what}: {}", reply.text());
        assert!(
            reply.header("retry-after").is_some(),
            "{what}: no Retry-After"
        );
        assert!(
            reply.json()["error"].is_string(),
            "{what}: {}",
            reply.text()
        );
    };
    thread::scope(|scope| {
        scope.spawn(|| {
            for i in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let id = format!("load-{i}");
                let after = switched.load(Ordering::SeqCst);
                posted.lock().unwrap().push(id.clone());
                let reply = post_to(&post_url, &score(&id, 100_000 + i));
                if reply.status == 201 {
                    acked.lock().unwrap().push(id);
                    if after {
                        acked_after.fetch_add(1, Ordering::SeqCst);
                    }
                } else {
                    check_503(&reply, "post");
                    posts_503.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        scope.spawn(|| {
            while !stop.load(Ordering::SeqCst) {
                let after = switched.load(Ordering::SeqCst);
                let reply = common::request("GET", &read_url, &[]);
                if reply.status == 200 {
                    if after {
                        read_after.fetch_add(1, Ordering::SeqCst);
                    }
                } else {
                    check_503(&reply, "read");
                    reads_503.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        common::redis::wait_until("10 acknowledged posts", || {
            acked.lock().unwrap().len() >= 10
        });
        switch();
        switched.store(true, Ordering::SeqCst);
        common::redis::wait_until("posts and reads to succeed after the switch", || {
            acked_after.load(Ordering::SeqCst) >= 5 && read_after.load(Ordering::SeqCst) >= 5
        });
        stop.store(true, Ordering::SeqCst);
    });
    LoadOutcome {
        acked: acked.into_inner().unwrap(),
        posted: posted.into_inner().unwrap(),
        unavailable: (posts_503.into_inner(), reads_503.into_inner()),
    }
}

/// Every score id on the whole board, read page by page.
fn every_id(server: &Server) -> Vec<String> {
    let mut ids = Vec::new();
    for page in 1.. {
        let reply = server.get(&format!(
            "/api/LeaderboardFunction?pageSize=100&page={page}"
        ));
        assert_eq!(reply.status, 200, "{}", reply.text());
        let body = reply.json();
        let scores = body["scores"].as_array().unwrap();
        if scores.is_empty() {
            break;
        }
        ids.extend(
            scores
                .iter()
                .map(|e| e["score"]["id"].as_str().unwrap().to_string()),
        );
    }
    ids
}

/// Nothing acknowledged is lost, nothing is counted twice, nothing appears unposted.
fn assert_nothing_lost(server: &Server, outcome: &LoadOutcome) {
    let ids = every_id(server);
    let stored: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(stored.len(), ids.len(), "an entry is listed twice");
    assert_eq!(
        total(server),
        ids.len() as u64,
        "totalResults and the pages disagree"
    );
    for id in &outcome.acked {
        assert!(stored.contains(id), "acknowledged score {id} was lost");
    }
    let posted: std::collections::HashSet<&String> = outcome.posted.iter().collect();
    let loaded = ids.iter().filter(|id| id.starts_with("load-")).count();
    assert!(ids
        .iter()
        .filter(|id| id.starts_with("load-"))
        .all(|id| posted.contains(id)));
    assert_eq!(ids.len() - loaded, 21, "a fixture score went missing");
    eprintln!(
        "acknowledged {} of {} posts ({} stored); 503s: {} posts, {} reads",
        outcome.acked.len(),
        outcome.posted.len(),
        loaded,
        outcome.unavailable.0,
        outcome.unavailable.1
    );
}

#[test]
fn when_the_primary_dies_and_a_replica_is_promoted_posts_resume_and_nothing_acknowledged_is_lost() {
    let data = fixture_dir();
    let mut set = RedisReplicaSet::start(2);
    import_into_redis(data.path(), &set.primary.url());
    let writer = serve(&set.args());
    let reader = serve(&set.args());
    let (promoted, other) = (set.replicas[0].port, set.replicas[1].port);
    let outcome = under_load(&writer, &reader, || {
        // What an operator (or a script) does without Sentinel: the primary is gone; the
        // other replica follows the chosen one, which then stops replicating.
        set.primary.kill();
        let reply = ask(other, &format!("REPLICAOF 127.0.0.1 {promoted}"));
        assert!(reply.is_some_and(|r| r.starts_with("+OK")));
        let reply = ask(promoted, "REPLICAOF NO ONE");
        assert!(reply.is_some_and(|r| r.starts_with("+OK")));
        common::redis::wait_for_link(other);
    });
    assert_nothing_lost(&reader, &outcome);
    assert_nothing_lost(&writer, &outcome);
}

/// The index of the master holding the `{lb}` slot (the leaderboard's keys).
fn leaderboard_master(cluster: &RedisCluster) -> usize {
    let slot = ask(cluster.nodes[0].port, "CLUSTER KEYSLOT {lb}")
        .and_then(|r| r.trim().trim_start_matches(':').parse::<u16>().ok())
        .unwrap();
    cluster
        .nodes
        .iter()
        .position(|node| {
            ask(node.port, &format!("CLUSTER COUNTKEYSINSLOT {slot}"))
                .is_some_and(|r| r.trim() != ":0")
                && node.replication().contains("role:master")
        })
        .unwrap()
}

#[test]
fn a_cluster_failover_under_load_loses_nothing_acknowledged() {
    let data = fixture_dir();
    let cluster = RedisCluster::start_with_replicas(1);
    import_into_redis(data.path(), &cluster.url());
    let args = vec!["--redis".to_string(), cluster.url()];
    let writer = serve(&args);
    let reader = serve(&args);
    // The replica of the master holding the `{lb}` slot.
    let owner = cluster.nodes[leaderboard_master(&cluster)].port;
    let replica = cluster
        .nodes
        .iter()
        .find(|node| node.replication().contains(&format!("master_port:{owner}")))
        .unwrap()
        .port;
    let outcome = under_load(&writer, &reader, || {
        let reply = ask(replica, "CLUSTER FAILOVER");
        assert!(reply.is_some_and(|r| r.starts_with("+OK")));
        common::redis::wait_until("the replica to take over", || {
            ask(replica, "INFO replication").is_some_and(|info| info.contains("role:master"))
        });
    });
    assert_nothing_lost(&reader, &outcome);
}

#[test]
fn a_cluster_master_killed_under_load_fails_over_and_loses_nothing_acknowledged() {
    let data = fixture_dir();
    let mut cluster = RedisCluster::start_with_replicas(1);
    import_into_redis(data.path(), &cluster.url());
    let args = vec!["--redis".to_string(), cluster.url()];
    let writer = serve(&args);
    let reader = serve(&args);
    let owner = leaderboard_master(&cluster);
    let owner_port = cluster.nodes[owner].port;
    let replica = cluster
        .nodes
        .iter()
        .find(|node| {
            node.replication()
                .contains(&format!("master_port:{owner_port}"))
        })
        .unwrap()
        .port;
    let outcome = under_load(&writer, &reader, || {
        // SIGKILL: the cluster notices after its node timeout and promotes the replica.
        cluster.nodes[owner].kill();
        common::redis::wait_until("the replica to be promoted", || {
            ask(replica, "INFO replication").is_some_and(|info| info.contains("role:master"))
        });
    });
    assert_nothing_lost(&reader, &outcome);
}
