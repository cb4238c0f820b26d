//! The board page (`GET /api/board`) over plain HTTP against the built binary: the first
//! page's rows rendered into the HTML are the API's rows, for several configurations; bad
//! options get the widget's message on an HTML page; the CSP allows exactly the inline
//! stylesheets; player text stays inert.

mod common;

use base64::Engine as _;
use common::{fixture_dir, write_data, Launch, Server};
use leaderboard_model::{Profile, ScoreRecord};
use scraper::{Html, Selector};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn start() -> (tempfile::TempDir, Server) {
    let dir = fixture_dir();
    let server = Launch::serve_with_store_under_test(dir.path()).start();
    (dir, server)
}

fn select(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .map(|element| element.text().collect::<String>())
        .collect()
}

/// A row of the server-rendered table: (rank, player name, score id).
fn rendered_rows(html: &Html) -> Vec<(String, String, String)> {
    let row = Selector::parse("tr[data-entry-id]").unwrap();
    let rank = Selector::parse("td.rank").unwrap();
    let name = Selector::parse("button.player-name").unwrap();
    html.select(&row)
        .map(|row| {
            let rank = row.select(&rank).next().unwrap().text().collect::<String>();
            let name = row.select(&name).next().unwrap().attr("title").unwrap();
            let id = row.attr("data-entry-id").unwrap();
            (rank, name.to_string(), id.to_string())
        })
        .collect()
}

/// The rows the API answers for `api_query`: (rank, player name, score id).
fn api_rows(server: &Server, api_query: &str) -> Vec<(String, String, String)> {
    let reply = server.get(&format!("/api/LeaderboardFunction?{api_query}"));
    assert_eq!(reply.status, 200, "{api_query}");
    let body: Value = reply.json();
    body["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["rank"].as_u64().unwrap().to_string(),
                entry["profile"]["userName"].as_str().unwrap().to_string(),
                entry["score"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn board(server: &Server, query: &str) -> (u16, Html, common::Reply) {
    let reply = server.get(&format!("/api/board?{query}"));
    let html = Html::parse_document(&reply.text());
    (reply.status, html, reply)
}

#[test]
fn the_first_page_of_rows_is_in_the_html_for_several_configurations() {
    let (_dir, server) = start();
    // (board query: the widget's options and page/q, the API query that asks the same)
    let cases = [
        ("", ""),
        ("mode=Solo", "mode=Solo"),
        (
            "region=Milky%20Way&pageSize=5",
            "region=Milky%20Way&pageSize=5",
        ),
        (
            "sort=player&order=asc&pageSize=4&page=2",
            "sort=player&order=asc&pageSize=4&page=2",
        ),
        ("q=al&data-page-size=3", "q=al&pageSize=3"),
        (
            "lockMode=Duo&theme=light&compact=true&title=Duo%20board",
            "mode=Duo",
        ),
        (
            "sort=score&order=asc&region=Pinwheel",
            "sort=score&order=asc&region=Pinwheel",
        ),
    ];
    for (board_query, api_query) in cases {
        let (status, html, reply) = board(&server, board_query);
        assert_eq!(status, 200, "{board_query}: {}", reply.text());
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{board_query}"
        );
        let expected = api_rows(&server, api_query);
        assert!(!expected.is_empty(), "{api_query}");
        assert_eq!(rendered_rows(&html), expected, "{board_query}");
        // Rendered, not a skeleton waiting for a request.
        assert!(select(&html, "tr.skeleton").is_empty(), "{board_query}");
    }
}

#[test]
fn the_widget_markup_sits_in_a_declarative_shadow_root_with_the_options_applied() {
    let (_dir, server) = start();
    let (status, html, _) = board(
        &server,
        "lockMode=Duo&theme=light&compact=on&title=Duo%20board",
    );
    assert_eq!(status, 200);
    let template = Selector::parse("#space-leaderboard-board > template").unwrap();
    let template = html
        .select(&template)
        .next()
        .expect("a declarative shadow root");
    assert_eq!(template.attr("shadowrootmode"), Some("open"));
    assert_eq!(select(&html, "title"), ["Duo board"]);
    assert_eq!(select(&html, "caption .title"), ["Duo board"]);
    let root = Selector::parse("div.slb").unwrap();
    let class = html
        .select(&root)
        .next()
        .unwrap()
        .attr("class")
        .unwrap()
        .to_string();
    assert!(
        class.contains("theme-light") && class.contains("compact"),
        "{class}"
    );
    // A locked mode hides its control; the region filter is there, filled from the facets.
    assert!(select(&html, "select[name=mode]").is_empty());
    let regions = select(&html, "select[name=region] option");
    assert!(
        regions.iter().any(|r| r.starts_with("Milky Way")),
        "{regions:?}"
    );
}

#[test]
fn bad_options_get_the_widgets_message_on_an_html_page_with_status_400() {
    let (_dir, server) = start();
    let cases = [
        (
            "pageSize=abc",
            "Invalid option pageSize (data-page-size): expected a whole number from 1 to 50, got \"abc\"",
        ),
        (
            "theme=neon",
            "Invalid option theme (data-theme): expected light, dark or auto, got \"neon\"",
        ),
        ("endpoint=https://evil.example/api", "Invalid option endpoint"),
        ("page=0", "page"),
    ];
    for (query, message) in cases {
        let (status, html, reply) = board(&server, query);
        assert_eq!(status, 400, "{query}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{query}");
        let shown = select(&html, "main.board-error p").join("");
        assert!(shown.contains(message), "{query}: {shown}");
    }
}

/// The page saying why a board cannot be shown speaks the board's language: the `lang`
/// parameter's, else the reader's `Accept-Language`'s, with its direction; the option's
/// message is the widget's own in that language (plural forms included).
#[test]
fn a_bad_option_page_speaks_the_requested_language() {
    let (_dir, server) = start();
    let bad = |query: &str, accept_language: Option<&str>| {
        let headers: Vec<(&str, &str)> = accept_language
            .map(|value| ("Accept-Language", value))
            .into_iter()
            .collect();
        let reply = server.get_with(&format!("/api/board?{query}"), &headers);
        assert_eq!(reply.status, 400, "{query}: {}", reply.text());
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{query}");
        let html = Html::parse_document(&reply.text());
        let lang = attribute(&html, "html", "lang").unwrap();
        let dir = attribute(&html, "html", "dir").unwrap();
        let heading = select(&html, "main.board-error h1").join("");
        let message = select(&html, "main.board-error p").join("");
        (lang, dir, heading, message)
    };

    let (lang, dir, heading, message) = bad("pageSize=abc&lang=de", None);
    assert_eq!((lang.as_str(), dir.as_str()), ("de", "ltr"));
    assert_eq!(heading, "Space-Game-Bestenliste");
    assert_eq!(
        message,
        "Bestenliste nicht angezeigt. Ungültige Option pageSize (data-page-size): erwartet: \
         eine ganze Zahl von 1 bis 50, erhalten: „abc“"
    );
    // `lang` wins over Accept-Language.
    assert_eq!(bad("pageSize=abc&lang=de", Some("ar")).0, "de");

    let (lang, dir, heading, message) = bad("pageSize=abc", Some("ar-EG, en;q=0.5"));
    assert_eq!((lang.as_str(), dir.as_str()), ("ar", "rtl"));
    assert_eq!(heading, "لوحة صدارة Space Game");
    assert!(
        message.starts_with("لم تُعرض لوحة الصدارة. ") && message.contains("pageSize"),
        "{message}"
    );
    assert!(!message.contains("Invalid"), "{message}");
    // A bad `lang` itself: the reader's language.
    assert_eq!(bad("lang=%3Cscript%3E", Some("ar")).0, "ar");

    // "at most 200 characters" takes Russian's `many` form.
    let long_title = "x".repeat(201);
    let (lang, _, _, message) = bad(&format!("title={long_title}"), Some("ru-RU"));
    assert_eq!(lang, "ru");
    assert!(message.ends_with("не более 200 символов"), "{message}");

    // Nothing accepted that has a file: English.
    let (lang, dir, heading, message) = bad("theme=neon", Some("sv-SE, fi;q=0.8"));
    assert_eq!((lang.as_str(), dir.as_str()), ("en", "ltr"));
    assert_eq!(heading, "Space Game leaderboard");
    assert_eq!(
        message,
        "Leaderboard not shown. Invalid option theme (data-theme): expected light, dark or auto, \
         got \"neon\""
    );
}

/// Without `lang` the board itself follows `Accept-Language`: the cached page of one
/// language is never served to a reader of another, and the answer varies on it.
#[test]
fn without_lang_the_board_follows_accept_language() {
    let (_dir, server) = start();
    let page = |accept_language: &str| {
        let reply = server.get_with(
            "/api/board?mode=Solo",
            &[("Accept-Language", accept_language)],
        );
        assert_eq!(reply.status, 200);
        let vary = reply.header("vary").unwrap_or_default().to_string();
        assert!(vary.contains("Accept-Language"), "{vary}");
        Html::parse_document(&reply.text())
    };
    for _ in 0..2 {
        let german = page("de-DE,de;q=0.9");
        assert_eq!(attribute(&german, "html", "lang").as_deref(), Some("de"));
        assert_eq!(select(&german, "th.rank"), ["Rang"]);
        let english = page("en-US");
        assert_eq!(attribute(&english, "html", "lang").as_deref(), Some("en"));
        assert_eq!(select(&english, "th.rank"), ["Rank"]);
    }
    let (_, named, _) = board(&server, "mode=Solo&lang=he");
    assert_eq!(attribute(&named, "html", "dir").as_deref(), Some("rtl"));
}

/// The CSP allows the page's three inline stylesheets by hash and nothing inline else; no
/// cookies; anyone may frame it by default, `--frame-ancestors` narrows it.
#[test]
fn the_csp_names_the_hash_of_every_inline_stylesheet_and_framing_is_configurable() {
    let (_dir, server) = start();
    let (_, html, reply) = board(&server, "mode=Solo");
    let csp = reply.header("content-security-policy").unwrap().to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.ends_with("frame-ancestors *"), "{csp}");
    assert!(reply.header("set-cookie").is_none());
    // Avatar URLs follow the forwarding headers (no --public-url), the language
    // Accept-Language when `lang` is not given: caches must key on them.
    assert_eq!(
        reply.header("vary"),
        Some("Accept-Encoding, X-Forwarded-Host, X-Forwarded-Proto, Accept-Language")
    );
    let styles = select(&html, "style");
    assert_eq!(styles.len(), 3);
    for css in styles {
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(css.as_bytes()));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    }
    // The one inline script (the frame script) is allowed by its hash, and nothing else.
    let scripts = select(&html, "script:not([src])");
    assert_eq!(scripts.len(), 1);
    let hash =
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(scripts[0].as_bytes()));
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert_eq!(script_src.trim(), format!("script-src 'sha256-{hash}'"));

    let dir = fixture_dir();
    let narrowed = Launch::serve(dir.path())
        .arg("--frame-ancestors")
        .arg("'self' https://blog.example")
        .start();
    let reply = narrowed.get("/api/board");
    let csp = reply.header("content-security-policy").unwrap();
    assert!(
        csp.ends_with("frame-ancestors 'self' https://blog.example"),
        "{csp}"
    );
    let refused = Launch::serve(dir.path())
        .arg("--frame-ancestors")
        .arg("https://a.example; script-src *")
        .run_to_exit();
    assert!(!refused.status.success());
    assert!(
        refused.stderr.contains("frame-ancestors"),
        "{}",
        refused.stderr
    );
}

/// Player-controlled text is text in the server's HTML, as in the widget.
#[test]
fn hostile_player_text_is_inert_in_the_server_rendered_html() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = [
        "<script>alert(1)</script>",
        "</template><img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>",
    ];
    let profiles: Vec<Profile> = hostile
        .iter()
        .enumerate()
        .map(|(i, name)| Profile {
            id: format!("h{i}"),
            user_name: name.to_string(),
            avatar_url: "javascript:alert(1)".to_string(),
            achievements: vec![],
        })
        .collect();
    let scores: Vec<ScoreRecord> = (0..hostile.len())
        .map(|i| ScoreRecord {
            id: format!("x{i}"),
            profile_id: format!("h{i}"),
            score: 100 - i as i64,
            game_mode: "<b>Solo</b>".to_string(),
            game_region: "</style><script>x()</script>".to_string(),
            played_at: None,
        })
        .collect();
    write_data(dir.path(), &scores, &profiles);
    let server = Launch::serve(dir.path()).start();
    let (status, html, reply) = board(&server, "");
    assert_eq!(status, 200);
    let text = reply.text();
    // The only script is the page's own frame script.
    assert_eq!(text.matches("<script").count(), 1, "{text}");
    let scripts = select(&html, "script");
    assert!(scripts[0].starts_with("// The board page's one script"));
    assert!(!text.contains("<img src=x"), "{text}");
    assert!(!text.contains("<svg"), "{text}");
    let names: Vec<String> = rendered_rows(&html)
        .into_iter()
        .map(|(_, name, _)| name)
        .collect();
    assert_eq!(names, hostile);
    // A `javascript:` avatar is replaced by the default avatar, as in the API.
    let img = Selector::parse("img").unwrap();
    let sources: Vec<&str> = html.select(&img).map(|i| i.attr("src").unwrap()).collect();
    assert_eq!(sources.len(), hostile.len());
    for src in sources {
        assert!(src.ends_with("/api/images/avatars/default.svg"), "{src}");
    }
}

/// The href of the first element matching `selector`.
fn href(html: &Html, selector: &str) -> String {
    let selector = Selector::parse(selector).unwrap();
    let link = html.select(&selector).next().expect("the link");
    let href = link.attr("href").unwrap();
    assert!(href.starts_with("/api/board"), "{href}");
    href.to_string()
}

/// Submits the GET form matching `form` as a browser would, with `choices` set: the
/// form's hidden fields, each select's selected option and each text box's value.
fn submit(html: &Html, form: &str, choices: &[(&str, &str)]) -> String {
    let form_selector = Selector::parse(form).unwrap();
    let form = html.select(&form_selector).next().expect("the form");
    assert_eq!(form.attr("method"), Some("get"));
    let action = form.attr("action").unwrap().to_string();
    let fields = Selector::parse("input, select").unwrap();
    let selected = Selector::parse("option[selected]").unwrap();
    let mut query = form_urlencoded::Serializer::new(String::new());
    for field in form.select(&fields) {
        let name = field.attr("name").unwrap();
        let value = match choices.iter().find(|(chosen, _)| *chosen == name) {
            Some((_, value)) => value.to_string(),
            None if field.value().name() == "select" => field
                .select(&selected)
                .next()
                .and_then(|option| option.attr("value"))
                .unwrap_or_default()
                .to_string(),
            None => field.attr("value").unwrap_or_default().to_string(),
        };
        query.append_pair(name, &value);
    }
    format!("{action}?{}", query.finish())
}

fn follow(server: &Server, path_and_query: &str) -> Html {
    let reply = server.get(path_and_query);
    assert_eq!(reply.status, 200, "{path_and_query}: {}", reply.text());
    Html::parse_document(&reply.text())
}

/// Without scripts, the controls are links and GET forms the server answers with the next
/// state: sort, next page, a mode filter, a search and the page size, each checked against
/// the API.
#[test]
fn the_links_and_forms_walk_the_board_without_scripts() {
    let (_dir, server) = start();
    let start_page = follow(&server, "/api/board?pageSize=3&theme=light");

    let sorted = follow(&server, &href(&start_page, "a.sort[data-sort=player]"));
    assert_eq!(
        rendered_rows(&sorted),
        api_rows(&server, "pageSize=3&sort=player&order=asc")
    );
    // The active header sorts the other way.
    let reversed = follow(&server, &href(&sorted, "a.sort[data-sort=player]"));
    assert_eq!(
        rendered_rows(&reversed),
        api_rows(&server, "pageSize=3&sort=player&order=desc")
    );

    let next = href(&sorted, "a[rel=next]");
    let second = follow(&server, &next);
    assert_eq!(
        rendered_rows(&second),
        api_rows(&server, "pageSize=3&sort=player&order=asc&page=2")
    );
    let numbered = follow(&server, &href(&second, "a[data-page=\"3\"]"));
    assert_eq!(
        rendered_rows(&numbered),
        api_rows(&server, "pageSize=3&sort=player&order=asc&page=3")
    );
    // The options the host gave stay on every link.
    assert!(next.contains("theme=light"), "{next}");

    let solo = follow(
        &server,
        &submit(&second, "form.toolbar", &[("mode", "Solo")]),
    );
    assert_eq!(
        rendered_rows(&solo),
        api_rows(&server, "pageSize=3&sort=player&order=asc&mode=Solo")
    );
    let searched = follow(&server, &submit(&solo, "form.toolbar", &[("q", "al")]));
    assert_eq!(
        rendered_rows(&searched),
        api_rows(&server, "pageSize=3&sort=player&order=asc&mode=Solo&q=al")
    );
    // The search box shows the search in force.
    let search_box = Selector::parse("input[name=q]").unwrap();
    let shown = searched.select(&search_box).next().unwrap().attr("value");
    assert_eq!(shown, Some("al"));

    let bigger = follow(
        &server,
        &submit(&searched, "form.page-size-form", &[("pageSize", "10")]),
    );
    assert_eq!(
        rendered_rows(&bigger),
        api_rows(&server, "pageSize=10&sort=player&order=asc&mode=Solo&q=al")
    );
    let region = follow(
        &server,
        &submit(
            &bigger,
            "form.toolbar",
            &[("region", "Milky Way"), ("q", "")],
        ),
    );
    assert_eq!(
        rendered_rows(&region),
        api_rows(
            &server,
            "pageSize=10&sort=player&order=asc&mode=Solo&region=Milky%20Way"
        )
    );
}

/// With `--embed-dir`, the page carries the first page and facets for the wasm (the same
/// as the API's), loads the embed from `/api/embed/`, and the CSP allows exactly that.
#[test]
fn with_the_embed_the_page_hands_the_wasm_its_first_page() {
    let dir = fixture_dir();
    let embed = tempfile::tempdir().unwrap();
    std::fs::write(
        embed.path().join("space-leaderboard-core.js"),
        "export default 1;",
    )
    .unwrap();
    let server = Launch::serve(dir.path())
        .arg("--embed-dir")
        .arg(embed.path())
        .start();
    let (status, html, reply) = board(&server, "mode=Solo&pageSize=3");
    assert_eq!(status, 200);
    let data =
        Selector::parse("script#space-leaderboard-first-page[type=\"application/json\"]").unwrap();
    let data = html
        .select(&data)
        .next()
        .expect("the first page for the wasm");
    let data: Value = serde_json::from_str(&data.text().collect::<String>()).unwrap();
    let api: Value = server
        .get("/api/LeaderboardFunction?mode=Solo&pageSize=3")
        .json();
    assert_eq!(data["page"], api);
    assert_eq!(
        data["meta"],
        server.get("/api/LeaderboardFunction/meta").json()
    );
    let csp = reply.header("content-security-policy").unwrap();
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(script_src.contains("'self' 'wasm-unsafe-eval'"), "{csp}");
    let module = Selector::parse("script[type=module]").unwrap();
    let module = html
        .select(&module)
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(module.as_bytes()));
    assert!(script_src.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(
        module.contains("./embed/space-leaderboard-core.js"),
        "{module}"
    );
    let glue = server.get("/api/embed/space-leaderboard-core.js");
    assert_eq!(glue.status, 200);
    assert_eq!(glue.text(), "export default 1;");
    // Without it, no script loads anything.
    let (_, plain, _) = board(&start().1, "mode=Solo");
    assert!(select(&plain, "script[type=module]").is_empty());
}

#[test]
fn a_cached_board_page_follows_the_data_after_a_post() {
    let dir = fixture_dir();
    let key = "board-page-cache-test-key-0123456789";
    let server = Launch::serve_with_store_under_test(dir.path())
        .ingest_key(key)
        .start();
    let query = "mode=Solo&pageSize=5";
    // Twice in each encoding: the second answers come from the response cache.
    for encoding in ["identity", "br", "gzip"] {
        for _ in 0..2 {
            let reply = server.get_with(
                &format!("/api/board?{query}"),
                &[("Accept-Encoding", encoding)],
            );
            assert_eq!(reply.status, 200, "{encoding}");
            let content_encoding = reply.header("content-encoding").map(str::to_string);
            assert_eq!(
                content_encoding.as_deref(),
                (encoding != "identity").then_some(encoding)
            );
        }
    }
    let (_, before, _) = board(&server, query);
    assert_eq!(rendered_rows(&before), api_rows(&server, query));
    let post = serde_json::json!({
        "id": "board-cache-top", "profileId": "board-cache-pilot", "score": i64::from(i32::MAX),
        "gameMode": "Solo", "gameRegion": "Andromeda",
        "profile": { "userName": "Cache Breaker" },
    });
    let reply = server.send(
        "POST",
        "/api/scores",
        &[
            ("Authorization", &format!("Bearer {key}")),
            ("Content-Type", "application/json"),
        ],
        post.to_string().as_bytes(),
    );
    assert!(
        reply.status == 200 || reply.status == 201,
        "{}",
        reply.text()
    );
    let (_, after, _) = board(&server, query);
    let rows = rendered_rows(&after);
    assert_eq!(rows[0].1, "Cache Breaker");
    assert_eq!(rows, api_rows(&server, query));
}

/// The `lang` of an element of the page (`html`, or the widget's root `div.slb`).
fn attribute(html: &Html, selector: &str, name: &str) -> Option<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .next()
        .and_then(|element| element.attr(name))
        .map(str::to_string)
}

#[test]
fn the_board_renders_in_the_requested_language_and_direction() {
    let (_dir, server) = start();
    let (status, english, _) = board(&server, "mode=Solo");
    assert_eq!(status, 200);
    assert_eq!(attribute(&english, "html", "lang").as_deref(), Some("en"));
    assert_eq!(select(&english, "th.rank"), ["Rank"]);
    assert_eq!(
        select(&english, "caption .title"),
        ["Space Game leaderboard"]
    );

    let (status, german, _) = board(&server, "mode=Solo&lang=de-AT");
    assert_eq!(status, 200);
    assert_eq!(attribute(&german, "html", "lang").as_deref(), Some("de"));
    assert_eq!(attribute(&german, "html", "dir").as_deref(), Some("ltr"));
    assert_eq!(attribute(&german, "div.slb", "lang").as_deref(), Some("de"));
    assert_eq!(select(&german, "title"), ["Space-Game-Bestenliste"]);
    assert_eq!(
        select(&german, "caption .title"),
        ["Space-Game-Bestenliste"]
    );
    assert_eq!(select(&german, "th.rank"), ["Rang"]);
    assert_eq!(select(&german, "th.score .sort"), ["Punkte↓"]);
    assert_eq!(
        attribute(&german, "nav.pagination", "aria-label").as_deref(),
        Some("Seiten")
    );
    assert_eq!(
        attribute(&german, "a[rel=next]", "aria-label").as_deref(),
        Some("Nächste Seite")
    );
    let range = select(&german, ".footer .range");
    assert!(
        range.len() == 1 && range[0].starts_with("1–10 von "),
        "{range:?}"
    );
    assert!(select(&german, "select[name=region] option")
        .first()
        .is_some_and(|all| all.starts_with("Alle Regionen")),);
    // The same rows whatever the language: names and data stay as the data has them.
    assert_eq!(rendered_rows(&german), rendered_rows(&english));

    let (status, arabic, _) = board(&server, "lang=ar");
    assert_eq!(status, 200);
    assert_eq!(attribute(&arabic, "html", "dir").as_deref(), Some("rtl"));
    assert_eq!(attribute(&arabic, "div.slb", "dir").as_deref(), Some("rtl"));
    assert_eq!(select(&arabic, "th.rank"), ["المرتبة"]);

    // A language without a file falls back to English; a malformed tag is a bad option.
    let (status, swedish, _) = board(&server, "lang=sv-SE");
    assert_eq!(status, 200);
    assert_eq!(attribute(&swedish, "html", "lang").as_deref(), Some("en"));
    let (status, _, _) = board(&server, "lang=%3Cscript%3E");
    assert_eq!(status, 400);
}

/// A counting message of a language file (src/i18n/<lang>.json): its form for `category`.
fn plural_form(lang: &str, key: &str, category: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../src/i18n")
        .join(format!("{lang}.json"));
    let file: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    file[key][category]
        .as_str()
        .unwrap_or_else(|| panic!("{lang}.json has no {key}.{category}"))
        .to_string()
}

/// Languages with more plural forms than one/other get the form their CLDR rules pick for
/// the count (the categories below are CLDR's), as the browser's Intl.PluralRules would: the
/// live region's "1–4 of 4 results" over filters answering 1, 2, 4, 5, 11 and 21 rows.
#[test]
fn the_board_counts_in_the_plural_forms_of_its_language() {
    let (_dir, server) = start();
    // (filter, rows it answers, its category in Russian, Polish, Arabic).
    let cases = [
        ("mode=Solo&region=Ring+Nebula", 1, ["one", "one", "one"]),
        ("region=Ring+Nebula", 2, ["few", "few", "two"]),
        ("region=Andromeda", 4, ["few", "few", "few"]),
        ("region=Pinwheel", 5, ["many", "many", "few"]),
        ("mode=Solo", 11, ["many", "many", "many"]),
        ("", 21, ["one", "many", "many"]),
    ];
    for (filter, rows, categories) in cases {
        for (lang, category) in ["ru", "pl", "ar"].into_iter().zip(categories) {
            let query = format!("lang={lang}&pageSize=50&{filter}");
            let (status, html, _) = board(&server, &query);
            assert_eq!(status, 200, "{query}");
            assert_eq!(rendered_rows(&html).len(), rows, "{query}");
            let range = select(&html, ".footer .range").join("");
            let expected = plural_form(lang, "liveRange", category).replace("{range}", &range);
            assert_eq!(
                select(&html, "[role=status]"),
                [expected],
                "{query}: {rows} rows are {category}"
            );
        }
    }
}

/// "Resets in" counts days and hours in the language's forms: two days and two hours left
/// are Arabic's dual, 27 days its `many`, 2 days Polish's `few` (Russian's and English's
/// units read the same in every form: they pin the template around them).
#[test]
fn the_periods_row_counts_time_left_in_the_plural_forms_of_its_language() {
    // Friday 22:00 UTC: 2 d 2 h to the week's end, 27 d 2 h to the month's.
    let (_dir, server) = start_timed_at("2026-12-04T22:00:00Z", &[]);
    let resets = |lang: &str, period: &str| {
        let (status, html, _) = board(&server, &format!("lang={lang}&period={period}"));
        assert_eq!(status, 200);
        select(&html, ".periods .resets").join("")
    };
    let form = |lang: &str, key: &str, category: &str, count: u64| {
        plural_form(lang, key, category).replace("{count}", &count.to_string())
    };
    for (lang, period, days, hours) in [
        ("ar", "week", (2, "two"), (2, "two")),
        ("ar", "month", (27, "many"), (2, "two")),
        ("pl", "week", (2, "few"), (2, "few")),
        ("ru", "month", (27, "many"), (2, "few")),
        ("en", "week", (2, "other"), (2, "other")),
    ] {
        let time = format!(
            "{} {}",
            form(lang, "durationDays", days.1, days.0),
            form(lang, "durationHours", hours.1, hours.0)
        );
        let template = message_text(lang, "resetsIn");
        assert_eq!(
            resets(lang, period),
            template.replace("{time}", &time),
            "{lang} {period}"
        );
    }
}

/// A plain message of a language file.
fn message_text(lang: &str, key: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../src/i18n")
        .join(format!("{lang}.json"));
    let file: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    file[key].as_str().unwrap().to_string()
}

/// The fixture with times: a quarter played today, a quarter earlier this week, a quarter
/// last week, a quarter untimed (all time only); served at a test clock that stands still
/// on Thursday 2026-12-03 12:00 UTC (its ISO week: Monday 30 November to Monday 7 December).
fn start_timed(args: &[&str]) -> (tempfile::TempDir, Server) {
    start_timed_at("2026-12-03T12:00:00Z", args)
}

/// [`start_timed`]'s data served at a clock standing still at `now`.
fn start_timed_at(now: &str, args: &[&str]) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let times = [
        Some("2026-12-03T08:00:00Z"),
        Some("2026-12-01T10:00:00Z"),
        Some("2026-11-25T10:00:00Z"),
        None,
    ];
    let scores: Vec<ScoreRecord> = common::fixture_scores()
        .into_iter()
        .enumerate()
        .map(|(i, score)| ScoreRecord {
            played_at: times[i % times.len()]
                .map(|time| leaderboard_model::PlayedAt::parse(time).unwrap()),
            ..score
        })
        .collect();
    write_data(dir.path(), &scores, &common::fixture_profiles());
    let mut launch =
        Launch::serve_with_store_under_test(dir.path()).env("LEADERBOARD_TEST_NOW", now);
    for arg in args {
        launch = launch.arg(arg);
    }
    let server = launch.start();
    (dir, server)
}

/// On timed data the period tabs, "Last week" and "Best per player" are links without
/// scripts, each answering the API's rows for that period and view; "Resets in" counts
/// from the server's clock. Untimed data shows no period row.
#[test]
fn the_period_tabs_previous_period_and_best_switch_are_links_without_scripts() {
    let (_dir, server) = start_timed(&[]);
    let (status, html, _) = board(&server, "");
    assert_eq!(status, 200);
    let tabs = Selector::parse("[role=tablist] a[role=tab]").unwrap();
    let tabs: Vec<(String, String, String)> = html
        .select(&tabs)
        .map(|tab| {
            (
                tab.attr("href").unwrap().to_string(),
                tab.attr("aria-selected").unwrap().to_string(),
                tab.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        tabs,
        [
            ("/api/board", "true", "All time"),
            ("/api/board?period=month", "false", "This month"),
            ("/api/board?period=week", "false", "This week"),
            ("/api/board?period=day", "false", "Today"),
        ]
        .map(|(href, selected, text)| (
            href.to_string(),
            selected.to_string(),
            text.to_string()
        ))
    );
    assert!(
        select(&html, ".periods .resets").is_empty(),
        "all time never resets"
    );

    let week = follow(&server, "/api/board?period=week");
    assert_eq!(rendered_rows(&week), api_rows(&server, "period=week"));
    assert!(!rendered_rows(&week).is_empty());
    assert_ne!(rendered_rows(&week), api_rows(&server, ""));
    assert_eq!(
        attribute(&week, "a[role=tab][data-period=week]", "aria-selected").as_deref(),
        Some("true")
    );
    assert_eq!(select(&week, ".periods .resets"), ["Resets in 3 d 12 h"]);
    let previous = href(&week, ".periods a.previous");
    assert_eq!(previous, "/api/board?period=week&at=2026-11-29");
    assert_eq!(
        attribute(&week, ".periods a.previous", "aria-pressed").as_deref(),
        Some("false")
    );

    let last_week = follow(&server, &previous);
    assert_eq!(
        rendered_rows(&last_week),
        api_rows(&server, "period=week&at=2026-11-29")
    );
    assert!(!rendered_rows(&last_week).is_empty());
    assert_eq!(
        attribute(&last_week, ".periods a.previous", "aria-pressed").as_deref(),
        Some("true")
    );
    assert!(select(&last_week, ".periods .resets").is_empty());
    assert_eq!(select(&last_week, "caption .subtitle"), ["Last week"]);
    assert_eq!(
        href(&last_week, ".periods a.previous"),
        "/api/board?period=week"
    );

    let best = href(&week, ".periods a.best");
    assert_eq!(best, "/api/board?period=week&view=best");
    let best = follow(&server, &best);
    assert_eq!(
        rendered_rows(&best),
        api_rows(&server, "period=week&view=best")
    );
    assert_eq!(
        attribute(&best, ".periods a.best", "aria-pressed").as_deref(),
        Some("true")
    );

    // Locked: the period's rows, no tabs.
    let locked = follow(&server, "/api/board?lockPeriod=day");
    assert_eq!(rendered_rows(&locked), api_rows(&server, "period=day"));
    assert!(select(&locked, "[role=tablist]").is_empty());
    assert_eq!(select(&locked, ".periods .resets"), ["Resets in 12 h"]);

    // A period outside the retention: the API's message on an HTML page.
    let (status, _, reply) = board(&server, "period=day&at=2025-01-01");
    assert_eq!(status, 400);
    assert!(reply.text().contains("at"), "{}", reply.text());

    let (_untimed_dir, untimed) = start();
    let (_, plain, _) = board(&untimed, "");
    assert!(select(&plain, ".periods").is_empty());

    // Only the current week retained: no "Last week" (its `at` would be refused).
    let (_short_dir, short) = start_timed(&["--retention-weeks", "1"]);
    let week = follow(&short, "/api/board?period=week");
    assert!(select(&week, ".periods a.previous").is_empty());
    assert_eq!(select(&week, ".periods a.best").len(), 1);
    let day = follow(&short, "/api/board?period=day");
    assert_eq!(
        href(&day, ".periods a.previous"),
        "/api/board?period=day&at=2026-12-02"
    );
}

/// The `content` of the page's `<meta>` named `name` (`name=` or Open Graph's `property=`).
fn meta(html: &Html, name: &str) -> Option<String> {
    attribute(html, &format!("meta[name=\"{name}\"]"), "content")
        .or_else(|| attribute(html, &format!("meta[property=\"{name}\"]"), "content"))
}

/// A shared link unfurls into a card (Open Graph, Twitter card) and is described for search
/// engines: the board's title, its canonical URL, and a description naming the selection
/// and the first rows the page shows, in the page's language.
#[test]
fn a_shared_link_previews_the_board_in_its_language() {
    let (_dir, server) = start();
    let (status, solo, _) = board(&server, "mode=Solo&pageSize=5");
    assert_eq!(status, 200);
    let canonical = attribute(&solo, "link[rel=canonical]", "href").unwrap();
    // One canonical URL whatever order the shared link names the options in.
    let (_, reordered, _) = board(&server, "pageSize=5&mode=Solo");
    assert_eq!(
        attribute(&reordered, "link[rel=canonical]", "href"),
        Some(canonical.clone())
    );
    let mut params: Vec<&str> = canonical
        .strip_prefix(&server.url("/api/board?"))
        .unwrap()
        .split('&')
        .collect();
    params.sort_unstable();
    assert_eq!(params, ["mode=Solo", "pageSize=5"]);
    assert_eq!(meta(&solo, "og:url"), Some(canonical));
    assert_eq!(meta(&solo, "og:type").as_deref(), Some("website"));
    assert_eq!(
        meta(&solo, "og:title").as_deref(),
        Some("Space Game leaderboard")
    );
    assert_eq!(
        meta(&solo, "og:site_name").as_deref(),
        Some("Space Game leaderboard")
    );
    assert_eq!(meta(&solo, "twitter:card").as_deref(), Some("summary"));
    let description = meta(&solo, "description").unwrap();
    assert_eq!(meta(&solo, "og:description"), Some(description.clone()));
    assert!(description.starts_with("Solo — #1 "), "{description}");
    let rows = api_rows(&server, "mode=Solo&pageSize=5");
    for (rank, name, _) in &rows[..3] {
        assert!(
            description.contains(&format!("#{rank} {name} (")),
            "{description} lacks {rank} {name}"
        );
    }
    assert!(!description.contains(&rows[3].1), "{description}");

    let (_, german, _) = board(&server, "mode=Solo&lang=de");
    let description = meta(&german, "og:description").unwrap();
    assert!(description.starts_with("Solo — Platz 1 "), "{description}");
    assert!(description.contains(" Punkte)"), "{description}");
    assert_eq!(
        meta(&german, "og:site_name").as_deref(),
        Some("Space-Game-Bestenliste")
    );

    let (_, nobody, _) = board(&server, "q=zzz");
    assert_eq!(
        meta(&nobody, "description").as_deref(),
        Some("No players match “zzz”")
    );

    // A hostile caption stays an attribute value: no element comes out of it.
    let (_, hostile, _) = board(&server, "title=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert_eq!(
        meta(&hostile, "og:title").as_deref(),
        Some("\"><script>alert(1)</script>")
    );
    let scripts = Selector::parse("head script").unwrap();
    assert_eq!(hostile.select(&scripts).count(), 0);

    // A period is named as the tabs name it: the current week, then the one before.
    let (_timed_dir, timed) = start_timed(&[]);
    let (_, week, _) = board(&timed, "period=week");
    let description = meta(&week, "description").unwrap();
    assert!(description.starts_with("This week — #1 "), "{description}");
    let (_, last_week, _) = board(&timed, "period=week&at=2026-11-29");
    let description = meta(&last_week, "description").unwrap();
    assert!(description.starts_with("Last week — #1 "), "{description}");
    // An older week by its first day, in the preview as in the caption (never "Last week").
    let (status, older, _) = board(&timed, "period=week&at=2026-11-18");
    assert_eq!(status, 200);
    assert_eq!(select(&older, "caption .subtitle"), ["2026-11-16"]);
    assert_eq!(
        meta(&older, "description").as_deref(),
        Some("2026-11-16 — No scores yet")
    );
}
