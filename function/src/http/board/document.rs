//! The board page's document around the widget's markup: the widget's shadow root written
//! as declarative shadow DOM (`<template shadowrootmode="open">`, the markup the browser
//! widget holds in its shadow root), the widget's stylesheet inline, a strict CSP that
//! allows exactly those stylesheets by hash, and the failure page (a readable message).
//!
//! What must stay true: no inline script or style but the stylesheets whose hashes the CSP
//! names; no cookies; nothing requested from another origin but the images the data
//! names; who may frame the page is `--frame-ancestors` (anyone by default).

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY,
    RETRY_AFTER, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use space_leaderboard::i18n::{load_now, Msg, Texts};
use space_leaderboard::mount::WIDGET_CSS;
use space_leaderboard::options::OptionError;

use crate::http::caching::CachePolicy;
use crate::http::error::{ApiError, RETRY_AFTER_SECONDS};
use crate::http::response_cache::Encoding;

/// The page around the widget: no margins, so a frame shows the widget edge to edge.
const PAGE_CSS: &str = "html,body{margin:0;padding:0}\
.board-error{font:16px/1.5 system-ui,sans-serif;padding:1rem 1.25rem;color:#e6e9f5;background:#0b1020}";

/// The board page's addition to the widget's stylesheet, in its shadow root. On a board page
/// the widget is the page: skipping its rendering while off-screen (`content-visibility:
/// auto`, for pages with many widgets) would give a short frame the 800 px estimate as the
/// content height to report, and the frame would grow to it instead of to the board.
const BOARD_WIDGET_CSS: &str = ".slb-main{content-visibility:visible}";

/// The board page's script: frame height to the parent, options from it (frame.js says
/// what it sends and accepts).
const FRAME_SCRIPT: &str = include_str!("frame.js");

/// With `--embed-dir`: loads the widget's wasm and hands it the board (src/board_mount.rs),
/// then marks the document `data-board="live"`; a failure leaves the server's board, whose
/// links and forms keep working.
const TAKEOVER_SCRIPT: &str =
    "import init, { mountBoard } from './embed/space-leaderboard-core.js';\n\
init().then(() => mountBoard(document.getElementById('space-leaderboard-board'))).then(() => { \
document.documentElement.dataset.board = 'live'; }).catch((error) => \
console.error('space-leaderboard: the board stays as the server rendered it:', error));";

/// `'sha256-…'` of an inline stylesheet's or script's text, as a CSP source.
fn hash_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The CSP's `style-src`: the page's and the widget's stylesheets and the board's addition, hashed once.
fn style_sources() -> &'static str {
    static SOURCES: OnceLock<String> = OnceLock::new();
    SOURCES.get_or_init(|| {
        format!(
            "{} {} {}",
            hash_source(PAGE_CSS),
            hash_source(WIDGET_CSS),
            hash_source(BOARD_WIDGET_CSS)
        )
    })
}

/// The CSP's `script-src`: the frame script by hash; with the takeover, its script by hash
/// and the embed (glue and wasm) from this origin.
fn script_sources(takeover: bool) -> &'static str {
    static FRAME: OnceLock<String> = OnceLock::new();
    static WITH_TAKEOVER: OnceLock<String> = OnceLock::new();
    if takeover {
        WITH_TAKEOVER.get_or_init(|| {
            format!(
                "{} {} 'self' 'wasm-unsafe-eval'",
                hash_source(FRAME_SCRIPT),
                hash_source(TAKEOVER_SCRIPT)
            )
        })
    } else {
        FRAME.get_or_init(|| hash_source(FRAME_SCRIPT))
    }
}

/// Who may frame the board page: the CSP `frame-ancestors` sources (`*`, `'self'`,
/// `'none'`, or origins such as `https://blog.example https://*.example.org`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentSecurityPolicy {
    frame_ancestors: String,
}

impl Default for ContentSecurityPolicy {
    fn default() -> Self {
        ContentSecurityPolicy {
            frame_ancestors: "*".to_string(),
        }
    }
}

impl FromStr for ContentSecurityPolicy {
    type Err = String;

    /// Space-separated frame-ancestors sources. Anything that could end the directive or
    /// add another (`;`, `,`, quotes outside the keywords, control characters) is refused.
    fn from_str(text: &str) -> Result<Self, String> {
        let sources: Vec<&str> = text.split_whitespace().collect();
        if sources.is_empty() {
            return Err("expected frame-ancestors sources, e.g. * or https://blog.example".into());
        }
        for source in &sources {
            let keyword = ["'self'", "'none'"].contains(source);
            let host_source = source.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b':' | b'/' | b'*' | b'-' | b'_')
            });
            if !keyword && !host_source {
                return Err(format!(
                    "{source:?} is not a frame-ancestors source (*, 'self', 'none' or an origin like https://blog.example)"
                ));
            }
        }
        Ok(ContentSecurityPolicy {
            frame_ancestors: sources.join(" "),
        })
    }
}

impl fmt::Display for ContentSecurityPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.frame_ancestors)
    }
}

impl ContentSecurityPolicy {
    /// The header value: nothing by default; the inline styles and the frame script by
    /// hash; requests to this origin; images from this origin or any http(s) avatar URL
    /// the data names.
    pub fn header_value(&self, takeover: bool) -> HeaderValue {
        let policy = format!(
            "default-src 'none'; style-src {}; script-src {}; \
             connect-src 'self'; img-src 'self' https: http:; base-uri 'none'; \
             form-action 'self'; frame-ancestors {}",
            style_sources(),
            script_sources(takeover),
            self.frame_ancestors
        );
        // Built from checked sources and base64: always a valid header value.
        HeaderValue::from_str(&policy)
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
    }
}

/// The document: `title` (plain text) in language `lang` written in direction `dir` (both
/// from the widget's language files: safe tokens), the widget's server-rendered markup.
fn document(title: &str, lang: &str, dir: &str, head_extra: &str, body: &str) -> String {
    let title = html_escape::encode_text(title);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title>{head_extra}<style>{PAGE_CSS}</style></head><body>{body}</body></html>\n"
    )
}

/// The board page: the widget's markup in its declarative shadow root. `first_page_json`
/// (`{"page", "meta"}`): the wasm takes the board over, reading it instead of asking again.
pub fn page_html(
    title: &str,
    lang: &str,
    dir: &str,
    widget_markup: &str,
    head_extra: &str,
    first_page_json: Option<&str>,
    auto_theme: bool,
) -> String {
    let takeover = match first_page_json {
        // A data block, never run; `</` is escaped so the JSON cannot end the element.
        Some(json) => format!(
            "<script type=\"application/json\" id=\"space-leaderboard-first-page\">{}</script>\
<script type=\"module\">{TAKEOVER_SCRIPT}</script>",
            json.replace("</", "<\\/")
        ),
        None => String::new(),
    };
    // `theme=auto` is rendered dark (the server cannot know the reader's colour scheme);
    // the frame script switches it before the first paint (frame.js).
    let theme = if auto_theme {
        " data-theme=\"auto\""
    } else {
        ""
    };
    let body = format!(
        "<div class=\"board\" id=\"space-leaderboard-board\"{theme}>\
<template shadowrootmode=\"open\"><style>{WIDGET_CSS}</style><style>{BOARD_WIDGET_CSS}</style>\
<div class=\"slb-host\">{widget_markup}</div></template></div><script>{FRAME_SCRIPT}</script>{takeover}"
    );
    document(title, lang, dir, head_extra, &body)
}

/// A board page's answer: `body` is [`page_html`]'s page in `encoding`; `takeover`: the page
/// carries the takeover script (its CSP hash is allowed).
pub fn page(
    body: Bytes,
    encoding: Encoding,
    takeover: bool,
    csp: &ContentSecurityPolicy,
    cache: CachePolicy,
) -> Response {
    let mut response = respond(StatusCode::OK, body, csp, cache.header_value());
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, csp.header_value(takeover));
    if let Some(value) = encoding.header_value() {
        headers.insert(CONTENT_ENCODING, value);
    }
    response
}

fn respond(
    status: StatusCode,
    html: impl Into<Bytes>,
    csp: &ContentSecurityPolicy,
    cache_control: HeaderValue,
) -> Response {
    let mut response = (status, html.into()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CONTENT_SECURITY_POLICY, csp.header_value(false));
    headers.insert(CACHE_CONTROL, cache_control);
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// A board page that cannot be shown: its status and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardFailure {
    status: StatusCode,
    problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    /// A bad option: the widget's message, said in the page's language.
    Option(OptionError),
    /// The API's message (English, as the API's JSON errors are).
    Api(String),
}

impl BoardFailure {
    /// What went wrong, in English (the oEmbed endpoint's JSON error).
    pub fn message(&self) -> String {
        match &self.problem {
            Problem::Option(error) => error.to_string(),
            Problem::Api(message) => message.clone(),
        }
    }

    pub fn bad_option(error: OptionError) -> BoardFailure {
        BoardFailure {
            status: StatusCode::BAD_REQUEST,
            problem: Problem::Option(error),
        }
    }

    pub fn bad_request(message: String) -> BoardFailure {
        BoardFailure {
            status: StatusCode::BAD_REQUEST,
            problem: Problem::Api(message),
        }
    }

    /// What the reader of a page in `texts`' language is told: the widget's own words for
    /// a bad option ("Leaderboard not shown. Invalid option …"); for a failure of the
    /// server, that the service answered with an error (its reason goes to the log).
    fn reader_message(&self, texts: &Texts) -> String {
        let message = match &self.problem {
            Problem::Option(error) => error.message(texts),
            Problem::Api(_) if self.status.is_server_error() => texts.fill(
                Msg::ErrorStatus,
                &[("status", &self.status.as_u16().to_string())],
            ),
            Problem::Api(message) => message.clone(),
        };
        texts.fill(Msg::NotShown, &[("message", &message)])
    }

    /// The failure as an HTML page in language `lang` (never cached: it describes this
    /// moment).
    pub fn into_page(self, lang: &'static str, csp: &ContentSecurityPolicy) -> Response {
        let texts = load_now(lang);
        let title = texts.get(Msg::Title);
        let body = format!(
            "<main class=\"board-error\" role=\"alert\"><h1>{}</h1><p>{}</p></main>",
            html_escape::encode_text(&title),
            html_escape::encode_text(&self.reader_message(&texts)),
        );
        let html = document(&title, &texts.lang, texts.dir(), "", &body);
        let mut response = respond(self.status, html, csp, HeaderValue::from_static("no-store"));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        response
    }
}

impl From<ApiError> for BoardFailure {
    fn from(error: ApiError) -> Self {
        if let ApiError::StoreUnavailable { reason } = &error {
            eprintln!("store unavailable: {reason}");
        }
        BoardFailure {
            status: error.status(),
            problem: Problem::Api(error.to_string()),
        }
    }
}
