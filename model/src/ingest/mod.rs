//! The write path: what the game's servers post to `POST /api/scores`, its rules, and the
//! answer. README.md ("`POST /api/scores`") is the user documentation.
//!
//! A body is read leniently ([`PostBody`], any serde format) and then judged whole by
//! [`PostBody::validate`], which gives typed [`ScorePost`]s or one [`PostError`] naming the
//! field. Invariants: nothing here stores or assigns anything, so a store only ever sees
//! scores that passed every rule; unknown and repeated keys are refused, never ignored or
//! overwritten.

mod error;
mod sent;
mod validate;

use serde::{Deserialize, Deserializer, Serialize};

pub use error::{batch_param, PostError, PostField, PostProblem, Unit};
pub use sent::PostBody;
pub use validate::check_id;

use crate::url::DEFAULT_AVATAR_PATH;
use crate::{Profile, ScoreRecord};

/// Highest score accepted by ingestion (scores are whole, non-negative points).
pub const MAX_POSTED_SCORE: i64 = 1_000_000_000_000;
/// Longest `userName` accepted by ingestion, in characters.
pub const MAX_USER_NAME_CHARS: usize = 64;
/// Longest id (score or profile) accepted by ingestion, in bytes.
pub const MAX_ID_LEN: usize = 128;
/// Most scores in one batch post.
pub const MAX_BATCH: usize = 1000;
/// Most achievements in one posted profile.
pub const MAX_ACHIEVEMENTS: usize = 500;
/// Longest achievement, in characters.
pub const MAX_ACHIEVEMENT_CHARS: usize = 100;

/// One posted score, in the original document format; `id` is assigned when absent and
/// `profile` creates or updates the player's profile.
///
/// Deserialising one applies every rule of [`PostBody::validate`] (unknown fields are
/// refused); its `Serialize` writes what a game server posts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(description = "One posted score, in the original document format; `id` is assigned when absent and `profile` creates or replaces the player's profile. Unknown fields and fields sent twice are refused.", example = json!({"id": "match-8812-452", "profileId": "452", "score": 98700, "gameMode": "Solo", "gameRegion": "Andromeda", "profile": {"userName": "ZeroAce", "avatarUrl": "images/avatars/planet.svg", "achievements": ["Atom Smasher"]}})))]
pub struct ScorePost {
    /// Assigned when absent; send your own to make retries safe.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub profile_id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 1_000_000_000_000_f64)
    )]
    pub score: i64,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub game_mode: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub game_region: String,
    /// Creates the player or replaces the stored profile; required when `profileId` is new.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfilePost>,
}

/// The player's profile sent along with a score (its id is the score's `profileId`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfilePost {
    /// Not blank; at most 64 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub user_name: String,
    /// http(s) or relative; default `images/avatars/default.svg`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2048))]
    pub avatar_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub achievements: Option<Vec<String>>,
}

/// A valid body: one score, or a batch (answered with a list, in the order sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScorePosts {
    One(ScorePost),
    Batch(Vec<ScorePost>),
}

impl ScorePosts {
    pub fn is_batch(&self) -> bool {
        matches!(self, ScorePosts::Batch(_))
    }

    pub fn into_vec(self) -> Vec<ScorePost> {
        match self {
            ScorePosts::One(post) => vec![post],
            ScorePosts::Batch(posts) => posts,
        }
    }
}

impl ScorePost {
    /// The documents this post stores: the score (its id, or `new_id()` when it came
    /// without one) and the profile, defaults filled in, when one came.
    pub fn into_records(self, new_id: impl FnOnce() -> String) -> (ScoreRecord, Option<Profile>) {
        let profile = self.profile.map(|profile| Profile {
            id: self.profile_id.clone(),
            user_name: profile.user_name,
            avatar_url: profile
                .avatar_url
                .unwrap_or_else(|| DEFAULT_AVATAR_PATH.to_string()),
            achievements: profile.achievements.unwrap_or_default(),
        });
        let score = ScoreRecord {
            id: self.id.unwrap_or_else(new_id),
            profile_id: self.profile_id,
            score: self.score,
            game_mode: self.game_mode,
            game_region: self.game_region,
        };
        (score, profile)
    }
}

impl<'de> Deserialize<'de> for ScorePost {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match sent::Sent::<sent::SentScore>::deserialize(deserializer)? {
            sent::Sent::Given(score) => score.validate(None).map_err(D::Error::custom),
            _ => Err(D::Error::custom("a posted score must be a JSON object")),
        }
    }
}

/// The answer for one accepted score (`201`; a batch answers a list of these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardRank {
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub mode: Option<String>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub region: Option<String>,
    pub rank: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate(body: &str) -> Result<ScorePosts, PostError> {
        let body: PostBody = serde_json::from_str(body).map_err(PostError::not_json)?;
        body.validate()
    }

    fn param_of(body: &str) -> String {
        match validate(body) {
            Err(error) => error.param(),
            Ok(posts) => panic!("expected a 400 for {body}, got {posts:?}"),
        }
    }

    fn message_of(body: &str) -> String {
        validate(body).unwrap_err().to_string()
    }

    const OK: &str = r#"{"profileId":"p1","score":5,"gameMode":"Solo","gameRegion":"Milky Way"}"#;

    fn with_profile(profile: &str) -> String {
        OK.replace('}', &format!(",\"profile\":{profile}}}"))
    }

    #[test]
    fn a_missing_id_is_assigned_and_defaults_fill_the_profile() {
        let body = r#"{"profileId":"p1","score":5,"gameMode":"Solo","gameRegion":"M",
                       "profile":{"userName":"Ann"}}"#;
        let posts = validate(body).unwrap();
        assert!(!posts.is_batch());
        let post = posts.into_vec().remove(0);
        let (score, profile) = post.into_records(|| "new-id".to_string());
        assert_eq!(score.id, "new-id");
        let profile = profile.unwrap();
        assert_eq!(
            (profile.id.as_str(), profile.avatar_url.as_str()),
            ("p1", DEFAULT_AVATAR_PATH)
        );
        assert!(profile.achievements.is_empty());
    }

    #[test]
    fn errors_name_the_field_and_the_batch_position() {
        assert_eq!(param_of("nope"), "body");
        assert_eq!(param_of("[]"), "body");
        assert_eq!(param_of("42"), "body");
        assert_eq!(param_of(&OK.replace('5', "-1")), "score");
        assert_eq!(param_of(&OK.replace('5', "5.5")), "score");
        assert_eq!(param_of(&OK.replace("\"Solo\"", "\"\"")), "gameMode");
        assert_eq!(param_of(&OK.replace("\"p1\"", "7")), "profileId");
        assert_eq!(param_of(&OK.replace('{', "{\"extra\":1,")), "extra");
        assert_eq!(
            param_of(&format!("[{OK},{OK},{}]", OK.replace('5', "\"5\""))),
            "[2].score"
        );
        assert_eq!(param_of(&format!("[{OK},3]")), "[1]");
        assert_eq!(
            param_of(&with_profile(r#"{"avatarUrl":"a.png"}"#)),
            "profile.userName"
        );
        assert_eq!(
            param_of(&with_profile(
                r#"{"userName":"A","avatarUrl":"javascript:alert(1)"}"#
            )),
            "profile.avatarUrl"
        );
        assert_eq!(
            param_of(&with_profile(r#"{"userName":"A","achievements":["x",""]}"#)),
            "profile.achievements[1]"
        );
        assert_eq!(
            param_of(&with_profile(r#"{"userName":"A","nick":"B"}"#)),
            "profile.nick"
        );
    }

    /// The 400 sentences clients see, word for word.
    #[test]
    fn messages_are_the_published_sentences() {
        let cases = [
            ("[]", "the batch is empty: send 1 or more scores"),
            (
                "42",
                "the body must be a score object or an array of them, found the number 42",
            ),
            (
                &OK.replace('5', "-1"),
                "score must be from 0 to 1000000000000",
            ),
            (
                &OK.replace('5', "18446744073709551615"),
                "score must be from 0 to 1000000000000",
            ),
            (
                &OK.replace('5', "12.5"),
                "score must be a whole number (no fraction or exponent), got 12.5",
            ),
            (
                &OK.replace('5', "1e3"),
                "score must be a whole number (no fraction or exponent), got 1000.0",
            ),
            (&OK.replace("\"score\":5,", ""), "score is required"),
            (&OK.replace('5', "null"), "score is required"),
            (
                &OK.replace("\"Solo\"", "\"\""),
                "gameMode must not be empty",
            ),
            (
                &OK.replace("\"Solo\"", &format!("\"{}\"", "x".repeat(101))),
                "gameMode must be at most 100 bytes, got 101",
            ),
            (
                &OK.replace("\"p1\"", "\"p\\t1\""),
                "profileId must not contain control characters",
            ),
            (
                &OK.replace('{', "{\"color\":1,\"colour\":2,"),
                "unknown field \"color\": a score has only id, profileId, score, gameMode, \
                 gameRegion, profile",
            ),
            (
                &with_profile("\"Nova\""),
                "profile must be an object with userName (and optionally avatarUrl, \
                 achievements), found a string \"Nova\"",
            ),
            (
                &with_profile("{}"),
                "profile.userName is required: the name shown on the leaderboard",
            ),
            (
                &with_profile(r#"{"userName":"  "}"#),
                "profile.userName must not be blank",
            ),
            (
                &with_profile(&format!(r#"{{"userName":"{}"}}"#, "é".repeat(65))),
                "profile.userName must be at most 64 characters, got 65",
            ),
            (
                &with_profile(r#"{"userName":"A","avatarUrl":"a b.png"}"#),
                "profile.avatarUrl must not contain spaces, quotes, < > or backslashes",
            ),
            (
                &with_profile(r#"{"userName":"A","avatarUrl":"data:image/png;base64,AA"}"#),
                "profile.avatarUrl must be an http(s) URL or a relative one, not data:",
            ),
            (
                &with_profile(r#"{"userName":"A","achievements":["ok",3]}"#),
                "profile.achievements[1] must be a string, found the number 3",
            ),
            (
                &with_profile(r#"{"userName":"A","achievements":"King"}"#),
                "profile.achievements must be an array of strings, found a string \"King\"",
            ),
            (
                &format!(
                    r#"[{},{}]"#,
                    OK.replace('{', "{\"id\":\"a\","),
                    OK.replace('{', "{\"id\":\"a\",")
                ),
                "id \"a\" repeats the id of [0]: each score in a batch needs its own id",
            ),
            (
                &format!("[{OK},null]"),
                "each batch element must be a score object, found null",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(message_of(body), expected, "{body}");
        }
        let many = format!("[{}]", vec![OK; MAX_BATCH + 1].join(","));
        assert_eq!(
            message_of(&many),
            "a batch holds at most 1000 scores, got 1001: split it"
        );
        assert!(message_of("{not json").starts_with("the body is not valid JSON: "));
        assert!(message_of(&format!("{OK} x")).starts_with("the body is not valid JSON: "));
    }

    #[test]
    fn problems_are_reported_in_a_fixed_order() {
        // Unknown keys first, the smallest in byte order whatever the order sent.
        let both = OK
            .replace('{', "{\"zeta\":1,\"alpha\":2,")
            .replace('5', "-1");
        assert_eq!(param_of(&both), "alpha");
        // Earlier batch elements before later ones, whatever the kind of problem.
        let batch = format!(
            "[{},{}]",
            OK.replace('5', "-1"),
            OK.replace('{', "{\"extra\":1,")
        );
        assert_eq!(param_of(&batch), "[0].score");
    }

    /// Regression: a key sent twice used to be read as its last value, silently.
    #[test]
    fn a_key_sent_twice_is_refused_naming_the_field() {
        let twice = OK.replace('{', "{\"score\":900,");
        assert_eq!(param_of(&twice), "score");
        assert_eq!(
            message_of(&twice),
            "score is given twice: send each field once"
        );
        let in_profile = with_profile(r#"{"userName":"A","userName":"B"}"#);
        assert_eq!(
            param_of(&format!("[{OK},{in_profile}]")),
            "[1].profile.userName"
        );
    }

    /// Regression: an unknown key that reads like a field path is reported at the object
    /// holding it, so `param` never names a field the body does not have.
    #[test]
    fn an_unknown_key_that_looks_like_a_path_is_reported_at_its_object() {
        let dotted = OK.replace('{', "{\"profile.userName\":\"x\",");
        assert_eq!(param_of(&dotted), "body");
        assert!(message_of(&dotted).starts_with("unknown field \"profile.userName\""));
        assert_eq!(param_of(&format!("[{OK},{dotted}]")), "[1]");
        let bracketed = with_profile(r#"{"userName":"A","achievements[0]":"x"}"#);
        assert_eq!(param_of(&bracketed), "profile");
        let long = OK.replace('{', &format!("{{\"{}\":1,", "k".repeat(41)));
        assert_eq!(param_of(&long), "body");
        assert_eq!(param_of(&OK.replace('{', "{\"_rid\":1,")), "_rid");
    }

    #[test]
    fn a_score_post_deserialises_only_under_the_rules_and_round_trips() {
        let post: ScorePost =
            serde_json::from_str(&with_profile(r#"{"userName":"A","achievements":["x"]}"#))
                .unwrap();
        let again: ScorePost =
            serde_json::from_str(&serde_json::to_string(&post).unwrap()).unwrap();
        assert_eq!(again, post);
        let unknown = serde_json::from_str::<ScorePost>(&OK.replace('{', "{\"extra\":1,"));
        assert!(unknown.unwrap_err().to_string().contains("unknown field"));
        assert!(serde_json::from_str::<ScorePost>("[1]").is_err());
    }

    #[test]
    fn null_counts_as_absent_except_inside_a_list() {
        let body = OK.replace('{', "{\"id\":null,\"profile\":null,");
        let post = validate(&body).unwrap().into_vec().remove(0);
        assert_eq!((post.id, post.profile), (None, None));
        assert_eq!(
            message_of(&with_profile(r#"{"userName":"A","achievements":[null]}"#)),
            "profile.achievements[0] must be a string, found null"
        );
    }

    #[test]
    fn an_id_in_a_path_follows_the_posted_ids_rule() {
        assert_eq!(check_id("s-01"), Ok(()));
        assert_eq!(check_id(&"x".repeat(MAX_ID_LEN)), Ok(()));
        for (id, wanted) in [
            ("", "id must not be empty"),
            ("a\nb", "id must not contain control characters"),
        ] {
            let error = check_id(id).unwrap_err();
            assert_eq!(
                (error.param(), error.to_string()),
                ("id".to_string(), wanted.to_string())
            );
        }
        let long = check_id(&"x".repeat(MAX_ID_LEN + 1)).unwrap_err();
        assert_eq!(long.to_string(), "id must be at most 128 bytes, got 129");
        // The same id posted in a body breaks the same rule, with the same words.
        let posted =
            validate(r#"{"id":"","profileId":"p","score":1,"gameMode":"m","gameRegion":"r"}"#);
        assert_eq!(posted.unwrap_err(), check_id("").unwrap_err());
    }
}
