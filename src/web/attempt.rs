//! One attempt: send the request with a fresh AbortController and a fresh timeout, and read the
//! body within that same timeout. Dropping the attempt aborts it.

use futures::future::{select, Either};
use futures::pin_mut;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, Response};

use super::abort::AbortGuard;
use super::body::{self, BodyError};
use super::globals::{fetch_with_init, set};
use super::prepare::PreparedRequest;
use super::result::Received;
use crate::policy::deadline::AttemptLimit;
use crate::policy::options::{timer_millis, ResponseType};

/// Why an attempt produced no readable response.
#[derive(Debug)]
pub(crate) enum AttemptError {
    /// The attempt's timer fired first.
    Timeout { after_ms: f64, by_deadline: bool },
    /// fetch or the body read rejected.
    Network { cause: JsValue },
    /// A successful response's body was not valid JSON.
    Parse { cause: JsValue },
}

/// Runs one attempt within `limit`.
pub(crate) async fn run(
    request: &PreparedRequest,
    response_type: ResponseType,
    limit: AttemptLimit,
) -> Result<Received, AttemptError> {
    let mut guard = AbortGuard::new().map_err(|cause| AttemptError::Network { cause })?;
    let exchange = exchange(request, response_type, guard.signal());
    let Some(after_ms) = limit.timeout_ms else {
        let finished = exchange.await;
        guard.disarm();
        return finished;
    };
    let timer = TimeoutFuture::new(timer_millis(after_ms));
    pin_mut!(exchange);
    match select(exchange, timer).await {
        Either::Left((finished, _)) => {
            guard.disarm();
            finished
        }
        // The guard stays armed: dropping it aborts the exchange still in flight.
        Either::Right(_) => Err(AttemptError::Timeout {
            after_ms,
            by_deadline: limit.by_deadline,
        }),
    }
}

async fn exchange(
    request: &PreparedRequest,
    response_type: ResponseType,
    signal: AbortSignal,
) -> Result<Received, AttemptError> {
    let init = RequestInit::new();
    init.set_method(&request.options.method);
    if let Some(headers) = &request.headers {
        init.set_headers(headers);
    }
    if let Some(body) = &request.body {
        init.set_body(body);
        if !request.body_replayable {
            // fetch requires half-duplex for a stream body.
            set(&init, "duplex", &"half".into());
        }
    }
    init.set_signal(Some(&signal));
    let network = |cause| AttemptError::Network { cause };
    let promise = fetch_with_init(&request.label.url, &init).map_err(network)?;
    let response: Response = JsFuture::from(promise)
        .await
        .map_err(network)?
        .unchecked_into();
    let data = body::read(&response, response_type, &request.options.method)
        .await
        .map_err(|e| match e {
            BodyError::Network(cause) => AttemptError::Network { cause },
            BodyError::Parse(cause) => AttemptError::Parse { cause },
        })?;
    Ok(Received { response, data })
}
