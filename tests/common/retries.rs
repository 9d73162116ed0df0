//! Retries: only where safe, with backoff, honouring Retry-After.

use super::support::*;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn transient_failures_are_retried_with_backoff_until_they_succeed() {
    let k = key("retry-ok");
    let options = js(r#"{"retry":{"limit":3,"baseDelay":100,"jitter":"none"}}"#);
    let results = parallel(strings(&[url(&format!("/r?key={k}&fail=2"))]), options)
        .await
        .expect("third try works");
    let result = at(&results, 0);
    assert_eq!(number(&result, "attempts"), 3.0);
    let s = stats(&k).await;
    assert_eq!(s.hits, 3);
    let (gap1, gap2) = (s.times[1] - s.times[0], s.times[2] - s.times[1]);
    assert!(
        (90.0..400.0).contains(&gap1),
        "first wait {gap1} ms, expected ~100"
    );
    assert!(
        (190.0..500.0).contains(&gap2),
        "second wait {gap2} ms, expected ~200"
    );
}

#[wasm_bindgen_test]
async fn a_client_error_outside_the_list_is_never_retried() {
    let k = key("no-retry-404");
    let error = parallel(strings(&[url(&format!("/r?key={k}&status=404"))]), js("{}"))
        .await
        .expect_err("404");
    assert_eq!(error_name(&error), "HttpError");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(number(&error, "status"), 404.0);
    assert_eq!(number(&error, "attempts"), 1.0);
    assert_eq!(text(&error, "method"), "GET");
    assert!(text(&error, "url").contains(&k));
    let response = get(&error, "response");
    assert_eq!(number(&response, "status"), 404.0);
    assert_eq!(
        text(&get(&response, "data"), "key"),
        k,
        "the error carries the parsed body"
    );
    assert_eq!(stats(&k).await.hits, 1);
}

#[wasm_bindgen_test]
async fn post_is_retried_only_when_the_caller_lists_it() {
    let k = key("post");
    let request = js(&format!(
        r#"[{{"url":"{}","method":"POST","body":"x"}}]"#,
        url(&format!("/r?key={k}&fail=1"))
    ));
    let error = parallel(request.clone(), js(r#"{"retry":{"baseDelay":10}}"#))
        .await
        .expect_err("POST not retried");
    assert_eq!(number(&error, "status"), 503.0);
    assert!(
        text(&error, "message").contains("POST is not in retry.methods"),
        "{}",
        text(&error, "message")
    );
    assert_eq!(stats(&k).await.hits, 1);
    let results = parallel(
        request,
        js(r#"{"retry":{"baseDelay":10,"methods":["POST"]}}"#),
    )
    .await
    .expect("listed");
    assert_eq!(
        number(&at(&results, 0), "attempts"),
        1.0,
        "the key's one failure was used up"
    );
    assert_eq!(stats(&k).await.hits, 2);
}

#[wasm_bindgen_test]
async fn network_errors_are_retried_and_end_as_network_error() {
    let k = key("drop");
    let options = js(r#"{"retry":{"limit":2,"baseDelay":10}}"#);
    let error = parallel(strings(&[url(&format!("/r?key={k}&drop=1"))]), options)
        .await
        .expect_err("dropped");
    assert_eq!(error_name(&error), "NetworkError");
    assert_eq!(number(&error, "attempts"), 3.0);
    assert!(
        !get(&error, "cause").is_undefined(),
        "fetch's own error is the cause"
    );
    // Each attempt reaches the server. Chromium itself resends a request when a reused
    // keep-alive connection closes without an answer, on each idle connection in turn and then
    // a new one: one native fetch of this URL after 6 requests had warmed the pool made 7 hits
    // (in 11 of 12 tries), so 3 attempts may make up to 3 × 7. Node sends each once.
    let hits = stats(&k).await.hits;
    assert!((3..=21).contains(&hits), "{hits} hits for 3 attempts");
}

#[wasm_bindgen_test]
async fn retry_after_in_seconds_sets_the_wait() {
    let k = key("retry-after");
    let options = js(r#"{"retry":{"baseDelay":1,"jitter":"none"}}"#);
    let results = parallel(
        strings(&[url(&format!("/r?key={k}&fail=1&retry_after=1"))]),
        options,
    )
    .await
    .expect("ok");
    assert_eq!(number(&at(&results, 0), "attempts"), 2.0);
    let s = stats(&k).await;
    let gap = s.times[1] - s.times[0];
    assert!(
        (950.0..2000.0).contains(&gap),
        "waited {gap} ms for Retry-After: 1"
    );
}

#[wasm_bindgen_test]
async fn retry_after_as_an_http_date_sets_the_wait() {
    let k = key("retry-date");
    let when = js_sys::Date::new(&(js_sys::Date::now() + 2000.0).into())
        .to_utc_string()
        .as_string()
        .unwrap_or_default();
    let encoded = String::from(js_sys::encode_uri_component(&when));
    let options = js(r#"{"retry":{"baseDelay":1,"jitter":"none"}}"#);
    let target = url(&format!("/r?key={k}&fail=1&retry_after={encoded}"));
    parallel(strings(&[target]), options)
        .await
        .expect("second attempt works");
    let s = stats(&k).await;
    let gap = s.times[1] - s.times[0];
    // HTTP-dates have whole seconds, so a date 2 s ahead means a wait of 1 to 2 s.
    assert!(
        (900.0..2600.0).contains(&gap),
        "waited {gap} ms for a date ~2 s ahead"
    );
}

#[wasm_bindgen_test]
async fn a_retry_after_beyond_the_maximum_gives_up_at_once() {
    let k = key("retry-after-long");
    let started = now();
    let error = parallel(
        strings(&[url(&format!("/r?key={k}&status=429&retry_after=120"))]),
        js("{}"),
    )
    .await
    .expect_err("429 with a long Retry-After");
    assert!(now() - started < 500.0);
    assert_eq!(number(&error, "status"), 429.0);
    assert_eq!(number(&error, "retryAfter"), 120_000.0);
    assert_eq!(stats(&k).await.hits, 1);
}
