//! `Engine::build_rows` (scores already interned, as the loader hands them over) builds the
//! same engine as `Engine::build` from the equivalent records: random data with duplicate
//! score ids, duplicate profile ids, modes and regions listed but never used, and every
//! query shape compared answer for answer.

#[path = "support/random_data.rs"]
mod random_data;

use leaderboard_engine::Engine;
use leaderboard_model::LeaderboardQuery;
use proptest::prelude::*;
use random_data::data_strategy;

fn queries() -> Vec<LeaderboardQuery> {
    let mut queries = Vec::new();
    for mode in ["", "Solo", "solo", "Unused"] {
        for region in ["", "Andromeda"] {
            for sort in ["score", "player", "mode", "region"] {
                for order in ["asc", "desc"] {
                    for q in ["", "a", "no"] {
                        for around in ["", "p1", "p7"] {
                            let pairs = [
                                ("mode", mode),
                                ("region", region),
                                ("sort", sort),
                                ("order", order),
                                ("q", q),
                                ("around", around),
                                ("pageSize", "7"),
                            ];
                            queries.push(
                                LeaderboardQuery::from_pairs(
                                    pairs.into_iter().filter(|(_, v)| !v.is_empty()),
                                )
                                .unwrap(),
                            );
                        }
                    }
                }
            }
        }
    }
    queries
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
