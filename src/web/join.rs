//! Runs a call's requests together, every result in input order. Each request waits for a slot
//! under `concurrency` before each attempt and gives it back after, so a request sleeping before
//! a retry holds none. In fail-fast mode the first final failure ends the call; a user abort
//! ends it in either mode. Ending the call drops the requests still running, and dropping is
//! what aborts their fetches and clears their timers; each request's [`Ending`] reports how it
//! ended, exactly once.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

use wasm_bindgen::JsValue;

use super::abort::SignalWatch;
use super::ending::{Ending, Progress};
use super::error::{AbortCause, ErrorKind, FetchError};
use super::globals::now_ms;
use super::group::Group;
use super::limiter::Limiter;
use super::outcome::Outcome;
use super::prepare::PreparedCall;
use super::request::{self, RequestContext};
use crate::policy::deadline::Deadline;

/// Runs every request of `call` and gathers the outcome.
pub(crate) async fn run(call: &PreparedCall, fail_fast: bool) -> Outcome {
    let n = call.requests.len();
    let progress: Vec<Progress> = (0..n).map(|_| Progress::default()).collect();
    // Each request of a call reports its ending once, however often the call is run.
    let first_run = !call.reported.replace(true);
    let mut endings: Vec<Ending<'_>> = (0..n)
        .map(|i| {
            let url = call.requests[i].label.url.as_str();
            if first_run {
                Ending::new(&call.events, i, url, &progress[i])
            } else {
                Ending::reported(&call.events, i, url, &progress[i])
            }
        })
        .collect();
    let mut slots: Vec<Option<Result<JsValue, FetchError>>> = (0..n).map(|_| None).collect();
    let mut first_failure = None;
    let mut stop = None;
    let mut abort_reason = JsValue::UNDEFINED;
    if let Some(signal) = call.signal.as_ref().filter(|s| s.is_aborted()) {
        stop = Some(AbortCause::User);
        abort_reason = signal.abort_reason();
    } else {
        let deadline = Deadline::starting_at(now_ms(), call.options.total_timeout_ms);
        let limiter = call
            .options
            .concurrency
            .filter(|&limit| limit < n)
            .map(Limiter::new);
        let start = |i: usize| {
            let cx = RequestContext {
                index: i,
                request: &call.requests[i],
                response_type: call.options.response_type,
                deadline,
                events: &call.events,
                progress: &progress[i],
                limiter: limiter.as_ref(),
                client: &call.client,
            };
            let run: Pin<Box<dyn Future<Output = _>>> =
                Box::pin(async move { (i, request::run(cx).await) });
            run
        };
        let mut running: Group<'_, _> = (0..n).map(start).collect();
        let mut user_abort = SignalWatch::new(call.signal.as_ref());
        loop {
            let next = poll_fn(|cx| match Pin::new(&mut user_abort).poll(cx) {
                Poll::Ready(reason) => Poll::Ready(Err(reason)),
                Poll::Pending => running.poll_next(cx).map(Ok),
            });
            match next.await {
                Ok(None) => break,
                Ok(Some((i, result))) => {
                    endings[i].settle(&result);
                    let failed = result.is_err();
                    slots[i] = Some(result);
                    if failed && first_failure.is_none() {
                        first_failure = Some(i);
                        if fail_fast {
                            stop = Some(AbortCause::FailFast { failed: i });
                            break;
                        }
                    }
                }
                Err(reason) => {
                    stop = Some(AbortCause::User);
                    abort_reason = reason;
                    break;
                }
            }
        }
        // Dropping what still runs aborts its fetches and clears its timers.
        drop(running);
    }
    let cause = stop.unwrap_or(AbortCause::User);
    let entries: Vec<Result<JsValue, JsValue>> = slots
        .into_iter()
        .enumerate()
        .map(|(i, slot)| match slot {
            Some(Ok(value)) => Ok(value),
            Some(Err(error)) => Err(error.to_js()),
            None => {
                endings[i].abort(cause);
                let kind = ErrorKind::Abort(cause);
                let attempts = progress[i].attempts.get();
                let mut error = FetchError::new(kind, call.requests[i].label.clone(), attempts);
                if cause == AbortCause::User && !abort_reason.is_undefined() {
                    error.cause = Some(abort_reason.clone());
                }
                Err(error.to_js())
            }
        })
        .collect();
    debug_assert!(endings.iter().all(|e| !e.is_armed()));
    drop(endings);
    let first_failure = first_failure.or_else(|| entries.iter().position(Result::is_err));
    Outcome {
        entries,
        first_failure,
    }
}
