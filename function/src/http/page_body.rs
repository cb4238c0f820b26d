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

/// Where a cached answer's body came from (the `X-Cache` header says it when the store
/// shares bodies between function instances).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodySource {
    /// This process's response cache.
    Local,
    /// The store's shared cache: another instance (or this one) made it.
    Shared,
    /// Made for this request.
    Made,
}

impl BodySource {
    pub fn as_str(self) -> &'static str {
        match self {
            BodySource::Local => "local-hit",
            BodySource::Shared => "shared-hit",
            BodySource::Made => "miss",
        }
    }
}

impl AppState {
    /// The body of `query`'s page (`canonical` is its canonical query string) at the
    /// store's `version`, avatar URLs resolved against `base`, the encoding it is in
    /// (`accepted` with a cache on, identity, compressed later by the layer, without) and
    /// where it came from.
    pub async fn leaderboard_body(
        &self,
        query: &LeaderboardQuery,
        canonical: &str,
        base: &PublicBaseUrl,
        version: &str,
        accepted: Encoding,
    ) -> Result<(Bytes, Encoding, BodySource), ApiError> {
        let mut key = PageKey::new(base.as_str(), canonical);
        self.cached_body(version, &mut key, accepted, self.page_json(query, base))
            .await
    }

    /// The body under `key` at the store's `version`, in the encoding it is in, and where it
    /// came from: taken from this process's response cache, else from the store's shared
    /// cache (when it has one: every function instance's pages), else made by `make`; kept
    /// in both as made and as encoded. Without either cache: made, identity (compressed
    /// later by the layer). One mechanism for every cached answer: API pages and board
    /// pages.
    pub async fn cached_body<E>(
        &self,
        version: &str,
        key: &mut PageKey,
        accepted: Encoding,
        make: impl Future<Output = Result<Vec<u8>, E>>,
    ) -> Result<(Bytes, Encoding, BodySource), E> {
        let shares = self.store.shares_bodies();
        if self.cache.is_none() && !shares {
            return Ok((
                Bytes::from(make.await?),
                Encoding::Identity,
                BodySource::Made,
            ));
        }
        if let Some(body) = self
            .cache
            .as_ref()
            .and_then(|c| c.get(version, key, accepted))
        {
            return Ok((body, accepted, BodySource::Local));
        }
        // The shared cache: the accepted form and the identity form, one round trip. The
        // key names the data version, so a post (a new version) never meets an old page.
        let shared_key = format!("{version} {}", key.text());
        let mut forms = vec![accepted.tag()];
        if accepted != Encoding::Identity {
            forms.push(Encoding::Identity.tag());
        }
        let mut shared = if shares {
            self.store.shared_bodies(&shared_key, &forms).await
        } else {
            Vec::new()
        };
        shared.resize(forms.len(), None);
        if let Some(body) = shared[0].take() {
            let body = Bytes::from(body);
            if let Some(cache) = &self.cache {
                cache.insert(version, key, accepted, body.clone());
            }
            return Ok((body, accepted, BodySource::Shared));
        }
        let (identity, source) = match shared.get_mut(1).and_then(Option::take) {
            Some(body) => (Some(Bytes::from(body)), BodySource::Shared),
            None => match (accepted, &self.cache) {
                (Encoding::Identity, _) | (_, None) => (None, BodySource::Made),
                (_, Some(cache)) => match cache.get(version, key, Encoding::Identity) {
                    Some(body) => (Some(body), BodySource::Local),
                    None => (None, BodySource::Made),
                },
            },
        };
        let identity = match identity {
            Some(body) => body,
            None => {
                let mut made = make.await?;
                // Cached: hold only what the body needs, not the buffer's spare capacity.
                made.shrink_to_fit();
                Bytes::from(made)
            }
        };
        let encoded = match accepted {
            Encoding::Identity => identity.clone(),
            _ => accepted.encode(&identity),
        };
        if let Some(cache) = &self.cache {
            cache.insert(version, key, Encoding::Identity, identity.clone());
            if accepted != Encoding::Identity {
                cache.insert(version, key, accepted, encoded.clone());
            }
        }
        if shares {
            // Share the forms the shared cache lacked.
            let mut bodies: Vec<(char, &[u8])> = vec![(accepted.tag(), &encoded)];
            if accepted != Encoding::Identity && source != BodySource::Shared {
                bodies.push((Encoding::Identity.tag(), &identity));
            }
            self.store.share_bodies(&shared_key, &bodies).await;
        }
        Ok((encoded, accepted, source))
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
