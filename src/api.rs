//! The one HTTP client of the widget: gloo-net requests typed by the model crate.
//!
//! Bodies are parsed by the browser (`JSON.parse`) and read by [`crate::decode`] (size rule
//! "no serde"). Every failure — network, timeout, HTTP status,
//! an HTML error page, malformed or incomplete JSON — becomes an [`ApiError`] with a
//! sentence a reader understands.

use std::fmt;

use leaderboard_model::{LeaderboardMeta, LeaderboardQuery, LeaderboardResponse};

use crate::decode;
use crate::i18n::{Msg, Texts};

/// How long one request may take before it is abandoned.
pub const REQUEST_TIMEOUT_MS: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an answer (offline, DNS, CORS, server down).
    Network,
    /// No answer within [`REQUEST_TIMEOUT_MS`].
    Timeout,
    /// A non-2xx status, with the API's `error` sentence when the body had one.
    Status {
        status: u16,
        message: Option<String>,
    },
    /// A 2xx answer that is not the expected JSON document.
    Unreadable { detail: String },
    /// Cancelled because a newer request replaced it; never shown.
    Aborted,
}

impl ApiError {
    /// Worth retrying automatically: the same request may well succeed later.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network | ApiError::Timeout => true,
            ApiError::Status { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            ApiError::Unreadable { .. } | ApiError::Aborted => false,
        }
    }
}

impl ApiError {
    /// The sentence a reader sees, in the widget's language.
    pub fn message(&self, texts: &Texts) -> String {
        match self {
            ApiError::Network => texts.get(Msg::ErrorNetwork),
            ApiError::Timeout => texts.get(Msg::ErrorTimeout),
            ApiError::Status {
                status: 404,
                message: Some(message),
            } => texts.fill(Msg::ErrorNotFound, &[("message", message)]),
            ApiError::Status { status, message } => {
                let status = status.to_string();
                match message {
                    Some(message) => texts.fill(
                        Msg::ErrorStatusMessage,
                        &[("status", &status), ("message", message)],
                    ),
                    None => texts.fill(Msg::ErrorStatus, &[("status", &status)]),
                }
            }
            ApiError::Unreadable { detail } => {
                texts.fill(Msg::ErrorUnreadable, &[("detail", detail)])
            }
            ApiError::Aborted => texts.get(Msg::ErrorAborted),
        }
    }
}

/// The English sentence (logs and tests); readers see [`ApiError::message`].
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(&crate::i18n::english()))
    }
}

/// `endpoint?query`, keeping any query the endpoint already carries.
pub fn leaderboard_url(endpoint: &str, query: &LeaderboardQuery) -> String {
    let query = query.to_query_string();
    if query.is_empty() {
        endpoint.to_string()
    } else if endpoint.contains('?') {
        format!("{endpoint}&{query}")
    } else {
        format!("{endpoint}?{query}")
    }
}

/// The facet endpoint next to the leaderboard endpoint (`…/LeaderboardFunction/meta`).
pub fn meta_url(endpoint: &str) -> String {
    match endpoint.split_once('?') {
        Some((path, query)) => format!("{}/meta?{query}", path.trim_end_matches('/')),
        None => format!("{}/meta", endpoint.trim_end_matches('/')),
    }
}

#[cfg(target_arch = "wasm32")]
/// One leaderboard page. `revalidate` makes the browser ask the server (a conditional
/// request, `304` when nothing changed) even while its cached copy is fresh: live refresh
/// and retry need the server's current answer, not a copy up to `max-age` seconds old.
pub async fn fetch_page(
    endpoint: &str,
    query: &LeaderboardQuery,
    revalidate: bool,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<LeaderboardResponse, ApiError> {
    let body = get_text(&leaderboard_url(endpoint, query), revalidate, signal).await?;
    parse_leaderboard(&body)
}

#[cfg(target_arch = "wasm32")]
pub async fn fetch_meta(endpoint: &str) -> Result<LeaderboardMeta, ApiError> {
    let body = get_text(&meta_url(endpoint), false, None).await?;
    parse_meta(&body)
}

/// A JSON document (a language file), parsed by the browser.
#[cfg(target_arch = "wasm32")]
pub async fn fetch_json(url: &str) -> Result<wasm_bindgen::JsValue, ApiError> {
    parse_json(&get_text(url, false, None).await?)
}

/// The body of a 2xx answer; any other status is an error carrying the API's message.
#[cfg(target_arch = "wasm32")]
async fn get_text(
    url: &str,
    revalidate: bool,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<String, ApiError> {
    use gloo_net::http::Request;
    use web_sys::{RequestCache, RequestInit};

    // A failed step is the reader's network, or our own abort (a newer request, a timeout).
    let aborted = || signal.is_some_and(web_sys::AbortSignal::aborted);
    let failed = || {
        if aborted() {
            ApiError::Aborted
        } else {
            ApiError::Network
        }
    };
    // The `web_sys::Request` is built here, not by gloo-net's `RequestBuilder`, which
    // re-parses the URL to merge query parameters we never give it (size rule "requests from
    // web_sys").
    let init = RequestInit::new();
    init.set_cache(if revalidate {
        RequestCache::NoCache
    } else {
        RequestCache::Default
    });
    init.set_signal(signal);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| failed())?;
    request
        .headers()
        .set("Accept", "application/json")
        .map_err(|_| failed())?;
    // A first load's request matches a `<link rel=preload as=fetch>` of the page or of the
    // embed's loader (www/src/prefetch.js): the browser then answers it with that response.
    let response = Request::from(request).send().await.map_err(|_| failed())?;
    let status = response.status();
    let body = response.text().await.map_err(|_| failed())?;
    if !(200..300).contains(&status) {
        return Err(ApiError::Status {
            status,
            message: parse_with(&body, decode::api_error_body)
                .ok()
                .map(|body| crate::format::clip(&body.error, 200)),
        });
    }
    Ok(body)
}

/// A leaderboard answer from its JSON text.
pub fn parse_leaderboard(body: &str) -> Result<LeaderboardResponse, ApiError> {
    parse_with(body, decode::leaderboard_response)
}

/// A facet answer from its JSON text.
pub fn parse_meta(body: &str) -> Result<LeaderboardMeta, ApiError> {
    parse_with(body, decode::leaderboard_meta)
}

/// Parses with the browser's JSON parser, then checks the shape.
fn parse_with<T>(
    body: &str,
    decode: fn(&wasm_bindgen::JsValue) -> Result<T, decode::DecodeError>,
) -> Result<T, ApiError> {
    decode(&parse_json(body)?).map_err(unreadable_shape)
}

/// The browser's `JSON.parse` (one copy, not one per answer type).
fn parse_json(body: &str) -> Result<wasm_bindgen::JsValue, ApiError> {
    js_sys::JSON::parse(body).map_err(|_| ApiError::Unreadable {
        detail: if body.trim_start().starts_with('<') {
            "an HTML page instead of JSON".to_string()
        } else {
            "not valid JSON".to_string()
        },
    })
}

fn unreadable_shape(detail: decode::DecodeError) -> ApiError {
    ApiError::Unreadable {
        detail: crate::format::clip(&detail, 160),
    }
}

/// Host builds (workspace-wide clippy) have no fetch; the widget only runs in browsers.
#[cfg(not(target_arch = "wasm32"))]
pub async fn fetch_page(
    _endpoint: &str,
    _query: &LeaderboardQuery,
    _revalidate: bool,
    _signal: Option<&web_sys::AbortSignal>,
) -> Result<LeaderboardResponse, ApiError> {
    Err(ApiError::Network)
}

#[cfg(not(target_arch = "wasm32"))]
pub async fn fetch_meta(_endpoint: &str) -> Result<LeaderboardMeta, ApiError> {
    Err(ApiError::Network)
}
