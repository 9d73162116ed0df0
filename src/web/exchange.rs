//! One attempt's fetch in one crossing (`exchange.js`): the init object, fetch with its own
//! controller, and the body read by `responseType`; its end comes back through
//! [`super::settle`]. Dropping the [`Sent`] exchange before it finishes aborts the fetch:
//! cancellation stays Drop.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Headers;

use super::attempt::AttemptError;
use super::prepare::PreparedRequest;
use super::settle::Settling;
use crate::policy::options::ResponseType;

#[wasm_bindgen(module = "/src/web/exchange.js")]
extern "C" {
    /// What an exchange resolves with: `{ response, data, code }`.
    #[derive(Debug, Clone)]
    pub(crate) type Exchanged;

    /// The status, plus `RATE_LIMIT_HINT` when a header may concern rate limits.
    #[wasm_bindgen(method, getter)]
    fn code(this: &Exchanged) -> u32;

    /// Starts an exchange; JS reports its end through `super::settle` under `index` and
    /// `generation`. Returns what `abortSend` takes.
    #[allow(clippy::too_many_arguments)]
    fn send(
        url: &JsValue,
        method: &JsValue,
        init: &JsValue,
        headers: Option<&Headers>,
        body: &JsValue,
        duplex: bool,
        hedge: bool,
        response_type: u8,
        index: u32,
        generation: u32,
    ) -> JsValue;

    #[wasm_bindgen(js_name = abortSend)]
    fn abort_send(controller: &JsValue);

    #[wasm_bindgen(js_name = parseCause)]
    fn parse_cause(rejection: &JsValue) -> JsValue;

    #[wasm_bindgen(js_name = result)]
    fn result(received: &Exchanged, id: &JsValue, url: &JsValue, attempts: u32, ms: f64)
        -> JsValue;

    #[wasm_bindgen(js_name = header)]
    fn header(received: &Exchanged, name: &str) -> JsValue;

    #[wasm_bindgen(js_name = responseHeaders)]
    fn response_headers(received: &Exchanged) -> Headers;

    #[wasm_bindgen(js_name = statusText)]
    fn status_text(received: &Exchanged) -> JsValue;
}

const RATE_LIMIT_HINT: u32 = 0x10000;

/// A response whose body has been read, whatever its status.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    exchanged: Exchanged,
    /// Read once: every decision about the attempt looks at it.
    pub status: u16,
    /// Whether it is a 429 or has one of `policy::ratelimit::HEADERS`: only then can the
    /// rate-limit policy find anything in it, so only then are its headers read.
    pub may_rate_limit: bool,
}

impl Received {
    /// Whether the status is 2xx (fetch's `Response.ok`).
    pub(crate) fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A response header's value.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        header(&self.exchanged, name).as_string()
    }

    /// The response's `Headers`.
    pub(crate) fn headers(&self) -> Headers {
        response_headers(&self.exchanged)
    }

    /// The status text.
    pub(crate) fn status_text(&self) -> String {
        status_text(&self.exchanged).as_string().unwrap_or_default()
    }

    /// The FetchResult of this response for one request (built in JS, in one call).
    pub(crate) fn result(
        &self,
        request: &PreparedRequest,
        attempts: u32,
        duration_ms: f64,
    ) -> JsValue {
        result(
            &self.exchanged,
            &request.js_id,
            &request.js_url,
            attempts,
            duration_ms,
        )
    }
}

/// What one fetch sends, owned, so that identical requests of any call can share it.
#[derive(Debug)]
pub(crate) struct Outgoing {
    url: JsValue,
    method: JsValue,
    init: JsValue,
    headers: Option<Headers>,
    body: JsValue,
    stream_body: bool,
}

impl Outgoing {
    /// `request` with these headers (a hook's copy, or the request's own).
    pub(crate) fn new(request: &PreparedRequest, headers: Option<Headers>) -> Self {
        Outgoing {
            url: request.js_url.clone(),
            method: request.js_method.clone(),
            init: request.init.clone(),
            headers,
            body: request.body.clone().unwrap_or(JsValue::UNDEFINED),
            stream_body: !request.body_replayable,
        }
    }
}

/// Sends it, and reads the body as `response_type` asks: a rejection is a network failure
/// (an abort included), or a ParseError for a successful response whose JSON is not.
pub(crate) async fn run(
    out: Outgoing,
    response_type: ResponseType,
    hedge: bool,
) -> Result<Received, AttemptError> {
    let settling = Settling::new();
    let key = settling.key();
    let controller = send(
        &out.url,
        &out.method,
        &out.init,
        out.headers.as_ref(),
        &out.body,
        out.stream_body,
        hedge,
        response_type as u8,
        key.index,
        key.generation,
    );
    drop(out);
    let settled = Sent {
        settling,
        controller,
    }
    .await;
    match settled {
        Ok(value) => {
            let exchanged: Exchanged = value.unchecked_into();
            let code = exchanged.code();
            Ok(Received {
                exchanged,
                status: (code & 0xffff) as u16,
                may_rate_limit: code & RATE_LIMIT_HINT != 0,
            })
        }
        Err(rejection) => {
            let cause = parse_cause(&rejection);
            if cause.is_undefined() {
                Err(AttemptError::Network { cause: rejection })
            } else {
                Err(AttemptError::Parse { cause })
            }
        }
    }
}

/// An exchange in flight, aborted when dropped before it finished.
struct Sent {
    settling: Settling,
    controller: JsValue,
}

impl Future for Sent {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.settling).poll(cx)
    }
}

impl Drop for Sent {
    fn drop(&mut self) {
        if !self.settling.is_done() {
            abort_send(&self.controller);
        }
    }
}
