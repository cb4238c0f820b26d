//! Building the indexes: one sort of the records, one sort of the profiles' names, then
//! linear passes (stable counting sorts into groupings) and the wavelet matrices.
//!
//! Cost at 1,000,000 scores is memory traffic more than comparisons: the input is read once,
//! in order, into compact rows; every comparator uses keys computed once (an 8-byte id
//! prefix, lower-case names computed once per profile, never inside a comparison); the
//! wavelet matrices partition without branches.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use leaderboard_model::{FacetCount, LeaderboardMeta, PlayedAt, Profile, ScoreRecord};

use crate::order::{GroupedOrder, Grouping};
use crate::reference::name_key;
use crate::wavelet::WaveletMatrix;
use crate::{
    to_u32, CrossSortPositions, Engine, Facets, LevelIndex, Names, Records, ScoreOrders, ScoreRows,
    LEVEL_GROUPINGS, NO_TIME,
};

/// Record numbers are `u32`; more records than this are not served (about 400 GB of input).
pub(crate) const MAX_RECORDS: usize = u32::MAX as usize - 1;

pub(crate) fn build(scores: Vec<ScoreRecord>, profiles: Vec<Profile>) -> Engine {
    let profiles = first_profile_of_each_id(profiles);
    let (records, facets) = compact_records(scores, &profiles);
    build_indexes(records, facets, profiles)
}

pub(crate) fn build_rows(rows: ScoreRows, profiles: Vec<Profile>) -> Engine {
    let (profiles, kept_of_input) = first_profile_of_each_id_remapped(profiles);
    let (records, facets) = compact_rows(rows, &kept_of_input);
    build_indexes(records, facets, profiles)
}

fn build_indexes(records: Records, facets: Facets, profiles: Vec<Profile>) -> Engine {
    let names = rank_names(&profiles);
    build_indexes_over(records, facets, Arc::new(profiles), Arc::new(names))
}

/// [`build_rows`] for a board of `parent`'s records ([`crate::Boards`]): the rows name
/// `parent`'s profiles by their index there, and the board shares its profiles and name
/// ranks instead of copying them.
pub(crate) fn build_rows_sharing(rows: ScoreRows, parent: &Engine) -> Engine {
    let identity: Vec<u32> = (0..to_u32(parent.profiles.len())).collect();
    let (records, facets) = compact_rows(rows, &identity);
    build_indexes_over(
        records,
        facets,
        Arc::clone(&parent.profiles),
        Arc::clone(&parent.names),
    )
}

fn build_indexes_over(
    records: Records,
    facets: Facets,
    profiles: Arc<Vec<Profile>>,
    names: Arc<Names>,
) -> Engine {
    let mut engine = Engine {
        records,
        profiles,
        facets,
        names,
        ..Engine::default()
    };
    engine.score_orders = score_orders(&engine);
    let by_player = player_order(&engine);
    // Levels are built on this thread: their large arrays then reuse the memory the input
    // records just freed, where a thread's own allocator arena would stay resident (the
    // trade is measured in bench/analysis.md, "Function: cold start"). The cross-sort
    // matrices are small and independent, so they are built in parallel.
    let levels = LEVEL_GROUPINGS.map(|grouping| level_index(&engine, grouping, &by_player));
    drop(by_player);
    engine.levels = levels;
    engine.cross_sorts = cross_sorts(&engine);
    engine.meta = meta(&engine);
    engine
}

/// A build thread's result. Our build code does not panic; if it ever did, the panic is
/// carried on to the caller rather than leaving a half-built engine.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
}

/// Sorted by id (so `around` finds a profile by binary search), the first of each id kept.
fn first_profile_of_each_id(mut profiles: Vec<Profile>) -> Vec<Profile> {
    profiles.truncate(MAX_RECORDS);
    // Stable: among equal ids the input order survives, so `dedup_by` keeps the first.
    profiles.sort_by(|a, b| a.id.cmp(&b.id));
    profiles.dedup_by(|later, earlier| later.id == earlier.id);
    profiles.shrink_to_fit();
    profiles
}

/// [`first_profile_of_each_id`], and for each input profile the index of the kept profile
/// with its id (a score names its player by id, so a later duplicate means the first).
fn first_profile_of_each_id_remapped(profiles: Vec<Profile>) -> (Vec<Profile>, Vec<u32>) {
    let count = profiles.len().min(MAX_RECORDS);
    let id_at = |input: u32| profiles.get(input as usize).map_or("", |p| p.id.as_str());
    let mut order: Vec<u32> = (0..count as u32).collect();
    // Stable: among equal ids the input order survives, so a run's first is kept.
    order.sort_by(|&a, &b| id_at(a).cmp(id_at(b)));
    let mut kept_of_input = vec![u32::MAX; profiles.len()];
    let mut kept_inputs: Vec<u32> = Vec::with_capacity(count);
    for &input in &order {
        if kept_inputs
            .last()
            .is_none_or(|&first| id_at(first) != id_at(input))
        {
            kept_inputs.push(input);
        }
        if let Some(slot) = kept_of_input.get_mut(input as usize) {
            *slot = kept_inputs.len() as u32 - 1;
        }
    }
    drop(order);
    let mut slots: Vec<Option<Profile>> = profiles.into_iter().map(Some).collect();
    let kept = kept_inputs
        .iter()
        .filter_map(|&input| slots.get_mut(input as usize).and_then(Option::take))
        .collect();
    (kept, kept_of_input)
}

/// A served score while building: what the sort and the columns need, copied compactly.
struct Served {
    score: i64,
    /// The id's first 8 bytes, big-endian, zero-padded: orders most ids without touching
    /// the strings.
    id_prefix: u64,
    /// Position in the input.
    input: u32,
    profile: u32,
    /// The (mode, region) combination, numbered in first-seen order (renumbered in name
    /// order once all are known).
    combo: u32,
}

/// The served scores, as columns in leaderboard order, and the modes and regions they use.
///
/// The input is read once, in order (its records are large and scattered on the heap, so
/// random access to them is what costs); everything the sort and the columns need is
/// copied into a compact `Served` row on that pass.
fn compact_records(scores: Vec<ScoreRecord>, profiles: &[Profile]) -> (Records, Facets) {
    let profile_of_id: FastMap<&str, u32> = profiles
        .iter()
        .enumerate()
        .map(|(index, p)| (p.id.as_str(), index as u32))
        .collect();

    let mut served = ServedRows::with_capacity(scores.len());
    for (input, score) in scores.iter().enumerate().take(MAX_RECORDS) {
        let Some(&profile) = profile_of_id.get(score.profile_id.as_str()) else {
            continue;
        };
        let mode = served.modes.intern(&score.game_mode);
        let region = served.regions.intern(&score.game_region);
        served.push(input, score.score, &score.id, profile, (mode, region));
    }
    drop(profile_of_id);
    let (records, facets) = served.into_columns(
        |input| scores.get(input as usize).map_or("", |s| s.id.as_str()),
        |input| scores.get(input as usize).and_then(|s| s.played_at),
    );
    drop(scores);
    (records, facets)
}

/// [`compact_records`] for input already interned by the caller ([`ScoreRows`]): no
/// string is looked up per row, only the row's own small ids.
fn compact_rows(rows: ScoreRows, kept_of_input: &[u32]) -> (Records, Facets) {
    let mut served = ServedRows::with_capacity(rows.rows.len());
    // Input mode (region) index to interned id, interned on first use so that names no
    // served score uses do not become facets.
    let mut mode_of_input: Vec<Option<u32>> = vec![None; rows.modes.len()];
    let mut region_of_input: Vec<Option<u32>> = vec![None; rows.regions.len()];
    let id_of = |input: u32| {
        rows.rows
            .get(input as usize)
            .and_then(|row| rows.ids.get(row.id_start..row.id_end))
            .unwrap_or("")
    };
    for (input, row) in rows.rows.iter().enumerate().take(MAX_RECORDS) {
        let Some(&profile) = kept_of_input
            .get(row.profile as usize)
            .filter(|&&p| p != u32::MAX)
        else {
            continue;
        };
        let (Some(mode_slot), Some(region_slot)) = (
            mode_of_input.get_mut(row.mode as usize),
            region_of_input.get_mut(row.region as usize),
        ) else {
            continue;
        };
        let mode = *mode_slot.get_or_insert_with(|| {
            served
                .modes
                .intern(rows.modes.get(row.mode as usize).map_or("", String::as_str))
        });
        let region = *region_slot.get_or_insert_with(|| {
            let name = rows.regions.get(row.region as usize);
            served.regions.intern(name.map_or("", String::as_str))
        });
        served.push(
            input,
            row.score,
            id_of(input as u32),
            profile,
            (mode, region),
        );
    }
    served.into_columns(id_of, |input| {
        rows.rows.get(input as usize).and_then(|row| row.played_at)
    })
}

/// The first pass of [`compact_records`] and [`compact_rows`]: the served rows, the modes
/// and regions interned so far, and the (mode, region) combinations seen.
struct ServedRows<'a> {
    modes: Interner<'a>,
    regions: Interner<'a>,
    combos_seen: FastMap<(u32, u32), u32>,
    id_bytes: usize,
    rows: Vec<Served>,
}

impl<'a> ServedRows<'a> {
    fn with_capacity(capacity: usize) -> ServedRows<'a> {
        ServedRows {
            modes: Interner::default(),
            regions: Interner::default(),
            combos_seen: FastMap::default(),
            id_bytes: 0,
            rows: Vec::with_capacity(capacity),
        }
    }

    /// Serves input record `input` (its interned mode and region in `combo`).
    fn push(&mut self, input: usize, score: i64, id: &str, profile: u32, combo: (u32, u32)) {
        let next_combo = self.combos_seen.len() as u32;
        let combo = *self.combos_seen.entry(combo).or_insert(next_combo);
        self.id_bytes += id.len();
        self.rows.push(Served {
            score,
            id_prefix: id_prefix(id),
            input: input as u32,
            profile,
            combo,
        });
    }

    fn into_columns<'i>(
        self,
        id_of: impl Fn(u32) -> &'i str,
        time_of: impl Fn(u32) -> Option<PlayedAt>,
    ) -> (Records, Facets) {
        columns(
            self.rows,
            self.id_bytes,
            self.modes.into_sorted(),
            self.regions.into_sorted(),
            self.combos_seen,
            (id_of, time_of),
        )
    }
}

/// The served rows (deduplicated by id, first kept) as columns in leaderboard order, and
/// the facets, from the first pass of [`compact_records`] or [`compact_rows`].
fn columns<'a>(
    mut served: Vec<Served>,
    id_bytes: usize,
    (mode_names, mode_id): (Vec<String>, Vec<u32>),
    (region_names, region_id): (Vec<String>, Vec<u32>),
    combos_seen: FastMap<(u32, u32), u32>,
    (id_of, time_of): (impl Fn(u32) -> &'a str, impl Fn(u32) -> Option<PlayedAt>),
) -> (Records, Facets) {
    let duplicate = later_duplicates(&id_of, &served);
    if !duplicate.is_empty() {
        let mut index = 0;
        served.retain(|_| {
            let keep = !duplicate.get(index).copied().unwrap_or(false);
            index += 1;
            keep
        });
    }

    // Ids are unique now, so this is a total order and an unstable sort is deterministic.
    served.sort_unstable_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.id_prefix.cmp(&b.id_prefix))
            .then_with(|| id_of(a.input).cmp(id_of(b.input)))
    });

    // Modes and regions have ids in name order; combinations get (mode, region) order.
    let mut combos: Vec<((u32, u32), u32)> = combos_seen
        .into_iter()
        .map(|((mode, region), first_seen)| {
            let mode = mode_id.get(mode as usize).copied().unwrap_or(0);
            let region = region_id.get(region as usize).copied().unwrap_or(0);
            ((mode, region), first_seen)
        })
        .collect();
    combos.sort_unstable();
    let mut combo_of_first_seen = vec![0u32; combos.len()];
    for (combo, &(_, first_seen)) in combos.iter().enumerate() {
        if let Some(slot) = combo_of_first_seen.get_mut(first_seen as usize) {
            *slot = combo as u32;
        }
    }
    let combos: Vec<(u32, u32)> = combos.into_iter().map(|(pair, _)| pair).collect();

    let mut records = Records {
        score: Vec::with_capacity(served.len()),
        profile: Vec::with_capacity(served.len()),
        combo: Vec::with_capacity(served.len()),
        id_ends: Vec::with_capacity(served.len()),
        ids: String::with_capacity(id_bytes),
        played_at: Vec::with_capacity(served.len()),
    };
    for s in &served {
        records.score.push(s.score);
        records.profile.push(s.profile);
        let combo = combo_of_first_seen.get(s.combo as usize).copied();
        records.combo.push(combo.unwrap_or(0));
        records.ids.push_str(id_of(s.input));
        records.id_ends.push(records.ids.len());
        records
            .played_at
            .push(time_of(s.input).map_or(NO_TIME, PlayedAt::unix_millis));
    }
    // Only more than needed when duplicates were dropped.
    records.ids.shrink_to_fit();
    drop(served);
    let facets = facets(mode_names, region_names, combos);
    (records, facets)
}

/// Which rows repeat the id of an earlier row (all `false`, or empty, when ids are unique,
/// as the loader guarantees). Sorting (hash of id, input position) brings equal ids together
/// with the first occurrence first; this is several times faster than a hash set of 1M
/// strings, and only rows whose hashes collide compare their strings.
fn later_duplicates<'a>(id_of: &impl Fn(u32) -> &'a str, served: &[Served]) -> Vec<bool> {
    let mut keyed: Vec<(u64, u32, u32)> = served
        .iter()
        .enumerate()
        .map(|(row, s)| {
            let mut hasher = FastHasher::default();
            hasher.write(id_of(s.input).as_bytes());
            (hasher.finish(), s.input, row as u32)
        })
        .collect();
    keyed.sort_unstable();
    let mut duplicate: Vec<bool> = Vec::new();
    let mut run_start = 0;
    while run_start < keyed.len() {
        let hash = keyed.get(run_start).map_or(0, |k| k.0);
        let run_len = keyed
            .get(run_start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|k| k.0 == hash)
            .count();
        if run_len > 1 {
            // In input order; keep the first of each distinct id (distinct ids in one run
            // are hash collisions, so `kept` stays tiny).
            let mut kept: Vec<&str> = Vec::new();
            for &(_, input, row) in keyed.get(run_start..run_start + run_len).unwrap_or(&[]) {
                let id = id_of(input);
                if kept.contains(&id) {
                    if duplicate.is_empty() {
                        duplicate = vec![false; served.len()];
                    }
                    if let Some(flag) = duplicate.get_mut(row as usize) {
                        *flag = true;
                    }
                } else {
                    kept.push(id);
                }
            }
        }
        run_start += run_len.max(1);
    }
    duplicate
}

fn id_prefix(id: &str) -> u64 {
    let mut bytes = [0u8; 8];
    for (slot, byte) in bytes.iter_mut().zip(id.bytes()) {
        *slot = byte;
    }
    u64::from_be_bytes(bytes)
}

/// Assigns ids to distinct strings in first-seen order; [`Interner::into_sorted`] renumbers
/// them in name order.
#[derive(Default)]
struct Interner<'a> {
    ids: FastMap<&'a str, u32>,
    names: Vec<&'a str>,
    last: Option<(&'a str, u32)>,
}

impl<'a> Interner<'a> {
    fn intern(&mut self, name: &'a str) -> u32 {
        // Consecutive records often share a value; skip the hash for them.
        if let Some((last, id)) = self.last {
            if last == name {
                return id;
            }
        }
        let next = self.names.len() as u32;
        let id = *self.ids.entry(name).or_insert_with(|| next);
        if id == next {
            self.names.push(name);
        }
        self.last = Some((name, id));
        id
    }

    /// Names in byte order, and for each first-seen id its place in that order.
    fn into_sorted(self) -> (Vec<String>, Vec<u32>) {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        let names = &self.names;
        order.sort_unstable_by_key(|&id| names.get(id as usize).copied().unwrap_or(""));
        let mut place_of_id = vec![0u32; names.len()];
        for (place, &id) in order.iter().enumerate() {
            if let Some(slot) = place_of_id.get_mut(id as usize) {
                *slot = place as u32;
            }
        }
        let sorted = order
            .iter()
            .map(|&id| names.get(id as usize).copied().unwrap_or("").to_string())
            .collect();
        (sorted, place_of_id)
    }
}

/// A fast non-cryptographic hash (multiply-rotate over 8-byte words) for build-time maps
/// keyed by short ids. The data comes from the operator's own files, so flooding attacks
/// on the hash are not a concern here; speed at 1M keys is.
#[derive(Default, Clone, Copy)]
struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            for (slot, byte) in word.iter_mut().zip(chunk) {
                *slot = *byte;
            }
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits depending only on the words' low bytes (an id's
        // first characters); the table indexes by the low bits, so mix the high ones down.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// [`FastHasher`] for `HashMap`/`HashSet`.
type BuildFastHasher = BuildHasherDefault<FastHasher>;

type FastMap<K, V> = HashMap<K, V, BuildFastHasher>;

fn facets(modes: Vec<String>, regions: Vec<String>, combos: Vec<(u32, u32)>) -> Facets {
    let mut combos_of_mode = vec![0usize; modes.len() + 1];
    let mut combos_of_region = vec![0usize; regions.len() + 1];
    for &(mode, region) in &combos {
        if let Some(count) = combos_of_mode.get_mut(mode as usize + 1) {
            *count += 1;
        }
        if let Some(count) = combos_of_region.get_mut(region as usize + 1) {
            *count += 1;
        }
    }
    prefix_sums(&mut combos_of_mode);
    prefix_sums(&mut combos_of_region);

    let mut region_major: Vec<u32> = (0..combos.len() as u32).collect();
    let pair = |combo: u32| combos.get(combo as usize).copied().unwrap_or_default();
    region_major.sort_unstable_by_key(|&combo| {
        let (mode, region) = pair(combo);
        (region, mode)
    });
    let mut combo_region_major = vec![0u32; combos.len()];
    for (place, &combo) in region_major.iter().enumerate() {
        if let Some(slot) = combo_region_major.get_mut(combo as usize) {
            *slot = place as u32;
        }
    }
    Facets {
        modes,
        regions,
        combos,
        combo_region_major,
        combos_of_mode,
        combos_of_region,
    }
}

fn prefix_sums(counts: &mut [usize]) {
    let mut total = 0;
    for count in counts.iter_mut() {
        total += *count;
        *count = total;
    }
}

fn rank_names(profiles: &[Profile]) -> Names {
    // Lower-cased once per profile: comparators below only compare cached keys.
    let lower: Vec<String> = profiles.iter().map(|p| name_key(&p.user_name)).collect();
    let key = |profile: u32| {
        let lower = lower.get(profile as usize).map_or("", String::as_str);
        let raw = profiles
            .get(profile as usize)
            .map_or("", |p| p.user_name.as_str());
        (lower, raw)
    };
    let mut by_name: Vec<u32> = (0..profiles.len() as u32).collect();
    by_name.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));

    let mut rank_of_profile = vec![0u32; profiles.len()];
    let mut lower_of_rank: Vec<Box<str>> = Vec::new();
    let mut previous: Option<u32> = None;
    for &profile in &by_name {
        if previous.is_none_or(|prev| key(prev) != key(profile)) {
            lower_of_rank.push(key(profile).0.into());
        }
        if let Some(slot) = rank_of_profile.get_mut(profile as usize) {
            *slot = lower_of_rank.len().saturating_sub(1) as u32;
        }
        previous = Some(profile);
    }
    Names {
        rank_of_profile,
        lower_of_rank,
    }
}

fn score_orders(engine: &Engine) -> ScoreOrders {
    let n = engine.records.len();
    let all: Vec<u32> = (0..n as u32).collect();
    let grouped = |grouping: Grouping, groups: usize| {
        GroupedOrder::build(&all, groups, |record| engine.group_of(grouping, record))
    };
    let facets = &engine.facets;
    ScoreOrders {
        by_mode: grouped(Grouping::Mode, facets.modes.len()),
        by_region: grouped(Grouping::Region, facets.regions.len()),
        by_mode_region: grouped(Grouping::ModeRegion, facets.combos.len()),
        by_region_mode: grouped(Grouping::RegionMode, facets.combos.len()),
        all: grouped(Grouping::All, 1),
    }
}

/// Every record by (name rank, record number): the spec's player order over everything.
fn player_order(engine: &Engine) -> Vec<u32> {
    let mut keys: Vec<u64> = (0..engine.records.len() as u32)
        .map(|record| {
            let rank = engine.name_rank(record).unwrap_or(u32::MAX);
            (u64::from(rank) << 32) | u64::from(record)
        })
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|key| key as u32).collect()
}

pub(crate) fn group_count(engine: &Engine, grouping: Grouping) -> usize {
    match grouping {
        Grouping::All => 1,
        Grouping::Mode => engine.facets.modes.len(),
        Grouping::Region => engine.facets.regions.len(),
        Grouping::ModeRegion | Grouping::RegionMode => engine.facets.combos.len(),
    }
}

fn level_index(engine: &Engine, grouping: Grouping, by_player: &[u32]) -> LevelIndex {
    let groups = group_count(engine, grouping);
    let by_player = GroupedOrder::build(by_player, groups, |record| {
        engine.group_of(grouping, record)
    });
    let by_score = engine.score_orders.get(grouping);
    let score_positions = positions_in(by_score, &by_player.records);
    LevelIndex {
        rank: competition_ranks(engine, by_score),
        best_of_profile: best_of_each_profile(engine, by_score),
        score_positions,
        by_player,
    }
}

/// Rank within each group: 1 + the position of the group's first record with that score.
fn competition_ranks(engine: &Engine, by_score: &GroupedOrder) -> Vec<u32> {
    let scores = &engine.records.score;
    let mut rank = vec![0u32; scores.len()];
    for group in 0..by_score.group_count() {
        let mut current_rank = 1u32;
        let mut previous_score: Option<i64> = None;
        for (offset, &record) in by_score.slice(by_score.group(group)).iter().enumerate() {
            let score = scores.get(record as usize).copied();
            if score != previous_score {
                current_rank = offset as u32 + 1;
                previous_score = score;
            }
            if let Some(slot) = rank.get_mut(record as usize) {
                *slot = current_rank;
            }
        }
    }
    rank
}

/// The first (best) record of each profile in each group, sorted by (group, profile).
fn best_of_each_profile(engine: &Engine, by_score: &GroupedOrder) -> Vec<u32> {
    let profiles = &engine.records.profile;
    let mut seen_in_group = vec![u32::MAX; engine.profiles.len()];
    let mut bests: Vec<(u32, u32, u32)> = Vec::new();
    for group in 0..by_score.group_count() {
        for &record in by_score.slice(by_score.group(group)) {
            let Some(&profile) = profiles.get(record as usize) else {
                continue;
            };
            if let Some(seen) = seen_in_group.get_mut(profile as usize) {
                if *seen != group as u32 {
                    *seen = group as u32;
                    bests.push((group as u32, profile, record));
                }
            }
        }
    }
    // Already grouped; within a group the order is by score, so sort by profile.
    bests.sort_unstable();
    bests.into_iter().map(|(_, _, record)| record).collect()
}

/// For each record of `sequence`, its position in `order`.
fn positions_in(order: &GroupedOrder, sequence: &[u32]) -> WaveletMatrix {
    let mut position_of = vec![0u32; order.len()];
    for (position, &record) in order.records.iter().enumerate() {
        if let Some(slot) = position_of.get_mut(record as usize) {
            *slot = position as u32;
        }
    }
    let values = sequence
        .iter()
        .map(|&record| position_of.get(record as usize).copied().unwrap_or(0))
        .collect();
    drop(position_of);
    WaveletMatrix::new(values)
}

fn cross_sorts(engine: &Engine) -> CrossSortPositions {
    let orders = &engine.score_orders;
    let [all, by_mode, by_region, _] = &engine.levels;
    std::thread::scope(|scope| {
        let mode_sort_of_all =
            scope.spawn(|| positions_in(&orders.by_mode, &all.by_player.records));
        let mode_sort_of_region =
            scope.spawn(|| positions_in(&orders.by_region_mode, &by_region.by_player.records));
        let region_sort_of_all =
            scope.spawn(|| positions_in(&orders.by_region, &all.by_player.records));
        let region_sort_of_mode = positions_in(&orders.by_mode_region, &by_mode.by_player.records);
        CrossSortPositions {
            mode_sort_of_all: join(mode_sort_of_all),
            mode_sort_of_region: join(mode_sort_of_region),
            region_sort_of_all: join(region_sort_of_all),
            region_sort_of_mode,
        }
    })
}

pub(crate) fn meta(engine: &Engine) -> LeaderboardMeta {
    let facet = |names: &[String], order: &GroupedOrder| {
        let mut counts: Vec<FacetCount> = names
            .iter()
            .enumerate()
            .map(|(group, name)| FacetCount {
                name: name.clone(),
                count: order.group(group).len() as u64,
            })
            .filter(|facet| facet.count > 0)
            .collect();
        counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        counts
    };
    let [all, ..] = &engine.levels;
    LeaderboardMeta {
        modes: facet(&engine.facets.modes, &engine.score_orders.by_mode),
        regions: facet(&engine.facets.regions, &engine.score_orders.by_region),
        total_scores: engine.records.len() as u64,
        total_players: all.best_of_profile.len() as u64,
        periods: None,
    }
}
