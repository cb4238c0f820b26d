//! Every way a request can fail, mapped once to a status and the API's JSON error body
//! (`{"error": "...", "param": "..."}`).

use std::fmt;

use axum::http::header::{ALLOW, CACHE_CONTROL, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use leaderboard_model::{batch_param, ApiErrorBody, PostError, QueryError};

use super::bearer::Realm;
use crate::store::{NewScore, StoreError};

/// Seconds a client should wait before retrying when the store is unavailable.
pub const RETRY_AFTER_SECONDS: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// A query parameter could not be accepted (`400`).
    BadQuery(QueryError),
    /// `around` named a player with no entry in the selection (`404`, param `around`).
    PlayerNotFound { profile_id: String },
    /// The store cannot answer now (`503` with `Retry-After`).
    StoreUnavailable { reason: String },
    /// A posted score names an unknown profile and sent none (`400`, param `profile`, or
    /// `[i].profile` for the batch element `at`).
    UnknownProfile {
        profile_id: String,
        at: Option<usize>,
    },
    /// A posted score id is stored with different content (`409`, param `id`, or `[i].id`
    /// for the batch element `at`).
    ScoreConflict { id: String, at: Option<usize> },
    /// A posted body breaks a rule of the model (`400`); its `param` names the field,
    /// e.g. `[3].score` in a batch.
    BadPost(PostError),
    /// The post's body ended before its declared end (`400`, param `body`).
    UnreadableBody,
    /// An endpoint of a realm whose key is not configured: `POST /api/scores` without an
    /// ingest key, a removal without an admin key (`404`).
    Disabled(Realm),
    /// No bearer key of the realm, or the wrong one (`401` with `WWW-Authenticate`).
    Unauthorized { realm: Realm, key_sent: bool },
    /// A removal's path id breaks the model's id rule (`400`, param `id`).
    BadId(PostError),
    /// A removal's path id is not UTF-8 once percent-decoded (`400`, param `id`).
    IdNotUtf8,
    /// A removal's path asked with a method other than DELETE (`405` with `Allow: DELETE`).
    DeleteOnly { method: Method },
    /// A post whose body is not declared as uncompressed JSON (`415`).
    UnsupportedMediaType { detail: String },
    /// A post body over the size cap (`413`).
    PayloadTooLarge { limit_bytes: usize },
    /// `/api/scores` asked with a method other than POST (`405` with `Allow: POST`).
    PostOnly { method: Method },
    /// No such path under `/api/` (`404`).
    NotFound { path: String },
    /// No such embedded avatar (`404`).
    AvatarNotFound { name: String },
    /// The path exists but not for this method (`405` with `Allow`).
    MethodNotAllowed { method: Method },
    /// `GET /api/oembed` with a missing or unusable parameter (`400`, param named).
    BadOEmbed {
        param: &'static str,
        problem: String,
    },
    /// `GET /api/oembed` for a URL that is not one of our board pages (`404`, param `url`).
    NotABoard { problem: String },
    /// `GET /api/oembed` asked for a format other than JSON (`501`, param `format`).
    OEmbedFormat { format: String },
    /// A bug: handling the request panicked (`500`).
    Internal,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::BadQuery(e) => write!(f, "{e}"),
            ApiError::PlayerNotFound { profile_id } => write!(
                f,
                "player {profile_id:?} has no score matching these filters"
            ),
            // The reason goes to the log, not to the public.
            ApiError::StoreUnavailable { .. } => write!(
                f,
                "the leaderboard is temporarily unavailable; retry in {RETRY_AFTER_SECONDS} seconds"
            ),
            ApiError::UnknownProfile { profile_id, .. } => write!(
                f,
                "profile {profile_id:?} does not exist: send its profile with the score"
            ),
            ApiError::ScoreConflict { id, .. } => write!(
                f,
                "score {id:?} is already stored with different content; \
                 a retry must repeat the original exactly, a new score needs a new id"
            ),
            ApiError::BadPost(e) => write!(f, "{e}"),
            ApiError::UnreadableBody => write!(f, "the body could not be read to its end"),
            ApiError::Disabled(realm) => {
                let (what, routes) = match realm {
                    Realm::Ingest => ("score ingestion", "POST /api/scores"),
                    Realm::Admin => (
                        "moderation",
                        "DELETE /api/scores/{id} and DELETE /api/players/{id}",
                    ),
                };
                write!(
                    f,
                    "{what} is off on this server: start the function with {} (or {}) set \
                     to a secret key to accept {routes}",
                    realm.env_var(),
                    realm.flag()
                )
            }
            ApiError::Unauthorized {
                realm,
                key_sent: false,
            } => {
                let what = match realm {
                    Realm::Ingest => "posting scores",
                    Realm::Admin => "removing scores and players",
                };
                write!(
                    f,
                    "{what} needs the {}: send Authorization: Bearer <key>",
                    realm.key_name()
                )
            }
            ApiError::Unauthorized {
                realm,
                key_sent: true,
            } => write!(
                f,
                "the {} sent in Authorization is not valid",
                realm.key_name()
            ),
            ApiError::BadId(e) => write!(f, "{e}"),
            ApiError::IdNotUtf8 => write!(
                f,
                "id must be UTF-8 text (percent-encode each of its bytes as UTF-8)"
            ),
            ApiError::DeleteOnly { method } => write!(
                f,
                "method {method} is not allowed here; scores and players are removed with DELETE"
            ),
            ApiError::UnsupportedMediaType { detail } => write!(
                f,
                "send scores as uncompressed JSON with Content-Type: application/json ({detail})"
            ),
            ApiError::PayloadTooLarge { limit_bytes } => write!(
                f,
                "the body is larger than {limit_bytes} bytes: split the batch into smaller posts"
            ),
            ApiError::PostOnly { method } => write!(
                f,
                "method {method} is not allowed here; scores are posted with POST"
            ),
            ApiError::NotFound { path } => write!(f, "no such endpoint: {path}"),
            ApiError::AvatarNotFound { name } => write!(f, "no such avatar: {name:?}"),
            ApiError::MethodNotAllowed { method } => write!(
                f,
                "method {method} is not allowed here; use GET, HEAD or OPTIONS"
            ),
            ApiError::BadOEmbed { param, problem } => write!(f, "{param}: {problem}"),
            ApiError::NotABoard { problem } => {
                write!(f, "not a board page of this leaderboard: {problem}")
            }
            ApiError::OEmbedFormat { format } => write!(
                f,
                "format {format:?} is not implemented; this provider answers json"
            ),
            ApiError::Internal => write!(f, "internal error; please retry"),
        }
    }
}

impl std::error::Error for ApiError {}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        ApiError::BadQuery(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::PlayerNotFound { profile_id } => ApiError::PlayerNotFound { profile_id },
            StoreError::Unavailable { reason } => ApiError::StoreUnavailable { reason },
            StoreError::UnknownProfile { profile_id } => ApiError::UnknownProfile {
                profile_id,
                at: None,
            },
            StoreError::Conflict { id } => ApiError::ScoreConflict { id, at: None },
        }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadQuery(_)
            | ApiError::UnknownProfile { .. }
            | ApiError::BadPost(_)
            | ApiError::UnreadableBody
            | ApiError::BadOEmbed { .. }
            | ApiError::BadId(_)
            | ApiError::IdNotUtf8 => StatusCode::BAD_REQUEST,
            ApiError::NotABoard { .. } => StatusCode::NOT_FOUND,
            ApiError::OEmbedFormat { .. } => StatusCode::NOT_IMPLEMENTED,
            ApiError::ScoreConflict { .. } => StatusCode::CONFLICT,
            ApiError::PlayerNotFound { .. }
            | ApiError::NotFound { .. }
            | ApiError::AvatarNotFound { .. }
            | ApiError::Disabled(_) => StatusCode::NOT_FOUND,
            ApiError::StoreUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::MethodNotAllowed { .. }
            | ApiError::PostOnly { .. }
            | ApiError::DeleteOnly { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn param(&self) -> Option<String> {
        match self {
            ApiError::BadQuery(e) => Some(e.param.to_string()),
            ApiError::PlayerNotFound { .. } => Some("around".to_string()),
            ApiError::UnknownProfile { at, .. } => Some(batch_param(*at, "profile")),
            ApiError::ScoreConflict { at, .. } => Some(batch_param(*at, "id")),
            ApiError::BadPost(e) | ApiError::BadId(e) => Some(e.param()),
            ApiError::IdNotUtf8 => Some("id".to_string()),
            ApiError::PayloadTooLarge { .. } | ApiError::UnreadableBody => Some("body".to_string()),
            ApiError::BadOEmbed { param, .. } => Some(param.to_string()),
            ApiError::NotABoard { .. } => Some("url".to_string()),
            ApiError::OEmbedFormat { .. } => Some("format".to_string()),
            _ => None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::StoreUnavailable { reason } = &self {
            eprintln!("store unavailable: {reason}");
        }
        let body = ApiErrorBody {
            error: self.to_string(),
            param: self.param(),
        };
        let mut response = (self.status(), Json(body)).into_response();
        let headers = response.headers_mut();
        // Errors describe this moment (a store outage, a typo): never cache them.
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        match self {
            ApiError::StoreUnavailable { .. } => {
                headers.insert(RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
            }
            ApiError::MethodNotAllowed { .. } => {
                headers.insert(ALLOW, HeaderValue::from_static("GET, HEAD, OPTIONS"));
            }
            ApiError::PostOnly { .. } => {
                headers.insert(ALLOW, HeaderValue::from_static("POST"));
            }
            ApiError::DeleteOnly { .. } => {
                headers.insert(ALLOW, HeaderValue::from_static("DELETE"));
            }
            ApiError::Unauthorized { realm, key_sent } => {
                // RFC 6750: a wrong key is `invalid_token`; a missing one gets no error code.
                let mut challenge = format!("Bearer realm=\"{}\"", realm.challenge_name());
                if key_sent {
                    challenge.push_str(", error=\"invalid_token\"");
                }
                if let Ok(value) = HeaderValue::from_str(&challenge) {
                    headers.insert(WWW_AUTHENTICATE, value);
                }
            }
            _ => {}
        }
        response
    }
}

impl From<PostError> for ApiError {
    fn from(e: PostError) -> Self {
        ApiError::BadPost(e)
    }
}

impl ApiError {
    /// A store's refusal of one score, pointed at its place when the post was a batch
    /// (`scores`, in the order sent).
    pub fn in_batch(self, scores: Option<&[NewScore]>) -> ApiError {
        let Some(scores) = scores else {
            return self;
        };
        match self {
            ApiError::ScoreConflict { id, .. } => {
                let at = scores.iter().position(|s| s.score.id == id);
                ApiError::ScoreConflict { id, at }
            }
            ApiError::UnknownProfile { profile_id, .. } => {
                let at = scores
                    .iter()
                    .position(|s| s.score.profile_id == profile_id && s.profile.is_none());
                ApiError::UnknownProfile { profile_id, at }
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_their_statuses() {
        let not_found: ApiError = StoreError::PlayerNotFound {
            profile_id: "p1".into(),
        }
        .into();
        assert_eq!(not_found.status(), StatusCode::NOT_FOUND);
        assert_eq!(not_found.param().as_deref(), Some("around"));
        let unavailable: ApiError = StoreError::Unavailable {
            reason: "redis down".into(),
        }
        .into();
        let response = unavailable.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[RETRY_AFTER], "5");
    }

    #[test]
    fn bad_queries_name_their_parameter() {
        let err = leaderboard_model::LeaderboardQuery::from_pairs([("page", "0")]).unwrap_err();
        let api: ApiError = err.into();
        assert_eq!(api.status(), StatusCode::BAD_REQUEST);
        assert_eq!(api.param().as_deref(), Some("page"));
    }
}
