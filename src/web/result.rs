//! What a finished exchange becomes: a FetchResult for a 2xx, an HttpError (carrying the same
//! result as its `response`) otherwise.

use js_sys::Object;
use wasm_bindgen::JsValue;
use web_sys::Response;

use super::error::{ErrorKind, FetchError, RequestLabel};
use super::globals::{set, unix_ms};
use crate::policy::retry_after::parse_retry_after;
use std::rc::Rc;

/// A response whose body has been read, whatever its status.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub response: Response,
    pub data: JsValue,
}

/// A FetchResult: `{ id?, url, finalUrl, redirected, status, statusText, ok, headers, data,
/// attempts, duration }`.
pub(crate) fn result_object(
    label: &RequestLabel,
    received: &Received,
    attempts: u32,
    duration_ms: f64,
) -> JsValue {
    let response = &received.response;
    let result = Object::new();
    if let Some(id) = &label.id {
        set(&result, "id", &id.as_str().into());
    }
    set(&result, "url", &label.url.as_str().into());
    // Response.url is "" for a response that no URL produced (never for fetch's own).
    let final_url = response.url();
    let final_url = if final_url.is_empty() {
        label.url.clone()
    } else {
        final_url
    };
    set(&result, "finalUrl", &final_url.into());
    set(&result, "redirected", &response.redirected().into());
    set(&result, "status", &response.status().into());
    set(&result, "statusText", &response.status_text().into());
    set(&result, "ok", &response.ok().into());
    set(&result, "headers", &header_record(response));
    set(&result, "data", &received.data);
    set(&result, "attempts", &attempts.into());
    set(&result, "duration", &duration_ms.into());
    result.into()
}

/// The HttpError of a non-2xx response, with its Retry-After read.
pub(crate) fn http_error(
    label: &Rc<RequestLabel>,
    received: &Received,
    attempts: u32,
    duration_ms: f64,
) -> FetchError {
    let response = &received.response;
    let kind = ErrorKind::Http {
        status: response.status(),
        status_text: response.status_text(),
    };
    let mut error = FetchError::new(kind, label.clone(), attempts);
    error.retry_after_ms = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|value| parse_retry_after(&value, unix_ms()));
    error.response = Some(result_object(label, received, attempts, duration_ms));
    error
}

/// The response headers as `{ name: value }`, names lower-case (as `Headers` iterates them),
/// built by `Object.fromEntries` in one call rather than an entry at a time.
fn header_record(response: &Response) -> JsValue {
    Object::from_entries(&response.headers()).map_or_else(|_| Object::new().into(), Into::into)
}
