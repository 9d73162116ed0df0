//! Deadline arithmetic for `totalTimeout`: one clock reading at the start of a call bounds every
//! attempt and every wait after it. Times are milliseconds on one monotonic clock
//! (`performance.now()` in the browser).

/// The end of a whole call, if it has one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deadline {
    at_ms: Option<f64>,
}

/// How long one attempt may take, and whether the deadline (rather than the per-attempt
/// timeout) is what limits it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AttemptLimit {
    /// The attempt's timeout in ms; None means it may take as long as it takes.
    pub timeout_ms: Option<f64>,
    /// True when the call's deadline is sooner than the attempt's own timeout.
    pub by_deadline: bool,
}

impl Deadline {
    /// No deadline.
    pub const NONE: Deadline = Deadline { at_ms: None };

    /// A deadline `total_ms` after `now_ms`, or none.
    pub fn starting_at(now_ms: f64, total_ms: Option<f64>) -> Deadline {
        Deadline {
            at_ms: total_ms.map(|t| now_ms + t),
        }
    }

    /// When the deadline falls, if there is one.
    pub fn at_ms(&self) -> Option<f64> {
        self.at_ms
    }

    /// Time left at `now_ms` (never negative), or None without a deadline.
    pub fn remaining_ms(&self, now_ms: f64) -> Option<f64> {
        self.remaining_ms_by(|| now_ms)
    }

    /// As [`Deadline::remaining_ms`], reading `clock` only when there is a deadline (in the
    /// browser each reading is a call into JS).
    pub fn remaining_ms_by(&self, clock: impl FnOnce() -> f64) -> Option<f64> {
        self.at_ms.map(|at| (at - clock()).max(0.0))
    }

    /// Whether the deadline has come at `now_ms`.
    pub fn has_passed(&self, now_ms: f64) -> bool {
        self.at_ms.is_some_and(|at| now_ms >= at)
    }

    /// Whether a wait of `delay_ms` starting at `now_ms` still leaves at least `useful_ms` for
    /// the attempt after it: a retry that could only time out at once is not worth waiting for.
    pub fn admits_retry(&self, now_ms: f64, delay_ms: f64, useful_ms: f64) -> bool {
        self.at_ms
            .is_none_or(|at| at - (now_ms + delay_ms) >= useful_ms.max(f64::MIN_POSITIVE))
    }

    /// Whether an attempt starting at `now_ms` has at least `useful_ms` before the deadline.
    pub fn admits_attempt(&self, now_ms: f64, useful_ms: f64) -> bool {
        self.admits_retry(now_ms, 0.0, useful_ms)
    }

    /// The limit for an attempt starting at `now_ms` with a per-attempt timeout.
    pub fn attempt_limit(&self, now_ms: f64, timeout_ms: Option<f64>) -> AttemptLimit {
        AttemptLimit::within(self.remaining_ms(now_ms), timeout_ms)
    }
}

impl AttemptLimit {
    /// The limit of an attempt with `left_ms` to the deadline (None: no deadline) and its own
    /// `timeout_ms`: the sooner of the two.
    pub fn within(left_ms: Option<f64>, timeout_ms: Option<f64>) -> AttemptLimit {
        match (left_ms, timeout_ms) {
            (Some(left), Some(t)) if left < t => AttemptLimit {
                timeout_ms: Some(left),
                by_deadline: true,
            },
            (Some(left), None) => AttemptLimit {
                timeout_ms: Some(left),
                by_deadline: true,
            },
            _ => AttemptLimit {
                timeout_ms,
                by_deadline: false,
            },
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn without_a_deadline_nothing_is_limited() {
        let d = Deadline::starting_at(100.0, None);
        assert_eq!(d, Deadline::NONE);
        assert!(!d.has_passed(1e12) && d.admits_retry(0.0, 1e12, 50.0));
        assert_eq!(
            d.attempt_limit(5.0, Some(300.0)),
            AttemptLimit {
                timeout_ms: Some(300.0),
                by_deadline: false
            }
        );
        assert_eq!(
            d.attempt_limit(5.0, None),
            AttemptLimit {
                timeout_ms: None,
                by_deadline: false
            }
        );
    }

    #[test]
    fn the_deadline_shortens_attempts_and_refuses_waits_past_it() {
        let d = Deadline::starting_at(1000.0, Some(500.0));
        assert_eq!(d.remaining_ms(1200.0), Some(300.0));
        assert_eq!(
            d.attempt_limit(1200.0, Some(1000.0)),
            AttemptLimit {
                timeout_ms: Some(300.0),
                by_deadline: true
            }
        );
        assert_eq!(
            d.attempt_limit(1200.0, Some(100.0)),
            AttemptLimit {
                timeout_ms: Some(100.0),
                by_deadline: false
            }
        );
        assert_eq!(
            d.attempt_limit(1200.0, None),
            AttemptLimit {
                timeout_ms: Some(300.0),
                by_deadline: true
            }
        );
        assert!(d.admits_retry(1200.0, 249.0, 50.0));
        assert!(
            !d.admits_retry(1200.0, 251.0, 50.0),
            "only 49 ms would be left"
        );
        assert!(!d.admits_retry(1200.0, 300.0, 0.0), "nothing would be left");
        assert!(d.admits_attempt(1400.0, 50.0) && !d.admits_attempt(1451.0, 50.0));
        assert!(d.has_passed(1500.0) && !d.has_passed(1499.9));
        assert_eq!(d.remaining_ms(9999.0), Some(0.0));
    }

    proptest! {
        #[test]
        fn an_attempt_never_outlives_the_deadline(start in 0.0f64..1e6, total in 0.0f64..1e5, later in 0.0f64..2e5, t in proptest::option::of(0.0f64..1e5)) {
            let d = Deadline::starting_at(start, Some(total));
            let now = start + later;
            let limit = d.attempt_limit(now, t).timeout_ms.expect("a deadline always limits");
            prop_assert!(now + limit <= start + total + 1e-6 || limit == 0.0);
            if let Some(t) = t { prop_assert!(limit <= t); }
        }

        #[test]
        fn an_admitted_retry_always_has_its_useful_time_left(start in 0.0f64..1e6, total in 0.0f64..1e5, later in 0.0f64..2e5, delay in 0.0f64..1e5, useful in 0.0f64..500.0) {
            let d = Deadline::starting_at(start, Some(total));
            let now = start + later;
            if d.admits_retry(now, delay, useful) {
                let left = d.attempt_limit(now + delay, None).timeout_ms.expect("a deadline always limits");
                prop_assert!(left >= useful && left > 0.0);
            }
        }
    }
}
