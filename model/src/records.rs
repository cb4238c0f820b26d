use serde::{Deserialize, Serialize};

/// One high score, exactly as the game's `scores.json` documents hold it
/// (`id`, `profileId`, `score`, `gameMode`, `gameRegion`).
///
/// `ScoreRecord` is the owned form everyone reads and stores. The text type is a parameter
/// only so that a server can write the same JSON from strings it borrows
/// (`ScoreRecord<&str>`): one definition of the wire shape for both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreRecord<Text = String> {
    pub id: Text,
    pub profile_id: Text,
    pub score: i64,
    pub game_mode: Text,
    pub game_region: Text,
}

/// A player's profile, exactly as the game's `profiles.json` documents hold it
/// (`id`, `userName`, `avatarUrl`, `achievements`).
///
/// `Profile` is the owned form; the parameters let a server write the same JSON from
/// borrowed text, an avatar URL assembled from pieces and a borrowed achievement list
/// (see [`ScoreRecord`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile<Text = String, AvatarUrl = String, Achievements = Vec<String>> {
    pub id: Text,
    pub user_name: Text,
    pub avatar_url: AvatarUrl,
    /// The game repeats achievements (one per time it was earned); clients de-duplicate.
    #[serde(default)]
    pub achievements: Achievements,
}
