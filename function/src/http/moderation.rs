//! The removals, for operators with the admin key: `DELETE /api/scores/{id}` removes one
//! score from every leaderboard, `DELETE /api/players/{id}` a player's profile and all
//! their scores. README.md ("Moderation") documents them; the store does the removing
//! ([`crate::store::LeaderboardStore::remove`]), the model owns the id rule.
//!
//! Invariants: checks run in this order (configured, authorised, id), so a request without
//! the admin key learns nothing about ids; a removal is one store call, and every accepted
//! removal answers `204` whether or not something was still there (idempotent: the same
//! call twice answers the same).

use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use leaderboard_model::{check_id, ApiErrorBody};

use super::bearer::{Admin, Authorized};
use super::error::ApiError;
use super::AppState;
use crate::store::Removal;

/// `DELETE` one score.
pub const SCORE_ROUTE: &str = "/api/scores/{id}";
/// `DELETE` one player.
pub const PLAYER_ROUTE: &str = "/api/players/{id}";
/// A score removal with an empty id (answered `400` naming `id`).
pub const EMPTY_SCORE_ROUTE: &str = "/api/scores/";
/// A player removal with an empty id (answered `400` naming `id`).
pub const EMPTY_PLAYER_ROUTE: &str = "/api/players/";

/// The `{id}` of the path, percent-decoded and checked by the model's id rule; empty on
/// the routes without one.
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let id = match RawPathParams::from_request_parts(parts, state).await {
            Ok(params) => params
                .iter()
                .find(|(name, _)| *name == "id")
                .map(|(_, value)| value.to_string())
                .unwrap_or_default(),
            Err(RawPathParamsRejection::InvalidUtf8InPathParam(_)) => {
                return Err(ApiError::IdNotUtf8)
            }
            Err(_) => String::new(),
        };
        check_id(&id).map_err(ApiError::BadId)?;
        Ok(PathId(id))
    }
}

/// The answers both removals give besides their `204`, for the OpenAPI document (written
/// once for the two routes; the handlers answer them through [`ApiError`], never build these).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
enum RemovalRefusals {
    #[response(
        status = 400,
        description = "The id breaks the id rule (`param` is `id`)."
    )]
    BadId(ApiErrorBody),
    #[response(status = 401, description = "Missing or wrong admin key (the ingest key is not it).",
        headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"leaderboard-admin\"`, with `error=\"invalid_token\"` when a key was sent.")))]
    Unauthorized(ApiErrorBody),
    #[response(
        status = 404,
        description = "Moderation is off (no admin key configured)."
    )]
    Off(ApiErrorBody),
    #[response(status = 503, description = "The store cannot answer now; send the same request again after `Retry-After` seconds.",
        headers(("Retry-After" = u32, description = "Seconds to wait before retrying.")))]
    Unavailable(ApiErrorBody),
}

/// `DELETE /api/scores/{id}`.
#[utoipa::path(
    delete,
    path = "/api/scores/{id}",
    tag = "moderation",
    operation_id = "removeScore",
    summary = "Remove one score from every leaderboard",
    security(("adminKey" = [])),
    params(("id" = String, Path, min_length = 1, max_length = 128, pattern = r"^[^\u0000-\u001F\u007F-\u009F]+$",
        description = "The score's id (percent-encoded): 1 to 128 bytes, no control characters.")),
    responses(
        (status = 204, description = "The score is not stored (any more): removed now from all four leaderboards it was in (ranks close up), or it was not there. The same call again answers the same and changes nothing; the data version (ETags) changes only when something was removed.",
            headers(("Cache-Control" = String, description = "`no-store`."))),
        RemovalRefusals,
    ),
)]
pub async fn remove_score(
    State(app): State<AppState>,
    _: Authorized<Admin>,
    PathId(id): PathId,
) -> Result<NoContent, ApiError> {
    app.store.remove(&Removal::Score(id)).await?;
    Ok(NoContent)
}

/// `DELETE /api/players/{id}`.
#[utoipa::path(
    delete,
    path = "/api/players/{id}",
    tag = "moderation",
    operation_id = "removePlayer",
    summary = "Remove a player: their profile and all their scores",
    security(("adminKey" = [])),
    params(("id" = String, Path, min_length = 1, max_length = 128, pattern = r"^[^\u0000-\u001F\u007F-\u009F]+$",
        description = "The player's profile id (percent-encoded): 1 to 128 bytes, no control characters.")),
    responses(
        (status = 204, description = "The player is not stored (any more): their profile and every score of theirs removed now, or they were not there. The same call again answers the same and changes nothing; the data version (ETags) changes only when something was removed.",
            headers(("Cache-Control" = String, description = "`no-store`."))),
        RemovalRefusals,
    ),
)]
pub async fn remove_player(
    State(app): State<AppState>,
    _: Authorized<Admin>,
    PathId(id): PathId,
) -> Result<NoContent, ApiError> {
    app.store.remove(&Removal::Player(id)).await?;
    Ok(NoContent)
}

/// Any other method on a removal's path.
pub async fn delete_only(method: Method) -> ApiError {
    ApiError::DeleteOnly { method }
}

/// `204` for a removal: nothing to say, and nothing to keep.
pub struct NoContent;

impl IntoResponse for NoContent {
    fn into_response(self) -> Response {
        let no_store = [(CACHE_CONTROL, HeaderValue::from_static("no-store"))];
        (StatusCode::NO_CONTENT, no_store).into_response()
    }
}
