//! Caching, compression and CORS over real HTTP: ETag and 304, Cache-Control from flags,
//! Vary, gzip and brotli, preflights and CORS headers on every answer.

mod common;

use std::io::Read;

use common::{fixture_dir, Launch, Server};

fn start() -> (tempfile::TempDir, Server) {
    let dir = fixture_dir();
    // The embedded store, or Redis loaded with the same fixture (LEADERBOARD_TEST_STORE).
    let server = Launch::serve_with_store_under_test(dir.path()).start();
    (dir, server)
}

const PAGE: &str = "/api/LeaderboardFunction?mode=Solo&pageSize=20";

#[test]
fn a_matching_if_none_match_gets_304_with_the_same_validators() {
    let (_dir, server) = start();
    let first = server.get(PAGE);
    assert_eq!(first.status, 200);
    let etag = first.header("etag").expect("an ETag").to_string();
    assert!(etag.starts_with("W/\"") && etag.ends_with('"'), "{etag}");

    let again = server.get_with(PAGE, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    assert_eq!(again.header("cache-control"), first.header("cache-control"));
    assert!(again.header_list("vary").contains("Accept-Encoding"));
    assert_eq!(again.header("access-control-allow-origin"), Some("*"));

    // The strong form of the same tag, a list holding it, and `*` all match.
    let strong = etag.trim_start_matches("W/");
    for value in [
        strong.to_string(),
        format!("\"stale\", {etag}"),
        "*".to_string(),
    ] {
        let reply = server.get_with(PAGE, &[("If-None-Match", &value)]);
        assert_eq!(reply.status, 304, "If-None-Match: {value}");
    }

    // A different tag gets the full answer.
    let other = server.get_with(PAGE, &[("If-None-Match", "W/\"not-this-one\"")]);
    assert_eq!(other.status, 200);
    assert_eq!(other.body, first.body);
}

#[test]
fn the_etag_follows_the_canonical_query_and_the_public_base() {
    let (_dir, server) = start();
    let etag = |path: &str, headers: &[(&str, &str)]| {
        server
            .get_with(path, headers)
            .header("etag")
            .unwrap()
            .to_string()
    };
    let plain = etag("/api/LeaderboardFunction", &[]);
    // The same query spelled out, with an unknown cache-buster: same tag.
    assert_eq!(
        plain,
        etag(
            "/api/LeaderboardFunction?page=1&pageSize=10&sort=score&order=desc&mode=&_=123",
            &[]
        )
    );
    assert_ne!(plain, etag("/api/LeaderboardFunction?page=2", &[]));
    assert_ne!(plain, etag("/api/LeaderboardFunction?q=a", &[]));
    // Avatar URLs differ per public host, so the tag does too.
    assert_ne!(
        plain,
        etag(
            "/api/LeaderboardFunction",
            &[("X-Forwarded-Host", "game.example")]
        )
    );
    // A tag from another query does not validate this one.
    let page_two = etag("/api/LeaderboardFunction?page=2", &[]);
    let reply = server.get_with("/api/LeaderboardFunction", &[("If-None-Match", &page_two)]);
    assert_eq!(reply.status, 200);
}

#[test]
fn meta_answers_304_too() {
    let (_dir, server) = start();
    let first = server.get("/api/LeaderboardFunction/meta");
    let etag = first.header("etag").unwrap().to_string();
    let again = server.get_with("/api/LeaderboardFunction/meta", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_ne!(
        Some(etag.as_str()),
        server.get("/api/LeaderboardFunction").header("etag")
    );
}

#[test]
fn an_if_none_match_for_a_bad_query_is_still_a_400() {
    let (_dir, server) = start();
    let reply = server.get_with("/api/LeaderboardFunction?page=0", &[("If-None-Match", "*")]);
    assert_eq!(reply.status, 400);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

#[test]
fn cache_control_defaults_and_follows_the_flags() {
    let (dir, server) = start();
    for path in [PAGE, "/api/LeaderboardFunction/meta"] {
        assert_eq!(
            server.get(path).header("cache-control"),
            Some("public, max-age=10, stale-while-revalidate=60"),
            "{path}"
        );
    }
    let configured = Launch::serve(dir.path())
        .arg("--max-age")
        .arg("3")
        .env("LEADERBOARD_STALE_WHILE_REVALIDATE", "7")
        .start();
    let first = configured.get(PAGE);
    assert_eq!(
        first.header("cache-control"),
        Some("public, max-age=3, stale-while-revalidate=7")
    );
    let etag = first.header("etag").unwrap();
    let not_modified = configured.get_with(PAGE, &[("If-None-Match", etag)]);
    assert_eq!(
        not_modified.header("cache-control"),
        Some("public, max-age=3, stale-while-revalidate=7")
    );
}

#[test]
fn responses_vary_on_accept_encoding_and_forwarding_headers_unless_configured() {
    let (dir, server) = start();
    let vary = server.get(PAGE).header_list("vary");
    assert!(vary.contains("Accept-Encoding"), "{vary}");
    assert!(vary.contains("X-Forwarded-Host"), "{vary}");
    // The facets hold no URLs: they vary on the encoding alone.
    let vary = server
        .get("/api/LeaderboardFunction/meta")
        .header_list("vary");
    assert_eq!(vary, "Accept-Encoding");
    let configured = Launch::serve(dir.path())
        .arg("--public-url")
        .arg("https://scores.example/api/")
        .start();
    let vary = configured.get(PAGE).header_list("vary");
    assert!(vary.contains("Accept-Encoding"), "{vary}");
    assert!(!vary.contains("X-Forwarded-Host"), "{vary}");
}

#[test]
fn gzip_and_brotli_when_accepted_decode_to_the_identity_body() {
    let (_dir, server) = start();
    let identity = server.get(PAGE);
    assert_eq!(identity.header("content-encoding"), None);
    assert!(identity.body.len() > 1000, "big enough to compress");

    let gzipped = server.get_with(PAGE, &[("Accept-Encoding", "gzip")]);
    assert_eq!(gzipped.status, 200);
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(gzipped.body.as_slice())
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, identity.body);
    assert!(gzipped.body.len() < identity.body.len());

    let brotli = server.get_with(PAGE, &[("Accept-Encoding", "br")]);
    assert_eq!(brotli.header("content-encoding"), Some("br"));
    let mut decoded = Vec::new();
    brotli::Decompressor::new(brotli.body.as_slice(), 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, identity.body);

    // Both accepted: one of them, and the same validators as the identity answer.
    let either = server.get_with(PAGE, &[("Accept-Encoding", "gzip, deflate, br")]);
    assert!(matches!(
        either.header("content-encoding"),
        Some("gzip" | "br")
    ));
    assert_eq!(either.header("etag"), identity.header("etag"));
    assert!(either.header_list("vary").contains("Accept-Encoding"));

    // Not accepted: identity.
    let refused = server.get_with(PAGE, &[("Accept-Encoding", "identity")]);
    assert_eq!(refused.header("content-encoding"), None);
    assert_eq!(refused.body, identity.body);
}

#[test]
fn cors_preflight_is_204_for_any_origin() {
    let (_dir, server) = start();
    let reply = server.request(
        "OPTIONS",
        "/api/LeaderboardFunction?mode=Solo",
        &[
            ("Origin", "https://some-fan-site.example"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "if-none-match"),
        ],
    );
    assert_eq!(reply.status, 204);
    assert!(reply.body.is_empty());
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let methods = reply.header_list("access-control-allow-methods");
    for method in ["GET", "HEAD", "OPTIONS"] {
        assert!(methods.contains(method), "{methods}");
    }
    assert!(!methods.contains("POST"), "{methods}");
    assert_eq!(reply.header("access-control-allow-headers"), Some("*"));
    assert_eq!(reply.header("access-control-max-age"), Some("86400"));
    assert_eq!(reply.header("access-control-allow-credentials"), None);
}

#[test]
fn cors_headers_are_on_every_answer() {
    let (_dir, server) = start();
    let origin = [("Origin", "https://some-fan-site.example")];
    for (path, status) in [
        (PAGE, 200),
        ("/api/LeaderboardFunction/meta", 200),
        ("/api/health", 200),
        ("/api/LeaderboardFunction?page=0", 400),
        ("/api/nope", 404),
    ] {
        let reply = server.get_with(path, &origin);
        assert_eq!(reply.status, status, "{path}");
        assert_eq!(
            reply.header("access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
        assert_eq!(
            reply.header("access-control-allow-credentials"),
            None,
            "{path}"
        );
        let exposed = reply
            .header_list("access-control-expose-headers")
            .to_lowercase();
        assert!(exposed.contains("etag"), "{path}: {exposed}");
    }
}
