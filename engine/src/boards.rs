//! Periods and views: every board a query can name, as [`Engine`]s.
//!
//! The all-time board of every score is the engine the store loaded. Every other board is
//! an engine too, over the records it lists, so it answers every filter, sort, `q`,
//! `around` and rank exactly as the all-time board does:
//!
//! - a period's board (`period=day|week|month`, resolved to one window) is an engine over
//!   the served scores whose `playedAt` lies in the window;
//! - `view=best` at one selection level (no filter, a mode, a region, both) is an engine
//!   over the best record of each (selection, profile) pair at that level of the board it
//!   views (the level's `best_of_profile`, which `around` already uses). Each player then
//!   appears once per selection of that level, and the query's own filters pick the
//!   selection, so the engine answers it unchanged.
//!
//! Boards other than the all-time one are built on first use, from the all-time engine's
//! columns (O(n) to find a period's records, then the engine build over them), and kept in
//! a cache: a read costs a map lookup more than on the all-time board, O(log n + pageSize)
//! as before. Building on demand keeps the index snapshot and the cold start as they were,
//! and makes a rollover nothing: a new period's board is built (empty, or with what was
//! posted to it) by its first read. The cache holds at most as many records as the all-time
//! board (so the boards at most about double the engine's memory); the least recently used
//! boards leave first (a later read builds them again). A `Boards` belongs to one state of the data: a store that changes the data makes
//! a new one, and with it a new cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use leaderboard_model::{
    LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, Period, PeriodsMeta, PlayedAt,
    Retention, View,
};

use crate::{Engine, PageRecords, QueryError, ScoreRow, ScoreRows, NO_TIME};

/// The fewest records the cache may hold whatever the all-time board's size.
const MIN_CACHED_RECORDS: usize = 1 << 16;

/// The all-time board and the boards built from it.
#[derive(Debug)]
pub struct Boards {
    all: Arc<Engine>,
    /// The most records the built boards may hold together.
    cache_cap: usize,
    cache: Mutex<Cache>,
    /// The served scores' times, sorted (built on first use): which periods hold scores.
    times: OnceLock<Vec<u64>>,
}

/// Which board: a period (`None`: all time) and a view (`None`: every score; `Some(level)`:
/// each player's best at that selection level, 0 all, 1 mode, 2 region, 3 both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct BoardKey {
    period: Option<Period>,
    best_level: Option<usize>,
}

#[derive(Debug, Default)]
struct Cache {
    slots: HashMap<BoardKey, Slot>,
    /// Advances on every use; a slot's `last_used` is the tick of its latest use.
    tick: u64,
}

#[derive(Debug)]
struct Slot {
    board: Arc<OnceLock<Arc<Engine>>>,
    last_used: u64,
}

impl Default for Boards {
    fn default() -> Self {
        Boards::new(Arc::new(Engine::default()))
    }
}

impl Boards {
    /// The boards of the data `all` serves.
    pub fn new(all: Arc<Engine>) -> Boards {
        let cache_cap = all.len().max(MIN_CACHED_RECORDS);
        Boards::with_cache_cap(all, cache_cap)
    }

    /// [`Boards::new`] whose built boards hold at most `cache_cap` records together (beyond
    /// it the least recently used leave; the latest board read stays, even when it alone is
    /// larger than the cap).
    pub fn with_cache_cap(all: Arc<Engine>, cache_cap: usize) -> Boards {
        Boards {
            all,
            cache_cap,
            cache: Mutex::new(Cache::default()),
            times: OnceLock::new(),
        }
    }

    /// The all-time board of every score.
    pub fn all_time(&self) -> &Arc<Engine> {
        &self.all
    }

    /// The board that answers `query` (the query itself then goes to it unchanged). A
    /// query with a resetting period must be resolved
    /// ([`LeaderboardQuery::resolve_period`]); an unresolved one reads an empty board.
    pub fn board(&self, query: &LeaderboardQuery) -> Arc<Engine> {
        match Boards::key(query) {
            Some(key) => self.get(key),
            None => Arc::new(Engine::default()),
        }
    }

    /// The query's board when it needs no building (the all-time board, or one built and
    /// still cached), so a caller can build the others where a long computation may run.
    /// A hit is a use, as in [`Boards::board`]: the cache drops the least recently read.
    pub fn built(&self, query: &LeaderboardQuery) -> Option<Arc<Engine>> {
        let Some(key) = Boards::key(query) else {
            return Some(Arc::new(Engine::default()));
        };
        if key.period.is_none() && key.best_level.is_none() {
            return Some(Arc::clone(&self.all));
        }
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.tick += 1;
        let tick = cache.tick;
        let slot = cache.slots.get_mut(&key)?;
        let board = slot.board.get().map(Arc::clone)?;
        slot.last_used = tick;
        Some(board)
    }

    /// Which board answers `query`; `None` for an unresolved resetting period (no board).
    fn key(query: &LeaderboardQuery) -> Option<BoardKey> {
        let period = match (query.period.is_all(), query.period_window()) {
            (true, _) => None,
            (false, Some(window)) => Some(window),
            (false, None) => return None,
        };
        let best_level = match query.view {
            View::Scores => None,
            View::Best => Some(match (&query.mode, &query.region) {
                (None, None) => 0,
                (Some(_), None) => 1,
                (None, Some(_)) => 2,
                (Some(_), Some(_)) => 3,
            }),
        };
        Some(BoardKey { period, best_level })
    }

    /// [`Engine::query`] on the query's board.
    pub fn query(&self, query: &LeaderboardQuery) -> Result<LeaderboardResponse, QueryError> {
        self.board(query).query(query)
    }

    /// [`Engine::page_records`] on the query's board, with the board (to read the rows).
    pub fn page_records(
        &self,
        query: &LeaderboardQuery,
    ) -> Result<(Arc<Engine>, PageRecords), QueryError> {
        let board = self.board(query);
        let records = board.page_records(query)?;
        Ok((board, records))
    }

    /// The all-time meta, and the periods at `now` under `retention` when any served score
    /// has a time.
    pub fn meta(&self, now: PlayedAt, retention: &Retention) -> LeaderboardMeta {
        let mut meta = self.all.meta();
        let times = self.times.get_or_init(|| {
            let mut times: Vec<u64> = (self.all.records.played_at.iter().copied())
                .filter(|&at| at != NO_TIME)
                .collect();
            times.sort_unstable();
            times
        });
        if !times.is_empty() {
            meta.periods = PeriodsMeta::new(now, retention, |period| {
                let first = times.partition_point(|&at| at < period.start().unix_millis());
                times
                    .get(first)
                    .is_some_and(|&at| at < period.end().unix_millis())
            });
        }
        meta
    }

    fn get(&self, key: BoardKey) -> Arc<Engine> {
        if key.period.is_none() && key.best_level.is_none() {
            return Arc::clone(&self.all);
        }
        let slot = {
            let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            cache.tick += 1;
            let tick = cache.tick;
            let slot = cache.slots.entry(key).or_insert_with(|| Slot {
                board: Arc::new(OnceLock::new()),
                last_used: tick,
            });
            slot.last_used = tick;
            Arc::clone(&slot.board)
        };
        // Built outside the cache's lock: readers of other boards never wait for it, and
        // readers of this one wait for the one build.
        let mut built = false;
        let board = Arc::clone(slot.get_or_init(|| {
            built = true;
            Arc::new(self.build(key))
        }));
        if built {
            self.evict();
        }
        board
    }

    fn build(&self, key: BoardKey) -> Engine {
        if let Some(level) = key.best_level {
            let base = self.get(BoardKey {
                period: key.period,
                best_level: None,
            });
            let records =
                (base.levels.get(level)).map_or(&[][..], |l| l.best_of_profile.as_slice());
            return base.subset(records.iter().copied());
        }
        let Some(period) = key.period else {
            return Engine::default();
        };
        let (start, end) = (period.start().unix_millis(), period.end().unix_millis());
        let played = &self.all.records.played_at;
        self.all.subset(
            (0..played.len())
                .filter(|&r| played.get(r).is_some_and(|&at| start <= at && at < end))
                .map(|r| r as u32),
        )
    }

    /// Drops the least recently used built boards while the cache holds more records than
    /// its cap (boards in use stay alive for their readers).
    fn evict(&self) {
        let cap = self.cache_cap;
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let held: usize = (cache.slots.values())
                .filter_map(|slot| slot.board.get().map(|b| b.len()))
                .sum();
            if held <= cap {
                return;
            }
            // The latest board stays: it was built for a reader, and dropping it would build
            // it again on every read of a board larger than the cap.
            let latest = cache.tick;
            let oldest = (cache.slots.iter())
                .filter(|(_, slot)| slot.board.get().is_some() && slot.last_used != latest)
                .min_by_key(|(_, slot)| slot.last_used)
                .map(|(key, _)| *key);
            match oldest {
                Some(key) => {
                    cache.slots.remove(&key);
                }
                None => return,
            }
        }
    }
}

impl Engine {
    /// An engine serving `records` of this one (record numbers, each at most once), sharing
    /// its profiles and name ranks.
    fn subset(&self, records: impl Iterator<Item = u32>) -> Engine {
        let mut rows = ScoreRows {
            modes: self.facets.modes.clone(),
            regions: self.facets.regions.clone(),
            ..ScoreRows::default()
        };
        for record in records {
            let r = record as usize;
            let (Some(&score), Some(&profile), Some(&combo), Some(&played_at)) = (
                self.records.score.get(r),
                self.records.profile.get(r),
                self.records.combo.get(r),
                self.records.played_at.get(r),
            ) else {
                continue;
            };
            let Some(&(mode, region)) = self.facets.combos.get(combo as usize) else {
                continue;
            };
            let id_start = rows.ids.len();
            rows.ids.push_str(self.records.id(record));
            rows.rows.push(ScoreRow {
                id_start,
                id_end: rows.ids.len(),
                score,
                profile,
                mode,
                region,
                played_at: (played_at != NO_TIME)
                    .then(|| PlayedAt::from_unix_millis(played_at))
                    .flatten(),
            });
        }
        crate::build::build_rows_sharing(rows, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leaderboard_model::{PeriodKind, Profile, ScoreRecord};

    #[test]
    fn a_board_is_built_once_on_first_read_and_the_all_time_board_never() {
        let at = PlayedAt::parse("2027-01-03T12:00:00Z").unwrap();
        let scores = vec![ScoreRecord {
            id: "s1".to_string(),
            profile_id: "p1".to_string(),
            score: 5,
            game_mode: "Solo".to_string(),
            game_region: "M".to_string(),
            played_at: Some(at),
        }];
        let profiles = vec![Profile {
            id: "p1".to_string(),
            user_name: "one".to_string(),
            avatar_url: String::new(),
            achievements: Vec::new(),
        }];
        let boards = Boards::new(Arc::new(Engine::build(scores, profiles)));
        assert!(boards.built(&LeaderboardQuery::default()).is_some());
        let mut week = LeaderboardQuery {
            period: PeriodKind::Week,
            view: View::Best,
            ..LeaderboardQuery::default()
        };
        // Unresolved: no board to build, an empty one answers.
        assert_eq!(boards.built(&week).map(|b| b.len()), Some(0));
        week.resolve_period(at, &Retention::default()).unwrap();
        assert!(boards.built(&week).is_none());
        let built = boards.board(&week);
        assert_eq!(built.len(), 1);
        assert!(Arc::ptr_eq(&boards.built(&week).unwrap(), &built));
        assert!(Arc::ptr_eq(&boards.board(&week), &built));
    }
}
