//! A wavelet matrix: a sequence of small integers that answers "the k-th smallest value in
//! positions `a..b`" and "how many values in `a..b` are below v" in O(log σ) rank operations,
//! using about log σ bits per element (σ = the largest value + 1).
//!
//! Why the engine needs it: `q` (a name prefix) selects a contiguous run of the name-ordered
//! index, but the rows must come back in score (or mode, or region) order. Storing, for each
//! row of the name order, its position in the requested order turns "the k-th matching row
//! in score order" into "the k-th smallest value in that run", without looking at the rest
//! of the run.
//!
//! Layout: one bit vector per bit of the value, most significant first. Level ℓ holds bit ℓ
//! of every value, in the order the values have after being stably partitioned by all the
//! higher bits (zeros before ones). Following a range down the levels is two rank queries
//! per level.

use std::ops::Range;

/// Data words per block: with the block's running count that is 64 bytes, one cache line,
/// so a rank query touches a single line.
const WORDS_PER_BLOCK: usize = 7;
const BITS_PER_BLOCK: usize = WORDS_PER_BLOCK * 64;

/// A bit vector with constant-time `rank1` (ones before a position).
#[derive(Debug, Clone, Default)]
struct RankedBits {
    /// `[ones before this block, then WORDS_PER_BLOCK words of bits]`.
    blocks: Vec<[u64; WORDS_PER_BLOCK + 1]>,
    len: usize,
    ones: usize,
}

/// Packs bits 64 at a time; the blocks and their running counts are laid out at the end.
#[derive(Default)]
struct RankedBitsBuilder {
    words: Vec<u64>,
    current: u64,
    filled: u32,
    len: usize,
}

impl RankedBitsBuilder {
    fn with_capacity(bits: usize) -> Self {
        RankedBitsBuilder {
            words: Vec::with_capacity(bits.div_ceil(64)),
            ..Default::default()
        }
    }

    #[inline]
    fn push(&mut self, bit: bool) {
        self.current |= u64::from(bit) << self.filled;
        self.filled += 1;
        self.len += 1;
        if self.filled == 64 {
            self.words.push(self.current);
            self.current = 0;
            self.filled = 0;
        }
    }

    fn finish(mut self) -> RankedBits {
        if self.filled > 0 {
            self.words.push(self.current);
        }
        let mut blocks = Vec::with_capacity(self.words.len().div_ceil(WORDS_PER_BLOCK));
        let mut ones = 0usize;
        for chunk in self.words.chunks(WORDS_PER_BLOCK) {
            let mut block = [0u64; WORDS_PER_BLOCK + 1];
            block[0] = ones as u64;
            for (slot, word) in block.iter_mut().skip(1).zip(chunk) {
                *slot = *word;
                ones += word.count_ones() as usize;
            }
            blocks.push(block);
        }
        RankedBits {
            blocks,
            len: self.len,
            ones,
        }
    }
}

impl RankedBits {
    /// Ones in positions `0..i` (`i` is clamped to the length).
    #[inline]
    fn rank1(&self, i: usize) -> usize {
        let i = i.min(self.len);
        let Some(block) = self.blocks.get(i / BITS_PER_BLOCK) else {
            return self.ones;
        };
        let within = i % BITS_PER_BLOCK;
        let full_words = within / 64;
        let mut count = block[0] as usize;
        for word in block.iter().skip(1).take(full_words) {
            count += word.count_ones() as usize;
        }
        let partial_bits = within % 64;
        if partial_bits > 0 {
            if let Some(word) = block.get(1 + full_words) {
                count += (word & ((1u64 << partial_bits) - 1)).count_ones() as usize;
            }
        }
        count
    }

    /// Zeros in positions `0..i` (`i` is clamped to the length).
    #[inline]
    fn rank0(&self, i: usize) -> usize {
        let i = i.min(self.len);
        i - self.rank1(i)
    }

    fn heap_bytes(&self) -> usize {
        self.blocks.capacity() * std::mem::size_of::<[u64; WORDS_PER_BLOCK + 1]>()
    }

    /// The bits as `len.div_ceil(64)` words, least significant bit first (what
    /// [`RankedBits::from_words`] takes back).
    fn words(&self) -> impl Iterator<Item = u64> + '_ {
        let count = self.len.div_ceil(64);
        self.blocks
            .iter()
            .flat_map(|block| block.iter().skip(1).copied())
            .take(count)
    }

    /// Bits read back from [`RankedBits::words`], with the running counts recomputed (so
    /// they cannot disagree with the bits). `None` unless there are exactly
    /// `len.div_ceil(64)` words and every bit past `len` is zero: then `rank1(i) <= i`
    /// for every `i`, which the matrix's arithmetic relies on.
    fn from_words(words: Vec<u64>, len: usize) -> Option<RankedBits> {
        if words.len() != len.div_ceil(64) {
            return None;
        }
        let tail_bits = len % 64;
        if tail_bits != 0 && words.last().is_some_and(|last| last >> tail_bits != 0) {
            return None;
        }
        let builder = RankedBitsBuilder {
            words,
            current: 0,
            filled: 0,
            len,
        };
        Some(builder.finish())
    }
}

#[derive(Debug, Clone, Default)]
struct Level {
    bits: RankedBits,
    /// Zeros at this level: where the ones start in the next level's order.
    zeros: usize,
}

/// See the module docs.
#[derive(Debug, Clone, Default)]
pub struct WaveletMatrix {
    /// Most significant bit first.
    levels: Vec<Level>,
    len: usize,
}

impl WaveletMatrix {
    pub fn new(values: Vec<u32>) -> WaveletMatrix {
        let len = values.len();
        let largest = values.iter().copied().max().unwrap_or(0);
        let height = (u32::BITS - largest.leading_zeros()) as usize;
        let mut levels = Vec::with_capacity(height);
        let mut current = values;
        let mut zeros_then_ones = vec![0u32; len];
        let mut ones = vec![0u32; len];
        for level in 0..height {
            let shift = height - 1 - level;
            let mut bits = RankedBitsBuilder::with_capacity(len);
            // Branch-free stable partition: the bit is random, so an `if` would mispredict
            // half the time; write to both sides and advance one.
            let (mut zeros, mut ones_len) = (0usize, 0usize);
            for &value in &current {
                let bit = (value >> shift) & 1;
                bits.push(bit == 1);
                if let Some(slot) = zeros_then_ones.get_mut(zeros) {
                    *slot = value;
                }
                if let Some(slot) = ones.get_mut(ones_len) {
                    *slot = value;
                }
                zeros += (1 - bit) as usize;
                ones_len += bit as usize;
            }
            let tail = zeros_then_ones.iter_mut().skip(zeros);
            for (slot, value) in tail.zip(ones.iter().take(ones_len)) {
                *slot = *value;
            }
            std::mem::swap(&mut current, &mut zeros_then_ones);
            levels.push(Level {
                bits: bits.finish(),
                zeros,
            });
        }
        WaveletMatrix { levels, len }
    }

    /// The `k`-th smallest value (0-based) among positions `range`, or `None` when the range
    /// holds `k` values or fewer.
    pub fn kth_smallest(&self, range: Range<usize>, k: usize) -> Option<u32> {
        let (mut start, mut end) = (range.start, range.end.min(self.len));
        if start >= end || k >= end - start {
            return None;
        }
        let mut k = k;
        let mut value = 0u32;
        for level in &self.levels {
            let zeros_before_start = level.bits.rank0(start);
            let zeros_before_end = level.bits.rank0(end);
            let zeros_in_range = zeros_before_end - zeros_before_start;
            value <<= 1;
            if k < zeros_in_range {
                start = zeros_before_start;
                end = zeros_before_end;
            } else {
                k -= zeros_in_range;
                start = level.zeros + (start - zeros_before_start);
                end = level.zeros + (end - zeros_before_end);
                value |= 1;
            }
        }
        Some(value)
    }

    /// How many values among positions `range` are smaller than `bound`.
    pub fn count_less(&self, range: Range<usize>, bound: u32) -> usize {
        let (mut start, mut end) = (range.start, range.end.min(self.len));
        if start >= end {
            return 0;
        }
        let height = self.levels.len();
        if u64::from(bound) >> height != 0 {
            // Every stored value has at most `height` bits, so all are below `bound`.
            return end - start;
        }
        let mut count = 0;
        for (index, level) in self.levels.iter().enumerate() {
            let shift = height - 1 - index;
            let zeros_before_start = level.bits.rank0(start);
            let zeros_before_end = level.bits.rank0(end);
            if (bound >> shift) & 1 == 1 {
                count += zeros_before_end - zeros_before_start;
                start = level.zeros + (start - zeros_before_start);
                end = level.zeros + (end - zeros_before_end);
            } else {
                start = zeros_before_start;
                end = zeros_before_end;
            }
        }
        count
    }

    pub fn heap_bytes(&self) -> usize {
        self.levels.iter().map(|l| l.bits.heap_bytes()).sum()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Each level's bits as words (most significant level first), for the snapshot.
    pub fn level_words(&self) -> impl Iterator<Item = impl Iterator<Item = u64> + '_> + '_ {
        self.levels.iter().map(|level| level.bits.words())
    }

    /// A matrix of `len` values from its levels' words ([`WaveletMatrix::level_words`]).
    /// `None` when a level does not hold exactly `len` bits (see
    /// [`RankedBits::from_words`]) or there are more levels than a `u32` has bits: every
    /// query then stays within `0..len` on every level, whatever the bits say.
    pub fn from_level_words(len: usize, levels: Vec<Vec<u64>>) -> Option<WaveletMatrix> {
        if levels.len() > u32::BITS as usize {
            return None;
        }
        let levels = levels
            .into_iter()
            .map(|words| {
                let bits = RankedBits::from_words(words, len)?;
                let zeros = len - bits.ones;
                Some(Level { bits, zeros })
            })
            .collect::<Option<Vec<Level>>>()?;
        Some(WaveletMatrix { levels, len })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pseudo_random_values(count: usize, below: u32, seed: u64) -> Vec<u32> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 33) as u32) % below
            })
            .collect()
    }

    #[test]
    fn kth_smallest_and_count_less_agree_with_sorting_every_range() {
        for (count, below) in [(0, 1), (1, 1), (7, 1), (50, 3), (500, 1000), (1000, 7)] {
            let values = pseudo_random_values(count, below, count as u64 + 17);
            let matrix = WaveletMatrix::new(values.clone());
            for start in (0..=count).step_by(7) {
                for end in (start..=count).step_by(11) {
                    let mut sorted = values[start..end].to_vec();
                    sorted.sort_unstable();
                    for (k, expected) in sorted.iter().enumerate() {
                        assert_eq!(matrix.kth_smallest(start..end, k), Some(*expected));
                    }
                    assert_eq!(matrix.kth_smallest(start..end, sorted.len()), None);
                    for bound in [0, 1, below / 2, below, below + 1, u32::MAX] {
                        let expected = sorted.iter().filter(|&&v| v < bound).count();
                        assert_eq!(matrix.count_less(start..end, bound), expected);
                    }
                }
            }
        }
    }

    #[test]
    fn a_matrix_rebuilt_from_its_words_answers_the_same() {
        let values = pseudo_random_values(1000, 700, 5);
        let matrix = WaveletMatrix::new(values.clone());
        let words: Vec<Vec<u64>> = matrix.level_words().map(|l| l.collect()).collect();
        let again = WaveletMatrix::from_level_words(values.len(), words.clone()).unwrap();
        for (start, end) in [(0, 1000), (3, 17), (500, 999)] {
            for k in 0..(end - start) {
                assert_eq!(
                    again.kth_smallest(start..end, k),
                    matrix.kth_smallest(start..end, k)
                );
            }
            assert_eq!(
                again.count_less(start..end, 350),
                matrix.count_less(start..end, 350)
            );
        }
        // A bit past the end, a missing word, too many levels: refused.
        let mut stray = words.clone();
        *stray[0].last_mut().unwrap() |= 1 << 63;
        assert!(WaveletMatrix::from_level_words(values.len(), stray).is_none());
        let mut short = words.clone();
        short[1].pop();
        assert!(WaveletMatrix::from_level_words(values.len(), short).is_none());
        assert!(WaveletMatrix::from_level_words(0, vec![Vec::new(); 33]).is_none());
    }

    #[test]
    fn rank_counts_ones_across_block_boundaries() {
        let mut builder = RankedBitsBuilder::default();
        let pattern: Vec<bool> = (0..2000).map(|i| i % 3 == 0 || i % 7 == 0).collect();
        for &bit in &pattern {
            builder.push(bit);
        }
        let bits = builder.finish();
        let mut expected = 0;
        for (i, &bit) in pattern.iter().enumerate() {
            assert_eq!(bits.rank1(i), expected, "rank1({i})");
            expected += usize::from(bit);
        }
        assert_eq!(bits.rank1(pattern.len()), expected);
        assert_eq!(bits.rank1(usize::MAX), expected);
    }
}
