//! Reduces JS values to [`Raw`] so the policy core can validate them. Fields the browser layer
//! handles itself (headers, bodies, signals, callbacks) become [`Raw::Opaque`] without being
//! read, and nesting is bounded so a cyclic object cannot recurse for ever.
//!
//! Every read goes through a `catch` binding. A read that throws (a getter, a Proxy trap, a
//! revoked Proxy) becomes [`Raw::Unreadable`] with what was thrown, and the core turns that into
//! a TypeError naming the field: nothing the caller passes can throw through the SDK.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use super::globals::{class_of, describe_thrown, is_array, try_get};
use super::guard;
use crate::policy::raw::Raw;

/// How deep option objects are read (`options.retry.methods[0]` is three levels down).
const MAX_DEPTH: u8 = 3;

/// The longest array read: longer ones are reported as such rather than walked.
const MAX_LIST: u32 = 10_000;

/// `value` as the core sees it.
pub(crate) fn raw(value: &JsValue) -> Raw {
    raw_at(value, MAX_DEPTH, &[])
}

/// An object whose `opaque` fields are noted as present but not read. A field that is
/// `undefined` (or, for `body`, `headers`, `signal` and `onEvent`, `null`) counts as absent.
pub(crate) fn raw_with_opaque(value: &JsValue, opaque: &[&str]) -> Raw {
    raw_at(value, MAX_DEPTH, opaque)
}

fn unreadable(thrown: &JsValue) -> Raw {
    Raw::Unreadable(describe_thrown(thrown))
}

fn raw_at(value: &JsValue, depth: u8, opaque: &[&str]) -> Raw {
    if value.is_undefined() {
        return Raw::Undefined;
    }
    if value.is_null() {
        return Raw::Null;
    }
    if let Some(b) = value.as_bool() {
        return Raw::Bool(b);
    }
    if let Some(n) = value.as_f64() {
        return Raw::Number(n);
    }
    if let Some(s) = value.as_string() {
        return Raw::Text(s);
    }
    if value.is_function() {
        return Raw::Other("function");
    }
    if value.is_symbol() {
        return Raw::Other("symbol");
    }
    if value.is_bigint() {
        return Raw::Other("bigint");
    }
    if !value.is_object() {
        return Raw::Other("object");
    }
    // `Array.isArray`, not `instanceof`: an array from another realm (an iframe) counts too.
    match is_array(value) {
        Err(thrown) => return unreadable(&thrown),
        Ok(true) if depth == 0 => return Raw::Other("object"),
        Ok(true) => return list(value, depth),
        Ok(false) => {}
    }
    if class_of(value).as_deref() == Some("URL") {
        if let Ok(Some(href)) = try_get(value, "href").map(|h| h.as_string()) {
            return Raw::Url(href);
        }
    }
    if depth == 0 {
        return Raw::Other("object");
    }
    // `typeof`, not `instanceof`: objects from another realm or `Object.create(null)` count too.
    let keys: Array = match guard::keys(value) {
        Ok(keys) => keys.unchecked_into(),
        Err(thrown) => return unreadable(&thrown),
    };
    let fields = keys
        .iter()
        .filter_map(|key| {
            let name = key.as_string()?;
            let raw = match try_get(value, &name) {
                Err(thrown) => unreadable(&thrown),
                Ok(field) if opaque.contains(&name.as_str()) => {
                    if field.is_undefined() || field.is_null() && name != "json" {
                        Raw::Undefined
                    } else {
                        Raw::Opaque
                    }
                }
                Ok(field) => raw_at(&field, depth - 1, &[]),
            };
            Some((name, raw))
        })
        .collect();
    Raw::Object(fields)
}

fn list(value: &JsValue, depth: u8) -> Raw {
    let length = match try_get(value, "length") {
        Ok(length) => length.as_f64().unwrap_or(0.0),
        Err(thrown) => return unreadable(&thrown),
    };
    if length > f64::from(MAX_LIST) {
        return Raw::Other("list of more than 10000 items");
    }
    let items = (0..length as u32)
        .map(|i| match guard::get(value, &JsValue::from(i)) {
            Ok(item) => raw_at(&item, depth - 1, &[]),
            Err(thrown) => unreadable(&thrown),
        })
        .collect();
    Raw::List(items)
}

/// The items of the `requests` array (of any length), each a value or, when its read threw,
/// what the core should report for it; or what to report for the whole when it is not an
/// array or cannot be read.
pub(crate) fn items(value: &JsValue) -> Result<Vec<Result<JsValue, Raw>>, Raw> {
    match is_array(value) {
        Ok(true) => {}
        Ok(false) => return Err(raw(value)),
        Err(thrown) => return Err(unreadable(&thrown)),
    }
    let length = try_get(value, "length")
        .map_err(|thrown| unreadable(&thrown))?
        .as_f64()
        .unwrap_or(0.0);
    Ok((0..length as u32)
        .map(|i| guard::get(value, &JsValue::from(i)).map_err(|thrown| unreadable(&thrown)))
        .collect())
}
