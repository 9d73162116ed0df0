//! The shared test body in a dedicated worker of headless Chromium: there is no `window` and no
//! `document`, and relative URLs resolve against the worker's own location.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

mod common;

use common::support::*;
use wasm_bindgen_test::wasm_bindgen_test;

/// True in a worker's global scope.
fn in_worker() -> bool {
    !get(&js_sys::global(), "WorkerGlobalScope").is_undefined()
}

#[wasm_bindgen_test]
async fn a_worker_resolves_relative_urls_against_its_own_location() {
    assert!(
        in_worker() && !has_document(),
        "the runner put us in a worker"
    );
    let error = parallel(
        js(r#"["./no-such-file-for-parallel-fetch?worker=1"]"#),
        js(r#"{"retry":false}"#),
    )
    .await
    .expect_err("nothing is served there");
    assert_eq!(error_name(&error), "HttpError", "{error:?}");
    let expected =
        eval("new URL('./no-such-file-for-parallel-fetch?worker=1', self.location.href).href");
    assert_eq!(
        text(&error, "url"),
        expected.as_string().unwrap_or_default()
    );
}
