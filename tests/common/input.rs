//! Bad input rejects with a TypeError or RangeError naming the field, never throws or traps,
//! and leaves the module working.

use super::support::*;
use parallel_fetch::web::api::parallel_fetch;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

async fn rejection(requests: JsValue, options: JsValue) -> (String, String) {
    let promise = parallel_fetch(requests.unchecked_into(), Some(options.unchecked_into()));
    let error = JsFuture::from(promise)
        .await
        .expect_err("bad input rejects");
    (text(&error, "name"), text(&error, "message"))
}

#[wasm_bindgen_test]
async fn bad_input_names_the_field_and_the_module_keeps_working() {
    let good = url("/r");
    let cases: Vec<(JsValue, &str, &str, &str)> = vec![
        (js("42"), "{}", "TypeError", "requests must be an array"),
        (
            js(r#"[{"method":"GET"}]"#),
            "{}",
            "TypeError",
            "requests[0].url must be a string",
        ),
        (
            js(r#"["http://["]"#),
            "{}",
            "TypeError",
            "requests[0].url is not a valid URL",
        ),
        (
            js(&format!(
                r#"["{good}", "{good}", {{"url":"{good}","timeout":-5}}]"#
            )),
            "{}",
            "RangeError",
            "requests[2].timeout must be a non-negative number",
        ),
        (
            strings(&[good.as_str()]),
            r#"{"timeout":"fast"}"#,
            "TypeError",
            "options.timeout must be a number",
        ),
        (
            strings(&[good.as_str()]),
            r#"{"retry":{"jitter":"random"}}"#,
            "RangeError",
            "options.retry.jitter must be one of",
        ),
        (
            strings(&[good.as_str()]),
            r#"{"retry":{"limit":-1}}"#,
            "RangeError",
            "options.retry.limit must be a whole number",
        ),
        (
            js(&format!(r#"[{{"url":"{good}","method":"GE T"}}]"#)),
            "{}",
            "TypeError",
            "requests[0].method \"GE T\" is not a valid HTTP method",
        ),
        (
            js(&format!(
                r#"[{{"url":"{good}","headers":{{"bad name":"x"}}}}]"#
            )),
            "{}",
            "TypeError",
            "requests[0].headers is not valid",
        ),
        (
            strings(&[good.as_str()]),
            r#"{"concurrency":0}"#,
            "RangeError",
            "options.concurrency must be a whole number of at least 1",
        ),
        (
            strings(&[good.as_str()]),
            r#"{"debounce":{"key":"k"}}"#,
            "TypeError",
            "options.debounce.wait is required",
        ),
        (
            strings(&[good.as_str()]),
            r#"{"signal":"stop"}"#,
            "TypeError",
            "options.signal must be an AbortSignal",
        ),
        (
            strings(&[good.as_str()]),
            r#"{"timout":5}"#,
            "TypeError",
            "options has no option \"timout\"",
        ),
    ];
    for (requests, options, name, start) in cases {
        let (got_name, message) = rejection(requests, js(options)).await;
        assert_eq!(got_name, name, "{message}");
        assert!(
            message.starts_with(start),
            "expected {start:?}…, got {message:?}"
        );
    }
    let nan = js("{}");
    put(&nan, "timeout", &JsValue::from_f64(f64::NAN));
    let (name, message) = rejection(strings(&[good.as_str()]), nan).await;
    assert_eq!(
        (name.as_str(), message.as_str()),
        (
            "RangeError",
            "options.timeout must be a non-negative number of milliseconds, got NaN"
        )
    );
    let cyclic = js_sys::eval("(() => { const o = {}; o.self = o; return [{ url: 'http://127.0.0.1:1/', method: 'POST', json: o }]; })()").expect("eval");
    let (name, message) = rejection(cyclic, js("{}")).await;
    assert_eq!(name, "TypeError");
    assert!(
        message.starts_with("requests[0].json cannot be serialized to JSON: TypeError: "),
        "{message}"
    );
    let results = parallel(strings(&[good]), js("{}"))
        .await
        .expect("the module still works");
    assert_eq!(number(&at(&results, 0), "status"), 200.0);
}

#[wasm_bindgen_test]
async fn request_objects_without_a_prototype_are_read_like_any_other() {
    let source = format!(
        "(() => {{ const o = Object.create(null); o.url = '{}'; o.id = 'bare'; return [o]; }})()",
        url("/r")
    );
    let requests = js_sys::eval(&source).expect("eval");
    let results = parallel(requests, js("{}"))
        .await
        .expect("a bare object is a request spec");
    assert_eq!(text(&at(&results, 0), "id"), "bare");
}
