//! The leaderboard query engine: the whole data set in memory, indexed once at load so
//! that every query (any filters, sort, order, `q`, `around`, any page) costs
//! O(log n + pageSize), or O(pageSize · log n) for `q` under a sort other than `player`.
//!
//! [`reference`](mod@reference) is the naive filter + sort + skip + take that the original function ran on
//! every request. It defines the results; [`Engine`] returns exactly the same (the property
//! tests in `tests/` pin that) and is benchmarked against it (`benches/query.rs`).
//!
//! # The index design, and why
//!
//! **Records are numbered in leaderboard order.** At build the served records are sorted
//! once by (score desc, id asc) and stored as columns (score, profile index, mode-and-region
//! combination id, id bytes in one arena). From then on "leaderboard order" is just record
//! number order, so every tie-break in the spec (`rank_order`) is an integer comparison, and
//! a competition rank is "position of the first record with this score" in a selection.
//!
//! **Selections are groups, not filters.** A query selects one of four levels: everything,
//! one mode, one region, or one (mode, region) combination. Modes and regions are interned
//! to ids in name order, combinations to ids in (mode, region) name order. For each level
//! there is a `GroupedOrder` (`order.rs`): all records, grouped by that level's selection, each
//! group in leaderboard order. A filtered query is a slice of one of them; page k is an
//! offset. Desc/asc is reading the slice forwards or backwards.
//!
//! **Mode and region sorts are groupings too.** "All scores by mode, then leaderboard
//! order" is exactly the by-mode grouping read end to end; "one mode's scores by region" is
//! the run of the (mode, region) grouping covering that mode's combinations; "one region's
//! scores by mode" needs combinations in (region, mode) order, hence a fifth grouping. When
//! the filter fixes the sort key (sort=mode within a mode), the order degenerates to
//! leaderboard order. So five arrays of n record numbers answer every filter × sort except
//! `player`, with no per-request sorting.
//!
//! **Names.** Profiles are ranked by (lower-case name, raw name); equal names share a rank.
//! Each level also has a by-player grouping: each selection's records by (name rank, record
//! number), which is the spec's player order. A `q` prefix is a contiguous run of name ranks
//! (binary search over the sorted lower-case names), hence a contiguous run of each
//! by-player group: `q` under sort=player is again a slice.
//!
//! **`q` under another sort** uses a `WaveletMatrix` (`wavelet.rs`) per (level, sort) pair that
//! is not degenerate (8 in all): laid out in by-player order, it stores each record's
//! position in the sort's grouping. The rows matching `q` are a run of the by-player order,
//! so the k-th matching row in sort order is the k-th smallest value in that run: O(log n)
//! per row, O(pageSize · log n) per page, independent of how many rows match.
//!
//! **`around`** needs the player's best row in the selection: per level, the best record of
//! each (selection, profile) pair, sorted by that pair, found by binary search. A player's
//! rows all share one name, so `q` either keeps all of them or none. Its position in the
//! requested order is a binary search in the sort's grouping (or the by-player group), or,
//! under `q` with a non-player sort, a "count values below" on the wavelet matrix.
//!
//! **Ranks** are precomputed per record for each of the four levels (a record belongs to
//! exactly one selection per level), so an entry costs O(1) after it is located.
//!
//! # Invariants
//!
//! - Record numbers are leaderboard positions; every grouping keeps leaderboard order within
//!   a group (the by-player groupings within a name rank).
//! - Mode, region and combination ids are in name order, so id order is the spec's string
//!   order and contiguous id ranges are contiguous runs of the groupings.
//! - The engine serves exactly the records [`reference`](mod@reference) serves: the first profile of each
//!   id; scores whose profile exists, then the first score of each id.
//! - Nothing here indexes unchecked into data-derived positions: lookups use `get`, and a
//!   position that cannot exist yields "no row", never a panic.
//!
//! # Cost
//!
//! Per record: 8 (score) + 4 (profile) + 4 (combination) + 8 (id end) + the id's bytes;
//! 5 × 4 (score-side groupings) + 4 × 4 (by-player groupings) + 4 × 4 (ranks) + ≤ 4 × 4
//! (best per profile) + about 8 × 23 bits (wavelet matrices with their rank directories):
//! roughly 115 bytes plus the id. The build is one sort of compact rows by cached keys
//! plus linear passes; the four cross-sort matrices build in parallel. Measured heap, build
//! time and per-query times: BENCHMARKS.md ("The query engine alone", `examples/footprint.rs`,
//! `benches/query.rs`) and bench/analysis.md ("Function: cold start").
//!
//! # Snapshots
//!
//! A built engine can be written as bytes and read back ([`Engine::write_snapshot`],
//! [`Engine::read_snapshot`]), so a process starts without building. The engine owns the
//! format (`snapshot.rs`: a header with magic, format version, length and checksum; the
//! parts above in a fixed order) and what reading guarantees: any bytes give an engine that
//! keeps every invariant the queries rely on, or a [`SnapshotError`] that says what is
//! wrong, never a panic. Whether a snapshot is still right for the data (its data version)
//! is the caller's to judge: the engine knows no files.
//!
//! # Adding posted scores later
//!
//! The engine is an immutable snapshot: `Send + Sync`, shared behind an `Arc`, never locked.
//! An embedded store that accepts posts can keep new scores in a small delta (sorted by
//! leaderboard order, per selection) beside the snapshot. A query then merges two sorted
//! sources: the k-th row of the union is found by binary search over how many come from
//! each (O(log n · log d)), a rank adds the delta's count of strictly higher scores, and
//! `around` takes the better of the two bests. When the delta outgrows about √n rows (or on
//! a timer), a background task builds a new snapshot from snapshot + delta and swaps the
//! `Arc`; readers never wait. Nothing in the index assumes the
//! data never changes except that a snapshot itself is never mutated.
//!
//! Architecture invariant: no I/O here and no panics on any data or query.

// Data-derived positions go through `get`; the lints keep it that way.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod boards;
mod build;
mod order;
pub mod reference;
mod snapshot;
mod wavelet;

pub use boards::Boards;
pub use snapshot::{SnapshotError, SnapshotInfo, FORMAT_VERSION as SNAPSHOT_FORMAT_VERSION};

use std::ops::Range;
use std::sync::Arc;

use leaderboard_model::{
    LeaderboardEntry, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, PlayedAt, Profile,
    ScoreRecord, SortKey, SortOrder,
};

use order::{GroupedOrder, Grouping};
use wavelet::WaveletMatrix;

/// Why a well-formed query has no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// `around` named a profile with no entry in the selection (filters and `q`).
    AroundNotFound { profile_id: String },
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::AroundNotFound { profile_id } => {
                write!(f, "player {profile_id:?} has no score in this selection")
            }
        }
    }
}

impl std::error::Error for QueryError {}

/// The served scores as columns, numbered in leaderboard order.
#[derive(Debug, Default)]
struct Records {
    score: Vec<i64>,
    /// Index into [`Engine::profiles`].
    profile: Vec<u32>,
    /// Index into [`Facets::combos`].
    combo: Vec<u32>,
    /// Record `i`'s id is `ids[id_ends[i - 1]..id_ends[i]]` (from 0 for the first).
    id_ends: Vec<usize>,
    ids: String,
    /// Record `i`'s `playedAt` in milliseconds since the Unix epoch, or [`NO_TIME`] for a
    /// document without one.
    played_at: Vec<u64>,
}

/// The `played_at` column's value for a score without a time (no [`PlayedAt`] reaches it:
/// the latest is [`PlayedAt::MAX`]).
pub(crate) const NO_TIME: u64 = u64::MAX;

impl Records {
    fn len(&self) -> usize {
        self.score.len()
    }

    fn id(&self, record: u32) -> &str {
        let record = record as usize;
        let start = match record.checked_sub(1) {
            None => 0,
            Some(previous) => self.id_ends.get(previous).copied().unwrap_or(0),
        };
        let end = self.id_ends.get(record).copied().unwrap_or(start);
        self.ids.get(start..end).unwrap_or("")
    }
}

/// Interned modes, regions and their combinations present in the data.
#[derive(Debug, Default)]
struct Facets {
    /// Sorted by name; a mode id is an index here.
    modes: Vec<String>,
    /// Sorted by name; a region id is an index here.
    regions: Vec<String>,
    /// (mode id, region id) pairs present, sorted; a combination id is an index here.
    combos: Vec<(u32, u32)>,
    /// Each combination's place in (region, mode) order.
    combo_region_major: Vec<u32>,
    /// Combinations of mode `m` are ids `combos_of_mode[m]..combos_of_mode[m + 1]`.
    combos_of_mode: Vec<usize>,
    /// Combinations of region `r` are places `combos_of_region[r]..combos_of_region[r + 1]`
    /// in (region, mode) order.
    combos_of_region: Vec<usize>,
}

impl Facets {
    fn mode_id(&self, name: &str) -> Option<u32> {
        let id = self.modes.binary_search_by(|m| m.as_str().cmp(name)).ok()?;
        u32::try_from(id).ok()
    }

    fn region_id(&self, name: &str) -> Option<u32> {
        let id = self
            .regions
            .binary_search_by(|r| r.as_str().cmp(name))
            .ok()?;
        u32::try_from(id).ok()
    }

    fn combo_id(&self, mode: u32, region: u32) -> Option<u32> {
        let id = self.combos.binary_search(&(mode, region)).ok()?;
        u32::try_from(id).ok()
    }

    fn run(starts: &[usize], id: u32) -> Range<usize> {
        let id = id as usize;
        match (starts.get(id), starts.get(id + 1)) {
            (Some(&start), Some(&end)) if start <= end => start..end,
            _ => 0..0,
        }
    }
}

/// The four selection levels a query can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selection {
    All,
    Mode(u32),
    Region(u32),
    Combo(u32),
}

impl Selection {
    fn group(self) -> usize {
        match self {
            Selection::All => 0,
            Selection::Mode(id) | Selection::Region(id) | Selection::Combo(id) => id as usize,
        }
    }

    /// The grouping whose groups are this level's selections.
    fn grouping(self) -> Grouping {
        match self {
            Selection::All => Grouping::All,
            Selection::Mode(_) => Grouping::Mode,
            Selection::Region(_) => Grouping::Region,
            Selection::Combo(_) => Grouping::ModeRegion,
        }
    }
}

/// The grouping that defines each selection level, in the order of [`Engine::levels`].
const LEVEL_GROUPINGS: [Grouping; 4] = [
    Grouping::All,
    Grouping::Mode,
    Grouping::Region,
    Grouping::ModeRegion,
];

/// What one selection level needs beyond its score-side grouping.
#[derive(Debug, Default)]
struct LevelIndex {
    /// Each selection's records by (name rank, record number).
    by_player: GroupedOrder,
    /// Competition rank of every record within its selection at this level.
    rank: Vec<u32>,
    /// The best record of each (selection, profile) pair, sorted by (selection, profile).
    best_of_profile: Vec<u32>,
    /// Over `by_player`: each record's position in this level's own score grouping.
    score_positions: WaveletMatrix,
}

/// The five score-side groupings, each group in leaderboard order.
#[derive(Debug, Default)]
struct ScoreOrders {
    all: GroupedOrder,
    by_mode: GroupedOrder,
    by_region: GroupedOrder,
    by_mode_region: GroupedOrder,
    by_region_mode: GroupedOrder,
}

impl ScoreOrders {
    fn get(&self, grouping: Grouping) -> &GroupedOrder {
        match grouping {
            Grouping::All => &self.all,
            Grouping::Mode => &self.by_mode,
            Grouping::Region => &self.by_region,
            Grouping::ModeRegion => &self.by_mode_region,
            Grouping::RegionMode => &self.by_region_mode,
        }
    }
}

/// Wavelet matrices for mode and region sorts at levels where the filter does not fix them.
#[derive(Debug, Default)]
struct CrossSortPositions {
    /// Over the all-level by-player order: positions in the by-mode grouping.
    mode_sort_of_all: WaveletMatrix,
    /// Over the region-level by-player order: positions in the (region, mode) grouping.
    mode_sort_of_region: WaveletMatrix,
    /// Over the all-level by-player order: positions in the by-region grouping.
    region_sort_of_all: WaveletMatrix,
    /// Over the mode-level by-player order: positions in the (mode, region) grouping.
    region_sort_of_mode: WaveletMatrix,
}

/// Profiles' names in the spec's player order.
#[derive(Debug, Default)]
struct Names {
    /// Each profile's name rank: its place among distinct (lower-case, raw) names.
    rank_of_profile: Vec<u32>,
    /// The lower-case name of each name rank (non-decreasing).
    lower_of_rank: Vec<Box<str>>,
}

impl Names {
    /// Name ranks whose lower-case name starts with the lower-cased `prefix`.
    fn matching(&self, prefix: &str) -> Range<u32> {
        let prefix = reference::name_key(prefix);
        let start = self
            .lower_of_rank
            .partition_point(|name| name.as_ref() < prefix.as_str());
        let tail = self.lower_of_rank.get(start..).unwrap_or(&[]);
        let end = start + tail.partition_point(|name| name.starts_with(prefix.as_str()));
        to_u32(start)..to_u32(end)
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Scores in compact form for [`Engine::build_rows`]: what [`ScoreRecord`]s say, with the
/// strings stored once. Row `i` is the score `ScoreRecord { id: ids[rows[i].id_start..
/// rows[i].id_end], profile_id: profiles[rows[i].profile].id, score, game_mode:
/// modes[rows[i].mode], game_region: regions[rows[i].region], played_at }`, where `profiles` is the
/// list given to `build_rows`. Rows that point outside these are dropped (never a panic).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreRows {
    pub ids: String,
    pub rows: Vec<ScoreRow>,
    pub modes: Vec<String>,
    pub regions: Vec<String>,
}

/// One score of [`ScoreRows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreRow {
    pub id_start: usize,
    pub id_end: usize,
    pub score: i64,
    /// Index into the profiles given to [`Engine::build_rows`].
    pub profile: u32,
    /// Index into [`ScoreRows::modes`].
    pub mode: u32,
    /// Index into [`ScoreRows::regions`].
    pub region: u32,
    pub played_at: Option<PlayedAt>,
}

impl ScoreRows {
    /// The same scores as records, for checking against [`Engine::build`].
    pub fn to_records(&self, profiles: &[Profile]) -> Vec<ScoreRecord> {
        let text =
            |list: &[String], index: u32| list.get(index as usize).cloned().unwrap_or_default();
        self.rows
            .iter()
            .map(|row| ScoreRecord {
                id: self
                    .ids
                    .get(row.id_start..row.id_end)
                    .unwrap_or("")
                    .to_string(),
                profile_id: profiles
                    .get(row.profile as usize)
                    .map(|p| p.id.clone())
                    .unwrap_or_default(),
                score: row.score,
                game_mode: text(&self.modes, row.mode),
                game_region: text(&self.regions, row.region),
                played_at: row.played_at,
            })
            .collect()
    }
}

/// One page as [`Engine::page`] returns it: the page shown (the requested one, or the one
/// `around` chose), the number of matching rows, and the rows, borrowed from the engine.
/// [`LeaderboardResponse::for_query`] with these (rows made owned) is [`Engine::query`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRef<'a> {
    pub page: u32,
    pub total_results: u64,
    pub entries: Vec<EntryRef<'a>>,
}

/// One page as [`Engine::page_records`] finds it: the page shown, the number of matching
/// rows, and each row's record number and rank, meaningful only to the engine that
/// found them ([`Engine::rows`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRecords {
    pub page: u32,
    pub total_results: u64,
    rows: Vec<RecordRank>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RecordRank {
    record: u32,
    rank: u32,
}

/// One row of a [`PageRef`]: a [`LeaderboardEntry`] whose strings are the engine's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef<'a> {
    pub rank: u64,
    /// The score record's fields.
    pub id: &'a str,
    pub score: i64,
    pub game_mode: &'a str,
    pub game_region: &'a str,
    pub played_at: Option<PlayedAt>,
    /// The player (the score's `profileId` is `profile.id`).
    pub profile: &'a Profile,
}

impl EntryRef<'_> {
    pub fn to_owned(&self) -> LeaderboardEntry {
        LeaderboardEntry {
            rank: self.rank,
            score: ScoreRecord {
                id: self.id.to_string(),
                profile_id: self.profile.id.clone(),
                score: self.score,
                game_mode: self.game_mode.to_string(),
                game_region: self.game_region.to_string(),
                played_at: self.played_at,
            },
            profile: self.profile.clone(),
        }
    }
}

/// The indexed leaderboard. Build once, query many times from many threads.
#[derive(Debug)]
pub struct Engine {
    records: Records,
    /// Shared with the boards built from this engine ([`Boards`]): they index the same
    /// profiles and name ranks.
    profiles: Arc<Vec<Profile>>,
    facets: Facets,
    names: Arc<Names>,
    score_orders: ScoreOrders,
    /// One per selection level, in the order of [`LEVEL_GROUPINGS`].
    levels: [LevelIndex; 4],
    cross_sorts: CrossSortPositions,
    meta: LeaderboardMeta,
}

impl Default for Engine {
    /// An engine serving nothing.
    fn default() -> Self {
        Engine {
            records: Records::default(),
            profiles: Arc::default(),
            facets: Facets::default(),
            names: Arc::default(),
            score_orders: ScoreOrders::default(),
            levels: Default::default(),
            cross_sorts: CrossSortPositions::default(),
            meta: LeaderboardMeta {
                modes: Vec::new(),
                regions: Vec::new(),
                total_scores: 0,
                total_players: 0,
                periods: None,
            },
        }
    }
}

/// Where a query's rows come from, in the natural direction of the sort (leaderboard order
/// for score, A to Z otherwise); `reversed` reads it backwards.
struct View<'a> {
    engine: &'a Engine,
    selection: Selection,
    /// The rows matching `q`: a run of the level's by-player order (the whole group
    /// without `q`).
    matching: Range<usize>,
    /// The name ranks matching `q`, or `None` without `q`.
    names: Option<Range<u32>>,
    source: Source<'a>,
    reversed: bool,
}

enum Source<'a> {
    /// sort=player: the matching run itself.
    ByPlayer,
    /// Another sort: `range` of `order` (grouped by `grouping`) holds the selection in sort
    /// order; under `q`, `positions` maps the matching run into it.
    Sorted {
        order: &'a GroupedOrder,
        grouping: Grouping,
        range: Range<usize>,
        positions: &'a WaveletMatrix,
    },
}

impl View<'_> {
    fn len(&self) -> usize {
        self.matching.len()
    }

    fn level(&self) -> &LevelIndex {
        self.engine.level(self.selection)
    }

    /// The record at `index` in the requested order.
    fn record_at(&self, index: usize) -> Option<u32> {
        let len = self.len();
        if index >= len {
            return None;
        }
        let natural = if self.reversed {
            len - 1 - index
        } else {
            index
        };
        match &self.source {
            Source::ByPlayer => self.level().by_player.get(self.matching.start + natural),
            Source::Sorted {
                order,
                range,
                positions,
                ..
            } => {
                if self.names.is_some() {
                    let position = positions.kth_smallest(self.matching.clone(), natural)?;
                    order.get(position as usize)
                } else {
                    order.get(range.start + natural)
                }
            }
        }
    }

    /// Index of `record` (which must be in the selection and match `q`) in the requested
    /// order.
    fn index_of(&self, record: u32) -> Option<usize> {
        let natural = match &self.source {
            Source::ByPlayer => {
                let key = (self.engine.name_rank(record)?, record);
                let group = self.level().by_player.group(self.selection.group());
                let run = self.level().by_player.slice(group.clone());
                let offset = run.partition_point(|&other| {
                    (self.engine.name_rank(other).unwrap_or(u32::MAX), other) < key
                });
                (group.start + offset).checked_sub(self.matching.start)?
            }
            Source::Sorted {
                order,
                grouping,
                range,
                positions,
            } => {
                let group = self.engine.group_of(*grouping, record)?;
                let position = order.position_in_sorted_group(group, record)?;
                if self.names.is_some() {
                    positions.count_less(self.matching.clone(), to_u32(position))
                } else {
                    position.checked_sub(range.start)?
                }
            }
        };
        if natural >= self.len() {
            return None;
        }
        Some(if self.reversed {
            self.len() - 1 - natural
        } else {
            natural
        })
    }

    /// The best record of `profile_id` among the matching rows.
    fn best_of(&self, profile_id: &str) -> Option<u32> {
        let engine = self.engine;
        let profile = engine.profile_index(profile_id)?;
        if let Some(names) = &self.names {
            let name_rank = engine.names.rank_of_profile.get(profile as usize)?;
            if !names.contains(name_rank) {
                return None;
            }
        }
        let grouping = self.selection.grouping();
        let key = (self.selection.group(), profile);
        let bests = &self.level().best_of_profile;
        let at = bests.partition_point(|&record| engine.best_key(grouping, record) < Some(key));
        let record = bests.get(at).copied()?;
        (engine.best_key(grouping, record) == Some(key)).then_some(record)
    }
}

impl Engine {
    /// Indexes the records. Preconditions (the loader enforces and reports them): score ids
    /// are unique, profile ids are unique, every score's profile exists. Records that break
    /// them are dropped here rather than panicking, exactly as [`reference`](mod@reference) drops them: the
    /// first profile of each id is kept; scores whose profile is not kept are dropped; then
    /// the first score of each id is kept.
    pub fn build(scores: Vec<ScoreRecord>, profiles: Vec<Profile>) -> Engine {
        build::build(scores, profiles)
    }

    /// [`Engine::build`] from scores already in compact form ([`ScoreRows`]: ids in one
    /// buffer, modes and regions interned, players by index): the same engine, without a
    /// `String` per field per score on the way in. The loader builds these while parsing.
    pub fn build_rows(rows: ScoreRows, profiles: Vec<Profile>) -> Engine {
        build::build_rows(rows, profiles)
    }

    pub fn query(&self, query: &LeaderboardQuery) -> Result<LeaderboardResponse, QueryError> {
        let page = self.page(query)?;
        let entries = page.entries.iter().map(EntryRef::to_owned).collect();
        Ok(LeaderboardResponse::for_query(
            query,
            page.page,
            page.total_results,
            entries,
        ))
    }

    /// [`Engine::query`]'s answer with its rows borrowed from the engine: nothing is
    /// copied, so a caller that serialises the page at once (the function does) skips the
    /// clone of every row's strings.
    pub fn page(&self, query: &LeaderboardQuery) -> Result<PageRef<'_>, QueryError> {
        Ok(self.rows(&self.page_records(query)?))
    }

    /// [`Engine::page`] without borrowing the engine: the page's record numbers, to be
    /// read with [`Engine::rows`] later (a caller that holds the engine in an `Arc` can
    /// keep both together).
    pub fn page_records(&self, query: &LeaderboardQuery) -> Result<PageRecords, QueryError> {
        let page_size = query.page_size.max(1);
        let view = self.view(query);
        let total = view.as_ref().map_or(0, View::len);

        let page = match &query.around {
            None => query.page,
            Some(profile_id) => {
                let index = view
                    .as_ref()
                    .and_then(|view| view.index_of(view.best_of(profile_id)?))
                    .ok_or_else(|| QueryError::AroundNotFound {
                        profile_id: profile_id.clone(),
                    })?;
                u32::try_from(index / page_size as usize + 1).unwrap_or(u32::MAX)
            }
        };

        let offset = u64::from(page.saturating_sub(1)) * u64::from(page_size);
        let mut rows = Vec::new();
        if let Some(view) = &view {
            let first = usize::try_from(offset).unwrap_or(usize::MAX);
            let end = first.saturating_add(page_size as usize).min(total);
            rows.reserve(end.saturating_sub(first));
            for index in first..end {
                let Some(record) = view.record_at(index) else {
                    continue;
                };
                if let Some(&rank) = view.level().rank.get(record as usize) {
                    rows.push(RecordRank { record, rank });
                }
            }
        }

        Ok(PageRecords {
            page,
            total_results: total as u64,
            rows,
        })
    }

    /// The rows of a page this engine found ([`Engine::page_records`]), borrowed.
    pub fn rows(&self, page: &PageRecords) -> PageRef<'_> {
        PageRef {
            page: page.page,
            total_results: page.total_results,
            entries: page
                .rows
                .iter()
                .filter_map(|row| self.entry(row.record, row.rank))
                .collect(),
        }
    }

    pub fn meta(&self) -> LeaderboardMeta {
        self.meta.clone()
    }

    /// The records this engine serves, as documents: every served score (in leaderboard
    /// order) and every kept profile (by id). [`Engine::build`] of them builds this engine
    /// again; a store that takes posts starts its own copy of the records from them.
    pub fn to_records(&self) -> (Vec<ScoreRecord>, Vec<Profile>) {
        let scores = (0..to_u32(self.records.len()))
            .filter_map(|record| self.entry(record, 0))
            .map(|entry| entry.to_owned().score)
            .collect();
        (scores, self.profiles.to_vec())
    }

    /// The competition ranks of the score `id` with `score` points in the four selections
    /// it belongs to (all, its mode, its region, its mode in its region), read from the
    /// precomputed ranks: O(log n). `None` when the engine does not serve that score.
    pub fn ranks_of(&self, id: &str, score: i64) -> Option<[u64; 4]> {
        let record = self.record_of(id, score)?;
        let rank = |level: &LevelIndex| level.rank.get(record as usize).map(|&r| u64::from(r));
        let [all, mode, region, combo] = &self.levels;
        Some([rank(all)?, rank(mode)?, rank(region)?, rank(combo)?])
    }

    /// Number of scores served.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Number of profiles kept (with or without a served score).
    pub fn profile_count(&self) -> usize {
        self.profiles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.len() == 0
    }

    /// Heap bytes held by the engine's own structures (records, profiles and indexes), for
    /// sizing deployments. Profiles and name ranks shared with boards ([`Boards`]) are
    /// counted in each engine that shares them.
    pub fn heap_bytes(&self) -> usize {
        let records = &self.records;
        let columns = records.score.capacity() * 8
            + records.profile.capacity() * 4
            + records.combo.capacity() * 4
            + records.id_ends.capacity() * 8
            + records.ids.capacity()
            + records.played_at.capacity() * 8;
        let profiles: usize = self
            .profiles
            .iter()
            .map(|p| {
                std::mem::size_of::<Profile>()
                    + p.id.capacity()
                    + p.user_name.capacity()
                    + p.avatar_url.capacity()
                    + p.achievements
                        .iter()
                        .map(|a| 24 + a.capacity())
                        .sum::<usize>()
            })
            .sum();
        let names = self.names.rank_of_profile.capacity() * 4
            + self
                .names
                .lower_of_rank
                .iter()
                .map(|n| 16 + n.len())
                .sum::<usize>();
        let orders = [
            &self.score_orders.all,
            &self.score_orders.by_mode,
            &self.score_orders.by_region,
            &self.score_orders.by_mode_region,
            &self.score_orders.by_region_mode,
        ]
        .iter()
        .map(|o| o.heap_bytes())
        .sum::<usize>();
        let levels: usize = self
            .levels
            .iter()
            .map(|l| {
                l.by_player.heap_bytes()
                    + l.rank.capacity() * 4
                    + l.best_of_profile.capacity() * 4
                    + l.score_positions.heap_bytes()
            })
            .sum();
        let cross = self.cross_sorts.mode_sort_of_all.heap_bytes()
            + self.cross_sorts.mode_sort_of_region.heap_bytes()
            + self.cross_sorts.region_sort_of_all.heap_bytes()
            + self.cross_sorts.region_sort_of_mode.heap_bytes();
        columns + profiles + names + orders + levels + cross
    }

    fn level(&self, selection: Selection) -> &LevelIndex {
        let [all, mode, region, combo] = &self.levels;
        match selection {
            Selection::All => all,
            Selection::Mode(_) => mode,
            Selection::Region(_) => region,
            Selection::Combo(_) => combo,
        }
    }

    fn selection(&self, mode: Option<&str>, region: Option<&str>) -> Option<Selection> {
        let mode = match mode {
            None => None,
            Some(name) => Some(self.facets.mode_id(name)?),
        };
        let region = match region {
            None => None,
            Some(name) => Some(self.facets.region_id(name)?),
        };
        Some(match (mode, region) {
            (None, None) => Selection::All,
            (Some(mode), None) => Selection::Mode(mode),
            (None, Some(region)) => Selection::Region(region),
            (Some(mode), Some(region)) => Selection::Combo(self.facets.combo_id(mode, region)?),
        })
    }

    /// `None` when the filters name a mode, region or combination with no scores.
    fn view(&self, query: &LeaderboardQuery) -> Option<View<'_>> {
        let selection = self.selection(query.mode.as_deref(), query.region.as_deref())?;
        let level = self.level(selection);
        let group = level.by_player.group(selection.group());
        let names = query.q.as_deref().map(|q| self.names.matching(q));
        let matching = match &names {
            None => group,
            Some(names) => {
                let run = level.by_player.slice(group.clone());
                let rank_of = |record: u32| self.name_rank(record).unwrap_or(u32::MAX);
                let start = run.partition_point(|&r| rank_of(r) < names.start);
                let end = run.partition_point(|&r| rank_of(r) < names.end);
                group.start + start..group.start + end.max(start)
            }
        };
        let reversed = match query.sort {
            SortKey::Score => query.order == SortOrder::Asc,
            SortKey::Player | SortKey::Mode | SortKey::Region => query.order == SortOrder::Desc,
        };
        let source = self.source(selection, query.sort);
        Some(View {
            engine: self,
            selection,
            matching,
            names,
            source,
            reversed,
        })
    }

    /// Which grouping holds `selection` in `sort` order, and where.
    fn source(&self, selection: Selection, sort: SortKey) -> Source<'_> {
        let orders = &self.score_orders;
        let cross = &self.cross_sorts;
        let facets = &self.facets;
        let own_level = |grouping: Grouping| {
            let order = orders.get(grouping);
            Source::Sorted {
                order,
                grouping,
                range: order.group(selection.group()),
                positions: &self.level(selection).score_positions,
            }
        };
        match (selection, sort) {
            (_, SortKey::Player) => Source::ByPlayer,
            (Selection::All, SortKey::Score) => own_level(Grouping::All),
            (Selection::All, SortKey::Mode) => Source::Sorted {
                order: &orders.by_mode,
                grouping: Grouping::Mode,
                range: 0..orders.by_mode.len(),
                positions: &cross.mode_sort_of_all,
            },
            (Selection::All, SortKey::Region) => Source::Sorted {
                order: &orders.by_region,
                grouping: Grouping::Region,
                range: 0..orders.by_region.len(),
                positions: &cross.region_sort_of_all,
            },
            (Selection::Mode(_), SortKey::Score | SortKey::Mode) => own_level(Grouping::Mode),
            (Selection::Mode(mode), SortKey::Region) => Source::Sorted {
                order: &orders.by_mode_region,
                grouping: Grouping::ModeRegion,
                range: orders
                    .by_mode_region
                    .groups(Facets::run(&facets.combos_of_mode, mode)),
                positions: &cross.region_sort_of_mode,
            },
            (Selection::Region(_), SortKey::Score | SortKey::Region) => own_level(Grouping::Region),
            (Selection::Region(region), SortKey::Mode) => Source::Sorted {
                order: &orders.by_region_mode,
                grouping: Grouping::RegionMode,
                range: orders
                    .by_region_mode
                    .groups(Facets::run(&facets.combos_of_region, region)),
                positions: &cross.mode_sort_of_region,
            },
            (Selection::Combo(_), _) => own_level(Grouping::ModeRegion),
        }
    }

    fn entry(&self, record: u32, rank: u32) -> Option<EntryRef<'_>> {
        let index = record as usize;
        let records = &self.records;
        let profile = self.profiles.get(*records.profile.get(index)? as usize)?;
        let &(mode, region) = self
            .facets
            .combos
            .get(*records.combo.get(index)? as usize)?;
        Some(EntryRef {
            rank: u64::from(rank),
            id: records.id(record),
            score: *records.score.get(index)?,
            game_mode: self.facets.modes.get(mode as usize)?,
            game_region: self.facets.regions.get(region as usize)?,
            played_at: records
                .played_at
                .get(index)
                .and_then(|&millis| PlayedAt::from_unix_millis(millis)),
            profile,
        })
    }

    /// The record of score `id` with `score` points: records are numbered in leaderboard
    /// order, (score desc, id asc), so this is a binary search.
    fn record_of(&self, id: &str, score: i64) -> Option<u32> {
        let records = &self.records;
        let (mut low, mut high) = (0usize, records.len());
        while low < high {
            let middle = low + (high - low) / 2;
            let middle_score = *records.score.get(middle)?;
            let before =
                middle_score > score || (middle_score == score && records.id(to_u32(middle)) < id);
            if before {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        let record = u32::try_from(low).ok()?;
        (records.score.get(low) == Some(&score) && records.id(record) == id).then_some(record)
    }

    fn name_rank(&self, record: u32) -> Option<u32> {
        let profile = *self.records.profile.get(record as usize)?;
        self.names.rank_of_profile.get(profile as usize).copied()
    }

    fn profile_index(&self, profile_id: &str) -> Option<u32> {
        // Profiles are stored sorted by id (see build), so this is a binary search.
        let index = self
            .profiles
            .binary_search_by(|p| p.id.as_str().cmp(profile_id))
            .ok()?;
        u32::try_from(index).ok()
    }

    /// The group `record` falls in under `grouping`.
    fn group_of(&self, grouping: Grouping, record: u32) -> Option<usize> {
        let combo = *self.records.combo.get(record as usize)?;
        let &(mode, region) = self.facets.combos.get(combo as usize)?;
        Some(match grouping {
            Grouping::All => 0,
            Grouping::Mode => mode as usize,
            Grouping::Region => region as usize,
            Grouping::ModeRegion => combo as usize,
            Grouping::RegionMode => *self.facets.combo_region_major.get(combo as usize)? as usize,
        })
    }

    /// The sort key of the best-of-profile tables: (selection group, profile).
    fn best_key(&self, grouping: Grouping, record: u32) -> Option<(usize, u32)> {
        let group = self.group_of(grouping, record)?;
        let profile = *self.records.profile.get(record as usize)?;
        Some((group, profile))
    }
}
