//! `onEvent`: a report of each attempt's start and end, each retry wait, each abort and each
//! final settle, for logging and for drawing waterfalls. Without a callback nothing is built.
//! A callback that throws is ignored: it never breaks the call.

use std::cell::Cell;

use js_sys::{Function, Object};
use wasm_bindgen::JsValue;

use super::globals::{now_ms, set};

/// Who cut a request short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AbortedBy {
    /// A sibling failed in an all-or-nothing call.
    FailFast,
    /// The caller's signal.
    User,
    /// The attempt's timeout or the call's deadline.
    Timeout,
    /// A newer call with the same debounce key.
    Debounce,
}

impl AbortedBy {
    /// The name this has in events.
    pub(crate) fn name(self) -> &'static str {
        match self {
            AbortedBy::FailFast => "failFast",
            AbortedBy::User => "user",
            AbortedBy::Timeout => "timeout",
            AbortedBy::Debounce => "debounce",
        }
    }
}

/// The event sink of one call, shared by its requests.
#[derive(Debug, Default)]
pub(crate) struct Events {
    callback: Option<Function>,
    /// Set by whoever cancels the call, just before it drops the requests' futures.
    cancelled_by: Cell<Option<AbortedBy>>,
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
    /// Events for `callback`, if there is one.
    pub(crate) fn new(callback: Option<Function>) -> Self {
        Events {
            callback,
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
        let Some(callback) = &self.callback else {
            return;
        };
        let event = Event(Object::new())
            .with("type", kind)
            .with("index", index as u32)
            .with("attempt", attempt)
            .with("url", url)
            .with("time", now_ms());
        let event = fill(event);
        let _ = callback.call1(&JsValue::UNDEFINED, &event.0);
    }

    /// Notes who is cancelling the call, for the abort events its requests report as they drop.
    pub(crate) fn cancel(&self, by: AbortedBy) {
        if self.cancelled_by.get().is_none() {
            self.cancelled_by.set(Some(by));
        }
    }

    /// Who cancelled the call, if anyone did.
    pub(crate) fn cancelled_by(&self) -> Option<AbortedBy> {
        self.cancelled_by.get()
    }

    /// Whether anyone listens.
    pub(crate) fn is_listening(&self) -> bool {
        self.callback.is_some()
    }
}

/// Reports `abort` for a request dropped while in flight or waiting to retry, unless defused.
#[derive(Debug)]
pub(crate) struct AbortReporter<'a> {
    pub events: &'a Events,
    pub index: usize,
    pub url: &'a str,
    /// The attempts started so far, kept by the request's loop.
    pub attempts: &'a Cell<u32>,
    pub waiting: bool,
    pub armed: bool,
}

impl Drop for AbortReporter<'_> {
    fn drop(&mut self) {
        if !self.armed || !self.events.is_listening() {
            return;
        }
        let by = self.events.cancelled_by().unwrap_or(AbortedBy::User);
        let waiting = self.waiting;
        self.events
            .emit("abort", self.index, self.attempts.get(), self.url, |e| {
                e.with("by", by.name()).with("duringWait", waiting)
            });
    }
}
