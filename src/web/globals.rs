//! The JS globals the SDK uses, bound on the global scope (not through `window`) so that the
//! same code runs in a Window, a Worker and Node 18+.
//!
//! Every call that touches a value the caller gave is guarded: a getter, a Proxy trap or a
//! revoked Proxy may throw, and a JS exception must never unwind through a wasm frame (it
//! would skip the frame's cleanup and, a thousand throws later, corrupt the module). Calls
//! that return a value go through [`super::guard`], or (the class tag, a thrown value's text)
//! catch in `guard.js` on their own; the others are `catch`.

use wasm_bindgen::prelude::*;

use super::guard;
use crate::policy::backoff::RandomSource;

#[wasm_bindgen(module = "/src/web/guard.js")]
extern "C" {
    #[wasm_bindgen(js_name = className)]
    fn class_name(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = describeThrown)]
    fn describe_thrown_js(thrown: &JsValue) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;

    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;

    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    fn math_random() -> f64;

    /// `Array.isArray(value)`; throws for a revoked Proxy. (A `catch` binding that returns a
    /// boolean leaks nothing when it throws.)
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    pub(crate) fn is_array(value: &JsValue) -> Result<bool, JsValue>;
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

/// Reads a property, reporting a throwing getter or Proxy trap as its error.
pub(crate) fn try_get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    // Reflect.get throws for a primitive target; a primitive has nothing the SDK reads.
    if !target.is_object() && !target.is_function() {
        return Ok(JsValue::UNDEFINED);
    }
    guard::get(target, &JsValue::from_str(key))
}

/// Reads a property, treating a throwing getter as `undefined`: for values the SDK or the
/// platform made (responses, errors), where a throw means only that there is nothing to read.
pub(crate) fn get(target: &JsValue, key: &str) -> JsValue {
    try_get(target, key).unwrap_or(JsValue::UNDEFINED)
}

/// Sets a property on an object the SDK created itself (which cannot refuse it).
pub(crate) fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// The class tag of an object (`"URL"`, `"AbortSignal"`, `"FormData"`), or None when there is
/// none to read.
pub(crate) fn class_of(value: &JsValue) -> Option<String> {
    class_name(value).as_string()
}

/// A thrown value as a message shows it: `Error: trap`, `TypeError: …`, or `String(value)`;
/// never throws itself.
pub(crate) fn describe_thrown(thrown: &JsValue) -> String {
    describe_thrown_js(thrown).as_string().unwrap_or_default()
}
