//! Helpers for the shared test body: the test server's address, JS values from JSON, calls to
//! the SDK, the server's per-key record, and a clock.

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Promise, Reflect, JSON};
use parallel_fetch::web::api::{parallel_fetch, settled_fetch};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The test server, from the build's environment (the Makefile starts it and sets this).
pub const SERVER: &str = match option_env!("PF_TEST_SERVER") {
    Some(url) => url,
    None => "http://127.0.0.1:8787",
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn raw_fetch(url: &str) -> Promise;
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn now() -> f64;
}

/// A URL on the test server.
pub fn url(path_and_query: &str) -> String {
    format!("{SERVER}{path_and_query}")
}

/// A key no other test uses, so tests can share one server.
pub fn key(name: &str) -> String {
    format!(
        "{name}-{}-{}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e9) as u64
    )
}

/// A JS value from JSON text.
pub fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap_or_else(|e| panic!("bad JSON in test: {json}: {e:?}"))
}

/// A JS array of strings.
pub fn strings(items: &[impl AsRef<str>]) -> JsValue {
    items
        .iter()
        .map(|s| JsValue::from_str(s.as_ref()))
        .collect::<Array>()
        .into()
}

/// `value[key]`.
pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `value[key]` as a string, or "" .
pub fn text(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_default()
}

/// `value[key]` as a number, or NaN.
pub fn number(value: &JsValue, key: &str) -> f64 {
    get(value, key).as_f64().unwrap_or(f64::NAN)
}

/// Sets `value[key]`.
pub fn put(value: &JsValue, key: &str, field: &JsValue) {
    Reflect::set(value, &key.into(), field).expect("set a test field");
}

/// `parallelFetch(requests, options)`, awaited.
pub async fn parallel(requests: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(parallel_fetch(
        requests.unchecked_into(),
        Some(options.unchecked_into()),
    ))
    .await
}

/// `settledFetch(requests, options)`, awaited.
pub async fn settled(requests: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(settled_fetch(
        requests.unchecked_into(),
        Some(options.unchecked_into()),
    ))
    .await
}

/// Element `i` of a JS array.
pub fn at(array: &JsValue, i: u32) -> JsValue {
    array.unchecked_ref::<Array>().get(i)
}

/// The length of a JS array.
pub fn len(array: &JsValue) -> u32 {
    array.unchecked_ref::<Array>().length()
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

/// What the server recorded for a key.
#[derive(Debug)]
pub struct Stats {
    pub hits: u32,
    pub aborted: u32,
    pub completed: u32,
    /// Arrival times on the server's clock, ms.
    pub times: Vec<f64>,
    /// The most hits of the key in flight at once.
    pub max_in_flight: u32,
    /// Each hit's request headers, names lower-case.
    pub headers: Vec<JsValue>,
    /// Hits the server's quota refused with 429.
    pub limited: u32,
}

/// The server's record of `key`.
pub async fn stats(key: &str) -> Stats {
    let response = JsFuture::from(raw_fetch(&url(&format!("/stats?key={key}"))))
        .await
        .expect("stats");
    let json = response
        .unchecked_into::<web_sys::Response>()
        .json()
        .expect("stats body");
    let body = JsFuture::from(json).await.expect("stats json");
    let times = get(&body, "times")
        .unchecked_into::<Array>()
        .iter()
        .filter_map(|t| t.as_f64())
        .collect();
    let headers = get(&body, "headers")
        .dyn_into::<Array>()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    Stats {
        hits: number(&body, "hits") as u32,
        aborted: number(&body, "aborted") as u32,
        completed: number(&body, "completed") as u32,
        times,
        max_in_flight: number(&body, "maxInFlight") as u32,
        headers,
        limited: number(&body, "limited") as u32,
    }
}

/// Polls the server until `done` holds for `key`'s record (at most ~2 s), and returns it.
pub async fn stats_until(key: &str, done: impl Fn(&Stats) -> bool) -> Stats {
    let mut last = stats(key).await;
    for _ in 0..40 {
        if done(&last) {
            break;
        }
        sleep(50).await;
        last = stats(key).await;
    }
    last
}

/// True where relative URLs have something to resolve against (a page or a worker's location),
/// false in Node.
pub fn has_page() -> bool {
    let location = get(&js_sys::global(), "location");
    !location.is_undefined() && !location.is_null()
}

/// True in a window (there is a `document`), false in a worker and in Node.
pub fn has_document() -> bool {
    let document = get(&js_sys::global(), "document");
    !document.is_undefined() && !document.is_null()
}

/// An error's name, or "" for something that is not an Error.
pub fn error_name(error: &JsValue) -> String {
    if error.is_instance_of::<js_sys::Error>() {
        text(error, "name")
    } else {
        String::new()
    }
}

/// An `onEvent` callback that pushes every event into the returned array.
pub fn recorder() -> (js_sys::Array, JsValue) {
    let log = js_sys::Array::new();
    let record = js_sys::Function::new_with_args("log", "return (event) => log.push(event)")
        .call1(&JsValue::UNDEFINED, &log)
        .expect("a recorder");
    (log, record)
}

/// The events of request `index`, by type, in order.
pub fn kinds_of(log: &js_sys::Array, index: u32) -> Vec<String> {
    log.iter()
        .filter(|e| number(e, "index") == f64::from(index))
        .map(|e| text(&e, "type"))
        .collect()
}

/// Asserts that each of `n` requests has exactly one `settle`, as its last event, with `abort`
/// (if any) right before it, and returns the settle events.
pub fn assert_one_ending_each(log: &js_sys::Array, n: u32) -> Vec<JsValue> {
    (0..n)
        .map(|i| {
            let kinds = kinds_of(log, i);
            let settles = kinds.iter().filter(|k| *k == "settle").count();
            assert_eq!(settles, 1, "request {i}: {kinds:?}");
            assert_eq!(
                kinds.last().map(String::as_str),
                Some("settle"),
                "{kinds:?}"
            );
            if let Some(at) = kinds.iter().position(|k| k == "abort") {
                assert_eq!(at + 2, kinds.len(), "abort right before settle: {kinds:?}");
            }
            log.iter()
                .find(|e| number(e, "index") == f64::from(i) && text(e, "type") == "settle")
                .expect("a settle")
        })
        .collect()
}

/// Evaluates a JS expression.
pub fn eval(source: &str) -> JsValue {
    js_sys::eval(source).unwrap_or_else(|e| panic!("bad JS in test: {source}: {e:?}"))
}
