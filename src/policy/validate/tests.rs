use super::*;
use crate::policy::options::ClientSettings;
use crate::policy::raw::InputErrorKind;
use proptest::prelude::*;

use crate::policy::raw::test_object as obj;
fn num(n: f64) -> Raw {
    Raw::Number(n)
}
fn text(s: &str) -> Raw {
    Raw::Text(s.into())
}
fn err(r: Result<impl std::fmt::Debug, InputError>) -> InputError {
    r.expect_err("should be rejected")
}
fn request_err(index: usize, raw: Raw) -> InputError {
    err(request(index, &raw, &CallOptions::default()))
}

#[test]
fn no_options_means_the_documented_defaults() {
    let call = call_options(&Raw::Undefined).unwrap();
    assert_eq!(call, CallOptions::default());
    assert_eq!(call.timeout_ms, Some(10_000.0));
    assert_eq!(call.retry.limit, 2);
    assert_eq!(
        call.retry.status_codes,
        vec![408, 425, 429, 500, 502, 503, 504]
    );
    assert_eq!(call.retry.backoff.jitter, Jitter::Full);
    assert_eq!(call_options(&Raw::Null).unwrap(), CallOptions::default());
}

#[test]
fn a_string_request_is_a_get_of_that_url() {
    let r = request(0, &text("/api/a"), &CallOptions::default()).unwrap();
    assert_eq!(
        (r.url.as_str(), r.method.as_str(), r.timeout_ms),
        ("/api/a", "GET", Some(10_000.0))
    );
}

#[test]
fn bad_numbers_are_range_errors_naming_index_and_field() {
    let e = request_err(2, obj(&[("url", text("/a")), ("timeout", num(-1.0))]));
    assert_eq!(e.kind, InputErrorKind::Range);
    assert_eq!(
        e.message,
        "requests[2].timeout must be a non-negative number of milliseconds, got -1"
    );
    let e = request_err(0, obj(&[("url", text("/a")), ("timeout", num(f64::NAN))]));
    assert!(
        e.message
            .starts_with("requests[0].timeout must be a non-negative"),
        "{e}"
    );
    let e = err(call_options(&obj(&[("totalTimeout", num(3e9))])));
    assert_eq!(e.kind, InputErrorKind::Range);
    assert!(
        e.message
            .contains("options.totalTimeout must be at most 2147483647"),
        "{e}"
    );
}

#[test]
fn wrong_types_are_type_errors() {
    let e = err(call_options(&obj(&[("timeout", text("100"))])));
    assert_eq!(e.kind, InputErrorKind::Type);
    assert_eq!(
        e.message,
        "options.timeout must be a number of milliseconds, got \"100\""
    );
    assert_eq!(
        err(call_options(&num(3.0))).message,
        "options must be an object, got 3"
    );
    let e = request_err(1, obj(&[("method", text("GET"))]));
    assert_eq!(
        e.message,
        "requests[1].url must be a string or a URL, got undefined"
    );
    assert_eq!(
        request_err(3, num(1.0)).message,
        "requests[3] must be a URL string, a URL or an object with a url, got 1"
    );
    assert_eq!(
        request_err(0, text("  ")).message,
        "requests[0].url must not be empty"
    );
}

#[test]
fn infinity_turns_timeouts_off() {
    let call = call_options(&obj(&[
        ("timeout", num(f64::INFINITY)),
        ("totalTimeout", num(f64::INFINITY)),
    ]))
    .unwrap();
    assert_eq!((call.timeout_ms, call.total_timeout_ms), (None, None));
    let r = request(
        0,
        &obj(&[("url", text("/a")), ("timeout", num(f64::INFINITY))]),
        &CallOptions::default(),
    );
    assert_eq!(r.unwrap().timeout_ms, None);
}

#[test]
fn request_level_settings_override_the_call() {
    let call = call_options(&obj(&[
        ("timeout", num(500.0)),
        (
            "retry",
            obj(&[("limit", num(4.0)), ("jitter", text("none"))]),
        ),
    ]))
    .unwrap();
    let plain = request(0, &text("/a"), &call).unwrap();
    assert_eq!((plain.timeout_ms, plain.retry.limit), (Some(500.0), 4));
    let spec = obj(&[
        ("url", text("/a")),
        ("timeout", num(50.0)),
        ("retry", obj(&[("baseDelay", num(10.0))])),
    ]);
    let own = request(0, &spec, &call).unwrap();
    assert_eq!(own.timeout_ms, Some(50.0));
    assert_eq!(
        (
            own.retry.limit,
            own.retry.backoff.base_delay_ms,
            own.retry.backoff.jitter
        ),
        (4, 10.0, Jitter::None)
    );
    let off = request(
        0,
        &obj(&[("url", text("/a")), ("retry", Raw::Bool(false))]),
        &call,
    )
    .unwrap();
    assert_eq!(off.retry.limit, 0);
    let three = request(0, &obj(&[("url", text("/a")), ("retry", num(3.0))]), &call).unwrap();
    assert_eq!(three.retry.limit, 3);
}

#[test]
fn retry_fields_are_checked_one_by_one() {
    let bad = |retry: Raw| err(call_options(&obj(&[("retry", retry)]))).message;
    assert_eq!(
        bad(num(1.5)),
        "options.retry must be a whole number of at least 0, got 1.5"
    );
    assert_eq!(
        bad(Raw::Bool(true)),
        "options.retry must be a number, false or an object, got true"
    );
    assert_eq!(bad(obj(&[("jitter", text("random"))])), "options.retry.jitter must be one of 'full', 'equal', 'decorrelated', 'none', got \"random\"");
    assert_eq!(
        bad(obj(&[(
            "statusCodes",
            Raw::List(vec![num(503.0), num(99.0)])
        )])),
        "options.retry.statusCodes[1] must be a whole number from 100 to 599, got 99"
    );
    assert_eq!(
        bad(obj(&[("methods", text("GET"))])),
        "options.retry.methods must be an array, got \"GET\""
    );
    assert_eq!(
        bad(obj(&[("methods", Raw::List(vec![text("B AD")]))])),
        "options.retry.methods[0] \"B AD\" is not a valid HTTP method"
    );
    assert_eq!(
        bad(obj(&[("retryOnTimeout", num(1.0))])),
        "options.retry.retryOnTimeout must be a boolean, got 1"
    );
    assert!(bad(obj(&[("limt", num(3.0))]))
        .starts_with("options.retry has no option \"limt\" (known: limit, methods"));
    let ok = call_options(&obj(&[(
        "retry",
        obj(&[
            ("methods", Raw::List(vec![text("post"), text("patch")])),
            ("maxRetryAfter", num(f64::INFINITY)),
        ]),
    )]))
    .unwrap();
    assert_eq!(
        ok.retry.methods,
        vec!["POST".to_string(), "patch".to_string()]
    );
    assert_eq!(ok.retry.max_retry_after_ms, f64::INFINITY);
}

#[test]
fn unknown_fields_are_named() {
    let e = err(call_options(&obj(&[("timout", num(5.0))])));
    assert!(
        e.message.starts_with("options has no option \"timout\""),
        "{e}"
    );
    let e = request_err(4, obj(&[("url", text("/a")), ("header", Raw::Opaque)]));
    assert!(
        e.message
            .starts_with("requests[4] has no option \"header\""),
        "{e}"
    );
}

#[test]
fn methods_are_normalised_like_fetch_and_bad_ones_rejected() {
    let m = |s: &str| method(&FieldPath::Root("m"), &text(s));
    assert_eq!(m("get").unwrap(), "GET");
    assert_eq!(m("Delete").unwrap(), "DELETE");
    assert_eq!(m("patch").unwrap(), "patch");
    assert_eq!(m("PROPFIND").unwrap(), "PROPFIND");
    assert!(m("").is_err() && m("GE T").is_err() && m("GÉT").is_err() && m("a\n").is_err());
    assert_eq!(
        m("trace").unwrap(),
        "trace",
        "any token is a method in a list"
    );
    let r = |s: &str| request_method(&FieldPath::Root("m"), &text(s));
    assert_eq!(
        r("trace").unwrap_err().message,
        "m \"trace\" is forbidden by fetch"
    );
    assert!(r("CONNECT").is_err() && r("track").is_err());
    assert_eq!(r("get").unwrap(), "GET");
}

#[test]
fn trace_is_not_a_default_and_the_documented_list_plus_post_is_accepted() {
    let call = call_options(&Raw::Undefined).unwrap();
    assert_eq!(
        call.retry.methods,
        ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]
    );
    let mut listed: Vec<Raw> = call.retry.methods.iter().map(|m| text(m)).collect();
    listed.push(text("POST"));
    listed.push(text("TRACE"));
    let call = call_options(&obj(&[("retry", obj(&[("methods", Raw::List(listed))]))])).unwrap();
    assert!(call.retry.allows_method("POST") && call.retry.allows_method("TRACE"));
    let e = request_err(0, obj(&[("url", text("/a")), ("method", text("TRACE"))]));
    assert_eq!(
        e.message,
        "requests[0].method \"TRACE\" is forbidden by fetch"
    );
}

#[test]
fn infinity_means_no_cap_only_where_it_means_something() {
    let retry = |fields: &[(&str, Raw)]| call_options(&obj(&[("retry", obj(fields))]));
    let call = retry(&[("maxDelay", num(f64::INFINITY))]).unwrap();
    assert_eq!(call.retry.backoff.max_delay_ms, f64::INFINITY);
    let e = err(retry(&[("baseDelay", num(f64::INFINITY))]));
    assert_eq!(e.kind, InputErrorKind::Range);
    assert_eq!(
        e.message,
        "options.retry.baseDelay must be at most 2147483647 milliseconds, got Infinity"
    );
    let debounce = |fields: &[(&str, Raw)]| call_options(&obj(&[("debounce", obj(fields))]));
    let call = debounce(&[
        ("key", text("k")),
        ("wait", num(100.0)),
        ("maxWait", num(f64::INFINITY)),
    ])
    .unwrap();
    assert_eq!(call.debounce.unwrap().max_wait_ms, None);
    let e = err(debounce(&[
        ("key", text("k")),
        ("wait", num(f64::INFINITY)),
    ]));
    assert_eq!(
        e.message,
        "options.debounce.wait must be at most 2147483647 milliseconds, got Infinity"
    );
    assert!(!e.message.contains("or Infinity"));
}

#[test]
fn a_base_delay_above_the_cap_is_a_range_error_naming_the_field_set() {
    let retry = |fields: &[(&str, Raw)]| call_options(&obj(&[("retry", obj(fields))]));
    let e = err(retry(&[
        ("baseDelay", num(5000.0)),
        ("maxDelay", num(1000.0)),
    ]));
    assert_eq!(e.kind, InputErrorKind::Range);
    assert_eq!(
        e.message,
        "options.retry.baseDelay must be at most retry.maxDelay (1000), got 5000"
    );
    let e = err(retry(&[("maxDelay", num(100.0))]));
    assert_eq!(
        e.message,
        "options.retry.maxDelay must be at least retry.baseDelay (300), got 100"
    );
    let call = retry(&[("maxDelay", num(1000.0))]).unwrap();
    let e = err(request(
        3,
        &obj(&[
            ("url", text("/a")),
            ("retry", obj(&[("baseDelay", num(2000.0))])),
        ]),
        &call,
    ));
    assert_eq!(
        e.message,
        "requests[3].retry.baseDelay must be at most retry.maxDelay (1000), got 2000"
    );
    assert!(retry(&[("baseDelay", num(1000.0)), ("maxDelay", num(1000.0))]).is_ok());
}

#[test]
fn url_objects_are_requests_and_other_values_say_what_they_are() {
    let href = Raw::Url("https://a.example/x".into());
    let r = request(0, &href, &CallOptions::default()).unwrap();
    assert_eq!(r.url, "https://a.example/x");
    let r = request(0, &obj(&[("url", href)]), &CallOptions::default()).unwrap();
    assert_eq!(r.url, "https://a.example/x");
    let e = request_err(1, num(42.0));
    assert_eq!(
        e.message,
        "requests[1] must be a URL string, a URL or an object with a url, got 42"
    );
    let e = request_err(0, obj(&[("url", Raw::Other("symbol"))]));
    assert_eq!(
        e.message,
        "requests[0].url must be a string or a URL, got a symbol"
    );
}

#[test]
fn a_field_whose_read_threw_is_a_type_error_naming_it() {
    let trap = || Raw::Unreadable("Error: trap".into());
    let e = err(call_options(&obj(&[("retry", trap())])));
    assert_eq!(e.kind, InputErrorKind::Type);
    assert_eq!(e.message, "options.retry could not be read: Error: trap");
    let e = err(call_options(&trap()));
    assert_eq!(e.message, "options could not be read: Error: trap");
    for field in ["signal", "headers", "onEvent"] {
        let e = err(call_options(&obj(&[(field, trap())])));
        assert_eq!(
            e.message,
            format!("options.{field} could not be read: Error: trap")
        );
    }
    for field in ["headers", "body", "json", "url", "method", "timeout", "id"] {
        let mut fields = vec![("url", text("/a")), ("method", text("POST"))];
        fields.retain(|(k, _)| *k != field);
        fields.push((field, trap()));
        let e = request_err(2, obj(&fields));
        assert_eq!(
            e.message,
            format!("requests[2].{field} could not be read: Error: trap")
        );
    }
    let e = err(call_options(&obj(&[(
        "retry",
        obj(&[("methods", Raw::List(vec![text("GET"), trap()]))]),
    )])));
    assert_eq!(
        e.message,
        "options.retry.methods[1] could not be read: Error: trap"
    );
}

#[test]
fn bodies_are_checked_against_the_method() {
    let e = request_err(0, obj(&[("url", text("/a")), ("body", Raw::Opaque)]));
    assert_eq!(e.message, "requests[0].body is not allowed with method GET");
    let e = request_err(
        1,
        obj(&[
            ("url", text("/a")),
            ("method", text("head")),
            ("json", Raw::Opaque),
        ]),
    );
    assert_eq!(
        e.message,
        "requests[1].json is not allowed with method HEAD"
    );
    let e = request_err(
        0,
        obj(&[
            ("url", text("/a")),
            ("method", text("POST")),
            ("json", Raw::Opaque),
            ("body", Raw::Opaque),
        ]),
    );
    assert_eq!(e.message, "requests[0] has both body and json; give one");
    let ok = obj(&[
        ("url", text("/a")),
        ("method", text("post")),
        ("json", Raw::Opaque),
    ]);
    assert_eq!(
        request(0, &ok, &CallOptions::default()).unwrap().method,
        "POST"
    );
}

#[test]
fn concurrency_response_type_and_debounce() {
    let call = call_options(&obj(&[
        ("concurrency", num(3.0)),
        ("responseType", text("arrayBuffer")),
    ]))
    .unwrap();
    assert_eq!(
        (call.concurrency, call.response_type),
        (Some(3), ResponseType::ArrayBuffer)
    );
    assert_eq!(
        call_options(&obj(&[("concurrency", num(f64::INFINITY))]))
            .unwrap()
            .concurrency,
        None
    );
    assert_eq!(
        err(call_options(&obj(&[("concurrency", num(0.0))]))).kind,
        InputErrorKind::Range
    );
    assert_eq!(
        err(call_options(&obj(&[("responseType", text("xml"))]))).kind,
        InputErrorKind::Range
    );
    let d = call_options(&obj(&[(
        "debounce",
        obj(&[
            ("key", text("search")),
            ("wait", num(200.0)),
            ("maxWait", num(1000.0)),
        ]),
    )]))
    .unwrap();
    assert_eq!(
        d.debounce,
        Some(DebounceOptions {
            key: "search".into(),
            wait_ms: 200.0,
            max_wait_ms: Some(1000.0)
        })
    );
    let bad = |d: Raw| err(call_options(&obj(&[("debounce", d)]))).message;
    assert_eq!(
        bad(obj(&[("key", text("k"))])),
        "options.debounce.wait is required"
    );
    assert_eq!(
        bad(obj(&[("key", num(1.0)), ("wait", num(1.0))])),
        "options.debounce.key must be a string, got 1"
    );
    assert_eq!(
        bad(obj(&[
            ("key", text("k")),
            ("wait", num(100.0)),
            ("maxWait", num(50.0))
        ])),
        "options.debounce.maxWait must be at least debounce.wait (100), got 50"
    );
}

#[test]
fn ids_are_strings() {
    let r = request(
        0,
        &obj(&[("url", text("/a")), ("id", text("profile"))]),
        &CallOptions::default(),
    )
    .unwrap();
    assert_eq!(r.id.as_deref(), Some("profile"));
    assert_eq!(
        request_err(0, obj(&[("url", text("/a")), ("id", num(1.0))])).message,
        "requests[0].id must be a string, got 1"
    );
}

fn any_raw() -> impl Strategy<Value = Raw> {
    let leaf = prop_oneof![
        Just(Raw::Undefined),
        Just(Raw::Null),
        any::<bool>().prop_map(Raw::Bool),
        any::<f64>().prop_map(Raw::Number),
        prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-0.0), Just(1e300)]
            .prop_map(Raw::Number),
        "[a-zA-Z ]{0,8}".prop_map(Raw::Text),
        Just(Raw::Opaque),
        Just(Raw::Other("function")),
    ];
    let keys = prop::sample::select(vec![
        "url",
        "method",
        "timeout",
        "retry",
        "limit",
        "jitter",
        "methods",
        "statusCodes",
        "debounce",
        "key",
        "wait",
        "maxWait",
        "concurrency",
        "body",
        "json",
        "id",
        "totalTimeout",
    ]);
    leaf.prop_recursive(3, 24, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Raw::List),
            prop::collection::vec((keys.clone().prop_map(String::from), inner), 0..5)
                .prop_map(Raw::Object),
        ]
    })
}

proptest! {
    #[test]
    fn any_input_is_either_accepted_or_named(raw in any_raw(), options in any_raw()) {
        if let Ok(call) = call_options(&options) {
            if let Some(t) = call.timeout_ms { prop_assert!((0.0..=MAX_TIMER_MS).contains(&t)); }
            match request(7, &raw, &call) {
                Ok(r) => prop_assert!(!r.url.bytes().all(|b| b.is_ascii_whitespace())),
                Err(e) => prop_assert!(e.message.starts_with("requests[7]"), "{}", e.message),
            }
        } else if let Err(e) = call_options(&options) {
            prop_assert!(e.message.starts_with("options"), "{}", e.message);
        }
    }
}

#[test]
fn defaults_layer_client_then_call_then_request_for_every_option() {
    let client = client_options(
        &ClientSettings::default(),
        &obj(&[
            ("timeout", num(500.0)),
            (
                "retry",
                obj(&[("limit", num(5.0)), ("baseDelay", num(10.0))]),
            ),
            ("responseType", text("text")),
            ("concurrency", num(3.0)),
            ("credentials", text("include")),
            ("baseUrl", text("https://a.example/v1")),
            ("dedupe", Raw::Bool(false)),
            ("perOrigin", obj(&[("concurrency", num(8.0))])),
        ]),
    )
    .unwrap();
    assert_eq!(client.base_url.as_deref(), Some("https://a.example/v1"));
    assert!(!client.dedupe && client.idempotency_key);
    assert_eq!(client.per_origin_concurrency, Some(8));
    let call = call_options_over(
        &client.call,
        &obj(&[("retry", obj(&[("limit", num(1.0))]))]),
    )
    .unwrap();
    assert_eq!(
        call.timeout_ms,
        Some(500.0),
        "the client's, left alone by the call"
    );
    assert_eq!(
        (call.retry.limit, call.retry.backoff.base_delay_ms),
        (1, 10.0)
    );
    assert_eq!(call.response_type, ResponseType::Text);
    assert_eq!(call.concurrency, Some(3));
    let request = request(
        0,
        &obj(&[
            ("url", text("/x")),
            ("credentials", text("omit")),
            ("timeout", num(20.0)),
        ]),
        &call,
    )
    .unwrap();
    assert_eq!(request.timeout_ms, Some(20.0));
    assert_eq!(
        request.init.get("credentials"),
        Some(&crate::policy::fetch_init::InitValue::Text("omit".into()))
    );
    let plain = super::request(0, &text("/y"), &call).unwrap();
    assert_eq!(
        plain.init.get("credentials"),
        Some(&crate::policy::fetch_init::InitValue::Text(
            "include".into()
        )),
        "the client's fetch fields reach every request"
    );
    let extended = client_options(&client, &obj(&[("timeout", num(50.0))])).unwrap();
    assert_eq!(extended.call.timeout_ms, Some(50.0));
    assert_eq!(extended.call.retry.limit, 5, "extend layers again");
}

#[test]
fn client_options_name_their_field_and_refuse_call_only_ones() {
    let e = err(client_options(
        &ClientSettings::default(),
        &obj(&[("signal", Raw::Opaque)]),
    ));
    assert!(
        e.message.starts_with("client has no option \"signal\""),
        "{e}"
    );
    let e = err(client_options(
        &ClientSettings::default(),
        &obj(&[("credentials", text("sometimes"))]),
    ));
    assert!(
        e.message.starts_with("client.credentials must be one of"),
        "{e}"
    );
    let e = err(client_options(
        &ClientSettings::default(),
        &obj(&[("perOrigin", obj(&[("concurrency", num(0.0))]))]),
    ));
    assert!(
        e.message
            .starts_with("client.perOrigin.concurrency must be a whole number"),
        "{e}"
    );
    let e = err(client_options(
        &ClientSettings::default(),
        &obj(&[("dedupe", text("yes"))]),
    ));
    assert_eq!(e.message, "client.dedupe must be a boolean, got \"yes\"");
    let e = err(hooks(&obj(&[("beforeRequest", num(1.0))])));
    assert_eq!(
        e.message,
        "client.hooks.beforeRequest must be a function, got 1"
    );
    let e = err(call_options(&obj(&[("mode", text("navigate"))])));
    assert!(
        e.message
            .starts_with("options.mode must be one of 'cors', 'no-cors', 'same-origin'"),
        "{e}"
    );
}
