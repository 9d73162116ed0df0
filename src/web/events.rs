//! `onEvent`: a report of each attempt's start and end, each retry wait, each abort and each
//! final settle, for logging and for drawing waterfalls. Without a callback nothing is built.
//! A callback that throws is ignored: it never breaks the call.
//!
//! A request's events come in this order: `attemptStart`, `attemptEnd`, then `retryWait` and
//! the next attempt's pair as often as it retries; then, if it was cut short, `abort`; and
//! last, exactly once whatever ended it, `settle` (see [`super::ending`]).

use std::cell::Cell;

use js_sys::{Function, Object};
use wasm_bindgen::JsValue;

use super::error::AbortCause;
use super::globals::{now_ms, set};

/// The event sink of one call, shared by its requests.
#[derive(Debug, Default)]
pub(crate) struct Events {
    callback: Option<Function>,
    /// The client's `onEvent`, which hears every call made through it.
    client_callback: Option<Function>,
    /// Set by whoever cancels the call, just before it drops the requests' futures.
    cancelled_by: Cell<Option<AbortCause>>,
}

/// One event's fields, filled in only when there is a callback to receive them.
#[derive(Debug)]
pub(crate) struct Event(Object);

impl Event {
    /// Adds a field.
    pub(crate) fn with(self, key: &str, value: impl Into<JsValue>) -> Self {
        set(&self.0, key, &value.into());
        self
    }
}

impl Events {
    /// Events for the call's `callback` and the client's, where there are any.
    pub(crate) fn new(callback: Option<Function>, client_callback: Option<Function>) -> Self {
        Events {
            callback,
            client_callback,
            cancelled_by: Cell::new(None),
        }
    }

    /// Reports an event of `kind` about attempt `attempt` of request `index`; `fill` adds the
    /// event's own fields and runs only when someone listens.
    pub(crate) fn emit(
        &self,
        kind: &str,
        index: usize,
        attempt: u32,
        url: &str,
        fill: impl FnOnce(Event) -> Event,
    ) {
        if let Some(event) = self.begin(kind, index, attempt, url) {
            self.deliver(fill(event));
        }
    }

    /// The event's common fields, when someone listens. Not inlined: `emit` is instantiated
    /// once per kind of event, and only `fill` differs between them.
    #[inline(never)]
    fn begin(&self, kind: &str, index: usize, attempt: u32, url: &str) -> Option<Event> {
        if self.callback.is_none() && self.client_callback.is_none() {
            return None;
        }
        Some(
            Event(Object::new())
                .with("type", kind)
                .with("index", index as u32)
                .with("attempt", attempt)
                .with("url", url)
                .with("time", now_ms()),
        )
    }

    /// Hands the event to each listener; one that throws is ignored.
    #[inline(never)]
    fn deliver(&self, event: Event) {
        for callback in [&self.callback, &self.client_callback]
            .into_iter()
            .flatten()
        {
            let _ = super::guard::call(callback, &JsValue::UNDEFINED, &event.0);
        }
    }

    /// Notes who is cancelling the call, for the abort events its requests report as they drop.
    pub(crate) fn cancel(&self, by: AbortCause) {
        if self.cancelled_by.get().is_none() {
            self.cancelled_by.set(Some(by));
        }
    }

    /// Who cancelled the call, if anyone did.
    pub(crate) fn cancelled_by(&self) -> Option<AbortCause> {
        self.cancelled_by.get()
    }
}
