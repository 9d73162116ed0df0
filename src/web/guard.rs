//! Calls that may throw on the caller's values, made so that nothing is thrown through wasm and
//! nothing leaks: see `guard.js`. Each returns the value, or what was thrown.
//!
//! wasm-bindgen's `catch` is right for calls that return nothing or a number; for calls that
//! return a JS value it leaks a table slot per throw (measured: 5 000 hostile calls grew the
//! externref table by about 10 000 slots), so those go through here.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/src/web/guard.js")]
extern "C" {
    #[wasm_bindgen(js_name = takeFailed)]
    fn take_failed() -> bool;
    #[wasm_bindgen(js_name = takeThrown)]
    fn take_thrown() -> JsValue;
    #[wasm_bindgen(js_name = safeGet)]
    fn safe_get(target: &JsValue, key: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = safeKeys)]
    fn safe_keys(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = safeHeaders)]
    fn safe_headers(init: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = safeStringify)]
    fn safe_stringify(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = safeRequest)]
    fn safe_request(
        url: &str,
        method: &str,
        headers: Option<&web_sys::Headers>,
        body: &JsValue,
    ) -> JsValue;
    #[wasm_bindgen(js_name = safeUrl)]
    fn safe_url(url: &str, base: Option<&str>) -> JsValue;
    #[wasm_bindgen(js_name = safeCall)]
    fn safe_call(f: &JsValue, this: &JsValue, arg: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = urlFacts)]
    fn url_facts_js(url: &web_sys::Url) -> JsValue;
    #[wasm_bindgen(js_name = href)]
    fn href_js(url: &web_sys::Url) -> JsValue;
    #[wasm_bindgen(js_name = randomUuid)]
    fn random_uuid() -> JsValue;
    #[wasm_bindgen(js_name = randomHex)]
    fn random_hex() -> JsValue;
    #[wasm_bindgen(js_name = withSearchParams)]
    fn with_search_params(href: &str, init: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = isThenable)]
    fn is_thenable(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = resolve)]
    fn safe_resolve(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = baseUrl)]
    fn base_url_js() -> JsValue;
    #[wasm_bindgen(js_name = globalScope)]
    fn global_scope_js() -> JsValue;
}

/// The value a guarded call returned, or what it threw.
fn checked(value: JsValue) -> Result<JsValue, JsValue> {
    if value.is_undefined() && take_failed() {
        Err(take_thrown())
    } else {
        Ok(value)
    }
}

/// `Reflect.get(target, key)`.
pub(crate) fn get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue> {
    checked(safe_get(target, key))
}

/// `Object.keys(value)`.
pub(crate) fn keys(value: &JsValue) -> Result<JsValue, JsValue> {
    checked(safe_keys(value))
}

/// `new Headers(init)`, or `new Headers()` for undefined.
pub(crate) fn headers(init: &JsValue) -> Result<JsValue, JsValue> {
    checked(safe_headers(init))
}

/// `JSON.stringify(value)` (undefined, not an error, for a value JSON cannot represent).
pub(crate) fn stringify(value: &JsValue) -> Result<JsValue, JsValue> {
    checked(safe_stringify(value))
}

/// `new Request(url, { method, headers, body })`.
pub(crate) fn request(
    url: &str,
    method: &str,
    headers: Option<&web_sys::Headers>,
    body: &JsValue,
) -> Result<JsValue, JsValue> {
    checked(safe_request(url, method, headers, body))
}

/// `new URL(url, base)`.
pub(crate) fn url(url: &str, base: Option<&str>) -> Result<JsValue, JsValue> {
    checked(safe_url(url, base))
}

/// What the SDK checks of a parsed URL, in one string: `1` when it has a user name or a
/// password (else `0`), then its protocol, a space and its origin.
pub(crate) fn url_facts(url: &web_sys::Url) -> String {
    url_facts_js(url).as_string().unwrap_or_default()
}

/// A parsed URL's href, as a JS string.
pub(crate) fn href(url: &web_sys::Url) -> JsValue {
    href_js(url)
}

/// What fetch resolves a relative URL against: the document's base URL in a page, the
/// worker's location in a worker, nothing in Node.
pub(crate) fn base_url() -> Option<String> {
    base_url_js().as_string()
}

/// `globalThis`.
pub(crate) fn global_scope() -> JsValue {
    global_scope_js()
}

/// `f.call(this, arg)`.
pub(crate) fn call(f: &JsValue, this: &JsValue, arg: &JsValue) -> Result<JsValue, JsValue> {
    checked(safe_call(f, this, arg))
}

/// A fresh UUID v4: `crypto.randomUUID()` where there is one (secure contexts), else 16 bytes of
/// `crypto.getRandomValues` formatted by the core. None without `crypto` at all.
pub(crate) fn uuid() -> Option<String> {
    if let Some(id) = checked(random_uuid()).ok().and_then(|v| v.as_string()) {
        return Some(id);
    }
    let hex = checked(random_hex()).ok()?.as_string()?;
    crate::policy::client::uuid_v4(&hex)
}

/// `href` with the `searchParams` init appended to its query.
pub(crate) fn search_params(href: &str, init: &JsValue) -> Result<String, JsValue> {
    checked(with_search_params(href, init)).map(|v| v.as_string().unwrap_or_default())
}

/// A hook's result as a promise when it returned a thenable.
pub(crate) fn thenable(value: &JsValue) -> Option<js_sys::Promise> {
    if !is_thenable(value) {
        return None;
    }
    checked(safe_resolve(value))
        .ok()
        .map(JsCast::unchecked_into)
}
