//! Reduces JS values to [`Raw`] so the policy core can validate them. Fields the browser layer
//! handles itself (headers, bodies, signals, callbacks) become [`Raw::Opaque`] without being
//! read, and nesting is bounded so a cyclic object cannot recurse for ever.

use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use super::globals::get;
use crate::policy::raw::Raw;

/// How deep option objects are read (`options.retry.methods[0]` is three levels down).
const MAX_DEPTH: u8 = 3;

/// `value` as the core sees it.
pub(crate) fn raw(value: &JsValue) -> Raw {
    raw_at(value, MAX_DEPTH, &[])
}

/// An object whose `opaque` fields are noted as present but not read. A field that is
/// `undefined` (or, for `body`, `null`) counts as absent.
pub(crate) fn raw_with_opaque(value: &JsValue, opaque: &[&str]) -> Raw {
    raw_at(value, MAX_DEPTH, opaque)
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
    if depth == 0 {
        return Raw::Other("object");
    }
    if Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        return Raw::List(array.iter().map(|v| raw_at(&v, depth - 1, &[])).collect());
    }
    if !value.is_object() {
        return Raw::Other("object");
    }
    // `typeof`, not `instanceof`: objects from another realm or `Object.create(null)` count too.
    let fields = Object::keys(value.unchecked_ref::<Object>())
        .iter()
        .filter_map(|key| {
            let name = key.as_string()?;
            let field = get(value, &name);
            let raw = if opaque.contains(&name.as_str()) {
                match (name.as_str(), field.is_undefined(), field.is_null()) {
                    (_, true, _) | ("body" | "headers" | "signal" | "onEvent", _, true) => {
                        Raw::Undefined
                    }
                    _ => Raw::Opaque,
                }
            } else {
                raw_at(&field, depth - 1, &[])
            };
            Some((name, raw))
        })
        .collect();
    Raw::Object(fields)
}
