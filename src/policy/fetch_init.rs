//! fetch's own `RequestInit` fields (`credentials`, `mode`, `cache`, …), validated as fetch
//! would validate them, and layered: a request's own value wins over the call's, which wins
//! over the client's. They go to fetch unchanged.

use super::raw::{FieldPath, InputError, Raw};
use super::text::{cat, joined};

/// The fetch fields the SDK passes through, in the order the docs list them.
pub const FETCH_INIT_FIELDS: &[&str] = &[
    "credentials",
    "mode",
    "cache",
    "redirect",
    "referrer",
    "referrerPolicy",
    "integrity",
    "keepalive",
    "priority",
];

/// What each enumerated field accepts (fetch's WebIDL enums; `mode: 'navigate'` is refused by
/// fetch itself, so it is not offered).
const ENUMS: &[(&str, &[&str])] = &[
    ("credentials", &["omit", "same-origin", "include"]),
    ("mode", &["cors", "no-cors", "same-origin"]),
    (
        "cache",
        &[
            "default",
            "no-store",
            "reload",
            "no-cache",
            "force-cache",
            "only-if-cached",
        ],
    ),
    ("redirect", &["follow", "error", "manual"]),
    (
        "referrerPolicy",
        &[
            "",
            "no-referrer",
            "no-referrer-when-downgrade",
            "same-origin",
            "origin",
            "strict-origin",
            "origin-when-cross-origin",
            "strict-origin-when-cross-origin",
            "unsafe-url",
        ],
    ),
    ("priority", &["high", "low", "auto"]),
];

/// One field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InitValue {
    /// A string field (every field but `keepalive`).
    Text(String),
    /// `keepalive`.
    Bool(bool),
}

/// The fetch fields one layer sets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchInit {
    values: Vec<(&'static str, InitValue)>,
}

impl FetchInit {
    /// The fields set, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &InitValue)> {
        self.values.iter().map(|(k, v)| (*k, v))
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&InitValue> {
        self.values.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// This layer over `base`: its own values win.
    pub fn over(&self, base: &FetchInit) -> FetchInit {
        let mut values = base.values.clone();
        for (k, v) in &self.values {
            match values.iter_mut().find(|(b, _)| b == k) {
                Some(slot) => slot.1 = v.clone(),
                None => values.push((k, v.clone())),
            }
        }
        FetchInit { values }
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Reads the fetch fields of an options or request object at `path`.
pub fn fetch_init(path: &FieldPath, raw: &Raw) -> Result<FetchInit, InputError> {
    let mut values = Vec::new();
    for &name in FETCH_INIT_FIELDS {
        let field = path.key(name);
        let value = raw.get(name);
        let parsed = match (name, value) {
            (_, Raw::Undefined) => continue,
            ("keepalive", Raw::Bool(b)) => InitValue::Bool(*b),
            ("keepalive", other) => return Err(InputError::wrong_type(&field, "a boolean", other)),
            (_, Raw::Text(text)) => {
                if let Some((_, allowed)) = ENUMS.iter().find(|(n, _)| *n == name) {
                    if !allowed.contains(&text.as_str()) {
                        let names: Vec<String> =
                            allowed.iter().map(|a| cat(&["'", a, "'"])).collect();
                        let list = joined(names.iter().map(String::as_str), ", ");
                        return Err(InputError::type_error_at(
                            &field,
                            &[" must be one of ", &list, ", got ", &value.describe()],
                        ));
                    }
                }
                InitValue::Text(text.clone())
            }
            (_, other) => return Err(InputError::wrong_type(&field, "a string", other)),
        };
        values.push((name, parsed));
    }
    Ok(FetchInit { values })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::policy::raw::test_object as obj;

    #[test]
    fn fetch_fields_are_checked_as_fetch_checks_them() {
        let root = FieldPath::Root("options");
        let e = fetch_init(
            &root,
            &obj(&[("credentials", Raw::Text("sometimes".into()))]),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "options.credentials must be one of 'omit', 'same-origin', 'include', got \"sometimes\""
        );
        let e = fetch_init(&root, &obj(&[("keepalive", Raw::Text("yes".into()))])).unwrap_err();
        assert_eq!(
            e.message,
            "options.keepalive must be a boolean, got \"yes\""
        );
        let e = fetch_init(&root, &obj(&[("referrer", Raw::Number(1.0))])).unwrap_err();
        assert_eq!(e.message, "options.referrer must be a string, got 1");
        let ok = fetch_init(
            &root,
            &obj(&[
                ("credentials", Raw::Text("include".into())),
                ("keepalive", Raw::Bool(true)),
                ("referrerPolicy", Raw::Text("".into())),
            ]),
        )
        .unwrap();
        assert_eq!(
            ok.get("credentials"),
            Some(&InitValue::Text("include".into()))
        );
        assert_eq!(ok.get("keepalive"), Some(&InitValue::Bool(true)));
    }

    #[test]
    fn a_nearer_layer_wins_field_by_field() {
        let root = FieldPath::Root("x");
        let client = fetch_init(
            &root,
            &obj(&[
                ("credentials", Raw::Text("include".into())),
                ("cache", Raw::Text("no-store".into())),
            ]),
        )
        .unwrap();
        let request =
            fetch_init(&root, &obj(&[("credentials", Raw::Text("omit".into()))])).unwrap();
        let merged = request.over(&client);
        assert_eq!(
            merged.get("credentials"),
            Some(&InitValue::Text("omit".into()))
        );
        assert_eq!(
            merged.get("cache"),
            Some(&InitValue::Text("no-store".into()))
        );
    }
}
