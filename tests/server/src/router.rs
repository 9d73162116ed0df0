//! Picks the handler for a request and adds the headers every response carries.

use std::convert::Infallible;
use std::sync::Arc;

use hyper::body::Incoming;
use hyper::header::{HeaderValue, CACHE_CONTROL, ORIGIN};
use hyper::{Request, Response};

use crate::app::App;
use crate::connection::ConnHandle;
use crate::response::Body;
use crate::{configurable, cookies, cors, echo, static_files, stats};

/// Answers one request. API routes win over static mounts.
pub(crate) async fn route(
    app: Arc<App>,
    conn: ConnHandle,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let origin = req.headers().get(ORIGIN).cloned();
    let mut res = if let Some(preflight) = cors::preflight(&req) {
        no_store(preflight)
    } else {
        match req.uri().path() {
            "/r" => no_store(configurable::handle(&app, &conn, req).await),
            "/echo" => no_store(echo::handle(req).await),
            "/stats" => no_store(stats::handle_stats(&app, &req)),
            "/reset" => no_store(stats::handle_reset(&app, &req)),
            "/cookie/set" => no_store(cookies::handle_set(&req)),
            "/cookie/get" => no_store(cookies::handle_get(&req)),
            "/cookie/clear" => no_store(cookies::handle_clear(&req)),
            _ => static_files::handle(&app.config.mounts, &req).await,
        }
    };
    cors::add_headers(res.headers_mut(), origin.as_ref());
    Ok(res)
}

/// API answers must never come from a cache.
fn no_store(mut res: Response<Body>) -> Response<Body> {
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
