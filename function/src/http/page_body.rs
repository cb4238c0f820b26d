//! A leaderboard page's bytes for one request: the store's page written as JSON
//! (`page_json`), and, with the response cache on, taken from it or kept in it in the
//! negotiated encoding. Why a cached body is always right: `response_cache`.

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
        let Some(cache) = &self.cache else {
            let json = self.page_json(query, base).await?;
            return Ok((Bytes::from(json), Encoding::Identity));
        };
        let mut key = PageKey::new(base.as_str(), canonical);
        if let Some(body) = cache.get(version, &mut key, accepted) {
            return Ok((body, accepted));
        }
        let cached_identity = match accepted {
            Encoding::Identity => None,
            _ => cache.get(version, &mut key, Encoding::Identity),
        };
        let identity = match cached_identity {
            Some(body) => body,
            None => {
                let mut json = self.page_json(query, base).await?;
                // Cached: hold only what the page needs, not the buffer's spare capacity.
                json.shrink_to_fit();
                let body = Bytes::from(json);
                cache.insert(version, &mut key, Encoding::Identity, body.clone());
                body
            }
        };
        if accepted == Encoding::Identity {
            return Ok((identity, accepted));
        }
        let encoded = accepted.encode(&identity);
        cache.insert(version, &mut key, accepted, encoded.clone());
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
