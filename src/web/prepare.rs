//! Turns `(requests, options)` into a [`PreparedCall`]: the core validates what it can, and
//! this layer checks what only JS can (URLs, headers, bodies, the signal) and builds the parts
//! every attempt reuses. Whatever fetch itself would refuse is refused here, as a TypeError
//! naming the field, so it never turns into a NetworkError that is retried. Nothing here
//! touches the network, and nothing here can throw: every read of the caller's values catches.

use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Headers, Url};

use super::abort::Signal;
use super::client::ClientState;
use super::error::RequestLabel;
use super::events::Events;
use super::globals::{class_of, describe_thrown, set, try_get};
use super::guard;
use super::headers::merge;
use super::raw_from_js::{items, raw, raw_with_opaque};
use crate::policy::client::{join_base_url, wants_idempotency_key};
use crate::policy::fetch_init::{FetchInit, InitValue};
use crate::policy::options::{CallOptions, RequestOptions};
use crate::policy::raw::{FieldPath, InputError, Raw};
use crate::policy::text::{quoted, split_once_at};
use crate::policy::validate;

const OPTION_OPAQUE: &[&str] = &["signal", "headers", "onEvent"];
const REQUEST_OPAQUE: &[&str] = &["headers", "body", "json", "searchParams"];

/// A validated call, ready to run.
#[derive(Debug)]
pub(crate) struct PreparedCall {
    /// The client the call is made through.
    pub client: Rc<ClientState>,
    pub options: CallOptions,
    pub requests: Vec<PreparedRequest>,
    pub signal: Option<Signal>,
    pub events: Events,
    /// Set once the call's requests have reported their endings, so a second run of the same
    /// call (a debounced caller leaving after its run ended) reports nothing twice.
    pub reported: std::cell::Cell<bool>,
}

/// One validated request with the JS parts every attempt sends.
#[derive(Debug)]
pub(crate) struct PreparedRequest {
    pub options: RequestOptions,
    pub label: Rc<RequestLabel>,
    /// `new URL(url).origin`: whose slots and counters the request uses.
    pub origin: String,
    pub headers: Option<Headers>,
    pub body: Option<JsValue>,
    /// False for a stream body (a ReadableStream, or an async iterable made into one), which
    /// fetch consumes and which is sent half-duplex.
    pub body_replayable: bool,
    /// The URL, method and id as JS strings (id undefined when there is none), encoded once
    /// for every attempt, event and result.
    pub js_url: JsValue,
    pub js_method: JsValue,
    pub js_id: JsValue,
    /// fetch's own fields as the object fetch is given (undefined when there are none).
    pub init: JsValue,
}

/// What a call was given: `parallelFetch`'s and `settledFetch`'s array of requests, or
/// `fetchOne`'s one request (then named `requests[0]` in errors, as the call's only request).
#[derive(Clone, Copy)]
pub(crate) enum Requests<'a> {
    List(&'a JsValue),
    One(&'a JsValue),
}

/// Validates and prepares a call made through `client`. Every failure names the field it is
/// about.
pub(crate) fn prepare(
    client: Rc<ClientState>,
    requests: Requests<'_>,
    options: &JsValue,
) -> Result<PreparedCall, InputError> {
    let raw_options = raw_with_opaque(options, OPTION_OPAQUE);
    let call = validate::call_options_over(&client.settings.call, &raw_options)?;
    let root = FieldPath::Root("options");
    let signal = match field(options, &raw_options, "signal") {
        None => None,
        Some(s) => Some(Signal::from_js(s.clone()).ok_or_else(|| {
            InputError::wrong_type(&root.key("signal"), "an AbortSignal", &raw(&s))
        })?),
    };
    let on_event = match field(options, &raw_options, "onEvent") {
        None => None,
        Some(f) if f.is_function() => Some(f.unchecked_into::<Function>()),
        Some(f) => {
            return Err(InputError::wrong_type(
                &root.key("onEvent"),
                "a function",
                &raw(&f),
            ))
        }
    };
    let own_headers = match field(options, &raw_options, "headers") {
        None => None,
        Some(init) => Some(headers_from(&root.key("headers"), &init)?),
    };
    let call_headers = merge(client.headers.as_ref(), own_headers.as_ref());
    let list = match requests {
        Requests::One(request) => vec![Ok(request.clone())],
        Requests::List(requests) => items(requests).map_err(|got| {
            InputError::wrong_type(
                &FieldPath::Root("requests"),
                "an array of URL strings, URLs or request objects",
                &got,
            )
        })?,
    };
    let base = guard::base_url();
    let prepared = list
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let item = item.as_ref().map_err(|got| {
                let root = FieldPath::Root("requests");
                InputError::wrong_type(&root.index(i), "a request", got)
            })?;
            request(
                i,
                item,
                &call,
                &client,
                call_headers.as_ref(),
                base.as_deref(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let events = Events::new(on_event, client.on_event.clone());
    Ok(PreparedCall {
        client,
        options: call,
        requests: prepared,
        signal,
        events,
        reported: std::cell::Cell::new(false),
    })
}

fn request(
    index: usize,
    item: &JsValue,
    call: &CallOptions,
    client: &ClientState,
    call_headers: Option<&Headers>,
    base: Option<&str>,
) -> Result<PreparedRequest, InputError> {
    let spec = raw_with_opaque(item, REQUEST_OPAQUE);
    let options = validate::request(index, &spec, call)?;
    let root = FieldPath::Root("requests");
    let path = root.index(index);
    let joined = join_base_url(client.settings.base_url.as_deref(), &options.url);
    let (mut url, origin, mut js_url) = resolve(&path.key("url"), &joined, base)?;
    if let Some(init) = field(item, &spec, "searchParams") {
        js_url = JsValue::UNDEFINED;
        url = guard::search_params(&url, &init).map_err(|thrown| {
            InputError::type_error_at(
                &path,
                &[".searchParams is not valid: ", &describe_thrown(&thrown)],
            )
        })?;
    }
    let own_headers = match field(item, &spec, "headers") {
        None => None,
        Some(init) => Some(headers_from(&path.key("headers"), &init)?),
    };
    let mut headers = merge(call_headers, own_headers.as_ref());
    let (body, body_replayable) = match (field(item, &spec, "body"), field(item, &spec, "json")) {
        (Some(body), _) => {
            let body = Body::classify(&path.key("body"), body)?;
            if body.carries_own_type && own_headers.as_ref().is_none_or(|h| !has(h, "content-type"))
            {
                // The call's content-type would override the body's own (a multipart
                // boundary, a Blob's type): leave it to the body.
                headers = without(headers, "content-type");
            }
            (Some(body.value), body.replayable)
        }
        (None, Some(value)) => {
            let text = guard::stringify(&value)
                .map_err(|thrown| {
                    InputError::type_error_at(
                        &path,
                        &[
                            ".json cannot be serialized to JSON: ",
                            &describe_thrown(&thrown),
                        ],
                    )
                })?
                .as_string()
                .ok_or_else(|| {
                    InputError::type_error_at(
                        &path,
                        &[
                            ".json cannot be serialized to JSON (it is ",
                            &raw(&value).describe(),
                            ")",
                        ],
                    )
                })?;
            headers = copy(headers.as_ref());
            if let Some(h) = headers.as_ref().filter(|h| !has(h, "content-type")) {
                let _ = h.set("content-type", "application/json");
            }
            (Some(JsValue::from(text)), true)
        }
        (None, None) => (None, true),
    };
    if let Some(body) = body.as_ref().filter(|b| needs_probe(b)) {
        probe(&path, &url, &options.method, headers.as_ref(), body)?;
    }
    let retry = &options.retry;
    if client.settings.idempotency_key
        && wants_idempotency_key(&options.method, &retry.methods, retry.limit)
        && headers.as_ref().is_none_or(|h| !has(h, "idempotency-key"))
    {
        // One key per request, the same on every retry of it.
        if let Some(key) = guard::uuid() {
            headers = copy(headers.as_ref());
            if let Some(h) = &headers {
                let _ = h.set("idempotency-key", &key);
            }
        }
    }
    if js_url.is_undefined() {
        js_url = JsValue::from_str(&url);
    }
    let js_method = JsValue::from_str(&options.method);
    let js_id = options
        .id
        .as_deref()
        .map_or(JsValue::UNDEFINED, JsValue::from_str);
    let init = init_object(&options.init);
    let label = Rc::new(RequestLabel {
        id: options.id.clone(),
        method: options.method.clone(),
        url,
    });
    Ok(PreparedRequest {
        options,
        label,
        origin,
        headers,
        body,
        body_replayable,
        js_url,
        js_method,
        js_id,
        init,
    })
}

/// fetch's own fields as an object, or undefined when none is set.
fn init_object(init: &FetchInit) -> JsValue {
    if init.is_empty() {
        return JsValue::UNDEFINED;
    }
    let object = js_sys::Object::new();
    for (name, value) in init.iter() {
        let value = match value {
            InitValue::Text(text) => JsValue::from_str(text),
            InitValue::Bool(b) => JsValue::from_bool(*b),
        };
        set(&object, name, &value);
    }
    object.into()
}

/// The JS value of an opaque field the core saw as present.
fn field(object: &JsValue, raw: &Raw, key: &str) -> Option<JsValue> {
    matches!(raw.get(key), Raw::Opaque).then(|| try_get(object, key).unwrap_or(JsValue::UNDEFINED))
}

/// Resolves `url` against the page, as fetch would, and refuses what fetch would refuse:
/// credentials in the URL, and schemes it cannot fetch. Gives the URL, its origin, and the URL
/// as a JS string.
fn resolve(
    path: &FieldPath,
    url: &str,
    base: Option<&str>,
) -> Result<(String, String, JsValue), InputError> {
    let parsed: Url = guard::url(url, base)
        .map(JsCast::unchecked_into)
        .map_err(|_| {
            let hint = if base.is_none() {
                " (there is no page to resolve a relative URL against)"
            } else {
                ""
            };
            InputError::type_error_at(path, &[" is not a valid URL: ", &quoted(url), hint])
        })?;
    // One crossing for what is checked, one for the href (kept as a JS string too).
    let facts = guard::url_facts(&parsed);
    let (credentials, facts) = facts.split_at_checked(1).unwrap_or(("0", ""));
    let (scheme, origin) = split_once_at(facts, b' ').unwrap_or((facts, ""));
    if credentials != "0" {
        return Err(InputError::type_error_at(path, &[" must not include credentials (fetch refuses a URL with a user name or password; send an Authorization header instead)",
        ]));
    }
    if !["http:", "https:", "data:", "blob:"].contains(&scheme) {
        return Err(InputError::type_error_at(
            path,
            &[
                " has the scheme ",
                &quoted(scheme),
                ", which fetch cannot request (http:, https:, data: and blob: can be)",
            ],
        ));
    }
    let href = guard::href(&parsed);
    let text = href.as_string().unwrap_or_default();
    Ok((text, origin.to_string(), href))
}

/// `new Headers(init)`, with the browser's complaint about a bad name or value passed on.
pub(crate) fn headers_from(path: &FieldPath, init: &JsValue) -> Result<Headers, InputError> {
    guard::headers(init)
        .map(JsCast::unchecked_into)
        .map_err(|thrown| {
            InputError::type_error_at(path, &[" is not valid: ", &describe_thrown(&thrown)])
        })
}

fn has(headers: &Headers, name: &str) -> bool {
    headers.has(name).unwrap_or(false)
}

/// A copy that can be changed without touching headers other requests share. (Copying the
/// SDK's own Headers cannot fail; None only where `Headers` itself is missing.)
fn copy(headers: Option<&Headers>) -> Option<Headers> {
    match headers {
        Some(shared) => Headers::new_with_headers(shared).ok(),
        None => Headers::new().ok(),
    }
}

fn without(headers: Option<Headers>, name: &str) -> Option<Headers> {
    let headers = headers?;
    if !has(&headers, name) {
        return Some(headers);
    }
    let h = copy(Some(&headers))?;
    let _ = h.delete(name);
    Some(h)
}

/// A request body, as fetch will treat it.
struct Body {
    value: JsValue,
    replayable: bool,
    /// A FormData, URLSearchParams or typed Blob sets its own content-type.
    carries_own_type: bool,
}

impl Body {
    fn classify(path: &FieldPath, value: JsValue) -> Result<Body, InputError> {
        let class = class_of(&value);
        let carries_own_type = match class.as_deref() {
            Some("FormData" | "URLSearchParams") => true,
            Some("Blob" | "File") => try_get(&value, "type")
                .ok()
                .and_then(|t| t.as_string())
                .is_some_and(|t| !t.is_empty()),
            _ => false,
        };
        if value.is_string() || carries_own_type || class.as_deref() == Some("ReadableStream") {
            let replayable = class.as_deref() != Some("ReadableStream");
            return Ok(Body {
                value,
                replayable,
                carries_own_type,
            });
        }
        let iterate = try_get(&value, "getReader")
            .ok()
            .filter(JsValue::is_function)
            .map(|_| None)
            .or_else(|| {
                guard::get(&value, &js_sys::Symbol::async_iterator())
                    .ok()
                    .filter(JsValue::is_function)
                    .map(Some)
            });
        match iterate {
            // A ReadableStream from another realm.
            Some(None) => Ok(Body {
                value,
                replayable: false,
                carries_own_type: false,
            }),
            // An async iterable (a Node Readable, an async generator): fetch takes it as a
            // ReadableStream, which `ReadableStream.from` makes.
            Some(Some(_)) => Ok(Body {
                value: stream_from(path, &value)?,
                replayable: false,
                carries_own_type: false,
            }),
            None => Ok(Body {
                value,
                replayable: true,
                carries_own_type: false,
            }),
        }
    }
}

/// `ReadableStream.from(iterable)`, or a TypeError saying this runtime cannot send it.
fn stream_from(path: &FieldPath, iterable: &JsValue) -> Result<JsValue, InputError> {
    let global = guard::global_scope();
    let from = try_get(&global, "ReadableStream")
        .and_then(|rs| try_get(&rs, "from").map(|from| (rs, from)))
        .ok()
        .filter(|(_, from)| from.is_function());
    let Some((class, from)) = from else {
        return Err(InputError::type_error_at(path, &[" is an async iterable, which this runtime's fetch cannot send (it has no ReadableStream.from); pass a ReadableStream",
        ]));
    };
    guard::call(&from, &class, iterable).map_err(|thrown| {
        InputError::type_error_at(
            path,
            &[
                " could not be read as a stream: ",
                &describe_thrown(&thrown),
            ],
        )
    })
}

/// Whether fetch's own conversion of this body could fail: anything but a string, a stream and
/// the platform's body types.
fn needs_probe(body: &JsValue) -> bool {
    if body.is_string() {
        return false;
    }
    !matches!(
        class_of(body).as_deref(),
        Some(
            "ReadableStream"
                | "Blob"
                | "File"
                | "FormData"
                | "URLSearchParams"
                | "ArrayBuffer"
                | "SharedArrayBuffer"
                | "DataView"
                | "Int8Array"
                | "Uint8Array"
                | "Uint8ClampedArray"
                | "Int16Array"
                | "Uint16Array"
                | "Int32Array"
                | "Uint32Array"
                | "Float32Array"
                | "Float64Array"
                | "BigInt64Array"
                | "BigUint64Array"
        )
    )
}

/// Builds the `Request` fetch would build, without sending it, so a body fetch cannot convert
/// (a Symbol, one whose `toString` throws) is refused now, naming the field.
fn probe(
    path: &FieldPath,
    url: &str,
    method: &str,
    headers: Option<&Headers>,
    body: &JsValue,
) -> Result<(), InputError> {
    guard::request(url, method, headers, body)
        .map(drop)
        .map_err(|thrown| {
            InputError::type_error_at(
                path,
                &[".body is refused by fetch: ", &describe_thrown(&thrown)],
            )
        })
}
