//! One request from first attempt to final outcome: attempts, retry decisions, waits.

use std::cell::Cell;

use gloo_timers::future::TimeoutFuture;
use js_sys::Object;
use wasm_bindgen::JsValue;

use super::attempt::{self, AttemptError, Received};
use super::body::header_record;
use super::error::{ErrorKind, FetchError};
use super::events::{AbortReporter, AbortedBy, Events};
use super::globals::{now_ms, set, unix_ms, MathRandom};
use super::prepare::PreparedRequest;
use crate::policy::backoff::Backoff;
use crate::policy::deadline::Deadline;
use crate::policy::options::{timer_millis, ResponseType};
use crate::policy::retry::{decide, AttemptReport, Failure, StopReason, Verdict};
use crate::policy::retry_after::parse_retry_after;

/// Runs request `index` to its final outcome: a FetchResult, or the error that ended it.
/// `progress` counts the attempts started, for the AbortError of a request cut short.
pub(crate) async fn run(
    index: usize,
    request: &PreparedRequest,
    response_type: ResponseType,
    deadline: Deadline,
    events: &Events,
    progress: &Cell<u32>,
) -> Result<JsValue, FetchError> {
    let started = now_ms();
    let url = request.label.url.as_str();
    let policy = &request.options.retry;
    let mut backoff = Backoff::new(policy.backoff);
    let mut reporter = AbortReporter {
        events,
        index,
        url,
        attempts: progress,
        waiting: false,
        armed: true,
    };
    let mut last_error: Option<FetchError> = None;
    loop {
        let now = now_ms();
        if deadline.has_passed(now) {
            reporter.armed = false;
            return Err(out_of_time(request, last_error, progress.get()));
        }
        let attempts = progress.get() + 1;
        progress.set(attempts);
        reporter.waiting = false;
        events.emit("attemptStart", index, attempts, url, |e| e);
        let limit = deadline.attempt_limit(now, request.options.timeout_ms);
        let outcome = attempt::run(request, response_type, limit).await;
        let ended = now_ms();
        let (failure, mut error) = match outcome {
            Ok(received) if received.response.ok() => {
                reporter.armed = false;
                let status = received.response.status();
                events.emit("attemptEnd", index, attempts, url, |e| {
                    e.with("ok", true).with("status", status)
                });
                events.emit("settle", index, attempts, url, |e| {
                    e.with("ok", true).with("status", status)
                });
                return Ok(result_object(request, &received, attempts, ended - started));
            }
            Ok(received) => http_error(request, &received, attempts, ended - started),
            Err(AttemptError::Timeout {
                after_ms,
                by_deadline,
            }) => {
                events.emit("abort", index, attempts, url, |e| {
                    e.with("by", AbortedBy::Timeout.name())
                });
                let kind = ErrorKind::Timeout {
                    after_ms,
                    by_deadline,
                };
                (
                    Failure::Timeout,
                    FetchError::new(kind, request.label.clone(), attempts),
                )
            }
            Err(AttemptError::Network { cause }) => {
                let mut e = FetchError::new(ErrorKind::Network, request.label.clone(), attempts);
                e.cause = Some(cause);
                (Failure::Network, e)
            }
            Err(AttemptError::Parse { cause }) => {
                let mut e = FetchError::new(ErrorKind::Parse, request.label.clone(), attempts);
                e.cause = Some(cause);
                (Failure::Parse, e)
            }
        };
        events.emit("attemptEnd", index, attempts, url, |e| {
            let e = e.with("ok", false).with("error", error.name());
            match failure {
                Failure::Status(status) => e.with("status", status),
                _ => e,
            }
        });
        let report = AttemptReport {
            method: &request.options.method,
            failure,
            attempts,
            retry_after_ms: error.retry_after_ms,
            body_replayable: request.body_replayable,
            now_ms: ended,
        };
        match decide(policy, &report, &mut backoff, &mut MathRandom, &deadline) {
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
                reporter.waiting = true;
                TimeoutFuture::new(timer_millis(delay_ms)).await;
            }
            Verdict::Stop(reason) => {
                reporter.armed = false;
                if reason != StopReason::NotRetryable && reason != StopReason::AttemptsExhausted {
                    error.stopped = Some(reason);
                }
                events.emit("settle", index, attempts, url, |e| {
                    e.with("ok", false).with("error", error.name())
                });
                return Err(error);
            }
        }
    }
}

/// The deadline passed before the next attempt could start: the last failure, or a timeout if
/// the request never got to run (it waited for a concurrency slot).
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

fn http_error(
    request: &PreparedRequest,
    received: &Received,
    attempts: u32,
    duration_ms: f64,
) -> (Failure, FetchError) {
    let response = &received.response;
    let status = response.status();
    let kind = ErrorKind::Http {
        status,
        status_text: response.status_text(),
    };
    let mut error = FetchError::new(kind, request.label.clone(), attempts);
    error.retry_after_ms = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|value| parse_retry_after(&value, unix_ms()));
    error.response = Some(result_object(request, received, attempts, duration_ms));
    (Failure::Status(status), error)
}

/// A FetchResult: `{ id?, url, status, statusText, ok, headers, data, attempts, duration }`.
fn result_object(
    request: &PreparedRequest,
    received: &Received,
    attempts: u32,
    duration_ms: f64,
) -> JsValue {
    let response = &received.response;
    let result = Object::new();
    if let Some(id) = &request.label.id {
        set(&result, "id", &id.as_str().into());
    }
    set(&result, "url", &request.label.url.as_str().into());
    set(&result, "status", &response.status().into());
    set(&result, "statusText", &response.status_text().into());
    set(&result, "ok", &response.ok().into());
    set(&result, "headers", &header_record(response));
    set(&result, "data", &received.data);
    set(&result, "attempts", &attempts.into());
    set(&result, "duration", &duration_ms.into());
    result.into()
}
