//! One JSON line per request on stdout: `ts`, `method`, `path`, `query`, `status`,
//! `duration_ms` and, when known before streaming, `bytes`. Log collectors (Azure's
//! included) take stdout as is; a line per request keeps them greppable.

use std::io::Write;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::HttpBody;
use axum::extract::Request;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::Response;
use leaderboard_model::PlayedAt;
use serde_json::json;

pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let response = next.run(request).await;
    // Time to the response head; a compressed body is still streaming.
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    let bytes = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .or_else(|| response.body().size_hint().exact());
    let line = json!({
        "ts": rfc3339_utc(SystemTime::now()),
        "method": method,
        "path": path,
        "query": query,
        "status": response.status().as_u16(),
        "duration_ms": (duration_ms * 1000.0).round() / 1000.0,
        "bytes": bytes,
    });
    // A failed log write (closed stdout) must not fail the request.
    let _ = writeln!(std::io::stdout().lock(), "{line}");
    response
}

/// `2026-11-23T12:34:56.789Z`: the model's one canonical time form (`PlayedAt`).
pub fn rfc3339_utc(time: SystemTime) -> String {
    let millis = time.duration_since(UNIX_EPOCH).map_or(0, |since| {
        u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
    });
    PlayedAt::from_unix_millis(millis)
        .unwrap_or(PlayedAt::MAX)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339_utc(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let leap_day = UNIX_EPOCH + Duration::from_millis(951_782_400_000 + 3_723_004);
        assert_eq!(rfc3339_utc(leap_day), "2000-02-29T01:02:03.004Z");
        let new_year_eve = UNIX_EPOCH + Duration::from_secs(1_798_761_599);
        assert_eq!(rfc3339_utc(new_year_eve), "2026-12-31T23:59:59.000Z");
    }
}
