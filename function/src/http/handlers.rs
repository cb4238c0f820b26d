//! The handlers: parse the request, ask the store, map the answer. Nothing else.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use leaderboard_model::{LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, StoreStatus};

use axum::body::Bytes;

use super::avatars;
use super::caching::{self, Cached, ETag};
use super::error::ApiError;
use super::response_cache::{Encoding, PageKey};
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
    let Some(cache) = &app.cache else {
        // No cache: the JSON is written straight from the store (compressed by the layer).
        let mut json = Vec::with_capacity(caching::JSON_BUFFER_BYTES);
        app.store.leaderboard_json(&query, &base, &mut json).await?;
        let body = Bytes::from(json);
        return Ok(app.fresh_bytes(etag, HoldsUrls::Yes, body, Encoding::Identity));
    };
    let encoding = Encoding::negotiate(&headers);
    let mut key = PageKey::new(base.as_str(), &canonical);
    if let Some(body) = cache.get(&version, &mut key, encoding) {
        return Ok(app.fresh_bytes(etag, HoldsUrls::Yes, body, encoding));
    }
    let cached_identity = match encoding {
        Encoding::Identity => None,
        _ => cache.get(&version, &mut key, Encoding::Identity),
    };
    let identity = match cached_identity {
        Some(body) => body,
        None => {
            let mut json = Vec::with_capacity(caching::JSON_BUFFER_BYTES);
            app.store.leaderboard_json(&query, &base, &mut json).await?;
            // Cached: hold only what the page needs, not the buffer's spare capacity.
            json.shrink_to_fit();
            let body = Bytes::from(json);
            cache.insert(&version, &mut key, Encoding::Identity, body.clone());
            body
        }
    };
    let body = match encoding {
        Encoding::Identity => identity,
        _ => {
            let encoded = encoding.encode(&identity);
            cache.insert(&version, &mut key, encoding, encoded.clone());
            encoded
        }
    };
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
