//! Random leaderboard data for the engine's property tests: duplicate score and profile ids,
//! names that differ only in case, modes and regions listed but never used.

use leaderboard_engine::{ScoreRow, ScoreRows};
use leaderboard_model::{PlayedAt, Profile};
use proptest::prelude::*;

pub const NAMES: &[&str] = &[
    "alice",
    "Alice",
    "bob",
    "Zoë",
    "zoë",
    "nova",
    "Nova Hunter",
    "",
];
pub const MODES: &[&str] = &["Solo", "Duo", "Trio", "solo", "Unused"];
pub const REGIONS: &[&str] = &["Milky Way", "Andromeda", "Pinwheel", "Unused"];

fn profiles_strategy() -> impl Strategy<Value = Vec<Profile>> {
    prop::collection::vec((0..10u32, prop::sample::select(NAMES), 0..3usize), 1..14).prop_map(
        |list| {
            list.into_iter()
                .map(|(id, name, achievements)| Profile {
                    // Repeated ids: the first of each is the one served.
                    id: format!("p{id}"),
                    user_name: name.to_string(),
                    avatar_url: format!("images/avatars/{id}.svg"),
                    achievements: vec!["First Flight".to_string(); achievements],
                })
                .collect()
        },
    )
}

fn rows_strategy(profiles: usize) -> impl Strategy<Value = ScoreRows> {
    prop::collection::vec(
        (
            0..200u32,
            0..profiles as u32,
            prop_oneof![8 => 0..12i64, 1 => any::<i64>()],
            0..MODES.len() as u32,
            0..REGIONS.len() as u32 - 1,
            prop::option::of(0..=PlayedAt::MAX.unix_millis()),
        ),
        0..120,
    )
    .prop_map(|list| {
        let mut rows = ScoreRows {
            modes: MODES.iter().map(|m| m.to_string()).collect(),
            regions: REGIONS.iter().map(|r| r.to_string()).collect(),
            ..ScoreRows::default()
        };
        for (id, profile, score, mode, region, time) in list {
            let id_start = rows.ids.len();
            rows.ids.push_str(&format!("s{id}"));
            rows.rows.push(ScoreRow {
                id_start,
                id_end: rows.ids.len(),
                score,
                profile,
                mode,
                region,
                played_at: time.and_then(PlayedAt::from_unix_millis),
            });
        }
        rows
    })
}

pub fn data_strategy() -> impl Strategy<Value = (Vec<Profile>, ScoreRows)> {
    profiles_strategy().prop_flat_map(|profiles| {
        let count = profiles.len();
        (Just(profiles), rows_strategy(count))
    })
}

/// Every filter, sort, order, `q` and `around` the random data can meet, without page or
/// page size (empty values left out).
pub fn shapes() -> Vec<Vec<(&'static str, &'static str)>> {
    let mut shapes = Vec::new();
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
                            ];
                            shapes.push(pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect());
                        }
                    }
                }
            }
        }
    }
    shapes
}
