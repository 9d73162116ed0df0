//! Turns `(requests, options)` into a [`PreparedCall`]: the core validates what it can, and
//! this layer checks what only JS can (URLs, headers, JSON bodies, the signal) and builds the
//! parts every attempt reuses. Nothing here touches the network.

use std::rc::Rc;

use js_sys::{Array, Function};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, Headers, Url};

use super::error::RequestLabel;
use super::events::Events;
use super::globals::{base_url, get};
use super::raw_from_js::{raw, raw_with_opaque};
use crate::policy::options::{CallOptions, RequestOptions};
use crate::policy::raw::{FieldPath, InputError, Raw};
use crate::policy::text::quoted;
use crate::policy::validate;

const OPTION_OPAQUE: &[&str] = &["signal", "headers", "onEvent"];
const REQUEST_OPAQUE: &[&str] = &["headers", "body", "json"];

/// A validated call, ready to run.
#[derive(Debug)]
pub(crate) struct PreparedCall {
    pub options: CallOptions,
    pub requests: Vec<PreparedRequest>,
    pub signal: Option<AbortSignal>,
    pub events: Events,
}

/// One validated request with the JS parts every attempt sends.
#[derive(Debug)]
pub(crate) struct PreparedRequest {
    pub options: RequestOptions,
    pub label: Rc<RequestLabel>,
    pub headers: Option<Headers>,
    pub body: Option<JsValue>,
    /// False for a ReadableStream body, which fetch consumes.
    pub body_replayable: bool,
}

/// Validates and prepares a call. Every failure names the field it is about.
pub(crate) fn prepare(requests: &JsValue, options: &JsValue) -> Result<PreparedCall, InputError> {
    let raw_options = raw_with_opaque(options, OPTION_OPAQUE);
    let call = validate::call_options(&raw_options)?;
    let root = FieldPath::Root("options");
    let signal = match get_opaque(options, &raw_options, "signal") {
        None => None,
        Some(s) => Some(s.dyn_into::<AbortSignal>().map_err(|v| {
            InputError::wrong_type(&root.key("signal"), "an AbortSignal", &raw(&v))
        })?),
    };
    let on_event =
        match get_opaque(options, &raw_options, "onEvent") {
            None => None,
            Some(f) => Some(f.dyn_into::<Function>().map_err(|v| {
                InputError::wrong_type(&root.key("onEvent"), "a function", &raw(&v))
            })?),
        };
    let call_headers = match get_opaque(options, &raw_options, "headers") {
        None => None,
        Some(init) => Some(headers(&root.key("headers"), &init)?),
    };
    // `Array.isArray`, not `instanceof`: an array from another realm (an iframe) counts too.
    if !Array::is_array(requests) {
        return Err(InputError::wrong_type(
            &FieldPath::Root("requests"),
            "an array of URL strings or request objects",
            &raw(requests),
        ));
    }
    let list: &Array = requests.unchecked_ref();
    let base = base_url();
    let prepared = list
        .iter()
        .enumerate()
        .map(|(i, item)| request(i, &item, &call, call_headers.as_ref(), base.as_deref()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PreparedCall {
        options: call,
        requests: prepared,
        signal,
        events: Events::new(on_event),
    })
}

fn request(
    index: usize,
    item: &JsValue,
    call: &CallOptions,
    call_headers: Option<&Headers>,
    base: Option<&str>,
) -> Result<PreparedRequest, InputError> {
    let spec = raw_with_opaque(item, REQUEST_OPAQUE);
    let options = validate::request(index, &spec, call)?;
    let root = FieldPath::Root("requests");
    let path = root.index(index);
    let url = resolve(&path.key("url"), &options.url, base)?;
    let own_headers = match get_opaque(item, &spec, "headers") {
        None => None,
        Some(init) => Some(headers(&path.key("headers"), &init)?),
    };
    let mut headers = merge(call_headers, own_headers.as_ref());
    let (body, body_replayable) = match (
        get_opaque(item, &spec, "body"),
        get_opaque(item, &spec, "json"),
    ) {
        (Some(body), _) => {
            let is_stream = get(&body, "getReader").is_function();
            (Some(body), !is_stream)
        }
        (None, Some(value)) => {
            let text = js_sys::JSON::stringify(&value)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| {
                    InputError::type_error(format!("{path}.json cannot be serialized to JSON"))
                })?;
            // A copy: the call's headers may be shared with the other requests.
            headers = match &headers {
                Some(shared) => Headers::new_with_headers(shared).ok(),
                None => Headers::new().ok(),
            };
            if let Some(h) = headers
                .as_ref()
                .filter(|h| !h.has("content-type").unwrap_or(true))
            {
                let _ = h.set("content-type", "application/json");
            }
            (Some(JsValue::from(text)), true)
        }
        (None, None) => (None, true),
    };
    let label = Rc::new(RequestLabel {
        id: options.id.clone(),
        method: options.method.clone(),
        url,
    });
    Ok(PreparedRequest {
        options,
        label,
        headers,
        body,
        body_replayable,
    })
}

/// The JS value of an opaque field the core saw as present.
fn get_opaque(object: &JsValue, raw: &Raw, key: &str) -> Option<JsValue> {
    matches!(raw.get(key), Raw::Opaque).then(|| get(object, key))
}

/// Resolves `url` against the page, as fetch would.
fn resolve(path: &FieldPath, url: &str, base: Option<&str>) -> Result<String, InputError> {
    let parsed = match base {
        Some(base) => Url::new_with_base(url, base),
        None => Url::new(url),
    };
    parsed.map(|u| u.href()).map_err(|_| {
        let hint = if base.is_none() {
            " (there is no page to resolve a relative URL against)"
        } else {
            ""
        };
        InputError::type_error(format!("{path} is not a valid URL: {}{hint}", quoted(url)))
    })
}

/// `new Headers(init)`, with the browser's complaint about a bad name or value passed on.
fn headers(path: &FieldPath, init: &JsValue) -> Result<Headers, InputError> {
    Headers::new_with_str_sequence_sequence(init).map_err(|e| {
        let why = get(&e, "message")
            .as_string()
            .unwrap_or_else(|| "invalid headers".into());
        InputError::type_error(format!("{path} is not valid: {why}"))
    })
}

/// The call's headers with the request's own on top.
fn merge(call: Option<&Headers>, own: Option<&Headers>) -> Option<Headers> {
    match (call, own) {
        (None, None) => None,
        (Some(call), None) => Some(call.clone()),
        (None, Some(own)) => Some(own.clone()),
        (Some(call), Some(own)) => {
            let merged = Headers::new_with_headers(call).ok()?;
            for entry in own.entries() {
                let Ok(pair) = entry else { continue };
                let pair: &Array = pair.unchecked_ref();
                if let (Some(name), Some(value)) =
                    (pair.get(0).as_string(), pair.get(1).as_string())
                {
                    let _ = merged.set(&name, &value);
                }
            }
            Some(merged)
        }
    }
}
