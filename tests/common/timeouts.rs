//! Per-attempt timeouts and the whole call's deadline.

use super::support::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn a_timeout_is_a_timeout_error_and_closes_the_connection() {
    let k = key("timeout");
    let started = now();
    let error = parallel(
        strings(&[url(&format!("/r?key={k}&hang=1"))]),
        js(r#"{"timeout":400,"retry":false}"#),
    )
    .await
    .expect_err("hangs");
    let elapsed = now() - started;
    assert_eq!(error_name(&error), "TimeoutError", "never an AbortError");
    assert!(
        (380.0..900.0).contains(&elapsed),
        "a 400 ms timeout fired after {elapsed} ms"
    );
    assert_eq!(stats_until(&k, |s| s.aborted == 1).await.aborted, 1);
}

#[wasm_bindgen_test]
async fn each_attempt_gets_a_fresh_timeout() {
    let k = key("fresh-timeout");
    let options = js(r#"{"timeout":300,"retry":{"limit":1,"baseDelay":10}}"#);
    let results = parallel(
        strings(&[url(&format!("/r?key={k}&hang_first=1"))]),
        options,
    )
    .await
    .expect("2nd works");
    assert_eq!(number(&at(&results, 0), "attempts"), 2.0);
    let s = stats(&k).await;
    assert_eq!((s.hits, s.aborted), (2, 1));
}

#[wasm_bindgen_test]
async fn timeouts_are_not_retried_when_the_caller_says_so() {
    let k = key("no-retry-timeout");
    let options = js(r#"{"timeout":150,"retry":{"retryOnTimeout":false,"baseDelay":10}}"#);
    let error = parallel(strings(&[url(&format!("/r?key={k}&hang=1"))]), options)
        .await
        .expect_err("times out");
    assert_eq!(error_name(&error), "TimeoutError");
    assert_eq!(number(&error, "attempts"), 1.0);
}

#[wasm_bindgen_test]
async fn a_slow_body_counts_against_the_attempt_timeout() {
    let options = js(r#"{"timeout":300,"retry":false}"#);
    let error = parallel(strings(&[url("/r?slow_body=2000")]), options)
        .await
        .expect_err("body too slow");
    assert_eq!(error_name(&error), "TimeoutError");
}

#[wasm_bindgen_test]
async fn total_timeout_bounds_the_whole_call_and_gives_up_before_a_wait_past_it() {
    let k = key("deadline-wait");
    let options =
        js(r#"{"totalTimeout":500,"retry":{"limit":10,"baseDelay":200,"jitter":"none"}}"#);
    let started = now();
    let error = parallel(strings(&[url(&format!("/r?key={k}&fail=99"))]), options)
        .await
        .expect_err("keeps failing");
    let elapsed = now() - started;
    assert_eq!(
        error_name(&error),
        "HttpError",
        "the last failure, not a timeout"
    );
    assert!(
        elapsed < 500.0,
        "gave up after {elapsed} ms instead of sleeping past the deadline"
    );
    assert!(
        text(&error, "message").contains("totalTimeout"),
        "{}",
        text(&error, "message")
    );
    let hits = stats(&k).await.hits;
    assert!(
        (2..=3).contains(&hits),
        "hits {hits}: 0 ms, then 200 ms, then 600 ms would pass 500"
    );
}

#[wasm_bindgen_test]
async fn total_timeout_cuts_an_attempt_short_as_a_timeout_error() {
    let k = key("deadline-hang");
    let started = now();
    let options = js(r#"{"timeout":10000,"totalTimeout":300}"#);
    let error = parallel(strings(&[url(&format!("/r?key={k}&hang=1"))]), options)
        .await
        .expect_err("deadline");
    let elapsed = now() - started;
    assert_eq!(error_name(&error), "TimeoutError");
    assert!(
        (280.0..800.0).contains(&elapsed),
        "deadline of 300 ms fired after {elapsed} ms"
    );
    assert_eq!(
        stats_until(&k, |s| s.aborted == 1).await.hits,
        1,
        "no retry after the deadline"
    );
}
