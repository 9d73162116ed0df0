//! Reading a whole request body, with a size cap.

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::{Response, StatusCode};

use crate::response::{self, Body};

/// Largest request body the server reads.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Why a request body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// Larger than [`MAX_BODY`].
    TooLarge,
    /// The body broke off: typically the client went away while sending it.
    Broken(String),
}

impl BodyError {
    /// The answer to send instead (if anyone is still listening).
    pub fn into_response(self) -> Response<Body> {
        match self {
            Self::TooLarge => response::text(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request body is larger than {MAX_BODY} bytes"),
            ),
            Self::Broken(err) => {
                response::bad_request(format!("could not read the request body: {err}"))
            }
        }
    }
}

/// Reads the whole body.
///
/// Reading the body to its end also lets hyper go on watching the socket, so a
/// client that goes away while the handler waits is noticed (see `tracking`).
pub(crate) async fn read(body: Incoming) -> Result<Bytes, BodyError> {
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.is::<LengthLimitError>() => Err(BodyError::TooLarge),
        Err(err) => Err(BodyError::Broken(err.to_string())),
    }
}
