//! Every request ends with exactly one `settle` event, whatever ends it, and a request cut
//! short reports `abort` right before it.

use super::support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::AbortController;

fn options_with(json: &str, record: &JsValue) -> JsValue {
    let options = js(json);
    put(&options, "onEvent", record);
    options
}

#[wasm_bindgen_test]
async fn the_deadline_between_attempts_ends_with_the_real_failure_and_one_settle() {
    let k = key("deadline-gap");
    let (log, record) = recorder();
    let options = options_with(
        r#"{"totalTimeout":340,"retry":{"baseDelay":300,"jitter":"none"}}"#,
        &record,
    );
    let started = now();
    let error = parallel(strings(&[url(&format!("/r?key={k}&fail=9"))]), options)
        .await
        .expect_err("503");
    let elapsed = now() - started;
    assert_eq!(
        error_name(&error),
        "HttpError",
        "{}",
        text(&error, "message")
    );
    assert_eq!(number(&error, "status"), 503.0);
    assert!(
        text(&error, "message").contains("totalTimeout leaves no time for another attempt"),
        "{}",
        text(&error, "message")
    );
    assert!(
        elapsed < 250.0,
        "no wait that could only time out: {elapsed} ms"
    );
    assert_eq!(kinds_of(&log, 0), ["attemptStart", "attemptEnd", "settle"]);
    let settle = &assert_one_ending_each(&log, 1)[0];
    assert_eq!(text(settle, "error"), "HttpError");
    assert_eq!(number(settle, "status"), 503.0);
}

#[wasm_bindgen_test]
async fn requests_still_queued_at_the_deadline_settle_once_with_a_timeout() {
    let (log, record) = recorder();
    let options = options_with(r#"{"totalTimeout":300,"concurrency":1}"#, &record);
    let requests = strings(&[url("/r?hang=1"), url("/r?hang=1"), url("/r?hang=1")]);
    let started = now();
    let entries = settled(requests, options).await.expect("settled");
    assert!(now() - started < 700.0);
    for i in 0..3 {
        let reason = get(&at(&entries, i), "reason");
        assert_eq!(error_name(&reason), "TimeoutError");
    }
    assert_eq!(number(&get(&at(&entries, 2), "reason"), "attempts"), 0.0);
    assert!(text(&get(&at(&entries, 2), "reason"), "message").contains("before it could be sent"));
    let settles = assert_one_ending_each(&log, 3);
    assert!(settles.iter().all(|s| text(s, "error") == "TimeoutError"));
    assert_eq!(kinds_of(&log, 2), ["settle"], "it never started");
}

#[wasm_bindgen_test]
async fn fail_fast_ends_running_and_queued_siblings_with_abort_then_settle() {
    let (log, record) = recorder();
    let options = options_with(r#"{"retry":false,"concurrency":2}"#, &record);
    let requests = strings(&[url("/r?hang=1"), url("/r?status=500&delay=50"), url("/r")]);
    parallel(requests, options).await.expect_err("500");
    let settles = assert_one_ending_each(&log, 3);
    assert_eq!(kinds_of(&log, 0), ["attemptStart", "abort", "settle"]);
    assert_eq!(
        kinds_of(&log, 2),
        ["abort", "settle"],
        "queued, never started"
    );
    for i in [0, 2] {
        assert_eq!(text(&settles[i], "error"), "AbortError");
        let abort = log
            .iter()
            .find(|e| number(e, "index") == i as f64 && text(e, "type") == "abort")
            .expect("abort");
        assert_eq!(text(&abort, "by"), "failFast");
    }
    assert_eq!(text(&settles[1], "error"), "HttpError");
}

#[wasm_bindgen_test]
async fn a_user_abort_during_an_attempt_and_a_wait_settles_each_once() {
    let k = key("user-abort-wait");
    let (log, record) = recorder();
    let controller = AbortController::new().expect("AbortController");
    let options = options_with(r#"{"retry":{"baseDelay":5000,"jitter":"none"}}"#, &record);
    put(&options, "signal", &controller.signal());
    let abort = controller.clone();
    spawn_local(async move {
        sleep(250).await;
        abort.abort();
    });
    let entries = settled(
        strings(&[url("/r?hang=1"), url(&format!("/r?key={k}&fail=9"))]),
        options,
    )
    .await
    .expect("settled");
    assert_eq!(error_name(&get(&at(&entries, 1), "reason")), "AbortError");
    assert_one_ending_each(&log, 2);
    let aborts: Vec<JsValue> = log.iter().filter(|e| text(e, "type") == "abort").collect();
    assert_eq!(aborts.len(), 2);
    let during_wait = |i: f64| {
        aborts
            .iter()
            .find(|e| number(e, "index") == i)
            .map(|e| get(e, "duringWait").as_bool())
    };
    assert_eq!(during_wait(0.0), Some(Some(false)));
    assert_eq!(during_wait(1.0), Some(Some(true)));
}

#[wasm_bindgen_test]
async fn a_debounced_run_that_is_superseded_reports_abort_by_debounce_then_settle() {
    let group = key("ending-debounce");
    let slow = key("ending-slow");
    let (log, record) = recorder();
    let first = options_with(
        &format!(r#"{{"debounce":{{"key":"{group}","wait":10}}}}"#),
        &record,
    );
    let stale = parallel_fetch_promise(url(&format!("/r?key={slow}&delay=800")), &first);
    sleep(200).await;
    let latest = parallel_fetch_promise(
        url("/r"),
        &js(&format!(r#"{{"debounce":{{"key":"{group}","wait":10}}}}"#)),
    );
    JsFuture::from(latest).await.expect("latest");
    JsFuture::from(stale).await.expect("follows the latest");
    let settle = &assert_one_ending_each(&log, 1)[0];
    assert_eq!(text(settle, "error"), "AbortError");
    let abort = log
        .iter()
        .find(|e| text(e, "type") == "abort")
        .expect("abort");
    assert_eq!(text(&abort, "by"), "debounce");
}

fn parallel_fetch_promise(target: String, options: &JsValue) -> js_sys::Promise {
    use wasm_bindgen::JsCast;
    parallel_fetch::web::api::parallel_fetch(
        strings(&[target]).unchecked_into(),
        Some(options.clone().unchecked_into()),
    )
}
