//! The response cache: serialised leaderboard pages (and their gzip and brotli forms), kept
//! for the store version they were built from.
//!
//! # Why it is correct
//!
//! A page is a pure function of (store version, canonical query, public base URL): the
//! version changes whenever the data does (the store's contract), the canonical query
//! (`LeaderboardQuery::to_query_string`) names equal queries once, and the base decides the
//! absolute avatar URLs. The ETag is derived from the same three, so a cached body always
//! matches the ETag it is sent with. Every request still asks the store for its version
//! first (one small round trip with Redis), so a posted score is never hidden: a new
//! version finds no entry of the old one. A shard that meets a new version drops what it
//! held, so old versions do not linger.
//!
//! # Why it is cheap
//!
//! Entries live in independent shards, each behind its own mutex that is held only for a
//! hash lookup and a reference-count increment (`Bytes::clone`); nothing is serialised or
//! compressed under a lock. Each shard is bounded in bytes (body + key + a fixed overhead
//! per entry) and evicts with a second-chance FIFO ("CLOCK"): a page read since it was last
//! considered survives one more round, so a popular page stays while a crawl over many
//! pages cycles through the rest.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io::Write;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::header::ACCEPT_ENCODING;
use axum::http::{HeaderMap, HeaderValue};

/// Bookkeeping counted per entry beyond its key and body (map slot, queue slot, `Arc`
/// header, `Bytes` header), so many tiny entries cannot exceed the bound either.
const ENTRY_OVERHEAD_BYTES: usize = 128;

/// Shards are at least this large, so small caches (tests, tiny deployments) are one shard
/// and no page is refused for being larger than its shard.
const MIN_SHARD_BYTES: usize = 1024 * 1024;
const MAX_SHARDS: usize = 16;

/// The eviction log line is written at most this often.
const EVICTION_LOG_INTERVAL: Duration = Duration::from_secs(10);

/// A size in bytes from the command line: `0`, `1048576`, `512kB`, `32MB`, `1GB` (decimal
/// units: kB = 1,000) or `KiB`, `MiB`, `GiB` (binary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteSizeError(String);

impl fmt::Display for ByteSizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a size: use a number of bytes, or a number with kB, MB, GB, KiB, MiB or GiB",
            self.0
        )
    }
}

impl std::error::Error for ByteSizeError {}

impl FromStr for ByteSize {
    type Err = ByteSizeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let digits_end = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(trimmed.len());
        let (number, unit) = trimmed.split_at(digits_end);
        let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "kb" | "k" => 1_000,
            "mb" | "m" => 1_000_000,
            "gb" | "g" => 1_000_000_000,
            "kib" => 1 << 10,
            "mib" => 1 << 20,
            "gib" => 1 << 30,
            _ => return Err(ByteSizeError(text.to_string())),
        };
        number
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(multiplier))
            .map(ByteSize)
            .ok_or_else(|| ByteSizeError(text.to_string()))
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes", self.0)
    }
}

/// The encodings the function sends, negotiated exactly as tower-http's `CompressionLayer`
/// negotiates them (so a response sent from the cache carries the encoding the layer
/// would have chosen): the highest q-value wins, ties go to br over gzip over identity,
/// `q=0` refuses, unknown codings are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    pub fn negotiate(headers: &HeaderMap) -> Encoding {
        headers
            .get_all(ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|item| {
                let mut parts = item.splitn(2, ';');
                let coding = parts.next().unwrap_or("").trim();
                let encoding = if coding.eq_ignore_ascii_case("gzip")
                    || coding.eq_ignore_ascii_case("x-gzip")
                {
                    Encoding::Gzip
                } else if coding.eq_ignore_ascii_case("br") {
                    Encoding::Brotli
                } else if coding.eq_ignore_ascii_case("identity") {
                    Encoding::Identity
                } else {
                    return None;
                };
                let quality = match parts.next() {
                    Some(q) => parse_qvalue(q.trim())?,
                    None => 1000,
                };
                Some((encoding, quality))
            })
            .filter(|&(_, quality)| quality > 0)
            .max_by_key(|&(encoding, quality)| (quality, encoding))
            .map_or(Encoding::Identity, |(encoding, _)| encoding)
    }

    /// The `Content-Encoding` value, `None` for identity.
    pub fn header_value(self) -> Option<HeaderValue> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
        }
    }

    /// One character naming the encoding in cache keys.
    pub fn tag(self) -> char {
        match self {
            Encoding::Identity => 'i',
            Encoding::Gzip => 'g',
            Encoding::Brotli => 'b',
        }
    }

    /// `identity` compressed into this encoding, at the levels tower-http uses by default
    /// (gzip 6, brotli quality 4), so bytes on the wire match an uncached answer's.
    pub fn encode(self, identity: &[u8]) -> Bytes {
        match self {
            Encoding::Identity => Bytes::copy_from_slice(identity),
            Encoding::Gzip => {
                let out = Vec::with_capacity(identity.len() / 3 + 64);
                let mut encoder = flate2::write::GzEncoder::new(out, flate2::Compression::new(6));
                // Writing into a Vec cannot fail.
                let _ = encoder.write_all(identity);
                let mut out = encoder.finish().unwrap_or_default();
                out.shrink_to_fit();
                Bytes::from(out)
            }
            Encoding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 4,
                    lgwin: 22,
                    ..Default::default()
                };
                let mut out = Vec::with_capacity(identity.len() / 3 + 64);
                let mut input = identity;
                let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
                out.shrink_to_fit();
                Bytes::from(out)
            }
        }
    }
}

/// A q-value (`q=0.8`) as thousandths; `None` when malformed (the coding is then ignored).
fn parse_qvalue(text: &str) -> Option<u16> {
    let value = text
        .strip_prefix("q=")
        .or_else(|| text.strip_prefix("Q="))?;
    let (whole, fraction) = match value.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (value, None),
    };
    let mut thousandths: u16 = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    if let Some(fraction) = fraction {
        if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut factor = 100;
        for digit in fraction.bytes() {
            thousandths += factor * u16::from(digit - b'0');
            factor /= 10;
        }
    }
    (thousandths <= 1000).then_some(thousandths)
}

/// What a page is cached under, besides the version and the encoding: the public base
/// (avatar URLs) and the canonical query. Length-prefixed, so no two pairs collide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageKey(String);

impl PageKey {
    pub fn new(base: &str, canonical_query: &str) -> PageKey {
        let mut key = String::with_capacity(base.len() + canonical_query.len() + 8);
        key.push(' '); // the encoding tag's place
        key.push_str(&base.len().to_string());
        key.push(':');
        key.push_str(base);
        key.push_str(canonical_query);
        PageKey(key)
    }

    /// The key without its encoding tag.
    pub fn text(&self) -> &str {
        self.0.get(1..).unwrap_or_default()
    }

    /// This key for one encoding (the first character is the encoding's tag).
    fn with_encoding(&mut self, encoding: Encoding) -> &str {
        let tag = encoding.tag();
        self.0.replace_range(0..1, tag.encode_utf8(&mut [0; 4]));
        &self.0
    }
}

/// What the cache holds, for the log line and the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheStats {
    pub entries: usize,
    pub bytes: usize,
    pub capacity: usize,
    pub evicted: u64,
}

pub struct ResponseCache {
    shards: Box<[Mutex<Shard>]>,
    shard_capacity: usize,
    capacity: usize,
    evicted: AtomicU64,
    last_eviction_log: Mutex<Option<Instant>>,
}

#[derive(Default)]
struct Shard {
    /// The store version every entry here was built from.
    version: String,
    entries: HashMap<Arc<str>, Entry>,
    /// Insertion order, for CLOCK eviction.
    queue: VecDeque<Arc<str>>,
    bytes: usize,
}

struct Entry {
    body: Bytes,
    /// Read since eviction last looked at it: spared once.
    referenced: bool,
}

fn entry_cost(key: &str, body: &Bytes) -> usize {
    key.len() + body.len() + ENTRY_OVERHEAD_BYTES
}

impl ResponseCache {
    /// A cache holding at most `capacity` bytes; `None` for 0 (caching off).
    pub fn new(capacity: ByteSize) -> Option<ResponseCache> {
        let capacity = usize::try_from(capacity.0).unwrap_or(usize::MAX);
        if capacity == 0 {
            return None;
        }
        let shard_count = (capacity / MIN_SHARD_BYTES).clamp(1, MAX_SHARDS);
        Some(ResponseCache {
            shards: (0..shard_count)
                .map(|_| Mutex::new(Shard::default()))
                .collect(),
            shard_capacity: capacity / shard_count,
            capacity,
            evicted: AtomicU64::new(0),
            last_eviction_log: Mutex::new(None),
        })
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn shard(&self, key: &str) -> &Mutex<Shard> {
        // FNV-1a: cheap, and the shard only spreads the lock load.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &byte in key.as_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // `new` makes at least one shard, and the remainder is below their count.
        &self.shards[(hash % self.shards.len() as u64) as usize]
    }

    /// The cached body of `key` in `encoding` for `version`, if any.
    pub fn get(&self, version: &str, key: &mut PageKey, encoding: Encoding) -> Option<Bytes> {
        let key = key.with_encoding(encoding);
        let mut shard = self
            .shard(key)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if shard.version != version {
            return None;
        }
        let entry = shard.entries.get_mut(key)?;
        entry.referenced = true;
        Some(entry.body.clone())
    }

    /// Keeps `body` as the answer for `key` in `encoding` at `version`, evicting older
    /// entries to stay within the bound. A body larger than a shard is not kept.
    pub fn insert(&self, version: &str, key: &mut PageKey, encoding: Encoding, body: Bytes) {
        let key = key.with_encoding(encoding);
        let cost = entry_cost(key, &body);
        if cost > self.shard_capacity {
            return;
        }
        let mut evicted = 0u64;
        {
            let mut shard = self
                .shard(key)
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if shard.version != version {
                // A new version (or, in a race around a change, an older one): what the
                // shard holds is for another version; drop it.
                shard.entries.clear();
                shard.queue.clear();
                shard.bytes = 0;
                shard.version.clear();
                shard.version.push_str(version);
            }
            if shard.entries.contains_key(key) {
                return; // another request built it meanwhile
            }
            while shard.bytes + cost > self.shard_capacity {
                let Some(oldest) = shard.queue.pop_front() else {
                    break;
                };
                let spare = match shard.entries.get_mut(&oldest) {
                    Some(entry) if entry.referenced => {
                        entry.referenced = false;
                        true
                    }
                    _ => false,
                };
                if spare {
                    shard.queue.push_back(oldest);
                } else if let Some(entry) = shard.entries.remove(&oldest) {
                    shard.bytes -= entry_cost(&oldest, &entry.body);
                    evicted += 1;
                }
            }
            let key: Arc<str> = Arc::from(key);
            shard.bytes += cost;
            shard.queue.push_back(Arc::clone(&key));
            shard.entries.insert(
                key,
                Entry {
                    body,
                    referenced: false,
                },
            );
        }
        if evicted > 0 {
            self.evicted.fetch_add(evicted, Ordering::Relaxed);
            self.log_eviction();
        }
    }

    pub fn stats(&self) -> CacheStats {
        let mut stats = CacheStats {
            capacity: self.capacity,
            evicted: self.evicted.load(Ordering::Relaxed),
            ..CacheStats::default()
        };
        for shard in self.shards.iter() {
            let shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
            stats.entries += shard.entries.len();
            stats.bytes += shard.bytes;
        }
        stats
    }

    /// One stderr line when the cache is full and evicting, at most every
    /// [`EVICTION_LOG_INTERVAL`]: what it holds against its bound, for sizing it.
    fn log_eviction(&self) {
        let now = Instant::now();
        {
            let mut last = self
                .last_eviction_log
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if last.is_some_and(|at| now.duration_since(at) < EVICTION_LOG_INTERVAL) {
                return;
            }
            *last = Some(now);
        }
        let stats = self.stats();
        eprintln!(
            "response cache full: holds {} bytes in {} entries (bound {} bytes; {} evicted so far)",
            stats.bytes, stats.entries, stats.capacity, stats.evicted
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn negotiation_follows_quality_then_br_over_gzip_over_identity() {
        assert_eq!(Encoding::negotiate(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(
            Encoding::negotiate(&accept("gzip, deflate, br")),
            Encoding::Brotli
        );
        assert_eq!(
            Encoding::negotiate(&accept("gzip;q=1.0, br;q=0.5")),
            Encoding::Gzip
        );
        assert_eq!(Encoding::negotiate(&accept("br;q=0, gzip")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(&accept("X-GZIP")), Encoding::Gzip);
        assert_eq!(
            Encoding::negotiate(&accept("identity, br;q=0.9")),
            Encoding::Identity
        );
        assert_eq!(
            Encoding::negotiate(&accept("zstd, deflate")),
            Encoding::Identity
        );
        // A malformed q-value drops that coding only.
        assert_eq!(
            Encoding::negotiate(&accept("br;q=2, gzip;q=0.1")),
            Encoding::Gzip
        );
        assert_eq!(Encoding::negotiate(&accept("*")), Encoding::Identity);
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!("0".parse(), Ok(ByteSize(0)));
        assert_eq!("32MB".parse(), Ok(ByteSize(32_000_000)));
        assert_eq!("64 KiB".parse(), Ok(ByteSize(65_536)));
        assert_eq!("20000".parse(), Ok(ByteSize(20_000)));
        assert!("lots".parse::<ByteSize>().is_err());
        assert!("-1".parse::<ByteSize>().is_err());
    }

    fn body(len: usize) -> Bytes {
        Bytes::from(vec![b'x'; len])
    }

    #[test]
    fn a_hit_needs_the_same_version_key_and_encoding() {
        let cache = ResponseCache::new(ByteSize(1 << 20)).unwrap();
        let mut key = PageKey::new("http://a/api/", "page=2");
        cache.insert("v1", &mut key, Encoding::Identity, body(10));
        assert_eq!(
            cache.get("v1", &mut key, Encoding::Identity),
            Some(body(10))
        );
        assert_eq!(cache.get("v2", &mut key, Encoding::Identity), None);
        assert_eq!(cache.get("v1", &mut key, Encoding::Gzip), None);
        let mut other = PageKey::new("http://a/api/", "page=3");
        assert_eq!(cache.get("v1", &mut other, Encoding::Identity), None);
        // A new version drops the old one's entries.
        cache.insert("v2", &mut other, Encoding::Identity, body(5));
        assert_eq!(cache.get("v1", &mut key, Encoding::Identity), None);
        assert_eq!(cache.stats().entries, 1);
    }

    #[test]
    fn the_byte_bound_holds_and_read_pages_survive_a_crawl() {
        let capacity = 20_000;
        let cache = ResponseCache::new(ByteSize(capacity as u64)).unwrap();
        let mut popular = PageKey::new("b", "page=1");
        cache.insert("v", &mut popular, Encoding::Identity, body(1000));
        for page in 2..500 {
            assert!(cache.get("v", &mut popular, Encoding::Identity).is_some());
            let mut key = PageKey::new("b", &format!("page={page}"));
            cache.insert("v", &mut key, Encoding::Identity, body(1000));
            let stats = cache.stats();
            assert!(stats.bytes <= capacity, "{stats:?}");
        }
        let stats = cache.stats();
        assert!(stats.evicted > 400, "{stats:?}");
        assert!(stats.entries >= 10, "{stats:?}");
        assert!(cache.get("v", &mut popular, Encoding::Identity).is_some());
        // Larger than the whole cache: not kept.
        let mut huge = PageKey::new("b", "pageSize=50");
        cache.insert("v", &mut huge, Encoding::Identity, body(capacity));
        assert_eq!(cache.get("v", &mut huge, Encoding::Identity), None);
    }

    #[test]
    fn zero_turns_caching_off() {
        assert!(ResponseCache::new(ByteSize(0)).is_none());
    }

    #[test]
    fn encoded_bodies_decode_to_the_identity() {
        let json = br#"{"scores":[{"rank":1,"name":"alice"},{"rank":2,"name":"bob"}]}"#.repeat(20);
        let gzip = Encoding::Gzip.encode(&json);
        let mut decoded = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gzip[..]), &mut decoded)
            .unwrap();
        assert_eq!(decoded, json);
        let br = Encoding::Brotli.encode(&json);
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut decoded).unwrap();
        assert_eq!(decoded, json);
        assert!(br.len() < json.len() / 4);
    }
}
