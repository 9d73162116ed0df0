use super::*;
use proptest::prelude::*;

/// 2024-01-01T00:00:00Z.
const NOW: f64 = 1_704_067_200_000.0;

/// A getter over `(name, value)` pairs; names are matched as given (lower case).
fn headers<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn ietf_fields_pause_until_the_reset_of_an_exhausted_limit() {
    let pause = |pairs: &[(&str, &str)]| pause_from_headers(headers(pairs), NOW);
    assert_eq!(
        pause(&[("ratelimit", r#""default";r=0;t=30"#)]),
        Some(30_000.0)
    );
    assert_eq!(pause(&[("ratelimit", r#""default";r=50;t=30"#)]), None);
    assert_eq!(
        pause(&[(
            "ratelimit",
            r#""burst";r=0;t=5, "daily";r=0;t=3600;pk=:QXBw:"#
        )]),
        Some(3_600_000.0),
        "the longest exhausted limit"
    );
    assert_eq!(
        pause(&[("ratelimit", r#""burst";r=0;t=5, "daily";r=10;t=3600"#)]),
        Some(5_000.0)
    );
    // Without `t`, the policy's window; without either, no telling how long.
    let policy = r#""permin";q=50;w=60,"perhr";q=1000;qu="requests";w=3600;pk=:cHsd:"#;
    assert_eq!(
        pause(&[
            ("ratelimit", r#""perhr";r=0"#),
            ("ratelimit-policy", policy)
        ]),
        Some(3_600_000.0)
    );
    assert_eq!(
        pause(&[
            ("ratelimit", r#""other";r=0"#),
            ("ratelimit-policy", policy)
        ]),
        None
    );
    assert_eq!(pause(&[("ratelimit", r#""perhr";r=0"#)]), None);
    // A malformed policy is ignored, not the limits.
    assert_eq!(
        pause(&[
            ("ratelimit", r#""d";r=0;t=2"#),
            ("ratelimit-policy", "\"d\";q=1;w=")
        ]),
        Some(2_000.0)
    );
    // r=0 with t=0 resets now: nothing to wait for.
    assert_eq!(pause(&[("ratelimit", r#""default";r=0;t=0"#)]), None);
}

#[test]
fn malformed_ietf_fields_are_ignored() {
    for bad in [
        r#""default";r=0;t=30,"#,
        r#""default";r=0;t=-1"#,
        r#""default";r=-1;t=30"#,
        r#""default";r=0.0;t=30"#,
        r#""default";r="0";t=30"#,
        r#""default";t=30"#,
        "limit=100, remaining=0, reset=30", // draft-07's Dictionary
        r#"("default";r=0;t=30)"#,
    ] {
        assert_eq!(
            pause_from_headers(headers(&[("ratelimit", bad)]), NOW),
            None,
            "{bad:?}"
        );
    }
}

#[test]
fn legacy_headers_in_seconds_or_unix_time() {
    let legacy = |remaining: &str, reset: Option<&str>| legacy_pause_ms(remaining, reset, NOW);
    assert_eq!(legacy("0", Some("30")), Some(30_000.0));
    assert_eq!(legacy(" 0 ", Some(" 1.5")), Some(1_500.0));
    assert_eq!(legacy("3", Some("30")), None);
    assert_eq!(legacy("0", None), None);
    assert_eq!(legacy("0", Some("soon")), None);
    assert_eq!(legacy("-1", Some("30")), None);
    assert_eq!(legacy("0", Some("1.")), None);
    assert_eq!(legacy("0, 4", Some("10, 20")), Some(20_000.0));
    // A Unix timestamp: 90 s from now, then one in the past.
    assert_eq!(legacy("0", Some("1704067290")), Some(90_000.0));
    assert_eq!(legacy("0", Some("1704067290.25")), Some(90_250.0));
    assert_eq!(legacy("0", Some("1704067100")), None);
    assert_eq!(
        legacy("0", Some("1000000000")),
        Some(1e12),
        "the threshold is a delay"
    );
    assert_eq!(legacy_pause_ms("0", Some("1704067290"), f64::NAN), None);
}

#[test]
fn every_dialect_is_read_and_the_longest_wins() {
    let get = headers(&[
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", "1704067210"),
        ("ratelimit-remaining", "0"),
        ("ratelimit-reset", "4"),
    ]);
    assert_eq!(pause_from_headers(get, NOW), Some(10_000.0));
    let get = headers(&[
        ("ratelimit", r#""a";r=0;t=20"#),
        ("ratelimit-remaining", "0"),
        ("ratelimit-reset", "4"),
    ]);
    assert_eq!(pause_from_headers(get, NOW), Some(20_000.0));
    assert_eq!(pause_from_headers(headers(&[]), NOW), None);
}

#[test]
fn a_429s_retry_after_takes_precedence() {
    let pairs = [("retry-after", "7"), ("ratelimit", r#""default";r=0;t=30"#)];
    assert_eq!(pause_after_429(429, headers(&pairs), NOW), Some(7_000.0));
    assert_eq!(pause_for_response(429, headers(&pairs), NOW), Some(7_000.0));
    assert_eq!(pause_after_429(503, headers(&pairs), NOW), None);
    assert_eq!(
        pause_for_response(503, headers(&pairs), NOW),
        Some(30_000.0)
    );
    let date = [("retry-after", "Mon, 01 Jan 2024 00:01:30 GMT")];
    assert_eq!(pause_after_429(429, headers(&date), NOW), Some(90_000.0));
    let junk = [
        ("retry-after", "later"),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", "3"),
    ];
    assert_eq!(pause_for_response(429, headers(&junk), NOW), Some(3_000.0));
    assert_eq!(
        pause_after_429(429, headers(&[("retry-after", "0")]), NOW),
        None
    );
}

#[test]
fn an_origin_pause_only_lengthens() {
    let mut p = OriginPause::default();
    assert_eq!((p.wait_ms(0.0), p.until_ms()), (0.0, None));
    p.pause_until(1_000.0, 5_000.0);
    assert_eq!(p.wait_ms(2_000.0), 4_000.0);
    p.pause_until(2_000.0, 1_000.0);
    assert_eq!(
        p.until_ms(),
        Some(6_000.0),
        "a shorter pause does not cut it short"
    );
    p.pause_until(3_000.0, 10_000.0);
    assert_eq!(p.until_ms(), Some(13_000.0));
    for bad in [f64::NAN, f64::INFINITY, -1.0] {
        p.pause_until(3_000.0, bad);
    }
    assert_eq!(p.until_ms(), Some(13_000.0));
    assert_eq!(p.wait_ms(20_000.0), 0.0);
}

proptest! {
    #[test]
    fn never_panics(value in any::<String>(), other in any::<String>(), now in any::<f64>()) {
        for name in ["ratelimit", "x-ratelimit-remaining", "ratelimit-remaining"] {
            let get = |n: &str| Some(if n == name { value.clone() } else { other.clone() });
            let _ = pause_from_headers(get, now);
            let _ = pause_for_response(429, get, now);
        }
        let _ = ietf_pause_ms(&value, Some(&other));
        let _ = legacy_pause_ms(&value, Some(&other), now);
        let _ = legacy_pause_ms("0", Some(&value), now);
    }

    #[test]
    fn sample_fields_round_trip(
        name in "[a-z][a-z0-9-]{0,8}", r in 0i64..1_000, t in proptest::option::of(0i64..100_000),
        q in 1i64..1_000_000, w in 1i64..100_000, extra in r#"(;qu="requests"|;pk=:[A-Za-z0-9+/]{0,8}=?:|;acme-x=\?1|)"#,
    ) {
        let limit = match t {
            Some(t) => format!("\"{name}\";r={r};t={t}{extra}"),
            None => format!("\"{name}\";r={r}{extra}"),
        };
        let policy = format!("\"{name}\";q={q};w={w}{extra}, \"other\";q=1;w=1");
        let want = (r == 0).then(|| t.unwrap_or(w) as f64 * 1000.0).filter(|&ms| ms > 0.0);
        prop_assert_eq!(ietf_pause_ms(&limit, Some(&policy)), want, "{} / {}", limit, policy);
        let legacy = format!("{}", t.unwrap_or(w));
        let want = (r == 0).then(|| t.unwrap_or(w) as f64 * 1000.0).filter(|&ms| ms > 0.0);
        prop_assert_eq!(legacy_pause_ms(&r.to_string(), Some(&legacy), NOW), want);
    }

    #[test]
    fn something_remaining_never_pauses(r in 1u32..u32::MAX, reset in any::<u32>(), now in any::<f64>()) {
        let limit = format!("\"default\";r={r};t={reset}");
        let (r, reset) = (r.to_string(), reset.to_string());
        let pairs = [
            ("ratelimit", limit.as_str()),
            ("x-ratelimit-remaining", &r),
            ("x-ratelimit-reset", &reset),
            ("ratelimit-remaining", &r),
            ("ratelimit-reset", &reset),
        ];
        prop_assert_eq!(pause_from_headers(headers(&pairs), now), None);
    }
}

#[test]
fn a_fraction_with_non_ascii_characters_is_refused_not_cut_mid_character() {
    // Found by `never_panics`: the fraction was sliced at byte 9 before its digits were checked.
    assert_eq!(legacy_pause_ms("0", Some("1.2345678ꢄ9"), 0.0), None);
    assert_eq!(legacy_pause_ms("0", Some("1.5"), 0.0), Some(1_500.0));
}

/// `src/web/exchange.js` lets Rust read a response's headers for this policy only when the
/// status is 429 or one of [`HEADERS`] is there: without them the policy must find nothing,
/// whatever else the response says, and the JS list must be this one.
#[test]
fn without_its_headers_the_policy_finds_nothing_and_exchange_js_knows_them() {
    // A value each name would pause with.
    let value = |name: &str| match name {
        "ratelimit" => "\"default\";r=0;t=30".to_string(),
        "ratelimit-policy" => "\"default\";q=100;w=60".to_string(),
        n if n.ends_with("-remaining") => "0".to_string(),
        _ => "30".to_string(),
    };
    let others = |name: &str| (!HEADERS.contains(&name)).then(|| value(name));
    for status in [200, 503] {
        assert_eq!(pause_for_response(status, others, NOW), None);
    }
    for name in HEADERS {
        let one = |n: &str| (n == name || !HEADERS.contains(&n)).then(|| value(n));
        assert!(
            pause_for_response(200, one, NOW).is_some(),
            "{name} alone can pause"
        );
    }
    let js = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/web/exchange.js"))
        .unwrap();
    let list = HEADERS.map(|h| format!("'{h}'")).join(", ");
    let line = format!("const RATE_LIMIT_HEADERS = [{list}];");
    assert!(js.contains(&line), "exchange.js should say: {line}");
}
