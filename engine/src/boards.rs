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
//! Boards other than the all-time one are built from the all-time engine's columns and
//! kept in a cache; a read costs a map lookup more than on the all-time board,
//! O(log n + pageSize) as before. A period's records are found through a time index (the
//! all-time board's timed records by `playedAt`, one sort per state of the data, built on
//! first use): a run of it, so a period's board builds in O(log n + k log k) for its k
//! records, whatever n is, and a rollover's new period (empty, or holding what was just
//! posted to it) costs next to nothing. The index lives here, not in the engine or its
//! snapshot: every change of the data makes a new one anyway (posts never reach the
//! snapshot), it is one sort done off the read path by [`Boards::warm`], and the snapshot
//! format and the cold start stay as they are.
//!
//! A board is built either by [`Boards::warm`], which a store runs on a thread of its own
//! when it publishes a state of the data (the current day, week and month and the best
//! views readers are likely to ask for), or by its first read (a past period through
//! `at`, the best views of all time by mode or region). Each board is built
//! once: a reader of a board being built waits for that build. Publishing a state comes
//! first and warming after, so a post's answer never waits for boards; a read in the short
//! window after a publish may wait for its board as it did before warming. The cache holds
//! at most as many records as the all-time board (so the boards at most about double the
//! engine's memory); the least recently used boards leave first (a later read builds them
//! again). A `Boards` belongs to one state of the data: a store that changes the data
//! makes a new one, and with it a new cache and a new time index.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use leaderboard_model::{
    LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, Period, PeriodKind, PeriodsMeta,
    PlayedAt, Retention, View,
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
    /// The all-time board's timed records by (`playedAt`, record number), built on first
    /// use: a period's records are one run of it, and which periods hold scores a binary
    /// search.
    by_time: OnceLock<Vec<u32>>,
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
            by_time: OnceLock::new(),
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
        if !self.by_time().is_empty() {
            meta.periods = PeriodsMeta::new(now, retention, |period| {
                !self.time_run(period.start(), period.end()).is_empty()
            });
        }
        meta
    }

    /// Builds the boards readers are most likely to ask for at `now` that are not built yet
    /// ([`Boards::likely`]), one after another, asking `go_on` before each (a caller whose
    /// state of the data was replaced stops). A reader of a board being built waits for
    /// this build, as for any other. Returns how many boards it built.
    pub fn warm(&self, now: PlayedAt, mut go_on: impl FnMut() -> bool) -> usize {
        let mut built = 0;
        for key in Boards::likely(now) {
            if !go_on() {
                break;
            }
            if !self.is_built(key) {
                self.get(key);
                built += 1;
            }
        }
        built
    }

    /// The boards [`Boards::warm`] builds, in order: the current day, week and month (each
    /// as large as its own records, and the first builds the time index); the best view
    /// with no filter (the widget's "best per player" switch) of all time and of each
    /// current period; the current periods' best views at the mode, region and mode +
    /// region levels (the widget's filters with the switch on). Not the best views of all
    /// time at those levels: each holds up to a row per player and selection, so together
    /// they would take the process past its memory budget; their first read builds them.
    fn likely(now: PlayedAt) -> Vec<BoardKey> {
        let current: Vec<Period> = (PeriodKind::RESETTING.iter())
            .filter_map(|&kind| Period::containing(kind, now))
            .collect();
        let period_boards = |best_level| {
            (current.iter()).map(move |&period| BoardKey {
                period: Some(period),
                best_level,
            })
        };
        let all_time_best = BoardKey {
            period: None,
            best_level: Some(0),
        };
        (period_boards(None))
            .chain(std::iter::once(all_time_best))
            .chain((0..4).flat_map(|level| period_boards(Some(level))))
            .collect()
    }

    fn is_built(&self, key: BoardKey) -> bool {
        let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        (cache.slots.get(&key)).is_some_and(|slot| slot.board.get().is_some())
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
        self.all.subset(self.period_records(&period).into_iter())
    }

    /// The all-time records played in `period`, in record (leaderboard) order: one run of
    /// the time index, O(log n + k log k) for k records.
    fn period_records(&self, period: &Period) -> Vec<u32> {
        let mut records = self.time_run(period.start(), period.end()).to_vec();
        records.sort_unstable();
        records
    }

    /// The run of the time index played in `[start, end)`.
    fn time_run(&self, start: PlayedAt, end: PlayedAt) -> &[u32] {
        let order = self.by_time();
        let played = &self.all.records.played_at;
        let at = |record: &u32| played.get(*record as usize).copied().unwrap_or(NO_TIME);
        let first = order.partition_point(|r| at(r) < start.unix_millis());
        let tail = order.get(first..).unwrap_or(&[]);
        let len = tail.partition_point(|r| at(r) < end.unix_millis());
        tail.get(..len).unwrap_or(&[])
    }

    /// The time index (the `by_time` field), built on first use: one sort of the timed
    /// records, once per state of the data.
    fn by_time(&self) -> &[u32] {
        self.by_time.get_or_init(|| {
            let played = &self.all.records.played_at;
            let mut timed: Vec<(u64, u32)> = (played.iter().enumerate())
                .filter(|(_, &at)| at != NO_TIME)
                .map(|(record, &at)| (at, record as u32))
                .collect();
            timed.sort_unstable();
            timed.into_iter().map(|(_, record)| record).collect()
        })
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
    use leaderboard_model::{Profile, ScoreRecord};
    use proptest::prelude::*;

    const DAY: u64 = 86_400_000;
    /// 2027-01-03T12:00:00Z: a Sunday in ISO week 53 of 2026, two days into a month.
    const NOW: u64 = 1_798_977_600_000;

    fn profile(id: &str) -> Profile {
        Profile {
            id: id.to_string(),
            user_name: id.to_string(),
            avatar_url: String::new(),
            achievements: Vec::new(),
        }
    }

    /// Scores of two players, the `n`th played at `times[n]` (`None`: untimed).
    fn boards_of(times: &[Option<u64>]) -> Boards {
        let scores = (times.iter().enumerate())
            .map(|(n, at)| ScoreRecord {
                id: format!("s{n}"),
                profile_id: format!("p{}", n % 2),
                score: (n % 7) as i64,
                game_mode: ["Solo", "Duo"][n % 2].to_string(),
                game_region: ["M", "A", "T"][n % 3].to_string(),
                played_at: at.and_then(PlayedAt::from_unix_millis),
            })
            .collect();
        let profiles = vec![profile("p0"), profile("p1")];
        Boards::new(Arc::new(Engine::build(scores, profiles)))
    }

    /// The records of `period` found by reading every record's time: what the index
    /// must find.
    fn scanned(boards: &Boards, period: &Period) -> Vec<u32> {
        let (start, end) = (period.start().unix_millis(), period.end().unix_millis());
        let played = &boards.all.records.played_at;
        (0..played.len() as u32)
            .filter(|&r| (start..end).contains(&played[r as usize]))
            .collect()
    }

    proptest! {
        /// Times cluster around period boundaries (a millisecond either side), and include
        /// untimed scores and the extremes.
        #[test]
        fn a_periods_records_through_the_time_index_are_those_a_scan_finds(
            times in prop::collection::vec(prop_oneof![
                1 => Just(None),
                4 => (0..60 * DAY).prop_map(|ago| Some(NOW - ago)),
                2 => (0..60u64, 0..3u64).prop_map(|(days, d)| Some(NOW / DAY * DAY - days * DAY + d - 1)),
                1 => prop::option::of(0..=PlayedAt::MAX.unix_millis()),
            ], 0..200),
            instants in prop::collection::vec(prop_oneof![
                3 => (0..70 * DAY).prop_map(|ago| NOW - ago),
                1 => 0..=PlayedAt::MAX.unix_millis(),
            ], 1..8),
        ) {
            let boards = boards_of(&times);
            for instant in instants {
                for kind in PeriodKind::RESETTING {
                    let Some(period) = Period::containing(kind, PlayedAt::from_unix_millis(instant).unwrap()) else {
                        continue;
                    };
                    prop_assert_eq!(boards.period_records(&period), scanned(&boards, &period), "{:?}", period);
                }
            }
        }
    }

    #[test]
    fn warming_builds_the_current_periods_and_best_views_without_a_read_and_stops_when_asked() {
        let now = PlayedAt::from_unix_millis(NOW).unwrap();
        let times: Vec<Option<u64>> = (0..40).map(|n| Some(NOW - n * DAY / 3)).collect();
        let boards = boards_of(&times);
        let resolved = |text: &str| {
            let pairs = text.split('&').filter_map(|pair| pair.split_once('='));
            let mut query = LeaderboardQuery::from_pairs(pairs).unwrap();
            query.resolve_period(now, &Retention::default()).unwrap();
            query
        };
        let warm = [
            "period=day",
            "period=week",
            "period=month",
            "view=best",
            "period=day&view=best",
            "period=week&view=best&mode=Solo",
            "period=month&view=best&region=M",
            "period=month&view=best&mode=Duo&region=A",
        ]
        .map(resolved);
        let cold = [
            "view=best&mode=Solo",
            "view=best&mode=Solo&region=M",
            "period=week&at=2026-12-20",
        ]
        .map(resolved);
        assert_eq!(
            boards.warm(now, || false),
            0,
            "asked to stop: nothing built"
        );
        assert!(warm.iter().all(|query| boards.built(query).is_none()));
        assert_eq!(boards.warm(now, || true), 3 + 1 + 3 * 4);
        for query in &warm {
            let board = boards.built(query).expect("warmed");
            assert_eq!(board.query(query), boards.query(query));
        }
        assert!(cold.iter().all(|query| boards.built(query).is_none()));
        assert_eq!(boards.warm(now, || true), 0, "everything was built");
    }

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
