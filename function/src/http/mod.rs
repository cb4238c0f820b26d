//! The HTTP adapter: routes, the conditional-request dance, avatar URL resolution, CORS,
//! compression and request logging around a [`LeaderboardStore`]. Handlers only translate
//! HTTP to a store call and back; what the answers mean lives in the store and the engine.

pub mod avatars;
pub mod bearer;
pub mod board;
pub mod caching;
pub mod cors;
pub mod error;
pub mod handlers;
pub mod ingest;
pub mod logging;
pub mod moderation;
pub mod openapi;
mod page_body;
pub mod page_json;
pub mod panics;
pub mod public_url;
pub mod response_cache;
mod static_files;

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue};
use axum::middleware;
use axum::routing::{any, delete, get, post, MethodRouter};
use axum::Router;
use leaderboard_model::{
    Retention, BOARD_PATH, HEALTH_PATH, LEADERBOARD_PATH, META_PATH, OEMBED_PATH, SCORES_PATH,
};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::clock::Clock;
use crate::store::LeaderboardStore;
use bearer::{BearerKey, Realm};
use caching::{CachePolicy, Cached, ETag};
use public_url::PublicBaseUrl;
use response_cache::{ByteSize, Encoding, ResponseCache};

/// Where the built embed is served (`--embed-dir`).
pub const EMBED_PATH: &str = "/api/embed";

/// Where the embedded avatar images are served; `{name}` is e.g. `default.svg`.
pub const AVATAR_ROUTE: &str = "/api/images/avatars/{name}";

/// How the HTTP layer behaves, from the command line.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Base for relative avatar URLs; `None` derives it per request from its headers.
    pub public_url: Option<PublicBaseUrl>,
    pub cache: CachePolicy,
    /// A directory served at `/` (the built widget, for the demo).
    pub static_dir: Option<PathBuf>,
    /// The built embed served at `/api/embed/`; the board page loads it when set.
    pub embed_dir: Option<PathBuf>,
    /// `host:port` the server listens on: the last resort for deriving the public base.
    pub listen_authority: String,
    /// The bearer key of `POST /api/scores`; `None` turns ingestion off.
    pub ingest_key: Option<BearerKey>,
    /// The bearer key of the removals (`DELETE /api/scores/{id}`, `/api/players/{id}`);
    /// `None` turns moderation off.
    pub admin_key: Option<BearerKey>,
    /// Bound of the response cache (serialised and compressed pages); 0 turns it off.
    pub response_cache: ByteSize,
    /// The board page's CSP: who may frame it.
    pub board_csp: board::ContentSecurityPolicy,
    /// What time it is for posts (`playedAt`) and for periods (which one is current).
    pub clock: Clock,
    /// How many past periods of each kind `at` may read (the stores were given the same).
    pub retention: Retention,
}

impl HttpConfig {
    /// The key of `realm`, when configured.
    pub fn key(&self, realm: Realm) -> Option<&BearerKey> {
        match realm {
            Realm::Ingest => self.ingest_key.as_ref(),
            Realm::Admin => self.admin_key.as_ref(),
        }
    }
}

/// Whether a response holds URLs made absolute against the public base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldsUrls {
    Yes,
    No,
}

/// What every handler gets: the store, the configuration and the response cache.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn LeaderboardStore>,
    pub config: Arc<HttpConfig>,
    /// `None` when configured off.
    pub cache: Option<Arc<ResponseCache>>,
}

impl AppState {
    pub fn new(store: Arc<dyn LeaderboardStore>, config: HttpConfig) -> Self {
        AppState {
            store,
            cache: ResponseCache::new(config.response_cache).map(Arc::new),
            config: Arc::new(config),
        }
    }

    /// The base relative avatar URLs resolve against for this request.
    pub fn public_base(&self, headers: &HeaderMap) -> PublicBaseUrl {
        match &self.config.public_url {
            Some(base) => base.clone(),
            None => PublicBaseUrl::from_request(headers, &self.config.listen_authority),
        }
    }

    /// `Vary` of a cacheable response. Without a configured public URL, avatar URLs depend
    /// on the forwarding headers, so shared caches must key on them too.
    fn vary(&self, holds_urls: HoldsUrls) -> HeaderValue {
        match (holds_urls, &self.config.public_url) {
            (HoldsUrls::Yes, None) => {
                HeaderValue::from_static("Accept-Encoding, X-Forwarded-Host, X-Forwarded-Proto")
            }
            _ => HeaderValue::from_static("Accept-Encoding"),
        }
    }

    /// A `200` with caching headers.
    pub fn fresh<T>(&self, etag: ETag, holds_urls: HoldsUrls, body: T) -> Cached<T> {
        Cached::Fresh {
            etag,
            policy: self.config.cache,
            vary: self.vary(holds_urls),
            body,
        }
    }

    /// A `200` whose body is already serialised (and encoded, unless `encoding` is
    /// identity), with the same caching headers as [`AppState::fresh`].
    pub fn fresh_bytes<T>(
        &self,
        etag: ETag,
        holds_urls: HoldsUrls,
        body: axum::body::Bytes,
        encoding: Encoding,
    ) -> Cached<T> {
        Cached::Serialized {
            etag,
            policy: self.config.cache,
            vary: self.vary(holds_urls),
            body,
            content_encoding: encoding.header_value(),
            x_cache: None,
        }
    }

    /// [`AppState::fresh_bytes`] for a cached page, saying where its body came from when
    /// the store shares bodies between function instances.
    pub fn fresh_page<T>(
        &self,
        etag: ETag,
        holds_urls: HoldsUrls,
        body: axum::body::Bytes,
        encoding: Encoding,
        source: page_body::BodySource,
    ) -> Cached<T> {
        let mut cached = self.fresh_bytes(etag, holds_urls, body, encoding);
        if let Cached::Serialized { x_cache, .. } = &mut cached {
            *x_cache = self.x_cache(source);
        }
        cached
    }

    /// The `X-Cache` value for a body from `source`, when the store shares bodies.
    pub fn x_cache(&self, source: page_body::BodySource) -> Option<HeaderValue> {
        self.store
            .shares_bodies()
            .then(|| HeaderValue::from_static(source.as_str()))
    }

    /// A `304` with the same caching headers as the `200` would have.
    pub fn not_modified<T>(&self, etag: ETag, holds_urls: HoldsUrls) -> Cached<T> {
        Cached::NotModified {
            etag,
            policy: self.config.cache,
            vary: self.vary(holds_urls),
        }
    }
}

/// The whole application: the routes inside the cross-cutting layers. The layers wrap the
/// router as one service (rather than `Router::layer`, which wraps each route's handlers
/// after method dispatch), so logging sees every request first and CORS answers every
/// preflight before any routing.
pub fn app(state: AppState) -> Router {
    let layered = ServiceBuilder::new()
        .layer(middleware::from_fn(logging::log_request))
        .layer(middleware::from_fn(panics::catch_panic))
        .layer(middleware::from_fn(cors::preflight_no_content))
        .layer(cors::layer())
        .layer(CompressionLayer::new())
        .service(routes(state));
    Router::new().fallback_service(layered)
}

/// Every endpoint: its path (axum syntax, as in the OpenAPI document) and handlers. The
/// router serves exactly these, and a test fails for any method one of them answers that
/// `GET /api/openapi.json` does not describe.
pub fn api_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        (LEADERBOARD_PATH, get(handlers::leaderboard)),
        (META_PATH, get(handlers::meta)),
        (HEALTH_PATH, get(handlers::health)),
        (AVATAR_ROUTE, get(handlers::avatar)),
        (
            SCORES_PATH,
            post(ingest::post_scores).fallback(ingest::post_only),
        ),
        (
            moderation::SCORE_ROUTE,
            delete(moderation::remove_score).fallback(moderation::delete_only),
        ),
        (
            moderation::PLAYER_ROUTE,
            delete(moderation::remove_player).fallback(moderation::delete_only),
        ),
        (openapi::OPENAPI_PATH, get(openapi::openapi_json)),
        (BOARD_PATH, get(board::board)),
        (OEMBED_PATH, get(board::oembed::oembed)),
    ]
}

/// The API routes, JSON 404/405 for anything else under `/api/`, and the optional static
/// directory for everything else.
pub fn routes(state: AppState) -> Router {
    let static_dir = state.config.static_dir.clone();
    let embed_dir = state.config.embed_dir.clone();
    let mut api = api_routes()
        .into_iter()
        .fold(Router::new(), |router, (path, handler)| {
            router.route(path, handler)
        })
        // A removal with an empty id (`DELETE /api/scores/`) is a bad id, not a bad path.
        .route(
            moderation::EMPTY_SCORE_ROUTE,
            delete(moderation::remove_score).fallback(handlers::not_found),
        )
        .route(
            moderation::EMPTY_PLAYER_ROUTE,
            delete(moderation::remove_player).fallback(handlers::not_found),
        )
        .route("/api", any(handlers::not_found))
        .route("/api/", any(handlers::not_found))
        .route("/api/{*rest}", any(handlers::not_found))
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .with_state(state);
    if let Some(dir) = embed_dir {
        api = api.nest_service(EMBED_PATH, ServeDir::new(dir));
    }
    match static_dir {
        Some(dir) => api.fallback_service(static_files::router(dir)),
        None => api.fallback(handlers::not_found),
    }
}
