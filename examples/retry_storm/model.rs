//! The model: one client (a browser page) calling one origin that fails every request from
//! time 0 until `outage_ms`, then answers every request. Clients do not interact (the backend's
//! failure does not depend on load), so each one is simulated alone, as a discrete-event loop
//! over its own queue, and the totals are summed.
//!
//! A client starts `rate` requests per second, evenly spaced from a random phase. Each attempt
//! takes `latency_ms` and fails with a 503 when it is sent during the outage. After a failure
//! the crate's own `policy::retry::decide` picks the wait (the default policy: limit 2, full
//! jitter, base 300 ms, cap 10 000 ms). With a budget, every first attempt sent deposits and
//! every retry must withdraw when it is decided; with a breaker, every attempt (first or retry)
//! must be admitted when it is due, and a rejected one ends its request at once, with nothing
//! sent, as the issue specifies ("retries do not wait it out").

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use parallel_fetch::policy::backoff::{Backoff, SeededRandom};
use parallel_fetch::policy::breaker::{breaker_outcome, Breaker, BreakerConfig, Ended};
use parallel_fetch::policy::budget::{BudgetConfig, RetryBudget};
use parallel_fetch::policy::deadline::Deadline;
use parallel_fetch::policy::options::{RetryPolicy, DEFAULT_TIMEOUT_MS};
use parallel_fetch::policy::retry::{decide, AttemptReport, Failure, Verdict};

/// What protects the origin from the client's retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `retry: false`: the baseline.
    NoRetry,
    /// The default retry policy and nothing else.
    Retries,
    /// Retries within the default budget.
    Budget,
    /// Retries within the default budget less its reserve (`minPerSecond: 0`).
    BudgetNoReserve,
    /// Retries within the default budget, behind the default breaker.
    BudgetBreaker,
}

impl Mode {
    /// Every mode, in the tables' column order.
    pub const ALL: [Mode; 5] = [
        Mode::NoRetry,
        Mode::Retries,
        Mode::Budget,
        Mode::BudgetNoReserve,
        Mode::BudgetBreaker,
    ];

    /// The column heading.
    pub fn name(self) -> &'static str {
        match self {
            Mode::NoRetry => "no retries",
            Mode::Retries => "(a) retries only",
            Mode::Budget => "(b) budget",
            Mode::BudgetNoReserve => "budget, minPerSecond 0",
            Mode::BudgetBreaker => "(c) budget + breaker",
        }
    }

    fn budget(self) -> Option<BudgetConfig> {
        match self {
            Mode::Budget | Mode::BudgetBreaker => Some(BudgetConfig::default()),
            Mode::BudgetNoReserve => Some(BudgetConfig {
                min_per_second: 0.0,
                ..BudgetConfig::default()
            }),
            Mode::NoRetry | Mode::Retries => None,
        }
    }
}

/// The scenario's numbers.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// How long the backend fails every request, from time 0.
    pub outage_ms: f64,
    /// How long the simulation runs (no request starts after this).
    pub run_ms: f64,
    /// How long every attempt takes.
    pub latency_ms: f64,
}

/// What one client, or a sum of clients, did.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    /// Clients summed.
    pub clients: u64,
    /// Attempts sent during the outage.
    pub sent_in_outage: u64,
    /// Attempts sent in each second of the run.
    pub sent_per_second: Vec<u64>,
    /// Requests rejected by the breaker.
    pub rejected: u64,
    /// Per client: how long after the backend returned its last failing request started
    /// (0 when none started after), in ms.
    pub recovery_ms: Vec<f64>,
}

impl Totals {
    /// Adds another client's totals.
    pub fn add(&mut self, other: Totals) {
        self.clients += other.clients;
        self.sent_in_outage += other.sent_in_outage;
        if self.sent_per_second.len() < other.sent_per_second.len() {
            self.sent_per_second.resize(other.sent_per_second.len(), 0);
        }
        for (sum, n) in self.sent_per_second.iter_mut().zip(other.sent_per_second) {
            *sum += n;
        }
        self.rejected += other.rejected;
        self.recovery_ms.extend(other.recovery_ms);
    }

    /// Attempts per client-second during the outage.
    pub fn offered(&self, params: &Params) -> f64 {
        self.sent_in_outage as f64 / self.clients as f64 / (params.outage_ms / 1000.0)
    }

    /// Mean and maximum recovery over clients, in seconds.
    pub fn recovery_s(&self) -> (f64, f64) {
        let n = self.recovery_ms.len().max(1) as f64;
        let mean = self.recovery_ms.iter().sum::<f64>() / n / 1000.0;
        let max = self.recovery_ms.iter().copied().fold(0.0, f64::max) / 1000.0;
        (mean, max)
    }
}

#[derive(Debug)]
enum Kind {
    /// The next request of the client's stream.
    Arrive,
    /// An attempt of request `req` is due (a retry; first attempts start on arrival).
    Retry(usize),
    /// An attempt of request `req` ends.
    End(usize, bool),
}

struct Request {
    started_ms: f64,
    attempts: u32,
    backoff: Backoff,
    probe: bool,
}

struct Client<'a> {
    mode: Mode,
    params: &'a Params,
    policy: &'a RetryPolicy,
    random: SeededRandom,
    budget: Option<RetryBudget>,
    breaker: Option<Breaker>,
    requests: Vec<Request>,
    queue: BinaryHeap<Reverse<(u64, u64, usize)>>,
    kinds: Vec<Kind>,
    totals: Totals,
    last_failed_start_ms: f64,
}

/// Simulates one client sending `rate` requests per second.
pub fn run_client(mode: Mode, rate: f64, params: &Params, seed: u64) -> Totals {
    let policy = RetryPolicy::default();
    let mut client = Client {
        mode,
        params,
        policy: &policy,
        random: SeededRandom::new(seed),
        budget: mode.budget().map(RetryBudget::new),
        breaker: (mode == Mode::BudgetBreaker).then(|| Breaker::new(BreakerConfig::default())),
        requests: Vec::new(),
        queue: BinaryHeap::new(),
        kinds: Vec::new(),
        totals: Totals {
            clients: 1,
            sent_per_second: vec![0; (params.run_ms / 1000.0).ceil() as usize + 1],
            ..Totals::default()
        },
        last_failed_start_ms: f64::NEG_INFINITY,
    };
    let interval_ms = 1000.0 / rate;
    let phase = uniform(&mut client.random) * interval_ms;
    client.schedule(phase, Kind::Arrive);
    while let Some(Reverse((at_us, _, index))) = client.queue.pop() {
        let now = at_us as f64 / 1000.0;
        match std::mem::replace(&mut client.kinds[index], Kind::Arrive) {
            Kind::Arrive => {
                if now + interval_ms < params.run_ms {
                    client.schedule(now + interval_ms, Kind::Arrive);
                }
                client.requests.push(Request {
                    started_ms: now,
                    attempts: 0,
                    backoff: Backoff::new(policy.backoff),
                    probe: false,
                });
                client.attempt(now, client.requests.len() - 1);
            }
            Kind::Retry(req) => client.attempt(now, req),
            Kind::End(req, ok) => client.end(now, req, ok),
        }
    }
    let recovery = (client.last_failed_start_ms - params.outage_ms).max(0.0);
    client.totals.recovery_ms.push(recovery);
    client.totals
}

impl Client<'_> {
    fn schedule(&mut self, at_ms: f64, kind: Kind) {
        // Whole microseconds keep the heap's order total; the sequence number breaks ties in
        // scheduling order.
        let seq = self.kinds.len() as u64;
        self.kinds.push(kind);
        self.queue
            .push(Reverse(((at_ms * 1000.0) as u64, seq, seq as usize)));
    }

    fn attempt(&mut self, now: f64, req: usize) {
        let first = self.requests[req].attempts == 0;
        if let Some(breaker) = &mut self.breaker {
            let admission = breaker.admit(now);
            if !admission.is_allowed() {
                self.totals.rejected += 1;
                self.fail(req);
                return;
            }
            self.requests[req].probe = admission.is_probe();
        }
        if first {
            if let Some(budget) = &mut self.budget {
                budget.deposit(now);
            }
        }
        self.requests[req].attempts += 1;
        if now < self.params.outage_ms {
            self.totals.sent_in_outage += 1;
        }
        if let Some(bin) = self.totals.sent_per_second.get_mut((now / 1000.0) as usize) {
            *bin += 1;
        }
        let ok = now >= self.params.outage_ms;
        self.schedule(now + self.params.latency_ms, Kind::End(req, ok));
    }

    fn end(&mut self, now: f64, req: usize, ok: bool) {
        let failure = Failure::Status(503);
        if let Some(breaker) = &mut self.breaker {
            let ended = if ok {
                Ended::Ok
            } else {
                Ended::Failed(failure)
            };
            breaker.record(now, self.requests[req].probe, breaker_outcome(ended));
        }
        if ok {
            return;
        }
        if self.mode == Mode::NoRetry {
            self.fail(req);
            return;
        }
        let report = AttemptReport {
            method: "GET",
            failure,
            attempts: self.requests[req].attempts,
            retry_after_ms: None,
            body_replayable: true,
            now_ms: now,
            attempt_timeout_ms: Some(DEFAULT_TIMEOUT_MS),
        };
        let request = &mut self.requests[req];
        let verdict = decide(
            self.policy,
            &report,
            &mut request.backoff,
            &mut self.random,
            &Deadline::NONE,
        );
        let granted =
            |budget: &mut Option<RetryBudget>| budget.as_mut().is_none_or(|b| b.try_withdraw(now));
        match verdict {
            Verdict::Retry { delay_ms } if granted(&mut self.budget) => {
                self.schedule(now + delay_ms, Kind::Retry(req));
            }
            _ => self.fail(req),
        }
    }

    fn fail(&mut self, req: usize) {
        self.last_failed_start_ms = self.last_failed_start_ms.max(self.requests[req].started_ms);
    }
}

fn uniform(random: &mut SeededRandom) -> f64 {
    use parallel_fetch::policy::backoff::RandomSource;
    random.next_unit()
}
