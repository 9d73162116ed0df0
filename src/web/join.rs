//! Runs a call's requests together: at most `concurrency` in flight, every result in input
//! order. In fail-fast mode the first final failure ends the call; a user abort ends it in
//! either mode. Ending the call drops the requests still running, and dropping is what aborts
//! their fetches and clears their retry timers.

use std::cell::Cell;

use futures::future::{select, Either};
use futures::stream::{FuturesUnordered, StreamExt};
use wasm_bindgen::JsValue;

use super::abort::SignalWatch;
use super::error::{AbortCause, ErrorKind, FetchError};
use super::events::AbortedBy;
use super::globals::now_ms;
use super::outcome::Outcome;
use super::prepare::PreparedCall;
use super::request;
use crate::policy::deadline::Deadline;

/// Runs every request of `call` and gathers the outcome.
pub(crate) async fn run(call: &PreparedCall, fail_fast: bool) -> Outcome {
    let n = call.requests.len();
    let attempts: Vec<Cell<u32>> = (0..n).map(|_| Cell::new(0)).collect();
    let mut slots: Vec<Option<Result<JsValue, FetchError>>> = (0..n).map(|_| None).collect();
    let mut first_failure = None;
    let mut stop = None;
    let mut abort_reason = JsValue::UNDEFINED;
    if let Some(signal) = call.signal.as_ref().filter(|s| s.aborted()) {
        stop = Some(AbortCause::User);
        abort_reason = signal.reason();
    } else {
        let deadline = Deadline::starting_at(now_ms(), call.options.total_timeout_ms);
        let response_type = call.options.response_type;
        let start = |i: usize| {
            let (request, progress) = (&call.requests[i], &attempts[i]);
            async move {
                let result =
                    request::run(i, request, response_type, deadline, &call.events, progress).await;
                (i, result)
            }
        };
        let limit = call.options.concurrency.unwrap_or(n).min(n);
        let mut running: FuturesUnordered<_> = (0..limit).map(start).collect();
        let mut next = limit;
        let mut user_abort = SignalWatch::new(call.signal.as_ref());
        loop {
            match select(running.next(), &mut user_abort).await {
                Either::Left((None, _)) => break,
                Either::Left((Some((i, result)), _)) => {
                    let failed = result.is_err();
                    slots[i] = Some(result);
                    if failed && first_failure.is_none() {
                        first_failure = Some(i);
                        if fail_fast {
                            stop = Some(AbortCause::FailFast { failed: i });
                            call.events.cancel(AbortedBy::FailFast);
                            break;
                        }
                    }
                    if next < n {
                        running.push(start(next));
                        next += 1;
                    }
                }
                Either::Right((reason, _)) => {
                    stop = Some(AbortCause::User);
                    abort_reason = reason;
                    call.events.cancel(AbortedBy::User);
                    break;
                }
            }
        }
    }
    let cause = stop.unwrap_or(AbortCause::User);
    let entries: Vec<Result<JsValue, JsValue>> = slots
        .into_iter()
        .enumerate()
        .map(|(i, slot)| match slot {
            Some(Ok(value)) => Ok(value),
            Some(Err(error)) => Err(error.to_js()),
            None => {
                let kind = ErrorKind::Abort(cause.clone());
                let mut error =
                    FetchError::new(kind, call.requests[i].label.clone(), attempts[i].get());
                if cause == AbortCause::User && !abort_reason.is_undefined() {
                    error.cause = Some(abort_reason.clone());
                }
                Err(error.to_js())
            }
        })
        .collect();
    let first_failure = first_failure.or_else(|| entries.iter().position(Result::is_err));
    Outcome {
        entries,
        first_failure,
    }
}
