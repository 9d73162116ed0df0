//! parallelFetch and settledFetch: order, concurrency, fail-fast, settled shape.

use super::support::*;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn results_come_back_in_input_order_and_cost_the_slowest_not_the_sum() {
    let (a, b) = (key("order-a"), key("order-b"));
    let requests = js(&format!(
        r#"[{{"url":"{}","id":"slow"}}, "{}"]"#,
        url(&format!("/r?key={a}&delay=300")),
        url(&format!("/r?key={b}&delay=100"))
    ));
    let started = now();
    let results = parallel(requests, js("{}")).await.expect("both succeed");
    let elapsed = now() - started;
    assert!(
        (290.0..550.0).contains(&elapsed),
        "parallel took {elapsed} ms; sequential would be 400+"
    );
    assert_eq!(len(&results), 2);
    let (first, second) = (at(&results, 0), at(&results, 1));
    assert_eq!(text(&first, "id"), "slow");
    assert_eq!(text(&get(&first, "data"), "key"), a);
    assert_eq!(text(&get(&second, "data"), "key"), b);
    assert_eq!(number(&first, "status"), 200.0);
    assert_eq!(get(&first, "ok").as_bool(), Some(true));
    assert_eq!(number(&first, "attempts"), 1.0);
    assert!(number(&first, "duration") >= 290.0);
    assert!(text(&get(&first, "headers"), "content-type").starts_with("application/json"));
    assert!(get(&second, "id").is_undefined());
    assert!(text(&second, "url").starts_with(SERVER));
    assert_eq!(stats(&a).await.completed, 1);
}

#[wasm_bindgen_test]
async fn an_empty_call_resolves_at_once() {
    assert_eq!(len(&parallel(js("[]"), js("{}")).await.expect("empty")), 0);
    assert_eq!(len(&settled(js("[]"), js("{}")).await.expect("empty")), 0);
}

#[wasm_bindgen_test]
async fn the_first_failure_rejects_at_once_and_aborts_every_sibling() {
    let (hang, waiting) = (key("ff-hang"), key("ff-wait"));
    let requests = js(&format!(
        r#"["{}", "{}", {{"url":"{}","retry":{{"limit":5,"baseDelay":800,"jitter":"none"}}}}]"#,
        url(&format!("/r?key={hang}&hang=1")),
        url("/r?status=500&delay=150"),
        url(&format!("/r?key={waiting}&fail=9")),
    ));
    let started = now();
    let error = parallel(requests, js(r#"{"retry":{"limit":0}}"#))
        .await
        .expect_err("a 500 fails the call");
    let elapsed = now() - started;
    assert_eq!(error_name(&error), "HttpError");
    assert_eq!(number(&error, "status"), 500.0);
    assert!(elapsed < 600.0, "rejected after {elapsed} ms");
    let hung = stats_until(&hang, |s| s.aborted == 1).await;
    assert_eq!(
        (hung.hits, hung.aborted),
        (1, 1),
        "the hanging sibling's connection was closed"
    );
    sleep(1000).await;
    let waited = stats(&waiting).await;
    assert_eq!(
        waited.hits, 1,
        "the sibling waiting to retry sent nothing more"
    );
}

#[wasm_bindgen_test]
async fn settled_fetch_reports_every_outcome_in_the_shape_of_all_settled() {
    let requests = js(&format!(
        r#"["{}", "{}", {{"url":"{}","timeout":200}}]"#,
        url("/r"),
        url("/r?status=404"),
        url("/r?hang=1"),
    ));
    let entries = settled(requests, js(r#"{"retry":false}"#))
        .await
        .expect("settledFetch resolves");
    assert_eq!(len(&entries), 3);
    let ok = at(&entries, 0);
    assert_eq!(text(&ok, "status"), "fulfilled");
    assert_eq!(number(&get(&ok, "value"), "status"), 200.0);
    let missing = at(&entries, 1);
    assert_eq!(text(&missing, "status"), "rejected");
    assert_eq!(error_name(&get(&missing, "reason")), "HttpError");
    assert_eq!(number(&get(&missing, "reason"), "status"), 404.0);
    let slow = at(&entries, 2);
    assert_eq!(error_name(&get(&slow, "reason")), "TimeoutError");
}

#[wasm_bindgen_test]
async fn concurrency_caps_the_requests_in_flight() {
    let one = url("/r?delay=200");
    let started = now();
    let results = parallel(
        strings(&[one.clone(), one.clone(), one.clone(), one]),
        js(r#"{"concurrency":2}"#),
    )
    .await
    .expect("all succeed");
    let elapsed = now() - started;
    assert_eq!(len(&results), 4);
    assert!(
        (390.0..900.0).contains(&elapsed),
        "two waves of 200 ms took {elapsed} ms"
    );
}

#[wasm_bindgen_test]
async fn relative_urls_resolve_against_the_page_or_are_refused_without_one() {
    let outcome = parallel(
        js(r#"["/no-such-page-for-parallel-fetch"]"#),
        js(r#"{"retry":false}"#),
    )
    .await;
    let error = outcome.expect_err("nothing is served there");
    if has_page() {
        assert_eq!(
            error_name(&error),
            "HttpError",
            "resolved against the page and fetched"
        );
        let origin = text(&get(&js_sys::global(), "location"), "origin");
        assert!(text(&error, "url").starts_with(&origin));
    } else {
        assert!(error.is_instance_of::<js_sys::TypeError>());
        assert!(text(&error, "message").starts_with("requests[0].url is not a valid URL"));
    }
}
