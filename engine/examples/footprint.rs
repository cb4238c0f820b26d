//! Builds the engine over 1,000,000 synthetic scores and 100,000 profiles and prints the
//! build time, the engine's own heap bytes and the process's resident memory, the way the
//! function holds it (input records consumed by the build).
//!
//! `cargo run -p leaderboard-engine --release --example footprint [scores] [profiles]`

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::time::Instant;

use leaderboard_engine::Engine;

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
    let (score_records, profile_records) = synthetic::dataset(scores, profiles, 42);
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
}
