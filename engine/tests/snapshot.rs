//! An engine read from its snapshot answers every query exactly as the engine that wrote
//! it, which answers as one built from the documents: random data (duplicate ids, names
//! that differ only in case, unused modes and regions), every query shape on every page,
//! every score's ranks, the meta and the records. And a snapshot whose bytes were changed
//! and re-checksummed (what the checksum cannot catch) is refused or read into an engine
//! that still answers every query without a panic.

use std::io::Cursor;

#[path = "support/random_data.rs"]
mod random_data;

use leaderboard_engine::{Engine, ScoreRows, SnapshotInfo};
use leaderboard_model::{LeaderboardQuery, Profile};
use proptest::prelude::*;
use random_data::{data_strategy, shapes};

const PAGE_SIZE: u32 = 7;

/// Every page of `shape` (and one past the end) as `engine` counts them.
fn pages(engine: &Engine, shape: &[(&str, &str)]) -> Vec<LeaderboardQuery> {
    let query = |page: u32| {
        let page = page.to_string();
        let size = PAGE_SIZE.to_string();
        let mut pairs: Vec<(&str, &str)> = shape.to_vec();
        pairs.push(("pageSize", &size));
        if !shape.iter().any(|(k, _)| *k == "around") {
            pairs.push(("page", &page));
        }
        LeaderboardQuery::from_pairs(pairs).unwrap()
    };
    let total = engine
        .query(&query(1))
        .map_or(0, |r| r.total_results as u32);
    (1..=total.div_ceil(PAGE_SIZE) + 1).map(query).collect()
}

fn info() -> SnapshotInfo {
    SnapshotInfo {
        data_version: "0123456789abcdef".to_string(),
        notes: vec!["a note".to_string()],
    }
}

fn snapshot_of(engine: &Engine) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    engine.write_snapshot(&mut out, &info()).unwrap();
    out.into_inner()
}

fn read(bytes: &[u8]) -> Result<Engine, leaderboard_engine::SnapshotError> {
    Engine::read_snapshot(bytes, bytes.len() as u64).map(|(engine, _)| engine)
}

/// Runs every query shape on every page, and the ranks of every score, on `engine`.
fn exercise(engine: &Engine, profiles: &[Profile], rows: &ScoreRows) {
    for shape in shapes() {
        for query in pages(engine, &shape) {
            let _ = engine.query(&query);
        }
    }
    for record in rows.to_records(profiles) {
        let _ = engine.ranks_of(&record.id, record.score);
    }
    let _ = engine.meta();
    let _ = engine.to_records();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn an_engine_read_from_a_snapshot_answers_as_the_one_built_from_the_files(
        (profiles, rows) in data_strategy()
    ) {
        let built = Engine::build_rows(rows.clone(), profiles.clone());
        let bytes = snapshot_of(&built);
        let (read_back, info_back) =
            Engine::read_snapshot(&bytes[..], bytes.len() as u64).unwrap();
        prop_assert_eq!(info_back, info());
        prop_assert_eq!(read_back.len(), built.len());
        prop_assert_eq!(read_back.meta(), built.meta());
        prop_assert_eq!(read_back.to_records(), built.to_records());
        for shape in shapes() {
            for query in pages(&built, &shape) {
                prop_assert_eq!(read_back.query(&query), built.query(&query), "{:?}", query);
            }
        }
        for record in rows.to_records(&profiles) {
            prop_assert_eq!(
                read_back.ranks_of(&record.id, record.score),
                built.ranks_of(&record.id, record.score)
            );
        }
        // And the one built from the files answers as the documents' own build.
        let from_documents = Engine::build(rows.to_records(&profiles), profiles.clone());
        prop_assert_eq!(from_documents.to_records(), read_back.to_records());
    }

    #[test]
    fn changed_bytes_with_a_matching_checksum_are_refused_or_never_panic(
        (profiles, rows) in data_strategy(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let built = Engine::build_rows(rows.clone(), profiles.clone());
        let mut bytes = snapshot_of(&built);
        for (at, value) in edits {
            // Past the 32-byte header: the payload, then a checksum that matches it.
            let at = 32 + at.index(bytes.len() - 32);
            bytes[at] = value;
        }
        let checksum = xxhash_rust::xxh3::xxh3_64(&bytes[32..]);
        bytes[24..32].copy_from_slice(&checksum.to_le_bytes());
        if let Ok(engine) = read(&bytes) {
            exercise(&engine, &profiles, &rows);
        }
    }
}
