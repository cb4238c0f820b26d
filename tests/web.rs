//! Component tests of the widget in headless Chromium (wasm-bindgen-test + chromedriver):
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p space-leaderboard --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use leaderboard_model::{
    LeaderboardEntry, LeaderboardQuery, LeaderboardResponse, Profile, ScoreRecord, SortKey,
    SortOrder,
};
use space_leaderboard::api::{parse_leaderboard, parse_meta, ApiError};
use space_leaderboard::components::pagination::{page_items, range_text, PageItem};
use space_leaderboard::components::profile_dialog::{
    achievement_counts, profile_dialog, use_profile_dialog, ProfileDialogProps,
};
use space_leaderboard::components::table::{table, TableProps};
use space_leaderboard::format::{initials, NumberFormatter};
use space_leaderboard::hooks::{page_url, query_from_url_pairs};
use space_leaderboard::options::{is_http_or_relative_url, Theme, WidgetOptions};
use space_leaderboard::state::{Action, LeaderboardState};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, ShadowRoot};
use yew::{function_component, Callback, Html, Properties, Reducible};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).unwrap()
}

fn new_host() -> Element {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

/// A component that shows what `view` renders: the table is a plain function, not a component.
#[derive(Properties)]
struct ViewProps {
    view: Rc<dyn Fn() -> Html>,
}

impl PartialEq for ViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
    }
}

#[function_component]
fn View(props: &ViewProps) -> Html {
    (props.view)()
}

/// The profile dialog as the app shows it: opened, with its hooks.
#[derive(Properties)]
struct DialogViewProps {
    make: Rc<dyn Fn() -> ProfileDialogProps>,
}

impl PartialEq for DialogViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.make, &other.make)
    }
}

#[function_component]
fn DialogView(props: &DialogViewProps) -> Html {
    let hooks = use_profile_dialog(Some("open".to_string()));
    profile_dialog(&hooks, (props.make)())
}

fn render_dialog(
    host: &Element,
    make: impl Fn() -> ProfileDialogProps + 'static,
) -> yew::AppHandle<DialogView> {
    let make: Rc<dyn Fn() -> ProfileDialogProps> = Rc::new(make);
    yew::Renderer::<DialogView>::with_root_and_props(host.clone(), DialogViewProps { make })
        .render()
}

/// Renders `table(make())` into `host`.
fn render_table(host: &Element, make: impl Fn() -> TableProps + 'static) -> yew::AppHandle<View> {
    let view: Rc<dyn Fn() -> Html> = Rc::new(move || table(make()));
    yew::Renderer::<View>::with_root_and_props(host.clone(), ViewProps { view }).render()
}

fn entry(id: &str, name: &str, avatar: &str, score: i64, rank: u64) -> LeaderboardEntry {
    LeaderboardEntry {
        rank,
        score: ScoreRecord {
            id: id.to_string(),
            profile_id: format!("p-{id}"),
            score,
            game_mode: "Solo".to_string(),
            game_region: "Milky Way".to_string(),
            played_at: None,
        },
        profile: Profile {
            id: format!("p-{id}"),
            user_name: name.to_string(),
            avatar_url: avatar.to_string(),
            achievements: vec!["Cruiser".into(), "Ace".into(), "Cruiser".into()],
        },
    }
}

fn response(scores: Vec<LeaderboardEntry>) -> LeaderboardResponse {
    LeaderboardResponse {
        selected_mode: None,
        selected_region: None,
        page: 1,
        page_size: 10,
        total_results: scores.len() as u64,
        total_pages: 1,
        scores,
        sort: SortKey::Score,
        order: SortOrder::Desc,
        q: None,
        period: Default::default(),
        period_start: None,
        period_end: None,
        view: Default::default(),
    }
}

// ---- options ------------------------------------------------------------------------------

#[wasm_bindgen_test]
fn data_attribute_kebab_and_camel_case_names_set_the_same_options() {
    let from_attributes = WidgetOptions::from_pairs([
        ("data-page-size", "25"),
        ("data-lock-mode", "Duo"),
        ("data-theme", "light"),
        ("data-show-search", "false"),
        ("data-refresh", "30"),
        ("data-sync-url", ""),
    ])
    .unwrap();
    let from_js = WidgetOptions::from_pairs([
        ("pageSize", "25"),
        ("lockMode", "Duo"),
        ("theme", "light"),
        ("showSearch", "false"),
        ("refresh", "30"),
        ("syncUrl", "true"),
    ])
    .unwrap();
    assert_eq!(from_attributes, from_js);
    assert_eq!(from_js.page_size, 25);
    assert_eq!(from_js.mode.as_deref(), Some("Duo"));
    assert!(from_js.lock_mode);
    assert_eq!(from_js.theme, Theme::Light);
    assert!(!from_js.show_search);
    assert_eq!(from_js.refresh, Some(30));
    assert!(from_js.sync_url);
}

#[wasm_bindgen_test]
fn order_defaults_to_the_sort_keys_own_direction() {
    let options = WidgetOptions::from_pairs([("sort", "player")]).unwrap();
    assert_eq!(
        (options.sort, options.order),
        (SortKey::Player, SortOrder::Asc)
    );
    let options = WidgetOptions::from_pairs([("sort", "score"), ("order", "asc")]).unwrap();
    assert_eq!(
        (options.sort, options.order),
        (SortKey::Score, SortOrder::Asc)
    );
}

#[wasm_bindgen_test]
fn bad_option_values_give_a_message_naming_the_option_and_the_attribute() {
    for (name, value, expect) in [
        ("data-page-size", "abc", "whole number from 1 to 50"),
        ("pageSize", "0", "whole number from 1 to 50"),
        ("theme", "neon", "light, dark or auto"),
        ("sort", "name", "score, player, mode or region"),
        ("order", "sideways", "asc or desc"),
        ("compact", "maybe", "true or false"),
        ("refresh", "-5", "number of seconds"),
        (
            "endpoint",
            "javascript:alert(1)",
            "http(s) URL or a relative path",
        ),
        ("locale", "en_US!", "language tag"),
    ] {
        let error = WidgetOptions::from_pairs([(name, value)]).unwrap_err();
        let message = error.to_string();
        assert!(message.contains(expect), "{name}={value}: {message}");
        assert!(message.contains("(data-"), "{message}");
        assert!(
            message.contains(value.trim()) || value.is_empty(),
            "{message}"
        );
    }
    let error = WidgetOptions::from_pairs([("data-page-size", "abc")]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Invalid option pageSize (data-page-size): expected a whole number from 1 to 50, got \"abc\""
    );
}

#[wasm_bindgen_test]
fn only_http_and_relative_urls_count_as_safe() {
    for safe in [
        "https://cdn.example/a.png",
        "HTTP://x/y",
        "/api/images/a.svg",
        "a.png",
        "//cdn.example/a.png",
        "./a?b=c:d",
    ] {
        assert!(is_http_or_relative_url(safe), "{safe}");
    }
    for unsafe_url in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:x",
        "data:image/png;base64,AA",
        "vbscript:x",
        "",
        "java\nscript:x",
    ] {
        assert!(!is_http_or_relative_url(unsafe_url), "{unsafe_url:?}");
    }
}

// ---- state --------------------------------------------------------------------------------

fn state() -> Rc<LeaderboardState> {
    Rc::new(LeaderboardState::new(
        Rc::new(WidgetOptions::default()),
        None,
    ))
}

#[wasm_bindgen_test]
fn a_late_answer_to_an_older_request_is_ignored() {
    let first = state();
    let old_id = first.request_id;
    let newer = first.reduce(Action::SetMode(Some("Duo".into())));
    assert!(newer.request_id != old_id);
    let stale = Rc::new(response(vec![entry("1", "Old", "", 1, 1)]));
    let after = Rc::clone(&newer).reduce(Action::Loaded {
        request_id: old_id,
        response: stale,
    });
    assert!(after.data.is_none(), "the stale answer must not be shown");
    assert!(after.in_flight);
    let fresh = Rc::new(response(vec![entry("2", "New", "", 2, 1)]));
    let after = after.reduce(Action::Loaded {
        request_id: newer.request_id,
        response: fresh,
    });
    assert_eq!(
        after.data.as_ref().unwrap().scores[0].profile.user_name,
        "New"
    );
}

#[wasm_bindgen_test]
fn sorting_the_active_column_toggles_its_order_and_a_new_column_uses_its_default() {
    let s = state().reduce(Action::GoToPage(4));
    let s = s.reduce(Action::SortBy(SortKey::Score));
    assert_eq!(
        (s.query.sort, s.query.order, s.query.page),
        (SortKey::Score, SortOrder::Asc, 1)
    );
    let s = s.reduce(Action::SortBy(SortKey::Player));
    assert_eq!(
        (s.query.sort, s.query.order),
        (SortKey::Player, SortOrder::Asc)
    );
}

#[wasm_bindgen_test]
fn find_player_clears_the_search_and_lands_on_the_answers_page() {
    let s = state().reduce(Action::SetSearch(Some("zo".into())));
    let s = s.reduce(Action::Locate("p-42".into()));
    assert_eq!(s.query.q, None);
    assert_eq!(s.query.around.as_deref(), Some("p-42"));
    assert_eq!(
        s.highlight, None,
        "nothing is highlighted on the page shown before"
    );
    let mut answer = response(vec![entry("42", "Zoë", "", 5, 77)]);
    answer.page = 8;
    let s = Rc::clone(&s).reduce(Action::Loaded {
        request_id: s.request_id,
        response: Rc::new(answer),
    });
    assert_eq!((s.query.page, s.query.around.clone()), (8, None));
    assert_eq!(s.highlight.as_deref(), Some("p-42"));
}

#[wasm_bindgen_test]
fn transient_failures_retry_with_growing_delays_and_keep_the_last_rows() {
    let s = state();
    let s = Rc::clone(&s).reduce(Action::Loaded {
        request_id: s.request_id,
        response: Rc::new(response(vec![entry("1", "A", "", 1, 1)])),
    });
    let mut delays = Vec::new();
    let mut s = s.reduce(Action::Retry);
    for _ in 0..3 {
        s = Rc::clone(&s).reduce(Action::Failed {
            request_id: s.request_id,
            error: ApiError::Network,
        });
        delays.push(s.retry_delay_ms().unwrap());
        s = s.reduce(Action::Retry);
    }
    assert_eq!(delays, vec![1000, 2000, 4000]);
    assert_eq!(
        s.data.as_ref().unwrap().scores.len(),
        1,
        "last good rows stay"
    );
    let s = Rc::clone(&s).reduce(Action::Failed {
        request_id: s.request_id,
        error: ApiError::Unreadable { detail: "x".into() },
    });
    assert_eq!(
        s.retry_delay_ms(),
        None,
        "a malformed answer is not retried automatically"
    );
}

#[wasm_bindgen_test]
fn page_url_keeps_host_parameters_and_the_hash() {
    let query = LeaderboardQuery {
        mode: Some("Solo".into()),
        region: Some("Milky Way".into()),
        ..LeaderboardQuery::default()
    };
    assert_eq!(
        page_url("/", "", "#leaderboard", &query),
        "/?mode=Solo&region=Milky%20Way#leaderboard"
    );
    assert_eq!(
        page_url("/p", "?utm=x&mode=Duo&page=3", "", &query),
        "/p?utm=x&mode=Solo&region=Milky%20Way"
    );
    assert_eq!(
        page_url("/", "?mode=Duo", "", &LeaderboardQuery::default()),
        "/"
    );
}

#[wasm_bindgen_test]
fn a_shared_link_overrides_only_the_parameters_it_carries() {
    let options =
        WidgetOptions::from_pairs([("pageSize", "25"), ("sort", "player"), ("mode", "Duo")])
            .unwrap();
    let query = query_from_url_pairs(&options, vec![("region", "Milky Way".to_string())]).unwrap();
    assert_eq!(
        (query.page_size, query.sort, query.order),
        (25, SortKey::Player, SortOrder::Asc)
    );
    assert_eq!(
        (query.mode.as_deref(), query.region.as_deref()),
        (Some("Duo"), Some("Milky Way"))
    );
    let query = query_from_url_pairs(
        &options,
        vec![
            ("sort", "score".to_string()),
            ("mode", "Solo".to_string()),
            ("page", "3".to_string()),
        ],
    )
    .unwrap();
    assert_eq!(
        (query.sort, query.order, query.page),
        (SortKey::Score, SortOrder::Desc, 3)
    );
    assert_eq!(query.mode.as_deref(), Some("Solo"));
    assert!(
        query_from_url_pairs(&options, vec![("page", "-1".to_string())]).is_none(),
        "a bad link is ignored"
    );
    assert!(query_from_url_pairs(&options, vec![]).is_none());
}

// ---- pagination, achievements, formatting ------------------------------------------------

#[wasm_bindgen_test]
fn pagination_condenses_many_pages_around_the_current_one() {
    use PageItem::{Ellipsis as E, Page as P};
    assert_eq!(
        page_items(8, 4210),
        vec![P(1), E, P(7), P(8), P(9), E, P(4210)]
    );
    assert_eq!(
        page_items(1, 4210),
        vec![P(1), P(2), P(3), P(4), P(5), E, P(4210)]
    );
    assert_eq!(
        page_items(4210, 4210),
        vec![P(1), E, P(4206), P(4207), P(4208), P(4209), P(4210)]
    );
    assert_eq!(page_items(3, 5), vec![P(1), P(2), P(3), P(4), P(5)]);
    assert_eq!(page_items(1, 0), vec![]);
    assert_eq!(page_items(u64::MAX, u64::MAX).len(), 7);
    let en = NumberFormatter::new(Some("en-US"));
    let english = space_leaderboard::i18n::english();
    assert_eq!(
        range_text(&english, &en, 20, 10, 4210),
        "Showing 21–30 of 4,210"
    );
}

#[wasm_bindgen_test]
fn achievements_are_deduplicated_with_counts_in_first_earned_order() {
    let list: Vec<String> = [
        "Cruiser",
        "Ace",
        "Cruiser",
        " ",
        "Ace",
        "Cruiser",
        "Supernova",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(
        achievement_counts(&list),
        vec![
            ("Cruiser".to_string(), 3),
            ("Ace".to_string(), 2),
            ("Supernova".to_string(), 1)
        ]
    );
}

#[wasm_bindgen_test]
fn scores_are_formatted_for_the_locale_with_every_digit() {
    assert_eq!(
        NumberFormatter::new(Some("en-US")).format_i64(1_234_567),
        "1,234,567"
    );
    assert_eq!(
        NumberFormatter::new(Some("de-DE")).format_i64(1_234_567),
        "1.234.567"
    );
    let french = NumberFormatter::new(Some("fr-FR")).format_i64(1_234_567);
    assert_eq!(
        french
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>(),
        "1234567"
    );
    assert_ne!(french, "1234567");
    assert_eq!(
        NumberFormatter::new(Some("en-US")).format_i64(i64::MAX),
        "9,223,372,036,854,775,807"
    );
    assert_eq!(
        NumberFormatter::new(Some("en-US")).format_u64(u64::MAX),
        "18,446,744,073,709,551,615"
    );
    // A tag the browser rejects falls back to the reader's locale instead of failing.
    assert!(!NumberFormatter::new(Some("x-invalid-tag-0000000000"))
        .format_i64(5)
        .is_empty());
    assert_eq!(initials("ada lovelace"), "AL");
    assert_eq!(initials("  "), "?");
}

// ---- hostile and malformed data ----------------------------------------------------------

#[wasm_bindgen_test]
fn unreadable_answers_become_readable_errors() {
    let html = parse_leaderboard("<!doctype html><h1>502 Bad Gateway</h1>").unwrap_err();
    assert!(html.to_string().contains("HTML page"), "{html}");
    let broken = parse_leaderboard("{\"page\": 1,").unwrap_err();
    assert!(broken.to_string().contains("not valid JSON"), "{broken}");
    let missing = parse_leaderboard("{\"page\": 1}").unwrap_err();
    assert!(missing.to_string().contains("missing field"), "{missing}");
    let wrong = parse_leaderboard("[1,2,3]").unwrap_err();
    assert!(matches!(wrong, ApiError::Unreadable { .. }));
    let huge = parse_leaderboard(
        r#"{"selectedMode":null,"selectedRegion":null,"page":1,"pageSize":10,"totalResults":1e300,"scores":[]}"#,
    );
    assert!(huge.is_err());
    let null = parse_leaderboard("null").unwrap_err();
    assert!(null.to_string().contains("unreadable answer"), "{null}");
}

/// An answer exactly as the function sends it (copied from `GET /api/LeaderboardFunction`).
const REAL_ANSWER: &str = r#"{"selectedMode":null,"selectedRegion":"Milky Way","page":2,"pageSize":2,"totalResults":5000,"scores":[{"rank":1,"score":{"id":"1071","profileId":"452","score":999999,"gameMode":"Solo","gameRegion":"Triangulum"},"profile":{"id":"452","userName":"ZeroAce","avatarUrl":"http://127.0.0.1:18431/api/images/avatars/planet.svg","achievements":["Atom Smasher","Event Horizon","Atom Smasher"]}},{"rank":3,"score":{"id":"3740","profileId":"530","score":-5,"gameMode":"Duo","gameRegion":"NGC 1300"},"profile":{"id":"530","userName":"uma.singh","avatarUrl":""}}],"totalPages":2500,"sort":"player","order":"asc","q":"u"}"#;

#[wasm_bindgen_test]
fn the_functions_answers_are_read_field_for_field() {
    let answer = parse_leaderboard(REAL_ANSWER).unwrap();
    assert_eq!(answer.selected_mode, None);
    assert_eq!(answer.selected_region.as_deref(), Some("Milky Way"));
    assert_eq!(
        (
            answer.page,
            answer.page_size,
            answer.total_results,
            answer.total_pages
        ),
        (2, 2, 5000, 2500)
    );
    assert_eq!(
        (answer.sort, answer.order, answer.q.as_deref()),
        (SortKey::Player, SortOrder::Asc, Some("u"))
    );
    let first = &answer.scores[0];
    assert_eq!(
        (
            first.rank,
            first.score.score,
            first.score.profile_id.as_str()
        ),
        (1, 999_999, "452")
    );
    assert_eq!(first.profile.achievements.len(), 3);
    assert_eq!(answer.scores[1].score.score, -5);
    assert!(
        answer.scores[1].profile.achievements.is_empty(),
        "achievements may be absent"
    );
    // The original function's answer (no totalPages, sort, order, q) is read with defaults.
    let original = parse_leaderboard(r#"{"selectedMode":"Solo","selectedRegion":null,"page":1,"pageSize":10,"totalResults":0,"scores":[]}"#).unwrap();
    assert_eq!(
        (original.total_pages, original.sort, original.order),
        (0, SortKey::Score, SortOrder::Desc)
    );

    let meta = parse_meta(r#"{"modes":[{"name":"Solo","count":2716}],"regions":[],"totalScores":5000,"totalPlayers":640}"#).unwrap();
    assert_eq!(
        (
            meta.modes[0].name.as_str(),
            meta.modes[0].count,
            meta.total_players
        ),
        ("Solo", 2716, 640)
    );
    assert_eq!(
        meta.periods, None,
        "no periods: the data holds no timed scores"
    );

    // A period's answer and a meta with periods (src/decode.rs reads times with Date.parse).
    let week = parse_leaderboard(r#"{"page":1,"pageSize":10,"totalResults":0,"scores":[],"period":"week","periodStart":"2026-11-30T00:00:00.000Z","periodEnd":"2026-12-07T00:00:00.000Z","view":"best"}"#).unwrap();
    assert_eq!(
        (
            week.period,
            week.period_start.map(|t| t.to_string()),
            week.period_end.map(|t| t.unix_millis()),
            week.view
        ),
        (
            leaderboard_model::PeriodKind::Week,
            Some("2026-11-30T00:00:00.000Z".to_string()),
            Some(1_796_601_600_000),
            leaderboard_model::View::Best
        )
    );
    let summary = r#"{"currentStart":"2026-12-03T00:00:00.000Z","currentEnd":"2026-12-04T00:00:00.000Z","oldestStart":"2026-11-03T00:00:00.000Z","withData":["2026-12-03T00:00:00.000Z","2026-12-01T00:00:00.000Z"]}"#;
    let meta = parse_meta(&format!(
        r#"{{"modes":[],"regions":[],"totalScores":1,"totalPlayers":1,"periods":{{"day":{summary},"week":{summary},"month":{summary}}}}}"#
    ))
    .unwrap();
    let day = meta.periods.unwrap().day;
    assert_eq!(day.current_end.to_string(), "2026-12-04T00:00:00.000Z");
    assert_eq!(day.with_data.len(), 2);
    let broken = parse_meta(&format!(
        r#"{{"modes":[],"regions":[],"totalScores":1,"totalPlayers":1,"periods":{{"day":{summary},"week":{summary}}}}}"#
    ))
    .unwrap_err();
    assert!(broken.to_string().contains("`periods`"), "{broken}");
    for (body, expect) in [
        (
            r#"{"page":1,"pageSize":10,"totalResults":0,"scores":[],"period":"year"}"#,
            "period",
        ),
        (
            r#"{"page":1,"pageSize":10,"totalResults":0,"scores":[],"period":"day","periodEnd":"soon"}"#,
            "periodEnd",
        ),
    ] {
        let error = parse_leaderboard(body).unwrap_err();
        assert!(error.to_string().contains(expect), "{expect}: {error}");
    }
}

#[wasm_bindgen_test]
fn wrong_shapes_name_the_field_at_fault() {
    for (body, expect) in [
        (
            REAL_ANSWER.replace("\"score\":-5", "\"score\":\"lots\""),
            "scores[1].score.score",
        ),
        (
            REAL_ANSWER.replace("\"userName\":\"uma.singh\"", "\"userName\":null"),
            "scores[1].profile.userName",
        ),
        (
            REAL_ANSWER.replace("\"rank\":3", "\"rank\":-3"),
            "scores[1].rank",
        ),
        (REAL_ANSWER.replace("\"page\":2", "\"page\":2.5"), "page"),
        (
            REAL_ANSWER.replace("\"Atom Smasher\",\"Event", "7,\"Event"),
            "achievements",
        ),
        (
            REAL_ANSWER.replace("\"sort\":\"player\"", "\"sort\":\"age\""),
            "sort",
        ),
        (
            REAL_ANSWER
                .replace("\"scores\":[", "\"scores\":{\"x\":[")
                .replace("],\"totalPages", "]},\"totalPages"),
            "scores",
        ),
    ] {
        let error = parse_leaderboard(&body).unwrap_err();
        assert!(error.to_string().contains(expect), "{expect}: {error}");
    }
    let meta =
        parse_meta(r#"{"modes":[{"name":"Solo"}],"regions":[],"totalScores":1,"totalPlayers":1}"#)
            .unwrap_err();
    assert!(
        meta.to_string().contains("missing field `modes[0].count`"),
        "{meta}"
    );
}

fn hostile_rows() -> Vec<LeaderboardEntry> {
    vec![
        entry(
            "1",
            "<img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            i64::MAX,
            u64::MAX,
        ),
        entry(
            "2",
            "",
            "data:image/svg+xml,<svg onload=alert(1)>",
            i64::MIN,
            0,
        ),
        entry("3", &"𝔘".repeat(5000), " https://evil.example/a.png", -1, 3),
        entry(
            "4",
            "Zoë \u{202E}evil\u{0000}",
            "https://cdn.example/ok.png",
            0,
            1,
        ),
        entry("\"><script>", "O'Brien & <b>co</b>", "", 42, 2),
    ]
}

#[wasm_bindgen_test]
async fn hostile_rows_render_as_text_without_unsafe_images() {
    let host = new_host();
    let app = render_table(&host, || TableProps {
        title: "Board".into(),
        subtitle: "".into(),
        texts: space_leaderboard::i18n::english(),
        data: Some(Rc::new(response(hostile_rows()))),
        sort: SortKey::Score,
        order: SortOrder::Desc,
        loading: false,
        refreshing: false,
        skeleton_rows: 10,
        highlight: Some("p-4".into()),
        formatter: NumberFormatter::new(Some("en-US")),
        message: None,
        on_sort: Callback::noop(),
        on_open: Callback::noop(),
        nav: None,
    });
    yew::scheduler::flush().await;

    let rows = host.query_selector_all("tbody tr[data-entry-id]").unwrap();
    assert_eq!(rows.length(), 5);
    let images = host.query_selector_all("img").unwrap();
    assert_eq!(images.length(), 1, "only the https avatar is loaded");
    let image: Element = images.item(0).unwrap().dyn_into().unwrap();
    assert_eq!(
        image.get_attribute("src").as_deref(),
        Some("https://cdn.example/ok.png")
    );
    assert_eq!(
        host.query_selector_all("span.avatar-placeholder")
            .unwrap()
            .length(),
        4
    );
    assert!(
        host.query_selector("script, b").unwrap().is_none(),
        "names are text, not HTML"
    );
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("<img src=x onerror=alert(1)>"));
    assert!(text.contains("9,223,372,036,854,775,807"));
    assert!(text.contains("-9,223,372,036,854,775,808"));
    let highlighted = host
        .query_selector("tr[aria-current=\"true\"]")
        .unwrap()
        .unwrap();
    assert_eq!(
        highlighted.get_attribute("data-entry-id").as_deref(),
        Some("4")
    );
    assert!(host
        .query_selector("th[aria-sort=\"descending\"] button[data-sort=\"score\"]")
        .unwrap()
        .is_some());
    app.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn broken_avatar_image_falls_back_to_initials() {
    let host = new_host();
    let app = render_table(&host, || TableProps {
        title: "Board".into(),
        subtitle: "".into(),
        texts: space_leaderboard::i18n::english(),
        data: Some(Rc::new(response(vec![entry(
            "1",
            "Ada Lovelace",
            "/no/such/avatar.png",
            10,
            1,
        )]))),
        sort: SortKey::Score,
        order: SortOrder::Desc,
        loading: false,
        refreshing: false,
        skeleton_rows: 10,
        highlight: None,
        formatter: NumberFormatter::new(Some("en-US")),
        message: None,
        on_sort: Callback::noop(),
        on_open: Callback::noop(),
        nav: None,
    });
    yew::scheduler::flush().await;
    let image = host
        .query_selector("img")
        .unwrap()
        .expect("the image is tried first");
    // The browser fires `error` for the missing file; dispatch it now rather than wait.
    image
        .dispatch_event(&web_sys::Event::new("error").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    assert!(host.query_selector("img").unwrap().is_none());
    let placeholder = host
        .query_selector("span.avatar-placeholder")
        .unwrap()
        .unwrap();
    assert_eq!(placeholder.text_content().as_deref(), Some("AL"));
    app.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn profile_dialog_lists_each_achievement_once_with_its_count() {
    let host = new_host();
    let mut player = entry("9", "Zoë", "javascript:alert(1)", 1234, 12);
    player.profile.achievements = (0..20_000).map(|i| format!("Kind {}", i % 150)).collect();
    let app = render_dialog(&host, move || ProfileDialogProps {
        entry: player.clone(),
        formatter: NumberFormatter::new(Some("en-US")),
        texts: space_leaderboard::i18n::english(),
        on_close: Callback::noop(),
        on_locate: Callback::noop(),
    });
    yew::scheduler::flush().await;
    let dialog = host
        .query_selector("[role=\"dialog\"][aria-modal=\"true\"]")
        .unwrap()
        .unwrap();
    assert_eq!(
        dialog
            .query_selector("h2")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Zoë")
    );
    assert!(dialog
        .query_selector(".dialog-rank")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
        .contains("12"));
    let items = dialog.query_selector_all("ul.achievements li").unwrap();
    assert_eq!(items.length(), 100, "at most 100 kinds are listed");
    let first: Element = items.item(0).unwrap().dyn_into().unwrap();
    assert_eq!(
        first
            .query_selector(".count")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("×134")
    );
    assert!(dialog.query_selector("img").unwrap().is_none());
    assert!(dialog.query_selector("button.close").unwrap().is_some());
    assert!(dialog.query_selector("button.locate").unwrap().is_some());
    app.destroy();
    host.remove();
}

// ---- mounting -----------------------------------------------------------------------------

fn shadow(host: &Element) -> ShadowRoot {
    host.shadow_root().expect("an open shadow root")
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        js_sys::Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

/// Nothing listens on port 9: requests fail fast with a network error.
const DEAD_ENDPOINT: &str = "http://127.0.0.1:9/api/LeaderboardFunction";

#[wasm_bindgen_test]
async fn mount_update_and_destroy_leave_no_nodes_behind() {
    let host = new_host();
    let before = space_leaderboard::mount::mounted_count();
    let id = space_leaderboard::mount(
        host.clone(),
        options(&[
            ("endpoint", DEAD_ENDPOINT.into()),
            ("theme", "dark".into()),
            ("pageSize", JsValue::from(25)),
        ]),
    )
    .unwrap();
    yew::scheduler::flush().await;
    let root = shadow(&host);
    assert_eq!(root.adopted_style_sheets().length(), 1);
    assert!(root
        .query_selector(".slb.theme-dark[part=\"root\"]")
        .unwrap()
        .is_some());
    assert_eq!(
        root.query_selector_all("tbody[aria-busy=\"true\"] tr.skeleton")
            .unwrap()
            .length(),
        25
    );
    assert!(root
        .query_selector("[role=\"status\"][aria-live=\"polite\"]")
        .unwrap()
        .is_some());
    assert_eq!(space_leaderboard::mount::mounted_count(), before + 1);

    space_leaderboard::update_widget(id, options(&[("theme", "light".into())])).unwrap();
    yew::scheduler::flush().await;
    assert!(root.query_selector(".slb.theme-light").unwrap().is_some());

    // A bad value shows a message in this widget, and a good update brings it back.
    assert!(
        space_leaderboard::update_widget(id, options(&[("pageSize", JsValue::from(99))])).is_err()
    );
    yew::scheduler::flush().await;
    let message = root
        .query_selector(".state-error[role=\"alert\"]")
        .unwrap()
        .unwrap();
    assert!(message.text_content().unwrap().contains("data-page-size"));
    assert!(space_leaderboard::widget_error(id).is_some());
    space_leaderboard::update_widget(id, options(&[("pageSize", JsValue::NULL)])).unwrap();
    yew::scheduler::flush().await;
    assert!(space_leaderboard::widget_error(id).is_none());
    assert!(root.query_selector("table caption").unwrap().is_some());

    space_leaderboard::destroy_widget(id);
    yew::scheduler::flush().await;
    assert_eq!(
        root.child_nodes().length(),
        0,
        "no nodes left in the shadow root"
    );
    assert_eq!(
        root.adopted_style_sheets().length(),
        0,
        "stylesheet removed"
    );
    assert_eq!(host.child_nodes().length(), 0);
    assert_eq!(space_leaderboard::mount::mounted_count(), before);
    space_leaderboard::destroy_widget(id); // idempotent
    assert!(space_leaderboard::update_widget(id, JsValue::UNDEFINED).is_err());

    // The same host can hold a widget again (the shadow root is reused).
    let again =
        space_leaderboard::mount(host.clone(), options(&[("endpoint", DEAD_ENDPOINT.into())]))
            .unwrap();
    yew::scheduler::flush().await;
    assert!(shadow(&host).query_selector(".slb").unwrap().is_some());
    space_leaderboard::destroy_widget(again);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_bad_data_attribute_shows_a_message_in_that_widget_only() {
    let good = new_host();
    good.set_attribute("data-space-leaderboard", "").unwrap();
    good.set_attribute("data-endpoint", DEAD_ENDPOINT).unwrap();
    good.set_attribute("data-theme", "light").unwrap();
    let bad = new_host();
    bad.set_attribute("data-space-leaderboard", "").unwrap();
    bad.set_attribute("data-endpoint", DEAD_ENDPOINT).unwrap();
    bad.set_attribute("data-page-size", "lots").unwrap();

    assert!(space_leaderboard::mount_all() >= 2);
    assert_eq!(
        space_leaderboard::mount_all(),
        0,
        "mounted hosts are skipped"
    );
    yew::scheduler::flush().await;

    let bad_text = shadow(&bad).text_content().unwrap_or_default();
    assert!(
        bad_text.contains("Invalid option pageSize (data-page-size)"),
        "{bad_text}"
    );
    assert!(bad_text.contains("lots"));
    assert!(shadow(&good)
        .query_selector(".slb.theme-light table")
        .unwrap()
        .is_some());
    assert!(shadow(&good)
        .query_selector(".config-error")
        .unwrap()
        .is_none());

    // Re-mounting through the JS API replaces an auto-mounted widget.
    let id = space_leaderboard::mount(bad.clone(), JsValue::UNDEFINED).unwrap();
    space_leaderboard::destroy_widget(id);
    let id = space_leaderboard::mount(good.clone(), JsValue::UNDEFINED).unwrap();
    space_leaderboard::destroy_widget(id);
    good.remove();
    bad.remove();
}

#[wasm_bindgen_test]
async fn profile_dialog_closes_on_escape_and_outside_click_but_not_inside_click() {
    use std::cell::Cell;
    let host = new_host();
    let closed = Rc::new(Cell::new(0));
    let app = {
        let closed = Rc::clone(&closed);
        render_dialog(&host, move || ProfileDialogProps {
            entry: entry("7", "Ada", "", 10, 1),
            formatter: NumberFormatter::new(Some("en-US")),
            texts: space_leaderboard::i18n::english(),
            on_close: {
                let closed = Rc::clone(&closed);
                Callback::from(move |()| closed.set(closed.get() + 1))
            },
            on_locate: Callback::noop(),
        })
    };
    yew::scheduler::flush().await;
    let click = |selector: &str| {
        let element: web_sys::HtmlElement = host
            .query_selector(selector)
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap();
        element.click();
    };
    click(".achievements-title");
    assert_eq!(closed.get(), 0, "a click inside the dialog keeps it open");
    click(".dialog-backdrop");
    assert_eq!(closed.get(), 1, "a click outside closes it");
    let focused = shadowless_active_element();
    assert_eq!(
        focused.map(|e| e.class_name()).as_deref(),
        Some("close"),
        "focus starts on Close"
    );
    let escape = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &{
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Escape");
        init.set_bubbles(true);
        init
    })
    .unwrap();
    host.query_selector("button.close")
        .unwrap()
        .unwrap()
        .dispatch_event(&escape)
        .unwrap();
    assert_eq!(closed.get(), 2, "Esc closes it");
    app.destroy();
    host.remove();
}

fn shadowless_active_element() -> Option<Element> {
    document().active_element()
}
