use serde::{Deserialize, Serialize};

/// One high score, exactly as the game's `scores.json` documents hold it
/// (`id`, `profileId`, `score`, `gameMode`, `gameRegion`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreRecord {
    pub id: String,
    pub profile_id: String,
    pub score: i64,
    pub game_mode: String,
    pub game_region: String,
}

/// A player's profile, exactly as the game's `profiles.json` documents hold it
/// (`id`, `userName`, `avatarUrl`, `achievements`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: String,
    pub user_name: String,
    pub avatar_url: String,
    /// The game repeats achievements (one per time it was earned); clients de-duplicate.
    #[serde(default)]
    pub achievements: Vec<String>,
}
