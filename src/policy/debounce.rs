//! The debounce state of one key: when the latest call should run, and which runs are stale.
//!
//! Calls with the same key collapse: each call postpones the run to `wait` after itself, but
//! never past `maxWait` after the first postponed call of the burst. A run started by the quiet
//! period is superseded by the next call (latest wins: it is aborted and its callers follow the
//! new burst). A run that `maxWait` forced is not: the user is still typing, and the point of
//! `maxWait` is to show something meanwhile, so it completes and its callers settle with it
//! while later calls form the next burst. Every schedule has a generation; only a current
//! generation may start or finish, so a stale timer or a superseded run can never settle anyone.

/// The state of one debounce key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DebounceKey {
    generation: u64,
    burst_started_ms: Option<f64>,
    /// Whether the latest schedule's time was cut short by `maxWait`.
    latest_forced: bool,
    /// Runs in flight, by generation: any number that `maxWait` forced, and at most one that the
    /// quiet period started.
    running: Vec<u64>,
    /// The run in flight that the next call supersedes, if any.
    supersedable: Option<u64>,
}

/// What to do after a call: (re)arm the timer, and abort a run in flight if the call supersedes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Schedule {
    /// Identifies this schedule; pass it back to [`DebounceKey::fire`] and [`DebounceKey::finish`].
    pub generation: u64,
    /// How long from now until the run should start, in ms.
    pub fire_in_ms: f64,
    /// True when `maxWait`, not the quiet period, sets the time: that run will not be superseded.
    pub forced: bool,
    /// The run in flight that this call supersedes: abort it, and its callers follow this call.
    pub supersedes: Option<u64>,
}

impl DebounceKey {
    /// A key with no calls yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A call arrives at `now_ms`.
    pub fn call(&mut self, now_ms: f64, wait_ms: f64, max_wait_ms: Option<f64>) -> Schedule {
        let supersedes = self.supersedable.take();
        if let Some(g) = supersedes {
            self.running.retain(|&r| r != g);
        }
        let started = *self.burst_started_ms.get_or_insert(now_ms);
        let until_max = max_wait_ms.map_or(f64::INFINITY, |max| started + max - now_ms);
        self.generation += 1;
        self.latest_forced = until_max < wait_ms;
        Schedule {
            generation: self.generation,
            fire_in_ms: wait_ms.min(until_max).max(0.0),
            forced: self.latest_forced,
            supersedes,
        }
    }

    /// The timer of `generation` fired. True when that run should start now; false when the
    /// schedule is stale.
    pub fn fire(&mut self, generation: u64) -> bool {
        if generation != self.generation || self.burst_started_ms.is_none() {
            return false;
        }
        self.burst_started_ms = None;
        self.running.push(generation);
        if !self.latest_forced {
            self.supersedable = Some(generation);
        }
        true
    }

    /// The run of `generation` finished. True when it is still a current run, whose callers now
    /// settle with it; false for a superseded one.
    pub fn finish(&mut self, generation: u64) -> bool {
        let Some(at) = self.running.iter().position(|&r| r == generation) else {
            return false;
        };
        self.running.remove(at);
        if self.supersedable == Some(generation) {
            self.supersedable = None;
        }
        true
    }

    /// True when the key has neither a postponed call nor a run in flight.
    pub fn is_idle(&self) -> bool {
        self.running.is_empty() && self.burst_started_ms.is_none()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_single_call_runs_after_wait() {
        let mut key = DebounceKey::new();
        let s = key.call(0.0, 200.0, None);
        assert_eq!(
            s,
            Schedule {
                generation: 1,
                fire_in_ms: 200.0,
                forced: false,
                supersedes: None
            }
        );
        assert!(key.fire(1));
        assert!(!key.is_idle());
        assert!(key.finish(1));
        assert!(key.is_idle());
    }

    #[test]
    fn a_burst_collapses_into_its_latest_call() {
        let mut key = DebounceKey::new();
        let first = key.call(0.0, 200.0, None);
        let second = key.call(50.0, 200.0, None);
        let third = key.call(120.0, 200.0, None);
        assert_eq!(third.fire_in_ms, 200.0);
        assert!(!key.fire(first.generation) && !key.fire(second.generation));
        assert!(key.fire(third.generation));
        assert!(!key.finish(second.generation));
        assert!(key.finish(third.generation));
    }

    #[test]
    fn max_wait_caps_the_postponement_from_the_first_call() {
        let mut key = DebounceKey::new();
        key.call(0.0, 200.0, Some(500.0));
        key.call(150.0, 200.0, Some(500.0));
        assert_eq!(key.call(400.0, 200.0, Some(500.0)).fire_in_ms, 100.0);
        assert_eq!(key.call(600.0, 200.0, Some(500.0)).fire_in_ms, 0.0);
    }

    #[test]
    fn a_call_during_a_run_supersedes_it_and_starts_a_new_burst() {
        let mut key = DebounceKey::new();
        let first = key.call(0.0, 100.0, Some(150.0));
        assert!(key.fire(first.generation));
        let next = key.call(400.0, 100.0, Some(150.0));
        assert_eq!(next.supersedes, Some(first.generation));
        assert_eq!(next.fire_in_ms, 100.0, "maxWait counts from the new burst");
        assert!(
            !key.finish(first.generation),
            "the superseded run settles no one"
        );
        assert!(key.fire(next.generation));
        assert!(key.finish(next.generation));
        assert!(key.is_idle());
    }

    #[test]
    fn a_run_forced_by_max_wait_completes_while_typing_goes_on() {
        // A keystroke every 150 ms, wait 200, maxWait 1000: the quiet period never comes.
        let mut key = DebounceKey::new();
        let mut now = 0.0;
        let mut s = key.call(now, 200.0, Some(1000.0));
        while !s.forced {
            now += 150.0;
            s = key.call(now, 200.0, Some(1000.0));
        }
        assert_eq!(
            now + s.fire_in_ms,
            1000.0,
            "maxWait after the burst's first call"
        );
        assert!(key.fire(s.generation));
        let forced = s.generation;
        // Typing goes on while the forced run is in flight.
        let next = key.call(1050.0, 200.0, Some(1000.0));
        assert_eq!(next.supersedes, None, "a forced run is not aborted");
        assert!(
            !next.forced && next.fire_in_ms == 200.0,
            "the next burst starts afresh"
        );
        let later = key.call(1200.0, 200.0, Some(1000.0));
        assert_eq!(later.supersedes, None);
        assert!(
            key.finish(forced),
            "the forced run's callers settle with it"
        );
        assert!(!key.is_idle(), "the next burst is pending");
        assert!(key.fire(later.generation));
        assert_eq!(
            key.call(1500.0, 200.0, None).supersedes,
            Some(later.generation)
        );
    }

    proptest! {
        #[test]
        fn only_the_latest_call_ever_runs(gaps in prop::collection::vec(0.0f64..300.0, 1..20), wait in 0.0f64..250.0, max in proptest::option::of(250.0f64..1000.0)) {
            let mut key = DebounceKey::new();
            let mut now = 0.0;
            let mut burst: Option<(f64, Schedule, f64)> = None; // (first call, latest schedule, due)
            let mut stale = vec![];
            for gap in gaps {
                now += gap;
                if let Some((_, s, due)) = burst.filter(|(_, _, due)| *due <= now) {
                    // The timer fired before this call: the run starts and finishes.
                    let _ = due;
                    prop_assert!(key.fire(s.generation));
                    prop_assert!(key.finish(s.generation));
                    burst = None;
                }
                let s = key.call(now, wait, max);
                prop_assert!(s.fire_in_ms <= wait);
                let first = burst.map_or(now, |(first, old, _)| { stale.push(old.generation); first });
                if let Some(max) = max {
                    prop_assert!(now + s.fire_in_ms <= first + max + 1e-9);
                }
                burst = Some((first, s, now + s.fire_in_ms));
            }
            for g in &stale { prop_assert!(!key.fire(*g)); }
            let latest = burst.map(|(_, s, _)| s.generation).unwrap_or_default();
            prop_assert!(key.fire(latest));
            for g in &stale { prop_assert!(!key.finish(*g)); }
            prop_assert!(key.finish(latest));
            prop_assert!(key.is_idle());
        }
    }
}
