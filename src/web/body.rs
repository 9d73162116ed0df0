//! Reading a response body as `responseType` asks. It has its own error, so the attempt that
//! calls it and the module that builds results both depend on it, and it on neither.

use js_sys::{JsString, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use super::guard;
use crate::policy::mime::is_json_mime;
use crate::policy::options::ResponseType;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The stream failed (a reset connection, an abort).
    Network(JsValue),
    /// A successful response's body was not valid JSON: the SyntaxError.
    Parse(JsValue),
}

/// Reads the body. For a successful response an unparseable JSON body is a ParseError; for an
/// error response it falls back to the text, so the HttpError still carries what was said.
pub(crate) async fn read(
    response: &Response,
    response_type: ResponseType,
    method: &str,
) -> Result<JsValue, BodyError> {
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
    match guard::json_parse(&text) {
        Ok(value) => Ok(value),
        Err(_) if !response.ok() => Ok(text.into()),
        Err(syntax_error) => Err(BodyError::Parse(syntax_error)),
    }
}

fn is_json(response: &Response) -> bool {
    let content_type = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    is_json_mime(&content_type)
}

async fn settle(body: Result<Promise, JsValue>) -> Result<JsValue, BodyError> {
    JsFuture::from(body.map_err(BodyError::Network)?)
        .await
        .map_err(BodyError::Network)
}
