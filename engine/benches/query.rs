//! Engine::query against the naive reference (filter + sort + skip + take per request) on
//! 1,000,000 synthetic scores and 100,000 profiles, plus Engine::build.
//!
//! `cargo bench -p leaderboard-engine --bench query` (`[profile.bench]`: the function's
//! optimisation settings). The naive side is kept short (10 flat samples), so
//! the run takes a few minutes; a speed-up table is printed first.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use leaderboard_engine::{reference, Engine};
use leaderboard_model::{LeaderboardQuery, Profile, ScoreRecord, SortKey};

const SCORES: usize = 1_000_000;
const PROFILES: usize = 100_000;

fn cases(engine: &Engine) -> Vec<(&'static str, LeaderboardQuery)> {
    // A player with a middling best score, for `around`.
    let middle = engine
        .query(&LeaderboardQuery {
            page: 10_000,
            ..LeaderboardQuery::default()
        })
        .ok()
        .and_then(|r| r.scores.first().map(|e| e.score.profile_id.clone()))
        .unwrap_or_else(|| "1".to_string());
    vec![
        ("page_1", LeaderboardQuery::default()),
        (
            "mode_region_filtered",
            LeaderboardQuery {
                mode: Some("Duo".into()),
                region: Some("Andromeda".into()),
                page: 3,
                ..LeaderboardQuery::default()
            },
        ),
        (
            "deep_page_50000",
            LeaderboardQuery {
                page: 50_000,
                ..LeaderboardQuery::default()
            },
        ),
        (
            "sort_player",
            LeaderboardQuery {
                sort: SortKey::Player,
                order: SortKey::Player.default_order(),
                page: 7,
                page_size: 25,
                ..LeaderboardQuery::default()
            },
        ),
        (
            "q_prefix_by_score",
            LeaderboardQuery {
                q: Some("nova".into()),
                page: 2,
                page_size: 50,
                ..LeaderboardQuery::default()
            },
        ),
        (
            "around_player",
            LeaderboardQuery {
                around: Some(middle),
                ..LeaderboardQuery::default()
            },
        ),
    ]
}

fn mean_time(runs: u32, mut run: impl FnMut()) -> Duration {
    let started = Instant::now();
    for _ in 0..runs {
        run();
    }
    started.elapsed() / runs
}

/// A rough table first, so the speed-up is readable without criterion's report.
fn print_speed_ups(engine: &Engine, scores: &[ScoreRecord], profiles: &[Profile]) {
    eprintln!(
        "\n{:<22} {:>14} {:>14} {:>10}",
        "query", "reference", "engine", "speed-up"
    );
    for (name, query) in cases(engine) {
        assert_eq!(
            engine.query(&query),
            reference::query(scores, profiles, &query),
            "{name}: engine and reference disagree"
        );
        let naive = mean_time(2, || {
            black_box(reference::query(scores, profiles, black_box(&query)).ok());
        });
        let indexed = mean_time(2_000, || {
            black_box(engine.query(black_box(&query)).ok());
        });
        eprintln!(
            "{name:<22} {:>11.1} ms {:>11.1} µs {:>9.0}x",
            naive.as_secs_f64() * 1e3,
            indexed.as_secs_f64() * 1e6,
            naive.as_secs_f64() / indexed.as_secs_f64().max(1e-12)
        );
    }
    eprintln!();
}

fn benches(c: &mut Criterion) {
    let (scores, profiles) = synthetic::dataset(SCORES, PROFILES, 42);
    let started = Instant::now();
    let engine = Engine::build(scores.clone(), profiles.clone());
    eprintln!(
        "Engine::build: {} scores in {:.0} ms, engine heap {:.0} MiB",
        engine.len(),
        started.elapsed().as_secs_f64() * 1e3,
        engine.heap_bytes() as f64 / (1024.0 * 1024.0)
    );
    print_speed_ups(&engine, &scores, &profiles);

    for (name, query) in cases(&engine) {
        let mut group = c.benchmark_group(format!("query/{name}"));
        group.bench_function("engine", |b| b.iter(|| engine.query(black_box(&query))));
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(1))
            .measurement_time(Duration::from_secs(1));
        group.bench_function("reference", |b| {
            b.iter(|| reference::query(&scores, &profiles, black_box(&query)))
        });
        group.finish();
    }

    let mut group = c.benchmark_group("build");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));
    group.bench_function("engine_1m", |b| {
        b.iter_batched(
            || (scores.clone(), profiles.clone()),
            |(scores, profiles)| Engine::build(scores, profiles),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group! {
    name = query_benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(query_benches);
