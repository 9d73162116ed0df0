//! The shared test body in a dedicated worker of headless Chromium: there is no `window` and no
//! `document`, and relative URLs resolve against the worker's own location.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

mod common;

use common::support::*;
use wasm_bindgen_test::wasm_bindgen_test;

/// True in a dedicated worker's global scope.
fn in_worker() -> bool {
    !get(&js_sys::global(), "DedicatedWorkerGlobalScope").is_undefined()
}

#[wasm_bindgen_test]
async fn a_worker_resolves_relative_urls_against_its_own_location() {
    assert!(in_worker(), "not in a dedicated worker");
    assert!(!has_document(), "a worker has no document");
    // A query-only reference keeps the base's path: the worker's script, not the page's `/`.
    let results = parallel(js(r#"["?pf-worker=1"]"#), js(r#"{"retry":false}"#))
        .await
        .expect("the runner serves its worker script");
    let expected = eval("new URL('?pf-worker=1', self.location.href).href")
        .as_string()
        .unwrap_or_default();
    let url = text(&at(&results, 0), "url");
    assert_eq!(url, expected);
    let location = text(&get(&js_sys::global(), "location"), "href");
    let page = text(&get(&js_sys::global(), "location"), "origin") + "/?pf-worker=1";
    assert_ne!(
        url, page,
        "resolved against the page, not the worker ({location})"
    );
}
