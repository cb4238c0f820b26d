use serde::{Deserialize, Serialize};

use crate::PlayedAt;

/// One high score, exactly as the game's `scores.json` documents hold it
/// (`id`, `profileId`, `score`, `gameMode`, `gameRegion`), and when it was played
/// (`playedAt`) when that is known.
///
/// `ScoreRecord` is the owned form everyone reads and stores. The text type is a parameter
/// only so that a server can write the same JSON from strings it borrows
/// (`ScoreRecord<&str>`): one definition of the wire shape for both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(bound = "", description = "One high score, as the game's `scores.json` documents hold it.", example = json!({"id": "1071", "profileId": "452", "score": 999999, "gameMode": "Solo", "gameRegion": "Triangulum"})))]
pub struct ScoreRecord<Text = String> {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: Text,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub profile_id: Text,
    pub score: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub game_mode: Text,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub game_region: Text,
    // Must stay the last field: the Redis store's post script finds a stored score's time
    // at the end of its JSON (`function/src/store/redis/post.rs`).
    /// When the score was played, in UTC, always written `YYYY-MM-DDTHH:MM:SS.sssZ`.
    /// Absent (not written at all) for a score without a time, such as the original's
    /// documents: their answers stay exactly the original's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime, example = "2026-05-04T18:30:00.000Z"))]
    pub played_at: Option<PlayedAt>,
}

/// A player's profile, exactly as the game's `profiles.json` documents hold it
/// (`id`, `userName`, `avatarUrl`, `achievements`).
///
/// `Profile` is the owned form; the parameters let a server write the same JSON from
/// borrowed text, an avatar URL assembled from pieces and a borrowed achievement list
/// (see [`ScoreRecord`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(bound = "", description = "A player's profile, as the game's `profiles.json` documents hold it; `avatarUrl` is absolute in answers.", example = json!({"id": "452", "userName": "ZeroAce", "avatarUrl": "https://game.example/api/images/avatars/planet.svg", "achievements": ["Atom Smasher", "Event Horizon", "Cruiser"]})))]
pub struct Profile<Text = String, AvatarUrl = String, Achievements = Vec<String>> {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: Text,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub user_name: Text,
    /// Absolute in responses (resolved against the public base URL).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub avatar_url: AvatarUrl,
    /// The game repeats achievements (one per time it was earned); clients de-duplicate.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, required = true))]
    pub achievements: Achievements,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_is_written_last_in_canonical_form_and_an_untimed_score_writes_none() {
        let mut score = ScoreRecord {
            id: "s1".to_string(),
            profile_id: "p1".to_string(),
            score: 5,
            game_mode: "Solo".to_string(),
            game_region: "Milky Way".to_string(),
            played_at: None,
        };
        let untimed =
            r#"{"id":"s1","profileId":"p1","score":5,"gameMode":"Solo","gameRegion":"Milky Way"}"#;
        assert_eq!(serde_json::to_string(&score).unwrap(), untimed);
        assert_eq!(serde_json::from_str::<ScoreRecord>(untimed).unwrap(), score);
        score.played_at = PlayedAt::parse("2026-05-04T18:30:00+00:00").ok();
        let timed = serde_json::to_string(&score).unwrap();
        assert_eq!(
            timed,
            untimed.replace('}', r#","playedAt":"2026-05-04T18:30:00.000Z"}"#)
        );
        assert_eq!(serde_json::from_str::<ScoreRecord>(&timed).unwrap(), score);
    }
}
