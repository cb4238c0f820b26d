//! `POST /api/scores`: how the game's servers add scores. README.md ("`POST /api/scores`")
//! documents the endpoint; the model ([`leaderboard_model::PostBody`]) owns its rules.
//!
//! Invariants: checks run in this order (configured, authorised, content type, size, JSON,
//! fields), so a request without the key gets nothing parsed; the whole body is valid
//! before the one store call, so a store never sees a half-valid batch.

mod body;

use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use leaderboard_model::{ApiErrorBody, PostedScore};
use serde::Serialize;
use utoipa::ToSchema;

pub use body::{PostedScores, MAX_BODY_BYTES, MAX_DRAINED_BYTES};

use super::bearer::{Authorized, Ingest};
use super::error::ApiError;
use super::openapi::ScoreBody;
use super::AppState;
use crate::store::NewScore;
use crate::unique::assign_score_id;

/// `POST /api/scores`.
#[utoipa::path(
    post,
    path = "/api/scores",
    tag = "ingestion",
    operation_id = "postScores",
    summary = "Add scores (one, or a batch of 1 to 1000)",
    security(("ingestKey" = [])),
    request_body(content = ScoreBody, content_type = "application/json",
        description = "One score or an array of 1 to 1000, at most 1 MiB. Unknown fields and fields sent twice are refused (`400` naming the field)."),
    responses(
        (status = 201, description = "Stored: the entry (an array for a batch, in the order sent).", body = PostedBody,
            headers(("Cache-Control" = String, description = "`no-store`."))),
        (status = 200, description = "Every score was already stored with the same content (an idempotent retry): nothing changed.", body = PostedBody,
            headers(("Cache-Control" = String, description = "`no-store`."))),
        (status = 400, description = "A rule of the body was broken; `param` names the field (`score`, `profile.userName`, `[3].score`, `body`).", body = ApiErrorBody),
        (status = 401, description = "Missing or wrong key.", body = ApiErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"leaderboard-ingest\"`, with `error=\"invalid_token\"` when a key was sent."))),
        (status = 404, description = "Ingestion is off (no key configured).", body = ApiErrorBody),
        (status = 409, description = "The `id` is stored with different content (`param` `id` or `[i].id`).", body = ApiErrorBody),
        (status = 413, description = "The body is over 1 MiB.", body = ApiErrorBody),
        (status = 415, description = "The body is not declared as uncompressed `application/json`.", body = ApiErrorBody),
        (status = 503, description = "The store cannot answer now; send the same body again after `Retry-After` seconds.", body = ApiErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying."))),
    ),
)]
pub async fn post_scores(
    State(app): State<AppState>,
    _: Authorized<Ingest>,
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

/// One entry for one posted score, a list (in the order sent) for a batch.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum PostedBody {
    One(Box<PostedScore>),
    Many(Vec<PostedScore>),
}

impl IntoResponse for Posted {
    fn into_response(self) -> Response {
        let no_store = [(CACHE_CONTROL, HeaderValue::from_static("no-store"))];
        (self.status, no_store, Json(self.body)).into_response()
    }
}
