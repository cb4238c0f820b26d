//! CORS for a public read API: any origin, GET/HEAD/OPTIONS, no credentials, the ETag
//! readable by scripts, preflights answered `204` and cached by the browser.

use std::time::Duration;

use axum::extract::Request;
use axum::http::header::{ETAG, RETRY_AFTER};
use axum::http::{HeaderName, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{Any, CorsLayer};

/// How long a browser may reuse a preflight answer. Browsers cap it (Chromium at 2 hours,
/// Firefox at 24): ask for the longer, each takes what it allows.
pub const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS])
        .allow_headers(Any)
        .expose_headers([ETAG, RETRY_AFTER])
        .max_age(PREFLIGHT_MAX_AGE)
        // Every answer is the same whatever the Origin or requested headers (`*`), so
        // there is nothing for caches to vary on: keep CDN hit rates up.
        .vary(Vec::<HeaderName>::new())
}

/// The CORS layer answers preflights (any `OPTIONS`) with `200` and an empty body; `204
/// No Content` says what it is.
pub async fn preflight_no_content(request: Request, next: Next) -> Response {
    let is_options = request.method() == Method::OPTIONS;
    let mut response = next.run(request).await;
    if is_options && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}
