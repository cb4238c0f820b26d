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

// ---------------------------------------------------------------------------------------
// The response cache (serialised and compressed pages, per store version)

/// A bearer key for the tests that post.
const INGEST_KEY: &str = "response-cache-test-key-0123456789";

/// Queries covering every shape the cache keys on: filters, sorts, orders, `q`, `around`,
/// an empty selection and a spelling that canonicalises to the default page.
const CACHED_QUERIES: &[&str] = &[
    "/api/LeaderboardFunction",
    "/api/LeaderboardFunction?page=1&pageSize=10&sort=score&order=desc",
    PAGE,
    "/api/LeaderboardFunction?q=al&sort=player&order=desc",
    "/api/LeaderboardFunction?around=p3&pageSize=2&sort=region",
    "/api/LeaderboardFunction?mode=Nope",
    "/api/LeaderboardFunction?region=Milky%20Way&sort=mode&page=2&pageSize=3",
];

fn decode(reply: &common::Reply) -> Vec<u8> {
    let mut decoded = Vec::new();
    match reply.header("content-encoding") {
        None => decoded.extend_from_slice(&reply.body),
        Some("gzip") => {
            flate2::read::GzDecoder::new(reply.body.as_slice())
                .read_to_end(&mut decoded)
                .unwrap();
        }
        Some("br") => {
            brotli::Decompressor::new(reply.body.as_slice(), 4096)
                .read_to_end(&mut decoded)
                .unwrap();
        }
        Some(other) => panic!("unexpected content-encoding {other}"),
    }
    decoded
}

/// The headers a client or cache acts on, which must not depend on the response cache.
fn validators(reply: &common::Reply) -> Vec<(String, String)> {
    [
        "content-type",
        "content-encoding",
        "cache-control",
        "vary",
        "access-control-allow-origin",
        "access-control-expose-headers",
    ]
    .iter()
    .map(|name| (name.to_string(), reply.header_list(name)))
    .collect()
}

#[test]
fn cached_answers_equal_uncached_ones_in_every_encoding() {
    let dir = fixture_dir();
    // One public base for both, so avatar URLs do not differ by port.
    let public_url = "https://scores.example/api/";
    let cached = Launch::serve_with_store_under_test(dir.path())
        .arg("--public-url")
        .arg(public_url)
        .start();
    let uncached = Launch::serve_with_store_under_test(dir.path())
        .arg("--public-url")
        .arg(public_url)
        .arg("--response-cache")
        .arg("0")
        .start();
    let same_data = cached.get("/api/health").json()["version"]
        == uncached.get("/api/health").json()["version"];
    for path in CACHED_QUERIES {
        for accept in [None, Some("gzip"), Some("br"), Some("gzip, deflate, br")] {
            let headers: Vec<(&str, &str)> =
                accept.map(|a| ("Accept-Encoding", a)).into_iter().collect();
            let expected = uncached.get_with(path, &headers);
            assert_eq!(expected.status, 200, "{path}");
            // The first request fills the cache, the second is answered from it.
            let first = cached.get_with(path, &headers);
            let second = cached.get_with(path, &headers);
            for reply in [&first, &second] {
                assert_eq!(reply.status, 200, "{path} {accept:?}");
                assert_eq!(
                    String::from_utf8(decode(reply)).unwrap(),
                    String::from_utf8(decode(&expected)).unwrap(),
                    "{path} {accept:?}"
                );
                assert_eq!(
                    validators(reply),
                    validators(&expected),
                    "{path} {accept:?}"
                );
                assert_eq!(reply.header("etag"), first.header("etag"), "{path}");
                if same_data {
                    assert_eq!(reply.header("etag"), expected.header("etag"), "{path}");
                }
            }
            // A cached page still revalidates to a 304.
            let etag = second.header("etag").unwrap();
            let mut conditional = headers.clone();
            conditional.push(("If-None-Match", etag));
            assert_eq!(cached.get_with(path, &conditional).status, 304, "{path}");
        }
        // HEAD of a cached page: the headers, no body.
        let head = cached.request("HEAD", path, &[]);
        assert_eq!(head.status, 200);
        assert!(head.body.is_empty());
    }
    // Errors are never cached: the same 404 body twice.
    let missing = "/api/LeaderboardFunction?around=nobody";
    let (a, b) = (cached.get(missing), uncached.get(missing));
    assert_eq!((a.status, a.body.clone()), (b.status, b.body.clone()));
    assert_eq!(a.header("cache-control"), Some("no-store"));
}

#[test]
fn a_post_changes_the_version_and_the_next_page_shows_the_new_score() {
    let dir = fixture_dir();
    let server = Launch::serve_with_store_under_test(dir.path())
        .ingest_key(INGEST_KEY)
        .start();
    let path = "/api/LeaderboardFunction?pageSize=3";
    let gzip = [("Accept-Encoding", "gzip")];
    let before = server.get(path);
    assert_eq!(before.body, server.get(path).body, "a cached repeat");
    let before_gzip = decode(&server.get_with(path, &gzip));
    assert_eq!(before_gzip, before.body);

    let post = server.send(
        "POST",
        "/api/scores",
        &[
            ("Authorization", &format!("Bearer {INGEST_KEY}")),
            ("Content-Type", "application/json"),
        ],
        br#"{"id":"cache-top","profileId":"p5","score":99999,"gameMode":"Duo","gameRegion":"Pinwheel"}"#,
    );
    assert!(post.status == 200 || post.status == 201, "{}", post.text());

    for headers in [&[][..], &gzip[..]] {
        let after = server.get_with(path, headers);
        assert_eq!(after.status, 200);
        assert_ne!(after.header("etag"), before.header("etag"));
        let body: serde_json::Value = serde_json::from_slice(&decode(&after)).unwrap();
        assert_eq!(body["scores"][0]["score"]["id"], "cache-top", "{body}");
        assert_eq!(body["totalResults"], 22);
    }
}

#[test]
fn the_cache_stays_within_its_byte_bound() {
    let dir = fixture_dir();
    let bound = 6000;
    let server = Launch::serve_with_store_under_test(dir.path())
        .arg("--response-cache")
        .arg(bound.to_string())
        .start();
    let first = server.get("/api/LeaderboardFunction?pageSize=2");
    // Far more distinct pages (about 1 kB each, in three encodings) than fit.
    for sort in ["score", "player", "mode", "region"] {
        for order in ["asc", "desc"] {
            for page in 1..=6 {
                let path = format!(
                    "/api/LeaderboardFunction?pageSize=2&page={page}&sort={sort}&order={order}"
                );
                for accept in ["identity", "gzip", "br"] {
                    let reply = server.get_with(&path, &[("Accept-Encoding", accept)]);
                    assert_eq!(reply.status, 200, "{path}");
                }
            }
        }
    }
    let log = server.wait_for_stderr("response cache full: holds ");
    let line = log
        .lines()
        .find(|l| l.starts_with("response cache full: holds "))
        .unwrap();
    let number_after = |prefix: &str| -> usize {
        let rest = &line[line.find(prefix).unwrap() + prefix.len()..];
        rest.split(' ').next().unwrap().parse().unwrap()
    };
    let held = number_after("holds ");
    let entries = number_after("bytes in ");
    assert_eq!(number_after("(bound "), bound, "{line}");
    assert!(held <= bound, "{line}");
    assert!(entries >= 2, "{line}");
    // Evicted or not, a page is answered the same.
    assert_eq!(
        server.get("/api/LeaderboardFunction?pageSize=2").body,
        first.body
    );
}

#[test]
fn a_bad_response_cache_size_is_refused() {
    let dir = fixture_dir();
    let exited = Launch::serve(dir.path())
        .arg("--response-cache")
        .arg("lots")
        .run_to_exit();
    assert!(!exited.status.success());
    assert!(exited.stderr.contains("not a size"), "{}", exited.stderr);
}
