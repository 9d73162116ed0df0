//! What a finished exchange becomes: a FetchResult for a 2xx, an HttpError (carrying the same
//! result as its `response`) otherwise. The result object itself is built in JS, in one call
//! ([`Received::result`]).

use super::error::{ErrorKind, FetchError};
use super::exchange::Received;
use super::globals::unix_ms;
use super::prepare::PreparedRequest;
use crate::policy::retry_after::parse_retry_after;

/// The HttpError of a non-2xx response, with its Retry-After read.
pub(crate) fn http_error(
    request: &PreparedRequest,
    received: &Received,
    attempts: u32,
    duration_ms: f64,
) -> FetchError {
    let kind = ErrorKind::Http {
        status: received.status,
        status_text: received.status_text(),
    };
    let mut error = FetchError::new(kind, request.label.clone(), attempts);
    error.retry_after_ms = received
        .header("retry-after")
        .and_then(|value| parse_retry_after(&value, unix_ms()));
    error.response = Some(received.result(request, attempts, duration_ms));
    error
}
