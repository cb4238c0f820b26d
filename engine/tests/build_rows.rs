//! `Engine::build_rows` (scores already interned, as the loader hands them over) builds the
//! same engine as `Engine::build` from the equivalent records: random data with duplicate
//! score ids, duplicate profile ids, modes and regions listed but never used, and every
//! query shape compared answer for answer.

#[path = "support/random_data.rs"]
mod random_data;

use leaderboard_engine::Engine;
use leaderboard_model::LeaderboardQuery;
use proptest::prelude::*;
use random_data::{data_strategy, shapes};

fn queries() -> Vec<LeaderboardQuery> {
    shapes()
        .into_iter()
        .map(|mut pairs| {
            pairs.push(("pageSize", "7"));
            LeaderboardQuery::from_pairs(pairs).unwrap()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn build_rows_serves_what_build_serves((profiles, rows) in data_strategy()) {
        let from_records = Engine::build(rows.to_records(&profiles), profiles.clone());
        let from_rows = Engine::build_rows(rows, profiles);
        prop_assert_eq!(from_records.len(), from_rows.len());
        prop_assert_eq!(from_records.meta(), from_rows.meta());
        for query in queries() {
            prop_assert_eq!(from_records.query(&query), from_rows.query(&query), "{:?}", query);
        }
    }
}
