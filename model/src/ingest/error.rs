//! Why a posted body is refused, as a field path (`param`) and a sentence.

use std::borrow::Cow;
use std::fmt;

use super::sent::{PROFILE_FIELDS, SCORE_FIELDS};
use super::{MAX_ACHIEVEMENTS, MAX_BATCH, MAX_POSTED_SCORE};
use crate::text::{Excerpt, Found, SHOWN_CHARS};
use crate::PlayedAtError;

/// A posted body that cannot be accepted (the function answers `400`): where, and what is
/// wrong. The sentence is built only by `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostError {
    /// The batch element at fault; `None` for a single score or the body as a whole.
    pub at: Option<usize>,
    pub field: PostField,
    pub problem: PostProblem,
}

/// A place in a posted body, as errors name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostField {
    /// The body as a whole.
    Body,
    /// A whole batch element (`[3]`).
    Element,
    Id,
    ProfileId,
    Score,
    GameMode,
    GameRegion,
    PlayedAt,
    Profile,
    UserName,
    AvatarUrl,
    Achievements,
    /// One achievement, by its index.
    Achievement(usize),
    /// A key the score (or, `in_profile`, its profile) does not have.
    Unknown {
        key: String,
        in_profile: bool,
    },
}

/// Whether text counts in bytes or in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Bytes,
    Characters,
}

/// What is wrong at a [`PostField`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostProblem {
    /// The body is not JSON (the parser's message).
    NotJson(String),
    BodyNotScores(Found),
    EmptyBatch,
    BatchTooLarge(usize),
    ElementNotScore(Found),
    /// The field is [`PostField::Unknown`].
    UnknownField,
    /// The same key twice in one object.
    RepeatedField,
    Required,
    NotText(Found),
    Empty,
    TooLong {
        len: usize,
        max: usize,
        unit: Unit,
    },
    ControlCharacters,
    Blank,
    ScoreNotANumber(Found),
    ScoreNotWhole(String),
    ScoreOutOfRange,
    ProfileNotObject(Found),
    TooManyAchievements(usize),
    AchievementsNotList(Found),
    AvatarCharacters,
    AvatarScheme(String),
    /// `playedAt` is not an accepted time, or too far in the future.
    PlayedAt(PlayedAtError),
    /// The `id` of an earlier element (its index) in the same batch.
    RepeatedId {
        id: String,
        first: usize,
    },
}

/// A body field's name, prefixed with its batch position when the post was a batch:
/// `id` or `[3].id`.
pub fn batch_param(at: Option<usize>, field: &str) -> String {
    match at {
        Some(index) => format!("[{index}].{field}"),
        None => field.to_string(),
    }
}

impl PostField {
    /// The field's path within one score (`profile.achievements[2]`).
    fn name(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            PostField::Body => "body",
            PostField::Element => "",
            PostField::Id => "id",
            PostField::ProfileId => "profileId",
            PostField::Score => "score",
            PostField::GameMode => "gameMode",
            PostField::GameRegion => "gameRegion",
            PostField::PlayedAt => "playedAt",
            PostField::Profile => "profile",
            PostField::UserName => "profile.userName",
            PostField::AvatarUrl => "profile.avatarUrl",
            PostField::Achievements => "profile.achievements",
            PostField::Achievement(index) => {
                return Cow::Owned(format!("profile.achievements[{index}]"))
            }
            PostField::Unknown { key, in_profile } => {
                let prefix = if *in_profile { "profile." } else { "" };
                return Cow::Owned(format!("{prefix}{}", Excerpt(key)));
            }
        })
    }

    /// The field named by a score's or a profile's key.
    pub(crate) fn of_key(key: &str) -> PostField {
        match key {
            "id" => PostField::Id,
            "profileId" => PostField::ProfileId,
            "score" => PostField::Score,
            "gameMode" => PostField::GameMode,
            "gameRegion" => PostField::GameRegion,
            "playedAt" => PostField::PlayedAt,
            "profile" => PostField::Profile,
            "userName" => PostField::UserName,
            "avatarUrl" => PostField::AvatarUrl,
            _ => PostField::Achievements,
        }
    }
}

/// A key that can stand in a field path as it is: a short plain name. Any other unknown
/// key is reported at the object holding it, so a `param` never looks like a path the
/// body does not have (`"profile.userName"` sent as one key).
fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= SHOWN_CHARS
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'$'))
}

impl PostError {
    pub(crate) fn new(at: Option<usize>, field: PostField, problem: PostProblem) -> PostError {
        PostError { at, field, problem }
    }

    /// A body the format could not read (malformed JSON, trailing text).
    pub fn not_json(detail: impl fmt::Display) -> PostError {
        PostError::new(
            None,
            PostField::Body,
            PostProblem::NotJson(detail.to_string()),
        )
    }

    /// The `param` of the error body: the field's path, `[3].`-prefixed in a batch.
    pub fn param(&self) -> String {
        let element = || match self.at {
            Some(index) => format!("[{index}]"),
            None => "body".to_string(),
        };
        match &self.field {
            PostField::Body => "body".to_string(),
            PostField::Element => element(),
            PostField::Unknown { key, in_profile } if !is_plain_key(key) => {
                if *in_profile {
                    batch_param(self.at, "profile")
                } else {
                    element()
                }
            }
            field => batch_param(self.at, &field.name()),
        }
    }
}

impl fmt::Display for PostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.field.name();
        match &self.problem {
            PostProblem::NotJson(detail) => write!(f, "the body is not valid JSON: {detail}"),
            PostProblem::BodyNotScores(found) => write!(
                f,
                "the body must be a score object or an array of them, found {found}"
            ),
            PostProblem::EmptyBatch => f.write_str("the batch is empty: send 1 or more scores"),
            PostProblem::BatchTooLarge(len) => write!(
                f,
                "a batch holds at most {MAX_BATCH} scores, got {len}: split it"
            ),
            PostProblem::ElementNotScore(found) => write!(
                f,
                "each batch element must be a score object, found {found}"
            ),
            PostProblem::UnknownField => {
                let (key, what, known) = match &self.field {
                    PostField::Unknown {
                        key,
                        in_profile: true,
                    } => (key.as_str(), "a profile", &PROFILE_FIELDS[..]),
                    PostField::Unknown { key, .. } => (key.as_str(), "a score", &SCORE_FIELDS[..]),
                    _ => (name.as_ref(), "a score", &SCORE_FIELDS[..]),
                };
                write!(
                    f,
                    "unknown field {:?}: {what} has only {}",
                    Excerpt(key),
                    known.join(", ")
                )
            }
            PostProblem::RepeatedField => {
                write!(f, "{name} is given twice: send each field once")
            }
            PostProblem::Required if self.field == PostField::UserName => {
                write!(f, "{name} is required: the name shown on the leaderboard")
            }
            PostProblem::Required => write!(f, "{name} is required"),
            PostProblem::NotText(found) => write!(f, "{name} must be a string, found {found}"),
            PostProblem::Empty => write!(f, "{name} must not be empty"),
            PostProblem::TooLong { len, max, unit } => {
                let unit = match unit {
                    Unit::Bytes => "bytes",
                    Unit::Characters => "characters",
                };
                write!(f, "{name} must be at most {max} {unit}, got {len}")
            }
            PostProblem::ControlCharacters => {
                write!(f, "{name} must not contain control characters")
            }
            PostProblem::Blank => write!(f, "{name} must not be blank"),
            PostProblem::ScoreNotANumber(found) => {
                write!(f, "score must be a whole number, found {found}")
            }
            PostProblem::ScoreNotWhole(number) => write!(
                f,
                "score must be a whole number (no fraction or exponent), got {number}"
            ),
            PostProblem::ScoreOutOfRange => {
                write!(f, "score must be from 0 to {MAX_POSTED_SCORE}")
            }
            PostProblem::ProfileNotObject(found) => write!(
                f,
                "profile must be an object with userName (and optionally avatarUrl, \
                 achievements), found {found}"
            ),
            PostProblem::TooManyAchievements(len) => write!(
                f,
                "profile.achievements holds at most {MAX_ACHIEVEMENTS} entries, got {len}"
            ),
            PostProblem::AchievementsNotList(found) => write!(
                f,
                "profile.achievements must be an array of strings, found {found}"
            ),
            PostProblem::AvatarCharacters => {
                f.write_str("profile.avatarUrl must not contain spaces, quotes, < > or backslashes")
            }
            PostProblem::AvatarScheme(scheme) => write!(
                f,
                "profile.avatarUrl must be an http(s) URL or a relative one, not {}:",
                Excerpt(scheme)
            ),
            PostProblem::PlayedAt(error) => write!(f, "{name} {error}"),
            PostProblem::RepeatedId { id, first } => write!(
                f,
                "id {:?} repeats the id of [{first}]: each score in a batch needs its own id",
                Excerpt(id)
            ),
        }
    }
}

impl std::error::Error for PostError {}

impl From<PostError> for crate::ApiErrorBody {
    fn from(e: PostError) -> Self {
        crate::ApiErrorBody {
            error: e.to_string(),
            param: Some(e.param()),
        }
    }
}
