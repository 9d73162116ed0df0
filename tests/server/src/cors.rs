//! CORS: headers on every response, and answers to preflight requests.

use hyper::header::{
    HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, VARY,
};
use hyper::{Method, Request, Response, StatusCode};

use crate::response::{self, Body};

/// Methods always allowed, after the one the preflight asked for.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

/// Response headers scripts may read. `*` exposes every header to requests without
/// credentials; with credentials it is only a literal name, so the headers the library reads
/// are named too.
const EXPOSE: &str = "*, Retry-After, RateLimit, RateLimit-Policy, RateLimit-Remaining, \
                      RateLimit-Reset, X-RateLimit-Remaining, X-RateLimit-Reset, Date, Location";

/// How long a browser may cache a preflight answer, in seconds.
const MAX_AGE: &str = "600";

const TIMING_ALLOW_ORIGIN: HeaderName = HeaderName::from_static("timing-allow-origin");
const REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");
const ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

/// Adds the headers every response carries. A request with an `Origin` (any CORS request,
/// and the only kind with credentials) gets that origin back with
/// `Access-Control-Allow-Credentials: true` and `Vary: Origin`, since `*` does not allow
/// credentials; one without gets `*`. Both may read the headers in [`EXPOSE`] and the
/// resource timing.
pub(crate) fn add_headers(headers: &mut HeaderMap, origin: Option<&HeaderValue>) {
    let any = HeaderValue::from_static("*");
    match origin {
        Some(origin) => {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            headers.insert(
                ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
            headers.append(VARY, HeaderValue::from_static("Origin"));
        }
        None => {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, any.clone());
        }
    }
    headers.insert(
        ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE),
    );
    headers.insert(TIMING_ALLOW_ORIGIN, any);
}

/// The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`), or
/// `None` if `req` is not one: any method and any requested headers are allowed (named, as
/// credentialed requests need). Preflights are never recorded as hits.
pub(crate) fn preflight<B>(req: &Request<B>) -> Option<Response<Body>> {
    if req.method() != Method::OPTIONS {
        return None;
    }
    let requested = req.headers().get(ACCESS_CONTROL_REQUEST_METHOD)?;
    let mut res = response::empty(StatusCode::NO_CONTENT);
    let headers = res.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_METHODS, allow_methods(requested));
    if let Some(asked) = req.headers().get(ACCESS_CONTROL_REQUEST_HEADERS) {
        headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
    }
    if req.headers().contains_key(REQUEST_PRIVATE_NETWORK) {
        headers.insert(ALLOW_PRIVATE_NETWORK, HeaderValue::from_static("true"));
    }
    headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static(MAX_AGE));
    Some(res)
}

/// The requested method followed by the standard ones, without repeating it.
fn allow_methods(requested: &HeaderValue) -> HeaderValue {
    let standard = METHODS.join(", ");
    let requested = requested.to_str().unwrap_or_default().trim();
    let value = if requested.is_empty() || METHODS.contains(&requested) {
        standard
    } else {
        format!("{requested}, {standard}")
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("*"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_method_comes_first() {
        let value = allow_methods(&HeaderValue::from_static("PROPFIND"));
        assert_eq!(
            value,
            "PROPFIND, GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS"
        );
        let value = allow_methods(&HeaderValue::from_static("PUT"));
        assert_eq!(value, "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
    }

    #[test]
    fn an_origin_is_echoed_with_credentials_allowed() {
        let mut headers = HeaderMap::new();
        add_headers(
            &mut headers,
            Some(&HeaderValue::from_static("http://127.0.0.1:5")),
        );
        assert_eq!(headers[ACCESS_CONTROL_ALLOW_ORIGIN], "http://127.0.0.1:5");
        assert_eq!(headers[ACCESS_CONTROL_ALLOW_CREDENTIALS], "true");
        assert_eq!(headers[VARY], "Origin");
        let mut headers = HeaderMap::new();
        add_headers(&mut headers, None);
        assert_eq!(headers[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert!(!headers.contains_key(ACCESS_CONTROL_ALLOW_CREDENTIALS));
        let exposed = headers[ACCESS_CONTROL_EXPOSE_HEADERS]
            .to_str()
            .expect("ascii");
        assert!(
            exposed.starts_with("*, Retry-After, RateLimit,"),
            "{exposed}"
        );
    }

    #[test]
    fn plain_options_is_not_a_preflight() {
        let req = Request::builder()
            .method(Method::OPTIONS)
            .uri("/r")
            .body(())
            .expect("request");
        assert!(preflight(&req).is_none());
    }
}
