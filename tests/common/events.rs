//! onEvent: what it reports, and that a throwing callback breaks nothing.

use super::support::*;
use js_sys::{Array, Function};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn events_report_attempts_waits_and_settles_in_order() {
    let k = key("events");
    let log = Array::new();
    let record = Function::new_with_args("log", "return (event) => log.push(event)")
        .call1(&wasm_bindgen::JsValue::UNDEFINED, &log)
        .expect("a recorder");
    let options = js(r#"{"retry":{"limit":2,"baseDelay":20,"jitter":"none"}}"#);
    put(&options, "onEvent", &record);
    parallel(strings(&[url(&format!("/r?key={k}&fail=1"))]), options)
        .await
        .expect("second try");
    let kinds: Vec<String> = log.iter().map(|e| text(&e, "type")).collect();
    assert_eq!(
        kinds,
        [
            "attemptStart",
            "attemptEnd",
            "retryWait",
            "attemptStart",
            "attemptEnd",
            "settle"
        ]
    );
    let wait = log.get(2);
    assert_eq!(number(&wait, "delay"), 20.0);
    assert_eq!(number(&wait, "status"), 503.0);
    assert_eq!(text(&log.get(1), "error"), "HttpError");
    for (i, event) in log.iter().enumerate() {
        assert_eq!(number(&event, "index"), 0.0);
        assert!(text(&event, "url").contains(&k));
        assert!(number(&event, "time") > 0.0, "event {i} has a timestamp");
    }
    assert_eq!(number(&log.get(4), "attempt"), 2.0);
}

#[wasm_bindgen_test]
async fn fail_fast_aborts_are_reported_with_their_cause() {
    let log = Array::new();
    let record = Function::new_with_args("log", "return (event) => log.push(event)")
        .call1(&wasm_bindgen::JsValue::UNDEFINED, &log)
        .expect("a recorder");
    let options = js(r#"{"retry":false}"#);
    put(&options, "onEvent", &record);
    parallel(
        strings(&[url("/r?hang=1"), url("/r?status=500&delay=50")]),
        options,
    )
    .await
    .expect_err("500");
    let abort = log
        .iter()
        .find(|e| text(e, "type") == "abort")
        .expect("an abort event");
    assert_eq!(text(&abort, "by"), "failFast");
    assert_eq!(number(&abort, "index"), 0.0);
}

#[wasm_bindgen_test]
async fn a_throwing_callback_does_not_break_the_call() {
    let options = js("{}");
    put(
        &options,
        "onEvent",
        &Function::new_no_args("throw new Error('listener bug')"),
    );
    let results = parallel(strings(&[url("/r")]), options)
        .await
        .expect("still succeeds");
    assert_eq!(number(&at(&results, 0), "status"), 200.0);
}
