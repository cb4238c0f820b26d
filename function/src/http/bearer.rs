//! The bearer keys: the ingest key of `POST /api/scores` and the admin key of the removals
//! (`DELETE /api/scores/{id}`, `DELETE /api/players/{id}`). One mechanism, two realms.
//!
//! Invariants: the server keeps only a key's SHA-256 digest, compares digests in constant
//! time, and never prints a key (`Debug` is redacted, parsing never fails so clap never
//! echoes it). Each realm accepts only its own key: the ingest key never authorises a
//! removal, nor the admin key a post, and the server refuses to start with one key for both.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::http::error::ApiError;
use crate::http::AppState;

/// Shortest key accepted at startup: a guessable key is no key.
pub const MIN_KEY_LEN: usize = 16;
/// Longest key accepted at startup.
pub const MAX_KEY_LEN: usize = 1024;

/// What a key opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Realm {
    /// `POST /api/scores`, for the game's servers.
    Ingest,
    /// The removals, for operators.
    Admin,
}

impl Realm {
    /// The realm of the `WWW-Authenticate` challenge.
    pub fn challenge_name(self) -> &'static str {
        match self {
            Realm::Ingest => "leaderboard-ingest",
            Realm::Admin => "leaderboard-admin",
        }
    }

    /// The environment variable that configures the key.
    pub fn env_var(self) -> &'static str {
        match self {
            Realm::Ingest => "LEADERBOARD_INGEST_KEY",
            Realm::Admin => "LEADERBOARD_ADMIN_KEY",
        }
    }

    /// The flag that configures the key.
    pub fn flag(self) -> &'static str {
        match self {
            Realm::Ingest => "--ingest-key",
            Realm::Admin => "--admin-key",
        }
    }

    /// The key's name in messages.
    pub fn key_name(self) -> &'static str {
        match self {
            Realm::Ingest => "ingest key",
            Realm::Admin => "admin key",
        }
    }
}

/// A configured bearer key (of either realm: the realm is where it is configured).
///
/// [`BearerKey::problem`] says what is wrong with a malformed one; the server refuses to
/// start on it, and a key with a problem accepts nothing.
#[derive(Clone)]
pub struct BearerKey {
    digest: Result<[u8; 32], KeyError>,
}

/// Why a configured key is refused at startup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    TooShort,
    TooLong,
    NotVisibleAscii,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::TooShort => write!(
                f,
                "the key must be at least {MIN_KEY_LEN} characters \
                 (for example the output of `openssl rand -hex 32`); unset it to turn its \
                 endpoints off"
            ),
            KeyError::TooLong => write!(f, "the key must be at most {MAX_KEY_LEN} characters"),
            KeyError::NotVisibleAscii => write!(
                f,
                "the key must be visible ASCII characters without spaces \
                 (it travels in an HTTP header)"
            ),
        }
    }
}

impl std::error::Error for KeyError {}

impl FromStr for BearerKey {
    type Err = std::convert::Infallible;

    /// Surrounding whitespace (a key read from a file with its newline) is ignored.
    fn from_str(key: &str) -> Result<Self, Self::Err> {
        let key = key.trim();
        let digest = if !key.bytes().all(|b| b.is_ascii_graphic()) {
            Err(KeyError::NotVisibleAscii)
        } else if key.len() < MIN_KEY_LEN {
            Err(KeyError::TooShort)
        } else if key.len() > MAX_KEY_LEN {
            Err(KeyError::TooLong)
        } else {
            Ok(Sha256::digest(key.as_bytes()).into())
        };
        Ok(BearerKey { digest })
    }
}

impl fmt::Debug for BearerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerKey(<redacted>)")
    }
}

impl BearerKey {
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
    pub fn problem(&self) -> Option<KeyError> {
        self.digest.as_ref().err().cloned()
    }

    /// Whether two usable keys are the same key (compared as digests, in constant time).
    pub fn same_as(&self, other: &BearerKey) -> bool {
        match (&self.digest, &other.digest) {
            (Ok(a), Ok(b)) => bool::from(a.ct_eq(b)),
            _ => false,
        }
    }
}

/// The realm an extractor guards.
pub trait Guarded {
    const REALM: Realm;
}

/// The realm of `POST /api/scores`.
pub struct Ingest;

impl Guarded for Ingest {
    const REALM: Realm = Realm::Ingest;
}

/// The realm of the removals.
pub struct Admin;

impl Guarded for Admin {
    const REALM: Realm = Realm::Admin;
}

/// A request that carries the key of realm `R`: `404` when that realm is off (no key
/// configured), `401` without its key. Extracted before anything else of the request, so
/// an unauthorised body or path is never read.
pub struct Authorized<R>(PhantomData<R>);

impl<R: Guarded> FromRequestParts<AppState> for Authorized<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let realm = R::REALM;
        let key = app.config.key(realm).ok_or(ApiError::Disabled(realm))?;
        match bearer_token(&parts.headers) {
            Some(token) if key.accepts(token) => Ok(Authorized(PhantomData)),
            _ => Err(ApiError::Unauthorized {
                realm,
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
        let key: BearerKey = " 0123456789abcdef-secret\n".parse().unwrap();
        assert_eq!(key.problem(), None);
        assert!(key.accepts(b"0123456789abcdef-secret"));
        assert!(!key.accepts(b"0123456789abcdef-secreT"));
        assert!(!key.accepts(b"0123456789abcdef-secret "));
        assert!(!key.accepts(b""));
        assert_eq!(format!("{key:?}"), "BearerKey(<redacted>)");
        let short: BearerKey = "short".parse().unwrap();
        assert_eq!(short.problem(), Some(KeyError::TooShort));
        assert!(!short.accepts(b"short"));
        let spaced: BearerKey = "has a space in the key".parse().unwrap();
        assert_eq!(spaced.problem(), Some(KeyError::NotVisibleAscii));
    }

    #[test]
    fn two_keys_are_the_same_only_when_both_are_usable_and_equal() {
        let a: BearerKey = "0123456789abcdef-one".parse().unwrap();
        let b: BearerKey = "0123456789abcdef-two".parse().unwrap();
        let a_again: BearerKey = "0123456789abcdef-one\n".parse().unwrap();
        let short: BearerKey = "short".parse().unwrap();
        assert!(a.same_as(&a_again));
        assert!(!a.same_as(&b));
        assert!(!short.same_as(&short.clone()));
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
