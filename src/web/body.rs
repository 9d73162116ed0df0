//! Reading a response: the body as `responseType` asks, and the headers as a plain record.

use js_sys::{JsString, Object, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use super::attempt::AttemptError;
use super::globals::json_parse;
use crate::policy::options::ResponseType;

/// Reads the body. For a successful response an unparseable JSON body is a ParseError; for an
/// error response it falls back to the text, so the HttpError still carries what was said.
pub(crate) async fn read(
    response: &Response,
    response_type: ResponseType,
    method: &str,
) -> Result<JsValue, AttemptError> {
    let status = response.status();
    let bodiless = status == 204 || status == 205 || method == "HEAD";
    let wants_json = match response_type {
        ResponseType::Json => true,
        ResponseType::Auto => is_json(response),
        ResponseType::Text => false,
        ResponseType::ArrayBuffer => return settle(response.array_buffer()).await,
        ResponseType::Blob => return settle(response.blob()).await,
    };
    if bodiless && response_type != ResponseType::Text {
        return Ok(JsValue::NULL);
    }
    // The body stays a JS string: it is never copied into wasm memory and back.
    let text: JsString = settle(response.text()).await?.unchecked_into();
    if !wants_json {
        return Ok(text.into());
    }
    if text.trim().length() == 0 {
        return Ok(JsValue::NULL);
    }
    match json_parse(&text) {
        Ok(value) => Ok(value),
        Err(_) if !response.ok() => Ok(text.into()),
        Err(syntax_error) => Err(AttemptError::Parse {
            cause: syntax_error,
        }),
    }
}

fn is_json(response: &Response) -> bool {
    let content_type = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    // Bytewise, so no Unicode case tables end up in the wasm.
    content_type
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"json"))
}

async fn settle(body: Result<Promise, JsValue>) -> Result<JsValue, AttemptError> {
    let promise = body.map_err(|cause| AttemptError::Network { cause })?;
    JsFuture::from(promise)
        .await
        .map_err(|cause| AttemptError::Network { cause })
}

/// The response headers as `{ name: value }`, names lower-case (as `Headers` iterates them),
/// built by `Object.fromEntries` in one call rather than an entry at a time.
pub(crate) fn header_record(response: &Response) -> JsValue {
    Object::from_entries(&response.headers()).map_or_else(|_| Object::new().into(), Into::into)
}
