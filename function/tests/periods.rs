//! Periods (`period`, `at`) and views (`view=best`) over real HTTP against the built binary,
//! its clock a file the test writes (the hidden `--test-clock-file`), so a running server
//! crosses period boundaries with no restart and no sleep:
//!
//! - every other parameter (filters, sorts, `q`, `around`, pages, ranks) inside each period
//!   and under `view=best`, on generated timed data (and the untimed fixture beside it),
//!   answers as the engine's naive reference;
//! - at a day, ISO week (week 53 of 2026), month, year and leap-day boundary, with posts on
//!   both sides, the current board changes by itself, the ETag with it, `at` reads the
//!   period before, and `Cache-Control` never reaches past the period's end;
//! - the meta lists the periods and changes at midnight;
//! - `period`, `at` and `view` errors are `400`s naming them; the retention flags.
//!
//! The store under test is `LEADERBOARD_TEST_STORE` (embedded by default).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use leaderboard_engine::reference;
use leaderboard_function::data::generate::{run, GenerateOptions, PlayedOver};
use leaderboard_function::data::{load_dir, LoadOptions};
use leaderboard_model::{
    LeaderboardQuery, LeaderboardResponse, PlayedAt, Profile, Retention, ScoreRecord,
};
use serde_json::json;
use tempfile::TempDir;

const INGEST: &str = "test-ingest-key-0123456789abcdef";
const LEADERBOARD: &str = "/api/LeaderboardFunction";
/// Sunday 3 January 2027: in ISO week 53 of 2026, two days into a month and a year.
const NOW: &str = "2027-01-03T12:00:00Z";

fn at(text: &str) -> PlayedAt {
    PlayedAt::parse(text).unwrap()
}

/// A clock file a running server reads on every request.
struct TestClock {
    path: PathBuf,
}

impl TestClock {
    fn new(dir: &Path, now: &str) -> TestClock {
        let clock = TestClock {
            path: dir.join("clock"),
        };
        clock.set(now);
        clock
    }

    /// Moves the clock: written aside and renamed, so a request never reads half a time.
    fn set(&self, now: &str) {
        let aside = self.path.with_extension("next");
        std::fs::write(&aside, now).unwrap();
        std::fs::rename(&aside, &self.path).unwrap();
    }
}

/// The fixture (untimed, as the original's documents) and generated scores played over the
/// 75 days before [`NOW`], in one data directory; and what it holds.
fn timed_data() -> (TempDir, Vec<ScoreRecord>, Vec<Profile>) {
    let generated = tempfile::tempdir().unwrap();
    run(&GenerateOptions {
        scores: 700,
        profiles: 90,
        seed: 14,
        out: generated.path().to_path_buf(),
        played: Some(PlayedOver {
            days: 75,
            until: at(NOW),
        }),
    })
    .unwrap();
    let loaded = load_dir(generated.path(), LoadOptions { strict: true }).unwrap();
    let mut scores = fixture_scores();
    scores.extend(loaded.scores);
    let mut profiles = fixture_profiles();
    profiles.extend(loaded.profiles);
    let dir = tempfile::tempdir().unwrap();
    write_data(dir.path(), &scores, &profiles);
    (dir, scores, profiles)
}

fn start(data: &Path, clock: &TestClock, extra: &[&str]) -> Server {
    let mut launch = Launch::serve_with_store_under_test(data)
        .ingest_key(INGEST)
        .arg("--test-clock-file")
        .arg(&clock.path)
        .env("LEADERBOARD_PUBLIC_URL", "https://game.example/api/");
    for arg in extra {
        launch = launch.arg(arg);
    }
    launch.start()
}

fn blank_avatars(response: &mut LeaderboardResponse) {
    for entry in &mut response.scores {
        entry.profile.avatar_url.clear();
    }
}

/// The function's answer and the reference's for `query_string` at `now`: equal bodies
/// (avatars aside), or both a `404` for `around`.
fn assert_matches_reference(
    server: &Server,
    query_string: &str,
    now: PlayedAt,
    scores: &[ScoreRecord],
    profiles: &[Profile],
) {
    let reply = server.get(&format!("{LEADERBOARD}?{query_string}"));
    let mut query =
        LeaderboardQuery::from_pairs(form_urlencoded::parse(query_string.as_bytes())).unwrap();
    query.resolve_period(now, &Retention::default()).unwrap();
    match reference::query(scores, profiles, &query) {
        Ok(mut expected) => {
            assert_eq!(reply.status, 200, "{query_string}: {}", reply.text());
            let mut answer: LeaderboardResponse = serde_json::from_slice(&reply.body).unwrap();
            blank_avatars(&mut answer);
            blank_avatars(&mut expected);
            assert_eq!(answer, expected, "{query_string}");
        }
        Err(_) => assert_eq!(reply.status, 404, "{query_string}: {}", reply.text()),
    }
}

#[test]
fn every_parameter_inside_a_period_and_under_view_best_answers_as_the_reference() {
    let (data, scores, profiles) = timed_data();
    let clock = TestClock::new(data.path(), NOW);
    let server = start(data.path(), &clock, &[]);
    let periods = [
        "",
        "period=all&",
        "period=day&",
        "period=day&at=2027-01-02&",
        "period=day&at=2026-12-10T08:00:00Z&",
        "period=week&",
        "period=week&at=2026-12-27&",
        "period=WEEK&at=2026-11-30&",
        "period=month&",
        "period=month&at=2026-12-31T23:59:59.999Z&",
        "period=month&at=2026-11-01&",
    ];
    // The generated players are "1" to "90" with gamer-tag names; "p1".."p9" the fixture's.
    let others = [
        "",
        "pageSize=50",
        "page=2&pageSize=7",
        "mode=Solo",
        "region=Andromeda",
        "mode=Duo&region=Milky%20Way&pageSize=50",
        "sort=player",
        "sort=player&order=desc&mode=Trio",
        "sort=mode&pageSize=25",
        "sort=region&mode=Solo&pageSize=25",
        "sort=score&order=asc&page=3",
        "q=a&pageSize=20",
        "q=n&sort=mode&pageSize=20",
        "q=a&sort=region&order=desc&region=Andromeda",
        "around=7",
        "around=12&mode=Solo&pageSize=5",
        "around=3&sort=player&pageSize=4",
        "around=p1",
        "around=nobody",
    ];
    for period in periods {
        for view in ["", "view=best&"] {
            for other in others {
                let query_string = format!("{period}{view}{other}");
                assert_matches_reference(&server, &query_string, at(NOW), &scores, &profiles);
            }
        }
    }
    // A period answer says which period it is; the all-time answer does not.
    let week = server
        .get(&format!("{LEADERBOARD}?period=week&view=best"))
        .json();
    assert_eq!(week["period"], "week");
    assert_eq!(week["periodStart"], "2026-12-28T00:00:00.000Z");
    assert_eq!(week["periodEnd"], "2027-01-04T00:00:00.000Z");
    assert_eq!(week["view"], "best");
    assert!(week["totalResults"].as_u64().unwrap() > 0);
    let all = server.get(LEADERBOARD).json();
    for field in ["period", "periodStart", "periodEnd", "view"] {
        assert!(all.get(field).is_none(), "{field} in {all}");
    }
}

/// A post at `now` (no `playedAt`: it gets the clock's time) by the fixture's player `p1`.
fn post(server: &Server, id: &str, points: i64) -> Reply {
    let reply = server.send(
        "POST",
        "/api/scores",
        &[
            ("Authorization", &format!("Bearer {INGEST}")),
            ("Content-Type", "application/json"),
        ],
        json!({"id": id, "profileId": "p1", "score": points, "gameMode": "Solo",
            "gameRegion": "Andromeda"})
        .to_string()
        .as_bytes(),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply
}

/// `max-age` and `stale-while-revalidate` of a reply.
fn cache_seconds(reply: &Reply) -> (u64, u64) {
    let header = reply.header("cache-control").unwrap().to_string();
    let value = |name: &str| {
        header
            .split(',')
            .map(str::trim)
            .find_map(|part| part.strip_prefix(name))
            .and_then(|v| v.strip_prefix('='))
            .unwrap_or_else(|| panic!("{name} in {header}"))
            .parse()
            .unwrap()
    };
    (value("max-age"), value("stale-while-revalidate"))
}

#[test]
fn boards_roll_over_at_day_week_month_year_and_leap_day_boundaries_with_posts_on_both_sides() {
    let data = fixture_dir();
    // Each boundary and the kinds of period that start there.
    let boundaries: [(&str, &[&str]); 5] = [
        // New Year's Day 2027: a day, a month and a year, inside ISO week 53 of 2026.
        ("2027-01-01T00:00:00.000Z", &["day", "month"]),
        // The end of ISO week 53 (Monday 28 December 2026 to Monday 4 January 2027).
        ("2027-01-04T00:00:00.000Z", &["day", "week"]),
        // Into the leap day, and out of it into March.
        ("2028-02-29T00:00:00.000Z", &["day"]),
        ("2028-03-01T00:00:00.000Z", &["day", "month"]),
        ("2028-03-06T00:00:00.000Z", &["day", "week"]),
    ];
    let first = boundaries[0].0;
    let clock = TestClock::new(data.path(), first);
    let server = start(data.path(), &clock, &[]);
    for (index, (boundary, kinds)) in boundaries.iter().enumerate() {
        let boundary_at = at(boundary);
        let just_before = PlayedAt::from_unix_millis(boundary_at.unix_millis() - 1000).unwrap();
        clock.set(&just_before.to_string());
        let before_id = format!("before-{index}");
        post(&server, &before_id, 5000 + index as i64);
        let mut old = Vec::new();
        for kind in *kinds {
            let reply = server.get(&format!("{LEADERBOARD}?period={kind}"));
            assert_eq!(reply.status, 200);
            let body = reply.json();
            assert!(ids(&body).contains(&before_id), "{kind} {body}");
            assert_eq!(body["periodEnd"], *boundary, "{kind}");
            // One second left: no cache may keep it longer.
            let (max_age, swr) = cache_seconds(&reply);
            assert!(max_age + swr <= 1, "{kind}: {max_age} + {swr}");
            old.push(reply.header("etag").unwrap().to_string());
        }

        // The clock crosses the boundary: nothing restarts, nothing is imported.
        clock.set(boundary);
        for (kind, old_etag) in kinds.iter().zip(&old) {
            let reply = server.get_with(
                &format!("{LEADERBOARD}?period={kind}"),
                &[("If-None-Match", old_etag)],
            );
            assert_eq!(reply.status, 200, "{kind}: the old tag must not match");
            assert_ne!(reply.header("etag").unwrap(), old_etag, "{kind}");
            let body = reply.json();
            assert_eq!(body["periodStart"], *boundary, "{kind}");
            assert!(!ids(&body).contains(&before_id), "{kind} {body}");
            // A full period ahead: the configured policy stands.
            assert_eq!(cache_seconds(&reply), (10, 60), "{kind}");
        }
        let after_id = format!("after-{index}");
        post(&server, &after_id, 4000 + index as i64);
        for kind in *kinds {
            let now = server
                .get(&format!("{LEADERBOARD}?period={kind}&view=best"))
                .json();
            assert_eq!(
                ids(&now),
                std::slice::from_ref(&after_id),
                "{kind}: p1's best this period"
            );
            let previous = server
                .get(&format!(
                    "{LEADERBOARD}?period={kind}&at={}&pageSize=50",
                    just_before
                ))
                .json();
            assert!(ids(&previous).contains(&before_id), "{kind} {previous}");
            assert!(!ids(&previous).contains(&after_id), "{kind} {previous}");
            assert_eq!(previous["periodEnd"], *boundary, "{kind}");
        }
        let all = server.get(&format!("{LEADERBOARD}?pageSize=50")).json();
        assert!(ids(&all).contains(&before_id) && ids(&all).contains(&after_id));
    }
}

#[test]
fn the_meta_lists_the_periods_and_changes_at_midnight() {
    let (data, _, _) = timed_data();
    let clock = TestClock::new(data.path(), "2027-01-03T23:59:59.500Z");
    let server = start(data.path(), &clock, &[]);
    let reply = server.get("/api/LeaderboardFunction/meta");
    assert_eq!(reply.status, 200);
    let meta = reply.json();
    let periods = &meta["periods"];
    assert_eq!(periods["day"]["currentStart"], "2027-01-03T00:00:00.000Z");
    assert_eq!(periods["day"]["currentEnd"], "2027-01-04T00:00:00.000Z");
    assert_eq!(periods["week"]["currentStart"], "2026-12-28T00:00:00.000Z");
    assert_eq!(periods["month"]["currentStart"], "2027-01-01T00:00:00.000Z");
    assert_eq!(periods["month"]["oldestStart"], "2026-02-01T00:00:00.000Z");
    // 75 days of scores: every retained day and week holds some, months from October.
    assert_eq!(periods["day"]["withData"].as_array().unwrap().len(), 31);
    assert_eq!(
        periods["month"]["withData"],
        json!([
            "2027-01-01T00:00:00.000Z",
            "2026-12-01T00:00:00.000Z",
            "2026-11-01T00:00:00.000Z",
            "2026-10-01T00:00:00.000Z"
        ])
    );
    assert_eq!(cache_seconds(&reply), (0, 0), "half a second to midnight");
    let etag = reply.header("etag").unwrap().to_string();
    clock.set("2027-01-04T00:00:00.000Z");
    let next = server.get_with("/api/LeaderboardFunction/meta", &[("If-None-Match", &etag)]);
    assert_eq!(next.status, 200);
    assert_eq!(
        next.json()["periods"]["week"]["currentStart"],
        "2027-01-04T00:00:00.000Z"
    );
    // Untimed data has no periods in its meta: the original's meta, byte for byte.
    let untimed = fixture_dir();
    let plain = start(untimed.path(), &clock, &[]);
    assert!(plain
        .get("/api/LeaderboardFunction/meta")
        .json()
        .get("periods")
        .is_none());
}

#[test]
fn bad_periods_ats_and_views_are_400s_naming_them_and_the_retention_is_configurable() {
    let data = fixture_dir();
    let clock = TestClock::new(data.path(), NOW);
    let server = start(
        data.path(),
        &clock,
        &["--retention-days", "2", "--retention-months", "3"],
    );
    for (query, param) in [
        ("period=year", "period"),
        ("view=players", "view"),
        ("period=day&at=yesterday", "at"),
        ("period=day&at=2027-02-30", "at"),
        ("period=day&at=2027-01-03T10:00:00%2B01:00", "at"),
        ("at=2027-01-01", "at"),
        // Not started yet, and out of the retention (2 days, 3 months).
        ("period=day&at=2027-01-04", "at"),
        ("period=day&at=2027-01-01", "at"),
        ("period=month&at=2026-10-31", "at"),
    ] {
        let reply = server.get(&format!("{LEADERBOARD}?{query}"));
        assert_eq!(reply.status, 400, "{query}");
        let body = reply.json();
        assert_eq!(body["param"], param, "{query}: {body}");
        assert!(!body["error"].as_str().unwrap().is_empty());
    }
    for query in [
        "period=day&at=2027-01-02",
        "period=month&at=2026-11-01",
        "period=week&at=2026-12-21",
    ] {
        assert_eq!(
            server.get(&format!("{LEADERBOARD}?{query}")).status,
            200,
            "{query}"
        );
    }
    // Equal periods named differently share the canonical query, hence the ETag.
    let tag = |query: &str| {
        server
            .get(&format!("{LEADERBOARD}?{query}"))
            .header("etag")
            .unwrap()
            .to_string()
    };
    assert_eq!(
        tag("period=week"),
        tag("period=week&at=2026-12-29T10:00:00Z")
    );
    assert_ne!(tag("period=week"), tag("period=month"));
    // A retention flag below 1 is refused at start.
    let exited = Launch::serve(data.path())
        .arg("--retention-days")
        .arg("0")
        .run_to_exit();
    assert!(!exited.status.success());
    assert!(
        exited.stderr.contains("retention-days"),
        "{}",
        exited.stderr
    );
}

#[test]
fn the_board_page_reads_the_period_and_view_it_is_given() {
    let (data, _, _) = timed_data();
    let clock = TestClock::new(data.path(), NOW);
    let server = start(data.path(), &clock, &[]);
    let api = server
        .get(&format!("{LEADERBOARD}?period=day&at=2027-01-02&view=best"))
        .json();
    let leader = api["scores"][0]["profile"]["userName"].as_str().unwrap();
    let all_time = server.get(LEADERBOARD).json();
    assert_ne!(all_time["scores"][0]["profile"]["userName"], leader);
    let board = server.get("/api/board?period=day&at=2027-01-02&view=best");
    assert_eq!(board.status, 200);
    let html = board.text();
    let escaped = leader.replace('&', "&amp;").replace('\'', "&#39;");
    assert!(html.contains(&escaped), "{leader} on the board");
    let bad = server.get("/api/board?period=day&at=2020-01-01");
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("at"));
}
