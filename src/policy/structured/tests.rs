use super::*;
use proptest::prelude::*;

fn item(value: BareItem, params: &[(&str, BareItem)]) -> Member {
    Member::Item(Item {
        value,
        params: params
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    })
}

fn s(text: &str) -> BareItem {
    BareItem::String(text.into())
}

use BareItem::{Boolean, ByteSequence, Date, Decimal, DisplayString, Integer, Token};

#[test]
fn the_drafts_examples_parse() {
    assert_eq!(
        parse_list(r#""burst";q=100;w=60,"daily";q=1000;w=86400"#),
        Some(vec![
            item(s("burst"), &[("q", Integer(100)), ("w", Integer(60))]),
            item(s("daily"), &[("q", Integer(1000)), ("w", Integer(86400))]),
        ])
    );
    assert_eq!(
        parse_list(r#""peruser";q=65535;qu="content-bytes";w=10;pk=:sdfjLJUOUH==:"#),
        Some(vec![item(
            s("peruser"),
            &[
                ("q", Integer(65535)),
                ("qu", s("content-bytes")),
                ("w", Integer(10)),
                ("pk", ByteSequence("sdfjLJUOUH==".into())),
            ]
        )])
    );
    assert_eq!(
        parse_list(r#""default";r=50;t=30"#),
        Some(vec![item(
            s("default"),
            &[("r", Integer(50)), ("t", Integer(30))]
        )])
    );
}

#[test]
fn every_bare_item_type() {
    let list = parse_list(
        r#"tok/en:x, -42, 3.125, "a\"b\\c", :aGk=:, ?0, ?1, @1659578233, %"f%c3%bc%c3%bc", *star"#,
    );
    assert_eq!(
        list,
        Some(vec![
            item(Token("tok/en:x".into()), &[]),
            item(Integer(-42), &[]),
            item(Decimal(3.125), &[]),
            item(s("a\"b\\c"), &[]),
            item(ByteSequence("aGk=".into()), &[]),
            item(Boolean(false), &[]),
            item(Boolean(true), &[]),
            item(Date(1659578233), &[]),
            item(DisplayString("füü".into()), &[]),
            item(Token("*star".into()), &[]),
        ])
    );
}

#[test]
fn parameters_inner_lists_and_whitespace() {
    assert_eq!(
        parse_list("  a;x;y=?0; z=1 ,\t(b c);p=2,()  "),
        Some(vec![
            item(
                Token("a".into()),
                &[
                    ("x", Boolean(true)),
                    ("y", Boolean(false)),
                    ("z", Integer(1))
                ]
            ),
            Member::InnerList(
                vec![
                    Item {
                        value: Token("b".into()),
                        params: vec![]
                    },
                    Item {
                        value: Token("c".into()),
                        params: vec![]
                    },
                ],
                vec![("p".into(), Integer(2))]
            ),
            Member::InnerList(vec![], vec![]),
        ])
    );
    // A repeated key keeps its place and takes the last value.
    assert_eq!(
        parse_list("a;r=1;t=2;r=0"),
        Some(vec![item(
            Token("a".into()),
            &[("r", Integer(0)), ("t", Integer(2))]
        )])
    );
    assert_eq!(parse_list(""), Some(vec![]));
    assert_eq!(parse_list("   "), Some(vec![]));
}

#[test]
fn numbers_keep_to_their_limits() {
    assert_eq!(
        parse_list("999999999999999"),
        Some(vec![item(Integer(999_999_999_999_999), &[])])
    );
    assert_eq!(
        parse_list("-999999999999.999"),
        Some(vec![item(Decimal(-999_999_999_999.999), &[])])
    );
    assert_eq!(parse_list("0.1"), Some(vec![item(Decimal(0.1), &[])]));
    for bad in [
        "1000000000000000",
        "1234567890123.4",
        "1.2345",
        "1.",
        "-",
        "--1",
        "-a",
        "@1.5",
    ] {
        assert_eq!(parse_list(bad), None, "{bad:?}");
    }
}

#[test]
fn malformed_fields_fail_whole() {
    for bad in [
        "a,",
        ",a",
        "a,,b",
        "a b",
        "\"unterminated",
        "\"bad \\n escape\"",
        "\"tab\tinside\"",
        ":not base64!:",
        ":unterminated",
        "?2",
        "a;Key=1",
        "a;=1",
        "a;k=",
        "(a b",
        "(a,b)",
        "%\"%C3%BC\"",
        "%\"%c3\"",
        "%nope",
        "é",
        "\"é\"",
        "Ä",
        "\ta",
    ] {
        assert_eq!(parse_list(bad), None, "{bad:?}");
    }
    // A parameter without a value is a boolean, not an error.
    assert!(parse_list("a;q=1, \"b\";q=2;w ").is_some());
}

/// The RFC's serialisation of what the parser gives back, to test round trips.
fn serialize(members: &[Member]) -> String {
    fn bare(value: &BareItem) -> String {
        match value {
            Integer(n) => n.to_string(),
            Decimal(d) => format!("{d:.3}"),
            BareItem::String(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
            Token(t) => t.clone(),
            ByteSequence(b) => format!(":{b}:"),
            Boolean(b) => if *b { "?1" } else { "?0" }.into(),
            Date(n) => format!("@{n}"),
            DisplayString(s) => {
                let mut out = String::from("%\"");
                for b in s.bytes() {
                    if b == b'%' || b == b'"' || !(0x20..=0x7e).contains(&b) {
                        out.push_str(&format!("%{b:02x}"));
                    } else {
                        out.push(char::from(b));
                    }
                }
                out + "\""
            }
        }
    }
    fn params(params: &Parameters) -> String {
        params
            .iter()
            .map(|(k, v)| match v {
                Boolean(true) => format!(";{k}"),
                v => format!(";{k}={}", bare(v)),
            })
            .collect()
    }
    fn item(i: &Item) -> String {
        bare(&i.value) + &params(&i.params)
    }
    members
        .iter()
        .map(|m| match m {
            Member::Item(i) => item(i),
            Member::InnerList(items, p) => format!(
                "({}){}",
                items.iter().map(item).collect::<Vec<_>>().join(" "),
                params(p)
            ),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn any_bare() -> impl Strategy<Value = BareItem> {
    prop_oneof![
        (-999_999_999_999_999i64..=999_999_999_999_999).prop_map(Integer),
        (-999_999_999_999_999i64..=999_999_999_999_999)
            .prop_map(|n| Decimal((n / 1000) as f64 + (n % 1000) as f64 / 1000.0)),
        "[ -~]{0,12}".prop_map(BareItem::String),
        "[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]{0,10}".prop_map(Token),
        "[A-Za-z0-9+/]{0,8}={0,2}".prop_map(ByteSequence),
        any::<bool>().prop_map(Boolean),
        (-999_999_999_999i64..999_999_999_999).prop_map(Date),
        ".{0,6}".prop_map(DisplayString),
    ]
}

fn any_params() -> impl Strategy<Value = Parameters> {
    prop::collection::vec(("[a-z*][a-z0-9_.*-]{0,5}", any_bare()), 0..4).prop_map(|list| {
        let mut params: Parameters = Vec::new();
        for (k, v) in list {
            if !params.iter().any(|(key, _)| *key == k) {
                params.push((k, v));
            }
        }
        params
    })
}

fn any_item() -> impl Strategy<Value = Item> {
    (any_bare(), any_params()).prop_map(|(value, params)| Item { value, params })
}

fn any_member() -> impl Strategy<Value = Member> {
    prop_oneof![
        4 => any_item().prop_map(Member::Item),
        1 => (prop::collection::vec(any_item(), 0..3), any_params())
            .prop_map(|(items, p)| Member::InnerList(items, p)),
    ]
}

proptest! {
    #[test]
    fn never_panics(input in any::<String>()) {
        let _ = parse_list(&input);
    }

    #[test]
    fn never_panics_on_field_like_input(input in r#"[a-z0-9"=;,:?@%(). *-]{0,40}"#) {
        let _ = parse_list(&input);
    }

    #[test]
    fn serialised_lists_parse_back(members in prop::collection::vec(any_member(), 0..5)) {
        let text = serialize(&members);
        prop_assert_eq!(parse_list(&text), Some(members), "{}", text);
    }
}

proptest! {
    #[test]
    fn utf8_accepts_and_refuses_what_std_does(bytes in prop::collection::vec(any::<u8>(), 0..12)) {
        prop_assert_eq!(utf8(&bytes), String::from_utf8(bytes.clone()).ok());
    }

    #[test]
    fn utf8_reads_every_string_back(text in ".{0,8}") {
        prop_assert_eq!(utf8(text.as_bytes()), Some(text));
    }
}

#[test]
fn utf8_refuses_overlong_forms_surrogates_and_code_points_past_the_last() {
    for bad in [
        &[0xc0, 0xaf][..],
        &[0xe0, 0x80, 0xaf],
        &[0xed, 0xa0, 0x80],
        &[0xf4, 0x90, 0x80, 0x80],
        &[0xe2, 0x82],
    ] {
        assert_eq!(utf8(bad), None, "{bad:x?}");
    }
}
