//! The client's default per-origin cap, sized by how fast the origin answers.
//!
//! A cap costs wall time whenever it queues: the browser would have had the request already.
//! But what the SDK hands the browser beyond its connections (6 per origin over HTTP/1.1) waits in
//! the browser's own queue with its attempt `timeout` already running. So the cap is `FLOOR`
//! until the origin's throughput is known, and then as many requests as the origin can answer
//! within a quarter of the waiting request's time budget (Little's law: a queue of `L` at a rate
//! of `λ` waits `L / λ`), never below `FLOOR` and never above `CEILING`. Only completed exchanges
//! (a response, whatever its status) count towards the rate: aborts and timeouts do not, nor a
//! request that joined an identical fetch in flight.
//!
//! Everything here is pure: the browser layer passes the clock in.

/// The cap while the origin's rate is unknown, and its least: what the client always allowed.
pub const FLOOR: usize = 256;

/// The most the cap grows to. Chromium refuses requests (`ERR_INSUFFICIENT_RESOURCES`) once
/// about 1 500 are outstanding in a page (BENCHMARKS.md §9); the client also keeps the sum of its
/// origins' slots above `FLOOR` within this (see [`within_client`]).
pub const CEILING: usize = 1024;

/// The share of a request's time budget that its wait in the browser's queue may take.
pub const BUDGET_SHARE: f64 = 0.25;

/// Completions are counted in windows of at least this long…
const MIN_WINDOW_MS: f64 = 50.0;
/// …holding at least this many (or lasting `MAX_WINDOW_MS`, whatever they hold).
const MIN_SAMPLES: u32 = 32;
const MAX_WINDOW_MS: f64 = 500.0;
/// A rate not refreshed for this long is forgotten: the origin may have slowed since.
const STALE_MS: f64 = 2_000.0;

/// How fast an origin has been answering.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Throughput {
    /// The current window: when its first completion came, and how many came since.
    window_start_ms: f64,
    count: u32,
    /// Completions per ms in the last closed window, and when it closed.
    rate_per_ms: Option<(f64, f64)>,
}

impl Throughput {
    /// An exchange with the origin completed at `now_ms`.
    pub fn record(&mut self, now_ms: f64) {
        if self.count == 0 {
            self.window_start_ms = now_ms;
        }
        self.count += 1;
        let span = now_ms - self.window_start_ms;
        let enough = self.count > MIN_SAMPLES && span >= MIN_WINDOW_MS;
        if enough || span >= MAX_WINDOW_MS {
            // `count - 1` intervals between the window's first completion and this one.
            self.rate_per_ms = Some((f64::from(self.count - 1) / span, now_ms));
            // This completion opens the next window.
            self.window_start_ms = now_ms;
            self.count = 1;
        }
    }

    /// Completions per ms, if measured recently.
    pub fn rate_per_ms(&self, now_ms: f64) -> Option<f64> {
        self.rate_per_ms
            .filter(|&(_, at)| now_ms - at <= STALE_MS)
            .map(|(rate, _)| rate)
    }

    /// The cap for a request with `budget_ms` to spare (`None`: no attempt timeout or deadline),
    /// between `FLOOR` and `CEILING`.
    pub fn cap(&self, now_ms: f64, budget_ms: Option<f64>) -> usize {
        let Some(rate) = self.rate_per_ms(now_ms) else {
            return FLOOR;
        };
        let fits = budget_ms.map_or(f64::INFINITY, |b| rate * b * BUDGET_SHARE);
        if fits >= CEILING as f64 {
            CEILING
        } else if fits <= FLOOR as f64 {
            FLOOR
        } else {
            fits as usize
        }
    }
}

/// `cap` for an origin holding `held` slots, when the client's origins together hold
/// `client_held`: what lies above `FLOOR` is shared by all of the client's origins, within
/// `CEILING` in total, so that several fast origins do not together pass the browser's limit.
pub fn within_client(cap: usize, held: usize, client_held: usize) -> usize {
    if cap <= FLOOR {
        return cap;
    }
    let room = CEILING.saturating_sub(client_held);
    cap.min(held + room).max(FLOOR)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn steady(every_ms: f64, n: u32) -> Throughput {
        let mut t = Throughput::default();
        for i in 0..n {
            t.record(f64::from(i) * every_ms);
        }
        t
    }

    #[test]
    fn unknown_rate_keeps_the_floor() {
        let t = Throughput::default();
        assert_eq!(t.cap(0.0, Some(10_000.0)), FLOOR);
        assert_eq!(
            steady(3.0, 10).cap(30.0, Some(10_000.0)),
            FLOOR,
            "too few samples"
        );
    }

    #[test]
    fn a_fast_origin_gets_what_it_drains_in_a_quarter_of_the_budget() {
        // One answer every 3 ms: 0.33 per ms, a quarter of 10 s is 2 500 ms: 833.
        let t = steady(3.0, 40);
        let rate = t.rate_per_ms(120.0).unwrap();
        assert!((rate - 1.0 / 3.0).abs() < 1e-9, "{rate}");
        assert_eq!(t.cap(120.0, Some(10_000.0)), 833);
        assert_eq!(
            t.cap(120.0, Some(1_000.0)),
            FLOOR,
            "a short timeout keeps the floor"
        );
        assert_eq!(t.cap(120.0, None), CEILING, "no timeout: the ceiling");
        assert_eq!(t.cap(120.0, Some(1e9)), CEILING);
    }

    #[test]
    fn a_slow_origin_keeps_the_floor_and_a_rate_goes_stale() {
        // One answer every 100 ms over HTTP/1.1's six connections: 0.06 per ms, 150 in 2.5 s.
        let t = steady(100.0 / 6.0, 40);
        assert_eq!(t.cap(700.0, Some(10_000.0)), FLOOR);
        let fast = steady(2.0, 40);
        assert_eq!(fast.cap(80.0, Some(10_000.0)), CEILING);
        assert_eq!(fast.cap(64.0 + STALE_MS + 1.0, Some(10_000.0)), FLOOR);
    }

    #[test]
    fn the_client_shares_what_lies_above_the_floor() {
        assert_eq!(within_client(FLOOR, 256, 5_000), FLOOR);
        assert_eq!(within_client(900, 300, 300), 900);
        assert_eq!(within_client(900, 300, 800), 524, "224 left for the client");
        assert_eq!(
            within_client(900, 100, 2_000),
            FLOOR,
            "never below the floor"
        );
    }

    proptest! {
        #[test]
        fn the_cap_stays_within_floor_and_ceiling(
            gaps in prop::collection::vec(0.0f64..50.0, 0..300),
            budget in prop::option::of(0.0f64..1e6),
            later in 0.0f64..5_000.0,
        ) {
            let mut t = Throughput::default();
            let mut now = 0.0;
            for gap in gaps {
                now += gap;
                t.record(now);
            }
            let cap = t.cap(now + later, budget);
            prop_assert!((FLOOR..=CEILING).contains(&cap));
            if let Some(rate) = t.rate_per_ms(now + later) {
                prop_assert!(rate.is_finite() && rate >= 0.0);
            }
        }

        #[test]
        fn a_longer_budget_never_lowers_the_cap(every in 0.1f64..50.0, a in 0.0f64..1e5, b in 0.0f64..1e5) {
            let t = steady(every, 100);
            let now = every * 100.0;
            let (short, long) = if a < b { (a, b) } else { (b, a) };
            prop_assert!(t.cap(now, Some(short)) <= t.cap(now, Some(long)));
        }

        #[test]
        fn the_client_total_stays_within_the_ceiling(cap in FLOOR..=CEILING, held in 0usize..2_000, others in 0usize..2_000) {
            let limit = within_client(cap, held, held + others);
            prop_assert!(limit >= FLOOR && limit <= cap);
            // Filling the origin up to the limit keeps the client within the ceiling.
            if limit > FLOOR && limit > held {
                prop_assert!(limit + others <= CEILING, "{} + {}", limit, others);
            }
        }
    }
}
