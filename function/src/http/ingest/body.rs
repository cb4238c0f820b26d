//! The body of `POST /api/scores` as an extractor: uncompressed JSON (`415`), at most
//! [`MAX_BODY_BYTES`] (`413`), then read and validated by the model in one call.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::HeaderMap;
use leaderboard_model::{Excerpt, PlayedAt, PostBody, PostError, ScorePosts};

use crate::http::error::ApiError;
use crate::http::AppState;

/// Largest accepted body. A full batch of plain scores is about 100 KiB; profiles with
/// many achievements need more, and a bigger batch should be split.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How much of an oversized body is read (and dropped) so that the `413` reaches the
/// client; past it the connection is simply closed.
pub const MAX_DRAINED_BYTES: usize = 8 * 1024 * 1024;

/// The scores a post carries, every rule of the model checked, and the time they were
/// received (the server's clock once the body was read: the `playedAt` of a score sent
/// without one, and the "now" a sent one may not be far ahead of).
pub struct PostedScores {
    pub posts: ScorePosts,
    pub received: PlayedAt,
}

impl FromRequest<AppState> for PostedScores {
    type Rejection = ApiError;

    async fn from_request(request: Request, app: &AppState) -> Result<Self, ApiError> {
        let (parts, body) = request.into_parts();
        require_json(&parts.headers)?;
        let bytes = read_capped(&parts.headers, body).await?;
        let received = app.config.clock.now();
        let body: PostBody = serde_json::from_slice(&bytes).map_err(PostError::not_json)?;
        Ok(PostedScores {
            posts: body.validate(received)?,
            received,
        })
    }
}

/// `application/json` (any parameters, charset UTF-8 if given), uncompressed.
fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let unsupported = |detail: String| Err(ApiError::UnsupportedMediaType { detail });
    if let Some(encoding) = headers.get(CONTENT_ENCODING) {
        let encoding = String::from_utf8_lossy(encoding.as_bytes());
        if !encoding.trim().eq_ignore_ascii_case("identity") {
            return unsupported(format!("got Content-Encoding {}", Excerpt(&encoding)));
        }
    }
    let Some(content_type) = headers.get(CONTENT_TYPE) else {
        return unsupported("no Content-Type was sent".to_string());
    };
    let content_type = String::from_utf8_lossy(content_type.as_bytes());
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return unsupported(format!("got {}", Excerpt(&content_type)));
    }
    for parameter in parts {
        if let Some((name, value)) = parameter.split_once('=') {
            let value = value.trim().trim_matches('"');
            if name.trim().eq_ignore_ascii_case("charset") && !value.eq_ignore_ascii_case("utf-8") {
                return unsupported(format!("got charset {}", Excerpt(value)));
            }
        }
    }
    Ok(())
}

/// The body, refused with `413` past [`MAX_BODY_BYTES`].
///
/// An oversized body (from a caller that already proved it holds the key) is read to its
/// end and dropped, up to [`MAX_DRAINED_BYTES`], before answering: closing a connection
/// with unread data makes the kernel reset it, and the client would see a broken pipe
/// instead of the `413`.
async fn read_capped(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    use http_body_util::BodyExt;

    let too_large = || ApiError::PayloadTooLarge {
        limit_bytes: MAX_BODY_BYTES,
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_DRAINED_BYTES as u64) {
        return Err(too_large());
    }
    let mut body = body;
    let mut collected =
        Vec::with_capacity(declared.map_or(0, |length| length.min(MAX_BODY_BYTES as u64) as usize));
    let mut received = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| ApiError::UnreadableBody)?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        received = received.saturating_add(data.len());
        if received <= MAX_BODY_BYTES {
            collected.extend_from_slice(&data);
        } else if received > MAX_DRAINED_BYTES {
            break;
        }
    }
    if received > MAX_BODY_BYTES {
        return Err(too_large());
    }
    Ok(Bytes::from(collected))
}
