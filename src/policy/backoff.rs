//! Exponential backoff with jitter: how long to wait before retry `n`.
//!
//! With `t = min(max_delay, base_delay * 2^(n-1))` for retry `n = 1, 2, …`:
//! - full jitter, `U(0, t)`;
//! - equal jitter, `t/2 + U(0, t/2)`;
//! - no jitter, `t`;
//! - decorrelated jitter, `min(max_delay, U(base_delay, 3 * previous))`, starting from
//!   `previous = base_delay`.
//!
//! Randomness comes through [`RandomSource`], so tests and simulations can use [`SeededRandom`]
//! while the browser uses `Math.random`.

/// How a retry delay is spread around the exponential ceiling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Jitter {
    /// Uniform between zero and the ceiling (the default: it spreads clients the most).
    Full,
    /// Half the ceiling plus a uniform share of the other half.
    Equal,
    /// Uniform between the base delay and three times the previous delay, capped.
    Decorrelated,
    /// Exactly the ceiling: plain exponential backoff.
    None,
}

impl Jitter {
    /// Every jitter, in the order the docs list them.
    pub const ALL: [Jitter; 4] = [
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
        Jitter::None,
    ];

    /// The name used in options (`'full'`, `'equal'`, `'decorrelated'`, `'none'`).
    pub fn name(self) -> &'static str {
        match self {
            Jitter::Full => "full",
            Jitter::Equal => "equal",
            Jitter::Decorrelated => "decorrelated",
            Jitter::None => "none",
        }
    }

    /// The jitter with that option name, if there is one.
    pub fn from_name(name: &str) -> Option<Jitter> {
        Jitter::ALL.into_iter().find(|j| j.name() == name)
    }
}

/// A source of uniform random numbers in `[0, 1)`.
pub trait RandomSource {
    /// The next number, in `[0, 1)`.
    fn next_unit(&mut self) -> f64;
}

/// A small seeded generator (SplitMix64) for tests and simulations. Not for cryptography.
#[derive(Clone, Debug)]
pub struct SeededRandom {
    state: u64,
}

impl SeededRandom {
    /// A generator that always yields the same sequence for the same seed.
    pub fn new(seed: u64) -> Self {
        SeededRandom { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl RandomSource for SeededRandom {
    fn next_unit(&mut self) -> f64 {
        // The top 53 bits give every double in [0, 1) with an equal step.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The numbers a backoff needs, in milliseconds. Validation guarantees
/// `0 <= base_delay_ms <= max_delay_ms`, the base finite; an infinite `max_delay_ms` is no cap
/// (a timer still waits at most 2^31 - 1 ms).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BackoffConfig {
    /// The ceiling of the first retry, and the floor of decorrelated jitter.
    pub base_delay_ms: f64,
    /// No backoff delay is ever longer than this.
    pub max_delay_ms: f64,
    /// How the delay is spread under the ceiling.
    pub jitter: Jitter,
}

impl BackoffConfig {
    /// The exponential ceiling `min(max_delay, base_delay * 2^(retry-1))` for retry `retry >= 1`.
    pub fn ceiling_ms(&self, retry: u32) -> f64 {
        let doublings = retry.saturating_sub(1).min(1023) as i32;
        (self.base_delay_ms * 2f64.powi(doublings)).min(self.max_delay_ms)
    }
}

/// The delays of one request's retries, in order. Decorrelated jitter remembers the previous
/// delay, so each request keeps its own `Backoff`.
#[derive(Clone, Debug)]
pub struct Backoff {
    config: BackoffConfig,
    previous_ms: f64,
}

impl Backoff {
    /// A backoff that has not delayed yet.
    pub fn new(config: BackoffConfig) -> Self {
        Backoff {
            config,
            previous_ms: config.base_delay_ms,
        }
    }

    /// The configuration this backoff follows.
    pub fn config(&self) -> &BackoffConfig {
        &self.config
    }

    /// The delay before retry `retry` (1 for the first retry), in milliseconds.
    pub fn delay_ms(&mut self, retry: u32, random: &mut dyn RandomSource) -> f64 {
        let BackoffConfig {
            base_delay_ms: base,
            max_delay_ms: max,
            jitter,
        } = self.config;
        let t = self.config.ceiling_ms(retry);
        let delay = match jitter {
            Jitter::Full => uniform(0.0, t, random),
            Jitter::Equal => t / 2.0 + uniform(0.0, t / 2.0, random),
            Jitter::None => t,
            Jitter::Decorrelated => uniform(base, 3.0 * self.previous_ms, random).min(max),
        };
        self.previous_ms = delay;
        delay
    }
}

fn uniform(low: f64, high: f64, random: &mut dyn RandomSource) -> f64 {
    // Kept in range even for a source returning exactly 1.0. Not `f64::clamp`: its assertion
    // message prints floats, which alone pulls Rust's float formatter into the wasm.
    (low + (high - low) * random.next_unit())
        .max(low.min(high))
        .min(high.max(low))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn config(base: f64, max: f64, jitter: Jitter) -> BackoffConfig {
        BackoffConfig {
            base_delay_ms: base,
            max_delay_ms: max,
            jitter,
        }
    }

    struct Fixed(f64);
    impl RandomSource for Fixed {
        fn next_unit(&mut self) -> f64 {
            self.0
        }
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_rejected() {
        for jitter in Jitter::ALL {
            assert_eq!(Jitter::from_name(jitter.name()), Some(jitter));
        }
        assert_eq!(Jitter::from_name("Full"), None);
        assert_eq!(Jitter::from_name("random"), None);
    }

    #[test]
    fn plain_exponential_doubles_until_the_cap() {
        let mut b = Backoff::new(config(300.0, 2000.0, Jitter::None));
        let delays: Vec<f64> = (1..=5).map(|n| b.delay_ms(n, &mut Fixed(0.5))).collect();
        assert_eq!(delays, vec![300.0, 600.0, 1200.0, 2000.0, 2000.0]);
    }

    #[test]
    fn huge_retry_numbers_do_not_overflow() {
        let c = config(300.0, 10_000.0, Jitter::None);
        assert_eq!(c.ceiling_ms(u32::MAX), 10_000.0);
        assert_eq!(config(0.0, 0.0, Jitter::Full).ceiling_ms(u32::MAX), 0.0);
    }

    #[test]
    fn full_and_equal_jitter_span_their_ranges() {
        let mut full = Backoff::new(config(100.0, 10_000.0, Jitter::Full));
        assert_eq!(full.delay_ms(3, &mut Fixed(0.0)), 0.0);
        assert_eq!(full.delay_ms(3, &mut Fixed(0.5)), 200.0);
        let mut equal = Backoff::new(config(100.0, 10_000.0, Jitter::Equal));
        assert_eq!(equal.delay_ms(3, &mut Fixed(0.0)), 200.0);
        assert_eq!(equal.delay_ms(3, &mut Fixed(1.0)), 400.0);
    }

    #[test]
    fn decorrelated_grows_from_the_previous_delay() {
        let mut b = Backoff::new(config(100.0, 10_000.0, Jitter::Decorrelated));
        // U(100, 300) at the top is 300; then U(100, 900) at the top is 900.
        assert_eq!(b.delay_ms(1, &mut Fixed(1.0)), 300.0);
        assert_eq!(b.delay_ms(2, &mut Fixed(1.0)), 900.0);
        assert_eq!(b.delay_ms(3, &mut Fixed(0.0)), 100.0);
    }

    #[test]
    fn seeded_random_is_repeatable_and_in_range() {
        let mut a = SeededRandom::new(7);
        let mut b = SeededRandom::new(7);
        for _ in 0..1000 {
            let x = a.next_unit();
            assert_eq!(x, b.next_unit());
            assert!((0.0..1.0).contains(&x));
        }
        let mean = (0..10_000).map(|_| a.next_unit()).sum::<f64>() / 10_000.0;
        assert!((0.45..0.55).contains(&mean), "mean {mean}");
    }

    fn any_jitter() -> impl Strategy<Value = Jitter> {
        prop::sample::select(Jitter::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn no_delay_ever_exceeds_the_cap(
            base in 0.0f64..5_000.0, extra in 0.0f64..60_000.0, jitter in any_jitter(),
            seed in any::<u64>(), retries in 1u32..40,
        ) {
            let cfg = config(base, base + extra, jitter);
            let mut b = Backoff::new(cfg);
            let mut rng = SeededRandom::new(seed);
            for n in 1..=retries {
                let d = b.delay_ms(n, &mut rng);
                prop_assert!(d.is_finite() && d >= 0.0);
                prop_assert!(d <= cfg.max_delay_ms, "retry {} delay {} over cap {}", n, d, cfg.max_delay_ms);
            }
        }

        #[test]
        fn jitter_stays_within_its_bounds(
            base in 1.0f64..2_000.0, extra in 0.0f64..30_000.0, jitter in any_jitter(),
            seed in any::<u64>(), retries in 1u32..20,
        ) {
            let cfg = config(base, base + extra, jitter);
            let mut b = Backoff::new(cfg);
            let mut rng = SeededRandom::new(seed);
            for n in 1..=retries {
                let t = cfg.ceiling_ms(n);
                let d = b.delay_ms(n, &mut rng);
                match jitter {
                    Jitter::Full => prop_assert!((0.0..=t).contains(&d)),
                    Jitter::Equal => prop_assert!((t / 2.0..=t).contains(&d)),
                    Jitter::None => prop_assert_eq!(d, t),
                    Jitter::Decorrelated => prop_assert!((base..=cfg.max_delay_ms).contains(&d)),
                }
            }
        }
    }
}
