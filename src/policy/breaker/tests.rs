use super::*;
use proptest::prelude::*;

const F: BreakerOutcome = BreakerOutcome::Failure;
const S: BreakerOutcome = BreakerOutcome::Success;
const I: BreakerOutcome = BreakerOutcome::Ignored;

fn breaker() -> Breaker {
    Breaker::new(BreakerConfig::default())
}

/// Sends and records one request at `now`, as the browser layer would.
fn call(b: &mut Breaker, now: f64, outcome: BreakerOutcome) -> (Admission, Option<Transition>) {
    let admission = b.admit(now);
    let transition = if admission.is_allowed() {
        b.record(now, admission.is_probe(), outcome)
    } else {
        None
    };
    (admission, transition)
}

/// A breaker opened at `at` by ten failures.
fn opened_at(at: f64) -> Breaker {
    let mut b = breaker();
    for _ in 0..9 {
        assert_eq!(call(&mut b, at, F).1, None);
    }
    assert_eq!(call(&mut b, at, F).1, Some(Transition::Opened));
    b
}

#[test]
fn defaults_are_pollys() {
    let c = BreakerConfig::default();
    assert_eq!(c.failure_ratio, 0.5);
    assert_eq!(c.minimum_throughput, 10);
    assert_eq!((c.window_ms, c.break_duration_ms), (10_000.0, 5_000.0));
}

#[test]
fn failures_count_and_other_endings_do_not() {
    use Failure::*;
    for ended in [
        Ended::Failed(Network),
        Ended::Failed(Timeout),
        Ended::Failed(Status(500)),
        Ended::Failed(Status(503)),
        Ended::Failed(Status(599)),
        Ended::Failed(Status(429)),
    ] {
        assert_eq!(breaker_outcome(ended), F, "{ended:?}");
    }
    for ended in [
        Ended::Ok,
        Ended::Failed(Status(404)),
        Ended::Failed(Status(400)),
        Ended::Failed(Status(408)),
        Ended::Failed(Status(304)),
        Ended::Failed(Parse),
    ] {
        assert_eq!(breaker_outcome(ended), S, "{ended:?}");
    }
    assert_eq!(breaker_outcome(Ended::Aborted), I);
}

#[test]
fn half_the_window_failing_with_enough_throughput_opens() {
    let mut b = breaker();
    for i in 0..5 {
        call(&mut b, f64::from(i), S);
    }
    for i in 0..4 {
        assert_eq!(call(&mut b, 10.0 + f64::from(i), F).1, None);
    }
    assert_eq!(b.window_counts(20.0), (5, 4));
    assert_eq!(call(&mut b, 20.0, F).1, Some(Transition::Opened));
    assert_eq!(b.state(20.0), BreakerState::Open { until_ms: 5_020.0 });
    assert_eq!(b.state(20.0).name(), "open");
}

#[test]
fn too_little_traffic_never_opens() {
    let mut b = breaker();
    for i in 0..9 {
        assert_eq!(call(&mut b, f64::from(i), F).1, None);
    }
    // Ignored outcomes are not throughput.
    for i in 0..100 {
        assert_eq!(call(&mut b, 10.0 + f64::from(i), I).1, None);
    }
    assert_eq!(b.state(200.0), BreakerState::Closed);
    assert_eq!(b.state(200.0).name(), "closed");
}

#[test]
fn old_failures_leave_the_window() {
    let mut b = breaker();
    for _ in 0..9 {
        call(&mut b, 0.0, F);
    }
    // 10 s later the nine failures have slid out; one more is one in ten.
    assert_eq!(b.window_counts(10_000.0), (0, 0));
    assert_eq!(call(&mut b, 10_000.0, F).1, None);
    assert_eq!(b.window_counts(10_000.0), (0, 1));
}

#[test]
fn open_rejects_with_the_time_left_then_one_probe_closes_it() {
    let mut b = opened_at(1_000.0);
    assert_eq!(
        b.admit(2_000.0),
        Admission::Rejected {
            retry_after_ms: Some(4_000.0)
        }
    );
    assert_eq!(
        b.state(6_000.0),
        BreakerState::HalfOpen {
            probe_in_flight: false
        }
    );
    assert_eq!(b.state(6_000.0).name(), "half-open");
    let probe = b.admit(6_000.0);
    assert_eq!(probe, Admission::AllowedAsProbe { half_opened: true });
    assert_eq!(probe.transition(), Some(Transition::HalfOpened));
    assert_eq!(
        b.admit(6_001.0),
        Admission::Rejected {
            retry_after_ms: None
        }
    );
    assert_eq!(b.record(6_100.0, true, S), Some(Transition::Closed));
    assert_eq!(b.state(6_100.0), BreakerState::Closed);
    assert_eq!(
        b.window_counts(6_100.0),
        (0, 0),
        "closing empties the window"
    );
    assert_eq!(b.admit(6_200.0), Admission::Allowed);
}

#[test]
fn a_failed_probe_opens_for_another_break() {
    let mut b = opened_at(0.0);
    assert!(b.admit(5_000.0).is_probe());
    assert_eq!(b.record(5_300.0, true, F), Some(Transition::Opened));
    assert_eq!(b.state(5_300.0), BreakerState::Open { until_ms: 10_300.0 });
    assert!(!b.admit(10_299.0).is_allowed());
    assert_eq!(
        b.admit(10_300.0),
        Admission::AllowedAsProbe { half_opened: true }
    );
}

#[test]
fn an_aborted_probe_frees_the_slot() {
    let mut b = opened_at(0.0);
    assert!(b.admit(5_000.0).is_probe());
    assert_eq!(b.record(5_010.0, true, I), None);
    let next = b.admit(5_020.0);
    assert_eq!(next, Admission::AllowedAsProbe { half_opened: false });
    assert_eq!(next.transition(), None);
}

#[test]
fn stale_outcomes_do_not_move_an_open_or_half_open_breaker() {
    let mut b = opened_at(0.0);
    // Requests admitted before the breaker opened end late.
    assert_eq!(b.record(100.0, false, S), None);
    assert_eq!(b.record(100.0, false, F), None);
    assert!(matches!(b.state(100.0), BreakerState::Open { .. }));
    assert!(b.admit(5_000.0).is_probe());
    assert_eq!(b.record(5_001.0, false, S), None);
    assert_eq!(b.record(5_001.0, false, I), None);
    assert!(
        !b.admit(5_002.0).is_allowed(),
        "the probe still holds the slot"
    );
}

#[test]
fn a_broken_clock_does_not_panic() {
    let mut b = breaker();
    for now in [f64::NAN, f64::INFINITY, -f64::INFINITY, 1e300, -1e300, 0.0] {
        for _ in 0..12 {
            let _ = call(&mut b, now, F);
        }
        let _ = b.state(now);
        let _ = b.window_counts(now);
    }
}

#[derive(Clone, Debug)]
enum Op {
    /// Ask to send a request, after this many ms.
    Admit(f64),
    /// End the outstanding request with this index (mod their number), after this many ms.
    End(usize, BreakerOutcome, f64),
}

fn any_outcome() -> impl Strategy<Value = BreakerOutcome> {
    prop::sample::select(vec![S, F, I])
}

fn any_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0.0f64..2_000.0).prop_map(Op::Admit),
        (any::<usize>(), any_outcome(), 0.0f64..2_000.0).prop_map(|(i, o, d)| Op::End(i, o, d)),
    ]
}

fn any_config() -> impl Strategy<Value = BreakerConfig> {
    (0.0f64..=1.0, 0u32..20, 100.0f64..20_000.0, 0.0f64..10_000.0).prop_map(
        |(failure_ratio, minimum_throughput, window_ms, break_duration_ms)| BreakerConfig {
            failure_ratio,
            minimum_throughput,
            window_ms,
            break_duration_ms,
        },
    )
}

proptest! {
    #[test]
    fn never_admits_while_open_and_never_two_probes(
        config in any_config(), ops in prop::collection::vec(any_op(), 1..300),
    ) {
        let mut b = Breaker::new(config);
        let mut now = 0.0;
        // Outstanding requests: whether each is a probe.
        let mut outstanding: Vec<bool> = Vec::new();
        for op in ops {
            match op {
                Op::Admit(dt) => {
                    now += dt;
                    let before = b.state(now);
                    let admission = b.admit(now);
                    if let BreakerState::Open { until_ms } = before {
                        prop_assert!(now >= until_ms || !admission.is_allowed());
                    }
                    if admission.is_allowed() {
                        outstanding.push(admission.is_probe());
                    }
                }
                Op::End(i, outcome, dt) if !outstanding.is_empty() => {
                    now += dt;
                    let probe = outstanding.remove(i % outstanding.len());
                    b.record(now, probe, outcome);
                }
                Op::End(..) => {}
            }
            prop_assert!(outstanding.iter().filter(|&&p| p).count() <= 1);
            let probing = matches!(b.state(now), BreakerState::HalfOpen { probe_in_flight: true });
            prop_assert_eq!(probing, outstanding.contains(&true));
        }
    }

    #[test]
    fn enough_failures_open_it(config in any_config(), start in 0.0f64..1e9) {
        let mut b = Breaker::new(config);
        let needed = config.minimum_throughput.max(1);
        for i in 1..=needed {
            let (admission, transition) = call(&mut b, start, F);
            prop_assert!(admission.is_allowed());
            prop_assert_eq!(transition.is_some(), i == needed, "failure {}", i);
        }
        prop_assert!(!b.admit(start).is_allowed() || config.break_duration_ms == 0.0);
    }

    #[test]
    fn a_failure_ratio_under_the_threshold_never_opens(
        ratio in 0.05f64..=1.0, successes in 1u32..10, failures in 0u32..10,
        steps in prop::collection::vec(0.0f64..3_000.0, 1..100),
    ) {
        // Every step records its successes before its failures, so no window, however cut,
        // ever holds a larger share of failures than one step does.
        prop_assume!(f64::from(failures) / f64::from(successes + failures) < ratio);
        let config = BreakerConfig { failure_ratio: ratio, minimum_throughput: 1, ..BreakerConfig::default() };
        let mut b = Breaker::new(config);
        let mut now = 0.0;
        for dt in steps {
            now += dt;
            for _ in 0..successes { prop_assert_eq!(call(&mut b, now, S).1, None); }
            for _ in 0..failures { prop_assert_eq!(call(&mut b, now, F).1, None); }
        }
        prop_assert_eq!(b.state(now), BreakerState::Closed);
    }
}
