//! The generator's random numbers: SplitMix64 and integer-only helpers on top of it.
//!
//! Ours rather than a crate's so that a seed gives the same data on every platform and
//! after every dependency update; no floating point (a libm's `ln` may differ between
//! platforms in the last bit), no platform-sized integers.

/// SplitMix64 (Steele, Lea and Flood, 2014): one 64-bit state, a Weyl sequence through a
/// strong finaliser. Small, fast, and plenty for sample data.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64 {
    state: u64,
}

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 finaliser on its own: a bijective mix of 64 bits.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// An independent stream for item `index` of a `purpose` (say, profile 17's
    /// attributes), so one item's values can be recomputed without replaying the others.
    pub(crate) fn stream(seed: u64, purpose: u64, index: u64) -> Self {
        SplitMix64::new(mix64(
            seed ^ mix64(purpose.wrapping_mul(GOLDEN_GAMMA) ^ mix64(index)),
        ))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        mix64(self.state)
    }

    /// Uniform in `0..n` (0 when `n` is 0), without modulo bias (Lemire's method).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(n);
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }

    /// Uniform in `low..=high`.
    pub(crate) fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    /// True with probability `numerator / denominator`.
    pub(crate) fn chance(&mut self, numerator: u64, denominator: u64) -> bool {
        self.below(denominator) < numerator
    }

    /// Geometric: `k` with probability 2^-(k+1), capped at `max`.
    pub(crate) fn halving(&mut self, max: u32) -> u32 {
        self.next_u64().trailing_ones().min(max)
    }

    /// A uniformly chosen item. `items` must not be empty (ours are constants).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An item chosen with probability proportional to its weight.
    pub(crate) fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, weight)| u64::from(*weight)).sum();
        let mut ticket = self.below(total);
        for (item, weight) in items {
            if ticket < u64::from(*weight) {
                return *item;
            }
            ticket -= u64::from(*weight);
        }
        items[items.len() - 1].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_published_sequence() {
        // Reference values of SplitMix64 seeded with 1234567 (from the authors' C code).
        let mut rng = SplitMix64::new(1_234_567);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423
            ]
        );
    }

    #[test]
    fn below_stays_in_range_and_reaches_every_value() {
        let mut rng = SplitMix64::new(7);
        let mut seen = [0u32; 7];
        for _ in 0..7_000 {
            let value = rng.below(7);
            seen[value as usize] += 1;
        }
        assert!(
            seen.iter().all(|&count| (800..1200).contains(&count)),
            "{seen:?}"
        );
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.below(1), 0);
    }

    #[test]
    fn weighted_follows_the_weights() {
        let mut rng = SplitMix64::new(3);
        let items = [("rare", 1), ("common", 9)];
        let rare = (0..10_000)
            .filter(|_| rng.weighted(&items) == "rare")
            .count();
        assert!((800..1200).contains(&rare), "{rare}");
    }

    #[test]
    fn halving_roughly_halves_each_step() {
        let mut rng = SplitMix64::new(11);
        let mut counts = [0u32; 4];
        for _ in 0..8_000 {
            counts[rng.halving(3) as usize] += 1;
        }
        assert!((3_700..4_300).contains(&counts[0]), "{counts:?}");
        assert!((1_800..2_200).contains(&counts[1]), "{counts:?}");
    }

    #[test]
    fn streams_differ_by_index_and_purpose() {
        let a = SplitMix64::stream(42, 1, 0).next_u64();
        let b = SplitMix64::stream(42, 1, 1).next_u64();
        let c = SplitMix64::stream(42, 2, 0).next_u64();
        assert!(a != b && a != c && b != c);
        assert_eq!(a, SplitMix64::stream(42, 1, 0).next_u64());
    }
}
