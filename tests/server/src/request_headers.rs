//! Request headers as a JSON object, the way a browser's `Headers` shows them.

use hyper::header::HeaderMap;
use serde_json::{Map, Value};

/// Lower-cased names to values; a repeated header's values are joined with `", "`, as
/// `Headers.get` joins them (`Cookie` lines with `"; "`, as HTTP/2 splits them). Bytes that
/// are not UTF-8 become U+FFFD.
pub(crate) fn to_json(headers: &HeaderMap) -> Map<String, Value> {
    let mut json = Map::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        let separator = if name == hyper::header::COOKIE {
            "; "
        } else {
            ", "
        };
        match json.get_mut(name.as_str()) {
            Some(Value::String(joined)) => {
                joined.push_str(separator);
                joined.push_str(&value);
            }
            _ => {
                json.insert(name.as_str().to_owned(), Value::from(value));
            }
        }
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    #[test]
    fn repeated_headers_are_joined() {
        let mut headers = HeaderMap::new();
        headers.append("x-trace", HeaderValue::from_static("one"));
        headers.append("X-Trace", HeaderValue::from_static("two"));
        headers.append("cookie", HeaderValue::from_static("a=1"));
        headers.append("cookie", HeaderValue::from_static("b=2"));
        headers.append("authorization", HeaderValue::from_static("Bearer t"));
        let json = Value::from(to_json(&headers));
        assert_eq!(
            json,
            serde_json::json!({"x-trace": "one, two", "cookie": "a=1; b=2", "authorization": "Bearer t"})
        );
    }
}
