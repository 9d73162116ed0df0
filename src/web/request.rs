//! One request from first attempt to final outcome: a slot, attempts, retry decisions, waits.
//! Its ending (`settle`, or `abort` and `settle`) is reported by the call that owns it, in
//! [`super::ending`], whatever ends it.

use wasm_bindgen::JsValue;

use super::attempt::{AttemptError, Attempted};
use super::client::ClientState;
use super::ending::Progress;
use super::error::{ErrorKind, FetchError};
use super::events::Events;
use super::exchange::Received;
use super::globals::{now_ms, unix_ms, MathRandom};
use super::hedged;
use super::limiter::{Limiter, Permit};
use super::prepare::PreparedRequest;
use super::race::{race, Either};
use super::result::http_error;
use super::timer::sleep;
use crate::policy::backoff::Backoff;
use crate::policy::breaker::{breaker_outcome, Admission, BreakerOutcome, Ended, Transition};
use crate::policy::deadline::{AttemptLimit, Deadline};
use crate::policy::options::{ResponseType, MIN_USEFUL_ATTEMPT_MS};
use crate::policy::ratelimit::pause_for_response;
use crate::policy::retry::{decide, AttemptReport, Failure, StopReason, Verdict};

/// Everything one request runs with, passed as one value from the call down to its attempts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestContext<'a> {
    /// The request's index in the call.
    pub index: usize,
    /// The validated request.
    pub request: &'a PreparedRequest,
    /// How bodies are read.
    pub response_type: ResponseType,
    /// The call's deadline.
    pub deadline: Deadline,
    /// The call's events.
    pub events: &'a Events,
    /// What the request's ending reports.
    pub progress: &'a Progress,
    /// The call's concurrency cap, if it has one.
    pub limiter: Option<&'a Limiter>,
    /// The client the call is made through.
    pub client: &'a ClientState,
}

/// Runs the request to its final outcome: a FetchResult, or the error that ended it.
pub(crate) async fn run(cx: RequestContext<'_>) -> Result<JsValue, FetchError> {
    let RequestContext {
        index,
        request,
        deadline,
        events,
        progress,
        ..
    } = cx;
    let mut started = None;
    let url = request.label.url.as_str();
    let policy = &request.options.retry;
    let mut backoff = Backoff::new(policy.backoff);
    let useful_ms = request
        .options
        .timeout_ms
        .map_or(MIN_USEFUL_ATTEMPT_MS, |t| t.min(MIN_USEFUL_ATTEMPT_MS));
    let mut last_error: Option<FetchError> = None;
    let origin = request.origin.as_str();
    let client = cx.client;
    loop {
        // An origin that said it has nothing left (RateLimit, a 429) is waited for, within the
        // deadline, instead of drawing a refusal; but no longer than this request would wait for
        // a Retry-After of its own (`retry.maxRetryAfter`): past that it is sent regardless.
        if let Some((now, paused)) = client.pause_left_by(origin, now_ms) {
            if paused > 0.0 && paused <= policy.max_retry_after_ms {
                if !deadline.admits_retry(now, paused, useful_ms) {
                    return Err(out_of_time(request, last_error, progress.attempts.get()));
                }
                progress.waiting.set(true);
                sleep(paused).await;
                continue;
            }
        }
        let permit = match slot(cx).await {
            Some(permit) => permit,
            None => return Err(out_of_time(request, last_error, progress.attempts.get())),
        };
        let now = now_ms();
        if deadline.has_passed(now)
            || last_error.is_some() && !deadline.admits_attempt(now, useful_ms)
        {
            return Err(out_of_time(request, last_error, progress.attempts.get()));
        }
        let admission = client.admit(origin, now);
        if let Some(transition) = admission.transition() {
            report_transition(cx, transition);
        }
        if let Admission::Rejected { retry_after_ms } = admission {
            let kind = ErrorKind::CircuitOpen {
                origin: origin.to_string(),
                retry_after_ms,
            };
            return Err(FetchError::new(
                kind,
                request.label.clone(),
                progress.attempts.get(),
            ));
        }
        let mut ticket = BreakerTicket {
            client,
            origin,
            probe: admission.is_probe(),
            open: true,
        };
        let started = *started.get_or_insert(now);
        let attempts = progress.attempts.get() + 1;
        if attempts == 1 {
            client.deposit(origin, now);
        }
        progress.attempts.set(attempts);
        progress.waiting.set(false);
        events.emit("attemptStart", index, attempts, url, |e| e);
        let (attempts, outcome) = hedged::run(cx, attempts, now).await;
        let ended = now_ms();
        let (call_permit, origin_permit) = permit;
        drop(call_permit);
        match &outcome {
            // A response of its own, whatever its status: the origin's throughput counts it (a
            // request that joined a fetch in flight is not one more answer from the origin).
            Ok(attempted) if !attempted.joined => origin_permit.completed(ended),
            _ => drop(origin_permit),
        }
        // The attempt's own end first; what it set off (a pause, the breaker's move) after it.
        let (ok, status, error_name) = end_of(&outcome);
        events.emit("attemptEnd", index, attempts, url, |e| {
            let e = e.with("ok", ok);
            let e = match status {
                Some(status) => e.with("status", status),
                None => e,
            };
            match error_name {
                Some(name) => e.with("error", name),
                None => e,
            }
        });
        if let Ok(attempted) = &outcome {
            note_rate_limit(cx, &attempted.received);
        }
        let transition = ticket.record(ended, breaker_outcome(ended_as(&outcome)));
        if let Some(transition) = transition {
            report_transition(cx, transition);
        }
        let outcome = match outcome {
            // afterResponse asked for the attempt again (a refreshed token): at once, no backoff.
            Ok(Attempted {
                retry_asked: true, ..
            }) if progress.attempts.get() <= policy.limit => continue,
            Ok(attempted) => Ok(attempted.received),
            Err(e) => Err(e),
        };
        let attempts_made = progress.attempts.get();
        let (failure, mut error) = match outcome {
            Ok(received) if received.ok() => {
                return Ok(received.result(request, attempts_made, ended - started));
            }
            Ok(received) => {
                let error = http_error(request, &received, attempts_made, ended - started);
                (Failure::Status(received.status), error)
            }
            Err(AttemptError::Timeout {
                after_ms,
                by_deadline,
            }) => {
                let kind = ErrorKind::Timeout {
                    after_ms,
                    by_deadline,
                };
                (
                    Failure::Timeout,
                    FetchError::new(kind, request.label.clone(), attempts_made),
                )
            }
            Err(AttemptError::Network { cause }) => {
                let mut e =
                    FetchError::new(ErrorKind::Network, request.label.clone(), attempts_made);
                e.cause = Some(cause);
                (Failure::Network, e)
            }
            Err(AttemptError::Parse { cause }) => {
                let mut e = FetchError::new(ErrorKind::Parse, request.label.clone(), attempts_made);
                e.cause = Some(cause);
                (Failure::Parse, e)
            }
            Err(AttemptError::Hook { cause }) => {
                let kind = ErrorKind::hook(&cause);
                let mut e = FetchError::new(kind, request.label.clone(), attempts_made);
                e.cause = Some(cause);
                (Failure::Hook, e)
            }
        };
        let report = AttemptReport {
            method: &request.options.method,
            failure,
            attempts: attempts_made,
            retry_after_ms: error.retry_after_ms,
            body_replayable: request.body_replayable,
            now_ms: ended,
            attempt_timeout_ms: request.options.timeout_ms,
        };
        let verdict = match decide(policy, &report, &mut backoff, &mut MathRandom, &deadline) {
            // The origin's budget, shared by every call of the client, has the last word.
            Verdict::Retry { .. } if !client.withdraw(origin, ended) => {
                events.emit("budgetExhausted", index, attempts, url, |e| {
                    e.with("origin", origin)
                });
                Verdict::Stop(StopReason::BudgetExhausted)
            }
            verdict => verdict,
        };
        match verdict {
            Verdict::Retry { delay_ms } => {
                events.emit("retryWait", index, attempts, url, |e| {
                    let e = e.with("delay", delay_ms).with("error", error.name());
                    let e = match failure {
                        Failure::Status(status) => e.with("status", status),
                        _ => e,
                    };
                    match error.retry_after_ms {
                        Some(ms) => e.with("retryAfter", ms),
                        None => e,
                    }
                });
                last_error = Some(error);
                progress.waiting.set(true);
                sleep(delay_ms).await;
            }
            Verdict::Stop(reason) => {
                if reason != StopReason::NotRetryable && reason != StopReason::AttemptsExhausted {
                    error.stopped = Some(reason);
                }
                return Err(error);
            }
        }
    }
}

/// A slot under the call's concurrency cap (if it has one) and then one under the client's cap
/// for the request's origin, waited for no longer than the deadline allows; `None` when the
/// deadline came first.
async fn slot(cx: RequestContext<'_>) -> Option<(Option<Permit>, Permit)> {
    let call = match cx.limiter {
        Some(limiter) => Some(within_deadline(cx, limiter).await?),
        None => None,
    };
    let origin = within_deadline(cx, &cx.client.limiter(&cx.request.origin)).await?;
    Some((call, origin))
}

async fn within_deadline(cx: RequestContext<'_>, limiter: &Limiter) -> Option<Permit> {
    let left = cx.deadline.remaining_ms_by(now_ms);
    // The attempt's time budget: its timeout, or less when the deadline is nearer.
    let budget = AttemptLimit::within(left, cx.request.options.timeout_ms).timeout_ms;
    let acquire = limiter.acquire(budget);
    let Some(left) = left else {
        return Some(acquire.await);
    };
    match race(acquire, sleep(left)).await {
        Either::Left(permit) => Some(permit),
        Either::Right(_) => None,
    }
}

/// The deadline left no time for the next attempt: the last failure, or a timeout if the
/// request never got to run (it waited for a concurrency slot).
fn out_of_time(request: &PreparedRequest, last: Option<FetchError>, attempts: u32) -> FetchError {
    last.map(|mut e| {
        e.stopped = Some(StopReason::DeadlineTooClose);
        e
    })
    .unwrap_or_else(|| {
        let kind = ErrorKind::Timeout {
            after_ms: 0.0,
            by_deadline: true,
        };
        FetchError::new(kind, request.label.clone(), attempts)
    })
}

/// Records an admitted request's ending with the origin's breaker exactly once: as it ended, or,
/// when the request is dropped first (aborted), as ignored, so a probe never holds the breaker
/// half-open.
struct BreakerTicket<'a> {
    client: &'a ClientState,
    origin: &'a str,
    probe: bool,
    open: bool,
}

impl BreakerTicket<'_> {
    fn record(&mut self, now_ms: f64, outcome: BreakerOutcome) -> Option<Transition> {
        if !std::mem::take(&mut self.open) {
            return None;
        }
        self.client.record(self.origin, now_ms, self.probe, outcome)
    }
}

impl Drop for BreakerTicket<'_> {
    fn drop(&mut self) {
        if self.open {
            self.record(now_ms(), BreakerOutcome::Ignored);
        }
    }
}

/// What the breaker counts of an attempt's outcome.
fn ended_as(outcome: &Result<Attempted, AttemptError>) -> Ended {
    match outcome {
        Ok(a) if a.received.ok() => Ended::Ok,
        Ok(a) => Ended::Failed(Failure::Status(a.received.status)),
        Err(AttemptError::Timeout { .. }) => Ended::Failed(Failure::Timeout),
        Err(AttemptError::Network { .. }) => Ended::Failed(Failure::Network),
        Err(AttemptError::Parse { .. }) => Ended::Failed(Failure::Parse),
        Err(AttemptError::Hook { .. }) => Ended::Failed(Failure::Hook),
    }
}

fn report_transition(cx: RequestContext<'_>, transition: Transition) {
    let kind = match transition {
        Transition::Opened => "breakerOpen",
        Transition::HalfOpened => "breakerHalfOpen",
        Transition::Closed => "breakerClose",
    };
    let origin = cx.request.origin.as_str();
    let attempt = cx.progress.attempts.get();
    cx.events
        .emit(kind, cx.index, attempt, &cx.request.label.url, |e| {
            e.with("origin", origin)
        });
}

/// A response that says the origin has nothing left pauses it for the whole client.
fn note_rate_limit(cx: RequestContext<'_>, received: &Received) {
    if !cx.client.settings.rate_limit || !received.may_rate_limit {
        return;
    }
    let get = |name: &str| received.header(name);
    let status = received.status;
    let Some(pause_ms) = pause_for_response(status, get, unix_ms()) else {
        return;
    };
    let origin = cx.request.origin.as_str();
    cx.client.pause(origin, now_ms(), pause_ms);
    let attempt = cx.progress.attempts.get();
    cx.events.emit(
        "rateLimited",
        cx.index,
        attempt,
        &cx.request.label.url,
        |e| e.with("origin", origin).with("delay", pause_ms),
    );
}

/// What `attemptEnd` says of an outcome: ok, the status, the error's name.
fn end_of(outcome: &Result<Attempted, AttemptError>) -> (bool, Option<u16>, Option<&'static str>) {
    match outcome {
        Ok(a) if a.received.ok() => (true, Some(a.received.status), None),
        Ok(a) => (false, Some(a.received.status), Some("HttpError")),
        Err(AttemptError::Timeout { .. }) => (false, None, Some("TimeoutError")),
        Err(AttemptError::Network { .. }) => (false, None, Some("NetworkError")),
        Err(AttemptError::Parse { .. }) => (false, None, Some("ParseError")),
        Err(AttemptError::Hook { cause }) => match ErrorKind::hook(cause) {
            ErrorKind::Hook(name) => (false, None, Some(name)),
            _ => (false, None, Some("NetworkError")),
        },
    }
}
