//! Numbers and strings as error messages show them to JS users: `NaN`, `Infinity`, `1.5`,
//! `"a\"b"`, rather than Rust's `{}` and `{:?}` renderings.

/// `n` as JS prints the usual cases: `-5`, `1.5`, `NaN`, `Infinity`, `1e+21`. Fractions keep at
/// most six decimals, which is plenty for milliseconds.
pub fn number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    let magnitude = n.abs();
    // Past u64's range, exponent form (JS switches at 1e21; an error message need not).
    if magnitude >= 1e18 {
        let exponent = magnitude.log10().floor();
        let mantissa = magnitude / 10f64.powi(exponent as i32);
        // Rounding may carry the mantissa to 10; normalise once.
        let (mantissa, exponent) = if mantissa >= 9.9999995 {
            (1.0, exponent + 1.0)
        } else {
            (mantissa, exponent)
        };
        return cat(&[sign, &number(mantissa), "e+", &whole(exponent as u64)]);
    }
    // The whole part exactly; only the fraction is rounded (to millionths).
    let mut whole = magnitude.trunc() as u64;
    let mut fraction = ((magnitude - magnitude.trunc()) * 1e6).round() as u32;
    if fraction == 1_000_000 {
        whole += 1;
        fraction = 0;
    }
    let sign = if whole == 0 && fraction == 0 {
        ""
    } else {
        sign
    };
    let mut out = String::from(sign);
    push_whole(&mut out, whole);
    if fraction == 0 {
        return out;
    }
    // Six places, leading zeros kept, trailing zeros dropped.
    let mut places = String::new();
    push_whole(&mut places, u64::from(fraction) + 1_000_000);
    out.push('.');
    out.push_str(trim_end_bytes(places.get(1..).unwrap_or_default(), b"0"));
    out
}

/// Appends `n` in decimal, without `core::fmt` (whose integer formatting costs the `.wasm`
/// more than this).
pub fn push_whole(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// `n` in decimal.
pub fn whole(n: u64) -> String {
    let mut out = String::new();
    push_whole(&mut out, n);
    out
}

/// Appends `n` in lower-case hexadecimal, without leading zeros.
fn push_hex(out: &mut String, n: u32) {
    let digits = 32 - n.leading_zeros().min(28);
    for shift in (0..digits.div_ceil(4)).rev() {
        let d = (n >> (shift * 4)) & 0xf;
        out.push(char::from_digit(d, 16).unwrap_or('0'));
    }
}

/// `parts` joined. Messages are built with this rather than `format!`, whose machinery costs
/// the `.wasm` (issue 11).
pub fn cat(parts: &[&str]) -> String {
    joined(parts.iter().copied(), "")
}

/// `parts` with `separator` between them: `[&str]::join` without its generic copy loop, which
/// costs the `.wasm` about 0.9 KB.
pub fn joined<'a>(parts: impl IntoIterator<Item = &'a str>, separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part);
    }
    out
}

/// The pieces of `s` between the ASCII byte `separator`s (`str::split` with a char pattern,
/// without the char searcher and `memchr` it brings into the `.wasm`).
pub fn pieces(s: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.bytes().position(|b| b == separator) {
            Some(at) => {
                rest = current.get(at + 1..);
                current.get(..at)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Where character `n` (counting from 0) of `s` starts, in bytes; None when `s` has no more
/// than `n` characters (`char_indices().nth(n)` without the char decoder).
pub fn char_start(s: &str, n: usize) -> Option<usize> {
    let mut seen = 0;
    for (at, &b) in s.as_bytes().iter().enumerate() {
        // Every byte but a continuation byte (10xxxxxx) starts a character.
        if b & 0xC0 != 0x80 {
            if seen == n {
                return Some(at);
            }
            seen += 1;
        }
    }
    None
}

/// The value of a lower-case hexadecimal digit (`0`–`9`, `a`–`f`).
pub fn lower_hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// `s` split at its first ASCII byte `separator`, which neither side keeps.
pub fn split_once_at(s: &str, separator: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == separator)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// `s` without the ASCII bytes of `set` at its start (`str::trim_start_matches` without the char
/// searcher).
pub fn trim_start_bytes<'a>(s: &'a str, set: &[u8]) -> &'a str {
    let bytes = s.as_bytes();
    let mut from = 0;
    while from < bytes.len() && set.contains(&bytes[from]) {
        from += 1;
    }
    s.get(from..).unwrap_or_default()
}

/// `s` without the ASCII bytes of `set` at its end.
pub fn trim_end_bytes<'a>(s: &'a str, set: &[u8]) -> &'a str {
    let bytes = s.as_bytes();
    let mut to = bytes.len();
    while to > 0 && set.contains(&bytes[to - 1]) {
        to -= 1;
    }
    s.get(..to).unwrap_or_default()
}

/// `s` without the ASCII bytes of `set` at either end.
pub fn trim_bytes<'a>(s: &'a str, set: &[u8]) -> &'a str {
    trim_end_bytes(trim_start_bytes(s, set), set)
}

/// `s` without HTTP's optional whitespace (spaces and tabs) at either end.
pub fn trim_ows(s: &str) -> &str {
    trim_bytes(s, b" \t")
}

/// `s` in double quotes, with quotes, backslashes and control characters escaped.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                out.push_str("\\u{");
                push_hex(&mut out, c as u32);
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn char_start_is_where_char_indices_puts_it(s in any::<String>(), n in 0usize..40) {
            prop_assert_eq!(char_start(&s, n), s.char_indices().nth(n).map(|(at, _)| at));
        }

        #[test]
        fn joined_and_cat_match_the_standard_join(parts in proptest::collection::vec(".{0,4}", 0..5)) {
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            prop_assert_eq!(joined(parts.iter().copied(), ", "), parts.join(", "));
            prop_assert_eq!(cat(&parts), parts.concat());
        }

        #[test]
        fn the_byte_helpers_match_std_on_ascii_separators(s in "[a,: \t/é]{0,10}") {
            prop_assert_eq!(pieces(&s, b',').collect::<Vec<_>>(), s.split(',').collect::<Vec<_>>());
            prop_assert_eq!(split_once_at(&s, b':'), s.split_once(':'));
            prop_assert_eq!(trim_ows(&s), s.trim_matches([' ', '\t']));
            prop_assert_eq!(trim_end_bytes(&s, b"/"), s.trim_end_matches('/'));
            prop_assert_eq!(trim_start_bytes(&s, b"/"), s.trim_start_matches('/'));
            prop_assert_eq!(trim_bytes(&s, b" /"), s.trim_matches([' ', '/']));
        }
    }

    #[test]
    fn control_characters_escape_in_hexadecimal_as_rust_would() {
        let named = ['\n', '\r', '\t'];
        for c in (0u32..0x20)
            .chain(0x7f..0xa0)
            .filter_map(char::from_u32)
            .filter(|c| !named.contains(c))
        {
            assert_eq!(quoted(&c.to_string()), format!("\"\\u{{{:x}}}\"", c as u32));
        }
    }

    #[test]
    fn messages_are_their_parts_joined() {
        assert_eq!(cat(&["a", "", "bc"]), "abc");
        assert_eq!(whole(1_000_000), "1000000");
    }

    #[test]
    fn whole_numbers_in_decimal() {
        for n in [0, 7, 10, 1_000_000, u64::MAX] {
            let mut out = String::from(">");
            push_whole(&mut out, n);
            assert_eq!(out, format!(">{n}"));
        }
    }

    #[test]
    fn numbers_read_as_in_javascript() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (-5.0, "-5"),
            (1.5, "1.5"),
            (0.25, "0.25"),
            (1e-7, "0"),
            (2147483647.0, "2147483647"),
            (3e9, "3000000000"),
            (1e300, "1e+300"),
            (-2.5e22, "-2.5e+22"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (0.1 + 0.2, "0.3"),
            (123.456789, "123.456789"),
            (9.99e17, "999000000000000000"),
            (1e18, "1e+18"),
            (1e21, "1e+21"),
        ];
        for (n, text) in cases {
            assert_eq!(number(n), text, "{n:?}");
        }
    }

    #[test]
    fn strings_are_quoted_and_escaped() {
        assert_eq!(quoted("GE T"), r#""GE T""#);
        assert_eq!(quoted("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(quoted("\u{1}é"), "\"\\u{1}é\"");
    }

    proptest! {
        #[test]
        fn whole_numbers_print_exactly(n in -9_007_199_254_740_991i64..9_007_199_254_740_991) {
            prop_assert_eq!(number(n as f64), n.to_string());
        }

        #[test]
        fn any_number_prints_something_readable(n in any::<f64>()) {
            let text = number(n);
            prop_assert!(!text.is_empty() && text.len() < 40, "{}", text);
            if n.is_finite() && n.abs() < 1e15 {
                let back: f64 = text.parse().expect("parses back");
                prop_assert!((back - n).abs() <= 1e-6 * n.abs().max(1.0), "{} -> {}", n, text);
            }
        }
    }
}
