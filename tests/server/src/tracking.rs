//! Abort detection: a guard that records `aborted` unless the response body is
//! fully produced, and a body wrapper that carries the guard to the end of the body.
//!
//! When the client closes the connection, hyper's HTTP/1 dispatcher notices the
//! EOF (it keeps reading the socket while a response is pending) and fails the
//! connection; the connection task then drops the in-flight handler future or the
//! half-sent body, and with it the guard.

use std::pin::Pin;
use std::task::{Context, Poll};

use std::convert::Infallible;

use bytes::Bytes;
use http_body::{Body as _, Frame, SizeHint};

use crate::response::Body;
use crate::store::{HitId, Outcome, Store};

/// Records the outcome of one hit exactly once; dropping it unsettled means "aborted".
pub(crate) struct HitGuard {
    store: Store,
    hit: HitId,
    settled: bool,
}

impl HitGuard {
    pub fn new(store: Store, hit: HitId) -> Self {
        Self {
            store,
            hit,
            settled: false,
        }
    }

    /// The hit this guard settles.
    pub fn hit(&self) -> &HitId {
        &self.hit
    }

    /// Settles without recording an outcome (the server itself dropped the connection); the
    /// hit is no longer in flight.
    pub fn disarm(mut self) {
        self.settle(None);
    }

    fn settle(&mut self, outcome: Option<Outcome>) {
        if !self.settled {
            self.settled = true;
            self.store.record_end(&self.hit, outcome);
        }
    }
}

impl Drop for HitGuard {
    fn drop(&mut self) {
        self.settle(Some(Outcome::Aborted));
    }
}

/// A response body that records `completed` once fully produced and `aborted`
/// if dropped before that.
pub(crate) struct TrackedBody {
    inner: Body,
    guard: Option<HitGuard>,
}

impl TrackedBody {
    pub fn new(inner: Body, guard: Option<HitGuard>) -> Self {
        Self { inner, guard }
    }

    fn complete(&mut self) {
        if let Some(mut guard) = self.guard.take() {
            guard.settle(Some(Outcome::Completed));
        }
    }
}

impl http_body::Body for TrackedBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(None) => this.complete(),
            Poll::Ready(Some(_)) if this.inner.is_end_stream() => this.complete(),
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for TrackedBody {
    fn drop(&mut self) {
        // hyper drops a body that is empty from the start without polling it; that
        // still counts as completed. Anything else still unsettled here was cut off,
        // and the guard's own drop records it as aborted.
        if self.inner.is_end_stream() {
            self.complete();
        }
    }
}
