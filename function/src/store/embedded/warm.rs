//! Building the boards readers are likely to ask for before they ask ([`Boards::warm`]),
//! on a thread of its own, never on the async runtime's workers.
//!
//! A warm-up is started for a state of the data and a day of the store's clock: when the
//! store publishes a state (at start, after each round of posts and each removal), and by
//! the first read of a state on a day it was not warmed for (the clock crossed midnight:
//! the new day's, week's or month's boards are built then, each from its own records).
//! One warm-up runs at a time; one whose state was replaced stops before its next board,
//! so a burst of posts builds boards for the latest state only.
//!
//! [`Boards::warm`]: leaderboard_engine::Boards::warm

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use leaderboard_model::{Period, PeriodKind};

use super::Snapshot;
use crate::clock::Clock;

/// A snapshot's warm-up: the day (its start, Unix milliseconds) one was started for.
pub(super) struct Warmed(AtomicU64);

/// [`Warmed`] before any warm-up.
const NOT_YET: u64 = u64::MAX;

impl Default for Warmed {
    fn default() -> Self {
        Warmed(AtomicU64::new(NOT_YET))
    }
}

/// What one warm-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarmUp {
    /// Boards built (those a read built first are not counted).
    pub boards: usize,
    /// From its start to its end, waiting for an earlier warm-up excluded.
    pub took: Duration,
}

/// Starts warm-ups: the store's clock (which periods are current) and the one-at-a-time
/// lock.
#[derive(Clone, Default)]
pub(super) struct Warmer {
    clock: Clock,
    running: Arc<Mutex<()>>,
}

impl Warmer {
    pub(super) fn new(clock: Clock) -> Warmer {
        Warmer {
            clock,
            running: Arc::default(),
        }
    }

    /// Starts warming `snapshot`, the state `current` held when it was read, for the
    /// clock's day, unless a warm-up for that day was started for it already (then
    /// `None`: the common case, one atomic load). Cheap enough for every read.
    pub(super) fn ensure(
        &self,
        current: &Arc<RwLock<Arc<Snapshot>>>,
        snapshot: &Arc<Snapshot>,
    ) -> Option<JoinHandle<WarmUp>> {
        let now = self.clock.now();
        let day = Period::containing(PeriodKind::Day, now).map_or(0, |d| d.start().unix_millis());
        let warmed = &snapshot.warmed.0;
        if warmed.load(Ordering::Acquire) == day || warmed.swap(day, Ordering::AcqRel) == day {
            return None;
        }
        let current: Weak<RwLock<Arc<Snapshot>>> = Arc::downgrade(current);
        let target = Arc::downgrade(snapshot);
        let running = Arc::clone(&self.running);
        let spawned = std::thread::Builder::new()
            .name("warm boards".to_string())
            .spawn(move || {
                let _one_at_a_time = running.lock().unwrap_or_else(PoisonError::into_inner);
                let started = Instant::now();
                let Some(snapshot) = target.upgrade() else {
                    return WarmUp {
                        boards: 0,
                        took: started.elapsed(),
                    };
                };
                let still_current = || {
                    current.upgrade().is_some_and(|current| {
                        let serving = current.read().unwrap_or_else(PoisonError::into_inner);
                        Arc::ptr_eq(&serving, &snapshot)
                    })
                };
                let boards = snapshot.boards.warm(now, still_current);
                WarmUp {
                    boards,
                    took: started.elapsed(),
                }
            });
        match spawned {
            Ok(handle) => Some(handle),
            Err(_) => {
                // No thread: reads build their boards; a later call tries again.
                warmed.store(NOT_YET, Ordering::Release);
                None
            }
        }
    }
}
