//! The function's clock: what time it is when a score arrives (the `playedAt` of a post
//! that came without one, and the "now" a posted `playedAt` may not be far ahead of).
//!
//! Invariant: no other code reads the system time for the data's sake; it asks the
//! [`Clock`] held by the HTTP state, so tests can set the time
//! (`--test-now`/`LEADERBOARD_TEST_NOW`, hidden from `--help`: for tests only).

use std::time::{SystemTime, UNIX_EPOCH};

use leaderboard_model::PlayedAt;

/// Where the time comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system's clock (production).
    #[default]
    System,
    /// Always this instant (tests: a time that never moves).
    Fixed(PlayedAt),
}

impl Clock {
    /// The current instant, to the millisecond. A system clock set before 1970 reads as
    /// [`PlayedAt::MIN`], one past 9999 as [`PlayedAt::MAX`].
    pub fn now(&self) -> PlayedAt {
        match self {
            Clock::Fixed(instant) => *instant,
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
}
