//! Score ingestion: `POST /api/scores`, how the game's servers add scores.
//!
//! # Score ingestion (`POST /api/scores`)
//!
//! For the game's servers, not for browsers. Off unless a key is configured:
//!
//! | flag | environment | default | meaning |
//! |---|---|---|---|
//! | `--ingest-key KEY` | `LEADERBOARD_INGEST_KEY` | none (ingestion off) | the bearer key posts must carry: 16 to 1024 visible ASCII characters, e.g. `openssl rand -hex 32` |
//!
//! Prefer the environment variable (a flag shows in the process list); `--help` never
//! prints its value. Without a key, `POST /api/scores` answers `404` with a JSON message
//! saying how to turn ingestion on.
//!
//! **Auth.** `Authorization: Bearer <key>`. The key is compared as a SHA-256 digest in
//! constant time (the server keeps only the digest). Missing or wrong: `401` with
//! `WWW-Authenticate: Bearer realm="leaderboard-ingest"` (plus `error="invalid_token"` when a
//! key was sent).
//!
//! **Body.** `Content-Type: application/json` (else `415`; compressed bodies too), at most
//! 1 MiB (else `413`). One score, or an array of 1 to 1,000 scores (a batch, for servers
//! that buffer). A score is the original document with an optional `id` and an optional
//! `profile`:
//!
//! ```json
//! { "id": "match-8812-p42", "profileId": "p42", "score": 98700, "gameMode": "Solo",
//!   "gameRegion": "Andromeda",
//!   "profile": { "userName": "NovaQueen", "avatarUrl": "images/avatars/comet.svg",
//!                "achievements": ["King of the Universe"] } }
//! ```
//!
//! | field | rule |
//! |---|---|
//! | `id` | optional; 1 to 128 bytes, no control characters. Absent: assigned (time, then a per-process random part and a counter: unique across replicas, URL-safe). Send your own to make retries safe. |
//! | `profileId` | required; 1 to 128 bytes, no control characters |
//! | `score` | required; a whole number from 0 to 1,000,000,000,000 |
//! | `gameMode`, `gameRegion` | required; 1 to 100 bytes, no control characters |
//! | `profile` | optional; creates the player or **replaces** the stored profile (send all of it). Required when `profileId` is new. |
//! | `profile.userName` | required; 1 to 64 characters, not blank, no control characters |
//! | `profile.avatarUrl` | optional (default `images/avatars/default.svg`); http(s) or relative, at most 2,048 bytes |
//! | `profile.achievements` | optional (default none); at most 500, each 1 to 100 characters |
//!
//! Unknown fields are refused. Every failure is `400` with `{"error", "param"}` naming the
//! field: `score`, `profile.userName`, `profile.achievements[2]`; in a batch prefixed by the
//! element's index, `[3].score` (`body` for the body as a whole). A batch is validated
//! whole before anything is stored: one bad element refuses the batch. Ids must not repeat
//! within a batch.
//!
//! **Responses** (all `Cache-Control: no-store`):
//!
//! | status | when |
//! |---|---|
//! | `201` | stored: the entry (an array for a batch, in the order sent), see below |
//! | `200` | every score was already stored with the same content (an idempotent retry): same body, `"created": false`, nothing changed |
//! | `400` | validation (`param` names the field); `param: "profile"` (`[i].profile`) when `profileId` is unknown and no `profile` came with it |
//! | `401` | missing or wrong key |
//! | `404` | ingestion is off (no key configured) |
//! | `405` | another method than `POST` (`Allow: POST`) |
//! | `409` | the `id` is stored with different content (`param: "id"`, `[i].id`) |
//! | `413`, `415` | body too large; not JSON |
//! | `503` | the store is unavailable, with `Retry-After`: retry the same body later |
//!
//! ```json
//! { "score": { "id": "match-8812-p42", "profileId": "p42", "score": 98700, "gameMode": "Solo", "gameRegion": "Andromeda" },
//!   "profile": { "id": "p42", "userName": "NovaQueen", "avatarUrl": "https://game.example/api/images/avatars/comet.svg", "achievements": ["King of the Universe"] },
//!   "created": true,
//!   "ranks": [ { "mode": null, "region": null, "rank": 3 }, { "mode": "Solo", "region": null, "rank": 1 },
//!              { "mode": null, "region": "Andromeda", "rank": 2 }, { "mode": "Solo", "region": "Andromeda", "rank": 1 } ] }
//! ```
//!
//! `ranks` is the competition rank (1, 2, 2, 4) in each leaderboard the score belongs to:
//! all, its mode, its region, its mode in its region. A `201` score is in the next read of
//! every leaderboard (the data version changes, so ETags change: a poll with the old ETag
//! gets `200`, then `304` again).
//!
//! A request is stored atomically: every score in all four of its leaderboards, or nothing,
//! and never twice for one id. A batch refused by the store (`409`, or `400` for an unknown
//! player) stores nothing on either store: both check the whole batch before applying any
//! of it (the Redis store in one Lua script). Send it again without the refused score.
//! In a batch, ranks are as of the whole batch (they count its later scores too).
//!
//! ```sh
//! export LEADERBOARD_INGEST_KEY=$(openssl rand -hex 32)
//! leaderboard-function --data-dir data/sample &
//! curl -i http://127.0.0.1:8080/api/scores \
//!   -H "Authorization: Bearer $LEADERBOARD_INGEST_KEY" -H 'Content-Type: application/json' \
//!   -d '{"id":"m1-p42","profileId":"p42","score":98700,"gameMode":"Solo","gameRegion":"Andromeda",
//!        "profile":{"userName":"NovaQueen"}}'
//! curl -i http://127.0.0.1:8080/api/scores \
//!   -H "Authorization: Bearer $LEADERBOARD_INGEST_KEY" -H 'Content-Type: application/json' \
//!   -d '[{"profileId":"p42","score":1200,"gameMode":"Duo","gameRegion":"Pinwheel"},
//!        {"profileId":"p43","score":900,"gameMode":"Duo","gameRegion":"Pinwheel","profile":{"userName":"Orbit"}}]'
//! ```
//!
//! **CORS.** Posts come from game servers, which hold the key; a browser never should. The
//! CORS policy stays read-only (`GET, HEAD, OPTIONS`): a cross-origin page sending
//! `Authorization` or a JSON body must ask a preflight first, and the preflight does not
//! allow `POST`, so browsers refuse to send it.
//!
//! **Where posted scores live.** The embedded store keeps them in memory, on top of the files
//! it loaded: a restart forgets them, and each replica has its own. Redis is what keeps
//! posted scores across restarts and shares them between replicas. The embedded store
//! rebuilds its index for every round of posts (concurrent posts share one): 4 to 7 ms a
//! post at the sample's 5,000 scores, about 2 s a round at 1,000,000 with the documents kept
//! in memory beside the index (710 MB instead of 245 MB). Fine for a demo or a small game;
//! for a big board with steady posts, use Redis.
//!
//! # Design
//!
//! The handler only checks the request and validates the whole body into [`NewScore`]s
//! before the one store call, so a store never sees a half-valid batch. Order of checks:
//! configured, authorized, content type, size, JSON, fields; a request without the key
//! gets nothing parsed.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use leaderboard_model::{
    PostedScore, Profile, ScoreRecord, MAX_BATCH, MAX_FILTER_LEN, MAX_ID_LEN, MAX_POSTED_SCORE,
    MAX_USER_NAME_CHARS,
};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::{batch_param, ApiError};
use super::public_url::DEFAULT_AVATAR_PATH;
use super::AppState;
use crate::store::NewScore;

/// Largest accepted body. A full batch of plain scores is about 100 KiB; profiles with
/// many achievements need more, and a bigger batch should be split.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How much of an oversized body is read (and dropped) so that the `413` reaches the
/// client; past it the connection is simply closed.
pub const MAX_DRAINED_BYTES: usize = 8 * 1024 * 1024;
/// Most achievements in one posted profile.
pub const MAX_ACHIEVEMENTS: usize = 500;
/// Longest achievement, in characters.
pub const MAX_ACHIEVEMENT_CHARS: usize = 100;
/// Longest avatar URL, in bytes.
pub const MAX_AVATAR_URL_LEN: usize = 2048;
/// Shortest ingest key accepted at startup: a guessable key is no key.
pub const MIN_INGEST_KEY_LEN: usize = 16;
/// Longest ingest key accepted at startup.
pub const MAX_INGEST_KEY_LEN: usize = 1024;

/// The fields a posted score may have, for the unknown-field message.
const SCORE_FIELDS: [&str; 6] = [
    "id",
    "profileId",
    "score",
    "gameMode",
    "gameRegion",
    "profile",
];
const PROFILE_FIELDS: [&str; 3] = ["userName", "avatarUrl", "achievements"];

// ---------------------------------------------------------------------------------------
// The key
// ---------------------------------------------------------------------------------------

/// The configured ingest key. Only its SHA-256 digest is kept, and `Debug` never shows it.
///
/// Parsing never fails, so that clap (whose error messages print the value) never sees a
/// malformed key; [`IngestKey::problem`] says what is wrong with it, the server refuses to
/// start on one, and a key with a problem accepts nothing.
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

fn authorize(key: &IngestKey, headers: &HeaderMap) -> Result<(), ApiError> {
    let key_sent = headers.contains_key(AUTHORIZATION);
    match bearer_token(headers) {
        Some(token) if key.accepts(token) => Ok(()),
        _ => Err(ApiError::Unauthorized { key_sent }),
    }
}

// ---------------------------------------------------------------------------------------
// The handler
// ---------------------------------------------------------------------------------------

/// `POST /api/scores`.
pub async fn post_scores(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Posted, ApiError> {
    let key = app
        .config
        .ingest_key
        .as_ref()
        .ok_or(ApiError::IngestDisabled)?;
    authorize(key, &headers)?;
    require_json(&headers)?;
    let bytes = read_capped(&headers, body).await?;
    let batch = parse_body(&bytes, assign_score_id)?;
    let posted = app
        .store
        .post_scores(batch.posts.clone())
        .await
        .map_err(|e| locate_in_batch(ApiError::from(e), &batch))?;
    let base = app.public_base(&headers);
    let mut posted = posted;
    for entry in &mut posted {
        entry.profile.avatar_url = base.resolve_avatar(&entry.profile.avatar_url);
    }
    let status = if posted.iter().any(|p| p.created) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = if batch.is_array {
        PostedBody::Many(posted)
    } else {
        match posted.into_iter().next() {
            Some(one) => PostedBody::One(Box::new(one)),
            None => {
                return Err(ApiError::StoreUnavailable {
                    reason: "the store answered a post with no entry".to_string(),
                })
            }
        }
    };
    Ok(Posted { status, body })
}

/// Any other method on `/api/scores`.
pub async fn post_only(method: Method) -> ApiError {
    ApiError::PostOnly { method }
}

/// The answer to an accepted post.
pub struct Posted {
    status: StatusCode,
    body: PostedBody,
}

enum PostedBody {
    One(Box<PostedScore>),
    Many(Vec<PostedScore>),
}

impl IntoResponse for Posted {
    fn into_response(self) -> Response {
        let no_store = [(CACHE_CONTROL, HeaderValue::from_static("no-store"))];
        match self.body {
            PostedBody::One(one) => (self.status, no_store, Json(one)).into_response(),
            PostedBody::Many(many) => (self.status, no_store, Json(many)).into_response(),
        }
    }
}

/// `application/json` (any parameters, charset UTF-8 if given), uncompressed.
fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let unsupported = |detail: String| Err(ApiError::UnsupportedMediaType { detail });
    if let Some(encoding) = headers.get(CONTENT_ENCODING) {
        let encoding = String::from_utf8_lossy(encoding.as_bytes()).into_owned();
        if !encoding.trim().eq_ignore_ascii_case("identity") {
            return unsupported(format!("got Content-Encoding {}", clip(&encoding)));
        }
    }
    let Some(content_type) = headers.get(CONTENT_TYPE) else {
        return unsupported("no Content-Type was sent".to_string());
    };
    let content_type = String::from_utf8_lossy(content_type.as_bytes()).into_owned();
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return unsupported(format!("got {}", clip(&content_type)));
    }
    for parameter in parts {
        if let Some((name, value)) = parameter.split_once('=') {
            let value = value.trim().trim_matches('"');
            if name.trim().eq_ignore_ascii_case("charset") && !value.eq_ignore_ascii_case("utf-8") {
                return unsupported(format!("got charset {}", clip(value)));
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
        let frame = frame.map_err(|_| bad("body", "the body could not be read to its end"))?;
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

/// A store error about one score, pointed at its place in a batch.
fn locate_in_batch(error: ApiError, batch: &Batch) -> ApiError {
    if !batch.is_array {
        return error;
    }
    match error {
        ApiError::ScoreConflict { id, .. } => {
            let at = batch.posts.iter().position(|p| p.score.id == id);
            ApiError::ScoreConflict { id, at }
        }
        ApiError::UnknownProfile { profile_id, .. } => {
            let at = batch
                .posts
                .iter()
                .position(|p| p.score.profile_id == profile_id && p.profile.is_none());
            ApiError::UnknownProfile { profile_id, at }
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------------------
// Assigned ids
// ---------------------------------------------------------------------------------------

/// A new score id: milliseconds since 1970 (12 hex digits, so assigned ids sort by time and
/// an earlier score wins a tie), this process's random part (replicas never collide) and a
/// counter (nor do posts in one millisecond). Lower-case hex and `-`: safe in URLs.
pub fn assign_score_id() -> String {
    static PROCESS_PART: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let process = *PROCESS_PART.get_or_init(random_u64);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let sequence = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{millis:012x}-{process:016x}-{sequence:x}")
}

/// 64 random bits from the standard library's randomly seeded hasher (seeded from the OS
/// once per process), mixed with the clock and the process id: uniqueness, not secrecy.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    hasher.finish()
}

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

/// A validated post: the scores in the order sent, and whether they came as an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub posts: Vec<NewScore>,
    pub is_array: bool,
}

fn bad(param: impl Into<String>, message: impl Into<String>) -> ApiError {
    ApiError::BadPost {
        param: param.into(),
        message: message.into(),
    }
}

/// At most 40 characters of outside text, for messages.
fn clip(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() <= SHOWN {
        text.to_string()
    } else {
        let mut clipped: String = text.chars().take(SHOWN).collect();
        clipped.push('…');
        clipped
    }
}

/// Validates a whole body (one score or an array of them) before anything is stored;
/// `new_id` assigns ids to scores sent without one.
pub fn parse_body(bytes: &[u8], new_id: impl Fn() -> String) -> Result<Batch, ApiError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| bad("body", format!("the body is not valid JSON: {e}")))?;
    let (posts, is_array) = match &value {
        Value::Object(fields) => (vec![parse_score(fields, None, &new_id)?], false),
        Value::Array(elements) => {
            if elements.is_empty() {
                return Err(bad("body", "the batch is empty: send 1 or more scores"));
            }
            if elements.len() > MAX_BATCH {
                return Err(bad(
                    "body",
                    format!(
                        "a batch holds at most {MAX_BATCH} scores, got {}: split it",
                        elements.len()
                    ),
                ));
            }
            let mut posts = Vec::with_capacity(elements.len());
            for (index, element) in elements.iter().enumerate() {
                let Value::Object(fields) = element else {
                    return Err(bad(
                        format!("[{index}]"),
                        format!(
                            "each batch element must be a score object, found {}",
                            kind(element)
                        ),
                    ));
                };
                posts.push(parse_score(fields, Some(index), &new_id)?);
            }
            (posts, true)
        }
        other => {
            return Err(bad(
                "body",
                format!(
                    "the body must be a score object or an array of them, found {}",
                    kind(other)
                ),
            ))
        }
    };
    let mut first_of_id: HashMap<&str, usize> = HashMap::new();
    for (index, post) in posts.iter().enumerate() {
        if let Some(first) = first_of_id.insert(post.score.id.as_str(), index) {
            return Err(bad(
                batch_param(Some(index), "id"),
                format!(
                    "id {:?} repeats the id of [{first}]: each score in a batch needs its own id",
                    clip(&post.score.id)
                ),
            ));
        }
    }
    Ok(Batch { posts, is_array })
}

/// What a JSON value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Field paths of one batch element (or of the single score).
struct Path {
    at: Option<usize>,
}

impl Path {
    fn param(&self, field: &str) -> String {
        batch_param(self.at, field)
    }
}

fn parse_score(
    fields: &Map<String, Value>,
    at: Option<usize>,
    new_id: &impl Fn() -> String,
) -> Result<NewScore, ApiError> {
    let path = Path { at };
    refuse_unknown(fields, &SCORE_FIELDS, &path, "", "a score")?;
    let id = match optional(fields, "id") {
        None => new_id(),
        Some(value) => text_field(value, &path.param("id"), "id", MAX_ID_LEN, Length::Bytes)?,
    };
    let profile_id = text_field(
        required(fields, "profileId", &path)?,
        &path.param("profileId"),
        "profileId",
        MAX_ID_LEN,
        Length::Bytes,
    )?;
    let score = score_field(required(fields, "score", &path)?, &path.param("score"))?;
    let game_mode = text_field(
        required(fields, "gameMode", &path)?,
        &path.param("gameMode"),
        "gameMode",
        MAX_FILTER_LEN,
        Length::Bytes,
    )?;
    let game_region = text_field(
        required(fields, "gameRegion", &path)?,
        &path.param("gameRegion"),
        "gameRegion",
        MAX_FILTER_LEN,
        Length::Bytes,
    )?;
    let profile = match optional(fields, "profile") {
        None => None,
        Some(Value::Object(profile)) => Some(parse_profile(profile, &profile_id, &path)?),
        Some(other) => {
            return Err(bad(
                path.param("profile"),
                format!(
                    "profile must be an object with userName (and optionally avatarUrl, \
                     achievements), found {}",
                    kind(other)
                ),
            ))
        }
    };
    Ok(NewScore {
        score: ScoreRecord {
            id,
            profile_id,
            score,
            game_mode,
            game_region,
        },
        profile,
    })
}

fn parse_profile(
    fields: &Map<String, Value>,
    profile_id: &str,
    path: &Path,
) -> Result<Profile, ApiError> {
    refuse_unknown(fields, &PROFILE_FIELDS, path, "profile.", "a profile")?;
    let user_name_param = path.param("profile.userName");
    let user_name = match fields.get("userName") {
        None | Some(Value::Null) => {
            return Err(bad(
                user_name_param,
                "profile.userName is required: the name shown on the leaderboard",
            ))
        }
        Some(value) => text_field(
            value,
            &user_name_param,
            "profile.userName",
            MAX_USER_NAME_CHARS,
            Length::Chars,
        )?,
    };
    if user_name.trim().is_empty() {
        return Err(bad(user_name_param, "profile.userName must not be blank"));
    }
    let avatar_url = match optional(fields, "avatarUrl") {
        None => DEFAULT_AVATAR_PATH.to_string(),
        Some(value) => avatar_field(value, &path.param("profile.avatarUrl"))?,
    };
    let achievements = match optional(fields, "achievements") {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            if items.len() > MAX_ACHIEVEMENTS {
                return Err(bad(
                    path.param("profile.achievements"),
                    format!(
                        "profile.achievements holds at most {MAX_ACHIEVEMENTS} entries, got {}",
                        items.len()
                    ),
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let field = format!("profile.achievements[{index}]");
                    text_field(
                        item,
                        &path.param(&field),
                        &field,
                        MAX_ACHIEVEMENT_CHARS,
                        Length::Chars,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?
        }
        Some(other) => {
            return Err(bad(
                path.param("profile.achievements"),
                format!(
                    "profile.achievements must be an array of strings, found {}",
                    kind(other)
                ),
            ))
        }
    };
    Ok(Profile {
        id: profile_id.to_string(),
        user_name,
        avatar_url,
        achievements,
    })
}

fn refuse_unknown(
    fields: &Map<String, Value>,
    known: &[&str],
    path: &Path,
    prefix: &str,
    what: &str,
) -> Result<(), ApiError> {
    match fields.keys().find(|key| !known.contains(&key.as_str())) {
        None => Ok(()),
        Some(unknown) => Err(bad(
            path.param(&format!("{prefix}{}", clip(unknown))),
            format!(
                "unknown field {:?}: {what} has only {}",
                clip(unknown),
                known.join(", ")
            ),
        )),
    }
}

/// A field that may be absent; `null` counts as absent.
fn optional<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    fields.get(name).filter(|value| !value.is_null())
}

fn required<'a>(
    fields: &'a Map<String, Value>,
    name: &str,
    path: &Path,
) -> Result<&'a Value, ApiError> {
    optional(fields, name).ok_or_else(|| bad(path.param(name), format!("{name} is required")))
}

#[derive(Clone, Copy)]
enum Length {
    Bytes,
    Chars,
}

/// A non-empty string without control characters, at most `max` bytes or characters.
fn text_field(
    value: &Value,
    param: &str,
    name: &str,
    max: usize,
    unit: Length,
) -> Result<String, ApiError> {
    let Value::String(text) = value else {
        return Err(bad(
            param,
            format!("{name} must be a string, found {}", kind(value)),
        ));
    };
    if text.is_empty() {
        return Err(bad(param, format!("{name} must not be empty")));
    }
    let (length, unit_name) = match unit {
        Length::Bytes => (text.len(), "bytes"),
        Length::Chars => (text.chars().count(), "characters"),
    };
    if length > max {
        return Err(bad(
            param,
            format!("{name} must be at most {max} {unit_name}, got {length}"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(bad(
            param,
            format!("{name} must not contain control characters"),
        ));
    }
    Ok(text.clone())
}

/// A whole number of points in `0..=MAX_POSTED_SCORE`.
fn score_field(value: &Value, param: &str) -> Result<i64, ApiError> {
    let out_of_range = || bad(param, format!("score must be from 0 to {MAX_POSTED_SCORE}"));
    let Value::Number(number) = value else {
        return Err(bad(
            param,
            format!("score must be a whole number, found {}", kind(value)),
        ));
    };
    match number.as_i64() {
        Some(score) if (0..=MAX_POSTED_SCORE).contains(&score) => Ok(score),
        Some(_) => Err(out_of_range()),
        None if number.is_u64() => Err(out_of_range()),
        None => Err(bad(
            param,
            format!("score must be a whole number (no fraction or exponent), got {number}"),
        )),
    }
}

/// An http(s) or relative URL, as the widget and the read path accept.
fn avatar_field(value: &Value, param: &str) -> Result<String, ApiError> {
    let url = text_field(
        value,
        param,
        "profile.avatarUrl",
        MAX_AVATAR_URL_LEN,
        Length::Bytes,
    )?;
    if url
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\\'))
    {
        return Err(bad(
            param,
            "profile.avatarUrl must not contain spaces, quotes, < > or backslashes",
        ));
    }
    if let Some((scheme, _)) = url.split_once(':') {
        let is_scheme = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        let is_http = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        if is_scheme && !is_http {
            return Err(bad(
                param,
                format!(
                    "profile.avatarUrl must be an http(s) URL or a relative one, not {}:",
                    clip(scheme)
                ),
            ));
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param_of(body: &str) -> String {
        match parse_body(body.as_bytes(), || "assigned".to_string()) {
            Err(ApiError::BadPost { param, .. }) => param,
            other => panic!("expected a 400 for {body}, got {other:?}"),
        }
    }

    const OK: &str = r#"{"profileId":"p1","score":5,"gameMode":"Solo","gameRegion":"Milky Way"}"#;

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

    #[test]
    fn assigned_ids_are_unique_url_safe_and_time_ordered() {
        let ids: Vec<String> = (0..1000).map(|_| assign_score_id()).collect();
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        assert!(ids
            .iter()
            .all(|id| id.len() <= MAX_ID_LEN
                && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')));
        assert!(ids.first().unwrap()[..12] <= ids.last().unwrap()[..12]);
    }

    #[test]
    fn a_missing_id_is_assigned_and_defaults_fill_the_profile() {
        let body = r#"{"profileId":"p1","score":5,"gameMode":"Solo","gameRegion":"M",
                       "profile":{"userName":"Ann"}}"#;
        let batch = parse_body(body.as_bytes(), || "new-id".to_string()).unwrap();
        assert!(!batch.is_array);
        let post = &batch.posts[0];
        assert_eq!(post.score.id, "new-id");
        let profile = post.profile.as_ref().unwrap();
        assert_eq!(
            (profile.id.as_str(), profile.avatar_url.as_str()),
            ("p1", DEFAULT_AVATAR_PATH)
        );
        assert!(profile.achievements.is_empty());
    }

    #[test]
    fn errors_name_the_field_and_the_batch_position() {
        assert_eq!(param_of("nope"), "body");
        assert_eq!(param_of("[]"), "body");
        assert_eq!(param_of("42"), "body");
        assert_eq!(param_of(&OK.replace("5", "-1")), "score");
        assert_eq!(param_of(&OK.replace("5", "5.5")), "score");
        assert_eq!(param_of(&OK.replace("\"Solo\"", "\"\"")), "gameMode");
        assert_eq!(param_of(&OK.replace("\"p1\"", "7")), "profileId");
        assert_eq!(param_of(&OK.replace("{", "{\"extra\":1,")), "extra");
        assert_eq!(
            param_of(&format!("[{OK},{OK},{}]", OK.replace("5", "\"5\""))),
            "[2].score"
        );
        assert_eq!(param_of(&format!("[{OK},3]")), "[1]");
        let with_profile = |profile: &str| OK.replace("}", &format!(",\"profile\":{profile}}}"));
        assert_eq!(
            param_of(&with_profile(r#"{"avatarUrl":"a.png"}"#)),
            "profile.userName"
        );
        assert_eq!(
            param_of(&with_profile(
                r#"{"userName":"A","avatarUrl":"javascript:alert(1)"}"#
            )),
            "profile.avatarUrl"
        );
        assert_eq!(
            param_of(&with_profile(r#"{"userName":"A","achievements":["x",""]}"#)),
            "profile.achievements[1]"
        );
        assert_eq!(
            param_of(&with_profile(r#"{"userName":"A","nick":"B"}"#)),
            "profile.nick"
        );
    }
}
