//! Named behaviours of the engine, each on a small hand-made data set. The property tests
//! (`matches_reference.rs`) check agreement with the reference; these pin what the
//! reference itself promises.

use leaderboard_engine::{reference, Engine, QueryError};
use leaderboard_model::{
    LeaderboardQuery, LeaderboardResponse, Profile, ScoreRecord, SortKey, SortOrder,
};

fn profile(id: &str, name: &str) -> Profile {
    Profile {
        id: id.to_string(),
        user_name: name.to_string(),
        avatar_url: "images/avatars/default.svg".to_string(),
        achievements: vec![],
    }
}

fn score(id: &str, profile_id: &str, points: i64, mode: &str, region: &str) -> ScoreRecord {
    ScoreRecord {
        id: id.to_string(),
        profile_id: profile_id.to_string(),
        score: points,
        game_mode: mode.to_string(),
        game_region: region.to_string(),
        played_at: None,
    }
}

fn sample() -> (Vec<ScoreRecord>, Vec<Profile>) {
    let profiles = vec![
        profile("p1", "alice"),
        profile("p2", "Bob"),
        profile("p3", "ALINA"),
        profile("p4", "zoë"),
    ];
    let scores = vec![
        score("s1", "p1", 900, "Solo", "Milky Way"),
        score("s2", "p2", 800, "Solo", "Andromeda"),
        score("s3", "p3", 800, "Duo", "Milky Way"),
        score("s4", "p4", 700, "Duo", "Andromeda"),
        score("s5", "p1", 650, "Duo", "Andromeda"),
        score("s6", "p2", 800, "Trio", "Milky Way"),
        score("s7", "p3", 100, "Solo", "Milky Way"),
    ];
    (scores, profiles)
}

fn engine() -> Engine {
    let (scores, profiles) = sample();
    Engine::build(scores, profiles)
}

fn ask(engine: &Engine, query: LeaderboardQuery) -> LeaderboardResponse {
    let (scores, profiles) = sample();
    let expected = reference::query(&scores, &profiles, &query);
    let actual = engine.query(&query);
    assert_eq!(
        actual, expected,
        "engine and reference disagree on {query:?}"
    );
    actual.expect("the sample answers this query")
}

fn ids(response: &LeaderboardResponse) -> Vec<&str> {
    response
        .scores
        .iter()
        .map(|e| e.score.id.as_str())
        .collect()
}

fn ranks(response: &LeaderboardResponse) -> Vec<u64> {
    response.scores.iter().map(|e| e.rank).collect()
}

#[test]
fn ties_share_competition_ranks_1_2_2_2_5() {
    let response = ask(&engine(), LeaderboardQuery::default());
    // 900, then three 800s ordered by id, then 700.
    assert_eq!(ids(&response)[..5], ["s1", "s2", "s3", "s6", "s4"]);
    assert_eq!(ranks(&response)[..5], [1, 2, 2, 2, 5]);
}

#[test]
fn ranks_are_within_the_selection_whatever_the_sort_and_q() {
    let engine = engine();
    let duo = ask(
        &engine,
        LeaderboardQuery {
            mode: Some("Duo".into()),
            ..LeaderboardQuery::default()
        },
    );
    assert_eq!(ids(&duo), ["s3", "s4", "s5"]);
    assert_eq!(ranks(&duo), [1, 2, 3]);

    let by_name = ask(
        &engine,
        LeaderboardQuery {
            mode: Some("Duo".into()),
            sort: SortKey::Player,
            order: SortOrder::Asc,
            q: Some("A".into()),
            ..LeaderboardQuery::default()
        },
    );
    // alice (s5, rank 3) before ALINA (s3, rank 1): names compare case-insensitively.
    assert_eq!(ids(&by_name), ["s5", "s3"]);
    assert_eq!(ranks(&by_name), [3, 1]);
}

#[test]
fn deep_page_past_the_end_is_empty_with_the_right_totals() {
    let response = ask(
        &engine(),
        LeaderboardQuery {
            page: 1_000,
            page_size: 3,
            ..LeaderboardQuery::default()
        },
    );
    assert!(response.scores.is_empty());
    assert_eq!(response.total_results, 7);
    assert_eq!(response.total_pages, 3);
    assert_eq!(response.page, 1_000);
}

#[test]
fn score_ascending_is_the_exact_reverse_of_the_leaderboard() {
    let engine = engine();
    let desc = ask(
        &engine,
        LeaderboardQuery {
            page_size: 50,
            ..LeaderboardQuery::default()
        },
    );
    let asc = ask(
        &engine,
        LeaderboardQuery {
            page_size: 50,
            order: SortOrder::Asc,
            ..LeaderboardQuery::default()
        },
    );
    let mut reversed = ids(&desc);
    reversed.reverse();
    assert_eq!(ids(&asc), reversed);
}

#[test]
fn q_is_a_case_insensitive_name_prefix_that_filters_rows_not_ranks() {
    let response = ask(
        &engine(),
        LeaderboardQuery {
            q: Some("aL".into()),
            ..LeaderboardQuery::default()
        },
    );
    assert_eq!(ids(&response), ["s1", "s3", "s5", "s7"]);
    assert_eq!(ranks(&response), [1, 2, 6, 7]);
    assert_eq!(response.total_results, 4);
}

#[test]
fn sort_by_mode_groups_modes_alphabetically_then_by_score() {
    let response = ask(
        &engine(),
        LeaderboardQuery {
            sort: SortKey::Mode,
            order: SortOrder::Asc,
            region: Some("Milky Way".into()),
            ..LeaderboardQuery::default()
        },
    );
    // Duo, Solo (900 before 100), Trio.
    assert_eq!(ids(&response), ["s3", "s1", "s7", "s6"]);
}

#[test]
fn around_returns_the_page_of_the_players_best_entry() {
    let response = ask(
        &engine(),
        LeaderboardQuery {
            around: Some("p1".into()),
            page: 3,
            page_size: 2,
            order: SortOrder::Asc,
            ..LeaderboardQuery::default()
        },
    );
    // Ascending: s7 s5 | s4 s6 | s3 s2 | s1. alice's best is s1 (900), not s5 (650).
    assert_eq!(response.page, 4);
    assert_eq!(ids(&response), ["s1"]);
}

#[test]
fn around_a_player_outside_the_selection_or_q_is_not_found() {
    let engine = engine();
    for query in [
        LeaderboardQuery {
            around: Some("p4".into()),
            mode: Some("Solo".into()),
            ..LeaderboardQuery::default()
        },
        LeaderboardQuery {
            around: Some("p4".into()),
            q: Some("b".into()),
            ..LeaderboardQuery::default()
        },
        LeaderboardQuery {
            around: Some("nobody".into()),
            ..LeaderboardQuery::default()
        },
    ] {
        assert_eq!(
            engine.query(&query),
            Err(QueryError::AroundNotFound {
                profile_id: query.around.clone().unwrap_or_default()
            })
        );
    }
}

#[test]
fn unknown_mode_or_region_gives_no_scores_like_the_original() {
    let engine = engine();
    for (mode, region) in [
        (Some("Quartet"), None),
        (None, Some("Nowhere")),
        (Some("Trio"), Some("Andromeda")),
    ] {
        let response = ask(
            &engine,
            LeaderboardQuery {
                mode: mode.map(Into::into),
                region: region.map(Into::into),
                ..LeaderboardQuery::default()
            },
        );
        assert!(response.scores.is_empty());
        assert_eq!((response.total_results, response.total_pages), (0, 0));
    }
}

#[test]
fn duplicate_ids_keep_the_first_and_orphan_scores_are_dropped() {
    let profiles = vec![profile("p1", "first"), profile("p1", "second")];
    let scores = vec![
        score("orphan", "p9", 999, "Solo", "Milky Way"),
        score("s1", "p1", 10, "Solo", "Milky Way"),
        score("s1", "p1", 500, "Duo", "Andromeda"),
    ];
    let engine = Engine::build(scores.clone(), profiles.clone());
    let response = engine
        .query(&LeaderboardQuery::default())
        .expect("an unfiltered query always answers");
    assert_eq!(
        response,
        reference::query(&scores, &profiles, &LeaderboardQuery::default())
            .expect("reference answers")
    );
    assert_eq!(ids(&response), ["s1"]);
    assert_eq!(response.scores[0].score.score, 10);
    assert_eq!(response.scores[0].profile.user_name, "first");
    assert_eq!(engine.len(), 1);
    assert_eq!(
        engine.meta(),
        reference::meta(
            &scores,
            &profiles,
            leaderboard_model::PlayedAt::MIN,
            &leaderboard_model::Retention::default()
        )
    );
}

#[test]
fn meta_lists_facets_by_count_then_name_and_counts_players_with_scores() {
    let (scores, mut profiles) = sample();
    profiles.push(profile("p5", "no scores yet"));
    let engine = Engine::build(scores.clone(), profiles.clone());
    let meta = engine.meta();
    assert_eq!(
        meta,
        reference::meta(
            &scores,
            &profiles,
            leaderboard_model::PlayedAt::MIN,
            &leaderboard_model::Retention::default()
        )
    );
    let modes: Vec<(&str, u64)> = meta
        .modes
        .iter()
        .map(|f| (f.name.as_str(), f.count))
        .collect();
    assert_eq!(modes, [("Duo", 3), ("Solo", 3), ("Trio", 1)]);
    assert_eq!((meta.total_scores, meta.total_players), (7, 4));
}

#[test]
fn an_empty_engine_answers_every_query() {
    let engine = Engine::build(vec![], vec![]);
    assert!(engine.is_empty());
    for sort in SortKey::ALL {
        let response = engine
            .query(&LeaderboardQuery {
                sort,
                q: Some("a".into()),
                ..LeaderboardQuery::default()
            })
            .expect("no around, so an answer");
        assert!(response.scores.is_empty());
    }
    assert!(engine
        .query(&LeaderboardQuery {
            around: Some("p1".into()),
            ..LeaderboardQuery::default()
        })
        .is_err());
}

#[test]
fn engine_is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Engine>();
}
