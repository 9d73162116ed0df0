//! Small helpers to build responses.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Empty, Full};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};

/// The body type of every response.
pub(crate) type Body = BoxBody<Bytes, Infallible>;

/// A body made of `bytes`.
pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

/// A body with no bytes.
pub(crate) fn no_body() -> Body {
    Empty::new().boxed()
}

/// A response with no body.
pub(crate) fn empty(status: StatusCode) -> Response<Body> {
    with_status(status, no_body())
}

/// A response with the given status and body.
pub(crate) fn with_status(status: StatusCode, body: Body) -> Response<Body> {
    let mut res = Response::new(body);
    *res.status_mut() = status;
    res
}

/// A JSON response.
pub(crate) fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    let mut res = with_status(status, full(value.to_string()));
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

/// A plain-text response (used for errors, so the message ends with a newline).
pub(crate) fn text(status: StatusCode, mut message: String) -> Response<Body> {
    message.push('\n');
    let mut res = with_status(status, full(message));
    res.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

/// `400 Bad Request` with a message saying what was wrong.
pub(crate) fn bad_request(message: impl Into<String>) -> Response<Body> {
    text(StatusCode::BAD_REQUEST, message.into())
}
