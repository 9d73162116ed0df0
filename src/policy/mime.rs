//! Which responses `responseType: 'auto'` parses as JSON: a JSON MIME type by the WHATWG MIME
//! Sniffing rule, that is `application/json`, `text/json`, or any type whose subtype ends in
//! `+json`. Parameters (`; charset=utf-8`) are ignored. `application/x-ndjson` and
//! `application/json-seq` are not JSON documents, so they stay text.

use super::text::{pieces, trim_bytes};

/// Whether `content_type` (a `Content-Type` header value) names a JSON MIME type.
pub fn is_json_mime(content_type: &str) -> bool {
    let essence = pieces(content_type, b';').next().unwrap_or_default();
    // HTTP whitespace: space, tab, CR, LF.
    let essence = trim_bytes(essence, b" \t\r\n").as_bytes();
    let Some(slash) = essence.iter().position(|&b| b == b'/') else {
        return false;
    };
    let (kind, subtype) = (&essence[..slash], &essence[slash + 1..]);
    if kind.is_empty() || subtype.is_empty() || !kind.iter().chain(subtype).all(|&b| is_token(b)) {
        return false;
    }
    let is = |a: &[u8], b: &[u8]| a.eq_ignore_ascii_case(b);
    (is(kind, b"application") || is(kind, b"text")) && is(subtype, b"json")
        || subtype.len() > 5 && is(&subtype[subtype.len() - 5..], b"+json")
}

/// RFC 9110 `tchar`.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn json_types_by_the_whatwg_rule() {
        for json in [
            "application/json",
            "application/json; charset=utf-8",
            "  Application/JSON ;x=y",
            "text/json",
            "application/problem+json",
            "application/vnd.api+json; charset=utf-8",
            "image/svg+json",
        ] {
            assert!(is_json_mime(json), "{json}");
        }
    }

    #[test]
    fn types_that_merely_mention_json_are_text() {
        for not_json in [
            "application/x-ndjson",
            "application/json-seq",
            "application/jsonp",
            "text/plain; note=json",
            "text/html",
            "json",
            "application/+json",
            "/json",
            "",
            "application/js on",
        ] {
            assert!(!is_json_mime(not_json), "{not_json}");
        }
    }

    /// `src/web/exchange.js` applies this rule in JS (the body is read there); Node checks that
    /// its copy answers as this one does, on the cases above and on generated ones.
    #[test]
    fn exchange_js_applies_the_same_rule() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut cases: Vec<String> = [
            "application/json",
            "  Application/JSON ;x=y",
            "text/json",
            "application/problem+json",
            "\tapplication/json\r",
            "application/x-ndjson",
            "application/json-seq",
            "application/+json",
            "/json",
            "",
            "application/js on",
            "application/json x",
            "a/b+JSON",
            "a/+json",
            "text/json;",
            "app lication/json",
        ]
        .map(String::from)
        .to_vec();
        let mut runner = TestRunner::deterministic();
        let strategy = "[ \t;/+a-zA-Z.\u{e9}-]{0,20}(json|JSON)?[ ;a-z=]{0,6}";
        for _ in 0..2000 {
            cases.push(strategy.new_tree(&mut runner).unwrap().current());
        }
        let input: String = cases.iter().map(|c| c.replace('\\', "") + "\n").collect();
        let script = concat!(
            "import { isJsonMime } from './src/web/exchange.js';",
            "let s = ''; process.stdin.on('data', (d) => (s += d));",
            "process.stdin.on('end', () => process.stdout.write(",
            "s.split('\\n').slice(0, -1).map((l) => (isJsonMime(l) ? '1' : '0')).join('')));"
        );
        let mut child = std::process::Command::new("node")
            .args(["--input-type=module", "-e", script])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node is on PATH (scripts/ensure-tools.sh)");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let answers = String::from_utf8(out.stdout).unwrap();
        assert_eq!(answers.len(), cases.len());
        for (case, js) in cases.iter().zip(answers.chars()) {
            assert_eq!(is_json_mime(case), js == '1', "{case:?}");
        }
    }

    proptest! {
        #[test]
        fn parameters_never_change_the_answer(t in "[a-z]{1,8}/[a-z+.-]{1,12}", p in "[ -~]{0,20}") {
            prop_assert_eq!(is_json_mime(&t), is_json_mime(&format!("{t};{p}")));
        }
    }
}
