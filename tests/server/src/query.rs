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
    fn no_query_is_empty() {
        assert_eq!(Query::parse(None), Query::default());
    }
}
