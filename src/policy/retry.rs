//! The retry decision: after a failed attempt, wait and try again, or stop and say why.
//!
//! Retries happen only where they are safe and useful: a method the policy lists (idempotent
//! ones by default), a transient failure (a listed status, a network error, a timeout), a body
//! that can be sent again, attempts left, a Retry-After the caller is willing to honour, and a
//! wait that ends before the call's deadline.

use super::backoff::{Backoff, RandomSource};
use super::deadline::Deadline;
use super::options::{RetryPolicy, MIN_USEFUL_ATTEMPT_MS};

/// What went wrong with one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// A response with a status that is not 2xx.
    Status(u16),
    /// The attempt's timeout (or the call's deadline) fired.
    Timeout,
    /// fetch rejected: DNS, refused or reset connection, CORS, an aborted body.
    Network,
    /// The body could not be parsed as asked.
    Parse,
    /// The client's hook threw or rejected: the caller's own code failed, and sending again
    /// would not change that.
    Hook,
}

/// The facts about a failed attempt that the decision needs.
#[derive(Clone, Copy, Debug)]
pub struct AttemptReport<'a> {
    /// The request's normalised method.
    pub method: &'a str,
    /// What went wrong.
    pub failure: Failure,
    /// Attempts made so far, this one included (1 after the first attempt).
    pub attempts: u32,
    /// The response's Retry-After, already parsed, in ms.
    pub retry_after_ms: Option<f64>,
    /// False when the body was a stream that has been consumed.
    pub body_replayable: bool,
    /// When the attempt ended, on the deadline's clock.
    pub now_ms: f64,
    /// The request's per-attempt timeout, if it has one: a retry needs no more time than that.
    pub attempt_timeout_ms: Option<f64>,
}

impl AttemptReport<'_> {
    /// The least time before the deadline that makes a next attempt worth starting:
    /// [`MIN_USEFUL_ATTEMPT_MS`], or the attempt's own timeout if that is shorter.
    pub fn useful_attempt_ms(&self) -> f64 {
        self.attempt_timeout_ms
            .map_or(MIN_USEFUL_ATTEMPT_MS, |t| t.min(MIN_USEFUL_ATTEMPT_MS))
    }
}

/// Why a request stops retrying.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StopReason {
    /// The failure is not transient (a 4xx not listed, a parse error, a timeout with
    /// `retryOnTimeout: false`).
    NotRetryable,
    /// The method is not in `retry.methods`.
    MethodNotRetryable,
    /// The body was a stream and cannot be sent again.
    BodyNotReplayable,
    /// `retry.limit` retries have been made.
    AttemptsExhausted,
    /// The server asked for a wait longer than `retry.maxRetryAfter`.
    RetryAfterTooLong,
    /// The next wait would end after the call's deadline, or leave too little of it for an
    /// attempt to be of use.
    DeadlineTooClose,
    /// The origin's retry budget is spent (the browser layer decides this, across calls).
    BudgetExhausted,
}

impl StopReason {
    /// The name in an error's `stopped` field.
    pub fn name(self) -> &'static str {
        match self {
            StopReason::NotRetryable => "notRetryable",
            StopReason::MethodNotRetryable => "methodNotRetryable",
            StopReason::BodyNotReplayable => "bodyNotReplayable",
            StopReason::AttemptsExhausted => "attemptsExhausted",
            StopReason::RetryAfterTooLong => "retryAfterTooLong",
            StopReason::DeadlineTooClose => "totalTimeout",
            StopReason::BudgetExhausted => "retryBudget",
        }
    }
}

/// The outcome of [`decide`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    /// Wait this long, then make the next attempt.
    Retry {
        /// The wait in ms: the backoff delay, raised to Retry-After when the server sent one.
        delay_ms: f64,
    },
    /// Give up with the attempt's failure.
    Stop(StopReason),
}

/// Whether this kind of failure is transient under the policy.
pub fn is_transient(policy: &RetryPolicy, failure: Failure) -> bool {
    match failure {
        Failure::Status(status) => policy.status_codes.contains(&status),
        Failure::Network => true,
        Failure::Timeout => policy.retry_on_timeout,
        Failure::Parse | Failure::Hook => false,
    }
}

/// Decides what follows a failed attempt. `backoff` is the request's own (decorrelated jitter
/// remembers its previous delay); `random` supplies the jitter.
pub fn decide(
    policy: &RetryPolicy,
    report: &AttemptReport,
    backoff: &mut Backoff,
    random: &mut dyn RandomSource,
    deadline: &Deadline,
) -> Verdict {
    if !is_transient(policy, report.failure) {
        return Verdict::Stop(StopReason::NotRetryable);
    }
    if !policy.allows_method(report.method) {
        return Verdict::Stop(StopReason::MethodNotRetryable);
    }
    if !report.body_replayable {
        return Verdict::Stop(StopReason::BodyNotReplayable);
    }
    if report.attempts > policy.limit {
        return Verdict::Stop(StopReason::AttemptsExhausted);
    }
    let mut delay_ms = backoff.delay_ms(report.attempts, random);
    if let Some(asked) = report.retry_after_ms {
        if asked > policy.max_retry_after_ms {
            return Verdict::Stop(StopReason::RetryAfterTooLong);
        }
        delay_ms = delay_ms.max(asked);
    }
    if !deadline.admits_retry(report.now_ms, delay_ms, report.useful_attempt_ms()) {
        return Verdict::Stop(StopReason::DeadlineTooClose);
    }
    Verdict::Retry { delay_ms }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
