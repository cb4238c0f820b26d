//! The function's clock: what time it is when a score arrives (the `playedAt` of a post
//! that came without one, and the "now" a posted `playedAt` may not be far ahead of), and
//! which period is current (`period=day|week|month` and the meta's periods: at a period
//! boundary every request after it reads the new period, with no restart).
//!
//! Invariant: no other code reads the system time for the data's sake; it asks the
//! [`Clock`] held by the HTTP state, so tests can set the time
//! (`--test-now`/`LEADERBOARD_TEST_NOW`, a time that stands still, or
//! `--test-clock-file`/`LEADERBOARD_TEST_CLOCK_FILE`, a file holding the time, read on
//! every request, so a test moves a running server's clock across a boundary; both hidden
//! from `--help`: for tests only).

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use leaderboard_model::PlayedAt;

/// Where the time comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system's clock (production).
    #[default]
    System,
    /// Always this instant (tests: a time that never moves).
    Fixed(PlayedAt),
    /// The time written in this file (a `playedAt`), read on every call (tests: a time a
    /// test moves). A file missing or unreadable reads as the system clock.
    File(Arc<Path>),
}

impl Clock {
    /// The current instant, to the millisecond. A system clock set before 1970 reads as
    /// [`PlayedAt::MIN`], one past 9999 as [`PlayedAt::MAX`].
    pub fn now(&self) -> PlayedAt {
        match self {
            Clock::Fixed(instant) => *instant,
            Clock::File(path) => std::fs::read_to_string(path)
                .ok()
                .and_then(|text| PlayedAt::parse(text.trim()).ok())
                .unwrap_or_else(|| Clock::System.now()),
            Clock::System => {
                let millis = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |since| {
                        u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
                    });
                PlayedAt::from_unix_millis(millis).unwrap_or(PlayedAt::MAX)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_answers_its_instant_and_the_system_clock_the_system_time() {
        let instant = PlayedAt::parse("2026-05-04T18:30:00Z").unwrap();
        assert_eq!(Clock::Fixed(instant).now(), instant);
        // The system clock's reading is the system time, to the millisecond (no speed or
        // date is asserted: it lies between two readings of the system time).
        let millis = || {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis() as u64
        };
        let before = millis();
        let now = Clock::System.now().unix_millis();
        assert!((before..=millis()).contains(&now), "{now}");
    }

    #[test]
    fn a_file_clock_reads_the_time_written_in_its_file_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let path: Arc<Path> = dir.path().join("now").into();
        let clock = Clock::File(Arc::clone(&path));
        for text in ["2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00Z"] {
            std::fs::write(&path, text).unwrap();
            assert_eq!(clock.now(), PlayedAt::parse(text).unwrap());
        }
    }
}
