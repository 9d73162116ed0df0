//! One attempt: the client's `beforeRequest` hook, then the exchange (a fresh AbortController,
//! fetch, the body read), or a share of an identical exchange already in flight, then the
//! `afterResponse` hook; all within one timeout. Dropping the attempt aborts it; a shared
//! exchange is aborted when its last subscriber drops it.

use js_sys::Object;
use wasm_bindgen::JsValue;
use web_sys::Headers;

use super::client::ClientState;
use super::exchange::{self, Outgoing, Received};
use super::globals::set;
use super::group::LocalBoxFuture;
use super::guard;
use super::prepare::PreparedRequest;
use super::race::{race, Either};
use super::settle;
use super::shared::Shared;
use super::timer::sleep_from;
use crate::policy::client::{dedupe_key, may_dedupe};
use crate::policy::deadline::AttemptLimit;
use crate::policy::fetch_init::InitValue;
use crate::policy::options::ResponseType;

/// Why an attempt produced no readable response.
#[derive(Debug, Clone)]
pub(crate) enum AttemptError {
    /// The attempt's timer fired first.
    Timeout { after_ms: f64, by_deadline: bool },
    /// fetch or the body read rejected.
    Network { cause: JsValue },
    /// A successful response's body was not valid JSON.
    Parse { cause: JsValue },
    /// A hook threw or rejected: the request fails with that as its cause, and is not retried.
    Hook { cause: JsValue },
}

/// A response, and whether the `afterResponse` hook asked for the attempt to be run again.
#[derive(Debug)]
pub(crate) struct Attempted {
    pub received: Received,
    pub retry_asked: bool,
    /// Whether it joined an identical exchange already in flight instead of sending its own.
    pub joined: bool,
}

/// Runs attempt number `attempt` of `request`, started at `now`, within `limit`. A `hedge`
/// never shares a fetch in flight, and bypasses the HTTP cache (whose lock would hold it until
/// the first attempt's headers arrive).
pub(crate) async fn run(
    request: &PreparedRequest,
    client: &ClientState,
    response_type: ResponseType,
    limit: AttemptLimit,
    now: f64,
    attempt: u32,
    hedge: bool,
) -> Result<Attempted, AttemptError> {
    let work = hooked(request, client, response_type, attempt, hedge);
    let Some(after_ms) = limit.timeout_ms else {
        return work.await;
    };
    match race(work, sleep_from(now, after_ms)).await {
        Either::Left(finished) => finished,
        // Dropping the work aborts the exchange still in flight (or leaves its share).
        Either::Right(_) => Err(AttemptError::Timeout {
            after_ms,
            by_deadline: limit.by_deadline,
        }),
    }
}

async fn hooked(
    request: &PreparedRequest,
    client: &ClientState,
    response_type: ResponseType,
    attempt: u32,
    hedge: bool,
) -> Result<Attempted, AttemptError> {
    let headers = match &client.before_request {
        None => request.headers.clone(),
        Some(hook) => {
            // A fresh copy each attempt, so a token the hook sets replaces the last one.
            let headers = match &request.headers {
                Some(h) => Headers::new_with_headers(h).ok(),
                None => Headers::new().ok(),
            };
            let info = hook_info(request, attempt);
            if let Some(h) = &headers {
                set(&info, "headers", h);
            }
            call_hook(hook, &info).await?;
            headers
        }
    };
    let (exchange, joined) = exchange_for(request, client, response_type, headers, attempt, hedge);
    let received = exchange.await?;
    let retry_asked = match &client.after_response {
        None => false,
        Some(hook) => {
            let info = hook_info(request, attempt);
            set(&info, "status", &received.status.into());
            set(&info, "headers", &received.headers());
            call_hook(hook, &info).await?.as_string().as_deref() == Some("retry")
        }
    };
    Ok(Attempted {
        received,
        retry_asked,
        joined,
    })
}

/// `{ url, method, attempt, id? }` for a hook.
fn hook_info(request: &PreparedRequest, attempt: u32) -> JsValue {
    let info = Object::new();
    set(&info, "url", &request.js_url);
    set(&info, "method", &request.js_method);
    set(&info, "attempt", &attempt.into());
    if !request.js_id.is_undefined() {
        set(&info, "id", &request.js_id);
    }
    info.into()
}

/// Calls a hook and awaits what it returns, if that is a promise.
async fn call_hook(hook: &js_sys::Function, info: &JsValue) -> Result<JsValue, AttemptError> {
    let returned = guard::call(hook, &JsValue::UNDEFINED, info)
        .map_err(|cause| AttemptError::Hook { cause })?;
    match guard::thenable(&returned) {
        None => Ok(returned),
        Some(promise) => settle::promise(&promise)
            .await
            .map_err(|cause| AttemptError::Hook { cause }),
    }
}

/// The exchange for this attempt: a share of an identical one in flight (then `true`), or a new
/// one (shared from now on, when it may be).
fn exchange_for(
    request: &PreparedRequest,
    client: &ClientState,
    response_type: ResponseType,
    headers: Option<Headers>,
    attempt: u32,
    hedge: bool,
) -> (
    LocalBoxFuture<'static, Result<Received, AttemptError>>,
    bool,
) {
    let method = request.options.method.as_str();
    let shareable =
        client.settings.dedupe && !hedge && may_dedupe(method) && request.body.is_none();
    let key = shareable.then(|| {
        let mut pairs = header_pairs(headers.as_ref());
        // fetch's own fields too: a credentialed fetch is not one an uncredentialed caller may
        // share. (A ':' cannot start a header name, so these never meet a real header.)
        for (name, value) in request.options.init.iter() {
            let value = match value {
                InitValue::Text(text) => text.clone(),
                InitValue::Bool(b) => if *b { "true" } else { "false" }.to_string(),
            };
            pairs.push((":".to_string() + name, value));
        }
        dedupe_key(
            method,
            &request.label.url,
            &pairs,
            response_type_name(response_type),
        )
    });
    if let Some(shared) = key.as_deref().and_then(|k| client.shared(k)) {
        client.count_deduped(&request.origin);
        return (Box::pin(shared), true);
    }
    client.count_sent(&request.origin, attempt > 1);
    let exchange: LocalBoxFuture<'static, _> = Box::pin(exchange::run(
        Outgoing::new(request, headers),
        response_type,
        hedge,
    ));
    let exchange = match key {
        Some(key) => {
            let shared = Shared::new(exchange);
            client.share(key, &shared);
            Box::pin(shared)
        }
        None => exchange,
    };
    (exchange, false)
}

fn header_pairs(headers: Option<&Headers>) -> Vec<(String, String)> {
    headers.map(super::headers::pairs).unwrap_or_default()
}

fn response_type_name(response_type: ResponseType) -> &'static str {
    ResponseType::NAMES
        .iter()
        .find(|(_, t)| *t == response_type)
        .map_or("auto", |(n, _)| n)
}
