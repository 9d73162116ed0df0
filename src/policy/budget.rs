//! A retry budget per origin, after tower's `TpsBudget`: retries and hedges in the last window
//! may not exceed `ratio` times the first attempts in that window, plus a reserve of
//! `min_per_second` for every second of the window, so a quiet client can still retry at all.
//!
//! Counts are kept in [`SLOTS`] time slots per window, so memory is the same whatever the
//! traffic. The slotting errs on the safe side: a withdrawal is remembered for one slot longer
//! than the window and a deposit for up to one slot less, so at the moment of every grant,
//! withdrawals in the true trailing window never exceed what the contract allows.

/// How many time slots a window is cut into.
pub const SLOTS: usize = 10;

/// The numbers a budget needs. Validation guarantees `ratio >= 0`, `min_per_second >= 0` and a
/// positive `window_ms`, all finite; other values do not panic, but refuse every withdrawal
/// beyond what they make sense of.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BudgetConfig {
    /// Retries allowed per first attempt in the window (default 0.1).
    pub ratio: f64,
    /// Retries allowed per second of the window even with no first attempts (default 2.0).
    pub min_per_second: f64,
    /// How long deposits and withdrawals count, in ms (default 10 000).
    pub window_ms: f64,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        BudgetConfig {
            ratio: 0.1,
            min_per_second: 2.0,
            window_ms: 10_000.0,
        }
    }
}

impl BudgetConfig {
    /// The retries a window allows with no first attempts at all.
    pub fn reserve(&self) -> f64 {
        self.min_per_second * self.window_ms / 1000.0
    }
}

/// One slot's counts. `slot` is the slot's number on the clock, so a stale entry is recognised
/// and counts as empty.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    slot: i64,
    deposits: u64,
    withdrawals: u64,
}

/// A retry budget over an injected monotonic clock (`now_ms`).
#[derive(Clone, Debug)]
pub struct RetryBudget {
    config: BudgetConfig,
    slot_ms: f64,
    /// One more slot than a window holds, for the withdrawals that are remembered longer.
    ring: [Slot; SLOTS + 1],
    /// The latest slot seen: a clock that steps back is read as standing still.
    latest: i64,
}

impl RetryBudget {
    /// An empty budget: only the reserve is available.
    pub fn new(config: BudgetConfig) -> Self {
        RetryBudget {
            config,
            slot_ms: config.window_ms / SLOTS as f64,
            ring: [Slot {
                slot: i64::MIN,
                ..Slot::default()
            }; SLOTS + 1],
            latest: i64::MIN,
        }
    }

    /// The configuration this budget follows.
    pub fn config(&self) -> &BudgetConfig {
        &self.config
    }

    /// Records a first attempt at `now_ms`.
    pub fn deposit(&mut self, now_ms: f64) {
        let entry = self.entry(now_ms);
        entry.deposits = entry.deposits.saturating_add(1);
    }

    /// Takes one retry (or hedge) from the budget at `now_ms`, if the window allows it.
    pub fn try_withdraw(&mut self, now_ms: f64) -> bool {
        if self.remaining(now_ms) < 1.0 {
            return false;
        }
        let entry = self.entry(now_ms);
        entry.withdrawals = entry.withdrawals.saturating_add(1);
        true
    }

    /// Retries the budget would grant at `now_ms`, a whole number (for stats).
    pub fn remaining(&self, now_ms: f64) -> f64 {
        let now = self.slot_of(now_ms).max(self.latest);
        let (mut deposits, mut withdrawals) = (0u64, 0u64);
        for entry in &self.ring {
            let age = now.saturating_sub(entry.slot);
            // Deposits count for the window's slots, withdrawals for one slot more.
            if (0..SLOTS as i64).contains(&age) {
                deposits = deposits.saturating_add(entry.deposits);
            }
            if (0..=SLOTS as i64).contains(&age) {
                withdrawals = withdrawals.saturating_add(entry.withdrawals);
            }
        }
        let allowed = self.config.ratio * deposits as f64 + self.config.reserve();
        // A hair of slack so that `0.1 * 30` still allows 3; NaN from a bad config allows none.
        let left = (allowed - withdrawals as f64 + 1e-9).floor();
        if left > 0.0 {
            left
        } else {
            0.0
        }
    }

    /// The slot number of `now_ms`. Casts saturate, so no clock value can panic.
    fn slot_of(&self, now_ms: f64) -> i64 {
        (now_ms / self.slot_ms).floor() as i64
    }

    /// The ring entry for the slot of `now_ms`, emptied if it held an older slot.
    fn entry(&mut self, now_ms: f64) -> &mut Slot {
        let now = self.slot_of(now_ms).max(self.latest);
        self.latest = now;
        let index = now.rem_euclid(SLOTS as i64 + 1) as usize;
        let entry = &mut self.ring[index];
        if entry.slot != now {
            *entry = Slot {
                slot: now,
                ..Slot::default()
            };
        }
        entry
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn budget(ratio: f64, min_per_second: f64) -> RetryBudget {
        RetryBudget::new(BudgetConfig {
            ratio,
            min_per_second,
            window_ms: 10_000.0,
        })
    }

    #[test]
    fn defaults_are_towers() {
        let c = BudgetConfig::default();
        assert_eq!(
            (c.ratio, c.min_per_second, c.window_ms),
            (0.1, 2.0, 10_000.0)
        );
        assert_eq!(c.reserve(), 20.0);
    }

    #[test]
    fn a_quiet_client_has_the_reserve() {
        let mut b = budget(0.1, 2.0);
        assert_eq!(b.remaining(0.0), 20.0);
        for i in 0..20 {
            assert!(b.try_withdraw(f64::from(i)), "withdrawal {i}");
        }
        assert!(!b.try_withdraw(20.0));
        assert_eq!(b.remaining(20.0), 0.0);
    }

    #[test]
    fn deposits_buy_a_share_of_retries() {
        let mut b = budget(0.1, 0.0);
        assert!(!b.try_withdraw(0.0));
        for _ in 0..30 {
            b.deposit(0.0);
        }
        assert_eq!(b.remaining(0.0), 3.0);
        assert!(b.try_withdraw(1.0) && b.try_withdraw(2.0) && b.try_withdraw(3.0));
        assert!(!b.try_withdraw(4.0));
    }

    #[test]
    fn everything_expires_after_the_window() {
        let mut b = budget(1.0, 0.0);
        for _ in 0..5 {
            b.deposit(0.0);
        }
        assert!(b.try_withdraw(0.0));
        assert_eq!(b.remaining(9_999.0), 4.0);
        // Deposits of slot 0 stop counting once the window has moved a whole window on.
        assert_eq!(b.remaining(10_000.0), 0.0);
        let mut b = budget(0.0, 0.1);
        assert!(b.try_withdraw(0.0));
        assert!(
            !b.try_withdraw(10_999.0),
            "withdrawals count one slot longer"
        );
        assert!(b.try_withdraw(11_000.0));
    }

    #[test]
    fn a_clock_stepping_back_or_broken_does_not_panic() {
        let mut b = budget(0.1, 2.0);
        for now in [
            5_000.0,
            100.0,
            f64::NAN,
            -f64::INFINITY,
            f64::INFINITY,
            -1e300,
        ] {
            b.deposit(now);
            let _ = b.try_withdraw(now);
            let _ = b.remaining(now);
        }
        let mut bad = RetryBudget::new(BudgetConfig {
            ratio: f64::NAN,
            min_per_second: f64::NAN,
            window_ms: 0.0,
        });
        bad.deposit(1.0);
        assert!(!bad.try_withdraw(1.0));
    }

    /// A clock that only moves forward, by steps drawn from `gaps`.
    fn times(gaps: &[f64]) -> Vec<f64> {
        gaps.iter()
            .scan(0.0, |t, g| {
                *t += g;
                Some(*t)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn grants_never_exceed_the_contract_over_the_trailing_window(
            ratio in 0.0f64..1.0, min in 0.0f64..3.0,
            ops in prop::collection::vec((any::<bool>(), 0.0f64..800.0), 1..400),
        ) {
            let config = BudgetConfig { ratio, min_per_second: min, window_ms: 10_000.0 };
            let mut b = RetryBudget::new(config);
            let at = times(&ops.iter().map(|o| o.1).collect::<Vec<_>>());
            let (mut deposits, mut grants) = (Vec::new(), Vec::new());
            for (&(is_deposit, _), &now) in ops.iter().zip(&at) {
                if is_deposit {
                    b.deposit(now);
                    deposits.push(now);
                } else if b.try_withdraw(now) {
                    grants.push(now);
                    let recent = |v: &[f64]| v.iter().filter(|&&t| t > now - config.window_ms).count() as f64;
                    prop_assert!(
                        recent(&grants) <= ratio * recent(&deposits) + config.reserve() + 1e-6,
                        "at {}: {} grants, {} deposits", now, recent(&grants), recent(&deposits)
                    );
                }
            }
        }

        #[test]
        fn a_quiet_client_can_always_use_its_reserve(min in 0.1f64..5.0, start in 0.0f64..1e9) {
            let mut b = budget(0.1, min);
            let reserve = (min * 10.0 + 1e-9).floor() as usize;
            let granted = (0..reserve + 5).filter(|i| b.try_withdraw(start + *i as f64)).count();
            prop_assert_eq!(granted, reserve);
        }

        #[test]
        fn expired_entries_stop_counting(deposits in 0u32..200, withdrawals in 0u32..50, later in 11_000.0f64..1e7) {
            let mut b = budget(0.5, 1.0);
            for _ in 0..deposits { b.deposit(0.0); }
            for _ in 0..withdrawals { let _ = b.try_withdraw(0.0); }
            // Once a window and a slot have passed, only the reserve is left.
            prop_assert_eq!(b.remaining(later), 10.0);
        }
    }
}
