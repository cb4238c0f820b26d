//! Values that must not repeat across processes: random bits for a process's identity, and
//! the ids of scores posted without one.
//!
//! Uniqueness, not secrecy: nothing here is a secret or needs to be unguessable.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// 64 random bits from the standard library's randomly seeded hasher (seeded from the OS
/// once per process), mixed with the clock and the process id.
pub fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    hasher.finish()
}

/// A new score id: milliseconds since 1970 (12 hex digits, so assigned ids sort by time and
/// an earlier score wins a tie), this process's random part (replicas never collide) and a
/// counter (nor do posts in one millisecond). Lower-case hex and `-`: safe in URLs.
pub fn assign_score_id() -> String {
    static PROCESS_PART: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let process = *PROCESS_PART.get_or_init(random_u64);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let sequence = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{millis:012x}-{process:016x}-{sequence:x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use leaderboard_model::MAX_ID_LEN;

    #[test]
    fn assigned_ids_are_unique_url_safe_and_time_ordered() {
        let ids: Vec<String> = (0..1000).map(|_| assign_score_id()).collect();
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        assert!(ids
            .iter()
            .all(|id| id.len() <= MAX_ID_LEN
                && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')));
        assert!(ids.first().unwrap()[..12] <= ids.last().unwrap()[..12]);
    }
}
