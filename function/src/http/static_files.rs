//! The optional static directory (the demo page: Trunk's `dist/`).
//!
//! Trunk names the wasm and its glue after a hash of their content, so a file under such a name
//! never changes: it is sent as cacheable for a year and `immutable` (no revalidation on reload).
//! Every other file, the page above all, names the current hashes and must be revalidated on
//! each use (`no-cache`: conditional requests still answer `304`).

use axum::{
    extract::Request,
    http::{header::CACHE_CONTROL, HeaderValue},
    middleware::{self, Next},
    response::Response,
    Router,
};
use std::path::PathBuf;
use tower_http::services::ServeDir;

/// `Cache-Control` of a file whose name carries its content hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of every other static file.
pub const REVALIDATE: &str = "no-cache";

/// Serves `dir`, with `Cache-Control` chosen by [`is_content_hashed`].
pub fn router(dir: PathBuf) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dir))
        .layer(middleware::from_fn(cache_control))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status().as_u16() == 304 {
        let value = if hashed { IMMUTABLE } else { REVALIDATE };
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// Whether the file name holds a content hash as Trunk writes it: a run of 12 to 16 lowercase
/// hex digits (a 64-bit hash printed without leading zeros, so rarely under 16) between `-`,
/// `_` or `.` separators, e.g. `space-leaderboard-9f86d081884c7d65_bg.wasm`.
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split(['-', '_', '.']).any(|part| {
        (12..=16).contains(&part.len())
            && part.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        for name in [
            "/space-leaderboard-9f86d081884c7d65_bg.wasm",
            "/space-leaderboard-9f86d081884c7d65.js",
            "/site-1f86d081884c7.css",
            "/assets/3a7bd3e2360a3d29-snippet.js",
        ] {
            assert!(is_content_hashed(name), "{name}");
        }
    }

    #[test]
    fn plain_names_are_not() {
        for name in [
            "/",
            "/index.html",
            "/space-leaderboard.js",
            "/space-leaderboard_bg.wasm",
            "/decaf-facade.css",
            "/space-leaderboard-9F86D081884C7D65.js",
            "/a-9f86d081884c7d65a.js",
        ] {
            assert!(!is_content_hashed(name), "{name}");
        }
    }
}
