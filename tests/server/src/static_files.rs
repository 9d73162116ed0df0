//! Static files from the mounted directories.

use std::io::ErrorKind;
use std::path::PathBuf;

use hyper::header::{HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use hyper::{Method, Request, Response, StatusCode};
use percent_encoding::percent_decode_str;

use crate::config::Mount;
use crate::mime;
use crate::response::{self, Body};

/// File served for a directory.
const INDEX: &str = "index.html";

/// Serves `req` from the mount with the longest prefix covering its path.
pub(crate) async fn handle<B>(mounts: &[Mount], req: &Request<B>) -> Response<Body> {
    let path = req.uri().path();
    let Some((mount, rest)) = mounts
        .iter()
        .filter_map(|mount| mount.strip(path).map(|rest| (mount, rest)))
        .max_by_key(|(mount, _)| mount.specificity())
    else {
        return not_found(path);
    };
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut res = response::text(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{path} is a static file: only GET and HEAD"),
        );
        res.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    let mut file = match resolve(mount, rest) {
        Ok(file) => file,
        Err(refusal) => return refusal.into_response(),
    };
    if file.is_dir() {
        if !path.ends_with('/') {
            return redirect(&format!("{path}/"));
        }
        file.push(INDEX);
    }
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let mut res = response::with_status(StatusCode::OK, response::full(bytes));
            let headers = res.headers_mut();
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static(mime::content_type(&file)),
            );
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
        Err(err) if matches!(err.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            not_found(path)
        }
        Err(err) => response::text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot read {path}: {err}"),
        ),
    }
}

/// Why a request path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// A `..` segment (also percent-encoded).
    Traversal,
    /// A segment with a backslash or NUL.
    BadSegment,
    /// Percent-decoding gave invalid UTF-8.
    NotUtf8,
}

impl Refusal {
    fn into_response(self) -> Response<Body> {
        match self {
            Self::Traversal => response::text(
                StatusCode::FORBIDDEN,
                "`..` is not allowed in paths".to_owned(),
            ),
            Self::BadSegment => response::bad_request("path segments must not contain `\\` or NUL"),
            Self::NotUtf8 => response::bad_request("the path is not valid UTF-8 once decoded"),
        }
    }
}

/// The file for `rest` (the request path below the mount), refusing any way out
/// of the mounted directory.
fn resolve(mount: &Mount, rest: &str) -> Result<PathBuf, Refusal> {
    let decoded = percent_decode_str(rest)
        .decode_utf8()
        .map_err(|_| Refusal::NotUtf8)?;
    let mut file = mount.dir().to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(Refusal::Traversal),
            _ if segment.contains(['\\', '\0']) => return Err(Refusal::BadSegment),
            _ => file.push(segment),
        }
    }
    Ok(file)
}

fn not_found(path: &str) -> Response<Body> {
    response::text(StatusCode::NOT_FOUND, format!("{path} not found"))
}

fn redirect(location: &str) -> Response<Body> {
    let mut res = response::empty(StatusCode::MOVED_PERMANENTLY);
    if let Ok(value) = HeaderValue::from_str(location) {
        res.headers_mut().insert(LOCATION, value);
    }
    res
}
