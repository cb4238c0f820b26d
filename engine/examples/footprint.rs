//! Builds the engine over 1,000,000 synthetic scores and 100,000 profiles and prints the
//! build time, the engine's own heap bytes and the process's resident memory, the way the
//! function holds it (input records consumed by the build).
//!
//! `cargo run -p leaderboard-engine --release --example footprint [scores] [profiles] [timed]`
//!
//! With `timed`, every score gets a `playedAt` spread over the year before 2026-12-03T12:00Z,
//! and the example then reads the boards of the periods and views (current day, week and
//! month, last week, the best view at every level for all time and this month) through
//! [`Boards`], printing each first read (its build) and the memory after all of them.

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::sync::Arc;
use std::time::Instant;

use leaderboard_engine::{Boards, Engine};
use leaderboard_model::{LeaderboardQuery, PeriodKind, PlayedAt, Retention, View};

const NOW_MILLIS: u64 = 1_796_299_200_000; // 2026-12-03T12:00:00Z
const YEAR_MILLIS: u64 = 365 * 86_400_000;

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let scores: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let profiles: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let timed = args.next().is_some_and(|a| a == "timed");
    let (mut score_records, profile_records) = synthetic::dataset(scores, profiles, 42);
    if timed {
        for (index, score) in score_records.iter_mut().enumerate() {
            let ago = (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) % YEAR_MILLIS;
            score.played_at = PlayedAt::from_unix_millis(NOW_MILLIS - 1 - ago);
        }
    }
    let mib =
        |kib: Option<u64>| kib.map_or("?".to_string(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
    println!("input generated: RSS {}", mib(status_kib("VmRSS:")));
    let started = Instant::now();
    let engine = Engine::build(score_records, profile_records);
    let elapsed = started.elapsed();
    println!(
        "built {} scores in {:.0} ms; engine heap {:.0} MiB; RSS now {}, peak {}",
        engine.len(),
        elapsed.as_secs_f64() * 1000.0,
        engine.heap_bytes() as f64 / (1024.0 * 1024.0),
        mib(status_kib("VmRSS:")),
        mib(status_kib("VmHWM:")),
    );
    if timed {
        boards(engine, &mib);
    }
}

/// A board to read: label, period, `at`, view, mode, region.
type Shape = (
    &'static str,
    PeriodKind,
    Option<&'static str>,
    View,
    Option<&'static str>,
    Option<&'static str>,
);

/// The first read of each period and view board (its build), then the memory with them all.
fn boards(engine: Engine, mib: &dyn Fn(Option<u64>) -> String) {
    let now = PlayedAt::from_unix_millis(NOW_MILLIS).unwrap_or(PlayedAt::MIN);
    let boards = Boards::new(Arc::new(engine));
    let mut held = 0;
    let shapes: &[Shape] = &[
        ("today", PeriodKind::Day, None, View::Scores, None, None),
        (
            "this week",
            PeriodKind::Week,
            None,
            View::Scores,
            None,
            None,
        ),
        (
            "this month",
            PeriodKind::Month,
            None,
            View::Scores,
            None,
            None,
        ),
        (
            "last week",
            PeriodKind::Week,
            Some("2026-11-25T00:00:00Z"),
            View::Scores,
            None,
            None,
        ),
        (
            "best, all time",
            PeriodKind::All,
            None,
            View::Best,
            None,
            None,
        ),
        (
            "best, all time, mode",
            PeriodKind::All,
            None,
            View::Best,
            Some("Solo"),
            None,
        ),
        (
            "best, all time, region",
            PeriodKind::All,
            None,
            View::Best,
            None,
            Some("Andromeda"),
        ),
        (
            "best, all time, both",
            PeriodKind::All,
            None,
            View::Best,
            Some("Solo"),
            Some("Andromeda"),
        ),
        (
            "best, this month",
            PeriodKind::Month,
            None,
            View::Best,
            None,
            None,
        ),
        (
            "best, this month, both",
            PeriodKind::Month,
            None,
            View::Best,
            Some("Solo"),
            Some("Andromeda"),
        ),
    ];
    for &(label, period, at, view, mode, region) in shapes {
        let mut query = LeaderboardQuery {
            period,
            at: at.and_then(|t| PlayedAt::parse(t).ok()),
            view,
            mode: mode.map(str::to_string),
            region: region.map(str::to_string),
            ..LeaderboardQuery::default()
        };
        if query.resolve_period(now, &Retention::default()).is_err() {
            continue;
        }
        let started = Instant::now();
        let board = boards.board(&query);
        held += board.heap_bytes();
        println!(
            "{label}: {} records, first read {:.0} ms, heap {:.1} MiB",
            board.len(),
            started.elapsed().as_secs_f64() * 1000.0,
            board.heap_bytes() as f64 / (1024.0 * 1024.0)
        );
    }
    println!(
        "boards built: heap {:.0} MiB; RSS now {}, peak {}",
        held as f64 / (1024.0 * 1024.0),
        mib(status_kib("VmRSS:")),
        mib(status_kib("VmHWM:")),
    );
}
