//! What the core sees of the caller's input: a JS value reduced to the shapes options can take,
//! the path of the field it came from, and the error that names that path.
//!
//! The browser layer converts JS values into [`Raw`]; everything after that (type checks, ranges,
//! defaults, messages) happens here, where it can be tested without a browser.

use std::fmt;

use super::text::{char_start, number, push_whole, quoted};

/// A JS value as the option validator sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    /// `undefined`, or a missing property.
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, possibly NaN or infinite.
    Number(f64),
    /// A string.
    Text(String),
    /// An array.
    List(Vec<Raw>),
    /// A plain object's own enumerable properties, in order.
    Object(Vec<(String, Raw)>),
    /// A value the browser layer handles itself (headers, a body, a signal): present, not inspected.
    Opaque,
    /// A `URL` object, by its `href`.
    Url(String),
    /// Any other value, named by its kind (`"function"`, `"symbol"`, `"bigint"`, `"object"`).
    Other(&'static str),
    /// Reading the value threw (a getter, a Proxy trap, a revoked Proxy): what was thrown, as
    /// `String(error)` shows it. Every check that meets it reports that the field could not be read.
    Unreadable(String),
}

impl Raw {
    /// The property `key` of an object, or `Undefined`.
    pub fn get(&self, key: &str) -> &Raw {
        match self {
            Raw::Object(fields) => fields
                .iter()
                .find(|(k, _)| k == key)
                .map_or(&Raw::Undefined, |(_, v)| v),
            _ => &Raw::Undefined,
        }
    }

    /// True for `undefined` (and so for a missing property).
    pub fn is_undefined(&self) -> bool {
        matches!(self, Raw::Undefined)
    }

    /// The value as an error message shows it: `-5`, `"abc"`, `an object`, `null`.
    pub fn describe(&self) -> String {
        match self {
            Raw::Undefined => "undefined".into(),
            Raw::Null => "null".into(),
            Raw::Bool(b) => if *b { "true" } else { "false" }.into(),
            Raw::Number(n) => number(*n),
            // Cut after 40 characters, never inside one.
            Raw::Text(s) => match char_start(s, 40).and_then(|cut| s.get(..cut)) {
                Some(start) => quoted(start) + "…",
                None => quoted(s),
            },
            Raw::List(_) => "an array".into(),
            Raw::Object(_) | Raw::Opaque => "an object".into(),
            Raw::Url(href) => "the URL ".to_string() + &quoted(href),
            Raw::Other(kind) => "a ".to_string() + kind,
            Raw::Unreadable(why) => "a value that could not be read (".to_string() + why + ")",
        }
    }
}

/// Where a value sits in the caller's input, built without allocating; shown as
/// `options.retry.limit` or `requests[2].timeout`.
#[derive(Clone, Copy, Debug)]
pub enum FieldPath<'a> {
    /// A top-level argument: `requests` or `options`.
    Root(&'static str),
    /// An element of an array.
    Index(&'a FieldPath<'a>, usize),
    /// A property of an object.
    Key(&'a FieldPath<'a>, &'a str),
}

impl<'a> FieldPath<'a> {
    /// The path of element `index` under this one.
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath::Index(self, index)
    }

    /// The path of property `key` under this one.
    pub fn key(&'a self, key: &'a str) -> FieldPath<'a> {
        FieldPath::Key(self, key)
    }

    /// The path as messages show it (built without `core::fmt`).
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.push_to(&mut out);
        out
    }

    fn push_to(&self, out: &mut String) {
        match self {
            FieldPath::Root(name) => out.push_str(name),
            FieldPath::Index(parent, i) => {
                parent.push_to(out);
                out.push('[');
                push_whole(out, *i as u64);
                out.push(']');
            }
            FieldPath::Key(parent, key) => {
                parent.push_to(out);
                out.push('.');
                out.push_str(key);
            }
        }
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// Which JS error class bad input becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputErrorKind {
    /// The value has the wrong type or shape: a JS `TypeError`.
    Type,
    /// The value has the right type but is out of range: a JS `RangeError`.
    Range,
}

/// Bad input, with a message that names the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// TypeError or RangeError.
    pub kind: InputErrorKind,
    /// For example `requests[2].timeout must be a non-negative number of milliseconds, got -5`.
    pub message: String,
}

impl InputError {
    /// A TypeError: `{path} must be {expected}, got {value}`; or, when reading the value threw,
    /// `{path} could not be read: {what was thrown}`.
    pub fn wrong_type(path: &FieldPath, expected: &str, got: &Raw) -> Self {
        Self::must_be(InputErrorKind::Type, path, expected, got)
    }

    /// A RangeError: `{path} must be {expected}, got {value}` (a TypeError when the value could
    /// not be read at all).
    pub fn out_of_range(path: &FieldPath, expected: &str, got: &Raw) -> Self {
        Self::must_be(InputErrorKind::Range, path, expected, got)
    }

    /// The TypeError for a value whose read threw, if `got` is one.
    pub fn unreadable(path: &FieldPath, got: &Raw) -> Option<Self> {
        match got {
            Raw::Unreadable(why) => Some(InputError::type_error_at(
                path,
                &[" could not be read: ", why],
            )),
            _ => None,
        }
    }

    /// A TypeError whose message is `path` followed by `rest`.
    pub fn type_error_at(path: &FieldPath, rest: &[&str]) -> Self {
        let mut message = path.text();
        for part in rest {
            message.push_str(part);
        }
        InputError::type_error(message)
    }

    /// `{path} must be {expected}, got {value}` as `kind`, or the TypeError of a value whose
    /// read threw.
    fn must_be(kind: InputErrorKind, path: &FieldPath, expected: &str, got: &Raw) -> Self {
        if let Some(unreadable) = Self::unreadable(path, got) {
            return unreadable;
        }
        let got = got.describe();
        let mut error = Self::type_error_at(path, &[" must be ", expected, ", got ", &got]);
        error.kind = kind;
        error
    }

    /// A TypeError with a message of the caller's own.
    pub fn type_error(message: String) -> Self {
        InputError {
            kind: InputErrorKind::Type,
            message,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

/// An object of `fields`, for tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn test_object(fields: &[(&str, Raw)]) -> Raw {
    Raw::Object(
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_javascript() {
        let root = FieldPath::Root("requests");
        let item = root.index(2);
        let field = item.key("retry");
        assert_eq!(field.key("limit").to_string(), "requests[2].retry.limit");
    }

    #[test]
    fn values_are_described_as_a_reader_expects() {
        assert_eq!(Raw::Number(f64::NAN).describe(), "NaN");
        assert_eq!(Raw::Number(-5.0).describe(), "-5");
        assert_eq!(Raw::Number(1.5).describe(), "1.5");
        assert_eq!(Raw::Number(f64::NEG_INFINITY).describe(), "-Infinity");
        assert_eq!(Raw::Text("a\"b".into()).describe(), r#""a\"b""#);
        assert!(Raw::Text("x".repeat(100)).describe().ends_with('…'));
        assert_eq!(Raw::Other("function").describe(), "a function");
        assert_eq!(Raw::List(vec![]).describe(), "an array");
        assert_eq!(
            Raw::Url("http://a/".into()).describe(),
            r#"the URL "http://a/""#
        );
    }

    #[test]
    fn a_value_that_threw_when_read_is_named_as_unreadable_whatever_was_expected() {
        let root = FieldPath::Root("options");
        let path = root.key("retry");
        let thrown = Raw::Unreadable("Error: trap".into());
        for error in [
            InputError::wrong_type(&path, "a number", &thrown),
            InputError::out_of_range(&path, "at least 1", &thrown),
        ] {
            assert_eq!(error.kind, InputErrorKind::Type);
            assert_eq!(
                error.message,
                "options.retry could not be read: Error: trap"
            );
        }
    }

    #[test]
    fn get_finds_fields_and_defaults_to_undefined() {
        let obj = Raw::Object(vec![("a".into(), Raw::Bool(true))]);
        assert_eq!(obj.get("a"), &Raw::Bool(true));
        assert!(obj.get("b").is_undefined());
        assert!(Raw::Null.get("a").is_undefined());
    }
}
