//! The indexed engine answers every query exactly as the naive reference does: random
//! small data sets with many ties, duplicate and orphan records, mixed-case and non-ASCII
//! names, and random queries over every parameter (including values the HTTP layer would
//! never produce, such as page 0).

use std::sync::Arc;

use leaderboard_engine::{reference, Boards, Engine};
use leaderboard_model::{
    LeaderboardQuery, PeriodKind, PlayedAt, Profile, Retention, ScoreRecord, SortKey, SortOrder,
    View,
};
use proptest::prelude::*;

/// The clock of the period tests: Sunday 3 January 2027, in ISO week 53 of 2026, so the
/// retained days, weeks and months cross a year, a month and a week boundary.
const NOW: u64 = 1_798_977_600_000; // 2027-01-03T12:00:00Z
const DAY: u64 = 86_400_000;

fn now() -> PlayedAt {
    PlayedAt::from_unix_millis(NOW).unwrap()
}

/// Period starts near [`NOW`]: the instants where a score changes period.
const BOUNDARIES: &[u64] = &[
    1_798_934_400_000, // 2027-01-03 (a day)
    1_798_416_000_000, // 2026-12-28 (ISO week 53)
    1_798_761_600_000, // 2027-01-01 (a month, a year)
    1_796_083_200_000, // 2026-12-01
    1_795_996_800_000, // 2026-11-30 (a week)
    1_799_020_800_000, // 2027-01-04 (the next week: not yet)
];

/// A time: none (the original documents), anywhere in the last 100 days, or a millisecond
/// either side of a period boundary.
fn time_strategy() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![
        2 => Just(None),
        4 => (0..100 * DAY).prop_map(|ago| Some(NOW - ago)),
        2 => (prop::sample::select(BOUNDARIES), 0..3u64).prop_map(|(b, d)| Some(b + d - 1)),
        1 => prop::option::of(0..=PlayedAt::MAX.unix_millis()),
    ]
}

/// The period parameters, resolved against [`NOW`] as the function does; a query whose
/// `at` is refused stays unresolved (the boards then read nothing, as the reference).
fn with_period(
    mut query: LeaderboardQuery,
    period: PeriodKind,
    at: Option<u64>,
    view: View,
) -> LeaderboardQuery {
    query.period = period;
    query.at = at.and_then(PlayedAt::from_unix_millis);
    query.view = view;
    let mut resolved = query.clone();
    match resolved.resolve_period(now(), &Retention::default()) {
        Ok(_) => resolved,
        Err(_) => query,
    }
}

fn period_strategy() -> impl Strategy<Value = (PeriodKind, Option<u64>, View)> {
    (
        prop::sample::select(PeriodKind::ALL.to_vec()),
        prop_oneof![
            3 => Just(None),
            2 => (0..80 * DAY).prop_map(|ago| Some(NOW - ago)),
            1 => prop::sample::select(BOUNDARIES).prop_map(Some),
        ],
        prop::sample::select(View::ALL.to_vec()),
    )
}

/// Names that collide case-insensitively, share prefixes, or lower-case in unusual ways
/// (final sigma, dotted capital I, multi-byte letters).
const NAMES: &[&str] = &[
    "alice",
    "Alice",
    "ALICE",
    "alicia",
    "Al",
    "bob",
    "Bob ",
    "bobby",
    "Zoë",
    "zoë",
    "ZOË",
    "Élan",
    "élan",
    "Ωmega",
    "ωmega",
    "李雷",
    "李",
    "İstanbul",
    "istanbul",
    "ΣΑΣ",
    "σας",
    "",
    " space",
    "Nova Hunter",
    "nova_hunter",
    "x",
];
const MODES: &[&str] = &["Solo", "Duo", "Trio", "Duo Plus", "solo"];
const REGIONS: &[&str] = &[
    "Milky Way",
    "Andromeda",
    "NGC 1300",
    "Ring Nebula",
    "Pinwheel",
];
const QUERY_PREFIXES: &[&str] = &[
    "a", "A", "al", "ALI", "alice", "alicex", "b", "Bob ", "z", "ZO", "zö", "é", "É", "ω", "Ω",
    "李", "i", "İ", "σ", "Σ", "ΣΑ", " ", "n", "nova", "q", "",
];

fn profile_strategy() -> impl Strategy<Value = Profile> {
    (0..12u32, prop::sample::select(NAMES), 0..3usize).prop_map(|(id, name, achievements)| {
        Profile {
            id: format!("p{id}"),
            user_name: name.to_string(),
            avatar_url: format!("images/avatars/{id}.svg"),
            achievements: vec!["First Flight".to_string(); achievements],
        }
    })
}

fn score_strategy() -> impl Strategy<Value = ScoreRecord> {
    (
        0..400u32,
        0..14u32,
        prop_oneof![8 => 0..12i64, 1 => any::<i64>(), 1 => -3..3i64],
        prop::sample::select(MODES),
        prop::sample::select(REGIONS),
        time_strategy(),
    )
        .prop_map(|(id, profile, score, mode, region, time)| ScoreRecord {
            id: format!("s{id}"),
            profile_id: format!("p{profile}"),
            score,
            game_mode: mode.to_string(),
            game_region: region.to_string(),
            played_at: time.and_then(PlayedAt::from_unix_millis),
        })
}

fn filter_strategy(values: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        3 => prop::sample::select(values).prop_map(|v| Some(v.to_string())),
        1 => Just(Some("Unknown Place".to_string())),
    ]
}

fn query_strategy() -> impl Strategy<Value = LeaderboardQuery> {
    (
        prop_oneof![6 => 1..6u32, 2 => 0..40u32, 1 => Just(u32::MAX)],
        prop_oneof![6 => 1..=50u32, 1 => Just(0u32)],
        filter_strategy(MODES),
        filter_strategy(REGIONS),
        prop::sample::select(SortKey::ALL.to_vec()),
        prop::sample::select(vec![SortOrder::Asc, SortOrder::Desc]),
        prop_oneof![
            2 => Just(None),
            2 => prop::sample::select(QUERY_PREFIXES).prop_map(|q| Some(q.to_string())),
        ],
        prop_oneof![
            3 => Just(None),
            3 => (0..14u32).prop_map(|p| Some(format!("p{p}"))),
            1 => Just(Some("nobody".to_string())),
        ],
        period_strategy(),
    )
        .prop_map(
            |(page, page_size, mode, region, sort, order, q, around, (period, at, view))| {
                let query = LeaderboardQuery {
                    page,
                    page_size,
                    mode,
                    region,
                    sort,
                    order,
                    q,
                    around,
                    ..LeaderboardQuery::default()
                };
                with_period(query, period, at, view)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1024,
        ..ProptestConfig::default()
    })]

    #[test]
    fn engine_answers_exactly_as_the_reference(
        profiles in prop::collection::vec(profile_strategy(), 0..10),
        scores in prop::collection::vec(score_strategy(), 0..300),
        queries in prop::collection::vec(query_strategy(), 1..24),
    ) {
        let engine = Engine::build(scores.clone(), profiles.clone());
        let meta = reference::meta(&scores, &profiles, now(), &Retention::default());
        prop_assert_eq!(engine.len() as u64, meta.total_scores);
        let boards = Boards::new(Arc::new(engine));
        prop_assert_eq!(boards.meta(now(), &Retention::default()), meta);
        for query in &queries {
            let expected = reference::query(&scores, &profiles, query);
            let actual = boards.query(query);
            prop_assert_eq!(actual, expected, "query {:?}", query);
        }
    }

    /// A cache far smaller than the boards read: boards leave and are built again, and
    /// every answer stays the reference's.
    #[test]
    fn boards_evicted_and_built_again_answer_as_the_reference(
        profiles in prop::collection::vec(profile_strategy(), 1..10),
        scores in prop::collection::vec(score_strategy(), 0..200),
        queries in prop::collection::vec(query_strategy(), 1..40),
    ) {
        let boards = Boards::with_cache_cap(
            Arc::new(Engine::build(scores.clone(), profiles.clone())),
            20,
        );
        for query in queries.iter().chain(&queries) {
            let expected = reference::query(&scores, &profiles, query);
            prop_assert_eq!(boards.query(query), expected, "query {:?}", query);
        }
    }

    /// A served score's ranks are read from the index exactly as the reference counts
    /// them; a score the engine does not serve has none.
    #[test]
    fn ranks_of_a_score_match_the_reference(
        profiles in prop::collection::vec(profile_strategy(), 0..10),
        scores in prop::collection::vec(score_strategy(), 0..300),
    ) {
        let engine = Engine::build(scores.clone(), profiles.clone());
        for score in &scores {
            prop_assert_eq!(
                engine.ranks_of(&score.id, score.score),
                reference::ranks_of(&scores, &profiles, &score.id, score.score),
                "{:?}", score
            );
            prop_assert_eq!(engine.ranks_of(&score.id, score.score ^ 1).is_some(),
                reference::ranks_of(&scores, &profiles, &score.id, score.score ^ 1).is_some());
        }
        prop_assert_eq!(engine.ranks_of("nobody", 0), None);
    }

    /// Every player of every selection under every sort: `around` lands on the page the
    /// reference computes (the random queries above reach only some of them).
    #[test]
    fn around_finds_every_player_on_the_reference_page(
        profiles in prop::collection::vec(profile_strategy(), 1..10),
        scores in prop::collection::vec(score_strategy(), 0..150),
        page_size in 1..=7u32,
        q in prop_oneof![Just(None), prop::sample::select(QUERY_PREFIXES).prop_map(|q| Some(q.to_string()))],
        (period, at, view) in period_strategy(),
    ) {
        let boards = Boards::new(Arc::new(Engine::build(scores.clone(), profiles.clone())));
        let modes = std::iter::once(None).chain(MODES.iter().map(|m| Some(m.to_string())));
        for mode in modes {
            for region in [None, Some("Andromeda".to_string()), Some("Milky Way".to_string())] {
                for sort in SortKey::ALL {
                    for order in [SortOrder::Asc, SortOrder::Desc] {
                        for profile in &profiles {
                            let query = with_period(LeaderboardQuery {
                                page: 1,
                                page_size,
                                mode: mode.clone(),
                                region: region.clone(),
                                sort,
                                order,
                                q: q.clone(),
                                around: Some(profile.id.clone()),
                                ..LeaderboardQuery::default()
                            }, period, at, view);
                            let expected = reference::query(&scores, &profiles, &query);
                            prop_assert_eq!(boards.query(&query), expected, "query {:?}", query);
                        }
                    }
                }
            }
        }
    }
}
