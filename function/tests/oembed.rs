//! oEmbed for board pages (`GET /api/oembed`) over plain HTTP: discovery from the board
//! page, every field of the `rich` answer, `maxwidth`/`maxheight`, and each error.

mod common;

use common::{fixture_dir, Launch, Server};
use scraper::{Html, Selector};
use serde_json::Value;

fn start() -> (tempfile::TempDir, Server) {
    let dir = fixture_dir();
    let server = Launch::serve(dir.path()).arg("--max-age").arg("30").start();
    (dir, server)
}

fn encoded(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn oembed(server: &Server, board_url: &str, extra: &str) -> common::Reply {
    server.get(&format!("/api/oembed?url={}{extra}", encoded(board_url)))
}

/// The discovery link of the board page at `board_path`.
fn discovered(server: &Server, board_path: &str) -> String {
    let reply = server.get(board_path);
    assert_eq!(reply.status, 200);
    let html = Html::parse_document(&reply.text());
    let link = Selector::parse("link[rel=alternate][type=\"application/json+oembed\"]").unwrap();
    let link = html.select(&link).next().expect("an oEmbed discovery link");
    link.attr("href").unwrap().to_string()
}

#[test]
fn the_board_page_links_to_its_oembed_answer() {
    let (_dir, server) = start();
    let href = discovered(&server, "/api/board?mode=Solo&title=Solo%20stars");
    let expected = format!(
        "{}?url={}&format=json",
        server.url("/api/oembed"),
        encoded(&server.url("/api/board?title=Solo%20stars&mode=Solo"))
    );
    // The URL in it is the board's canonical address (kept options, then the state).
    let href_url: Vec<(String, String)> =
        form_urlencoded::parse(href.split_once('?').unwrap().1.as_bytes())
            .into_owned()
            .collect();
    let expected_url: Vec<(String, String)> =
        form_urlencoded::parse(expected.split_once('?').unwrap().1.as_bytes())
            .into_owned()
            .collect();
    assert_eq!(href_url, expected_url);
    assert!(href.starts_with(&server.url("/api/oembed?")), "{href}");
    // Following it answers.
    let path = href.strip_prefix(&server.url("")).unwrap();
    assert_eq!(
        server
            .get(&format!("/{}", path.trim_start_matches('/')))
            .status,
        200
    );
}

#[test]
fn a_board_url_gets_a_rich_embed_with_every_field() {
    let (_dir, server) = start();
    let board = server.url("/api/board?mode=Duo&pageSize=5&title=Duo%20%3Cb%3Eboard%3C%2Fb%3E");
    let reply = oembed(&server, &board, "&format=json");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let body: Value = reply.json();
    assert_eq!(body["type"], "rich");
    assert_eq!(body["version"], "1.0");
    assert_eq!(body["title"], "Duo <b>board</b>");
    assert_eq!(body["provider_name"], "Space Game leaderboard");
    assert_eq!(body["provider_url"], server.url("/"));
    assert_eq!(body["cache_age"], 30);
    let width = body["width"].as_u64().unwrap();
    let height = body["height"].as_u64().unwrap();
    assert_eq!(width, 640);
    assert!(height > 200, "{height}");
    let html = body["html"].as_str().unwrap();
    let fragment = Html::parse_fragment(html);
    let iframe = Selector::parse("iframe").unwrap();
    let iframes: Vec<_> = fragment.select(&iframe).collect();
    assert_eq!(iframes.len(), 1, "{html}");
    let iframe = iframes[0];
    assert_eq!(iframe.attr("src"), Some(board.as_str()));
    assert_eq!(iframe.attr("title"), Some("Duo <b>board</b>"));
    assert_eq!(iframe.attr("loading"), Some("lazy"));
    assert_eq!(iframe.attr("width"), Some(width.to_string().as_str()));
    assert_eq!(iframe.attr("height"), Some(height.to_string().as_str()));
    assert!(!html.contains("<b>"), "the title is text: {html}");
    // The iframe's page is the board.
    let src = iframe.attr("src").unwrap();
    let page = server.get(
        src.strip_prefix(&server.url(""))
            .map(|p| format!("/{}", p.trim_start_matches('/')))
            .unwrap()
            .as_str(),
    );
    assert_eq!(page.status, 200);

    // More rows, a taller frame.
    let taller: Value = oembed(&server, &server.url("/api/board?pageSize=25"), "").json();
    assert!(taller["height"].as_u64().unwrap() > height);
}

#[test]
fn maxwidth_and_maxheight_bound_the_frame() {
    let (_dir, server) = start();
    let board = server.url("/api/board?pageSize=50");
    let body: Value = oembed(&server, &board, "&maxwidth=300&maxheight=200").json();
    assert_eq!(body["width"], 300);
    assert_eq!(body["height"], 200);
    let html = body["html"].as_str().unwrap();
    assert!(
        html.contains("width=\"300\"") && html.contains("height=\"200\""),
        "{html}"
    );
    // A bound larger than the frame changes nothing.
    let body: Value = oembed(&server, &board, "&maxwidth=5000").json();
    assert_eq!(body["width"], 640);
    for bad in ["&maxwidth=abc", "&maxheight=0", "&maxwidth=-3"] {
        let reply = oembed(&server, &board, bad);
        assert_eq!(reply.status, 400, "{bad}");
    }
}

#[test]
fn every_error_has_its_status() {
    let (_dir, server) = start();
    let board = server.url("/api/board");
    // format=xml: not implemented (oEmbed 1.0, section 2.3.4).
    let reply = oembed(&server, &board, "&format=xml");
    assert_eq!(reply.status, 501);
    assert_eq!(reply.json()["param"], "format");
    // Not one of our board pages: 404.
    for other in [
        server.url("/api/LeaderboardFunction"),
        server.url("/api/boards"),
        "https://elsewhere.example/api/board".to_string(),
        server.url("/api/board?pageSize=abc"),
    ] {
        let reply = oembed(&server, &other, "");
        assert_eq!(reply.status, 404, "{other}");
        assert_eq!(reply.json()["param"], "url", "{other}");
    }
    // Missing or malformed: 400.
    for query in [
        "",
        "?url=",
        "?url=javascript%3Aalert(1)",
        "?url=%2Fapi%2Fboard",
    ] {
        let reply = server.get(&format!("/api/oembed{query}"));
        assert_eq!(reply.status, 400, "{query}");
        assert_eq!(reply.json()["param"], "url", "{query}");
    }
    // A board URL with a fragment or a trailing query is still the board.
    assert_eq!(oembed(&server, &format!("{board}#top"), "").status, 200);
}
