//! `/cookie/set`, `/cookie/get` and `/cookie/clear`: set a cookie, show the cookies a request
//! carried, and expire one, for tests of credentialed requests.
//!
//! Cookies are per host, not per port, and `127.0.0.1:A` and `127.0.0.1:B` are the same site, so
//! a page on one port can set and send `SameSite=Lax` cookies with `credentials: 'include'` to
//! the server's second port (cross-origin, same-site) over plain http. `127.0.0.1` and
//! `localhost` are different sites: such a cookie would be third-party.

use hyper::header::{HeaderValue, COOKIE, SET_COOKIE};
use hyper::{Request, Response, StatusCode};
use serde_json::{json, Map, Value};

use crate::query::Query;
use crate::response::{self, Body};

/// `GET /cookie/set?name=N&value=V[&samesite=Lax|Strict|None][&secure=1][&max_age=S]`.
pub(crate) fn handle_set<B>(req: &Request<B>) -> Response<Body> {
    let query = Query::parse(req.uri().query());
    match set_cookie(&query) {
        Ok(header) => {
            let text = header.to_str().unwrap_or_default().to_owned();
            let mut res = response::json(
                StatusCode::OK,
                &json!({
                    "name": query.get("name"),
                    "value": query.get("value").unwrap_or_default(),
                    "setCookie": text,
                }),
            );
            res.headers_mut().insert(SET_COOKIE, header);
            res
        }
        Err(message) => response::bad_request(message),
    }
}

/// `GET /cookie/clear?name=N`: expires cookie `N` (path `/`).
pub(crate) fn handle_clear<B>(req: &Request<B>) -> Response<Body> {
    let query = Query::parse(req.uri().query());
    let name = match cookie_name(&query) {
        Ok(name) => name,
        Err(message) => return response::bad_request(message),
    };
    let text = format!("{name}=; Path=/; Max-Age=0; SameSite=Lax");
    let mut res = response::json(StatusCode::OK, &json!({"name": name, "setCookie": text}));
    if let Ok(header) = HeaderValue::from_str(&text) {
        res.headers_mut().insert(SET_COOKIE, header);
    }
    res
}

/// `GET /cookie/get`: `{"cookies": {name: value, …}, "header": "raw Cookie header" | null}`.
pub(crate) fn handle_get<B>(req: &Request<B>) -> Response<Body> {
    let lines: Vec<String> = req
        .headers()
        .get_all(COOKIE)
        .iter()
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect();
    let header = (!lines.is_empty()).then(|| lines.join("; "));
    let cookies = parse(header.as_deref().unwrap_or_default());
    response::json(
        StatusCode::OK,
        &json!({"cookies": cookies, "header": header}),
    )
}

/// The `Set-Cookie` value the query asks for.
fn set_cookie(query: &Query) -> Result<HeaderValue, String> {
    let name = cookie_name(query)?;
    let value = query.get("value").unwrap_or_default();
    if !value.bytes().all(is_cookie_octet) {
        return Err(format!(
            "bad query parameter `value={value}`: expected cookie text (no spaces, quotes, \
             commas, semicolons or backslashes)"
        ));
    }
    let mut text = format!("{name}={value}; Path=/");
    let same_site = match query
        .get("samesite")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("lax") => "Lax",
        Some("strict") => "Strict",
        Some("none") => "None",
        Some(_) => {
            return Err(format!(
                "bad query parameter `samesite={}`: expected Lax, Strict or None",
                query.get("samesite").unwrap_or_default()
            ))
        }
    };
    text.push_str("; SameSite=");
    text.push_str(same_site);
    // Browsers drop `SameSite=None` cookies that are not `Secure`.
    if same_site == "None" || matches!(query.get("secure"), Some("1" | "true" | "")) {
        text.push_str("; Secure");
    }
    if let Some(max_age) = query.get("max_age") {
        let seconds: i64 = max_age.parse().map_err(|_| {
            format!("bad query parameter `max_age={max_age}`: expected whole seconds")
        })?;
        text.push_str(&format!("; Max-Age={seconds}"));
    }
    HeaderValue::from_str(&text).map_err(|_| format!("cannot send `{text}` as a header"))
}

/// The `name` parameter, if it is a valid cookie name (an HTTP token).
fn cookie_name(query: &Query) -> Result<&str, String> {
    let name = query
        .get("name")
        .ok_or_else(|| "this endpoint needs a `name` query parameter".to_owned())?;
    if name.is_empty() || !name.bytes().all(is_token_char) {
        return Err(format!(
            "bad query parameter `name={name}`: expected a cookie name (letters, digits and \
             !#$%&'*+-.^_`|~)"
        ));
    }
    Ok(name)
}

/// `Cookie: a=1; b=2` as `{"a": "1", "b": "2"}`; a pair without `=` is a value with no name.
fn parse(header: &str) -> Map<String, Value> {
    header
        .split(';')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (name.trim().to_owned(), Value::from(value.trim())),
            None => (String::new(), Value::from(pair)),
        })
        .collect()
}

fn is_token_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// RFC 6265 `cookie-octet`: visible ASCII but `"`, `,`, `;` and `\`.
fn is_cookie_octet(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(raw: &str) -> Result<String, String> {
        set_cookie(&Query::parse(Some(raw))).map(|value| value.to_str().unwrap_or("?").to_owned())
    }

    #[test]
    fn set_cookie_defaults_to_lax_on_the_whole_server() {
        assert_eq!(
            set("name=sid&value=abc"),
            Ok("sid=abc; Path=/; SameSite=Lax".to_owned())
        );
        assert_eq!(
            set("name=sid&value=abc&samesite=none&max_age=60"),
            Ok("sid=abc; Path=/; SameSite=None; Secure; Max-Age=60".to_owned())
        );
        assert_eq!(
            set("name=a&samesite=Strict&secure=1"),
            Ok("a=; Path=/; SameSite=Strict; Secure".to_owned())
        );
    }

    #[test]
    fn bad_cookies_are_refused() {
        for raw in [
            "value=x",
            "name=&value=x",
            "name=a%20b&value=x",
            "name=a&value=x;y",
            "name=a&value=x%20y",
            "name=a&samesite=sometimes",
            "name=a&max_age=soon",
        ] {
            assert!(set(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn cookie_header_is_parsed_into_pairs() {
        let cookies = Value::from(parse("a=1; b = two ;flag; c=x=y"));
        assert_eq!(
            cookies,
            json!({"a": "1", "b": "two", "": "flag", "c": "x=y"})
        );
        assert!(parse("").is_empty());
    }
}
