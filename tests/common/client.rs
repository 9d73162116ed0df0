//! createClient: fetch's own fields, layered defaults, hooks, dedup, idempotency keys,
//! per-origin limits, events and debounce keys of its own, stats.

use super::support::*;
use js_sys::{Array, Function, Object, Promise};
use parallel_fetch::web::client_api::{create_client, Client};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn client(options: &JsValue) -> Client {
    create_client(Some(options.clone()))
        .unwrap_or_else(|e| panic!("createClient: {}", text(&e, "message")))
}

fn with_fn(options: &JsValue, path: &[&str], source: &str) {
    let mut target = options.clone();
    for key in &path[..path.len() - 1] {
        let next = get(&target, key);
        let next = if next.is_undefined() {
            let o: JsValue = Object::new().into();
            put(&target, key, &o);
            o
        } else {
            next
        };
        target = next;
    }
    put(&target, path[path.len() - 1], &eval(source));
}

async fn one(c: &Client, request: JsValue, options: &str) -> Result<JsValue, JsValue> {
    JsFuture::from(c.fetch_one(request, Some(js(options)))).await
}

#[wasm_bindgen_test]
async fn fetch_fields_are_validated_and_bad_client_options_throw_naming_the_field() {
    let error = parallel(strings(&[url("/r")]), js(r#"{"credentials":"sometimes"}"#))
        .await
        .expect_err("refused");
    assert_eq!(error_name(&error), "TypeError");
    assert!(text(&error, "message")
        .starts_with("options.credentials must be one of 'omit', 'same-origin', 'include'"));
    let error = create_client(Some(js(r#"{"perOrigin":{"concurrency":0}}"#))).expect_err("bad");
    assert!(
        text(&error, "message").starts_with("client.perOrigin.concurrency"),
        "{}",
        text(&error, "message")
    );
    let error = create_client(Some(js(r#"{"signal":1}"#))).expect_err("bad");
    assert!(text(&error, "message").starts_with("client has no option \"signal\""));
}

#[wasm_bindgen_test]
async fn credentials_include_sends_cookies_to_another_origin() {
    if !has_page() {
        return; // Node's fetch keeps no cookies.
    }
    let name = key("c").replace('-', "");
    let api = client(&js(&format!(
        r#"{{"baseUrl":"{SERVER}","credentials":"include"}}"#
    )));
    one(
        &api,
        js(&format!(r#""/cookie/set?name={name}&value=yes""#)),
        "{}",
    )
    .await
    .expect("set");
    let with = one(&api, js(r#""/cookie/get""#), "{}").await.expect("get");
    assert_eq!(
        text(&get(&get(&with, "data"), "cookies"), &name),
        "yes",
        "the page is on another origin: {}",
        eval("location.origin").as_string().unwrap_or_default()
    );
    let without = one(
        &api,
        js(r#"{"url":"/cookie/get","credentials":"omit"}"#),
        "{}",
    )
    .await
    .expect("get");
    assert!(
        get(&get(&get(&without, "data"), "cookies"), &name).is_undefined(),
        "a request's own field wins"
    );
    one(&api, js(&format!(r#""/cookie/clear?name={name}""#)), "{}")
        .await
        .expect("clear");
}

#[wasm_bindgen_test]
async fn a_base_url_and_an_auth_hook_apply_to_every_attempt() {
    let options = js(&format!(
        r#"{{"baseUrl":"{SERVER}/","headers":{{"x-client":"c"}}}}"#
    ));
    with_fn(
        &options,
        &["hooks", "beforeRequest"],
        "(r) => { r.headers.set('authorization', 'Bearer t' + r.attempt); }",
    );
    let api = client(&options);
    let echo = one(
        &api,
        js(r#"{"url":"echo","searchParams":{"q":"a b","n":2}}"#),
        r#"{"headers":{"x-call":"k"}}"#,
    )
    .await
    .expect("echo");
    let headers = get(&get(&echo, "data"), "headers");
    assert_eq!(text(&headers, "authorization"), "Bearer t1");
    assert_eq!(text(&headers, "x-client"), "c");
    assert_eq!(text(&headers, "x-call"), "k");
    assert_eq!(text(&echo, "url"), url("/echo?q=a+b&n=2"));
    let k = key("hook-retries");
    let result = one(
        &api,
        js(&format!(r#""/r?key={k}&fail=1""#)),
        r#"{"retry":{"baseDelay":1}}"#,
    )
    .await
    .expect("retried");
    assert_eq!(number(&result, "attempts"), 2.0);
    let seen = stats(&k).await.headers;
    assert_eq!(
        text(&seen[1], "authorization"),
        "Bearer t2",
        "the hook ran again before the retry"
    );
}

#[wasm_bindgen_test]
async fn after_response_retry_refreshes_a_token_at_once() {
    let k = key("refresh");
    let options = js(&format!(r#"{{"baseUrl":"{SERVER}"}}"#));
    with_fn(
        &options,
        &["hooks", "afterResponse"],
        "(r) => r.status === 401 ? Promise.resolve('retry') : undefined",
    );
    let api = client(&options);
    let started = now();
    let result = one(
        &api,
        js(&format!(r#""/r?key={k}&fail=1&fail_status=401""#)),
        "{}",
    )
    .await
    .expect("refreshed");
    assert!(now() - started < 250.0, "no backoff");
    assert_eq!(number(&result, "attempts"), 2.0);
    assert_eq!(stats(&k).await.hits, 2);
}

#[wasm_bindgen_test]
async fn a_throwing_hook_fails_the_request_unsent_with_its_error_as_cause() {
    let k = key("hook-throws");
    let options = js("{}");
    with_fn(
        &options,
        &["hooks", "beforeRequest"],
        "() => { throw new Error('no token'); }",
    );
    let api = client(&options);
    let error = one(&api, JsValue::from(url(&format!("/r?key={k}"))), "{}")
        .await
        .expect_err("hook");
    assert_eq!(error_name(&error), "NetworkError");
    assert_eq!(text(&get(&error, "cause"), "message"), "no token");
    assert_eq!(number(&error, "attempts"), 1.0);
    sleep(50).await;
    assert_eq!(stats(&k).await.hits, 0);
}

#[wasm_bindgen_test]
async fn identical_gets_in_flight_share_one_fetch_and_each_caller_gets_its_own_result() {
    let k = key("dedupe");
    let api = client(&js("{}"));
    let target = url(&format!("/r?key={k}&delay=200"));
    let a = api.parallel_fetch(js(&format!(r#"[{{"url":"{target}","id":"a"}}]"#)), None);
    let b = api.parallel_fetch(js(&format!(r#"[{{"url":"{target}","id":"b"}}]"#)), None);
    let (a, b) = (
        JsFuture::from(a).await.expect("a"),
        JsFuture::from(b).await.expect("b"),
    );
    let (a, b) = (at(&a, 0), at(&b, 0));
    assert_eq!((text(&a, "id"), text(&b, "id")), ("a".into(), "b".into()));
    assert!(
        Object::is(&get(&a, "data"), &get(&b, "data")),
        "data parsed once, shared"
    );
    assert_eq!(stats(&k).await.hits, 1);
    let origin_stats = get(&api.stats(), SERVER);
    assert_eq!(number(&origin_stats, "deduped"), 1.0);
    assert_eq!(number(&origin_stats, "sent"), 1.0);
    assert_eq!(number(&origin_stats, "inFlight"), 0.0);
}

#[wasm_bindgen_test]
async fn a_subscriber_that_aborts_leaves_the_share_and_the_last_one_aborts_the_fetch() {
    let k = key("dedupe-abort");
    let api = client(&js("{}"));
    let target = url(&format!("/r?key={k}&delay=400"));
    let controller = web_sys::AbortController::new().expect("controller");
    let leaving = js("{}");
    put(&leaving, "signal", &controller.signal());
    let a = api.parallel_fetch(strings(&[&target]), Some(leaving));
    let b = api.parallel_fetch(strings(&[&target]), None);
    sleep(100).await;
    controller.abort();
    assert_eq!(
        error_name(&JsFuture::from(a).await.expect_err("aborted")),
        "AbortError"
    );
    let b = JsFuture::from(b)
        .await
        .expect("the other subscriber still gets it");
    assert_eq!(number(&at(&b, 0), "status"), 200.0);
    let s = stats_until(&k, |s| s.completed == 1).await;
    assert_eq!((s.hits, s.aborted), (1, 0), "one fetch, not aborted");
    let k2 = key("dedupe-all-leave");
    let target = url(&format!("/r?key={k2}&delay=2000"));
    let c1 = web_sys::AbortController::new().expect("controller");
    let options = js("{}");
    put(&options, "signal", &c1.signal());
    let x = api.parallel_fetch(strings(&[&target]), Some(options.clone()));
    let y = api.parallel_fetch(strings(&[&target]), Some(options));
    sleep(100).await;
    c1.abort();
    let _ = JsFuture::from(x).await;
    let _ = JsFuture::from(y).await;
    let s = stats_until(&k2, |s| s.aborted == 1).await;
    assert_eq!(
        (s.hits, s.aborted),
        (1, 1),
        "aborted when every subscriber left"
    );
}

#[wasm_bindgen_test]
async fn a_retryable_post_carries_one_idempotency_key_across_its_retries() {
    let (k1, k2) = (key("idem-1"), key("idem-2"));
    let api = client(&js("{}"));
    let options = r#"{"retry":{"methods":["POST"],"baseDelay":1}}"#;
    let post = |k: &str| {
        js(&format!(
            r#"{{"url":"{}","method":"POST","body":"x"}}"#,
            url(&format!("/r?key={k}&fail=2"))
        ))
    };
    one(&api, post(&k1), options).await.expect("third time");
    one(&api, post(&k2), options).await.expect("third time");
    let first = stats(&k1).await.headers;
    let keys: Vec<String> = first.iter().map(|h| text(h, "idempotency-key")).collect();
    assert_eq!(keys.len(), 3);
    assert!(
        keys[0].len() == 36 && &keys[0][14..15] == "4",
        "a UUID v4: {}",
        keys[0]
    );
    assert!(
        keys.iter().all(|k| *k == keys[0]),
        "the same on every retry: {keys:?}"
    );
    let other = text(&stats(&k2).await.headers[0], "idempotency-key");
    assert_ne!(other, keys[0], "different across requests");
    let k3 = key("idem-own");
    let own = js(&format!(
        r#"{{"url":"{}","method":"POST","body":"x","headers":{{"Idempotency-Key":"mine"}}}}"#,
        url(&format!("/r?key={k3}"))
    ));
    one(&api, own, options).await.expect("sent");
    assert_eq!(
        text(&stats(&k3).await.headers[0], "idempotency-key"),
        "mine"
    );
    let k4 = key("idem-none");
    one(
        &api,
        js(&format!(
            r#"{{"url":"{}","method":"POST","body":"x"}}"#,
            url(&format!("/r?key={k4}"))
        )),
        "{}",
    )
    .await
    .expect("sent");
    assert!(
        get(&stats(&k4).await.headers[0], "idempotency-key").is_undefined(),
        "not retryable, no key"
    );
}

#[wasm_bindgen_test]
async fn without_crypto_random_uuid_the_idempotency_key_is_still_a_uuid_v4() {
    // Insecure contexts have crypto.getRandomValues but not crypto.randomUUID.
    eval("Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true })");
    let k = key("idem-fallback");
    let api = client(&js("{}"));
    let post = js(&format!(
        r#"{{"url":"{}","method":"POST","body":"x"}}"#,
        url(&format!("/r?key={k}&fail=1"))
    ));
    let sent = one(
        &api,
        post,
        r#"{"retry":{"methods":["POST"],"baseDelay":1}}"#,
    )
    .await;
    eval("delete crypto.randomUUID");
    sent.expect("second time");
    let keys: Vec<String> = stats(&k)
        .await
        .headers
        .iter()
        .map(|h| text(h, "idempotency-key"))
        .collect();
    let shape = eval(
        "(k) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(k)",
    );
    let shape: &Function = shape.unchecked_ref();
    assert_eq!(keys.len(), 2);
    assert!(
        shape.call1(&JsValue::NULL, &JsValue::from_str(&keys[0])) == Ok(JsValue::TRUE),
        "a UUID v4: {}",
        keys[0]
    );
    assert_eq!(keys[0], keys[1], "the same on the retry");
}

#[wasm_bindgen_test]
async fn per_origin_concurrency_holds_across_calls() {
    let k = key("per-origin");
    let api = client(&js(r#"{"perOrigin":{"concurrency":3}}"#));
    let target: Vec<String> = (0..6)
        .map(|i| url(&format!("/r?key={k}&delay=100&i={i}")))
        .collect();
    let a = api.parallel_fetch(strings(&target), None);
    let b = api.parallel_fetch(strings(&target), Some(js(r#"{"responseType":"text"}"#)));
    sleep(30).await;
    let queued = number(&get(&api.stats(), SERVER), "queued");
    JsFuture::from(a).await.expect("a");
    JsFuture::from(b).await.expect("b");
    let s = stats(&k).await;
    assert_eq!(s.hits, 12);
    assert!(
        s.max_in_flight <= 3,
        "at most 3 in flight, saw {}",
        s.max_in_flight
    );
    assert!(queued >= 6.0, "{queued} queued");
}

#[wasm_bindgen_test]
async fn the_client_hears_every_call_and_each_call_its_own() {
    let (client_log, client_record) = recorder();
    let options = js("{}");
    put(&options, "onEvent", &client_record);
    let api = client(&options);
    let (call_log, call_record) = recorder();
    let call = js("{}");
    put(&call, "onEvent", &call_record);
    JsFuture::from(api.parallel_fetch(strings(&[url("/r")]), Some(call)))
        .await
        .expect("one");
    JsFuture::from(api.parallel_fetch(strings(&[url("/r")]), None))
        .await
        .expect("two");
    assert_eq!(call_log.length(), 3);
    assert_eq!(client_log.length(), 6);
}

#[wasm_bindgen_test]
async fn debounce_keys_belong_to_their_client() {
    let (a, b) = (client(&js("{}")), client(&js("{}")));
    let (ka, kb) = (key("deb-client-a"), key("deb-client-b"));
    let options = || Some(js(r#"{"debounce":{"key":"search","wait":30}}"#));
    let first = a.parallel_fetch(strings(&[url(&format!("/r?key={ka}"))]), options());
    let second = b.parallel_fetch(strings(&[url(&format!("/r?key={kb}"))]), options());
    let first = JsFuture::from(first).await.expect("a");
    JsFuture::from(second).await.expect("b");
    assert_eq!(
        text(&get(&at(&first, 0), "data"), "key"),
        ka,
        "not superseded by the other client's call"
    );
}

#[wasm_bindgen_test]
async fn extend_layers_again_and_keeps_its_own_state() {
    let base = client(&js(&format!(r#"{{"baseUrl":"{SERVER}","timeout":50}}"#)));
    let longer = base.extend(js(r#"{"timeout":2000}"#)).expect("extend");
    let error = one(&base, js(r#""/r?delay=300""#), r#"{"retry":false}"#)
        .await
        .expect_err("50 ms");
    assert_eq!(error_name(&error), "TimeoutError");
    one(&longer, js(r#""/r?delay=300""#), "{}")
        .await
        .expect("2000 ms, and the base URL kept");
    let s = get(&longer.stats(), SERVER);
    assert_eq!(number(&s, "sent"), 1.0, "its own counters");
}

#[wasm_bindgen_test]
async fn the_default_per_origin_cap_grows_with_the_origin_s_throughput_within_its_ceiling() {
    // With no attempt timeout, nothing limits what a fast origin may be handed but the ceiling:
    // once its rate is known the client hands over more than the floor of 256, never past 1024.
    let api = client(&js("{}"));
    let k = key("origin-cap");
    let targets: Vec<String> = (0..1500)
        .map(|i| url(&format!("/r?key={k}&i={i}")))
        .collect();
    let call = JsFuture::from(api.parallel_fetch(
        strings(&targets),
        Some(eval("({ timeout: Infinity, retry: false })")),
    ));
    let done = std::rc::Rc::new(std::cell::Cell::new(false));
    let finished = done.clone();
    wasm_bindgen_futures::spawn_local(async move {
        call.await.expect("every request succeeds");
        finished.set(true);
    });
    let mut most = 0.0f64;
    while !done.get() {
        sleep(5).await;
        let origin = get(&api.stats(), SERVER);
        if !origin.is_undefined() {
            most = most.max(number(&origin, "inFlight"));
        }
    }
    assert!(most > 256.0, "the cap never grew past the floor: {most}");
    assert!(most <= 1024.0, "past the ceiling: {most}");
    assert_eq!(stats(&k).await.hits, 1500);
}

#[wasm_bindgen_test]
async fn requests_that_join_a_deduplicated_fetch_do_not_count_as_answers_from_the_origin() {
    // 200 identical GETs share one fetch. Counted as 200 answers, they would give the origin a
    // rate of several per ms once a later answer closes the window, and the next call's
    // 2000 ms timeout would let it be handed up to the ceiling of 1024 at once (what that rate
    // answers in a quarter of 2000 ms); counted as the one answer they are, the rate stays
    // unknown and the next call starts at the floor of 256. That call's URLs take 1 s, so no
    // answer of its own moves the cap while it is watched; then it is aborted.
    let api = client(&js("{}"));
    let shared = url(&format!("/r?key={}&delay=100", key("joined")));
    let same: Vec<String> = (0..200).map(|_| shared.clone()).collect();
    JsFuture::from(api.parallel_fetch(strings(&same), Some(js(r#"{"retry":false}"#))))
        .await
        .expect("one fetch, 200 results");
    assert_eq!(number(&get(&api.stats(), SERVER), "deduped"), 199.0);
    // A later answer, 60 ms on, closes the window the joiners would have filled.
    sleep(60).await;
    one(&api, JsValue::from(url("/r")), r#"{"retry":false}"#)
        .await
        .expect("instant");
    let k = key("after-joined");
    let targets: Vec<String> = (0..1000)
        .map(|i| url(&format!("/r?key={k}&i={i}&delay=1000")))
        .collect();
    let controller = web_sys::AbortController::new().expect("AbortController");
    let options = js(r#"{"timeout":2000,"retry":false}"#);
    put(&options, "signal", &controller.signal());
    let call = JsFuture::from(api.parallel_fetch(strings(&targets), Some(options)));
    let started = now();
    let mut most = 0.0f64;
    while now() - started < 150.0 {
        sleep(5).await;
        most = most.max(number(&get(&api.stats(), SERVER), "inFlight"));
    }
    controller.abort();
    let error = call.await.expect_err("aborted");
    assert_eq!(error_name(&error), "AbortError");
    assert!(
        most <= 256.0,
        "joiners counted as answers: {most} in flight"
    );
    assert!(most >= 200.0, "the floor was not used: {most}");
}

#[wasm_bindgen_test]
async fn five_thousand_requests_in_one_call_all_succeed_without_a_concurrency_option() {
    if !has_page() {
        return;
    }
    let targets: Vec<String> = (0..5000).map(|i| url(&format!("/r?i={i}"))).collect();
    let entries = settled(strings(&targets), js("{}")).await.expect("settled");
    let rejected: Vec<JsValue> = entries
        .unchecked_ref::<Array>()
        .iter()
        .filter(|e| text(e, "status") != "fulfilled")
        .collect();
    assert!(
        rejected.is_empty(),
        "{} failed, e.g. {}",
        rejected.len(),
        rejected
            .first()
            .map(|e| text(&get(e, "reason"), "message"))
            .unwrap_or_default()
    );
    let _ = (Function::new_no_args(""), Promise::resolve(&JsValue::NULL));
}

#[wasm_bindgen_test]
async fn a_hook_that_never_settles_is_bounded_by_the_attempt_timeout() {
    let k = key("hook-hangs");
    let options = js("{}");
    with_fn(
        &options,
        &["hooks", "beforeRequest"],
        "() => new Promise(() => {})",
    );
    let api = client(&options);
    let started = now();
    let error = one(
        &api,
        JsValue::from(url(&format!("/r?key={k}"))),
        r#"{"timeout":150,"retry":false}"#,
    )
    .await
    .expect_err("timed out");
    let elapsed = now() - started;
    assert_eq!(error_name(&error), "TimeoutError");
    assert!((140.0..800.0).contains(&elapsed), "{elapsed} ms");
    assert_eq!(stats(&k).await.hits, 0, "nothing was sent");
}

#[wasm_bindgen_test]
async fn requests_that_differ_in_fetch_fields_do_not_share_a_fetch() {
    let k = key("dedupe-init");
    let api = client(&js("{}"));
    let target = url(&format!("/r?key={k}&delay=150"));
    let a = api.fetch_one(
        js(&format!(r#"{{"url":"{target}","credentials":"omit"}}"#)),
        None,
    );
    let b = api.fetch_one(
        js(&format!(
            r#"{{"url":"{target}","credentials":"same-origin"}}"#
        )),
        None,
    );
    JsFuture::from(a).await.expect("a");
    JsFuture::from(b).await.expect("b");
    assert_eq!(stats(&k).await.hits, 2);
}

#[wasm_bindgen_test]
async fn requests_share_a_fetch_only_when_their_headers_are_the_same() {
    let k = key("dedupe-headers");
    // The client's header under each request's own: both layers count, in any case and order.
    let api = client(&js(r#"{"headers":{"X-Client":"c"}}"#));
    let target = url(&format!("/r?key={k}&delay=150"));
    let spec = |headers: &str| js(&format!(r#"{{"url":"{target}","headers":{headers}}}"#));
    let calls = [
        api.fetch_one(spec(r#"{"x-a":"1","X-B":"2"}"#), None),
        api.fetch_one(spec(r#"{"X-B":"2","x-A":"1"}"#), None),
        api.fetch_one(spec(r#"{"x-a":"1","x-b":"3"}"#), None),
        api.fetch_one(spec(r#"{"x-a":"1","x-b":"2","x-client":"d"}"#), None),
    ];
    for call in calls {
        JsFuture::from(call).await.expect("answered");
    }
    assert_eq!(
        stats(&k).await.hits,
        3,
        "only the first two are the same request"
    );
    assert_eq!(number(&get(&api.stats(), SERVER), "deduped"), 1.0);
}

#[wasm_bindgen_test]
async fn a_then_getter_that_throws_leaves_later_calls_alone() {
    let options = js("{}");
    with_fn(
        &options,
        &["hooks", "beforeRequest"],
        "() => ({ get then() { throw new Error('then'); } })",
    );
    let api = client(&options);
    one(&api, JsValue::from(url("/r")), "{}")
        .await
        .expect("not a thenable: sent");
    let call = js("{}");
    put(&call, "timeout", &JsValue::UNDEFINED);
    JsFuture::from(api.parallel_fetch(strings(&[url("/r")]), Some(call)))
        .await
        .expect("an option set to undefined is still absent");
}

#[wasm_bindgen_test]
async fn a_retry_after_a_shared_401_sends_anew() {
    let k = key("shared-401");
    let options = js("{}");
    with_fn(
        &options,
        &["hooks", "afterResponse"],
        "(r) => (r.status === 401 ? 'retry' : undefined)",
    );
    let api = client(&options);
    let target = url(&format!("/r?key={k}&fail=1&fail_status=401&delay=50"));
    let a = api.fetch_one(JsValue::from(target.clone()), None);
    let b = api.fetch_one(JsValue::from(target), None);
    let (a, b) = (
        JsFuture::from(a).await.expect("a"),
        JsFuture::from(b).await.expect("b"),
    );
    assert_eq!((number(&a, "status"), number(&b, "status")), (200.0, 200.0));
    assert_eq!(
        stats(&k).await.hits,
        2,
        "one shared 401, then one shared retry"
    );
}
