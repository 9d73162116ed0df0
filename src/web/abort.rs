//! Cancellation is Drop: an [`AbortGuard`] aborts its fetch when dropped, and a [`SignalWatch`]
//! turns the caller's `AbortSignal` into a future whose listener is removed when it is dropped.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, AbortSignal};

/// Owns the AbortController of one attempt and aborts it when dropped, so that dropping the
/// attempt's future (fail-fast, a user abort, a timeout, a newer debounced call) closes the
/// connection. Once the exchange has finished there is nothing left to cancel, so the attempt
/// disarms the guard rather than abort (an abort event and a JS call per request, for nothing).
#[derive(Debug)]
pub(crate) struct AbortGuard {
    controller: AbortController,
    armed: bool,
}

impl AbortGuard {
    /// A fresh controller. Fails only where `AbortController` does not exist.
    pub(crate) fn new() -> Result<Self, JsValue> {
        Ok(AbortGuard {
            controller: AbortController::new()?,
            armed: true,
        })
    }

    /// The exchange finished (response read, or fetch failed): dropping need not abort.
    pub(crate) fn disarm(&mut self) {
        self.armed = false;
    }

    /// The signal to hand to fetch.
    pub(crate) fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }
}

impl Drop for AbortGuard {
    fn drop(&mut self) {
        if self.armed {
            self.controller.abort();
        }
    }
}

/// Calls a function when a signal aborts, and stops listening when dropped. The callback runs
/// inside the signal's event dispatch, so it must not drop this listener itself: defer such work
/// (see `spawn_local`).
#[must_use = "an AbortListener stops listening when dropped"]
#[derive(Debug)]
pub(crate) struct AbortListener {
    signal: AbortSignal,
    listener: Closure<dyn FnMut()>,
}

impl AbortListener {
    /// Listens for `signal`'s abort event.
    pub(crate) fn new(signal: &AbortSignal, on_abort: impl FnOnce() + 'static) -> Self {
        let mut on_abort = Some(on_abort);
        let listener = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = on_abort.take() {
                f();
            }
        });
        let _ = signal.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        AbortListener {
            signal: signal.clone(),
            listener,
        }
    }
}

impl Drop for AbortListener {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.listener.as_ref().unchecked_ref());
    }
}

/// Resolves when the caller's signal aborts, with the signal's reason; stays pending for ever
/// when there is no signal. Dropping it removes the listener, so nothing leaks per call.
#[must_use = "a SignalWatch stops listening when dropped"]
#[derive(Debug)]
pub(crate) struct SignalWatch {
    watching: Option<(AbortSignal, AbortListener, oneshot::Receiver<()>)>,
}

impl SignalWatch {
    /// Watches `signal`, if there is one.
    pub(crate) fn new(signal: Option<&AbortSignal>) -> Self {
        let watching = signal.map(|signal| {
            let (tx, fired) = oneshot::channel();
            let listener = AbortListener::new(signal, move || {
                let _ = tx.send(());
            });
            (signal.clone(), listener, fired)
        });
        SignalWatch { watching }
    }
}

impl Future for SignalWatch {
    type Output = JsValue;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<JsValue> {
        let Some((signal, _, fired)) = self.watching.as_mut() else {
            return Poll::Pending;
        };
        if signal.aborted() || Pin::new(fired).poll(cx).is_ready() {
            return Poll::Ready(signal.reason());
        }
        Poll::Pending
    }
}
