//! The contention model: `N` clients updating one versioned record with optimistic concurrency
//! control (OCC), after the simulator behind Marc Brooker's "Exponential Backoff and Jitter"
//! (AWS Architecture Blog, 2015).
//!
//! # The record
//!
//! The server holds one record with a version number, starting at 0. A read returns the version
//! the server holds *when the read request arrives*. A write carries the version its client read
//! and succeeds only if the server still holds that version when the write request arrives; a
//! successful write bumps the version. Every write, successful or not, counts as one call. Reads
//! are not counted.
//!
//! # One client
//!
//! Every client wants to make exactly one successful write. An attempt is four network legs, each
//! taking an independent `|Normal(mean, sd)|` latency (10 ms and 2 ms by default):
//!
//! 1. read request, client → server (the server reads the version on arrival);
//! 2. read reply, server → client;
//! 3. write request, client → server (the server checks and maybe bumps the version on arrival);
//! 4. write reply, server → client.
//!
//! If the reply says the write succeeded, the client is done: that instant is its finishing time.
//! If it failed, the client counts one more failed write (`attempt`, 1-based), sleeps for the
//! strategy's delay for that attempt, then starts again at leg 1. All clients send their first
//! read request at time 0. The completion time of a trial is when the last client is done.
//!
//! # Strategies
//!
//! [`Strategy::None`] retries at once. The other four take their delay from the crate's own
//! [`Backoff`], with Brooker's base of 5 ms and cap of 2000 ms by default.
//!
//! Brooker's simulator and the crate disagree on one convention: his exponential ceiling after
//! failed write `n` (1-based) is `min(cap, base * 2^n)`, so the first ceiling is `2 * base`,
//! while the crate's is `min(cap, base * 2^(n-1))`, so its first ceiling is `base`. His
//! decorrelated jitter, `min(cap, U(base, 3 * previous))` from `previous = base`, is exactly the
//! crate's. [`Ceilings::Brooker`] (the default) therefore hands the crate `2 * base` for
//! exponential, full and equal jitter and `base` for decorrelated, so every strategy draws
//! exactly the delays of the published simulator. [`Ceilings::Crate`] hands the crate `base` for
//! every strategy instead: all ceilings are then half of Brooker's, which is a different
//! experiment (with base 5 ms, full jitter then needs about 0.47x, not 0.43x, the calls of plain
//! exponential backoff at 100 clients).
//!
//! # Randomness
//!
//! Each trial is seeded from `(seed, clients, trial)` only, so every strategy replays the same
//! trial seed. Within a trial each client has its own latency stream and its own jitter stream,
//! so the `k`-th message of client `i` has the same latency under every strategy, and the
//! strategies differ only through their delays, not through a shared stream drifting apart.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use parallel_fetch::policy::backoff::{Backoff, BackoffConfig, Jitter, RandomSource, SeededRandom};

/// How a client waits after a failed write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Retry immediately.
    None,
    /// Capped exponential backoff without jitter ([`Jitter::None`]).
    Exponential,
    /// Capped exponential backoff with full jitter ([`Jitter::Full`]).
    Full,
    /// Capped exponential backoff with equal jitter ([`Jitter::Equal`]).
    Equal,
    /// Decorrelated jitter ([`Jitter::Decorrelated`]).
    Decorrelated,
}

impl Strategy {
    /// Every strategy, in report column order.
    pub const ALL: [Strategy; 5] = [
        Strategy::None,
        Strategy::Exponential,
        Strategy::Full,
        Strategy::Equal,
        Strategy::Decorrelated,
    ];

    /// The name used in the report.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::None => "none",
            Strategy::Exponential => "exponential",
            Strategy::Full => "full",
            Strategy::Equal => "equal",
            Strategy::Decorrelated => "decorrelated",
        }
    }

    /// The crate backoff configuration behind this strategy, or `None` for no backoff at all.
    pub fn backoff_config(self, params: &Params) -> Option<BackoffConfig> {
        let jitter = match self {
            Strategy::None => return None,
            Strategy::Exponential => Jitter::None,
            Strategy::Full => Jitter::Full,
            Strategy::Equal => Jitter::Equal,
            Strategy::Decorrelated => Jitter::Decorrelated,
        };
        let doubled = params.ceilings == Ceilings::Brooker && jitter != Jitter::Decorrelated;
        let base_delay_ms = if doubled {
            2.0 * params.base_delay_ms
        } else {
            params.base_delay_ms
        };
        Some(BackoffConfig {
            base_delay_ms,
            max_delay_ms: params.max_delay_ms,
            jitter,
        })
    }
}

/// How Brooker's base delay maps onto the crate's [`BackoffConfig::base_delay_ms`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ceilings {
    /// Reproduce Brooker's delays exactly: ceiling `base * 2^n` after failed write `n`, i.e. the
    /// crate's base is `2 * base` for exponential, full and equal jitter (decorrelated unchanged).
    Brooker,
    /// Use the crate's own convention with `base` as given: ceiling `base * 2^(n-1)`.
    Crate,
}

impl Ceilings {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Ceilings::Brooker => "brooker",
            Ceilings::Crate => "crate",
        }
    }
}

/// The fixed numbers of the model, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// Brooker's backoff base delay (see [`Ceilings`] for how the crate receives it).
    pub base_delay_ms: f64,
    /// How `base_delay_ms` maps onto the crate's configuration.
    pub ceilings: Ceilings,
    /// Backoff cap.
    pub max_delay_ms: f64,
    /// Mean one-way latency of a message.
    pub latency_mean_ms: f64,
    /// Standard deviation of the one-way latency.
    pub latency_sd_ms: f64,
}

impl Default for Params {
    /// Brooker's numbers and delays: base 5 ms, cap 2000 ms, latency `|Normal(10, 2)|`.
    fn default() -> Self {
        Params {
            base_delay_ms: 5.0,
            ceilings: Ceilings::Brooker,
            max_delay_ms: 2000.0,
            latency_mean_ms: 10.0,
            latency_sd_ms: 2.0,
        }
    }
}

/// What one trial measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// Writes sent, successful or not.
    pub calls: u64,
    /// When the last client learned its write had succeeded.
    pub completion_ms: f64,
}

/// Means over several trials of one `(clients, strategy)` cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Mean writes per trial.
    pub mean_calls: f64,
    /// Mean completion time per trial.
    pub mean_completion_ms: f64,
}

/// Runs `trials` trials of `clients` clients under `strategy` and averages them.
pub fn run_trials(
    clients: usize,
    strategy: Strategy,
    trials: u32,
    params: &Params,
    seed: u64,
) -> Summary {
    let (mut calls, mut time) = (0.0, 0.0);
    for trial in 0..trials {
        let outcome = simulate(clients, strategy, params, trial_seed(seed, clients, trial));
        calls += outcome.calls as f64;
        time += outcome.completion_ms;
    }
    let n = f64::from(trials.max(1));
    Summary {
        mean_calls: calls / n,
        mean_completion_ms: time / n,
    }
}

/// The seed of one trial: a function of the run seed, the client count and the trial number,
/// and deliberately not of the strategy.
pub fn trial_seed(seed: u64, clients: usize, trial: u32) -> u64 {
    mix(mix(seed, clients as u64), u64::from(trial))
}

/// One trial: runs the event loop until every client has written once.
pub fn simulate(clients: usize, strategy: Strategy, params: &Params, seed: u64) -> Outcome {
    let mut sim = Simulation {
        queue: BinaryHeap::with_capacity(clients),
        next_seq: 0,
        clients: (0..clients)
            .map(|i| ClientState::new(i, strategy, params, seed))
            .collect(),
        version: 0,
        calls: 0,
    };
    for client in 0..clients {
        let latency = sim.clients[client].latency.sample();
        sim.send(latency, client, Message::ReadRequest);
    }

    let (mut finished, mut completion_ms) = (0, 0.0);
    while let Some(Event {
        at,
        client,
        message,
        ..
    }) = sim.queue.pop()
    {
        let now = at.0;
        match message {
            Message::ReadRequest => {
                let reply = Message::ReadReply {
                    version: sim.version,
                };
                sim.reply(now, client, reply);
            }
            Message::ReadReply { version } => {
                sim.reply(now, client, Message::WriteRequest { version })
            }
            Message::WriteRequest { version } => {
                sim.calls += 1;
                let ok = version == sim.version;
                if ok {
                    sim.version += 1;
                }
                sim.reply(now, client, Message::WriteReply { ok });
            }
            Message::WriteReply { ok: true } => {
                finished += 1;
                completion_ms = now;
            }
            Message::WriteReply { ok: false } => {
                let state = &mut sim.clients[client];
                state.failures += 1;
                let wait = state.backoff_ms();
                let latency = state.latency.sample();
                sim.send(now + wait + latency, client, Message::ReadRequest);
            }
        }
    }
    debug_assert_eq!(finished, clients, "every client finishes");
    debug_assert_eq!(
        sim.version, clients as u64,
        "one successful write per client"
    );
    Outcome {
        calls: sim.calls,
        completion_ms,
    }
}

/// The mutable state of one trial.
struct Simulation {
    /// Messages in flight, earliest arrival first.
    queue: BinaryHeap<Event>,
    /// Tie-breaker so equal arrival times pop in sending order.
    next_seq: u64,
    clients: Vec<ClientState>,
    /// The record's version on the server.
    version: u64,
    /// Writes received by the server.
    calls: u64,
}

impl Simulation {
    /// Queues `message` for `client`'s exchange, arriving at `at`.
    fn send(&mut self, at: f64, client: usize, message: Message) {
        self.queue.push(Event {
            at: Millis(at),
            seq: self.next_seq,
            client,
            message,
        });
        self.next_seq += 1;
    }

    /// Sends the next leg of `client`'s exchange at `now`, arriving one latency later.
    fn reply(&mut self, now: f64, client: usize, message: Message) {
        let latency = self.clients[client].latency.sample();
        self.send(now + latency, client, message);
    }
}

/// One client's private state.
struct ClientState {
    latency: Latency,
    jitter_random: SeededRandom,
    /// `None` for [`Strategy::None`].
    backoff: Option<Backoff>,
    /// Failed writes so far.
    failures: u32,
}

impl ClientState {
    fn new(index: usize, strategy: Strategy, params: &Params, trial_seed: u64) -> Self {
        let client_seed = mix(trial_seed, index as u64);
        ClientState {
            latency: Latency::new(
                params.latency_mean_ms,
                params.latency_sd_ms,
                mix(client_seed, 1),
            ),
            jitter_random: SeededRandom::new(mix(client_seed, 2)),
            backoff: strategy.backoff_config(params).map(Backoff::new),
            failures: 0,
        }
    }

    /// The delay before the next attempt, after `failures` failed writes.
    fn backoff_ms(&mut self) -> f64 {
        match &mut self.backoff {
            Some(backoff) => backoff.delay_ms(self.failures, &mut self.jitter_random),
            None => 0.0,
        }
    }
}

/// `|Normal(mean, sd)|` latencies by the Box–Muller transform over a [`SeededRandom`].
struct Latency {
    mean: f64,
    sd: f64,
    random: SeededRandom,
    /// Box–Muller yields two normals at a time; this holds the second.
    spare: Option<f64>,
}

impl Latency {
    fn new(mean: f64, sd: f64, seed: u64) -> Self {
        Latency {
            mean,
            sd,
            random: SeededRandom::new(seed),
            spare: None,
        }
    }

    fn sample(&mut self) -> f64 {
        let z = match self.spare.take() {
            Some(z) => z,
            None => {
                // 1 - U lies in (0, 1], so the logarithm is finite.
                let u1 = 1.0 - self.random.next_unit();
                let u2 = self.random.next_unit();
                let radius = (-2.0 * u1.ln()).sqrt();
                let angle = std::f64::consts::TAU * u2;
                self.spare = Some(radius * angle.sin());
                radius * angle.cos()
            }
        };
        (self.mean + self.sd * z).abs()
    }
}

/// A message in flight, ordered so that [`BinaryHeap`] pops the earliest arrival first.
struct Event {
    at: Millis,
    seq: u64,
    client: usize,
    message: Message,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Event {}

impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Event {
    /// Reversed: the earliest `(at, seq)` is the greatest, so it sits at the top of the heap.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

/// A time in milliseconds with a total order (`f64::total_cmp`), so it can key a heap.
#[derive(Clone, Copy, Debug)]
struct Millis(f64);

impl PartialEq for Millis {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Millis {}

impl PartialOrd for Millis {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Millis {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The four legs of an attempt.
#[derive(Clone, Copy, Debug)]
enum Message {
    /// Client → server: what is the version?
    ReadRequest,
    /// Server → client: the version when the request arrived.
    ReadReply { version: u64 },
    /// Client → server: write, if the version is still `version`.
    WriteRequest { version: u64 },
    /// Server → client: whether the write happened.
    WriteReply { ok: bool },
}

/// Derives an independent seed from `seed` and `salt` (one SplitMix64 step).
fn mix(seed: u64, salt: u64) -> u64 {
    SeededRandom::new(seed ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_client_writes_once_in_four_legs() {
        let outcome = simulate(1, Strategy::Full, &Params::default(), 3);
        assert_eq!(outcome.calls, 1);
        assert!(outcome.completion_ms > 0.0 && outcome.completion_ms < 100.0);
    }

    #[test]
    fn brooker_ceilings_start_at_twice_the_base_except_decorrelated() {
        let p = Params::default();
        let first = |s: Strategy| s.backoff_config(&p).map(|c| c.ceiling_ms(1));
        assert_eq!(first(Strategy::Exponential), Some(10.0));
        assert_eq!(first(Strategy::Full), Some(10.0));
        assert_eq!(first(Strategy::Decorrelated), Some(5.0));
        assert_eq!(first(Strategy::None), None);
        let c = Params {
            ceilings: Ceilings::Crate,
            ..p
        };
        assert_eq!(
            Strategy::Full.backoff_config(&c).map(|c| c.ceiling_ms(1)),
            Some(5.0)
        );
    }

    #[test]
    fn trials_are_repeatable() {
        let p = Params::default();
        for s in Strategy::ALL {
            assert_eq!(simulate(20, s, &p, 9), simulate(20, s, &p, 9));
        }
    }
}
