//! The handlers: parse the request, ask the store, map the answer. Nothing else.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use leaderboard_model::{
    ApiErrorBody, HealthResponse, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, Period,
    PeriodKind, PlayedAt, SortKey, SortOrder, StoreStatus, View,
};

use super::avatars;
use super::caching::{Cached, ETag};
use super::error::ApiError;
use super::response_cache::Encoding;
use super::{AppState, HoldsUrls};

/// `GET /api/LeaderboardFunction`. The ETag comes from the data version and the canonical
/// query alone, so a matching `If-None-Match` is answered without running the query; so
/// does the response cache's key, so a repeated page is answered without running the
/// query or serialising (or compressing) it again.
#[utoipa::path(
    get,
    path = "/api/LeaderboardFunction",
    tag = "leaderboard",
    operation_id = "leaderboard",
    summary = "One page of the leaderboard",
    params(
        ("page" = Option<i64>, Query, minimum = 1, example = 1,
            description = "1-based page; default 1. Any whole number of 1 or more: a page past the end answers no scores, and one beyond 4294967295 is answered as page 4294967295 (`page` in the answer says which). Not a whole number, or below 1: `400`."),
        ("pageSize" = Option<i64>, Query, example = 10,
            description = "Entries per page; default 10. Any whole number, clamped to 1..=50 (as the original). Not a whole number: `400`."),
        ("mode" = Option<String>, Query, max_length = 100, example = "Solo",
            description = "Game mode, exact match; absent or empty: all modes. Unknown: no scores. At most 100 bytes."),
        ("region" = Option<String>, Query, max_length = 100, example = "Milky Way",
            description = "Game region, as `mode`."),
        ("sort" = Option<SortKey>, Query, description = "The column the whole filtered set is sorted by; default `score` (case-insensitive)."),
        ("order" = Option<SortOrder>, Query, description = "Default `desc` for `score`, `asc` for the others (case-insensitive)."),
        ("q" = Option<String>, Query, max_length = 64, description = "Case-insensitive prefix of the player's name; at most 64 bytes."),
        ("around" = Option<String>, Query, max_length = 128,
            description = "A profile id: answers the page holding that player's best entry. No entry in the selection: `404`. At most 128 bytes."),
        ("period" = Option<PeriodKind>, Query,
            description = "Which scores count, by when they were played (`playedAt`), in UTC calendar periods: `all` (default: every score, timed or not), `day` (from 00:00), `week` (ISO week, from Monday 00:00), `month` (from the 1st). Scores without a time count for `all` only. Every other parameter works inside the period; ranks are within it. Case-insensitive; anything else: `400` naming `period`."),
        ("at" = Option<String>, Query, example = "2026-11-23",
            description = "With a `period` other than `all`: an instant (`YYYY-MM-DD`, or an RFC 3339 time in UTC) in the period to read, e.g. last week's; default: the current period. It must not be in the future and must lie in a retained period (by default the last 31 days, 12 weeks and 12 months, the current one included; `meta.periods` gives the oldest). Malformed, without a period, or outside the retention: `400` naming `at`."),
        ("view" = Option<View>, Query,
            description = "`scores` (default): every score. `best`: each player once, with their best score in the selection (mode, region, period), ranked among players. Case-insensitive; anything else: `400` naming `view`."),
        ("If-None-Match" = Option<String>, Header, description = "An ETag from an earlier answer: `304` without a body when it still matches."),
    ),
    responses(
        (status = 200, description = "The page.", body = LeaderboardResponse, headers(
                ("ETag" = String, description = "From the data version and the canonical query with its period resolved: changes whenever the answer can, and at a period's end."),
                ("Cache-Control" = String, description = "`public, max-age=10, stale-while-revalidate=60` by default (configurable); for a current period, never past the period's end."),
                ("Vary" = String, description = "`Accept-Encoding`, plus the forwarding headers when avatar URLs depend on them."),
                ("X-Cache" = Option<String>, description = "Sent when the Redis store shares pages between function processes (`--redis-page-cache`): `local-hit` (this process's cache), `shared-hit` (computed by any process, read from Redis) or `miss` (computed for this request)."),
            )),
        (status = 304, description = "`If-None-Match` matched the ETag: the client's copy is current.", headers(
                ("ETag" = String, description = "From the data version and the canonical query with its period resolved: changes whenever the answer can, and at a period's end."),
                ("Cache-Control" = String, description = "`public, max-age=10, stale-while-revalidate=60` by default (configurable); for a current period, never past the period's end."),
                ("Vary" = String, description = "`Accept-Encoding`, plus the forwarding headers when avatar URLs depend on them."),
            )),
        (status = 400, description = "A parameter could not be accepted (including `period`, `at` and `view`); `param` names it.", body = ApiErrorBody),
        (status = 404, description = "`around` names a player with no entry in the selection.", body = ApiErrorBody),
        (status = 503, description = "The store cannot answer now; retry after `Retry-After` seconds.", body = ApiErrorBody, headers(("Retry-After" = u32, description = "Seconds to wait before retrying."))),
    ),
)]
pub async fn leaderboard(
    State(app): State<AppState>,
    RawQuery(raw_query): RawQuery,
    headers: HeaderMap,
) -> Result<Cached<LeaderboardResponse>, ApiError> {
    let now = app.config.clock.now();
    let mut query = parse_query(raw_query.as_deref())?;
    // `at` becomes the start of the period read, so the canonical query (the ETag's and the
    // caches' key) names the period and changes at its boundary by itself.
    let period = query.resolve_period(now, &app.config.retention)?;
    let lasts = |cached: Cached<LeaderboardResponse>| match period {
        Some(period) if period.contains(now) => {
            cached.lasting_at_most(seconds_until(now, period.end()))
        }
        _ => cached,
    };
    let base = app.public_base(&headers);
    let version = app.store.version().await?;
    let canonical = query.to_query_string();
    let etag = ETag::for_canonical_leaderboard(&version, &canonical, &base);
    if etag.matches_if_none_match(&headers) {
        return Ok(lasts(app.not_modified(etag, HoldsUrls::Yes)));
    }
    let (body, encoding, source) = app
        .leaderboard_body(
            &query,
            &canonical,
            &base,
            &version,
            Encoding::negotiate(&headers),
        )
        .await?;
    Ok(lasts(app.fresh_page(
        etag,
        HoldsUrls::Yes,
        body,
        encoding,
        source,
    )))
}

/// Whole seconds from `now` to `end` (0 when `end` has passed).
pub(super) fn seconds_until(now: PlayedAt, end: PlayedAt) -> u64 {
    end.unix_millis().saturating_sub(now.unix_millis()) / 1000
}

/// The current day of `now` (its start, as text): what the meta's periods depend on.
pub(super) fn today(now: PlayedAt) -> Option<Period> {
    Period::containing(PeriodKind::Day, now)
}

/// `GET /api/LeaderboardFunction/meta`: modes and regions with counts.
#[utoipa::path(
    get,
    path = "/api/LeaderboardFunction/meta",
    tag = "leaderboard",
    operation_id = "meta",
    summary = "Modes and regions present in the data, with counts, and the periods",
    params(("If-None-Match" = Option<String>, Header, description = "An ETag from an earlier answer: `304` without a body when it still matches.")),
    responses(
        (status = 200, description = "The facets and totals (all time), and, when the data holds timed scores, the periods: the current day, week and month with their ends, the oldest `at` may read, and the retained periods holding scores.", body = LeaderboardMeta, headers(
                ("ETag" = String, description = "From the data version and the current day: changes whenever the data does and at midnight UTC."),
                ("Cache-Control" = String, description = "`public, max-age=10, stale-while-revalidate=60` by default (configurable), never past midnight UTC."),
                ("Vary" = String, description = "`Accept-Encoding`."),
            )),
        (status = 304, description = "`If-None-Match` matched the ETag.", headers(
                ("ETag" = String, description = "From the data version and the current day: changes whenever the data does and at midnight UTC."),
                ("Cache-Control" = String, description = "`public, max-age=10, stale-while-revalidate=60` by default (configurable), never past midnight UTC."),
                ("Vary" = String, description = "`Accept-Encoding`."),
            )),
        (status = 503, description = "The store cannot answer now; retry after `Retry-After` seconds.", body = ApiErrorBody, headers(("Retry-After" = u32, description = "Seconds to wait before retrying."))),
    ),
)]
pub async fn meta(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Cached<LeaderboardMeta>, ApiError> {
    let now = app.config.clock.now();
    let version = app.store.version().await?;
    let today = today(now);
    let day_start = today.map(|day| day.start().to_string()).unwrap_or_default();
    let etag = ETag::for_meta(&version, &day_start);
    // The periods the meta lists change at midnight: no cache keeps it past one.
    let lasts = |cached: Cached<LeaderboardMeta>| match today {
        Some(day) => cached.lasting_at_most(seconds_until(now, day.end())),
        None => cached,
    };
    if etag.matches_if_none_match(&headers) {
        return Ok(lasts(app.not_modified(etag, HoldsUrls::No)));
    }
    Ok(lasts(app.fresh(
        etag,
        HoldsUrls::No,
        app.store.meta(now).await?,
    )))
}

/// `GET /api/health`: `200` when the store can answer, `503` when it cannot; never cached.
#[utoipa::path(
    get,
    path = "/api/health",
    tag = "leaderboard",
    operation_id = "health",
    summary = "Whether the store can answer",
    responses(
        (status = 200, description = "The store answers.", body = HealthResponse,
            headers(("Cache-Control" = String, description = "`no-store`."))),
        (status = 503, description = "The store cannot answer (`status` is `unavailable`).", body = HealthResponse,
            headers(("Cache-Control" = String, description = "`no-store`."))),
    ),
)]
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
#[utoipa::path(
    get,
    path = "/api/images/avatars/{name}",
    tag = "leaderboard",
    operation_id = "avatar",
    summary = "An avatar image built into the function",
    params(("name" = String, Path, example = "default.svg",
        description = "The file name: `default.svg`, `alien.svg`, `astronaut.svg`, `comet.svg`, `galaxy.svg`, `moon.svg`, `planet.svg`, `rocket.svg`, `satellite.svg`, `ufo.svg`."),
        ("If-None-Match" = Option<String>, Header, description = "An ETag from an earlier answer: `304` without a body when it still matches.")),
    responses(
        (status = 200, description = "The SVG image.", content_type = "image/svg+xml", body = String,
            headers(
                ("ETag" = String, description = "From the image's bytes."),
                ("Cache-Control" = String, description = "`public, max-age=31536000, immutable`."),
            )),
        (status = 304, description = "`If-None-Match` matched the ETag.",
            headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 404, description = "No such image.", body = ApiErrorBody),
    ),
)]
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
