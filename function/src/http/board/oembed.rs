//! `GET /api/oembed` (oEmbed 1.0, https://oembed.com/): for the URL of one of our board
//! pages, a `rich` embed whose `html` is an iframe of that page. JSON only (`format=xml`
//! is `501`); a URL that is not one of our board pages is `404`, a missing or malformed
//! one `400`. A board page advertises it with a discovery `<link>` ([`discovery_url`]).

use axum::extract::{RawQuery, State};
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use leaderboard_model::{percent_encode, OEmbedResponse, BOARD_PATH, OEMBED_VERSION};

use super::parse;
use crate::http::error::ApiError;
use crate::http::public_url::PublicBaseUrl;
use crate::http::{AppState, HoldsUrls};
use leaderboard_model::ApiErrorBody;

/// Who provides the embeds.
pub const PROVIDER_NAME: &str = "Space Game leaderboard";
/// The iframe's width when the consumer sets no `maxwidth`.
pub const DEFAULT_WIDTH: u32 = 640;
/// Longest `url` accepted.
const MAX_URL_LEN: usize = 4096;
/// The board's height around its rows (toolbar, caption, header, footer), and a row's
/// height, in CSS pixels: the iframe's first height until the page reports its own
/// (`space-leaderboard:resize`).
const CHROME_HEIGHT: u32 = 250;
const ROW_HEIGHT: u32 = 53;
const COMPACT_ROW_HEIGHT: u32 = 41;

/// The absolute URL of the board page whose path and query are `href` (`/api/board?…`).
pub fn board_url(base: &PublicBaseUrl, href: &str) -> String {
    let query = href.strip_prefix(BOARD_PATH).unwrap_or_default();
    format!("{}{query}", board_prefix(base))
}

/// Where the board pages of this function live: `<public base>board`.
fn board_prefix(base: &PublicBaseUrl) -> String {
    let name = BOARD_PATH.trim_start_matches("/api/");
    format!("{}{name}", base.as_str())
}

/// The oEmbed endpoint's URL for `board_url` (the discovery link's `href`).
pub fn discovery_url(base: &PublicBaseUrl, board_url: &str) -> String {
    format!(
        "{}oembed?url={}&format=json",
        base.as_str(),
        percent_encode(board_url)
    )
}

/// `GET /api/oembed`: the oEmbed answer for one of our board pages.
#[utoipa::path(
    get,
    path = "/api/oembed",
    tag = "leaderboard",
    operation_id = "oembed",
    summary = "oEmbed 1.0 for a board page: a rich embed whose html is an iframe of it",
    params(
        ("url" = String, Query, description = "The URL of one of this function's board pages (`…/api/board?…`)."),
        ("format" = Option<String>, Query, description = "`json` (the default); `xml` is not implemented (`501`)."),
        ("maxwidth" = Option<u32>, Query, description = "The widest iframe the consumer can show, in pixels."),
        ("maxheight" = Option<u32>, Query, description = "The tallest iframe the consumer can show, in pixels."),
    ),
    responses(
        (status = 200, description = "The rich embed.", body = OEmbedResponse,
            headers(("Cache-Control" = String), ("Vary" = String))),
        (status = 400, description = "`url` missing or malformed, or a bad `maxwidth`/`maxheight`.", body = ApiErrorBody),
        (status = 404, description = "`url` is not one of this function's board pages.", body = ApiErrorBody),
        (status = 501, description = "`format=xml`: only JSON is answered.", body = ApiErrorBody),
    ),
)]
pub async fn oembed(
    State(app): State<AppState>,
    RawQuery(raw_query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    // The first occurrence counts, as for the API's parameters.
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
    };
    if let Some(format) = param("format").filter(|format| !format.is_empty()) {
        if !format.eq_ignore_ascii_case("json") {
            return Err(ApiError::OEmbedFormat {
                format: format.chars().take(20).collect(),
            });
        }
    }
    let url = param("url")
        .filter(|url| !url.is_empty())
        .ok_or_else(|| bad("url", "missing: give the URL of a board page"))?;
    let absolute = url.starts_with("http://") || url.starts_with("https://");
    if !absolute || url.len() > MAX_URL_LEN || url.chars().any(char::is_control) {
        return Err(bad(
            "url",
            "expected the absolute http(s) URL of a board page",
        ));
    }
    let max_width = dimension(param("maxwidth"), "maxwidth")?;
    let max_height = dimension(param("maxheight"), "maxheight")?;

    let base = app.public_base(&headers);
    let prefix = board_prefix(&base);
    let rest = url
        .strip_prefix(prefix.as_str())
        .filter(|rest| rest.is_empty() || rest.starts_with('?') || rest.starts_with('#'))
        .ok_or_else(|| ApiError::NotABoard {
            problem: format!("board pages are at {prefix}"),
        })?;
    let query = rest
        .split('#')
        .next()
        .unwrap_or_default()
        .trim_start_matches('?');
    let board = parse(query).map_err(|failure| ApiError::NotABoard {
        problem: failure.message(),
    })?;

    let row = if board.options.compact {
        COMPACT_ROW_HEIGHT
    } else {
        ROW_HEIGHT
    };
    let natural_height = CHROME_HEIGHT + row * board.options.page_size;
    let width = max_width.map_or(DEFAULT_WIDTH, |max| DEFAULT_WIDTH.min(max));
    let height = max_height.map_or(natural_height, |max| natural_height.min(max));
    let title = board.options.title.clone().unwrap_or_else(|| {
        space_leaderboard::i18n::load_now(board.options.language())
            .get(space_leaderboard::i18n::Msg::Title)
    });
    let html = format!(
        "<iframe src=\"{src}\" title=\"{title}\" width=\"{width}\" height=\"{height}\" \
         loading=\"lazy\" style=\"border:0;max-width:100%\" \
         sandbox=\"allow-scripts allow-same-origin allow-popups allow-forms\"></iframe>",
        src = html_escape::encode_double_quoted_attribute(url),
        title = html_escape::encode_double_quoted_attribute(&title),
    );
    let answer = OEmbedResponse {
        kind: "rich".to_string(),
        version: OEMBED_VERSION.to_string(),
        title,
        provider_name: PROVIDER_NAME.to_string(),
        provider_url: base.as_str().trim_end_matches("api/").to_string(),
        cache_age: u64::from(app.config.cache.max_age),
        html,
        width,
        height,
    };
    // The iframe's and the provider's URLs are absolute against the public base.
    Ok((
        [
            (CACHE_CONTROL, app.config.cache.header_value()),
            (VARY, app.vary(HoldsUrls::Yes)),
        ],
        Json(answer),
    )
        .into_response())
}

fn bad(param: &'static str, problem: &str) -> ApiError {
    ApiError::BadOEmbed {
        param,
        problem: problem.to_string(),
    }
}

/// `maxwidth`/`maxheight`: absent, or a whole number of pixels from 1.
fn dimension(value: Option<&str>, param: &'static str) -> Result<Option<u32>, ApiError> {
    match value.filter(|value| !value.is_empty()) {
        None => Ok(None),
        Some(value) => match value.parse::<u32>() {
            Ok(pixels) if pixels >= 1 => Ok(Some(pixels)),
            _ => Err(bad(param, "expected a whole number of pixels from 1")),
        },
    }
}
