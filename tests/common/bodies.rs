//! Request bodies and headers; response types.

use super::support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn call_headers_merge_under_request_headers_and_json_is_sent_as_json() {
    let request = js(&format!(
        r#"[{{"url":"{}","method":"post","headers":{{"x-b":"mine"}},"json":{{"a":[1,2]}}}}]"#,
        url("/echo")
    ));
    let options = js(r#"{"headers":{"x-a":"call","x-b":"call"}}"#);
    let echo = get(
        &at(&parallel(request, options).await.expect("echo"), 0),
        "data",
    );
    assert_eq!(text(&echo, "method"), "POST");
    let headers = get(&echo, "headers");
    assert_eq!(text(&headers, "x-a"), "call");
    assert_eq!(text(&headers, "x-b"), "mine");
    assert_eq!(text(&headers, "content-type"), "application/json");
    assert_eq!(text(&echo, "body"), r#"{"a":[1,2]}"#);
}

#[wasm_bindgen_test]
async fn auto_reads_json_text_and_nothing_as_the_response_says() {
    let requests = strings(&[
        url("/r?content_type=text/plain&body=hello"),
        url("/r?status=204"),
        url("/r"),
        url("/r?empty=1&content_type=application/json"),
    ]);
    let results = parallel(requests, js("{}")).await.expect("all succeed");
    assert_eq!(
        get(&at(&results, 0), "data").as_string().as_deref(),
        Some("hello")
    );
    assert!(get(&at(&results, 1), "data").is_null(), "204 is null");
    assert!(get(&at(&results, 2), "data").is_object(), "JSON is parsed");
    assert!(
        get(&at(&results, 3), "data").is_null(),
        "an empty JSON body is null"
    );
    let head = js(&format!(r#"[{{"url":"{}","method":"HEAD"}}]"#, url("/r")));
    assert!(get(
        &at(&parallel(head, js("{}")).await.expect("HEAD"), 0),
        "data"
    )
    .is_null());
}

#[wasm_bindgen_test]
async fn response_types_can_be_forced() {
    let one = || strings(&[url("/r?content_type=text/plain&body=%7B%22n%22%3A1%7D")]);
    let json = parallel(one(), js(r#"{"responseType":"json"}"#))
        .await
        .expect("json");
    assert_eq!(number(&get(&at(&json, 0), "data"), "n"), 1.0);
    let text_result = parallel(strings(&[url("/r")]), js(r#"{"responseType":"text"}"#))
        .await
        .expect("text");
    assert!(get(&at(&text_result, 0), "data")
        .as_string()
        .unwrap_or_default()
        .starts_with('{'));
    let buffer = parallel(one(), js(r#"{"responseType":"arrayBuffer"}"#))
        .await
        .expect("arrayBuffer");
    let data = get(&at(&buffer, 0), "data");
    assert_eq!(
        data.unchecked_into::<js_sys::ArrayBuffer>().byte_length(),
        7
    );
    let blob = parallel(one(), js(r#"{"responseType":"blob"}"#))
        .await
        .expect("blob");
    assert_eq!(number(&get(&at(&blob, 0), "data"), "size"), 7.0);
}

#[wasm_bindgen_test]
async fn invalid_json_is_a_parse_error_and_not_retried() {
    let k = key("bad-json");
    let error = parallel(
        strings(&[url(&format!("/r?key={k}&invalid_json=1"))]),
        js("{}"),
    )
    .await
    .expect_err("unparseable");
    assert_eq!(error_name(&error), "ParseError");
    assert_eq!(error_name(&get(&error, "cause")), "SyntaxError");
    assert_eq!(stats(&k).await.hits, 1);
}
