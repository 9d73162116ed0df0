//! Per-key hit records, and the `/stats` and `/reset` endpoints that expose them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hyper::header::ALLOW;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::json;

use crate::app::App;
use crate::query::Query;
use crate::response::{self, Body};

/// What happened to one recorded hit after it arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The response body was fully handed to the connection.
    Completed,
    /// The client went away before the response finished.
    Aborted,
}

/// Everything recorded about one key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyRecord {
    pub hits: u64,
    pub completed: u64,
    pub aborted: u64,
    pub methods: Vec<String>,
    /// Arrival time of each hit, in ms since server start.
    pub times: Vec<u64>,
}

/// Identifies one recorded hit, so that its outcome lands on the right record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HitId {
    key: String,
    /// The store generation at arrival; a `/reset` in between makes the outcome moot.
    generation: u64,
}

#[derive(Default)]
struct Records {
    generation: u64,
    by_key: HashMap<String, KeyRecord>,
}

/// The shared hit store (cheap to clone).
#[derive(Clone, Default)]
pub(crate) struct Store(Arc<Mutex<Records>>);

impl Store {
    fn lock(&self) -> MutexGuard<'_, Records> {
        // A panic elsewhere cannot leave a record half-updated, so poisoning is harmless.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a hit arriving now; returns its 1-based number for the key and its id.
    pub fn record_hit(&self, key: &str, method: &Method, at_ms: u64) -> (u64, HitId) {
        let mut records = self.lock();
        let generation = records.generation;
        let record = records.by_key.entry(key.to_owned()).or_default();
        record.hits += 1;
        record.methods.push(method.as_str().to_owned());
        record.times.push(at_ms);
        let id = HitId {
            key: key.to_owned(),
            generation,
        };
        (record.hits, id)
    }

    /// Records how a hit ended.
    pub fn record_outcome(&self, hit: &HitId, outcome: Outcome) {
        let mut records = self.lock();
        if records.generation != hit.generation {
            return;
        }
        let record = records.by_key.entry(hit.key.clone()).or_default();
        match outcome {
            Outcome::Completed => record.completed += 1,
            Outcome::Aborted => record.aborted += 1,
        }
    }

    /// A copy of the record of `key` (all zeros if it never got a hit).
    pub fn snapshot(&self, key: &str) -> KeyRecord {
        self.lock().by_key.get(key).cloned().unwrap_or_default()
    }

    /// Forgets every record.
    pub fn clear(&self) {
        let mut records = self.lock();
        records.generation += 1;
        records.by_key.clear();
    }
}

/// `GET /stats?key=K`: the record of `K` as JSON.
pub(crate) fn handle_stats<B>(app: &App, req: &Request<B>) -> Response<Body> {
    let query = Query::parse(req.uri().query());
    let Some(key) = query.get("key") else {
        return response::bad_request("/stats needs a `key` query parameter");
    };
    let record = app.store.snapshot(key);
    response::json(
        StatusCode::OK,
        &json!({
            "key": key,
            "hits": record.hits,
            "completed": record.completed,
            "aborted": record.aborted,
            "methods": record.methods,
            "times": record.times,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_are_numbered_per_key() {
        let store = Store::default();
        assert_eq!(store.record_hit("a", &Method::GET, 1).0, 1);
        assert_eq!(store.record_hit("a", &Method::POST, 2).0, 2);
        assert_eq!(store.record_hit("b", &Method::GET, 3).0, 1);
        let a = store.snapshot("a");
        assert_eq!(a.methods, ["GET", "POST"]);
        assert_eq!(a.times, [1, 2]);
        assert_eq!(store.snapshot("unknown"), KeyRecord::default());
    }

    #[test]
    fn outcomes_of_hits_from_before_a_reset_are_ignored() {
        let store = Store::default();
        let (_, old) = store.record_hit("a", &Method::GET, 1);
        store.clear();
        store.record_outcome(&old, Outcome::Aborted);
        assert_eq!(store.snapshot("a"), KeyRecord::default());
        let (_, new) = store.record_hit("a", &Method::GET, 2);
        store.record_outcome(&new, Outcome::Completed);
        assert_eq!(store.snapshot("a").completed, 1);
    }
}
