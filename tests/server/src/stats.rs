//! The `/stats` and `/reset` endpoints, which expose and clear the per-key hit records.

use hyper::header::ALLOW;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::json;

use crate::app::App;
use crate::query::Query;
use crate::response::{self, Body};

/// `GET /stats?key=K`: the record of `K` as JSON. The per-hit arrays (`methods`, `times`,
/// `delays`, `urls`, `headers`, `redirects`) describe the first `store::KEPT_HITS` hits, in arrival order.
pub(crate) fn handle_stats<B>(app: &App, req: &Request<B>) -> Response<Body> {
    let query = Query::parse(req.uri().query());
    let Some(key) = query.get("key") else {
        return response::bad_request("/stats needs a `key` query parameter");
    };
    let record = app.store.snapshot(key);
    let kept = &record.kept;
    response::json(
        StatusCode::OK,
        &json!({
            "key": key,
            "hits": record.hits,
            "completed": record.completed,
            "aborted": record.aborted,
            "inFlight": record.in_flight,
            "maxInFlight": record.max_in_flight,
            "limited": record.limited,
            "methods": kept.iter().map(|hit| hit.method.as_str()).collect::<Vec<_>>(),
            "times": kept.iter().map(|hit| hit.at_ms).collect::<Vec<_>>(),
            "delays": kept.iter().map(|hit| hit.delay_ms).collect::<Vec<_>>(),
            "urls": kept.iter().map(|hit| hit.url.as_str()).collect::<Vec<_>>(),
            "headers": kept.iter().map(|hit| &hit.headers).collect::<Vec<_>>(),
            "redirects": kept.iter().map(|hit| hit.redirect.as_deref()).collect::<Vec<_>>(),
        }),
    )
}

/// `POST /reset`: forgets every record, answers 204.
pub(crate) fn handle_reset<B>(app: &App, req: &Request<B>) -> Response<Body> {
    if req.method() != Method::POST {
        let mut res = response::text(
            StatusCode::METHOD_NOT_ALLOWED,
            "/reset only accepts POST".to_owned(),
        );
        res.headers_mut()
            .insert(ALLOW, "POST".parse().expect("static"));
        return res;
    }
    app.store.clear();
    response::empty(StatusCode::NO_CONTENT)
}
