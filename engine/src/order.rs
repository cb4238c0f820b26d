//! Record positions grouped by a facet (one group for everything, a mode, a region, or a
//! mode and region pair), each group kept in a fixed order.

use std::ops::Range;

/// How records are grouped. The group of a record is a function of its (mode, region)
/// combination, so each grouping is a small table from combination to group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// One group: everything.
    All,
    /// By mode id (modes are numbered in name order).
    Mode,
    /// By region id (regions are numbered in name order).
    Region,
    /// By combination id: (mode, region) in name order.
    ModeRegion,
    /// By combination in (region, mode) name order.
    RegionMode,
}

/// Records laid out group after group; within a group, in whatever order the builder
/// visited them (the builder visits in the wanted order and the grouping is stable).
#[derive(Debug, Clone, Default)]
pub struct GroupedOrder {
    pub records: Vec<u32>,
    /// `group_starts[g]..group_starts[g + 1]` is group `g`; one more entry than groups.
    group_starts: Vec<usize>,
}

impl GroupedOrder {
    /// Stable counting sort of `sequence` by `group_of`: O(n + groups).
    pub fn build(
        sequence: &[u32],
        group_count: usize,
        group_of: impl Fn(u32) -> Option<usize>,
    ) -> GroupedOrder {
        let mut group_starts = vec![0usize; group_count + 1];
        for &record in sequence {
            if let Some(slot) = group_of(record).and_then(|g| group_starts.get_mut(g + 1)) {
                *slot += 1;
            }
        }
        for g in 1..group_starts.len() {
            let before = group_starts.get(g - 1).copied().unwrap_or(0);
            if let Some(slot) = group_starts.get_mut(g) {
                *slot += before;
            }
        }
        let placed = group_starts.last().copied().unwrap_or(0);
        let mut next_free = group_starts.clone();
        let mut records = vec![0u32; placed];
        for &record in sequence {
            let Some(cursor) = group_of(record).and_then(|g| next_free.get_mut(g)) else {
                continue;
            };
            if let Some(slot) = records.get_mut(*cursor) {
                *slot = record;
            }
            *cursor += 1;
        }
        GroupedOrder {
            records,
            group_starts,
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn group_count(&self) -> usize {
        self.group_starts.len().saturating_sub(1)
    }

    /// Positions of groups `first..end` (contiguous), empty for groups that do not exist.
    pub fn groups(&self, groups: Range<usize>) -> Range<usize> {
        let start = self.group_starts.get(groups.start).copied();
        let end = self.group_starts.get(groups.end).copied();
        match (start, end) {
            (Some(start), Some(end)) if start <= end => start..end,
            _ => 0..0,
        }
    }

    pub fn group(&self, group: usize) -> Range<usize> {
        self.groups(group..group + 1)
    }

    pub fn slice(&self, range: Range<usize>) -> &[u32] {
        self.records.get(range).unwrap_or(&[])
    }

    pub fn get(&self, position: usize) -> Option<u32> {
        self.records.get(position).copied()
    }

    /// Position of `record` in `group`, when the group is sorted by record number
    /// (leaderboard order).
    pub fn position_in_sorted_group(&self, group: usize, record: u32) -> Option<usize> {
        let range = self.group(group);
        let start = range.start;
        self.slice(range)
            .binary_search(&record)
            .ok()
            .map(|offset| start + offset)
    }

    /// `group_starts[g]..group_starts[g + 1]` is group `g` (for the snapshot).
    pub fn group_starts(&self) -> &[usize] {
        &self.group_starts
    }

    /// An order read back from its parts. `None` unless there are `groups + 1` starts,
    /// from 0, never decreasing, ending at the number of records, and every record is
    /// below `records_below`: the invariants [`GroupedOrder::build`] guarantees (or it is
    /// empty, as `GroupedOrder::default()`).
    pub fn from_parts(
        records: Vec<u32>,
        group_starts: Vec<usize>,
        groups: usize,
        records_below: usize,
    ) -> Option<GroupedOrder> {
        let empty = group_starts.is_empty() && records.is_empty();
        let well_formed = empty
            || group_starts.len() == groups + 1
                && group_starts.first() == Some(&0)
                && group_starts
                    .windows(2)
                    .all(|pair| matches!(pair, [a, b] if a <= b))
                && group_starts.last() == Some(&records.len())
                && records.iter().all(|&r| (r as usize) < records_below);
        well_formed.then_some(GroupedOrder {
            records,
            group_starts,
        })
    }

    pub fn heap_bytes(&self) -> usize {
        self.records.capacity() * 4 + self.group_starts.capacity() * 8
    }
}
