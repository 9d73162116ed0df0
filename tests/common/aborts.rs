//! The caller's AbortSignal: before, during a request, during a retry wait.

use super::support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::AbortController;

fn with_signal(options: &str, controller: &AbortController) -> JsValue {
    let options = js(options);
    put(&options, "signal", &controller.signal());
    options
}

fn abort_after(controller: &AbortController, ms: u32) {
    let controller = controller.clone();
    spawn_local(async move {
        sleep(ms).await;
        controller.abort();
    });
}

#[wasm_bindgen_test]
async fn an_already_aborted_signal_rejects_and_sends_nothing() {
    let k = key("pre-aborted");
    let controller = AbortController::new().expect("AbortController");
    controller.abort();
    let error = parallel(
        strings(&[url(&format!("/r?key={k}"))]),
        with_signal("{}", &controller),
    )
    .await
    .expect_err("aborted");
    assert_eq!(error_name(&error), "AbortError");
    assert_eq!(text(&error, "abortedBy"), "user");
    assert_eq!(number(&error, "attempts"), 0.0);
    sleep(100).await;
    assert_eq!(stats(&k).await.hits, 0, "nothing was sent");
}

#[wasm_bindgen_test]
async fn a_user_abort_rejects_parallel_fetch_and_closes_the_connection() {
    let k = key("user-abort");
    let controller = AbortController::new().expect("AbortController");
    abort_after(&controller, 150);
    let started = now();
    let error = parallel(
        strings(&[url(&format!("/r?key={k}&hang=1")), url("/r")]),
        with_signal("{}", &controller),
    )
    .await
    .expect_err("aborted");
    assert_eq!(error_name(&error), "AbortError");
    assert!(now() - started < 600.0);
    assert_eq!(stats_until(&k, |s| s.aborted == 1).await.aborted, 1);
}

#[wasm_bindgen_test]
async fn a_user_abort_turns_only_unfinished_settled_entries_into_abort_errors() {
    let controller = AbortController::new().expect("AbortController");
    abort_after(&controller, 200);
    let entries = settled(
        strings(&[url("/r"), url("/r?hang=1")]),
        with_signal("{}", &controller),
    )
    .await
    .expect("settledFetch resolves");
    assert_eq!(text(&at(&entries, 0), "status"), "fulfilled");
    let reason = get(&at(&entries, 1), "reason");
    assert_eq!(error_name(&reason), "AbortError");
    assert_eq!(number(&reason, "attempts"), 1.0);
}

#[wasm_bindgen_test]
async fn an_abort_ends_a_retry_wait_at_once() {
    let k = key("abort-wait");
    let controller = AbortController::new().expect("AbortController");
    abort_after(&controller, 200);
    let started = now();
    let options = with_signal(
        r#"{"retry":{"limit":5,"baseDelay":3000,"jitter":"none"}}"#,
        &controller,
    );
    let error = parallel(strings(&[url(&format!("/r?key={k}&fail=9"))]), options)
        .await
        .expect_err("aborted");
    assert_eq!(error_name(&error), "AbortError");
    assert!(now() - started < 700.0, "the 3 s wait ended with the abort");
    sleep(200).await;
    assert_eq!(stats(&k).await.hits, 1);
}
