//! The handlers: parse the request, ask the store, map the answer. Nothing else.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use leaderboard_model::{LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, StoreStatus};

use super::avatars;
use super::caching::{Cached, ETag};
use super::error::ApiError;
use super::response_cache::Encoding;
use super::{AppState, HoldsUrls};

/// `GET /api/LeaderboardFunction`. The ETag comes from the data version and the canonical
/// query alone, so a matching `If-None-Match` is answered without running the query; so
/// does the response cache's key, so a repeated page is answered without running the
/// query or serialising (or compressing) it again.
pub async fn leaderboard(
    State(app): State<AppState>,
    RawQuery(raw_query): RawQuery,
    headers: HeaderMap,
) -> Result<Cached<LeaderboardResponse>, ApiError> {
    let query = parse_query(raw_query.as_deref())?;
    let base = app.public_base(&headers);
    let version = app.store.version().await?;
    let canonical = query.to_query_string();
    let etag = ETag::for_canonical_leaderboard(&version, &canonical, &base);
    if etag.matches_if_none_match(&headers) {
        return Ok(app.not_modified(etag, HoldsUrls::Yes));
    }
    let (body, encoding) = app
        .leaderboard_body(
            &query,
            &canonical,
            &base,
            &version,
            Encoding::negotiate(&headers),
        )
        .await?;
    Ok(app.fresh_bytes(etag, HoldsUrls::Yes, body, encoding))
}

/// `GET /api/LeaderboardFunction/meta`: modes and regions with counts.
pub async fn meta(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Cached<LeaderboardMeta>, ApiError> {
    let version = app.store.version().await?;
    let etag = ETag::for_meta(&version);
    if etag.matches_if_none_match(&headers) {
        return Ok(app.not_modified(etag, HoldsUrls::No));
    }
    Ok(app.fresh(etag, HoldsUrls::No, app.store.meta().await?))
}

/// `GET /api/health`: `200` when the store can answer, `503` when it cannot; never cached.
pub async fn health(State(app): State<AppState>) -> Response {
    let health = app.store.health().await;
    let status = match health.status {
        StoreStatus::Ok => StatusCode::OK,
        StoreStatus::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    };
    (
        status,
        [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(health),
    )
        .into_response()
}

/// `GET /api/images/avatars/{name}`: the avatar images built into the binary.
pub async fn avatar(
    name: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path(name) = name.map_err(|_| ApiError::AvatarNotFound {
        name: String::new(),
    })?;
    avatars::respond(&name, &headers).ok_or(ApiError::AvatarNotFound { name })
}

/// Any path under `/api/` (or anywhere, without a static directory) that is not an endpoint.
pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound {
        path: uri.path().to_string(),
    }
}

/// An endpoint asked with a method it does not answer (POST, PUT, ...).
pub async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::MethodNotAllowed { method }
}

/// The raw query string, decoded as a form (`+` is a space), validated by the model.
fn parse_query(raw: Option<&str>) -> Result<LeaderboardQuery, ApiError> {
    let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes());
    Ok(LeaderboardQuery::from_pairs(pairs)?)
}
