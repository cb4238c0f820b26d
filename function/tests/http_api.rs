//! The leaderboard API over real HTTP against the built binary: the original's contract,
//! every parameter, errors, pagination, ranks, sorting, search, "find me", meta, health,
//! avatars, the static demo directory, logging, configuration and start-up failures.

mod common;

use common::{fixture_dir, fixture_profiles, fixture_scores, free_port, ids, Launch, Server};
use leaderboard_engine::reference;
use leaderboard_model::{LeaderboardQuery, LeaderboardResponse};
use serde_json::Value;

fn start() -> (tempfile::TempDir, Server) {
    let dir = fixture_dir();
    // The embedded store, or Redis loaded with the same fixture (LEADERBOARD_TEST_STORE).
    let server = Launch::serve_with_store_under_test(dir.path()).start();
    (dir, server)
}

fn ranks(body: &Value) -> Vec<u64> {
    body["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rank"].as_u64().unwrap())
        .collect()
}

/// What the naive reference answers for this query string over the fixture, avatars aside.
fn reference_answer(query_string: &str) -> LeaderboardResponse {
    let query =
        LeaderboardQuery::from_pairs(form_urlencoded::parse(query_string.as_bytes())).unwrap();
    let mut answer = reference::query(&fixture_scores(), &fixture_profiles(), &query).unwrap();
    blank_avatars(&mut answer);
    answer
}

fn blank_avatars(response: &mut LeaderboardResponse) {
    for entry in &mut response.scores {
        entry.profile.avatar_url.clear();
    }
}

#[test]
fn default_request_answers_with_the_original_field_names_best_first() {
    let (_dir, server) = start();
    let reply = server.get("/api/LeaderboardFunction");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json"),
        "JSON like the original"
    );
    let body = reply.json();
    // The original's six fields, with its names and types.
    assert_eq!(body["selectedMode"], Value::Null);
    assert_eq!(body["selectedRegion"], Value::Null);
    assert_eq!(body["page"], 1);
    assert_eq!(body["pageSize"], 10);
    assert_eq!(body["totalResults"], 21);
    let first = &body["scores"][0];
    assert_eq!(
        sorted_keys(&first["score"]),
        ["gameMode", "gameRegion", "id", "profileId", "score"]
    );
    assert_eq!(
        sorted_keys(&first["profile"]),
        ["achievements", "avatarUrl", "id", "userName"]
    );
    assert_eq!(first["score"]["id"], "s01");
    assert_eq!(first["score"]["profileId"], "p1");
    assert_eq!(first["score"]["score"], 900);
    assert_eq!(first["score"]["gameMode"], "Solo");
    assert_eq!(first["score"]["gameRegion"], "Milky Way");
    assert_eq!(first["profile"]["userName"], "alice");
    // Repeated achievements come through as stored (clients de-duplicate).
    assert_eq!(
        first["profile"]["achievements"],
        serde_json::json!([
            "King of the Universe",
            "King of the Universe",
            "Space Race Winner"
        ])
    );
    // Additions.
    assert_eq!(body["totalPages"], 3);
    assert_eq!(body["sort"], "score");
    assert_eq!(body["order"], "desc");
    assert_eq!(
        ids(&body),
        ["s01", "s02", "s15", "s21", "s03", "s04", "s05", "s06", "s17", "s07"]
    );
}

/// The keys of a JSON object, sorted.
fn sorted_keys(object: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = object
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[test]
fn equal_scores_share_a_competition_rank_and_order_by_record_id() {
    let (_dir, server) = start();
    let body = server.get("/api/LeaderboardFunction").json();
    assert_eq!(ranks(&body), [1, 1, 1, 1, 5, 6, 6, 6, 6, 10]);
    // Ranks are within the selected mode and region.
    let body = server
        .get("/api/LeaderboardFunction?mode=Solo&region=Milky+Way")
        .json();
    assert_eq!(body["selectedMode"], "Solo");
    assert_eq!(body["selectedRegion"], "Milky Way");
    assert_eq!(ids(&body), ["s01", "s21", "s04", "s17", "s10", "s14"]);
    assert_eq!(ranks(&body), [1, 1, 3, 3, 5, 6]);
    // ... and do not change with sort or q.
    let body = server
        .get("/api/LeaderboardFunction?mode=Solo&region=Milky%20Way&sort=player&q=a")
        .json();
    // alice's two entries, then Alicia's: names A to Z, case-insensitively.
    assert_eq!(ids(&body), ["s01", "s14", "s10"]);
    assert_eq!(ranks(&body), [1, 6, 5]);
}

#[test]
fn every_parameter_combination_matches_the_reference() {
    let (_dir, server) = start();
    let queries = [
        "",
        "page=2",
        "page=3&pageSize=4",
        "pageSize=7",
        "mode=Solo",
        "mode=Duo&page=2&pageSize=2",
        "region=Andromeda",
        "region=Ring%20Nebula",
        "mode=Trio&region=Pinwheel",
        "sort=score&order=asc",
        "sort=score&order=desc",
        "sort=player",
        "sort=player&order=desc",
        "sort=mode",
        "sort=mode&order=desc&pageSize=50",
        "sort=region",
        "sort=region&order=desc&mode=Solo",
        "q=ali",
        "q=ALI",
        "q=bo&sort=player&order=desc",
        "q=zo%C3%AB",
        "q=nobody",
        "around=p8&pageSize=3",
        "around=p1&sort=player&pageSize=2",
        "around=p6&mode=Duo&pageSize=1",
        "around=p2&sort=region&order=desc&pageSize=4",
        "mode=&region=&q=&sort=&order=",
        "SORT=player&pageSize=5&utm_source=newsletter",
    ];
    for query in queries {
        let reply = server.get(&format!("/api/LeaderboardFunction?{query}"));
        assert_eq!(reply.status, 200, "{query}: {}", reply.text());
        let mut answer: LeaderboardResponse = serde_json::from_slice(&reply.body).unwrap();
        blank_avatars(&mut answer);
        assert_eq!(answer, reference_answer(query), "{query}");
    }
}

#[test]
fn each_sort_and_order_orders_the_whole_selection() {
    let (_dir, server) = start();
    let names = |query: &str| -> Vec<String> {
        server
            .get(&format!("/api/LeaderboardFunction?pageSize=50&{query}"))
            .json()["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["profile"]["userName"].as_str().unwrap().to_string())
            .collect()
    };
    let by_player = names("sort=player");
    // Case-insensitive: "alice" < "Alicia" < "bob" < "Bobby" < ... < "Zed" < "Zoë".
    let mut expected: Vec<String> = by_player.clone();
    expected.sort_by_key(|n| n.to_lowercase());
    assert_eq!(by_player, expected);
    assert_eq!(by_player.first().map(String::as_str), Some("alice"));
    assert_eq!(by_player.last().map(String::as_str), Some("Zoë"));
    let mut reversed = names("sort=player&order=desc");
    reversed.reverse();
    assert_eq!(reversed, by_player);

    let scores_asc: Vec<i64> = server
        .get("/api/LeaderboardFunction?pageSize=50&sort=score&order=asc")
        .json()["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["score"]["score"].as_i64().unwrap())
        .collect();
    assert!(
        scores_asc.windows(2).all(|w| w[0] <= w[1]),
        "{scores_asc:?}"
    );

    for (key, field) in [("mode", "gameMode"), ("region", "gameRegion")] {
        let values: Vec<String> = server
            .get(&format!("/api/LeaderboardFunction?pageSize=50&sort={key}"))
            .json()["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["score"][field].as_str().unwrap().to_string())
            .collect();
        assert!(values.windows(2).all(|w| w[0] <= w[1]), "{key}: {values:?}");
        let desc: Vec<String> = server
            .get(&format!(
                "/api/LeaderboardFunction?pageSize=50&sort={key}&order=desc"
            ))
            .json()["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["score"][field].as_str().unwrap().to_string())
            .collect();
        assert!(desc.windows(2).all(|w| w[0] >= w[1]), "{key}: {desc:?}");
    }
}

#[test]
fn q_is_a_case_insensitive_name_prefix() {
    let (_dir, server) = start();
    for q in ["ali", "ALI", "Ali"] {
        let body = server
            .get(&format!("/api/LeaderboardFunction?q={q}&pageSize=50"))
            .json();
        assert_eq!(body["q"], q);
        let mut names: Vec<&str> = body["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["profile"]["userName"].as_str().unwrap())
            .collect();
        names.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names, ["Alicia", "alice"], "q={q}");
        assert_eq!(body["totalResults"], 6, "alice has 3 scores, Alicia 3");
    }
    let body = server.get("/api/LeaderboardFunction?q=Zo%C3%AB").json();
    assert_eq!(ids(&body), ["s15", "s19"]);
    let body = server.get("/api/LeaderboardFunction?q=nobody").json();
    assert_eq!(body["totalResults"], 0);
    assert_eq!(body["scores"], serde_json::json!([]));
}

#[test]
fn pagination_edges() {
    let (_dir, server) = start();
    // Last, partial page.
    let body = server.get("/api/LeaderboardFunction?page=3").json();
    assert_eq!(ids(&body), ["s19"]);
    assert_eq!(
        (body["page"].as_u64(), body["totalResults"].as_u64()),
        (Some(3), Some(21))
    );
    // Past the end: no scores, the right total.
    let body = server.get("/api/LeaderboardFunction?page=4").json();
    assert_eq!(body["scores"], serde_json::json!([]));
    assert_eq!(body["totalResults"], 21);
    assert_eq!(body["totalPages"], 3);
    let body = server
        .get("/api/LeaderboardFunction?page=4294967295")
        .json();
    assert_eq!(body["scores"], serde_json::json!([]));
    assert_eq!(body["totalResults"], 21);
    // pageSize is clamped to 1..=50 like the original.
    for (asked, used) in [
        ("0", 1),
        ("-5", 1),
        ("1", 1),
        ("50", 50),
        ("51", 50),
        ("100000", 50),
    ] {
        let body = server
            .get(&format!("/api/LeaderboardFunction?pageSize={asked}"))
            .json();
        assert_eq!(body["pageSize"], used, "pageSize={asked}");
        assert_eq!(
            body["scores"].as_array().unwrap().len(),
            usize::min(used, 21),
            "pageSize={asked}"
        );
    }
    // Pages tile the selection: no entry twice, none missing.
    let mut seen = Vec::new();
    for page in 1..=6 {
        seen.extend(ids(&server
            .get(&format!("/api/LeaderboardFunction?pageSize=4&page={page}"))
            .json()));
    }
    let all = ids(&server.get("/api/LeaderboardFunction?pageSize=50").json());
    assert_eq!(seen, all);
}

/// Regression: `page=4294967296` was a `400` although README allows any whole number of 1
/// or more, and a `pageSize` beyond 64 bits was a `400` instead of clamped.
#[test]
fn a_page_past_any_board_is_empty_and_a_huge_page_size_is_clamped() {
    let (_dir, server) = start();
    for page in ["4294967296", &"9".repeat(300)] {
        let reply = server.get(&format!("/api/LeaderboardFunction?page={page}"));
        assert_eq!(reply.status, 200, "page={page}");
        let body = reply.json();
        assert_eq!(body["page"], u64::from(u32::MAX), "page={page}");
        assert_eq!(body["scores"], serde_json::json!([]));
        assert!(body["totalResults"].as_u64().unwrap() > 0);
    }
    let huge = "9".repeat(300);
    let body = server
        .get(&format!("/api/LeaderboardFunction?pageSize={huge}"))
        .json();
    assert_eq!(body["pageSize"], 50);
    let body = server
        .get(&format!("/api/LeaderboardFunction?pageSize=-{huge}"))
        .json();
    assert_eq!(body["pageSize"], 1);
}

#[test]
fn each_bad_parameter_gets_400_naming_it() {
    let (_dir, server) = start();
    let long_filter = "x".repeat(101);
    let long_q = "x".repeat(65);
    let long_around = "x".repeat(129);
    let cases = [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=+", "page"),
        ("pageSize=ten", "pageSize"),
        ("pageSize=1e3", "pageSize"),
        ("sort=name", "sort"),
        ("order=up", "order"),
        (&format!("mode={long_filter}"), "mode"),
        (&format!("region={long_filter}"), "region"),
        (&format!("q={long_q}"), "q"),
        (&format!("around={long_around}"), "around"),
    ];
    for (query, param) in cases {
        let reply = server.get(&format!("/api/LeaderboardFunction?{query}"));
        assert_eq!(reply.status, 400, "{query}");
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let body = reply.json();
        assert_eq!(body["param"], param, "{query}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.len() > 10),
            "{query}: {body}"
        );
    }
}

#[test]
fn around_returns_the_page_holding_the_players_best_entry() {
    let (_dir, server) = start();
    // p8's best is s08 (500), 12th in leaderboard order: page 4 of 3-entry pages.
    let body = server
        .get("/api/LeaderboardFunction?around=p8&pageSize=3")
        .json();
    assert_eq!(body["page"], 4);
    assert_eq!(ids(&body), ["s07", "s20", "s08"]);
    // Within filters: p1's best Solo entry is s01, first.
    let body = server
        .get("/api/LeaderboardFunction?around=p1&mode=Solo&pageSize=2&page=3")
        .json();
    assert_eq!(body["page"], 1);
    assert_eq!(ids(&body)[0], "s01");
}

#[test]
fn around_a_player_without_entries_is_404_naming_around() {
    let (_dir, server) = start();
    for query in ["around=p404", "around=p5&mode=Solo", "around=p1&q=bob"] {
        let reply = server.get(&format!("/api/LeaderboardFunction?{query}"));
        assert_eq!(reply.status, 404, "{query}");
        let body = reply.json();
        assert_eq!(body["param"], "around", "{query}");
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
}

#[test]
fn unknown_mode_or_region_is_an_empty_200_like_the_original() {
    let (_dir, server) = start();
    for query in ["mode=Quintet", "region=Atlantis", "mode=solo"] {
        let reply = server.get(&format!("/api/LeaderboardFunction?{query}"));
        assert_eq!(reply.status, 200, "{query}");
        let body = reply.json();
        assert_eq!(body["totalResults"], 0, "{query}");
        assert_eq!(body["totalPages"], 0, "{query}");
        assert_eq!(body["scores"], serde_json::json!([]), "{query}");
    }
}

#[test]
fn meta_lists_modes_and_regions_with_counts() {
    let (_dir, server) = start();
    let reply = server.get("/api/LeaderboardFunction/meta");
    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(
        body["modes"],
        serde_json::json!([
            {"name": "Solo", "count": 11},
            {"name": "Duo", "count": 5},
            {"name": "Trio", "count": 5}
        ])
    );
    // Most scores first; "Ring Nebula" is there although no client hard-codes it.
    assert_eq!(
        body["regions"],
        serde_json::json!([
            {"name": "Milky Way", "count": 10},
            {"name": "Pinwheel", "count": 5},
            {"name": "Andromeda", "count": 4},
            {"name": "Ring Nebula", "count": 2}
        ])
    );
    assert_eq!(body["totalScores"], 21);
    assert_eq!(body["totalPlayers"], 9);
}

#[test]
fn health_reports_the_store() {
    let (_dir, server) = start();
    let reply = server.get("/api/health");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let body = reply.json();
    assert_eq!(body["status"], "ok");
    let store = common::store_under_test();
    // redis, redis-replicas, redis-cluster, redis-cluster-replicas: all "redis".
    assert_eq!(body["store"], store.split('-').next().unwrap());
    assert_eq!(body["totalScores"], 21);
    assert_eq!(body["serviceVersion"], env!("CARGO_PKG_VERSION"));
    assert!(body["version"].as_str().is_some_and(|v| !v.is_empty()));
}

#[test]
fn unknown_paths_are_json_404_and_wrong_methods_json_405() {
    let (_dir, server) = start();
    for path in ["/api/nope", "/api/LeaderboardFunction/extra", "/api", "/"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert!(reply.json()["error"].as_str().is_some(), "{path}");
    }
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let reply = server.request(method, "/api/LeaderboardFunction", &[]);
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(reply.header("allow"), Some("GET, HEAD, OPTIONS"));
        assert!(reply.json()["error"].as_str().is_some());
    }
    let reply = server.request("POST", "/api/health", &[]);
    assert_eq!(reply.status, 405);
}

#[test]
fn head_answers_headers_without_a_body() {
    let (_dir, server) = start();
    let get = server.get("/api/LeaderboardFunction?mode=Solo");
    let head = server.request("HEAD", "/api/LeaderboardFunction?mode=Solo", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), get.header("etag"));
    assert_eq!(head.header("content-type"), Some("application/json"));
}

#[test]
fn avatar_urls_resolve_against_the_request_host() {
    let (_dir, server) = start();
    let base = format!("http://127.0.0.1:{}/api/", server.port);
    let avatars = avatars_by_player(&server.get("/api/LeaderboardFunction?pageSize=50").json());
    let default = format!("{base}images/avatars/default.svg");
    assert_eq!(avatars["alice"], default, "relative resolves");
    assert_eq!(avatars["carol"], format!("{base}images/avatars/rocket.svg"));
    assert_eq!(
        avatars["eve"],
        format!("http://127.0.0.1:{}/static/eve.png", server.port),
        "root-relative resolves against the origin"
    );
    assert_eq!(avatars["Alicia"], "https://cdn.example/avatars/alicia.png");
    assert_eq!(avatars["Zed"], "http://old.example/z.png");
    assert_eq!(avatars["bob"], default, "javascript: is replaced");
    assert_eq!(avatars["Bobby"], default, "empty is replaced");
    assert_eq!(avatars["Dave"], default, "data: is replaced");

    // A Host header, then forwarding headers from a proxy.
    let body = server
        .get_with(
            "/api/LeaderboardFunction?q=alice",
            &[("Host", "lb.example:8443")],
        )
        .json();
    assert_eq!(
        avatars_by_player(&body)["alice"],
        "http://lb.example:8443/api/images/avatars/default.svg"
    );
    let body = server
        .get_with(
            "/api/LeaderboardFunction?q=b",
            &[
                ("X-Forwarded-Proto", "https"),
                ("X-Forwarded-Host", "game.example"),
            ],
        )
        .json();
    assert_eq!(
        avatars_by_player(&body)["bob"],
        "https://game.example/api/images/avatars/default.svg"
    );
}

#[test]
fn avatar_urls_resolve_against_the_configured_public_url() {
    let dir = fixture_dir();
    let server = Launch::serve(dir.path())
        .env(
            "LEADERBOARD_PUBLIC_URL",
            "https://scores.example/leaderboard/api",
        )
        .start();
    let body = server
        .get_with(
            "/api/LeaderboardFunction?pageSize=50",
            &[("X-Forwarded-Host", "ignored.example")],
        )
        .json();
    let avatars = avatars_by_player(&body);
    assert_eq!(
        avatars["alice"],
        "https://scores.example/leaderboard/api/images/avatars/default.svg"
    );
    assert_eq!(avatars["eve"], "https://scores.example/static/eve.png");
    assert_eq!(
        avatars["bob"],
        "https://scores.example/leaderboard/api/images/avatars/default.svg"
    );
    assert_eq!(avatars["Alicia"], "https://cdn.example/avatars/alicia.png");
    // The flag wins over the environment.
    let flagged = Launch::serve(dir.path())
        .env("LEADERBOARD_PUBLIC_URL", "https://env.example/api/")
        .arg("--public-url")
        .arg("http://flag.example/api/")
        .start();
    let body = flagged.get("/api/LeaderboardFunction?q=alice").json();
    assert_eq!(
        avatars_by_player(&body)["alice"],
        "http://flag.example/api/images/avatars/default.svg"
    );
}

fn avatars_by_player(body: &Value) -> std::collections::HashMap<String, String> {
    body["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["profile"]["userName"].as_str().unwrap().to_string(),
                e["profile"]["avatarUrl"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_default_avatar_is_served_as_a_locked_down_svg() {
    let (_dir, server) = start();
    let body = server.get("/api/LeaderboardFunction?q=alice").json();
    let url = body["scores"][0]["profile"]["avatarUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let reply = common::request("GET", &url, &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("image/svg+xml"));
    assert!(reply.text().contains("<svg"), "{}", reply.text());
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    let csp = reply.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("sandbox"),
        "{csp}"
    );
    let cache = reply.header("cache-control").unwrap();
    assert!(
        cache.contains("immutable") && cache.contains("max-age=31536000"),
        "{cache}"
    );
    // Revalidation works too.
    let etag = reply.header("etag").unwrap().to_string();
    let again = common::request("GET", &url, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);

    let missing = server.get("/api/images/avatars/nope.svg");
    assert_eq!(missing.status, 404);
    assert!(missing.json()["error"].as_str().is_some());
    let traversal = server.get("/api/images/avatars/..%2F..%2FCargo.toml");
    assert_eq!(traversal.status, 404);
}

#[test]
fn static_dir_serves_the_widget_next_to_the_api() {
    let dir = fixture_dir();
    let (_static_dir, static_path) =
        common::static_dir_with_index("<!doctype html><title>Space Leaderboard demo</title>");
    let server = Launch::serve(dir.path())
        .arg("--static-dir")
        .arg(&static_path)
        .start();
    let reply = server.get("/");
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(reply.text().contains("Space Leaderboard demo"));
    assert_eq!(server.get("/index.html").status, 200);
    assert_eq!(server.get("/missing.js").status, 404);
    // The page names the current hashed files, so it is revalidated; a hashed file never
    // changes under its name, so it is cached for good.
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    let hashed = "space-leaderboard-9f86d081884c7d65_bg.wasm";
    std::fs::write(static_path.join(hashed), b"\0asm\x01\0\0\0").unwrap();
    let wasm = server.get(&format!("/{hashed}"));
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(
        wasm.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(server.get("/missing.js").header("cache-control"), None);
    // The API is still the API.
    assert_eq!(server.get("/api/LeaderboardFunction").status, 200);
    let reply = server.get("/api/nope");
    assert_eq!(reply.status, 404);
    assert!(reply.json()["error"].as_str().is_some());
}

#[test]
fn each_request_writes_one_json_log_line_to_stdout() {
    let (_dir, server) = start();
    server.get("/api/LeaderboardFunction?mode=Solo&marker=first");
    let line = server.wait_for_line(|line| line.contains("marker=first"));
    let entry: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(entry["method"], "GET");
    assert_eq!(entry["path"], "/api/LeaderboardFunction");
    assert_eq!(entry["query"], "mode=Solo&marker=first");
    assert_eq!(entry["status"], 200);
    assert!(entry["duration_ms"].as_f64().is_some_and(|d| d >= 0.0));
    assert!(entry["bytes"].as_u64().is_some_and(|b| b > 100), "{line}");
    let ts = entry["ts"].as_str().unwrap();
    assert!(
        ts.ends_with('Z') && ts.len() == 24 && &ts[10..11] == "T",
        "{ts}"
    );

    server.get("/api/nope?marker=second");
    let line = server.wait_for_line(|line| line.contains("marker=second"));
    let entry: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(entry["status"], 404);
    assert_eq!(entry["path"], "/api/nope");
}

#[test]
fn functions_customhandler_port_takes_precedence_over_port() {
    let dir = fixture_dir();
    let port = free_port();
    let server = Launch::serve(dir.path())
        .env("FUNCTIONS_CUSTOMHANDLER_PORT", &port.to_string())
        .env("LEADERBOARD_PORT", "1")
        .start();
    assert_eq!(server.port, port);
    assert_eq!(
        common::request("GET", &format!("http://127.0.0.1:{port}/api/health"), &[]).status,
        200
    );
}

#[test]
fn strict_refuses_bad_data_naming_file_and_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut scores = fixture_scores();
    scores[1].profile_id = "p404".to_string();
    let bad_id = scores[1].id.clone();
    common::write_data(dir.path(), &scores, &fixture_profiles());

    let exited = Launch::args(["--strict", "--port", "0", "--data-dir"])
        .arg(dir.path())
        .run_to_exit();
    assert!(!exited.status.success());
    assert!(
        exited.stdout.is_empty(),
        "never listened: {}",
        exited.stdout
    );
    assert!(exited.stderr.contains("scores.json"), "{}", exited.stderr);
    assert!(exited.stderr.contains("record 1"), "{}", exited.stderr);
    assert!(exited.stderr.contains(&bad_id), "{}", exited.stderr);
    assert!(exited.stderr.contains("p404"), "{}", exited.stderr);

    // Without --strict the record is skipped with a warning and the rest is served.
    let server = Launch::serve(dir.path()).start();
    let stderr = server.wait_for_stderr("warning:");
    assert!(stderr.contains("p404"), "{stderr}");
    let body = server.get("/api/LeaderboardFunction").json();
    assert_eq!(body["totalResults"], 20);
}

#[test]
fn a_missing_data_dir_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir");
    let exited = Launch::args(["--port", "0", "--data-dir"])
        .arg(&missing)
        .run_to_exit();
    assert!(!exited.status.success());
    assert!(exited.stderr.contains("no-such-dir"), "{}", exited.stderr);
    assert!(exited.stderr.contains("--data-dir"), "{}", exited.stderr);

    // A directory without the files names the file it needs.
    let exited = Launch::args(["--port", "0"])
        .env("LEADERBOARD_DATA_DIR", dir.path().to_str().unwrap())
        .run_to_exit();
    assert!(!exited.status.success());
    assert!(exited.stderr.contains(".json"), "{}", exited.stderr);

    // So does a missing static directory, before anything is loaded.
    let data = fixture_dir();
    let exited = Launch::serve(data.path())
        .arg("--static-dir")
        .arg(dir.path().join("no-dist"))
        .run_to_exit();
    assert!(!exited.status.success());
    assert!(exited.stderr.contains("no-dist"), "{}", exited.stderr);
}

#[test]
fn sigterm_shuts_down_cleanly_even_right_after_start() {
    // Straight after the `listening on` line: the handler is already in place.
    let (_dir, server) = start();
    let (status, stderr) = server.terminate();
    assert!(status.success(), "{status:?}; stderr:\n{stderr}");

    let (_dir, server) = start();
    assert_eq!(server.get("/api/health").status, 200);
    let (status, stderr) = server.terminate();
    assert!(status.success(), "{status:?}; stderr:\n{stderr}");
    assert!(stderr.contains("shutting down"), "{stderr}");
}
