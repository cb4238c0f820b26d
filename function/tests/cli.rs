//! The command line of the built binary: `generate`, `--help`, and refusing bad settings.

mod common;

use common::Launch;

#[test]
fn generate_writes_data_the_server_then_serves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    let exited = Launch::args([
        "generate",
        "--scores",
        "30",
        "--profiles",
        "5",
        "--seed",
        "3",
    ])
    .arg("--out")
    .arg(&out)
    .run_to_exit();
    assert!(exited.status.success(), "{}", exited.stderr);
    assert!(exited.stderr.contains("30 scores"), "{}", exited.stderr);
    let first = std::fs::read(out.join("scores.json")).unwrap();

    let server = Launch::serve(&out).arg("--strict").start();
    let body = server.get("/api/LeaderboardFunction").json();
    assert_eq!(body["totalResults"], 30);
    assert_eq!(
        server.get("/api/LeaderboardFunction/meta").json()["totalPlayers"],
        5
    );

    // Deterministic: the same seed writes the same bytes.
    let again = dir.path().join("again");
    let exited = Launch::args([
        "generate",
        "--scores",
        "30",
        "--profiles",
        "5",
        "--seed",
        "3",
    ])
    .arg("--out")
    .arg(&again)
    .run_to_exit();
    assert!(exited.status.success(), "{}", exited.stderr);
    assert_eq!(std::fs::read(again.join("scores.json")).unwrap(), first);
}

#[test]
fn help_documents_every_setting_and_its_environment_variable() {
    let exited = Launch::args(["--help"]).run_to_exit();
    assert!(exited.status.success());
    for needle in [
        "--data-dir",
        "LEADERBOARD_DATA_DIR",
        "--port",
        "LEADERBOARD_PORT",
        "FUNCTIONS_CUSTOMHANDLER_PORT",
        "--host",
        "LEADERBOARD_HOST",
        "--strict",
        "LEADERBOARD_STRICT",
        "--public-url",
        "LEADERBOARD_PUBLIC_URL",
        "--max-age",
        "LEADERBOARD_MAX_AGE",
        "--stale-while-revalidate",
        "LEADERBOARD_STALE_WHILE_REVALIDATE",
        "--static-dir",
        "LEADERBOARD_STATIC_DIR",
        "--snapshot",
        "LEADERBOARD_SNAPSHOT",
        "generate",
        "snapshot",
    ] {
        assert!(
            exited.stdout.contains(needle),
            "{needle} missing:\n{}",
            exited.stdout
        );
    }
}

#[test]
fn bad_settings_are_refused_with_a_message() {
    let dir = common::fixture_dir();
    let data = dir.path().to_str().unwrap();
    struct Case {
        args: &'static [&'static str],
        env: &'static [(&'static str, &'static str)],
        message: &'static str,
    }
    let cases = [
        Case {
            args: &["--public-url", "javascript:alert(1)"],
            env: &[],
            message: "public URL",
        },
        Case {
            args: &["--port", "70000"],
            env: &[],
            message: "70000",
        },
        Case {
            args: &["--max-age", "soon"],
            env: &[],
            message: "soon",
        },
        Case {
            args: &[],
            env: &[("FUNCTIONS_CUSTOMHANDLER_PORT", "seventy")],
            message: "FUNCTIONS_CUSTOMHANDLER_PORT",
        },
    ];
    for case in cases {
        let mut launch = Launch::args(["--data-dir", data]);
        for arg in case.args {
            launch = launch.arg(arg);
        }
        for (key, value) in case.env {
            launch = launch.env(key, value);
        }
        let exited = launch.run_to_exit();
        assert!(!exited.status.success(), "{:?} {:?}", case.args, case.env);
        assert!(
            exited.stdout.is_empty(),
            "never listened: {}",
            exited.stdout
        );
        let message = case.message;
        assert!(
            exited.stderr.contains(message),
            "{message}: {}",
            exited.stderr
        );
    }
}
