//! The shared test body in headless Chromium.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::support::has_document;
use wasm_bindgen_test::wasm_bindgen_test;

/// The page binary runs where there is a document, so its `<base href>` test is not skipped.
#[wasm_bindgen_test]
fn the_page_has_a_document() {
    assert!(has_document());
}
