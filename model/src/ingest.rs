//! The write path: what the game's servers post to `POST /api/scores`, and the answer.

use serde::{Deserialize, Serialize};

use crate::{Profile, ScoreRecord};

/// Highest score accepted by ingestion (scores are whole, non-negative points).
pub const MAX_POSTED_SCORE: i64 = 1_000_000_000_000;
/// Longest `userName` accepted by ingestion, in characters.
pub const MAX_USER_NAME_CHARS: usize = 64;
/// Longest id (score or profile) accepted by ingestion, in bytes.
pub const MAX_ID_LEN: usize = 128;
/// Most scores in one batch post.
pub const MAX_BATCH: usize = 1000;

/// One posted score, in the original document format; `id` is assigned when absent and
/// `profile` creates or updates the player's profile. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScorePost {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub profile_id: String,
    pub score: i64,
    pub game_mode: String,
    pub game_region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfilePost>,
}

/// The player's profile sent along with a score (its id is the score's `profileId`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfilePost {
    pub user_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievements: Option<Vec<String>>,
}

/// The answer for one accepted score (`201`; a batch answers a list of these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostedScore {
    pub score: ScoreRecord,
    pub profile: Profile,
    /// `false` when this id was already stored (an idempotent retry): nothing changed.
    pub created: bool,
    /// The score's competition rank in each leaderboard it belongs to: all, its mode, its
    /// region, and its mode in its region.
    pub ranks: Vec<BoardRank>,
}

/// A rank in one leaderboard selection (`null` filter = all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardRank {
    pub mode: Option<String>,
    pub region: Option<String>,
    pub rank: u64,
}
