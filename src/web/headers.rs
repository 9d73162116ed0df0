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

/// The base's headers with the nearer layer's own on top (names compare case-insensitively):
/// a new `Headers` only when both layers have some. None also where `Headers` is missing or a
/// page has patched it so that it throws.
pub(crate) fn merge(base: Option<&Headers>, own: Option<&Headers>) -> Option<Headers> {
    match (base, own) {
        (None, None) => None,
        (Some(base), None) => Some(base.clone()),
        (None, Some(own)) => Some(own.clone()),
        (Some(base), Some(own)) => {
            let merged = merged_js(base, own);
            (!merged.is_undefined()).then(|| merged.unchecked_into())
        }
    }
}

/// Every header as a (name, value) pair, names lower-case and sorted, as `Headers` iterates them.
pub(crate) fn pairs(headers: &Headers) -> Vec<(String, String)> {
    pairs_from_lines(&lines_js(headers).as_string().unwrap_or_default())
}
