//! The shared body cache: opaque bodies (the HTTP layer keeps computed pages here, in their
//! JSON and compressed forms) under a key that names the data version, so each page is
//! computed once per data version for every function instance, and a post (a new version)
//! makes the old entries unreachable; they expire on their own.
//!
//! Key: `{<FNV-1a 64 of the key>}page:<namespace>` then the key and the form. The hash tag
//! spreads pages over the slots (a cluster's masters and replicas share them, not the
//! leaderboard's one slot), and a key's forms share a slot, so they are fetched with one
//! `MGET` (one round trip, from a replica when there are some) and kept with one pipeline
//! of `SET … PX`. Memory is bounded by the size cap of one body and the expiry: at most
//! (bodies kept per expiry period) × cap.

use std::time::Duration;

use redis::RedisError;

use super::conn::Conn;

/// The shared cache's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedCacheConfig {
    /// Bodies larger than this are not kept; 0 turns the shared cache off.
    pub max_body_bytes: u64,
    /// How long a body is kept.
    pub ttl: Duration,
}

impl SharedCacheConfig {
    pub const OFF: SharedCacheConfig = SharedCacheConfig {
        max_body_bytes: 0,
        ttl: Duration::from_secs(60),
    };

    pub fn enabled(&self) -> bool {
        self.max_body_bytes > 0
    }
}

/// FNV-1a, 64 bits: stable across builds, so every instance places a key in the same slot.
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The Redis key of `key`'s `form` in `namespace` (the store's key prefix).
pub fn redis_key(namespace: &str, key: &str, form: char) -> Vec<u8> {
    let mut out = format!(
        "{{{:016x}}}page:{}{}:",
        fnv1a64(key.as_bytes()),
        namespace,
        key.len()
    )
    .into_bytes();
    out.extend_from_slice(key.as_bytes());
    out.push(b':');
    out.extend_from_slice(form.encode_utf8(&mut [0; 4]).as_bytes());
    out
}

/// The bodies of `key`'s `forms`, one `MGET`.
pub async fn fetch(
    conn: &mut Conn,
    namespace: &str,
    key: &str,
    forms: &[char],
) -> Result<Vec<Option<Vec<u8>>>, RedisError> {
    let mut cmd = redis::cmd("MGET");
    for &form in forms {
        cmd.arg(redis_key(namespace, key, form));
    }
    cmd.query_async(conn).await
}

/// Keeps `bodies` of `key` (those within the cap) for the expiry, one pipeline.
pub async fn keep(
    conn: &mut Conn,
    config: SharedCacheConfig,
    namespace: &str,
    key: &str,
    bodies: &[(char, &[u8])],
) -> Result<(), RedisError> {
    let mut pipe = redis::pipe();
    let ttl = u64::try_from(config.ttl.as_millis())
        .unwrap_or(u64::MAX)
        .max(1);
    let mut any = false;
    for &(form, body) in bodies {
        if body.len() as u64 <= config.max_body_bytes {
            pipe.cmd("SET")
                .arg(redis_key(namespace, key, form))
                .arg(body)
                .arg("PX")
                .arg(ttl)
                .ignore();
            any = true;
        }
    }
    if any {
        pipe.query_async::<()>(conn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keys_forms_share_a_slot_and_keys_are_unambiguous() {
        let gzip = redis_key("{lb}:", "3:a/b?x", 'g');
        let identity = redis_key("{lb}:", "3:a/b?x", 'i');
        assert_eq!(gzip[..18], identity[..18], "one hash tag for every form");
        assert!(gzip.starts_with(b"{") && gzip[17] == b'}');
        assert_ne!(redis_key("{lb}:", "ab", 'i'), redis_key("{lb}:a", "b", 'i'));
    }
}
