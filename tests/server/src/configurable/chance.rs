//! Random draws for `fail_rate`, `tail_rate` and `jitter`, without a random-number crate: the
//! standard library's `RandomState` is seeded randomly per thread and re-keyed on every
//! `new()`, so hashing nothing with a fresh one gives an independent, uniformly spread 64-bit
//! value each time.
//! Good enough for injecting faults; not for anything that needs real randomness.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

/// A uniform draw from [0, 1).
pub(crate) fn roll() -> f64 {
    let bits = RandomState::new().hash_one(()) >> 11;
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::roll;

    #[test]
    fn draws_are_in_range_and_spread() {
        let draws: Vec<f64> = (0..2000).map(|_| roll()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        let low = draws.iter().filter(|d| **d < 0.5).count();
        // Binomial(2000, 0.5): sd ≈ 22, so this range is more than 9 sd wide on each side.
        assert!((800..=1200).contains(&low), "{low} of 2000 below 0.5");
    }
}
