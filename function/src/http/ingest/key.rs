//! The ingest key and the bearer check of `POST /api/scores`.
//!
//! Invariants: the server keeps only the key's SHA-256 digest, compares digests in
//! constant time, and never prints the key (`Debug` is redacted, parsing never fails so
//! clap never echoes it).

use std::fmt;
use std::str::FromStr;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::http::error::ApiError;
use crate::http::AppState;

/// Shortest ingest key accepted at startup: a guessable key is no key.
pub const MIN_INGEST_KEY_LEN: usize = 16;
/// Longest ingest key accepted at startup.
pub const MAX_INGEST_KEY_LEN: usize = 1024;

/// The configured ingest key.
///
/// [`IngestKey::problem`] says what is wrong with a malformed one; the server refuses to
/// start on it, and a key with a problem accepts nothing.
#[derive(Clone)]
pub struct IngestKey {
    digest: Result<[u8; 32], IngestKeyError>,
}

/// Why a configured ingest key is refused at startup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestKeyError {
    TooShort,
    TooLong,
    NotVisibleAscii,
}

impl fmt::Display for IngestKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestKeyError::TooShort => write!(
                f,
                "the ingest key must be at least {MIN_INGEST_KEY_LEN} characters \
                 (for example the output of `openssl rand -hex 32`); unset it to turn ingestion off"
            ),
            IngestKeyError::TooLong => {
                write!(
                    f,
                    "the ingest key must be at most {MAX_INGEST_KEY_LEN} characters"
                )
            }
            IngestKeyError::NotVisibleAscii => write!(
                f,
                "the ingest key must be visible ASCII characters without spaces \
                 (it travels in an HTTP header)"
            ),
        }
    }
}

impl std::error::Error for IngestKeyError {}

impl FromStr for IngestKey {
    type Err = std::convert::Infallible;

    /// Surrounding whitespace (a key read from a file with its newline) is ignored.
    fn from_str(key: &str) -> Result<Self, Self::Err> {
        let key = key.trim();
        let digest = if !key.bytes().all(|b| b.is_ascii_graphic()) {
            Err(IngestKeyError::NotVisibleAscii)
        } else if key.len() < MIN_INGEST_KEY_LEN {
            Err(IngestKeyError::TooShort)
        } else if key.len() > MAX_INGEST_KEY_LEN {
            Err(IngestKeyError::TooLong)
        } else {
            Ok(Sha256::digest(key.as_bytes()).into())
        };
        Ok(IngestKey { digest })
    }
}

impl fmt::Debug for IngestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IngestKey(<redacted>)")
    }
}

impl IngestKey {
    /// Whether `presented` is the key. Comparing fixed-length digests in constant time
    /// leaks neither how much of a guess matched nor the key's length.
    pub fn accepts(&self, presented: &[u8]) -> bool {
        let Ok(expected) = &self.digest else {
            return false;
        };
        let digest: [u8; 32] = Sha256::digest(presented).into();
        bool::from(digest.ct_eq(expected))
    }

    /// What makes this key unusable, if anything.
    pub fn problem(&self) -> Option<IngestKeyError> {
        self.digest.as_ref().err().cloned()
    }
}

/// A request that carries the configured ingest key: `404` when ingestion is off, `401`
/// without the key. Extracted before the body, so an unauthorised body is never read.
pub struct Authorized;

impl FromRequestParts<AppState> for Authorized {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let key = app
            .config
            .ingest_key
            .as_ref()
            .ok_or(ApiError::IngestDisabled)?;
        match bearer_token(&parts.headers) {
            Some(token) if key.accepts(token) => Ok(Authorized),
            _ => Err(ApiError::Unauthorized {
                key_sent: parts.headers.contains_key(AUTHORIZATION),
            }),
        }
    }
}

/// The bearer token of `Authorization: Bearer <token>` (scheme case-insensitive).
fn bearer_token(headers: &HeaderMap) -> Option<&[u8]> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None; // two Authorization headers: ambiguous, refuse
    }
    let value = value.as_bytes();
    let scheme_end = value.iter().position(|&b| b == b' ')?;
    let (scheme, rest) = value.split_at(scheme_end);
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return None;
    }
    let token = rest.trim_ascii();
    (!token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_key_is_accepted_only_exactly() {
        let key: IngestKey = " 0123456789abcdef-secret\n".parse().unwrap();
        assert_eq!(key.problem(), None);
        assert!(key.accepts(b"0123456789abcdef-secret"));
        assert!(!key.accepts(b"0123456789abcdef-secreT"));
        assert!(!key.accepts(b"0123456789abcdef-secret "));
        assert!(!key.accepts(b""));
        assert_eq!(format!("{key:?}"), "IngestKey(<redacted>)");
        let short: IngestKey = "short".parse().unwrap();
        assert_eq!(short.problem(), Some(IngestKeyError::TooShort));
        assert!(!short.accepts(b"short"));
        let spaced: IngestKey = "has a space in the key".parse().unwrap();
        assert_eq!(spaced.problem(), Some(IngestKeyError::NotVisibleAscii));
    }

    #[test]
    fn bearer_scheme_is_case_insensitive_and_needs_a_token() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("bearer   tok"));
        assert_eq!(bearer_token(&headers), Some(&b"tok"[..]));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Basic dG9rOg=="));
        assert_eq!(bearer_token(&headers), None);
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer_token(&headers), None);
    }
}
