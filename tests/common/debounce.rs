//! Keyed debouncing: the latest call wins, every caller gets its outcome, stale runs abort.

use super::support::*;
use js_sys::Promise;
use parallel_fetch::web::api::{parallel_fetch, settled_fetch};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn debounced(group: &str, wait: u32, max_wait: Option<u32>) -> JsValue {
    let max = max_wait.map_or(String::new(), |m| format!(r#","maxWait":{m}"#));
    js(&format!(
        r#"{{"debounce":{{"key":"{group}","wait":{wait}{max}}}}}"#
    ))
}

fn start_parallel(target: String, options: &JsValue) -> Promise {
    parallel_fetch(
        strings(&[target]).unchecked_into(),
        Some(options.clone().unchecked_into()),
    )
}

fn start_settled(target: String, options: &JsValue) -> Promise {
    settled_fetch(
        strings(&[target]).unchecked_into(),
        Some(options.clone().unchecked_into()),
    )
}

#[wasm_bindgen_test]
async fn a_burst_sends_only_the_latest_call_and_every_caller_gets_its_outcome() {
    let group = key("search");
    let (a, b, c) = (key("deb-a"), key("deb-b"), key("deb-c"));
    let options = debounced(&group, 150, None);
    let first = start_settled(url(&format!("/r?key={a}")), &options);
    sleep(40).await;
    let second = start_parallel(url(&format!("/r?key={b}")), &options);
    sleep(40).await;
    let third = start_parallel(url(&format!("/r?key={c}")), &options);
    let third = JsFuture::from(third).await.expect("latest call");
    let second = JsFuture::from(second)
        .await
        .expect("superseded call follows the latest");
    let first = JsFuture::from(first)
        .await
        .expect("settled caller follows too");
    assert_eq!(text(&get(&at(&third, 0), "data"), "key"), c);
    assert_eq!(text(&get(&at(&second, 0), "data"), "key"), c);
    let entry = at(&first, 0);
    assert_eq!(
        text(&entry, "status"),
        "fulfilled",
        "in settledFetch's own shape"
    );
    assert_eq!(text(&get(&get(&entry, "value"), "data"), "key"), c);
    assert_eq!(
        (
            stats(&a).await.hits,
            stats(&b).await.hits,
            stats(&c).await.hits
        ),
        (0, 0, 1)
    );
}

#[wasm_bindgen_test]
async fn a_new_call_aborts_the_run_in_flight_and_its_callers_follow() {
    let group = key("inflight");
    let (slow, fresh) = (key("deb-slow"), key("deb-fresh"));
    let options = debounced(&group, 10, None);
    let stale = start_parallel(url(&format!("/r?key={slow}&delay=800")), &options);
    sleep(200).await;
    let latest = start_parallel(url(&format!("/r?key={fresh}")), &options);
    let latest = JsFuture::from(latest).await.expect("latest");
    let stale = JsFuture::from(stale)
        .await
        .expect("the stale caller gets the fresh outcome");
    assert_eq!(text(&get(&at(&stale, 0), "data"), "key"), fresh);
    assert_eq!(text(&get(&at(&latest, 0), "data"), "key"), fresh);
    let s = stats_until(&slow, |s| s.aborted == 1).await;
    assert_eq!(
        (s.hits, s.aborted),
        (1, 1),
        "the stale request's connection was closed"
    );
}

#[wasm_bindgen_test]
async fn max_wait_runs_a_long_burst_before_it_ends() {
    let group = key("maxwait");
    let options = debounced(&group, 100, Some(200));
    let mut calls = Vec::new();
    let mut keys = Vec::new();
    for i in 0..8 {
        let k = key(&format!("mw{i}"));
        calls.push(start_parallel(url(&format!("/r?key={k}")), &options));
        keys.push(k);
        sleep(60).await;
    }
    for call in calls {
        JsFuture::from(call).await.expect("every caller settles");
    }
    let mut hit = 0;
    for k in &keys {
        hit += stats(k).await.hits;
    }
    assert!(
        (2..8).contains(&hit),
        "{hit} runs: maxWait ran some mid-burst, and not every call ran"
    );
    assert_eq!(stats(&keys[7]).await.hits, 1, "the last call always runs");
}

#[wasm_bindgen_test]
async fn a_follower_whose_own_signal_aborts_leaves_with_an_abort_error() {
    let group = key("leave");
    let controller = web_sys::AbortController::new().expect("AbortController");
    let own = debounced(&group, 150, None);
    put(&own, "signal", &controller.signal());
    let leaving = start_parallel(url("/r"), &own);
    let staying = start_parallel(url("/r"), &debounced(&group, 150, None));
    controller.abort();
    let error = JsFuture::from(leaving).await.expect_err("left");
    assert_eq!(error_name(&error), "AbortError");
    JsFuture::from(staying)
        .await
        .expect("the other caller still gets its result");
}

#[wasm_bindgen_test]
async fn a_follower_leaving_and_a_collapsed_call_each_report_one_ending() {
    let group = key("endings-once");
    let (leaving_log, leaving_record) = recorder();
    let controller = web_sys::AbortController::new().expect("AbortController");
    let leaving = debounced(&group, 200, None);
    put(&leaving, "signal", &controller.signal());
    put(&leaving, "onEvent", &leaving_record);
    let first = start_parallel(url("/r"), &leaving);
    sleep(50).await;
    controller.abort();
    assert_eq!(
        error_name(&JsFuture::from(first).await.expect_err("left")),
        "AbortError"
    );
    sleep(300).await;
    let settle = &assert_one_ending_each(&leaving_log, 1)[0];
    assert_eq!(text(settle, "error"), "AbortError");

    let (collapsed_log, collapsed_record) = recorder();
    let collapsed = debounced(&group, 100, None);
    put(&collapsed, "onEvent", &collapsed_record);
    let early = start_parallel(url("/r"), &collapsed);
    sleep(20).await;
    let latest = start_parallel(url("/r"), &debounced(&group, 100, None));
    JsFuture::from(latest).await.expect("latest");
    JsFuture::from(early).await.expect("follows the latest");
    let settle = &assert_one_ending_each(&collapsed_log, 1)[0];
    assert_eq!(
        text(settle, "error"),
        "AbortError",
        "its own request never ran"
    );
    let abort = collapsed_log
        .iter()
        .find(|e| text(e, "type") == "abort")
        .expect("abort");
    assert_eq!(text(&abort, "by"), "debounce");
}

#[wasm_bindgen_test]
async fn a_call_made_from_an_event_of_the_call_it_replaces_is_the_latest() {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;

    let group = key("reentrant");
    let (a, b, c) = (key("re-a"), key("re-b"), key("re-c"));
    // The first call's onEvent, told that a later call collapsed it, calls again at once under
    // the same key, from inside that later call.
    let made: Rc<RefCell<Option<Promise>>> = Rc::default();
    let (made_by_event, again) = (made.clone(), url(&format!("/r?key={c}")));
    let options_again = debounced(&group, 50, None);
    let on_event = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        if text(&event, "type") == "abort" && made_by_event.borrow().is_none() {
            let call = start_parallel(again.clone(), &options_again);
            *made_by_event.borrow_mut() = Some(call);
        }
    });
    let first_options = debounced(&group, 50, None);
    put(&first_options, "onEvent", on_event.as_ref());
    let first = start_parallel(url(&format!("/r?key={a}")), &first_options);
    sleep(10).await;
    let second = start_parallel(url(&format!("/r?key={b}")), &debounced(&group, 50, None));
    let third = made.borrow_mut().take().expect("the event made a call");
    // Each caller settles (within 3 s) with the call made last.
    let within = |p: Promise| {
        let late = eval(
            "new Promise((_, reject) => setTimeout(() => reject('still pending after 3 s'), 3000))",
        );
        JsFuture::from(Promise::race(&js_sys::Array::of2(&p, &late)))
    };
    for (name, call) in [("third", third), ("second", second), ("first", first)] {
        let result = within(call)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(text(&get(&at(&result, 0), "data"), "key"), c, "{name}");
    }
    assert_eq!((stats(&a).await.hits, stats(&b).await.hits), (0, 0));
    drop(on_event);
}
