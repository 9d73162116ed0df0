//! `/echo`: answers with a JSON description of the request it got.

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use serde_json::{json, Map, Value};

use crate::request_body;
use crate::response::{self, Body};

/// Handles one request to `/echo` (any method).
pub(crate) async fn handle(req: Request<Incoming>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let bytes = match request_body::read(body).await {
        Ok(bytes) => bytes,
        Err(err) => return err.into_response(),
    };
    let mut headers = Map::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        match headers.get_mut(name.as_str()) {
            // Repeated headers are joined the way `Headers.get` in a browser joins them.
            Some(Value::String(joined)) => {
                joined.push_str(", ");
                joined.push_str(&value);
            }
            _ => {
                headers.insert(name.as_str().to_owned(), Value::from(value));
            }
        }
    }
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
