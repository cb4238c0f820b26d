//! `playedAt` over real HTTP against the built binary, with its clock set by the testing
//! flag's variable (`LEADERBOARD_TEST_NOW`): a post without `playedAt` gets the clock's
//! time, one with it keeps it (canonical form), the future past the clock skew and a
//! malformed time are `400` naming `playedAt` (`[i].playedAt` in a batch, which stores
//! nothing), retries (a post without `playedAt` is a retry of the stored score whatever
//! its time), data files with and without times (a bad time skips its record), and the
//! same bytes from the embedded store and the store under test.
//!
//! The store under test is `LEADERBOARD_TEST_STORE` (embedded by default; scripts/test.sh
//! runs this file again on `redis` and `redis-cluster`).

mod common;

use common::*;
use serde_json::{json, Value};
use tempfile::TempDir;

const INGEST: &str = "test-ingest-key-0123456789abcdef";
const NOW: &str = "2026-05-04T18:30:00Z";
const NOW_CANONICAL: &str = "2026-05-04T18:30:00.000Z";
const LEADERBOARD: &str = "/api/LeaderboardFunction";

/// The fixture (untimed, as the original's documents), a timed score in a non-canonical
/// spelling, and one whose time is malformed (a bad record: skipped).
fn data_dir() -> TempDir {
    let dir = fixture_dir();
    let mut scores: Vec<Value> = fixture_scores()
        .iter()
        .map(|score| serde_json::to_value(score).unwrap())
        .collect();
    scores.push(
        json!({"id": "t1", "profileId": "p5", "score": 777, "gameMode": "Duo",
        "gameRegion": "Pinwheel", "playedAt": "2026-05-01T10:00:00+00:00"}),
    );
    scores.push(
        json!({"id": "t2", "profileId": "p5", "score": 778, "gameMode": "Duo",
        "gameRegion": "Pinwheel", "playedAt": "yesterday"}),
    );
    std::fs::write(
        dir.path().join("scores.json"),
        serde_json::to_vec(&scores).unwrap(),
    )
    .unwrap();
    dir
}

fn start(launch: Launch) -> Server {
    launch
        .ingest_key(INGEST)
        .env("LEADERBOARD_TEST_NOW", NOW)
        .env("LEADERBOARD_PUBLIC_URL", "https://game.example/api/")
        .start()
}

fn post(server: &Server, body: &Value) -> Reply {
    server.send(
        "POST",
        "/api/scores",
        &[
            ("Authorization", &format!("Bearer {INGEST}")),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
}

fn score(id: &str, played_at: Option<&str>) -> Value {
    let mut score = json!({"id": id, "profileId": "p1", "score": 321, "gameMode": "Solo",
        "gameRegion": "Andromeda"});
    if let Some(time) = played_at {
        score["playedAt"] = json!(time);
    }
    score
}

/// Every step of the scenario: its name, status and body bytes, in order.
type Transcript = Vec<(&'static str, u16, Vec<u8>)>;

/// The scenario every test reads: reads of the loaded data, posts (timed, untimed,
/// refused), retries, and a read of everything at the end.
fn run_scenario(server: &Server) -> Transcript {
    let mut transcript = Transcript::new();
    let mut step = |name: &'static str, reply: Reply| {
        transcript.push((name, reply.status, reply.body));
    };
    step("loaded", server.get(&format!("{LEADERBOARD}?pageSize=50")));
    step("untimed post", post(server, &score("u1", None)));
    step(
        "timed post",
        post(
            server,
            &score("t3", Some("2026-05-04T18:33:00.123456+00:00")),
        ),
    );
    step(
        "future",
        post(server, &score("f1", Some("2026-05-04T18:35:00.001Z"))),
    );
    step("malformed", post(server, &score("f2", Some("2026-05-04"))));
    step(
        "not utc",
        post(server, &score("f3", Some("2026-05-04T20:30:00+02:00"))),
    );
    step(
        "batch",
        post(
            server,
            &json!([score("b1", None), score("b2", Some("2026-02-30T00:00:00Z"))]),
        ),
    );
    step("untimed retry", post(server, &score("u1", None)));
    step(
        "untimed retry of a timed post",
        post(server, &score("t3", None)),
    );
    step(
        "timed retry",
        post(server, &score("t3", Some("2026-05-04T18:33:00.123Z"))),
    );
    step(
        "retry at another time",
        post(server, &score("t3", Some("2026-05-04T18:33:01Z"))),
    );
    // s14 is the fixture's: p1, 100, Solo, Milky Way, no time.
    let s14 = |time: Option<&str>| {
        let mut body = json!({"id": "s14", "profileId": "p1", "score": 100, "gameMode": "Solo",
            "gameRegion": "Milky Way"});
        if let Some(time) = time {
            body["playedAt"] = json!(time);
        }
        body
    };
    step(
        "untimed retry of an untimed document",
        post(server, &s14(None)),
    );
    step(
        "timed post over an untimed document",
        post(server, &s14(Some("2026-05-04T18:00:00Z"))),
    );
    step("end", server.get(&format!("{LEADERBOARD}?pageSize=50")));
    transcript
}

fn reply(transcript: &Transcript, name: &str) -> (u16, Value) {
    let (_, status, body) = transcript
        .iter()
        .find(|(step, _, _)| *step == name)
        .unwrap_or_else(|| panic!("no step {name}"));
    (*status, serde_json::from_slice(body).unwrap())
}

/// The `score` documents of a page, by id.
fn scores_of(page: &Value) -> Vec<(String, Value)> {
    page["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let score = entry["score"].clone();
            (score["id"].as_str().unwrap().to_string(), score)
        })
        .collect()
}

fn time_of(page: &Value, id: &str) -> Option<Value> {
    scores_of(page)
        .into_iter()
        .find(|(found, _)| found == id)
        .unwrap_or_else(|| panic!("{id} is not on the page"))
        .1
        .get("playedAt")
        .cloned()
}

fn scenario_on_the_store_under_test() -> Transcript {
    let data = data_dir();
    let server = start(Launch::serve_with_store_under_test(data.path()));
    run_scenario(&server)
}

#[test]
fn loaded_documents_keep_their_time_in_canonical_form_and_untimed_ones_show_none() {
    let transcript = scenario_on_the_store_under_test();
    let (status, page) = reply(&transcript, "loaded");
    assert_eq!(status, 200);
    // The fixture's 21 and t1; t2 (a malformed time) was skipped as a bad record.
    assert_eq!(page["totalResults"], 22);
    for (id, score) in scores_of(&page) {
        if id == "t1" {
            assert_eq!(score["playedAt"], "2026-05-01T10:00:00.000Z");
        } else {
            assert_eq!(score.get("playedAt"), None, "{id} came without a time");
        }
    }
}

#[test]
fn a_post_without_played_at_gets_the_clock_and_one_with_it_keeps_it() {
    let transcript = scenario_on_the_store_under_test();
    let (status, untimed) = reply(&transcript, "untimed post");
    assert_eq!((status, untimed["created"].clone()), (201, json!(true)));
    assert_eq!(untimed["score"]["playedAt"], NOW_CANONICAL);
    let (status, timed) = reply(&transcript, "timed post");
    assert_eq!(status, 201);
    assert_eq!(timed["score"]["playedAt"], "2026-05-04T18:33:00.123Z");
    let (_, end) = reply(&transcript, "end");
    assert_eq!(time_of(&end, "u1"), Some(json!(NOW_CANONICAL)));
    assert_eq!(time_of(&end, "t3"), Some(json!("2026-05-04T18:33:00.123Z")));
}

#[test]
fn a_future_or_malformed_played_at_is_refused_naming_it_and_stores_nothing() {
    let transcript = scenario_on_the_store_under_test();
    let cases = [
        (
            "future",
            "playedAt",
            "playedAt must not be more than 5 minutes ahead of the server's clock \
             (2026-05-04T18:30:00.000Z)",
        ),
        (
            "malformed",
            "playedAt",
            "playedAt must be an RFC 3339 time in UTC such as 2026-05-04T18:30:00Z, \
             got \"2026-05-04\"",
        ),
        (
            "not utc",
            "playedAt",
            "playedAt must be in UTC (ending in Z or +00:00), got the offset \"+02:00\"",
        ),
        (
            "batch",
            "[1].playedAt",
            "playedAt must be a real date and time, got \"2026-02-30T00:00:00Z\"",
        ),
    ];
    for (step, param, error) in cases {
        let (status, body) = reply(&transcript, step);
        assert_eq!(
            (status, body),
            (400, json!({"error": error, "param": param})),
            "{step}"
        );
    }
    let (_, end) = reply(&transcript, "end");
    let ids: Vec<String> = scores_of(&end).into_iter().map(|(id, _)| id).collect();
    for refused in ["f1", "f2", "f3", "b1", "b2"] {
        assert!(!ids.contains(&refused.to_string()), "{refused} was stored");
    }
    // The fixture's 21, t1, and the two accepted posts.
    assert_eq!(end["totalResults"], 24);
}

#[test]
fn a_retry_without_played_at_is_the_same_score_and_a_different_time_conflicts() {
    let transcript = scenario_on_the_store_under_test();
    // Same clock, same time: the plain retry.
    let (status, retry) = reply(&transcript, "untimed retry");
    assert_eq!((status, retry["created"].clone()), (200, json!(false)));
    assert_eq!(retry["score"]["playedAt"], NOW_CANONICAL);
    // Received now, stored with the time it was sent with: still a retry, the stored
    // time stays and is answered.
    let (status, retry) = reply(&transcript, "untimed retry of a timed post");
    assert_eq!((status, retry["created"].clone()), (200, json!(false)));
    assert_eq!(retry["score"]["playedAt"], "2026-05-04T18:33:00.123Z");
    // The same instant in its canonical spelling is the same score.
    let (status, retry) = reply(&transcript, "timed retry");
    assert_eq!((status, retry["created"].clone()), (200, json!(false)));
    // Another time is other content.
    let (status, conflict) = reply(&transcript, "retry at another time");
    assert_eq!((status, conflict["param"].clone()), (409, json!("id")));
    // A document loaded without a time: a post without one is a retry (answered without
    // a time), a post with one is other content.
    let (status, retry) = reply(&transcript, "untimed retry of an untimed document");
    assert_eq!((status, retry["created"].clone()), (200, json!(false)));
    assert_eq!(retry["score"].get("playedAt"), None);
    let (status, conflict) = reply(&transcript, "timed post over an untimed document");
    assert_eq!((status, conflict["param"].clone()), (409, json!("id")));
    let (_, end) = reply(&transcript, "end");
    assert_eq!(time_of(&end, "s14"), None);
    assert_eq!(time_of(&end, "t3"), Some(json!("2026-05-04T18:33:00.123Z")));
}

/// On `redis` and `redis-cluster`, every step's status and body bytes are the embedded
/// store's (on `embedded`, two embedded servers agree).
#[test]
fn the_store_under_test_answers_every_step_with_the_embedded_stores_bytes() {
    let embedded_data = data_dir();
    let embedded = run_scenario(&start(Launch::serve(embedded_data.path())));
    let under_test = scenario_on_the_store_under_test();
    assert_eq!(embedded.len(), under_test.len());
    for ((step, status, body), (_, other_status, other_body)) in embedded.iter().zip(&under_test) {
        assert_eq!(
            (status, String::from_utf8_lossy(body)),
            (other_status, String::from_utf8_lossy(other_body)),
            "{step}"
        );
    }
}

/// A data file's malformed `playedAt` is a bad record: skipped with a warning naming the
/// record and the field, in the words of a post's `400`.
#[test]
fn a_malformed_time_in_a_data_file_skips_its_record_with_a_warning() {
    let data = data_dir();
    let server = start(Launch::serve(data.path()));
    server.wait_for_stderr(
        "record 22 (id \"t2\"): field \"playedAt\" must be an RFC 3339 time in UTC such as \
         2026-05-04T18:30:00Z, got \"yesterday\"",
    );
    let exited = Launch::args(["snapshot", "--strict", "--data-dir"])
        .arg(data.path())
        .run_to_exit();
    assert!(!exited.status.success(), "--strict refuses the bad time");
    assert!(
        exited.stderr.contains("(id \"t2\"): field \"playedAt\""),
        "{}",
        exited.stderr
    );
}
