//! The SDK's own `Headers`, merged and listed in one crossing each (`headers.js`).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Headers;

use crate::policy::client::pairs_from_lines;

#[wasm_bindgen(module = "/src/web/headers.js")]
extern "C" {
    #[wasm_bindgen(js_name = merged)]
    fn merged_js(base: &Headers, own: &Headers) -> JsValue;
    #[wasm_bindgen(js_name = lines)]
    fn lines_js(headers: &Headers) -> JsValue;
}

/// A copy of `base` with `own` on top (names compare case-insensitively); None only where
/// `Headers` is missing or a page has patched it so that it throws.
pub(crate) fn merged(base: &Headers, own: &Headers) -> Option<Headers> {
    let headers = merged_js(base, own);
    (!headers.is_undefined()).then(|| headers.unchecked_into())
}

/// Every header as a (name, value) pair, names lower-case and sorted, as `Headers` iterates them.
pub(crate) fn pairs(headers: &Headers) -> Vec<(String, String)> {
    pairs_from_lines(&lines_js(headers).as_string().unwrap_or_default())
}
