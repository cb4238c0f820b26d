//! The index snapshot through the real binary: a start from the files writes it, the next
//! start serves from it with the same answers, and a stale (data changed), truncated or
//! foreign snapshot is detected, said on stderr, never served, and written again; the
//! `snapshot` command, `--strict` over a snapshot's skipped records, `--snapshot off`, an
//! unwritable location, and posts on a store started from a snapshot.

mod common;

use std::path::Path;

use common::{
    fixture_dir, fixture_profiles, fixture_scores, request_with_body, write_data, Launch,
};
use serde_json::{json, Value};

const SNAPSHOT: &str = "leaderboard.snapshot";
const FROM_SNAPSHOT: &str = "from the index snapshot";
const FROM_FILES: &str = "from the data files";
const WROTE: &str = "wrote the index snapshot";

/// Queries of every shape whose answers must not depend on where the index came from.
const PATHS: &[&str] = &[
    "/api/LeaderboardFunction",
    "/api/LeaderboardFunction?page=2&pageSize=5",
    "/api/LeaderboardFunction?mode=Solo&region=Milky%20Way",
    "/api/LeaderboardFunction?sort=player&order=desc&pageSize=50",
    "/api/LeaderboardFunction?sort=region&q=al",
    "/api/LeaderboardFunction?sort=mode&mode=Duo&pageSize=3&page=2",
    "/api/LeaderboardFunction?around=p9&pageSize=4",
    "/api/LeaderboardFunction/meta",
];

/// Starts a server on `dir`, waits until it has loaded and (when it built from the files)
/// written its snapshot, and returns every answer of [`PATHS`] with its ETag, and stderr.
fn serve_and_read(dir: &Path, extra: &[&str]) -> (Vec<(String, Option<String>)>, String) {
    // A fixed public URL: avatar URLs and ETags do not then depend on the port.
    let mut launch = Launch::serve(dir)
        .arg("--public-url")
        .arg("https://game.example/api/");
    for arg in extra {
        launch = launch.arg(*arg);
    }
    let server = launch.start();
    let loaded = server.wait_for_stderr("loaded ");
    if loaded.contains(FROM_FILES) && !extra.contains(&"off") {
        server.wait_for_stderr(WROTE);
    }
    let answers = PATHS
        .iter()
        .map(|path| {
            let reply = server.get(path);
            assert_eq!(reply.status, 200, "{path}: {}", reply.text());
            (reply.text(), reply.header("etag").map(str::to_string))
        })
        .collect();
    let (status, stderr) = server.terminate();
    assert!(status.success(), "{stderr}");
    (answers, stderr)
}

#[test]
fn a_start_writes_the_snapshot_and_the_next_serves_the_same_answers_from_it() {
    let dir = fixture_dir();
    let (from_files, stderr) = serve_and_read(dir.path(), &[]);
    assert!(stderr.contains(FROM_FILES), "{stderr}");
    assert!(stderr.contains("there is none yet"), "{stderr}");
    assert!(dir.path().join(SNAPSHOT).is_file());

    let (from_snapshot, stderr) = serve_and_read(dir.path(), &[]);
    assert!(stderr.contains(FROM_SNAPSHOT), "{stderr}");
    assert!(
        !stderr.contains(WROTE),
        "a fresh snapshot is not rewritten: {stderr}"
    );
    // Same bytes and the same ETags: the data version is the files', wherever the index
    // came from.
    assert_eq!(from_snapshot, from_files);
}

#[test]
fn a_stale_snapshot_is_detected_rebuilt_and_never_served() {
    let dir = fixture_dir();
    serve_and_read(dir.path(), &[]);
    let mut scores = fixture_scores();
    scores[0].score = 5_000;
    write_data(dir.path(), &scores, &fixture_profiles());

    let (answers, stderr) = serve_and_read(dir.path(), &[]);
    assert!(stderr.contains("it is stale"), "{stderr}");
    assert!(stderr.contains(FROM_FILES), "{stderr}");
    let top: Value = serde_json::from_str(&answers[0].0).unwrap();
    assert_eq!(
        top["scores"][0]["score"]["score"], 5_000,
        "the new data is served"
    );

    // Written again: the next start serves the new data from it.
    let (again, stderr) = serve_and_read(dir.path(), &[]);
    assert!(stderr.contains(FROM_SNAPSHOT), "{stderr}");
    assert_eq!(again, answers);
}

#[test]
fn a_truncated_snapshot_is_detected_rebuilt_and_never_served() {
    let dir = fixture_dir();
    let (expected, _) = serve_and_read(dir.path(), &[]);
    let path = dir.path().join(SNAPSHOT);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();

    let (answers, stderr) = serve_and_read(dir.path(), &[]);
    assert!(stderr.contains("truncated"), "{stderr}");
    assert!(stderr.contains(FROM_FILES), "{stderr}");
    assert_eq!(answers, expected);
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "written again whole");
}

#[test]
fn a_random_file_in_its_place_is_refused_and_rebuilt() {
    let dir = fixture_dir();
    let (expected, _) = serve_and_read(dir.path(), &[]);
    let path = dir.path().join(SNAPSHOT);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::write(&path, noise).unwrap();

    let (answers, stderr) = serve_and_read(dir.path(), &[]);
    assert!(stderr.contains("not an index snapshot"), "{stderr}");
    assert_eq!(answers, expected);
    let (_, stderr) = serve_and_read(dir.path(), &[]);
    assert!(stderr.contains(FROM_SNAPSHOT), "{stderr}");
}

#[test]
fn a_changed_byte_in_the_snapshot_is_a_checksum_mismatch() {
    let dir = fixture_dir();
    let (expected, _) = serve_and_read(dir.path(), &[]);
    let path = dir.path().join(SNAPSHOT);
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();

    let (answers, stderr) = serve_and_read(dir.path(), &[]);
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert_eq!(answers, expected);
}

#[test]
fn the_snapshot_command_writes_it_and_strict_refuses_the_records_it_skipped() {
    let dir = fixture_dir();
    let mut scores: Vec<Value> = fixture_scores()
        .iter()
        .map(|s| serde_json::to_value(s).unwrap())
        .collect();
    scores.push(json!({"id": "bad", "profileId": "p404", "score": 1, "gameMode": "Solo", "gameRegion": "Milky Way"}));
    std::fs::write(
        dir.path().join("scores.json"),
        serde_json::to_vec(&scores).unwrap(),
    )
    .unwrap();
    let elsewhere = dir.path().join("elsewhere.snapshot");

    let exited = Launch::args(["snapshot", "--data-dir"])
        .arg(dir.path())
        .arg("--snapshot")
        .arg(&elsewhere)
        .run_to_exit();
    assert!(exited.status.success(), "{}", exited.stderr);
    assert!(exited.stderr.contains(WROTE), "{}", exited.stderr);
    assert!(elsewhere.is_file());

    let snapshot_arg = elsewhere.to_str().unwrap();
    let (_, stderr) = serve_and_read(dir.path(), &["--snapshot", snapshot_arg]);
    assert!(stderr.contains(FROM_SNAPSHOT), "{stderr}");
    assert!(stderr.contains("1 bad records skipped"), "{stderr}");
    assert!(
        stderr.contains("p404"),
        "the skipped record's warning: {stderr}"
    );

    let exited = Launch::serve(dir.path())
        .arg("--snapshot")
        .arg(&elsewhere)
        .arg("--strict")
        .run_to_exit();
    assert!(!exited.status.success());
    assert!(
        exited
            .stderr
            .contains("refusing to start on bad data (--strict)")
            && exited.stderr.contains("p404"),
        "{}",
        exited.stderr
    );
}

#[test]
fn off_reads_and_writes_none_and_an_unwritable_place_only_warns() {
    let dir = fixture_dir();
    let (_, stderr) = serve_and_read(dir.path(), &["--snapshot", "off"]);
    assert!(stderr.contains(FROM_FILES), "{stderr}");
    assert!(!dir.path().join(SNAPSHOT).exists());

    let unwritable = dir.path().join("no-such-dir").join(SNAPSHOT);
    let server = Launch::serve(dir.path())
        .arg("--snapshot")
        .arg(&unwritable)
        .start();
    // The warning's last words: waiting for its first ones could return with the line
    // half read.
    let stderr = server.wait_for_stderr("serving goes on");
    assert!(
        stderr.contains("cannot write the index snapshot"),
        "{stderr}"
    );
    assert_eq!(server.get("/api/LeaderboardFunction").status, 200);
}

#[test]
fn posts_add_on_top_of_a_snapshot_and_never_go_into_it() {
    const KEY: &str = "0123456789abcdef0123456789abcdef";
    let dir = fixture_dir();
    let (expected, _) = serve_and_read(dir.path(), &[]);

    let server = Launch::serve(dir.path()).ingest_key(KEY).start();
    server.wait_for_stderr(FROM_SNAPSHOT);
    let post = json!({"id": "new", "profileId": "p1", "score": 10_000, "gameMode": "Solo", "gameRegion": "Andromeda"});
    let reply = request_with_body(
        "POST",
        &server.url("/api/scores"),
        &[
            ("Authorization", &format!("Bearer {KEY}")),
            ("Content-Type", "application/json"),
        ],
        post.to_string().as_bytes(),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.json()["ranks"][0]["rank"], 1);
    let top = server.get("/api/LeaderboardFunction").json();
    assert_eq!(top["scores"][0]["score"]["id"], "new");
    assert_eq!(top["totalResults"], 22);
    let (status, stderr) = server.terminate();
    assert!(status.success(), "{stderr}");

    // The snapshot is the files' index: a restart serves them, without the post.
    let (answers, stderr) = serve_and_read(dir.path(), &[]);
    assert!(stderr.contains(FROM_SNAPSHOT), "{stderr}");
    assert_eq!(answers, expected);
}
