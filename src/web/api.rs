//! The exported functions. Each returns a promise and never throws synchronously: bad input
//! is a rejected promise with a TypeError or RangeError naming the field.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::client::{default_client, ClientState};
use super::debounce;
use super::error::input_error_to_js;
use super::executor::promise_of;
use super::join;
use super::outcome::Mode;
use super::prepare::{prepare, Requests};

/// Runs every request at once and resolves with their results in input order, or rejects with
/// the first failure, which aborts every sibling still in flight or waiting to retry.
///
/// Each attempt has its own timeout (`timeout`, default 10000 ms); `totalTimeout` (ms) bounds
/// the whole call. Failed attempts are retried only where it is safe: idempotent methods and
/// transient failures (408, 425, 429, 500, 502, 503, 504, network errors and timeouts), up to
/// `retry.limit` times (default 2) with exponential backoff and full jitter (base 300 ms, cap
/// 10000 ms), honouring Retry-After. Errors are `Error`s named HttpError, TimeoutError,
/// NetworkError, AbortError or ParseError, with `url`, `method`, `attempts`, and `status`,
/// `response`, `retryAfter`, `cause` where they apply. Invalid input rejects with a TypeError
/// or RangeError naming the field; nothing throws synchronously.
///
/// @example
/// const [me, job] = await parallelFetch(['/api/me', '/api/me/job'], { timeout: 3000 });
#[wasm_bindgen(
    js_name = parallelFetch,
    unchecked_return_type = "Promise<FetchResult[]>",
    return_description = "The results, in the order of `requests`; or the first FetchError."
)]
pub fn parallel_fetch(
    #[wasm_bindgen(
        unchecked_param_type = "ReadonlyArray<string | URL | RequestSpec>",
        param_description = "URL strings, URLs or request objects."
    )]
    requests: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "FetchOptions",
        param_description = "Timeouts, retries, signal, headers, concurrency, body reading, debouncing, events."
    )]
    options: Option<JsValue>,
) -> Promise {
    start(
        default_client(),
        requests,
        options.unwrap_or(JsValue::UNDEFINED),
        Mode::AllOrNothing,
    )
}

/// Runs every request at once and resolves with every outcome, in the shape of
/// `Promise.allSettled`: `{ status: 'fulfilled', value }` or `{ status: 'rejected', reason }`,
/// in input order. It rejects only for invalid input (a TypeError or RangeError naming the
/// field). Timeouts, retries, the deadline and the signal work as in `parallelFetch`, but one
/// failure does not stop the others.
///
/// @example
/// const [payment, stock] = await settledFetch([
///   { url: '/api/pay', method: 'POST', json: order },
///   { url: '/api/reserve', method: 'POST', json: order },
/// ]);
/// if (payment.status === 'rejected') console.warn(payment.reason.name);
#[wasm_bindgen(
    js_name = settledFetch,
    unchecked_return_type = "Promise<SettledResult[]>",
    return_description = "One entry per request, in the order of `requests`."
)]
pub fn settled_fetch(
    #[wasm_bindgen(
        unchecked_param_type = "ReadonlyArray<string | URL | RequestSpec>",
        param_description = "URL strings, URLs or request objects."
    )]
    requests: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "FetchOptions",
        param_description = "As for `parallelFetch`."
    )]
    options: Option<JsValue>,
) -> Promise {
    start(
        default_client(),
        requests,
        options.unwrap_or(JsValue::UNDEFINED),
        Mode::Settled,
    )
}

/// Runs one request and resolves with its result, or rejects with its FetchError. Options as
/// for `parallelFetch`.
///
/// @example
/// const me = await fetchOne('/api/me', { timeout: 3000 });
#[wasm_bindgen(
    js_name = fetchOne,
    unchecked_return_type = "Promise<FetchResult>",
    return_description = "The result; or the FetchError that ended the request."
)]
pub fn fetch_one(
    #[wasm_bindgen(
        unchecked_param_type = "string | URL | RequestSpec",
        param_description = "A URL string, a URL or a request object."
    )]
    request: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "FetchOptions",
        param_description = "As for `parallelFetch`."
    )]
    options: Option<JsValue>,
) -> Promise {
    start_one(
        default_client(),
        request,
        options.unwrap_or(JsValue::UNDEFINED),
    )
}

/// `fetchOne` through `client`: the request as a call of one.
pub(crate) fn start_one(client: Rc<ClientState>, request: JsValue, options: JsValue) -> Promise {
    start(client, request, options, Mode::One)
}

/// Prepares and runs a call through `client`, in the shape `mode` asks for.
pub(crate) fn start(
    client: Rc<ClientState>,
    requests: JsValue,
    options: JsValue,
    mode: Mode,
) -> Promise {
    let requests = match mode {
        Mode::One => Requests::One(&requests),
        _ => Requests::List(&requests),
    };
    let call = match prepare(client, requests, &options) {
        Ok(call) => Rc::new(call),
        Err(error) => return Promise::reject(&input_error_to_js(&error)),
    };
    let already_aborted = call.signal.as_ref().is_some_and(|s| s.is_aborted());
    match call.options.debounce.clone() {
        // An aborted call settles at once and leaves its key alone.
        Some(options) if !already_aborted => debounce::submit(&options, call, mode),
        _ => promise_of(async move { join::run(&call, mode.fail_fast()).await.shaped(mode) }),
    }
}
