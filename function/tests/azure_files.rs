//! The Azure Functions custom-handler files (`host.json`, one `function.json` per route)
//! follow the official schema and route exactly to what the binary serves.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture_dir, Launch};
use serde_json::Value;

fn function_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `*/function.json` next to `host.json`: (folder name, document).
fn functions() -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(function_dir()).unwrap() {
        let dir = entry.unwrap().path();
        let file = dir.join("function.json");
        if file.is_file() {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            found.push((name, read_json(&file)));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn host_json_runs_the_binary_as_a_forwarding_custom_handler() {
    let host = read_json(&function_dir().join("host.json"));
    assert_eq!(host["version"], "2.0");
    let handler = &host["customHandler"];
    assert_eq!(
        handler["description"]["defaultExecutablePath"],
        "leaderboard-function"
    );
    assert_eq!(handler["enableForwardingHttpRequest"], true);
    assert_eq!(host["extensions"]["http"]["routePrefix"], "api");
    let arguments: Vec<&str> = handler["description"]["arguments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    // The arguments must be ones the binary accepts.
    let exited = Launch::args(arguments.iter().copied().chain(["--help"])).run_to_exit();
    assert!(exited.status.success(), "{}", exited.stderr);
}

#[test]
fn every_function_is_an_anonymous_http_trigger_with_a_response() {
    let functions = functions();
    let names: Vec<&str> = functions.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "AvatarImage",
            "Board",
            "Embed",
            "Health",
            "LeaderboardFunction",
            "LeaderboardMeta",
            "OEmbed",
            "OpenApi",
            "Scores"
        ]
    );
    for (name, doc) in &functions {
        let bindings = doc["bindings"].as_array().unwrap();
        assert_eq!(bindings.len(), 2, "{name}");
        let trigger = &bindings[0];
        assert_eq!(trigger["type"], "httpTrigger", "{name}");
        assert_eq!(trigger["direction"], "in", "{name}");
        assert_eq!(trigger["authLevel"], "anonymous", "{name}");
        assert!(trigger["name"].as_str().is_some(), "{name}");
        let methods: Vec<&str> = trigger["methods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        // Score ingestion is POST only (the binary checks its bearer key itself, hence
        // anonymous); the read routes take preflights too.
        let expected: &[&str] = if name == "Scores" {
            &["post"]
        } else {
            &["get", "head", "options"]
        };
        assert_eq!(methods, expected, "{name}");
        let output = &bindings[1];
        assert_eq!(output["type"], "http", "{name}");
        assert_eq!(output["direction"], "out", "{name}");
    }
}

#[test]
fn every_route_is_answered_by_the_binary() {
    let dir = fixture_dir();
    let embed = tempfile::tempdir().unwrap();
    std::fs::write(embed.path().join("glue.js"), "export {};").unwrap();
    let server = Launch::serve(dir.path())
        .ingest_key("azure-files-test-key-0123456789")
        .arg("--embed-dir")
        .arg(embed.path())
        .start();
    for (name, doc) in functions() {
        let route = doc["bindings"][0]["route"].as_str().unwrap();
        let mut path = format!(
            "/api/{}",
            route
                .replace("{name}", "default.svg")
                .replace("{*file}", "glue.js")
        );
        if name == "OEmbed" {
            // oEmbed answers for one of the board pages.
            let board: String =
                form_urlencoded::byte_serialize(server.url("/api/board").as_bytes()).collect();
            path = format!("{path}?url={board}");
        }
        if name == "Scores" {
            // Reaches the ingestion handler: it asks for the bearer key.
            let reply = server.request("POST", &path, &[]);
            assert_eq!(reply.status, 401, "{name}: POST {path}");
            assert!(reply.header("www-authenticate").is_some(), "{name}");
            continue;
        }
        let reply = server.get(&path);
        assert_eq!(reply.status, 200, "{name}: GET {path}");
        let preflight = server.request(
            "OPTIONS",
            &path,
            &[
                ("Origin", "https://fan.example"),
                ("Access-Control-Request-Method", "GET"),
            ],
        );
        assert_eq!(preflight.status, 204, "{name}: OPTIONS {path}");
    }
}
