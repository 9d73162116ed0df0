//! The per-key hit records behind `/stats`: counts, what each hit looked like, and how many
//! hits of a key are being handled at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};

use crate::quota::{Grant, Window};

/// How many hits per key keep their details (method, time, URL, headers); later hits are
/// still counted. Keeps memory bounded under benchmarks that hit one key many times.
pub(crate) const KEPT_HITS: usize = 1000;

/// What happened to one recorded hit after it arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The response body was fully handed to the connection.
    Completed,
    /// The client went away before the response finished.
    Aborted,
}

/// What the server saw of one request, and how it redirected it, if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    pub method: String,
    /// Path and query, as requested.
    pub url: String,
    /// See `request_headers::to_json`.
    pub headers: Map<String, Value>,
    /// Arrival time, in milliseconds since the server started.
    pub at_ms: u64,
    /// How long `/r` waited before answering it (`delay`, `tail_delay`, `jitter`).
    pub delay_ms: u64,
    /// The `Location` it was answered with, set by [`Store::record_redirect`].
    pub redirect: Option<String>,
}

/// Everything recorded about one key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyRecord {
    pub hits: u64,
    pub completed: u64,
    pub aborted: u64,
    /// Hits that arrived and have not yet completed, been aborted or been dropped by the server.
    pub in_flight: u64,
    /// The largest `in_flight` ever reached.
    pub max_in_flight: u64,
    /// Hits answered 429 because the key's quota (`/r?quota=`) was used up.
    pub limited: u64,
    /// The key's quota window.
    pub window: Window,
    /// The first [`KEPT_HITS`] hits, in arrival order.
    pub kept: Vec<Hit>,
}

/// Identifies one recorded hit, so that its outcome lands on the right record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HitId {
    key: String,
    /// The 1-based hit number for the key.
    number: u64,
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

    /// Records a hit arriving now; returns its 1-based number for the key and its id. The hit
    /// is in flight until [`Store::record_end`].
    pub fn record_hit(&self, key: &str, hit: Hit) -> (u64, HitId) {
        let mut records = self.lock();
        let generation = records.generation;
        let record = records.by_key.entry(key.to_owned()).or_default();
        record.hits += 1;
        record.in_flight += 1;
        record.max_in_flight = record.max_in_flight.max(record.in_flight);
        if record.kept.len() < KEPT_HITS {
            record.kept.push(hit);
        }
        let id = HitId {
            key: key.to_owned(),
            number: record.hits,
            generation,
        };
        (record.hits, id)
    }

    /// Records that a hit is no longer in flight, and how it ended (`None`: the server
    /// dropped the connection itself, which counts as neither).
    pub fn record_end(&self, hit: &HitId, outcome: Option<Outcome>) {
        let mut records = self.lock();
        if records.generation != hit.generation {
            return;
        }
        let Some(record) = records.by_key.get_mut(&hit.key) else {
            return;
        };
        record.in_flight = record.in_flight.saturating_sub(1);
        match outcome {
            Some(Outcome::Completed) => record.completed += 1,
            Some(Outcome::Aborted) => record.aborted += 1,
            None => {}
        }
    }

    /// Counts a hit against its key's quota of `quota` hits per `window_ms`.
    pub fn take_quota(&self, key: &str, quota: u64, window_ms: u64, now_ms: u64) -> Grant {
        let mut records = self.lock();
        let record = records.by_key.entry(key.to_owned()).or_default();
        let grant = record.window.take(quota, window_ms, now_ms);
        if !grant.allowed {
            record.limited += 1;
        }
        grant
    }

    /// Notes that a hit was answered with a redirect to `location`.
    pub fn record_redirect(&self, hit: &HitId, location: &str) {
        let mut records = self.lock();
        if records.generation != hit.generation {
            return;
        }
        let kept = records.by_key.get_mut(&hit.key).and_then(|record| {
            record
                .kept
                .get_mut(usize::try_from(hit.number.saturating_sub(1)).ok()?)
        });
        if let Some(kept) = kept {
            kept.redirect = Some(location.to_owned());
        }
    }

    /// A copy of the record of `key` (all zeros if it never got a hit).
    pub fn snapshot(&self, key: &str) -> KeyRecord {
        self.lock().by_key.get(key).cloned().unwrap_or_default()
    }

    /// Forgets every record, including hits still in flight.
    pub fn clear(&self) {
        let mut records = self.lock();
        records.generation += 1;
        records.by_key.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrival(method: &str, at_ms: u64) -> Hit {
        Hit {
            method: method.to_owned(),
            url: "/r".to_owned(),
            headers: Map::new(),
            at_ms,
            delay_ms: 0,
            redirect: None,
        }
    }

    #[test]
    fn hits_are_numbered_per_key() {
        let store = Store::default();
        assert_eq!(store.record_hit("a", arrival("GET", 1)).0, 1);
        assert_eq!(store.record_hit("a", arrival("POST", 2)).0, 2);
        assert_eq!(store.record_hit("b", arrival("GET", 3)).0, 1);
        let a = store.snapshot("a");
        assert_eq!(a.kept, [arrival("GET", 1), arrival("POST", 2)]);
        assert_eq!(store.snapshot("unknown"), KeyRecord::default());
    }

    #[test]
    fn outcomes_of_hits_from_before_a_reset_are_ignored() {
        let store = Store::default();
        let (_, old) = store.record_hit("a", arrival("GET", 1));
        store.clear();
        store.record_end(&old, Some(Outcome::Aborted));
        assert_eq!(store.snapshot("a"), KeyRecord::default());
        let (_, new) = store.record_hit("a", arrival("GET", 2));
        store.record_end(&new, Some(Outcome::Completed));
        assert_eq!(store.snapshot("a").completed, 1);
    }

    #[test]
    fn in_flight_rises_and_falls_and_its_maximum_stays() {
        let store = Store::default();
        let (_, one) = store.record_hit("a", arrival("GET", 1));
        let (_, two) = store.record_hit("a", arrival("GET", 2));
        store.record_end(&one, Some(Outcome::Completed));
        let (_, three) = store.record_hit("a", arrival("GET", 3));
        let record = store.snapshot("a");
        assert_eq!((record.in_flight, record.max_in_flight), (2, 2));
        store.record_end(&two, Some(Outcome::Aborted));
        store.record_end(&three, None);
        let record = store.snapshot("a");
        assert_eq!((record.in_flight, record.max_in_flight), (0, 2));
        assert_eq!((record.completed, record.aborted), (1, 1));
    }

    #[test]
    fn details_are_kept_for_the_first_hits_only() {
        let store = Store::default();
        for at in 0..KEPT_HITS as u64 + 5 {
            store.record_hit("a", arrival("GET", at));
        }
        let record = store.snapshot("a");
        assert_eq!(record.hits, KEPT_HITS as u64 + 5);
        assert_eq!(record.kept.len(), KEPT_HITS);
        assert_eq!(record.kept.last().map(|hit| hit.at_ms), Some(999));
    }

    #[test]
    fn refused_hits_are_counted_as_limited() {
        let store = Store::default();
        assert!(store.take_quota("a", 1, 1000, 0).allowed);
        assert!(!store.take_quota("a", 1, 1000, 10).allowed);
        assert!(store.take_quota("b", 1, 1000, 10).allowed);
        assert_eq!(store.snapshot("a").limited, 1);
        store.clear();
        assert!(store.take_quota("a", 1, 1000, 20).allowed);
    }

    #[test]
    fn redirects_are_noted_on_their_hit() {
        let store = Store::default();
        store.record_hit("a", arrival("GET", 1));
        let (_, second) = store.record_hit("a", arrival("GET", 2));
        store.record_redirect(&second, "/r?key=a&redirect=0");
        let redirects: Vec<_> = store
            .snapshot("a")
            .kept
            .into_iter()
            .map(|hit| hit.redirect)
            .collect();
        assert_eq!(redirects, [None, Some("/r?key=a&redirect=0".to_owned())]);
    }
}
