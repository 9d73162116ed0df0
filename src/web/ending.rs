//! How a request ends, reported once: every request of a call ends with exactly one `settle`
//! event, whatever ends it (success, its last failure, the deadline, an abort) and whether or
//! not it ever started; a request cut short reports `abort` just before.
//!
//! The call owns one [`Ending`] per request from the start. Its two methods disarm it and emit
//! in one step, and dropping it while still armed (the call's future was dropped: a debounce
//! supersede) reports the abort, so no path can forget the ending or report it twice.

use std::cell::Cell;

use wasm_bindgen::JsValue;

use super::error::{AbortCause, FetchError};
use super::events::Events;

/// What a request's loop tells its [`Ending`] as it goes.
#[derive(Debug, Default)]
pub(crate) struct Progress {
    /// Attempts started so far.
    pub attempts: Cell<u32>,
    /// True while it sleeps before a retry rather than being in an attempt.
    pub waiting: Cell<bool>,
}

/// The one ending of request `index`.
#[must_use = "an Ending reports an abort when dropped unsettled"]
#[derive(Debug)]
pub(crate) struct Ending<'a> {
    events: &'a Events,
    index: usize,
    url: &'a str,
    progress: &'a Progress,
    armed: bool,
}

impl<'a> Ending<'a> {
    /// The ending of request `index`, not yet reported.
    pub(crate) fn new(
        events: &'a Events,
        index: usize,
        url: &'a str,
        progress: &'a Progress,
    ) -> Self {
        Self::armed(events, index, url, progress, true)
    }

    /// An ending already reported elsewhere: it reports nothing.
    pub(crate) fn reported(
        events: &'a Events,
        index: usize,
        url: &'a str,
        progress: &'a Progress,
    ) -> Self {
        Self::armed(events, index, url, progress, false)
    }

    fn armed(
        events: &'a Events,
        index: usize,
        url: &'a str,
        progress: &'a Progress,
        armed: bool,
    ) -> Self {
        Ending {
            events,
            index,
            url,
            progress,
            armed,
        }
    }

    /// The request finished with `result`: `settle`.
    pub(crate) fn settle(&mut self, result: &Result<JsValue, FetchError>) {
        if !std::mem::take(&mut self.armed) {
            return;
        }
        let attempt = self.progress.attempts.get();
        self.events
            .emit("settle", self.index, attempt, self.url, |e| match result {
                Ok(value) => e
                    .with("ok", true)
                    .with("status", super::globals::get(value, "status")),
                Err(error) => {
                    let e = e.with("ok", false).with("error", error.name());
                    match error.status() {
                        Some(status) => e.with("status", status),
                        None => e,
                    }
                }
            });
    }

    /// The request was cut short by `by`: `abort`, then `settle` with its AbortError.
    pub(crate) fn abort(&mut self, by: AbortCause) {
        if !std::mem::take(&mut self.armed) {
            return;
        }
        let (attempt, waiting) = (self.progress.attempts.get(), self.progress.waiting.get());
        self.events
            .emit("abort", self.index, attempt, self.url, |e| {
                e.with("by", by.name()).with("duringWait", waiting)
            });
        self.events
            .emit("settle", self.index, attempt, self.url, |e| {
                e.with("ok", false).with("error", "AbortError")
            });
    }

    /// Whether the ending is still to be reported.
    pub(crate) fn is_armed(&self) -> bool {
        self.armed
    }
}

impl Drop for Ending<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.abort(self.events.cancelled_by().unwrap_or(AbortCause::User));
        }
    }
}
