//! The rules of a posted score, applied to what was sent (`sent.rs`) in a fixed order:
//! per object, unknown keys, repeated keys, then each field in document-format order;
//! per batch, its size, each element in order, then repeated ids. The first problem is
//! the answer, so the same body always gets the same error.

use std::collections::HashMap;

use super::error::{PostError, PostField, PostProblem, Unit};
use super::sent::{PostBody, Sent, SentNumber, SentProfile, SentScore, SentShape};
use super::{
    ProfilePost, ScorePost, ScorePosts, MAX_ACHIEVEMENTS, MAX_ACHIEVEMENT_CHARS, MAX_BATCH,
    MAX_ID_LEN, MAX_POSTED_SCORE, MAX_USER_NAME_CHARS,
};
use crate::text::Found;
use crate::url::{UrlKind, MAX_AVATAR_URL_LEN};
use crate::MAX_FILTER_LEN;

impl PostBody {
    /// The scores this body posts, or the first rule it breaks. A batch is judged whole.
    pub fn validate(self) -> Result<ScorePosts, PostError> {
        let body_error = |problem| PostError::new(None, PostField::Body, problem);
        match self.0 {
            Sent::Given(SentShape::One(score)) => Ok(ScorePosts::One(score.validate(None)?)),
            Sent::Given(SentShape::Batch(elements)) => {
                if elements.is_empty() {
                    return Err(body_error(PostProblem::EmptyBatch));
                }
                if elements.len() > MAX_BATCH {
                    return Err(body_error(PostProblem::BatchTooLarge(elements.len())));
                }
                let posts = elements
                    .into_iter()
                    .enumerate()
                    .map(|(index, element)| {
                        let not_a_score = |found| {
                            PostError::new(
                                Some(index),
                                PostField::Element,
                                PostProblem::ElementNotScore(found),
                            )
                        };
                        match element {
                            Sent::Given(score) => score.validate(Some(index)),
                            Sent::Absent => Err(not_a_score(Found::Null)),
                            Sent::Wrong(found) => Err(not_a_score(found)),
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                refuse_repeated_ids(&posts)?;
                Ok(ScorePosts::Batch(posts))
            }
            Sent::Absent => Err(body_error(PostProblem::BodyNotScores(Found::Null))),
            Sent::Wrong(found) => Err(body_error(PostProblem::BodyNotScores(found))),
        }
    }
}

fn refuse_repeated_ids(posts: &[ScorePost]) -> Result<(), PostError> {
    let mut first_of_id: HashMap<&str, usize> = HashMap::new();
    for (index, post) in posts.iter().enumerate() {
        let Some(id) = post.id.as_deref() else {
            continue;
        };
        if let Some(first) = first_of_id.insert(id, index) {
            return Err(PostError::new(
                Some(index),
                PostField::Id,
                PostProblem::RepeatedId {
                    id: id.to_string(),
                    first,
                },
            ));
        }
    }
    Ok(())
}

/// The first unknown or repeated key of an object, as an error.
fn refuse_extra(
    extra: super::sent::Extra,
    at: Option<usize>,
    in_profile: bool,
) -> Result<(), PostError> {
    if let Some(key) = extra.unknown {
        return Err(PostError::new(
            at,
            PostField::Unknown { key, in_profile },
            PostProblem::UnknownField,
        ));
    }
    if let Some(key) = extra.repeated {
        return Err(PostError::new(
            at,
            PostField::of_key(key),
            PostProblem::RepeatedField,
        ));
    }
    Ok(())
}

/// A text field: a string, not empty, at most `max` in `unit`, no control characters.
/// `None` when absent.
fn text(
    value: Sent<String>,
    at: Option<usize>,
    field: PostField,
    max: usize,
    unit: Unit,
) -> Result<Option<String>, PostError> {
    let text = match value {
        Sent::Absent => return Ok(None),
        Sent::Wrong(found) => return Err(PostError::new(at, field, PostProblem::NotText(found))),
        Sent::Given(text) => text,
    };
    match text_problem(&text, max, unit) {
        Some(problem) => Err(PostError::new(at, field, problem)),
        None => Ok(Some(text)),
    }
}

/// What breaks the rule of a text field: not empty, at most `max` in `unit`, no control
/// characters.
fn text_problem(text: &str, max: usize, unit: Unit) -> Option<PostProblem> {
    if text.is_empty() {
        return Some(PostProblem::Empty);
    }
    let len = match unit {
        Unit::Bytes => text.len(),
        Unit::Characters => text.chars().count(),
    };
    if len > max {
        Some(PostProblem::TooLong { len, max, unit })
    } else if text.chars().any(char::is_control) {
        Some(PostProblem::ControlCharacters)
    } else {
        None
    }
}

/// The rule of every id, a score's or a player's: a posted `id` or `profileId`, and the id
/// a removal names in its path (`DELETE /api/scores/{id}`, `DELETE /api/players/{id}`),
/// refused as field `id`.
pub fn check_id(id: &str) -> Result<(), PostError> {
    match text_problem(id, MAX_ID_LEN, Unit::Bytes) {
        Some(problem) => Err(PostError::new(None, PostField::Id, problem)),
        None => Ok(()),
    }
}

fn required_text(
    value: Sent<String>,
    at: Option<usize>,
    field: PostField,
    max: usize,
    unit: Unit,
) -> Result<String, PostError> {
    text(value, at, field.clone(), max, unit)?
        .ok_or_else(|| PostError::new(at, field, PostProblem::Required))
}

impl SentScore {
    /// This score under the rules; `at` is its batch position.
    pub(crate) fn validate(self, at: Option<usize>) -> Result<ScorePost, PostError> {
        refuse_extra(self.extra, at, false)?;
        let id = text(self.id, at, PostField::Id, MAX_ID_LEN, Unit::Bytes)?;
        let profile_id = required_text(
            self.profile_id,
            at,
            PostField::ProfileId,
            MAX_ID_LEN,
            Unit::Bytes,
        )?;
        let score = points(self.score, at)?;
        let game_mode = required_text(
            self.game_mode,
            at,
            PostField::GameMode,
            MAX_FILTER_LEN,
            Unit::Bytes,
        )?;
        let game_region = required_text(
            self.game_region,
            at,
            PostField::GameRegion,
            MAX_FILTER_LEN,
            Unit::Bytes,
        )?;
        let profile = match self.profile {
            Sent::Absent => None,
            Sent::Wrong(found) => {
                return Err(PostError::new(
                    at,
                    PostField::Profile,
                    PostProblem::ProfileNotObject(found),
                ))
            }
            Sent::Given(profile) => Some(profile.validate(at)?),
        };
        Ok(ScorePost {
            id,
            profile_id,
            score,
            game_mode,
            game_region,
            profile,
        })
    }
}

/// A whole number of points in `0..=MAX_POSTED_SCORE`.
fn points(value: Sent<SentNumber>, at: Option<usize>) -> Result<i64, PostError> {
    let problem = match value {
        Sent::Given(SentNumber::Integer(score)) if (0..=MAX_POSTED_SCORE).contains(&score) => {
            return Ok(score)
        }
        Sent::Given(SentNumber::Integer(_) | SentNumber::Huge) => PostProblem::ScoreOutOfRange,
        Sent::Given(SentNumber::NotWhole(number)) => PostProblem::ScoreNotWhole(number),
        Sent::Wrong(found) => PostProblem::ScoreNotANumber(found),
        Sent::Absent => PostProblem::Required,
    };
    Err(PostError::new(at, PostField::Score, problem))
}

impl SentProfile {
    fn validate(self, at: Option<usize>) -> Result<ProfilePost, PostError> {
        refuse_extra(self.extra, at, true)?;
        let user_name = required_text(
            self.user_name,
            at,
            PostField::UserName,
            MAX_USER_NAME_CHARS,
            Unit::Characters,
        )?;
        if user_name.trim().is_empty() {
            return Err(PostError::new(at, PostField::UserName, PostProblem::Blank));
        }
        let avatar_url = match text(
            self.avatar_url,
            at,
            PostField::AvatarUrl,
            MAX_AVATAR_URL_LEN,
            Unit::Bytes,
        )? {
            None => None,
            Some(url) => Some(avatar_url(url, at)?),
        };
        let achievements = match self.achievements {
            Sent::Absent => None,
            Sent::Wrong(found) => {
                return Err(PostError::new(
                    at,
                    PostField::Achievements,
                    PostProblem::AchievementsNotList(found),
                ))
            }
            Sent::Given(items) => Some(achievements(items, at)?),
        };
        Ok(ProfilePost {
            user_name,
            avatar_url,
            achievements,
        })
    }
}

/// An avatar URL a browser can show safely: http(s) or relative, nothing to clean.
fn avatar_url(url: String, at: Option<usize>) -> Result<String, PostError> {
    let problem = if url
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\\'))
    {
        PostProblem::AvatarCharacters
    } else if let UrlKind::Other(scheme) = UrlKind::of(&url) {
        PostProblem::AvatarScheme(scheme.to_string())
    } else {
        return Ok(url);
    };
    Err(PostError::new(at, PostField::AvatarUrl, problem))
}

fn achievements(items: Vec<Sent<String>>, at: Option<usize>) -> Result<Vec<String>, PostError> {
    if items.len() > MAX_ACHIEVEMENTS {
        return Err(PostError::new(
            at,
            PostField::Achievements,
            PostProblem::TooManyAchievements(items.len()),
        ));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let field = PostField::Achievement(index);
            // In a list, `null` is a value of the wrong kind, not an absent field.
            let item = match item {
                Sent::Absent => Sent::Wrong(Found::Null),
                item => item,
            };
            required_text(item, at, field, MAX_ACHIEVEMENT_CHARS, Unit::Characters)
        })
        .collect()
}
