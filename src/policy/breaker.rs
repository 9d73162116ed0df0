//! A circuit breaker per origin, in the style of Polly v8 and resilience4j.
//!
//! Closed, it counts outcomes over a sliding window of [`BUCKETS`] time buckets (so memory is the
//! same whatever the traffic). When, after a failure, the window holds at least
//! `minimum_throughput` outcomes of which at least `failure_ratio` are failures, it opens: every
//! request is rejected at once, with nothing sent, for `break_duration_ms`. The first request
//! after that half-opens it (lazily: nothing happens until someone asks) and goes through as the
//! one probe, while the others are rejected. The probe's success closes the breaker with an
//! empty window; its failure opens it for another break; an aborted probe frees the slot for the
//! next request to probe.

use super::retry::Failure;

/// How many time buckets the sliding window is cut into.
pub const BUCKETS: usize = 10;

/// The numbers a breaker needs. Validation guarantees `0 <= failure_ratio <= 1` and finite,
/// positive durations; other values do not panic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakerConfig {
    /// The share of failures in the window that opens the breaker (default 0.5).
    pub failure_ratio: f64,
    /// The fewest outcomes in the window for it to open (default 10).
    pub minimum_throughput: u32,
    /// How far back outcomes count, in ms (default 10 000).
    pub window_ms: f64,
    /// How long the breaker stays open before it lets a probe through, in ms (default 5 000).
    pub break_duration_ms: f64,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig {
            failure_ratio: 0.5,
            minimum_throughput: 10,
            window_ms: 10_000.0,
            break_duration_ms: 5_000.0,
        }
    }
}

/// Where the breaker stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BreakerState {
    /// Requests go through and their outcomes are counted.
    Closed,
    /// Requests are rejected until `until_ms`.
    Open {
        /// When the break ends, on the breaker's clock.
        until_ms: f64,
    },
    /// One probe decides whether the breaker closes or opens again.
    HalfOpen {
        /// Whether the probe has been let through and has not ended yet.
        probe_in_flight: bool,
    },
}

impl BreakerState {
    /// The name stats show: `"closed"`, `"open"` or `"half-open"`.
    pub fn name(&self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open { .. } => "open",
            BreakerState::HalfOpen { .. } => "half-open",
        }
    }
}

/// Whether a request may be sent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Admission {
    /// Send it, and [`Breaker::record`] its outcome with `probe: false`.
    Allowed,
    /// Send it as the half-open probe, and record its outcome with `probe: true`.
    AllowedAsProbe {
        /// True when this very call ended the break (the moment to emit `breakerHalfOpen`);
        /// false for a probe that replaces an aborted one.
        half_opened: bool,
    },
    /// Do not send it: fail at once with a circuit-open error.
    Rejected {
        /// How long until the break ends, in ms; None while a probe is deciding.
        retry_after_ms: Option<f64>,
    },
}

impl Admission {
    /// The change of state this admission made: [`Transition::HalfOpened`] for the probe that
    /// ended a break.
    pub fn transition(&self) -> Option<Transition> {
        match self {
            Admission::AllowedAsProbe { half_opened: true } => Some(Transition::HalfOpened),
            _ => None,
        }
    }

    /// Whether the request may be sent.
    pub fn is_allowed(&self) -> bool {
        !matches!(self, Admission::Rejected { .. })
    }

    /// Whether the request goes as the probe (the `probe` to pass to [`Breaker::record`]).
    pub fn is_probe(&self) -> bool {
        matches!(self, Admission::AllowedAsProbe { .. })
    }
}

/// What an ended request tells the breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerOutcome {
    /// The origin answered usefully (any status the breaker does not count as a failure).
    Success,
    /// The origin failed: a network error, a timeout, a 5xx or a 429.
    Failure,
    /// Says nothing about the origin (an abort); counts neither way.
    Ignored,
}

/// A change of state, for the browser layer's `breakerOpen`, `breakerHalfOpen` and
/// `breakerClose` events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// The breaker opened (from closed, or again after a failed probe).
    Opened,
    /// The break ended and a probe was let through (reported by [`Admission::transition`]).
    HalfOpened,
    /// A probe succeeded.
    Closed,
}

/// How an attempt ended, as far as the breaker cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// A 2xx response.
    Ok,
    /// A failed attempt.
    Failed(Failure),
    /// The caller (or a finished join) aborted it.
    Aborted,
}

/// Classifies an ended attempt: network errors, timeouts, 5xx and 429 are failures; aborts are
/// ignored; everything else is a success, including a 4xx other than 429 and an unparsable
/// body, because the server did answer (a burst of 404s must not cut a healthy origin off).
pub fn breaker_outcome(ended: Ended) -> BreakerOutcome {
    match ended {
        Ended::Failed(Failure::Network | Failure::Timeout) => BreakerOutcome::Failure,
        Ended::Failed(Failure::Status(status)) if status == 429 || status >= 500 => {
            BreakerOutcome::Failure
        }
        Ended::Ok | Ended::Failed(Failure::Status(_) | Failure::Parse) => BreakerOutcome::Success,
        // A client hook failed before anything was sent: the origin said nothing.
        Ended::Aborted | Ended::Failed(Failure::Hook) => BreakerOutcome::Ignored,
    }
}

/// One bucket's counts; `bucket` is its number on the clock, so a stale one reads as empty.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    bucket: i64,
    successes: u32,
    failures: u32,
}

const EMPTY: Bucket = Bucket {
    bucket: i64::MIN,
    successes: 0,
    failures: 0,
};

/// A circuit breaker over an injected monotonic clock (`now_ms`).
#[derive(Clone, Debug)]
pub struct Breaker {
    config: BreakerConfig,
    state: BreakerState,
    bucket_ms: f64,
    window: [Bucket; BUCKETS],
    /// The latest bucket seen: a clock that steps back is read as standing still.
    latest: i64,
}

impl Breaker {
    /// A closed breaker with an empty window.
    pub fn new(config: BreakerConfig) -> Self {
        Breaker {
            config,
            state: BreakerState::Closed,
            bucket_ms: config.window_ms / BUCKETS as f64,
            window: [EMPTY; BUCKETS],
            latest: i64::MIN,
        }
    }

    /// The configuration this breaker follows.
    pub fn config(&self) -> &BreakerConfig {
        &self.config
    }

    /// The state at `now_ms`, for stats: a break that has ended reads as half-open with no
    /// probe, though the change is only made by the next [`Breaker::admit`].
    pub fn state(&self, now_ms: f64) -> BreakerState {
        match self.state {
            BreakerState::Open { until_ms } if now_ms < until_ms => self.state,
            BreakerState::Open { .. } => BreakerState::HalfOpen {
                probe_in_flight: false,
            },
            state => state,
        }
    }

    /// Whether a request may be sent at `now_ms`. An admitted request must be
    /// [`record`](Breaker::record)ed exactly once, or a probe would hold the half-open
    /// breaker forever.
    pub fn admit(&mut self, now_ms: f64) -> Admission {
        match self.state {
            BreakerState::Closed => Admission::Allowed,
            BreakerState::Open { until_ms } if now_ms < until_ms => Admission::Rejected {
                retry_after_ms: Some(until_ms - now_ms),
            },
            BreakerState::Open { .. } => {
                self.state = BreakerState::HalfOpen {
                    probe_in_flight: true,
                };
                Admission::AllowedAsProbe { half_opened: true }
            }
            BreakerState::HalfOpen {
                probe_in_flight: true,
            } => Admission::Rejected {
                retry_after_ms: None,
            },
            BreakerState::HalfOpen {
                probe_in_flight: false,
            } => {
                self.state = BreakerState::HalfOpen {
                    probe_in_flight: true,
                };
                Admission::AllowedAsProbe { half_opened: false }
            }
        }
    }

    /// Records how an admitted request ended at `now_ms`; `probe` says whether it was admitted
    /// as the probe. Returns the change of state this caused, if any. Outcomes of requests
    /// admitted before the breaker opened, which end while it is open or half-open, are
    /// dropped: they say nothing about the origin since.
    pub fn record(
        &mut self,
        now_ms: f64,
        probe: bool,
        outcome: BreakerOutcome,
    ) -> Option<Transition> {
        match (self.state, probe) {
            (
                BreakerState::HalfOpen {
                    probe_in_flight: true,
                },
                true,
            ) => match outcome {
                BreakerOutcome::Success => {
                    self.state = BreakerState::Closed;
                    self.window = [EMPTY; BUCKETS];
                    Some(Transition::Closed)
                }
                BreakerOutcome::Failure => Some(self.open(now_ms)),
                BreakerOutcome::Ignored => {
                    self.state = BreakerState::HalfOpen {
                        probe_in_flight: false,
                    };
                    None
                }
            },
            (BreakerState::Closed, _) => self.count(now_ms, outcome),
            _ => None,
        }
    }

    /// The outcomes in the window at `now_ms`: `(successes, failures)`.
    pub fn window_counts(&self, now_ms: f64) -> (u32, u32) {
        let now = self.bucket_of(now_ms).max(self.latest);
        self.window
            .iter()
            .filter(|b| (0..BUCKETS as i64).contains(&now.saturating_sub(b.bucket)))
            .fold((0u32, 0u32), |(s, f), b| {
                (s.saturating_add(b.successes), f.saturating_add(b.failures))
            })
    }

    fn count(&mut self, now_ms: f64, outcome: BreakerOutcome) -> Option<Transition> {
        let bucket = self.bucket(now_ms);
        match outcome {
            BreakerOutcome::Success => bucket.successes = bucket.successes.saturating_add(1),
            BreakerOutcome::Failure => bucket.failures = bucket.failures.saturating_add(1),
            BreakerOutcome::Ignored => return None,
        }
        if outcome != BreakerOutcome::Failure {
            return None;
        }
        let (successes, failures) = self.window_counts(now_ms);
        let total = successes.saturating_add(failures);
        // Division, not `ratio * total`: `0.1 * 30.0` is a hair over 3.
        let tripped = total >= self.config.minimum_throughput
            && f64::from(failures) / f64::from(total) >= self.config.failure_ratio;
        tripped.then(|| self.open(now_ms))
    }

    fn open(&mut self, now_ms: f64) -> Transition {
        self.state = BreakerState::Open {
            until_ms: now_ms + self.config.break_duration_ms,
        };
        self.window = [EMPTY; BUCKETS];
        Transition::Opened
    }

    /// The bucket number of `now_ms`. Casts saturate, so no clock value can panic.
    fn bucket_of(&self, now_ms: f64) -> i64 {
        (now_ms / self.bucket_ms).floor() as i64
    }

    /// The bucket for `now_ms`, emptied if it held an older one.
    fn bucket(&mut self, now_ms: f64) -> &mut Bucket {
        let now = self.bucket_of(now_ms).max(self.latest);
        self.latest = now;
        let slot = &mut self.window[now.rem_euclid(BUCKETS as i64) as usize];
        if slot.bucket != now {
            *slot = Bucket {
                bucket: now,
                ..EMPTY
            };
        }
        slot
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
