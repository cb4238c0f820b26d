//! HTTP caching: ETags computed before the store is queried (so `If-None-Match` answers
//! `304` without running the query), `Cache-Control` from configuration, and `Vary`.
//!
//! The ETag is weak (`W/"..."`): the compression layer may send the same JSON gzip- or
//! brotli-encoded, and a weak validator stays valid across encodings.

use axum::body::Bytes;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use leaderboard_model::LeaderboardQuery;
use serde::Serialize;

use super::public_url::PublicBaseUrl;

/// `Cache-Control` of the data endpoints: `public, max-age=N, stale-while-revalidate=M`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePolicy {
    pub max_age: u32,
    pub stale_while_revalidate: u32,
}

impl Default for CachePolicy {
    fn default() -> Self {
        CachePolicy {
            max_age: 10,
            stale_while_revalidate: 60,
        }
    }
}

impl CachePolicy {
    /// This policy for an answer that stops being right `seconds` from now (a current
    /// period's board at its end): `max-age` plus `stale-while-revalidate` never reach past
    /// it, so no cache serves it after the boundary.
    pub fn lasting_at_most(self, seconds: u64) -> CachePolicy {
        let seconds = u32::try_from(seconds).unwrap_or(u32::MAX);
        let max_age = self.max_age.min(seconds);
        CachePolicy {
            max_age,
            stale_while_revalidate: self.stale_while_revalidate.min(seconds - max_age),
        }
    }

    pub fn header_value(&self) -> HeaderValue {
        let text = format!(
            "public, max-age={}, stale-while-revalidate={}",
            self.max_age, self.stale_while_revalidate
        );
        // Digits, letters, commas and spaces only: always a valid header value.
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("no-cache"))
    }
}

/// A weak entity tag, as sent in the `ETag` header (`W/"..."`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ETag(String);

impl ETag {
    /// The tag of one leaderboard page: the data version, the canonical query (equal
    /// queries spelled differently share it) and the base avatar URLs resolve against.
    /// The service version is mixed in so a deploy that changes the response format
    /// invalidates old tags.
    pub fn for_leaderboard(version: &str, query: &LeaderboardQuery, base: &PublicBaseUrl) -> ETag {
        ETag::for_canonical_leaderboard(version, &query.to_query_string(), base)
    }

    /// [`ETag::for_leaderboard`] from the query's canonical string, when the caller already
    /// has it (the response cache keys on it too).
    pub fn for_canonical_leaderboard(
        version: &str,
        canonical_query: &str,
        base: &PublicBaseUrl,
    ) -> ETag {
        ETag::from_parts(&["leaderboard", version, canonical_query, base.as_str()])
    }

    /// The tag of the meta: the data version and the current day (`today`, its start):
    /// the current periods, and which retained ones hold scores, change only at a midnight.
    pub fn for_meta(version: &str, today: &str) -> ETag {
        ETag::from_parts(&["meta", version, today])
    }

    /// The tag of fixed content (an embedded image).
    pub fn for_bytes(content: &[u8]) -> ETag {
        let mut hash = Fnv1a128::new();
        hash.write(content);
        ETag(format!("W/\"{:032x}\"", hash.finish()))
    }

    fn from_parts(parts: &[&str]) -> ETag {
        let mut hash = Fnv1a128::new();
        hash.write(env!("CARGO_PKG_VERSION").as_bytes());
        for part in parts {
            // Length-prefixed, so ("ab","c") and ("a","bc") differ.
            hash.write(&(part.len() as u64).to_le_bytes());
            hash.write(part.as_bytes());
        }
        ETag(format!("W/\"{:032x}\"", hash.finish()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the request's `If-None-Match` (any number of headers, each a list, or `*`)
    /// names this tag, by weak comparison.
    pub fn matches_if_none_match(&self, headers: &HeaderMap) -> bool {
        let ours = opaque_tag(&self.0);
        headers
            .get_all(IF_NONE_MATCH)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(entity_tags)
            .any(|tag| tag == "*" || tag == ours)
    }

    fn header_value(&self) -> HeaderValue {
        // Hex digits, quotes and `W/` only.
        HeaderValue::from_str(&self.0).unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
    }
}

/// The quoted part of an entity tag, without `W/`.
fn opaque_tag(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

/// The entity tags of one `If-None-Match` value: `*`, or a comma-separated list of
/// `"opaque"` / `W/"opaque"`, returned as their quoted part. Malformed parts are skipped.
fn entity_tags(value: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return tags;
        }
        if let Some(after) = rest.strip_prefix('*') {
            tags.push("*");
            rest = after;
            continue;
        }
        let quoted = rest.strip_prefix("W/").unwrap_or(rest);
        match quoted.strip_prefix('"').and_then(|inner| inner.find('"')) {
            Some(close) => {
                tags.push(&quoted[..close + 2]);
                rest = &quoted[close + 2..];
            }
            None => {
                // Not a tag: skip to the next comma.
                rest = rest.find(',').map_or("", |comma| &rest[comma..]);
            }
        }
    }
}

/// A cacheable answer: the body, or `304 Not Modified` when the client already has it.
/// Both carry the ETag, `Cache-Control` and `Vary`.
pub enum Cached<T> {
    Fresh {
        etag: ETag,
        policy: CachePolicy,
        vary: HeaderValue,
        body: T,
    },
    /// The body as JSON bytes already (from the response cache), gzip- or br-encoded when
    /// `content_encoding` says so: the compression layer leaves such a response alone.
    Serialized {
        etag: ETag,
        policy: CachePolicy,
        vary: HeaderValue,
        body: Bytes,
        content_encoding: Option<HeaderValue>,
        /// `X-Cache`: where the body came from (sent when the store shares bodies).
        x_cache: Option<HeaderValue>,
    },
    NotModified {
        etag: ETag,
        policy: CachePolicy,
        vary: HeaderValue,
    },
}

impl<T> Cached<T> {
    /// The same answer, cached for at most `seconds` ([`CachePolicy::lasting_at_most`]).
    pub fn lasting_at_most(mut self, seconds: u64) -> Self {
        let (Cached::Fresh { policy, .. }
        | Cached::Serialized { policy, .. }
        | Cached::NotModified { policy, .. }) = &mut self;
        *policy = policy.lasting_at_most(seconds);
        self
    }
}

impl<T: Serialize> IntoResponse for Cached<T> {
    fn into_response(self) -> Response {
        let (mut response, etag, policy, vary) = match self {
            Cached::Fresh {
                etag,
                policy,
                vary,
                body,
            } => (json_response(&body), etag, policy, vary),
            Cached::Serialized {
                etag,
                policy,
                vary,
                body,
                content_encoding,
                x_cache,
            } => {
                let mut response = (
                    [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
                    body,
                )
                    .into_response();
                if let Some(encoding) = content_encoding {
                    response.headers_mut().insert(CONTENT_ENCODING, encoding);
                }
                if let Some(source) = x_cache {
                    response.headers_mut().insert(X_CACHE, source);
                }
                (response, etag, policy, vary)
            }
            Cached::NotModified { etag, policy, vary } => {
                (StatusCode::NOT_MODIFIED.into_response(), etag, policy, vary)
            }
        };
        let headers = response.headers_mut();
        headers.insert(ETAG, etag.header_value());
        headers.insert(CACHE_CONTROL, policy.header_value());
        headers.insert(VARY, vary);
        response
    }
}

/// FNV-1a, 128 bits: stable across builds and platforms (unlike `DefaultHasher`), so
/// every instance behind a load balancer computes the same ETag for the same data.
/// Where a response's JSON is written first: sized for a typical page up front, since
/// axum's `Json` starts at 128 bytes and doubles, copying the page several times
/// (bench/analysis.md, "Function: throughput").
pub const JSON_BUFFER_BYTES: usize = 8 * 1024;

/// A body serialised into a buffer sized for a page up front.
pub fn to_json_bytes<T: Serialize>(body: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut buffer = Vec::with_capacity(JSON_BUFFER_BYTES);
    serde_json::to_writer(&mut buffer, body)?;
    Ok(buffer)
}

/// `Json(body)` with the buffer sized for a page up front.
fn json_response<T: Serialize>(body: &T) -> Response {
    match to_json_bytes(body) {
        Ok(buffer) => (
            [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            buffer,
        )
            .into_response(),
        // Cannot happen for our types; axum's `Json` answers it with its usual 500.
        Err(_) => Json(body).into_response(),
    }
}

/// Where a cached answer's body came from: `local-hit`, `shared-hit` or `miss`.
pub const X_CACHE: axum::http::HeaderName = axum::http::HeaderName::from_static("x-cache");

struct Fnv1a128(u128);

impl Fnv1a128 {
    const OFFSET_BASIS: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;

    fn new() -> Self {
        Fnv1a128(Self::OFFSET_BASIS)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u128::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn finish(&self) -> u128 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn if_none_match(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn equal_queries_share_a_tag_and_anything_else_changes_it() {
        let base: PublicBaseUrl = "https://a.example/api/".parse().unwrap();
        let other_base: PublicBaseUrl = "https://b.example/api/".parse().unwrap();
        let default = LeaderboardQuery::default();
        let spelled_out =
            LeaderboardQuery::from_pairs([("page", "1"), ("pageSize", "10"), ("sort", "score")])
                .unwrap();
        let page_two = LeaderboardQuery::from_pairs([("page", "2")]).unwrap();
        let tag = ETag::for_leaderboard("v1", &default, &base);
        assert_eq!(tag, ETag::for_leaderboard("v1", &spelled_out, &base));
        assert_ne!(tag, ETag::for_leaderboard("v2", &default, &base));
        assert_ne!(tag, ETag::for_leaderboard("v1", &page_two, &base));
        assert_ne!(tag, ETag::for_leaderboard("v1", &default, &other_base));
        assert_ne!(ETag::for_meta("v1", "d1"), ETag::for_meta("v2", "d1"));
        assert_ne!(ETag::for_meta("v1", "d1"), ETag::for_meta("v1", "d2"));
        assert!(tag.as_str().starts_with("W/\""));
    }

    #[test]
    fn if_none_match_accepts_lists_weak_strong_and_star() {
        let tag = ETag::for_meta("v1", "d1");
        let opaque = opaque_tag(tag.as_str()).to_string();
        assert!(tag.matches_if_none_match(&if_none_match(&[tag.as_str()])));
        assert!(tag.matches_if_none_match(&if_none_match(&[&opaque])));
        assert!(tag.matches_if_none_match(&if_none_match(&[&format!(
            "\"other\", W/\"x,y\" , {opaque}"
        )])));
        assert!(tag.matches_if_none_match(&if_none_match(&["\"a\"", tag.as_str()])));
        assert!(tag.matches_if_none_match(&if_none_match(&["*"])));
        assert!(!tag.matches_if_none_match(&if_none_match(&[])));
        assert!(!tag.matches_if_none_match(&if_none_match(&["\"other\", garbage, W/\"x\""])));
    }

    #[test]
    fn cache_control_follows_the_policy() {
        let policy = CachePolicy {
            max_age: 3,
            stale_while_revalidate: 7,
        };
        assert_eq!(
            policy.header_value(),
            "public, max-age=3, stale-while-revalidate=7"
        );
    }
}
