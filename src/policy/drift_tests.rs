//! The option lists and defaults are written once, in [`super::options`]; these tests keep the
//! TypeScript declarations (`src/web/types.d.ts`) and the README in step with them.

use super::options::*;
use super::text::number;

const TYPES: &str = include_str!("../web/types.d.ts");
const README: &str = include_str!("../../README.md");

/// The body of `export interface NAME { … }`.
fn interface(name: &str) -> &'static str {
    let start = TYPES
        .find(&format!("export interface {name} "))
        .unwrap_or_else(|| panic!("no interface {name} in types.d.ts"));
    let body = &TYPES[start..];
    let open = body.find('{').expect("{") + 1;
    let close = body.find("\n}").expect("}");
    &body[open..close]
}

/// The fields of an interface, in order, with the `@default` of each one's JSDoc.
fn fields(name: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut doc = String::new();
    for line in interface(name).lines() {
        let trimmed = line.trim();
        if line.starts_with("  ")
            && !line.starts_with("   ")
            && !trimmed.starts_with('*')
            && !trimmed.starts_with("/**")
        {
            if let Some(colon) = trimmed.find(':') {
                let name = trimmed[..colon].trim_end_matches('?').to_string();
                let default = doc.split("@default ").nth(1).map(|d| {
                    d.split(" */")
                        .next()
                        .unwrap_or(d)
                        .lines()
                        .next()
                        .unwrap_or(d)
                        .trim()
                        .to_string()
                });
                out.push((name, default));
                doc.clear();
                continue;
            }
        }
        doc.push_str(trimmed);
        doc.push('\n');
    }
    out
}

fn names(name: &str) -> Vec<String> {
    fields(name).into_iter().map(|(n, _)| n).collect()
}

fn default_of(interface: &str, field: &str) -> String {
    fields(interface)
        .into_iter()
        .find(|(n, _)| n == field)
        .and_then(|(_, d)| d)
        .unwrap_or_else(|| panic!("{interface}.{field} has no @default"))
}

#[test]
fn the_declared_fields_are_the_validated_fields() {
    assert_eq!(names("FetchOptions"), OPTION_FIELDS);
    assert_eq!(names("RequestSpec"), REQUEST_FIELDS);
    assert_eq!(names("RetryOptions"), RETRY_FIELDS);
    assert_eq!(names("DebounceOptions"), DEBOUNCE_FIELDS);
    assert_eq!(
        names("FetchInitFields"),
        crate::policy::fetch_init::FETCH_INIT_FIELDS
    );
    assert_eq!(names("ClientOptions"), CLIENT_FIELDS);
    assert_eq!(names("ClientHooks"), HOOK_FIELDS);
}

#[test]
fn the_declared_defaults_are_the_defaults() {
    let quoted = |items: &[&str]| {
        let items: Vec<String> = items.iter().map(|m| format!("'{m}'")).collect();
        format!("[{}]", items.join(", "))
    };
    assert_eq!(
        default_of("FetchOptions", "timeout"),
        number(DEFAULT_TIMEOUT_MS)
    );
    assert_eq!(
        default_of("RetryOptions", "limit"),
        DEFAULT_RETRY_LIMIT.to_string()
    );
    assert_eq!(
        default_of("RetryOptions", "methods"),
        quoted(&DEFAULT_RETRY_METHODS)
    );
    let codes: Vec<String> = DEFAULT_RETRY_STATUS_CODES
        .iter()
        .map(u16::to_string)
        .collect();
    assert_eq!(
        default_of("RetryOptions", "statusCodes"),
        format!("[{}]", codes.join(", "))
    );
    assert_eq!(
        default_of("RetryOptions", "baseDelay"),
        number(DEFAULT_BASE_DELAY_MS)
    );
    assert_eq!(
        default_of("RetryOptions", "maxDelay"),
        number(DEFAULT_MAX_DELAY_MS)
    );
    assert_eq!(
        default_of("RetryOptions", "maxRetryAfter"),
        number(DEFAULT_MAX_RETRY_AFTER_MS)
    );
}

/// The first cells of the README's table rows under `heading`, split on `, `.
fn readme_rows(heading: &str) -> Vec<(String, String)> {
    let start = README
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading} in README"));
    README[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .flat_map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let rest = cells.get(2).copied().unwrap_or_default().to_string();
            cells[1]
                .split(", ")
                .map(|c| (c.trim_matches('`').to_string(), rest.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_readme_tables_list_every_field_with_its_default() {
    let options: Vec<String> = readme_rows("| option | default | meaning |")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(options, OPTION_FIELDS);
    let requests: Vec<String> = readme_rows("| field | meaning |")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(requests, REQUEST_FIELDS);
    let retry = readme_rows("| `retry.` | default | meaning |");
    let names: Vec<&str> = retry.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, RETRY_FIELDS);
    let default = |field: &str| {
        retry
            .iter()
            .find(|(n, _)| n == field)
            .map(|(_, d)| d.clone())
            .unwrap_or_default()
    };
    assert_eq!(default("limit"), DEFAULT_RETRY_LIMIT.to_string());
    assert_eq!(default("methods"), DEFAULT_RETRY_METHODS.join(" "));
    let codes: Vec<String> = DEFAULT_RETRY_STATUS_CODES
        .iter()
        .map(u16::to_string)
        .collect();
    assert_eq!(default("statusCodes"), codes.join(" "));
    assert_eq!(
        default("baseDelay"),
        format!("{} ms", number(DEFAULT_BASE_DELAY_MS))
    );
    assert_eq!(
        default("maxDelay"),
        format!("{} ms", number(DEFAULT_MAX_DELAY_MS))
    );
    assert_eq!(
        default("maxRetryAfter"),
        format!("{} ms", number(DEFAULT_MAX_RETRY_AFTER_MS))
    );
    let timeout = readme_rows("| option | default | meaning |")
        .into_iter()
        .find(|(n, _)| n == "timeout")
        .map(|(_, d)| d);
    assert_eq!(timeout, Some(format!("{} ms", number(DEFAULT_TIMEOUT_MS))));
}

#[test]
fn the_per_origin_cap_is_documented_with_its_bounds() {
    use super::origin_cap::{BUDGET_SHARE, CEILING, FLOOR};
    let row = README
        .lines()
        .find(|l| l.starts_with("| `perOrigin` |"))
        .expect("README's perOrigin row");
    let declared = TYPES
        .split("perOrigin?: {")
        .nth(1)
        .and_then(|rest| rest.split("};").next())
        .expect("perOrigin in types.d.ts");
    assert_eq!(BUDGET_SHARE, 0.25, "both say 'a quarter'");
    for text in [row, declared] {
        for bound in [FLOOR, CEILING] {
            assert!(text.contains(&bound.to_string()), "{bound} missing: {text}");
        }
        assert!(text.contains("a quarter"), "{text}");
    }
}
