//! `POST /api/scores`: how the game's servers add scores. README.md ("`POST /api/scores`")
//! documents the endpoint; the model ([`leaderboard_model::PostBody`]) owns its rules.
//!
//! Invariants: checks run in this order (configured, authorised, content type, size, JSON,
//! fields), so a request without the key gets nothing parsed; the whole body is valid
//! before the one store call, so a store never sees a half-valid batch.

mod body;
mod key;

use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use leaderboard_model::PostedScore;

pub use body::{PostedScores, MAX_BODY_BYTES, MAX_DRAINED_BYTES};
pub use key::{Authorized, IngestKey, IngestKeyError, MAX_INGEST_KEY_LEN, MIN_INGEST_KEY_LEN};

use super::error::ApiError;
use super::AppState;
use crate::store::NewScore;
use crate::unique::assign_score_id;

/// `POST /api/scores`.
pub async fn post_scores(
    State(app): State<AppState>,
    _: Authorized,
    headers: HeaderMap,
    PostedScores(posts): PostedScores,
) -> Result<Posted, ApiError> {
    let batch = posts.is_batch();
    let scores: Vec<NewScore> = posts
        .into_vec()
        .into_iter()
        .map(|post| NewScore::from(post.into_records(assign_score_id)))
        .collect();
    let mut posted = app
        .store
        .post_scores(scores.clone())
        .await
        .map_err(|e| ApiError::from(e).in_batch(batch.then_some(&scores[..])))?;
    let base = app.public_base(&headers);
    for entry in &mut posted {
        entry.profile.avatar_url = base.resolve_avatar(&entry.profile.avatar_url);
    }
    let status = if posted.iter().any(|p| p.created) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = if batch {
        PostedBody::Many(posted)
    } else {
        let one = posted.pop().ok_or_else(|| ApiError::StoreUnavailable {
            reason: "the store answered a post with no entry".to_string(),
        })?;
        PostedBody::One(Box::new(one))
    };
    Ok(Posted { status, body })
}

/// Any other method on `/api/scores`.
pub async fn post_only(method: Method) -> ApiError {
    ApiError::PostOnly { method }
}

/// The answer to an accepted post.
pub struct Posted {
    status: StatusCode,
    body: PostedBody,
}

enum PostedBody {
    One(Box<PostedScore>),
    Many(Vec<PostedScore>),
}

impl IntoResponse for Posted {
    fn into_response(self) -> Response {
        let no_store = [(CACHE_CONTROL, HeaderValue::from_static("no-store"))];
        match self.body {
            PostedBody::One(one) => (self.status, no_store, Json(one)).into_response(),
            PostedBody::Many(many) => (self.status, no_store, Json(many)).into_response(),
        }
    }
}
