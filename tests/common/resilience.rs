//! Resilience across calls: the breaker, the retry budget, hedged requests, RateLimit headers
//! and 429 pauses, each on a client of its own against the test server.

use super::support::*;
use parallel_fetch::web::client_api::{create_client, Client};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn client_with(options: &str, record: Option<&JsValue>) -> Client {
    let options = js(options);
    if let Some(record) = record {
        put(&options, "onEvent", record);
    }
    create_client(Some(options)).unwrap_or_else(|e| panic!("createClient: {}", text(&e, "message")))
}

async fn one(c: &Client, target: String, options: &str) -> Result<JsValue, JsValue> {
    JsFuture::from(c.fetch_one(JsValue::from(target), Some(js(options)))).await
}

fn count(log: &js_sys::Array, kind: &str) -> usize {
    log.iter().filter(|e| text(e, "type") == kind).count()
}

#[wasm_bindgen_test]
async fn the_breaker_opens_fails_fast_unsent_half_opens_and_a_probe_closes_it() {
    let (log, record) = recorder();
    let api = client_with(
        r#"{"breaker":{"minimumThroughput":4,"failureRatio":0.5,"breakDuration":300},"retryBudget":false,"retry":false}"#,
        Some(&record),
    );
    let failing = key("breaker-fail");
    for _ in 0..4 {
        one(&api, url(&format!("/r?key={failing}&status=503")), "{}")
            .await
            .expect_err("503");
    }
    assert_eq!(count(&log, "breakerOpen"), 1);
    let started = now();
    let error = one(&api, url(&format!("/r?key={failing}")), "{}")
        .await
        .expect_err("open");
    assert!(now() - started < 50.0, "at once");
    assert_eq!(error_name(&error), "CircuitOpenError");
    assert_eq!(number(&error, "attempts"), 0.0);
    assert_eq!(text(&error, "origin"), SERVER);
    let retry_after = number(&error, "retryAfter");
    assert!((0.0..=300.0).contains(&retry_after), "{retry_after}");
    assert!(
        text(&error, "message").contains("circuit breaker"),
        "{}",
        text(&error, "message")
    );
    assert_eq!(stats(&failing).await.hits, 4, "nothing was sent while open");
    assert_eq!(text(&get(&api.stats(), SERVER), "breaker"), "open");
    sleep(350).await;
    let probe = key("breaker-probe");
    one(&api, url(&format!("/r?key={probe}")), "{}")
        .await
        .expect("the probe succeeds");
    assert_eq!(count(&log, "breakerHalfOpen"), 1);
    assert_eq!(count(&log, "breakerClose"), 1);
    assert_eq!(text(&get(&api.stats(), SERVER), "breaker"), "closed");
    let error = parallel(strings(&[url("/r")]), js("{}"))
        .await
        .map(|_| ())
        .map_err(|e| error_name(&e));
    assert_eq!(error, Ok(()), "another client's breaker is its own");
}

#[wasm_bindgen_test]
async fn a_spent_retry_budget_stops_retries_and_says_so() {
    let (log, record) = recorder();
    // No ratio and a reserve of one retry in the window.
    let api = client_with(
        r#"{"retryBudget":{"ratio":0,"minPerSecond":0.1,"window":10000}}"#,
        Some(&record),
    );
    let k = key("budget");
    let error = one(
        &api,
        url(&format!("/r?key={k}&fail=9")),
        r#"{"retry":{"limit":3,"baseDelay":1}}"#,
    )
    .await
    .expect_err("503");
    assert_eq!(error_name(&error), "HttpError");
    assert_eq!(
        number(&error, "attempts"),
        2.0,
        "one retry, then the budget said no"
    );
    assert_eq!(text(&error, "stopped"), "retryBudget");
    assert!(
        text(&error, "message").contains("retry budget"),
        "{}",
        text(&error, "message")
    );
    assert_eq!(count(&log, "budgetExhausted"), 1);
    assert_eq!(stats(&k).await.hits, 2);
    assert_eq!(number(&get(&api.stats(), SERVER), "budget"), 0.0);
}

#[wasm_bindgen_test]
async fn a_hedge_leaves_at_its_delay_wins_and_the_loser_is_aborted() {
    let (log, record) = recorder();
    let api = client_with("{}", Some(&record));
    let k = key("hedge");
    let started = now();
    let result = one(
        &api,
        url(&format!("/r?key={k}&hang_first=1")),
        r#"{"hedge":{"delay":150}}"#,
    )
    .await
    .expect("the hedge answers");
    let elapsed = now() - started;
    assert!((140.0..1000.0).contains(&elapsed), "{elapsed} ms");
    assert_eq!(number(&result, "attempts"), 2.0);
    assert_eq!(count(&log, "hedgeStart"), 1);
    let s = stats_until(&k, |s| s.aborted == 1).await;
    assert_eq!(
        (s.hits, s.aborted, s.completed),
        (2, 1, 1),
        "the loser's connection was closed"
    );
    let gap = s.times[1] - s.times[0];
    assert!(
        (120.0..400.0).contains(&gap),
        "the hedge left {gap} ms after the first, on the wire"
    );
    assert_eq!(number(&get(&api.stats(), SERVER), "hedges"), 1.0);
    let post = one(
        &api,
        url(&format!("/r?key={}&delay=300", key("no-hedge"))),
        r#"{"hedge":{"delay":10},"retry":{"methods":["POST"]}}"#,
    );
    let _ = post.await;
    assert_eq!(
        count(&log, "hedgeStart"),
        1,
        "a GET only hedges when asked; POST never"
    );
}

#[wasm_bindgen_test]
async fn rate_limit_headers_hold_requests_back_and_no_429_is_drawn() {
    let (log, record) = recorder();
    let api = client_with("{}", Some(&record));
    let k = key("quota");
    let target = url(&format!("/r?key={k}&quota=2&window=1000"));
    let started = now();
    for _ in 0..4 {
        one(&api, target.clone(), "{}").await.expect("never a 429");
    }
    let elapsed = now() - started;
    let s = stats(&k).await;
    assert_eq!(
        (s.hits, s.limited),
        (4, 0),
        "the client waited for the reset instead"
    );
    assert!(elapsed >= 800.0, "it waited for the window: {elapsed} ms");
    assert!(count(&log, "rateLimited") >= 1);
}

#[wasm_bindgen_test]
async fn a_429_pauses_its_origin_for_every_call_of_the_client() {
    let (log, record) = recorder();
    let api = client_with("{}", Some(&record));
    let (first, second) = (key("429-first"), key("429-second"));
    let error = one(
        &api,
        url(&format!("/r?key={first}&status=429&retry_after=1")),
        r#"{"retry":false}"#,
    )
    .await
    .expect_err("429");
    assert_eq!(number(&error, "status"), 429.0);
    let started = now();
    one(&api, url(&format!("/r?key={second}")), "{}")
        .await
        .expect("after the pause");
    let waited = now() - started;
    assert!(
        waited >= 800.0,
        "the other call waited out the Retry-After: {waited} ms"
    );
    let paused = log
        .iter()
        .find(|e| text(e, "type") == "rateLimited")
        .expect("rateLimited");
    assert_eq!(text(&paused, "origin"), SERVER);
    assert!(number(&paused, "delay") > 500.0);
}
