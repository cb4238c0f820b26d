//! Several boards on one Redis Cluster (`--redis-board`): each board's keys carry a hash
//! tag of its own (`{lb:<name>}`), so the boards live on different slots and, for these
//! names, on different masters; each is imported, served and posted to on its own, and the
//! default board (`{lb}`) is untouched.

mod common;

use std::process::Command;

use serde_json::json;

use common::redis::{ask, RedisCluster};
use common::{fixture_dir, fixture_profiles, fixture_scores, ids, request_with_body, write_data};
use common::{Launch, Server};

const KEY: &str = "boards-test-ingest-key-0123456789";

fn import(dir: &std::path::Path, url: &str, board: &str) {
    let exited = Launch::args(["import", "--data-dir"])
        .arg(dir)
        .arg("--redis")
        .arg(url)
        .arg("--redis-board")
        .arg(board)
        .run_to_exit();
    assert!(exited.status.success(), "import failed: {}", exited.stderr);
}

fn serve(url: &str, board: &str) -> Server {
    Launch::args(["--redis", url, "--redis-board", board, "--port", "0"])
        .ingest_key(KEY)
        .start()
}

fn total(server: &Server) -> u64 {
    let reply = server.get("/api/LeaderboardFunction?pageSize=1");
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["totalResults"].as_u64().unwrap()
}

/// The port of the master that holds `slot`'s keys.
fn owner_of(cluster: &RedisCluster, tag: &str) -> u16 {
    let slot = ask(cluster.nodes[0].port, &format!("CLUSTER KEYSLOT {tag}"))
        .and_then(|r| r.trim().trim_start_matches(':').parse::<u16>().ok())
        .unwrap();
    cluster
        .nodes
        .iter()
        .find(|node| {
            ask(node.port, &format!("CLUSTER COUNTKEYSINSLOT {slot}"))
                .is_some_and(|r| r.trim() != ":0")
        })
        .unwrap_or_else(|| panic!("no node holds keys of {tag} (slot {slot})"))
        .port
}

#[test]
fn boards_on_their_own_slots_are_served_and_posted_to_independently() {
    let cluster = RedisCluster::start();
    let url = cluster.url();
    let full = fixture_dir();
    let small = tempfile::tempdir().unwrap();
    write_data(small.path(), &fixture_scores()[..5], &fixture_profiles());
    import(full.path(), &url, "season-1");
    import(small.path(), &url, "season-2");

    let one = serve(&url, "season-1");
    let two = serve(&url, "season-2");
    assert_eq!(total(&one), 21);
    assert_eq!(total(&two), 5);
    // The default board was never loaded: it is empty.
    let default = Launch::args(["--redis", &url, "--port", "0"]).start();
    assert_eq!(total(&default), 0);

    let owners = (
        owner_of(&cluster, "{lb:season-1}"),
        owner_of(&cluster, "{lb:season-2}"),
    );
    assert_ne!(owners.0, owners.1, "both boards on one master");

    let posted = request_with_body(
        "POST",
        &two.url("/api/scores"),
        &[
            ("Authorization", &format!("Bearer {KEY}")),
            ("Content-Type", "application/json"),
        ],
        json!({ "id": "only-in-two", "profileId": "p1", "score": 1, "gameMode": "Solo", "gameRegion": "Pinwheel" })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(posted.status, 201, "{}", posted.text());
    assert_eq!(total(&two), 6);
    assert_eq!(total(&one), 21);
    assert_eq!(total(&default), 0);

    // An operator's removal names its board as serve and import do: it changes that board
    // only (the fixture's first score is on both boards).
    let id = fixture_scores()[0].id.clone();
    let removed = Launch::args(["remove-score", &id, "--redis", &url, "--redis-board"])
        .arg("season-2")
        .run_to_exit();
    assert!(removed.status.success(), "{}", removed.stderr);
    assert_eq!(removed.stdout, format!("removed score {id:?}\n"));
    assert_eq!(total(&two), 5);
    assert_eq!(total(&one), 21);
    let left = two.get("/api/LeaderboardFunction?pageSize=100");
    assert_eq!(left.status, 200, "{}", left.text());
    assert!(!ids(&left.json()).contains(&id));
    assert!(ids(&one.get("/api/LeaderboardFunction?pageSize=100").json()).contains(&id));
}

#[test]
fn a_bad_board_name_is_refused_with_the_rule() {
    let out = Command::new(common::BINARY)
        .args(["--redis", "redis://127.0.0.1:1", "--redis-board", "a}b"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 to 64 characters"), "{stderr}");
}
