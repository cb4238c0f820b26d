//! A deterministic synthetic data set shaped like the game's: numeric string ids, player
//! names with mixed case and shared prefixes, 3 modes, 7 regions, scores with many ties,
//! players with uneven numbers of scores. Shared by the bench and the footprint example.

use leaderboard_model::{Profile, ScoreRecord};

/// SplitMix64: small, fast, and the same sequence on every machine.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len() as u64) as usize)
            .copied()
            .unwrap_or("")
    }
}

pub const MODES: &[&str] = &["Solo", "Duo", "Trio"];
pub const REGIONS: &[&str] = &[
    "Milky Way",
    "Andromeda",
    "Pinwheel",
    "NGC 1300",
    "Messier 82",
    "Ring Nebula",
    "Sombrero",
];
const STARTS: &[&str] = &[
    "nova", "Quasar", "pixel", "Star", "void", "Comet", "astro", "Nebula", "orbit", "Zoë", "Ka",
    "ka", "Luna", "sol", "Élan", "drift",
];
const ENDS: &[&str] = &[
    "hunter", "Fox", "ace", "Rider", "walker", "_x", "Blade", "storm", "99", "Pilot", "ling",
];

pub fn dataset(
    score_count: usize,
    profile_count: usize,
    seed: u64,
) -> (Vec<ScoreRecord>, Vec<Profile>) {
    let mut rng = SplitMix(seed);
    let profiles: Vec<Profile> = (0..profile_count)
        .map(|index| {
            let name = format!("{}{}{}", rng.pick(STARTS), rng.pick(ENDS), rng.below(1000));
            Profile {
                id: (index + 1).to_string(),
                user_name: name,
                avatar_url: "images/avatars/default.svg".to_string(),
                achievements: vec!["First Flight".to_string(); rng.below(4) as usize],
            }
        })
        .collect();
    let scores = (0..score_count)
        .map(|index| {
            // Skewed towards low profile numbers: some players post far more than others.
            let owner = (rng.below(profile_count as u64) * rng.below(profile_count as u64))
                / profile_count.max(1) as u64;
            ScoreRecord {
                id: (index + 1).to_string(),
                profile_id: (owner + 1).to_string(),
                score: rng.below(200_000) as i64,
                game_mode: rng.pick(MODES).to_string(),
                game_region: rng.pick(REGIONS).to_string(),
                played_at: None,
            }
        })
        .collect();
    (scores, profiles)
}
