//! The JS globals the SDK uses, bound on the global scope (not through `window`) so that the
//! same code runs in a Window, a Worker and Node 18+.

use js_sys::{JsString, Promise};
use wasm_bindgen::prelude::*;
use web_sys::RequestInit;

use crate::policy::backoff::RandomSource;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch(input, init)`.
    #[wasm_bindgen(js_name = fetch, catch)]
    pub(crate) fn fetch_with_init(input: &str, init: &RequestInit) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;

    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;

    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    fn math_random() -> f64;

    /// `JSON.parse` on a JS string, so a body never has to be copied into wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

/// Milliseconds on the monotonic clock (`performance.now()`); deadlines and durations use it.
pub(crate) fn now_ms() -> f64 {
    performance_now()
}

/// Milliseconds since the Unix epoch (`Date.now()`); only HTTP-dates need the wall clock.
pub(crate) fn unix_ms() -> f64 {
    date_now()
}

/// Jitter from `Math.random`.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct MathRandom;

impl RandomSource for MathRandom {
    fn next_unit(&mut self) -> f64 {
        math_random()
    }
}

/// The page's URL when there is a page (`location.href`), for resolving relative URLs.
pub(crate) fn base_url() -> Option<String> {
    let location = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("location")).ok()?;
    if location.is_undefined() || location.is_null() {
        return None;
    }
    js_sys::Reflect::get(&location, &JsValue::from_str("href"))
        .ok()?
        .as_string()
}

/// Reads a property, treating a throwing getter as `undefined`.
pub(crate) fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Sets a property on an object the SDK created itself (which cannot refuse it).
pub(crate) fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}
