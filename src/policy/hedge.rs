//! Hedging: when an attempt has not answered after `delay_ms`, start another one alongside it
//! and take whichever answers first (the rest are aborted by the browser layer).
//!
//! A hedge sends the same request twice on purpose, so it is only done where that is harmless:
//! a method RFC 9110 §9.2.2 calls idempotent, that the retry policy also lists, with a body that
//! can be sent again. Every hedge spends the origin's retry budget, like a retry.

/// The methods RFC 9110 defines as idempotent, less TRACE (which a page cannot send).
pub const IDEMPOTENT_METHODS: [&str; 5] = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];

/// When to hedge. There is no default delay: hedging is off until a caller picks one, since
/// the right delay is about the origin's usual latency (a high percentile of it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HedgeConfig {
    /// How long an attempt may go unanswered before a hedge joins it, in ms.
    pub delay_ms: f64,
    /// The most hedges per request (default 1).
    pub max: u32,
}

impl HedgeConfig {
    /// Hedges after `delay_ms`, at most one per request.
    pub fn new(delay_ms: f64) -> Self {
        HedgeConfig { delay_ms, max: 1 }
    }
}

/// Whether a request may be hedged at all. `method` is normalised (upper case) and
/// `retry_methods` is the retry policy's list; POST and PATCH are never hedged, even if listed.
pub fn may_hedge(method: &str, retry_methods: &[String], body_replayable: bool) -> bool {
    body_replayable
        && IDEMPOTENT_METHODS.contains(&method)
        && retry_methods.iter().any(|m| m == method)
}

/// Where one request's hedging stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HedgeProgress {
    /// Attempts sent and not yet ended.
    pub in_flight: u32,
    /// Hedges started so far.
    pub hedges_sent: u32,
    /// When the latest attempt (first, retry or hedge) started, on the request's clock.
    pub last_start_ms: f64,
}

/// How long from `now_ms` until the next hedge is due: `Some(0.0)` means now, `None` means no
/// more hedges (the limit is reached, or nothing is in flight to hedge: a failed attempt is the
/// retry policy's business).
pub fn next_hedge_in_ms(
    config: &HedgeConfig,
    progress: &HedgeProgress,
    now_ms: f64,
) -> Option<f64> {
    if progress.hedges_sent >= config.max || progress.in_flight == 0 {
        return None;
    }
    let due_ms = progress.last_start_ms + config.delay_ms;
    // `f64::max` ignores a NaN operand, so a broken clock reads as due now.
    Some((due_ms - now_ms).max(0.0))
}

/// Whether to start a hedge at `now_ms`. `withdraw` is asked (and so the budget spent) only
/// when a hedge is due; a refusal means no hedge now.
pub fn start_hedge_now(
    config: &HedgeConfig,
    progress: &HedgeProgress,
    now_ms: f64,
    withdraw: impl FnOnce() -> bool,
) -> bool {
    next_hedge_in_ms(config, progress, now_ms) == Some(0.0) && withdraw()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::policy::options::RetryPolicy;
    use proptest::prelude::*;

    fn methods(list: &[&str]) -> Vec<String> {
        list.iter().map(|m| m.to_string()).collect()
    }

    fn progress(in_flight: u32, hedges_sent: u32, last_start_ms: f64) -> HedgeProgress {
        HedgeProgress {
            in_flight,
            hedges_sent,
            last_start_ms,
        }
    }

    #[test]
    fn only_idempotent_listed_methods_with_replayable_bodies_hedge() {
        let defaults = RetryPolicy::default().methods;
        for m in IDEMPOTENT_METHODS {
            assert!(may_hedge(m, &defaults, true), "{m}");
            assert!(!may_hedge(m, &defaults, false), "{m} with a spent stream");
        }
        assert!(!may_hedge("TRACE", &defaults, true));
        let everything = methods(&["GET", "POST", "PATCH", "PUT"]);
        assert!(!may_hedge("POST", &everything, true));
        assert!(!may_hedge("PATCH", &everything, true));
        assert!(!may_hedge("DELETE", &everything, true), "not listed");
        assert!(
            !may_hedge("get", &everything, true),
            "methods come normalised"
        );
    }

    #[test]
    fn a_hedge_is_due_after_the_delay_and_up_to_the_limit() {
        let config = HedgeConfig::new(200.0);
        assert_eq!(config.max, 1);
        assert_eq!(
            next_hedge_in_ms(&config, &progress(1, 0, 1_000.0), 1_050.0),
            Some(150.0)
        );
        assert_eq!(
            next_hedge_in_ms(&config, &progress(1, 0, 1_000.0), 1_300.0),
            Some(0.0)
        );
        assert_eq!(
            next_hedge_in_ms(&config, &progress(2, 1, 1_200.0), 1_300.0),
            None
        );
        assert_eq!(
            next_hedge_in_ms(&config, &progress(0, 0, 1_000.0), 1_300.0),
            None
        );
        let two = HedgeConfig { max: 2, ..config };
        assert_eq!(
            next_hedge_in_ms(&two, &progress(2, 1, 1_200.0), 1_300.0),
            Some(100.0)
        );
    }

    #[test]
    fn the_budget_is_asked_only_when_a_hedge_is_due() {
        let config = HedgeConfig::new(200.0);
        let asked = &std::cell::Cell::new(0);
        let ask = |answer| {
            move || {
                asked.set(asked.get() + 1);
                answer
            }
        };
        assert!(!start_hedge_now(
            &config,
            &progress(1, 0, 0.0),
            100.0,
            ask(true)
        ));
        assert!(!start_hedge_now(
            &config,
            &progress(1, 1, 0.0),
            300.0,
            ask(true)
        ));
        assert_eq!(asked.get(), 0);
        assert!(!start_hedge_now(
            &config,
            &progress(1, 0, 0.0),
            300.0,
            ask(false)
        ));
        assert!(start_hedge_now(
            &config,
            &progress(1, 0, 0.0),
            300.0,
            ask(true)
        ));
        assert_eq!(asked.get(), 2);
    }

    proptest! {
        #[test]
        fn never_more_hedges_than_the_limit_nor_before_the_delay(
            delay in 0.0f64..5_000.0, max in 0u32..4, in_flight in 0u32..4, sent in 0u32..6,
            start in 0.0f64..1e6, elapsed in 0.0f64..10_000.0,
        ) {
            let config = HedgeConfig { delay_ms: delay, max };
            let p = progress(in_flight, sent, start);
            match next_hedge_in_ms(&config, &p, start + elapsed) {
                None => prop_assert!(sent >= max || in_flight == 0),
                Some(wait) => {
                    prop_assert!(sent < max && in_flight > 0);
                    // Due exactly `delay` after the latest start, and never in the past.
                    prop_assert!(wait >= 0.0);
                    prop_assert!((wait - (delay - elapsed).max(0.0)).abs() < 1e-6, "wait {}", wait);
                }
            }
        }
    }
}
