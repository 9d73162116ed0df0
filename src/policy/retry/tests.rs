use super::*;
use crate::policy::backoff::{Jitter, SeededRandom};
use crate::policy::options::RetryOverrides;
use proptest::prelude::*;

fn policy() -> RetryPolicy {
    RetryPolicy::default()
}

fn report(method: &str, failure: Failure, attempts: u32) -> AttemptReport<'_> {
    AttemptReport {
        method,
        failure,
        attempts,
        retry_after_ms: None,
        body_replayable: true,
        now_ms: 0.0,
        attempt_timeout_ms: None,
    }
}

fn decide_once(policy: &RetryPolicy, report: &AttemptReport, deadline: Deadline) -> Verdict {
    let mut backoff = Backoff::new(policy.backoff);
    decide(
        policy,
        report,
        &mut backoff,
        &mut SeededRandom::new(1),
        &deadline,
    )
}

fn verdict(policy: &RetryPolicy, report: &AttemptReport) -> Verdict {
    decide_once(policy, report, Deadline::NONE)
}

#[test]
fn transient_statuses_network_errors_and_timeouts_are_retried() {
    for failure in [
        Failure::Status(503),
        Failure::Status(429),
        Failure::Status(408),
        Failure::Network,
        Failure::Timeout,
    ] {
        assert!(
            matches!(
                verdict(&policy(), &report("GET", failure, 1)),
                Verdict::Retry { .. }
            ),
            "{failure:?}"
        );
    }
}

#[test]
fn a_4xx_outside_the_list_and_parse_errors_are_never_retried() {
    for failure in [
        Failure::Status(400),
        Failure::Status(404),
        Failure::Status(501),
        Failure::Parse,
    ] {
        assert_eq!(
            verdict(&policy(), &report("GET", failure, 1)),
            Verdict::Stop(StopReason::NotRetryable)
        );
    }
}

#[test]
fn post_is_retried_only_when_listed() {
    assert_eq!(
        verdict(&policy(), &report("POST", Failure::Status(503), 1)),
        Verdict::Stop(StopReason::MethodNotRetryable)
    );
    assert_eq!(
        verdict(&policy(), &report("PATCH", Failure::Network, 1)),
        Verdict::Stop(StopReason::MethodNotRetryable)
    );
    let listed = policy().with(&RetryOverrides {
        methods: Some(vec!["POST".into()]),
        ..Default::default()
    });
    assert!(matches!(
        verdict(&listed, &report("POST", Failure::Status(503), 1)),
        Verdict::Retry { .. }
    ));
    assert_eq!(
        verdict(&listed, &report("GET", Failure::Status(503), 1)),
        Verdict::Stop(StopReason::MethodNotRetryable)
    );
}

#[test]
fn timeouts_can_be_excluded() {
    let p = policy().with(&RetryOverrides {
        retry_on_timeout: Some(false),
        ..Default::default()
    });
    assert_eq!(
        verdict(&p, &report("GET", Failure::Timeout, 1)),
        Verdict::Stop(StopReason::NotRetryable)
    );
    assert!(matches!(
        verdict(&p, &report("GET", Failure::Network, 1)),
        Verdict::Retry { .. }
    ));
}

#[test]
fn the_limit_counts_retries_after_the_first_attempt() {
    let p = policy(); // limit 2: attempts 1 and 2 may retry, attempt 3 is the last
    assert!(matches!(
        verdict(&p, &report("GET", Failure::Network, 2)),
        Verdict::Retry { .. }
    ));
    assert_eq!(
        verdict(&p, &report("GET", Failure::Network, 3)),
        Verdict::Stop(StopReason::AttemptsExhausted)
    );
    let none = policy().with(&RetryOverrides {
        limit: Some(0),
        ..Default::default()
    });
    assert_eq!(
        verdict(&none, &report("GET", Failure::Network, 1)),
        Verdict::Stop(StopReason::AttemptsExhausted)
    );
}

#[test]
fn a_stream_body_is_not_sent_twice() {
    let r = AttemptReport {
        body_replayable: false,
        ..report("PUT", Failure::Network, 1)
    };
    assert_eq!(
        verdict(&policy(), &r),
        Verdict::Stop(StopReason::BodyNotReplayable)
    );
}

#[test]
fn retry_after_raises_the_wait_and_a_long_one_stops_at_once() {
    let r = AttemptReport {
        retry_after_ms: Some(5_000.0),
        ..report("GET", Failure::Status(503), 1)
    };
    assert_eq!(verdict(&policy(), &r), Verdict::Retry { delay_ms: 5_000.0 });
    let zero = AttemptReport {
        retry_after_ms: Some(0.0),
        ..report("GET", Failure::Status(503), 1)
    };
    let Verdict::Retry { delay_ms } = verdict(&policy(), &zero) else {
        panic!("should retry")
    };
    assert!(
        (0.0..=300.0).contains(&delay_ms),
        "the backoff still applies: {delay_ms}"
    );
    let long = AttemptReport {
        retry_after_ms: Some(60_001.0),
        ..report("GET", Failure::Status(429), 1)
    };
    assert_eq!(
        verdict(&policy(), &long),
        Verdict::Stop(StopReason::RetryAfterTooLong)
    );
}

#[test]
fn a_wait_past_the_deadline_gives_up_at_once() {
    let p = policy().with(&RetryOverrides {
        jitter: Some(Jitter::None),
        ..Default::default()
    });
    let r = AttemptReport {
        now_ms: 800.0,
        ..report("GET", Failure::Status(503), 1)
    };
    // The wait would be 300 ms, ending at 1100: past a deadline at 1000.
    assert_eq!(
        decide_once(&p, &r, Deadline::starting_at(0.0, Some(1000.0))),
        Verdict::Stop(StopReason::DeadlineTooClose)
    );
    assert_eq!(
        decide_once(&p, &r, Deadline::starting_at(0.0, Some(1200.0))),
        Verdict::Retry { delay_ms: 300.0 }
    );
}

#[test]
fn a_retry_that_would_leave_no_useful_attempt_is_not_made() {
    let p = policy().with(&RetryOverrides {
        jitter: Some(Jitter::None),
        ..Default::default()
    });
    // A 503 at 600 ms; the 300 ms wait ends at 900, 1 ms before a deadline at 901.
    let r = AttemptReport {
        now_ms: 600.0,
        ..report("GET", Failure::Status(503), 1)
    };
    let deadline = |total| Deadline::starting_at(0.0, Some(total));
    assert_eq!(
        decide_once(&p, &r, deadline(901.0)),
        Verdict::Stop(StopReason::DeadlineTooClose),
        "1 ms would be left: the request ends with its 503, not a timeout"
    );
    assert_eq!(
        decide_once(&p, &r, deadline(949.0)),
        Verdict::Stop(StopReason::DeadlineTooClose)
    );
    assert_eq!(
        decide_once(&p, &r, deadline(950.0)),
        Verdict::Retry { delay_ms: 300.0 },
        "50 ms left is enough"
    );
    let quick = AttemptReport {
        attempt_timeout_ms: Some(20.0),
        ..r
    };
    assert_eq!(
        decide_once(&p, &quick, deadline(921.0)),
        Verdict::Retry { delay_ms: 300.0 },
        "an attempt with a 20 ms timeout needs only 20 ms"
    );
}

proptest! {
    #[test]
    fn a_retry_never_waits_past_the_deadline_nor_beyond_the_limit(
        attempts in 1u32..10, limit in 0u32..6, status in 100u16..600, now in 0.0f64..5_000.0,
        total in 0.0f64..5_000.0, retry_after in proptest::option::of(0.0f64..100_000.0), seed in any::<u64>(),
    ) {
        let p = policy().with(&RetryOverrides { limit: Some(limit), ..Default::default() });
        let r = AttemptReport { retry_after_ms: retry_after, now_ms: now, ..report("GET", Failure::Status(status), attempts) };
        let deadline = Deadline::starting_at(0.0, Some(total));
        let mut backoff = Backoff::new(p.backoff);
        if let Verdict::Retry { delay_ms } = decide(&p, &r, &mut backoff, &mut SeededRandom::new(seed), &deadline) {
            prop_assert!(attempts <= limit);
            prop_assert!(p.status_codes.contains(&status));
            prop_assert!(now + delay_ms + r.useful_attempt_ms() <= total);
            prop_assert!(delay_ms <= p.backoff.max_delay_ms.max(retry_after.unwrap_or(0.0)));
            if let Some(asked) = retry_after { prop_assert!(delay_ms >= asked); }
        }
    }
}
