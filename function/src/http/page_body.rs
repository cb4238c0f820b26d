//! A cached answer's bytes for one request, taken from the response cache or made and kept
//! there in the negotiated encoding ([`AppState::cached_body`]); a leaderboard page's are the
//! store's page written as JSON (`page_json`). Why a cached body is always right: `response_cache`.

use std::future::Future;

use axum::body::Bytes;
use leaderboard_model::LeaderboardQuery;

use super::caching::JSON_BUFFER_BYTES;
use super::error::ApiError;
use super::page_json::write_json;
use super::public_url::PublicBaseUrl;
use super::response_cache::{Encoding, PageKey};
use super::AppState;

impl AppState {
    /// The body of `query`'s page (`canonical` is its canonical query string) at the
    /// store's `version`, avatar URLs resolved against `base`, and the encoding it is in:
    /// `accepted` with the cache on, identity (compressed later by the layer) without it.
    pub async fn leaderboard_body(
        &self,
        query: &LeaderboardQuery,
        canonical: &str,
        base: &PublicBaseUrl,
        version: &str,
        accepted: Encoding,
    ) -> Result<(Bytes, Encoding), ApiError> {
        let mut key = PageKey::new(base.as_str(), canonical);
        self.cached_body(version, &mut key, accepted, self.page_json(query, base))
            .await
    }

    /// The body under `key` at the store's `version`, in the encoding it is in: `accepted`
    /// with the response cache on (taken from it, or made by `make` and kept there as made
    /// and as encoded), identity without it (compressed later by the layer). One mechanism
    /// for every cached answer: API pages and board pages.
    pub async fn cached_body<E>(
        &self,
        version: &str,
        key: &mut PageKey,
        accepted: Encoding,
        make: impl Future<Output = Result<Vec<u8>, E>>,
    ) -> Result<(Bytes, Encoding), E> {
        let Some(cache) = &self.cache else {
            return Ok((Bytes::from(make.await?), Encoding::Identity));
        };
        if let Some(body) = cache.get(version, key, accepted) {
            return Ok((body, accepted));
        }
        let cached_identity = match accepted {
            Encoding::Identity => None,
            _ => cache.get(version, key, Encoding::Identity),
        };
        let identity = match cached_identity {
            Some(body) => body,
            None => {
                let mut made = make.await?;
                // Cached: hold only what the body needs, not the buffer's spare capacity.
                made.shrink_to_fit();
                let body = Bytes::from(made);
                cache.insert(version, key, Encoding::Identity, body.clone());
                body
            }
        };
        if accepted == Encoding::Identity {
            return Ok((identity, accepted));
        }
        let encoded = accepted.encode(&identity);
        cache.insert(version, key, accepted, encoded.clone());
        Ok((encoded, accepted))
    }

    async fn page_json(
        &self,
        query: &LeaderboardQuery,
        base: &PublicBaseUrl,
    ) -> Result<Vec<u8>, ApiError> {
        let page = self.store.page(query).await?;
        let mut json = Vec::with_capacity(JSON_BUFFER_BYTES);
        write_json(&mut json, query, page, base).map_err(|e| ApiError::StoreUnavailable {
            reason: format!("cannot serialise the page: {e}"),
        })?;
        Ok(json)
    }
}
