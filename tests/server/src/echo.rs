//! `/echo`: answers with a JSON description of the request it got.

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use serde_json::json;

use crate::request_body;
use crate::request_headers;
use crate::response::{self, Body};

/// Handles one request to `/echo` (any method).
pub(crate) async fn handle(req: Request<Incoming>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let bytes = match request_body::read(body).await {
        Ok(bytes) => bytes,
        Err(err) => return err.into_response(),
    };
    let headers = request_headers::to_json(&parts.headers);
    let url = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    response::json(
        StatusCode::OK,
        &json!({
            "method": parts.method.as_str(),
            "url": url,
            "headers": headers,
            "body": String::from_utf8_lossy(&bytes),
        }),
    )
}
