//! The pure decisions of a client: how a relative URL joins its `baseUrl`, the key under which
//! identical requests in flight share one fetch, the `Idempotency-Key` of a request that may be
//! retried though its method is not idempotent.

use super::text::{lower_hex_digit, split_once_at, trim_end_bytes, trim_start_bytes};

/// Methods RFC 9110 calls idempotent (and that fetch may send).
pub const IDEMPOTENT_METHODS: [&str; 5] = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];

/// Whether `url` is absolute (has a scheme), as axios decides: `scheme:` or `//`.
pub fn is_absolute(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    // By byte, as every other search in the core: `str::find` brings memchr into the wasm.
    let Some(colon) = url.bytes().position(|b| b == b':') else {
        return false;
    };
    let scheme = &url.as_bytes()[..colon];
    !scheme.is_empty()
        && scheme[0].is_ascii_alphabetic()
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
}

/// `url` joined to `base` as axios joins `baseURL`: an absolute URL is kept; a relative one is
/// appended with exactly one `/` between (`https://a/v1` + `/users` is `https://a/v1/users`).
pub fn join_base_url(base: Option<&str>, url: &str) -> String {
    match base {
        Some(base) if !is_absolute(url) && !url.is_empty() => {
            trim_end_bytes(base, b"/").to_string() + "/" + trim_start_bytes(url, b"/")
        }
        Some(base) if url.is_empty() => base.to_string(),
        _ => url.to_string(),
    }
}

/// Whether a request with this method gets an `Idempotency-Key`: a method that is not
/// idempotent, but that the caller listed in `retry.methods`, so that it may be sent twice.
pub fn wants_idempotency_key(method: &str, retry_methods: &[String], retries: u32) -> bool {
    retries > 0
        && !IDEMPOTENT_METHODS.contains(&method)
        && retry_methods.iter().any(|m| m == method)
}

/// A UUID version 4 (RFC 9562), in its lower-case text form, from 16 random bytes given as 32
/// lower-case hex digits (as the browser layer reads them from `crypto.getRandomValues`); None
/// for anything else.
pub fn uuid_v4(hex: &str) -> Option<String> {
    let digits = hex.as_bytes();
    if digits.len() != 32 {
        return None;
    }
    let mut out = String::with_capacity(36);
    for (i, &d) in digits.iter().enumerate() {
        let value = lower_hex_digit(d)?;
        if matches!(i, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        out.push(match i {
            // The version (4) and the variant (10xx) bits.
            12 => '4',
            16 => b"89ab"[usize::from(value & 3)] as char,
            _ => d as char,
        });
    }
    Some(out)
}

/// Whether a request may share a fetch already in flight: only GET and HEAD.
pub fn may_dedupe(method: &str) -> bool {
    method == "GET" || method == "HEAD"
}

/// The (name, value) pairs of `name\nvalue\n` line pairs, as the browser layer lists a
/// `Headers` (a header name or value never holds a line feed); a last name without its line
/// ends the list.
pub fn pairs_from_lines(mut text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    while let Some((name, rest)) = split_once_at(text, b'\n') {
        let Some((value, rest)) = split_once_at(rest, b'\n') else {
            break;
        };
        pairs.push((name.to_string(), value.to_string()));
        text = rest;
    }
    pairs
}

/// The key under which identical requests in flight share one fetch: method, final URL, the
/// headers (names lower-case, sorted, as `Headers` iterates them; the browser layer adds fetch's
/// own fields as `:name` pairs) and how the body is read.
/// Fields are length-prefixed, so no two different requests can collide.
pub fn dedupe_key(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    response_type: &str,
) -> String {
    let mut key = String::new();
    let mut field = |s: &str| {
        crate::policy::text::push_whole(&mut key, s.len() as u64);
        key.push(':');
        key.push_str(s);
    };
    field(method);
    field(url);
    field(response_type);
    // An insertion sort: a request has a handful of headers, and the standard library's sorts
    // cost the `.wasm` several KB.
    let mut sorted: Vec<&(String, String)> = Vec::with_capacity(headers.len());
    for pair in headers {
        let at = sorted.partition_point(|p| *p <= pair);
        sorted.insert(at, pair);
    }
    for (name, value) in sorted {
        field(name);
        field(value);
    }
    key
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn base_urls_join_as_axios_joins_them() {
        let base = Some("https://a.example/v1");
        assert_eq!(join_base_url(base, "/users"), "https://a.example/v1/users");
        assert_eq!(join_base_url(base, "users"), "https://a.example/v1/users");
        assert_eq!(
            join_base_url(Some("https://a.example/v1/"), "//users"),
            "//users"
        );
        assert_eq!(
            join_base_url(Some("https://a.example/v1/"), "/users?q=1"),
            "https://a.example/v1/users?q=1"
        );
        assert_eq!(
            join_base_url(base, "https://b.example/x"),
            "https://b.example/x"
        );
        assert_eq!(
            join_base_url(base, "data:text/plain,hi"),
            "data:text/plain,hi"
        );
        assert_eq!(join_base_url(None, "/users"), "/users");
        assert_eq!(join_base_url(base, ""), "https://a.example/v1");
        assert!(!is_absolute("/a:b") && !is_absolute("a/b:c") && is_absolute("HTTP://x"));
    }

    #[test]
    fn only_listed_non_idempotent_methods_get_a_key() {
        let listed = |m: &[&str]| m.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(wants_idempotency_key("POST", &listed(&["GET", "POST"]), 2));
        assert!(wants_idempotency_key("PATCH", &listed(&["PATCH"]), 1));
        assert!(!wants_idempotency_key("POST", &listed(&["GET"]), 2));
        assert!(
            !wants_idempotency_key("POST", &listed(&["POST"]), 0),
            "never retried"
        );
        assert!(
            !wants_idempotency_key("PUT", &listed(&["PUT"]), 2),
            "already idempotent"
        );
    }

    /// RFC 9562's layout from the bytes themselves: the reference the hex form is checked against.
    fn uuid_from_bytes(mut bytes: [u8; 16]) -> String {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        [
            &hex[0..4],
            &hex[4..6],
            &hex[6..8],
            &hex[8..10],
            &hex[10..16],
        ]
        .map(|group| group.concat())
        .join("-")
    }

    fn hex(bytes: [u8; 16]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn uuids_are_version_4() {
        let id = uuid_v4(&hex([0xff; 16]));
        assert_eq!(id.as_deref(), Some("ffffffff-ffff-4fff-bfff-ffffffffffff"));
        let id = uuid_v4(&hex([0; 16]));
        assert_eq!(id.as_deref(), Some("00000000-0000-4000-8000-000000000000"));
        for bad in [
            "",
            "0123",
            &"A".repeat(32),
            &"g".repeat(32),
            &"0".repeat(33),
        ] {
            assert_eq!(uuid_v4(bad), None, "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn every_uuid_has_the_v4_shape(bytes in any::<[u8; 16]>()) {
            let id = uuid_v4(&hex(bytes)).expect("32 hex digits");
            prop_assert_eq!(&id, &uuid_from_bytes(bytes));
            prop_assert_eq!(id.len(), 36);
            prop_assert_eq!(&id[14..15], "4");
            prop_assert!("89ab".contains(&id[19..20]));
            prop_assert!(id.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        }

        #[test]
        fn dedupe_keys_differ_when_anything_differs(a in "[a-z]{0,6}", b in "[a-z]{0,6}", c in "[a-z]{0,6}") {
            let h = |n: &str, v: &str| vec![(n.to_string(), v.to_string())];
            let k1 = dedupe_key("GET", &a, &h(&b, &c), "auto");
            let k2 = dedupe_key("GET", &(a.clone() + &b), &h("", &c), "auto");
            if !b.is_empty() { prop_assert_ne!(k1.clone(), k2); }
            prop_assert_ne!(k1.clone(), dedupe_key("HEAD", &a, &h(&b, &c), "auto"));
            prop_assert_ne!(k1.clone(), dedupe_key("GET", &a, &h(&b, &c), "text"));
            let two = vec![("x".to_string(), "1".to_string()), ("a".to_string(), "2".to_string())];
            let swapped = vec![two[1].clone(), two[0].clone()];
            prop_assert_eq!(dedupe_key("GET", &a, &two, "auto"), dedupe_key("GET", &a, &swapped, "auto"));
        }

        #[test]
        fn header_lines_give_back_the_pairs_written(
            pairs in proptest::collection::vec(("[a-z-]{1,8}", "[ -~]{0,12}"), 0..6),
        ) {
            let pairs: Vec<(String, String)> = pairs;
            let text: String = pairs.iter().map(|(n, v)| n.clone() + "\n" + v + "\n").collect();
            prop_assert_eq!(pairs_from_lines(&text), pairs.clone());
            // A list cut short loses only its unfinished pair.
            if let Some((_, last_value)) = pairs.last() {
                let cut = text.len() - last_value.len() - 1;
                prop_assert_eq!(pairs_from_lines(&text[..cut]), pairs[..pairs.len() - 1].to_vec());
            }
        }
    }
}
