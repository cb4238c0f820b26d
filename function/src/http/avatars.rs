//! Serving the avatar images built into the binary (see [`crate::data::avatars`]).
//!
//! They are SVG, which a browser opened directly would run as a document: `nosniff` and a
//! Content-Security-Policy that allows no scripts, no loads and sandboxes the document keep
//! that harmless even if an image were ever replaced by a hostile one.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::caching::ETag;
use crate::data::avatars;

/// The images change only with a new release; a year, marked immutable so browsers do not
/// even revalidate on reload.
pub const AVATAR_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";
/// Inline styles only (the shapes use `style`); nothing else loads or runs.
pub const SVG_CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// The answer for avatar `name`, or `None` when no such image ships. Honours
/// `If-None-Match` with `304`.
pub fn respond(name: &str, headers: &HeaderMap) -> Option<Response> {
    let image = avatars::avatar(name)?;
    let etag = ETag::for_bytes(image);
    let mut response = if etag.matches_if_none_match(headers) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"))],
            image,
        )
            .into_response()
    };
    let out = response.headers_mut();
    out.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(AVATAR_CACHE_CONTROL),
    );
    out.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    out.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(SVG_CONTENT_SECURITY_POLICY),
    );
    if let Ok(value) = HeaderValue::from_str(etag.as_str()) {
        out.insert(ETAG, value);
    }
    Some(response)
}
