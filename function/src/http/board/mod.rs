//! `GET /api/board`: one leaderboard as a complete HTML page, what an iframe points at and
//! a shared link opens. Its query parameters are the widget's options (parsed by the
//! widget's own `WidgetOptions::from_pairs`, so a bad value gets the widget's message),
//! plus `page` and `q`. The first page is read from the store (no HTTP call to ourselves)
//! and rendered into the page by the widget's own components ([`render`]); the document
//! around it, its CSP and headers are [`document`]. With `--embed-dir` the page also carries
//! that first page and the facets for the wasm, which takes the board over in place.

mod document;
mod language;
pub mod oembed;
mod preview;
mod render;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use leaderboard_model::{LeaderboardQuery, PlayedAt, BOARD_PATH};
use space_leaderboard::board::BoardLinks;
use space_leaderboard::options::{OptionName, Theme};
use space_leaderboard::WidgetOptions;

use super::error::ApiError;
use super::public_url::{absolutize_avatars, PublicBaseUrl};
use super::response_cache::{Encoding, PageKey};
use super::{AppState, HoldsUrls};
pub use document::{BoardFailure, ContentSecurityPolicy};

/// The request's options and state, validated.
pub(super) struct BoardRequest {
    pub options: WidgetOptions,
    pub query: LeaderboardQuery,
    pub links: BoardLinks,
}

/// `GET /api/board`: the board page.
#[utoipa::path(
    get,
    path = "/api/board",
    tag = "leaderboard",
    operation_id = "board",
    summary = "The board page: one leaderboard as a complete HTML page (iframe, shared link)",
    description = "Configured by the widget's options as query parameters (`mode`, `region`, `lockMode`, `lockRegion`, `period`, `lockPeriod`, `view`, `pageSize`, `sort`, `order`, `theme`, `locale`, `lang`, `title`, `showFilters`, `showSearch`, `compact`, `refresh`, `player`) plus the page state (`page`, `q`, `at`: an instant in the past period to show, and `around`: the page that holds that player, highlighted, what \"Find me\" links to). The first page of rows is rendered into the HTML; without scripts its links and forms answer the next state. The page speaks the language `lang` names, else the first of `Accept-Language` that has a language file, else English; so does the `400` HTML page naming a bad option.",
    responses(
        (status = 200, description = "The page.", content_type = "text/html", body = String,
            headers(("Content-Security-Policy" = String), ("Cache-Control" = String),
                ("X-Cache" = Option<String>, description = "As on `/api/LeaderboardFunction`: where the page came from when the Redis store shares pages."))),
        (status = 400, description = "A bad option: an HTML page saying which and why.", content_type = "text/html", body = String),
        (status = 503, description = "The store is unavailable (Redis down): an HTML page saying so.", content_type = "text/html", body = String),
    ),
)]
pub async fn board(
    State(app): State<AppState>,
    RawQuery(raw_query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let raw_query = raw_query.unwrap_or_default();
    let lang = language::page_language(&raw_query, &headers);
    match board_page(&app, &raw_query, lang, &headers).await {
        Ok(page) => page,
        Err(failure) => failure.into_page(lang, &app.config.board_csp),
    }
}

/// The board page in language `lang` ([`language::page_language`]).
async fn board_page(
    app: &AppState,
    raw_query: &str,
    lang: &'static str,
    headers: &HeaderMap,
) -> Result<Response, BoardFailure> {
    let mut request = parse(raw_query)?;
    // Everything rendered speaks the page's language (the widget's `language()`).
    request.options.lang = Some(lang.to_string());
    // The period read, resolved against the clock like the API's (`at` becomes its start):
    // the page's cache key names it, so a current period's page changes at its end.
    let now = app.config.clock.now();
    let mut resolved = request.query.clone();
    resolved
        .resolve_period(now, &app.config.retention)
        .map_err(|error| BoardFailure::bad_request(ApiError::BadQuery(error).to_string()))?;
    let base = app.public_base(headers);
    let accepted = Encoding::negotiate(headers);
    // Rendered pages are kept in the response cache like the API's, under the data version
    // and the page's whole query (its options shape the markup, not only the rows), its
    // resolved period and the current day (the meta it embeds changes at midnight), so a
    // repeated board is answered without the store, the renderer or the compressor, and a
    // board never outlives its period; the language too, as `Accept-Language` may choose it.
    let today = super::handlers::today(now);
    let version = app.store.version().await.map_err(ApiError::from)?;
    let mut key = PageKey::new(
        base.as_str(),
        &format!(
            "board?{raw_query}#{}#{}#{lang}",
            resolved.to_query_string(),
            today.map(|day| day.start().to_string()).unwrap_or_default()
        ),
    );
    let (body, encoding, source) = app
        .cached_body(
            &version,
            &mut key,
            accepted,
            render_page(app, request, &resolved, &base, now),
        )
        .await?;
    let mut response = document::page(
        body,
        encoding,
        app.config.embed_dir.is_some(),
        &app.config.board_csp,
        today.map_or(app.config.cache, |day| {
            app.config
                .cache
                .lasting_at_most(super::handlers::seconds_until(now, day.end()))
        }),
    );
    // Avatar and oEmbed URLs are absolute against the public base; the language follows
    // `Accept-Language` when the query names none.
    let vary = app.vary(HoldsUrls::Yes);
    let vary = vary
        .to_str()
        .ok()
        .and_then(|names| HeaderValue::from_str(&format!("{names}, Accept-Language")).ok())
        .unwrap_or(vary);
    response
        .headers_mut()
        .insert(axum::http::header::VARY, vary);
    if let Some(source) = app.x_cache(source) {
        response
            .headers_mut()
            .insert(crate::http::caching::X_CACHE, source);
    }
    Ok(response)
}

/// The board page's HTML: the first page and facets from the store, rendered by the
/// widget's components, as of `now` (the instant `resolved`'s period was resolved at).
async fn render_page(
    app: &AppState,
    request: BoardRequest,
    resolved: &LeaderboardQuery,
    base: &PublicBaseUrl,
    now: PlayedAt,
) -> Result<Vec<u8>, BoardFailure> {
    let mut page = app
        .store
        .leaderboard(resolved)
        .await
        .map_err(ApiError::from)?;
    absolutize_avatars(&mut page, base);
    let meta = app.store.meta(now).await.map_err(ApiError::from)?;
    // The page's language and direction, the default caption and the link preview, from
    // the widget's language files (`Texts` is not `Send`: it stays in this block).
    let board_url = oembed::board_url(base, &request.links.href(&request.query));
    let (title, lang, dir, head) = {
        let texts = space_leaderboard::i18n::load_now(request.options.language());
        let site_name = texts.get(space_leaderboard::i18n::Msg::Title);
        let title = request
            .options
            .title
            .clone()
            .unwrap_or_else(|| site_name.clone());
        // Numbers follow the `locale` option, else the language, as in the widget.
        let numbers = space_leaderboard::format::NumberFormatter::new(Some(
            request.options.locale.as_deref().unwrap_or(&texts.lang),
        ));
        let preview = preview::Preview {
            title: &title,
            site_name: &site_name,
            url: &board_url,
            description: preview::description(&texts, &numbers, resolved, &page, now),
        };
        let discovery = format!(
            "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{}\" title=\"{}\">",
            html_escape::encode_double_quoted_attribute(&oembed::discovery_url(base, &board_url)),
            html_escape::encode_double_quoted_attribute(&title),
        );
        let head = discovery + &preview.head_tags();
        (title, texts.lang.clone(), texts.dir(), head)
    };
    let auto_theme = request.options.theme == Theme::Auto;
    // With the embed served, the page hands the wasm the same first page and facets.
    let first_page_json = match app.config.embed_dir {
        Some(_) => Some(
            serde_json::to_string(&serde_json::json!({ "page": &page, "meta": &meta })).map_err(
                |e| ApiError::StoreUnavailable {
                    reason: format!("cannot serialise the page: {e}"),
                },
            )?,
        ),
        None => None,
    };
    let highlight = request.query.around.clone();
    let body = render::board_markup(
        request.options,
        page,
        Some(meta),
        request.links,
        highlight,
        now.unix_millis(),
    )
    .await;
    Ok(document::page_html(
        &title,
        &lang,
        dir,
        &body,
        &head,
        first_page_json.as_deref(),
        auto_theme,
    )
    .into_bytes())
}

/// The options (all but `endpoint`: the board shows this function's leaderboard), the
/// query they and `page`/`q` ask for, and the links to the board's other states.
pub(super) fn parse(raw_query: &str) -> Result<BoardRequest, BoardFailure> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw_query.as_bytes())
        .into_owned()
        .collect();
    let endpoint_given = pairs.iter().any(|(name, _)| {
        space_leaderboard::options::canonical_name(name) == OptionName::Endpoint.as_str()
    });
    if endpoint_given {
        return Err(BoardFailure::bad_request(
            "Invalid option endpoint (data-endpoint): the board page always shows this \
             function's leaderboard; leave endpoint out"
                .to_string(),
        ));
    }
    let options = WidgetOptions::from_pairs(pairs.iter().map(|(k, v)| (k, v)))
        .map_err(BoardFailure::bad_option)?;
    // `page`, `q`, `around` ("Find me") and `at` (a past period) from the request (first
    // occurrence, as the API reads them), the rest from the options: `period` and `view` are
    // options too, so a named `lockPeriod` wins over `period` as in the widget.
    let state = pairs
        .iter()
        .filter(|(name, _)| ["page", "q", "around", "at"].contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), value.clone()));
    let from_options = [
        ("pageSize", Some(options.page_size.to_string())),
        ("mode", options.mode.clone()),
        ("region", options.region.clone()),
        ("sort", Some(options.sort.as_str().to_string())),
        ("order", Some(options.order.as_str().to_string())),
        ("period", Some(options.period.as_str().to_string())),
        ("view", Some(options.view.as_str().to_string())),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|value| (name.to_string(), value)));
    let query = LeaderboardQuery::from_pairs(state.chain(from_options))
        .map_err(|error| BoardFailure::bad_request(ApiError::BadQuery(error).to_string()))?;
    let links = BoardLinks::new(BOARD_PATH, pairs.iter().map(|(k, v)| (k, v)));
    Ok(BoardRequest {
        options,
        query,
        links,
    })
}
