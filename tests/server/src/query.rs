//! Query-string parsing.

use std::collections::BTreeMap;

/// Decoded query parameters; when a name repeats, the last value wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query(BTreeMap<String, String>);

impl Query {
    /// Parses a raw (still percent-encoded) query string.
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes());
        Self(pairs.into_owned().collect())
    }

    /// The value of parameter `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// The raw query string `raw` with every value of `name` replaced by `value` (appended if
    /// absent); the other parameters keep their order and repeats. Re-encoded, so the result
    /// is a valid query string whatever `value` is.
    pub fn replace_in(raw: Option<&str>, name: &str, value: &str) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        let mut replaced = false;
        for (n, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            if n == name {
                out.append_pair(name, value);
                replaced = true;
            } else {
                out.append_pair(&n, &v);
            }
        }
        if !replaced {
            out.append_pair(name, value);
        }
        out.finish()
    }

    /// All parameters as a JSON object of strings.
    pub fn to_json(&self) -> serde_json::Value {
        self.0
            .iter()
            .map(|(name, value)| (name.clone(), serde_json::Value::from(value.as_str())))
            .collect::<serde_json::Map<_, _>>()
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_keeps_the_last_value() {
        let query = Query::parse(Some("key=a%20b&x=1&x=2&flag"));
        assert_eq!(query.get("key"), Some("a b"));
        assert_eq!(query.get("x"), Some("2"));
        assert_eq!(query.get("flag"), Some(""));
        assert_eq!(query.get("missing"), None);
        assert_eq!(
            query.to_json(),
            serde_json::json!({"key": "a b", "x": "2", "flag": ""})
        );
    }

    #[test]
    fn replace_in_keeps_the_other_parameters() {
        let raw = Some("key=a%20b&redirect=3&x=1&x=2");
        assert_eq!(
            Query::replace_in(raw, "redirect", "2"),
            "key=a+b&redirect=2&x=1&x=2"
        );
        assert_eq!(Query::replace_in(Some("key=k"), "n", "1"), "key=k&n=1");
        assert_eq!(Query::replace_in(None, "n", "&"), "n=%26");
    }

    #[test]
    fn no_query_is_empty() {
        assert_eq!(Query::parse(None), Query::default());
    }
}
