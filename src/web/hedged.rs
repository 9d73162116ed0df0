//! Hedged attempts: after `hedge.delay` without an answer, another attempt joins the first
//! (while the retry budget allows), up to `hedge.max`; the first success wins and dropping the
//! others aborts them. A failed attempt does not end the group while another is in flight. The
//! decisions (which requests may hedge, when the next is due) are `policy::hedge`'s.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

use super::attempt::{self, AttemptError, Attempted};
use super::globals::now_ms;
use super::group::{Group, LocalBoxFuture};
use super::request::RequestContext;
use super::timer::sleep;
use crate::policy::hedge::{may_hedge, next_hedge_in_ms, HedgeProgress};

/// One attempt's number and outcome.
pub(crate) type Numbered = (u32, Result<Attempted, AttemptError>);

/// Runs attempt `first` of the request, hedged if its options ask and its method allows; gives
/// the attempt that decides (the first success, else the last failure). `now` is when the
/// first attempt starts.
pub(crate) async fn run(cx: RequestContext<'_>, first: u32, now: f64) -> Numbered {
    let request = cx.request;
    let config = request.options.hedge.filter(|_| {
        may_hedge(
            &request.options.method,
            &request.options.retry.methods,
            request.body_replayable,
        )
    });
    let start = |n: u32, hedge: bool, now: f64| -> LocalBoxFuture<'_, Numbered> {
        let limit = cx.deadline.attempt_limit(now, request.options.timeout_ms);
        Box::pin(async move {
            let outcome =
                attempt::run(request, cx.client, cx.response_type, limit, now, n, hedge).await;
            (n, outcome)
        })
    };
    let Some(config) = config else {
        return start(first, false, now).await;
    };
    let url = request.label.url.as_str();
    let mut running = Group::new();
    running.push(start(first, false, now));
    let mut in_flight = vec![first];
    let mut progress = HedgeProgress {
        in_flight: 1,
        hedges_sent: 0,
        last_start_ms: now,
    };
    loop {
        let due = next_hedge_in_ms(&config, &progress, now_ms());
        let finished = match due {
            Some(ms) => {
                let mut timer = sleep(ms);
                poll_fn(|cx| match running.poll_next(cx) {
                    Poll::Ready(finished) => Poll::Ready(finished),
                    Poll::Pending => Pin::new(&mut timer).poll(cx).map(|()| None),
                })
                .await
            }
            None => running.next().await,
        };
        match finished {
            Some((n, outcome)) => {
                progress.in_flight -= 1;
                in_flight.retain(|&r| r != n);
                let won = matches!(&outcome, Ok(a) if a.received.ok());
                if won || running.is_empty() {
                    // Returning drops the others, which aborts their fetches.
                    for &lost in &in_flight {
                        cx.events.emit("attemptEnd", cx.index, lost, url, |e| {
                            e.with("ok", false).with("error", "AbortError")
                        });
                    }
                    return (n, outcome);
                }
                // A failed attempt while another is in flight: the others may still win.
                cx.events.emit("attemptEnd", cx.index, n, url, |e| {
                    let e = e.with("ok", false);
                    match &outcome {
                        Ok(a) => e
                            .with("status", a.received.status)
                            .with("error", "HttpError"),
                        Err(AttemptError::Timeout { .. }) => e.with("error", "TimeoutError"),
                        Err(AttemptError::Parse { .. }) => e.with("error", "ParseError"),
                        Err(_) => e.with("error", "NetworkError"),
                    }
                });
            }
            None if due.is_some() => {
                let now = now_ms();
                if !cx.client.withdraw(&request.origin, now) {
                    cx.events
                        .emit("budgetExhausted", cx.index, first, url, |e| {
                            e.with("origin", request.origin.as_str())
                        });
                    progress.hedges_sent = config.max;
                    continue;
                }
                let n = cx.progress.attempts.get() + 1;
                cx.progress.attempts.set(n);
                progress.hedges_sent += 1;
                progress.in_flight += 1;
                progress.last_start_ms = now;
                cx.client.count_hedge(&request.origin);
                cx.events.emit("hedgeStart", cx.index, n, url, |e| e);
                cx.events.emit("attemptStart", cx.index, n, url, |e| e);
                in_flight.push(n);
                running.push(start(n, true, now));
            }
            // Nothing in flight and no hedge due: cannot happen, as the group returns when its
            // last attempt finishes; answered rather than assumed.
            None => {
                let cause = wasm_bindgen::JsValue::from_str("no attempt in flight");
                return (first, Err(AttemptError::Network { cause }));
            }
        }
    }
}
