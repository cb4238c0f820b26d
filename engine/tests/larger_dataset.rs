//! The engine equals the reference on a data set large enough that every index spans many
//! blocks of its rank directories (the property tests use at most 300 scores), for a
//! deterministic spread of queries over every parameter.

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use leaderboard_engine::{reference, Engine};
use leaderboard_model::{LeaderboardQuery, SortKey, SortOrder};
use synthetic::{SplitMix, MODES, REGIONS};

#[test]
fn engine_matches_reference_on_twenty_thousand_scores() {
    let (scores, profiles) = synthetic::dataset(20_000, 2_000, 7);
    let engine = Engine::build(scores.clone(), profiles.clone());
    assert_eq!(
        engine.meta(),
        reference::meta(
            &scores,
            &profiles,
            leaderboard_model::PlayedAt::MIN,
            &leaderboard_model::Retention::default()
        )
    );

    let mut rng = SplitMix(99);
    let mut pages_with_rows = 0;
    let prefixes = ["nova", "K", "ka", "Zo", "é", "s", "Quasar", "x"];
    for _ in 0..300 {
        let mut pick = |options: &[&str], none_weight: u64| {
            if rng.below(none_weight + 1) == 0 {
                None
            } else {
                Some(rng.pick(options).to_string())
            }
        };
        let mode = pick(MODES, 1);
        let region = pick(REGIONS, 1);
        let q = pick(&prefixes, 1);
        let sort = SortKey::ALL[rng.below(4) as usize];
        let order = if rng.below(2) == 0 {
            SortOrder::Asc
        } else {
            SortOrder::Desc
        };
        let around = if rng.below(3) == 0 {
            Some((rng.below(2_100) + 1).to_string())
        } else {
            None
        };
        let query = LeaderboardQuery {
            page: 1 + rng.below(60) as u32,
            page_size: 1 + rng.below(50) as u32,
            mode,
            region,
            sort,
            order,
            q,
            around,
            ..LeaderboardQuery::default()
        };
        let answer = engine.query(&query);
        assert_eq!(
            answer,
            reference::query(&scores, &profiles, &query),
            "query {query:?}"
        );
        if answer.is_ok_and(|r| !r.scores.is_empty()) {
            pages_with_rows += 1;
        }
    }
    // The spread must mostly land on real rows, or the comparison proves little.
    assert!(
        pages_with_rows > 150,
        "only {pages_with_rows} of 300 pages had rows"
    );
}
