//! `/r`: the configurable endpoint (delay, fail, random failures, hang, drop, slow body, custom
//! body, redirects, long-tail latency, rate-limit headers and quotas).

mod chance;
mod params;
mod ratelimit;

use std::convert::Infallible;
use std::future::pending;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::json;

use crate::app::App;
use crate::connection::ConnHandle;
use crate::query::Query;
use crate::request_body::{self, BodyError};
use crate::request_headers;
use crate::response::{self, Body};
use crate::slow_body::SlowBody;
use crate::store::Hit;
use crate::tracking::{HitGuard, TrackedBody};
use params::{Action, Params};

/// Body sent for `invalid_json=1`.
const BROKEN_JSON: &str = r#"{"broken":"#;

/// Handles one request to `/r`.
pub(crate) async fn handle(app: &App, conn: &ConnHandle, req: Request<Incoming>) -> Response<Body> {
    let query = Query::parse(req.uri().query());
    let params = match Params::parse(&query) {
        Ok(params) => params,
        Err(message) => return response::bad_request(message),
    };
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let raw_query = req.uri().query().map(str::to_owned);
    let delay = params.delay_for(chance::roll(), chance::roll());
    let (hit, guard) = match &params.key {
        Some(key) => {
            let (hit, id) = app.store.record_hit(key, arrival(app, &req, delay));
            (hit, Some(HitGuard::new(app.store.clone(), id)))
        }
        None => (0, None),
    };
    let grant = match (&params.key, params.quota) {
        (Some(key), Some((quota, window_ms))) => {
            Some(app.store.take_quota(key, quota, window_ms, app.now_ms()))
        }
        _ => None,
    };
    let rate_headers = ratelimit::headers(&params, grant);
    // If the client goes away from here on, hyper drops this future and `guard`
    // records the hit as aborted.
    match request_body::read(req.into_body()).await {
        Ok(_) => {}
        // The client went away mid-body: dropping `guard` records the abort.
        Err(err @ BodyError::Broken(_)) => return err.into_response(),
        Err(err @ BodyError::TooLarge) => {
            return err
                .into_response()
                .map(|body| TrackedBody::new(body, guard).boxed())
        }
    }
    if grant.is_some_and(|grant| !grant.allowed) {
        let mut res = response::with_status(
            StatusCode::TOO_MANY_REQUESTS,
            TrackedBody::new(response::full("quota used up\n"), guard).boxed(),
        );
        res.headers_mut().extend(rate_headers);
        return res;
    }
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let status = match params.action(hit, chance::roll()) {
        Action::Hang => match pending::<Infallible>().await {},
        Action::Drop => {
            if let Some(guard) = guard {
                guard.disarm();
            }
            conn.close_now();
            match pending::<Infallible>().await {}
        }
        Action::Redirect => {
            let location = redirect_location(&params, &path, raw_query.as_deref());
            if let Some(guard) = &guard {
                app.store
                    .record_redirect(guard.hit(), location.to_str().unwrap_or_default());
            }
            let mut res = response::with_status(
                params.redirect_status,
                TrackedBody::new(response::no_body(), guard).boxed(),
            );
            res.headers_mut().insert(LOCATION, location);
            res.headers_mut().extend(rate_headers);
            return res;
        }
        Action::Respond(status) => status,
    };
    let (content_type, bytes) = body_for(&params, &method, status, hit, &query);
    let body = match params.slow_body {
        Some(total) => SlowBody::new(bytes, total).boxed(),
        None => response::full(bytes),
    };
    let mut res = response::with_status(status, TrackedBody::new(body, guard).boxed());
    let headers = res.headers_mut();
    if let Some(content_type) = content_type {
        headers.insert(CONTENT_TYPE, content_type);
    }
    if !status.is_success() {
        if let Some(retry_after) = params.retry_after {
            headers.insert(RETRY_AFTER, retry_after);
        }
    }
    headers.extend(rate_headers);
    res
}

/// Where a redirect goes: the same URL with `redirect` one less while it is above 0, then `to`.
fn redirect_location(params: &Params, path: &str, raw_query: Option<&str>) -> HeaderValue {
    let next = match (params.redirect, &params.to) {
        (0, Some(to)) => return to.clone(),
        (left, _) => left.saturating_sub(1).to_string(),
    };
    let location = format!("{path}?{}", Query::replace_in(raw_query, "redirect", &next));
    // A re-encoded query and a path that came in a request line are valid header text.
    HeaderValue::from_str(&location).unwrap_or_else(|_| HeaderValue::from_static("/r"))
}

/// What the hit record keeps of `req`.
fn arrival(app: &App, req: &Request<Incoming>, delay: Duration) -> Hit {
    Hit {
        method: req.method().as_str().to_owned(),
        url: req
            .uri()
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_owned(),
        headers: request_headers::to_json(req.headers()),
        at_ms: app.now_ms(),
        delay_ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        redirect: None,
    }
}

/// The content type and bytes of the body for an answer with `status`.
fn body_for(
    params: &Params,
    method: &Method,
    status: StatusCode,
    hit: u64,
    query: &Query,
) -> (Option<HeaderValue>, Bytes) {
    let json_type = || Some(HeaderValue::from_static("application/json"));
    let bodiless = status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || method == Method::HEAD;
    if params.empty || bodiless {
        (params.content_type.clone(), Bytes::new())
    } else if params.invalid_json {
        (json_type(), Bytes::from_static(BROKEN_JSON.as_bytes()))
    } else if params.body.is_some() || params.content_type.is_some() {
        let content_type = params
            .content_type
            .clone()
            .unwrap_or_else(|| HeaderValue::from_static("text/plain; charset=utf-8"));
        let body = params.body.clone().unwrap_or_default();
        (Some(content_type), Bytes::from(body))
    } else {
        let value = json!({
            "key": params.key,
            "hit": hit,
            "method": method.as_str(),
            "status": status.as_u16(),
            "query": query.to_json(),
        });
        (json_type(), Bytes::from(value.to_string()))
    }
}
