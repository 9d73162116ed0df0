//! Cancellation is Drop: an exchange aborts its fetch when dropped (`super::exchange`), and a [`SignalWatch`]
//! turns the caller's `AbortSignal` into a future whose listener is removed when it is dropped.
//!
//! The caller's signal is a [`Signal`]: every read of it is `catch`, so a fake signal (an
//! object made from `AbortSignal.prototype`, a Proxy) can neither throw through the SDK nor
//! pass for a real one.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::flag::Flag;
use super::globals::{class_of, try_get};

#[wasm_bindgen]
extern "C" {
    /// The caller's `AbortSignal`, read only through bindings that catch.
    #[wasm_bindgen(js_name = AbortSignal)]
    #[derive(Debug, Clone)]
    pub(crate) type Signal;

    #[wasm_bindgen(method, catch, js_name = addEventListener)]
    fn add_listener(this: &Signal, kind: &str, listener: &js_sys::Function) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = removeEventListener)]
    fn remove_listener(
        this: &Signal,
        kind: &str,
        listener: &js_sys::Function,
    ) -> Result<(), JsValue>;
}

impl Signal {
    /// `value` as a signal, if it is an AbortSignal of any realm whose state can be read.
    pub(crate) fn from_js(value: JsValue) -> Option<Signal> {
        if class_of(&value).as_deref() != Some("AbortSignal") {
            return None;
        }
        try_get(&value, "aborted").ok()?.as_bool()?;
        Some(value.unchecked_into())
    }

    /// Whether it has aborted (false if that can no longer be read).
    pub(crate) fn is_aborted(&self) -> bool {
        try_get(self, "aborted")
            .ok()
            .and_then(|a| a.as_bool())
            .unwrap_or(false)
    }

    /// Its abort reason (undefined if that cannot be read).
    pub(crate) fn abort_reason(&self) -> JsValue {
        try_get(self, "reason").unwrap_or(JsValue::UNDEFINED)
    }
}

/// Calls a function when a signal aborts, and stops listening when dropped. The callback runs
/// inside the signal's event dispatch, so it must not drop this listener itself: defer such work
/// (see `executor::spawn`).
#[must_use = "an AbortListener stops listening when dropped"]
#[derive(Debug)]
pub(crate) struct AbortListener {
    signal: Signal,
    listener: Closure<dyn FnMut()>,
}

impl AbortListener {
    /// Listens for `signal`'s abort event.
    pub(crate) fn new(signal: &Signal, on_abort: impl FnOnce() + 'static) -> Self {
        let mut on_abort = Some(on_abort);
        let listener = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = on_abort.take() {
                f();
            }
        });
        let _ = signal.add_listener("abort", listener.as_ref().unchecked_ref());
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
            .remove_listener("abort", self.listener.as_ref().unchecked_ref());
    }
}

/// Resolves when the caller's signal aborts, with the signal's reason; stays pending for ever
/// when there is no signal. Dropping it removes the listener, so nothing leaks per call.
#[must_use = "a SignalWatch stops listening when dropped"]
#[derive(Debug)]
pub(crate) struct SignalWatch {
    watching: Option<(Signal, AbortListener, Rc<Flag>)>,
}

impl SignalWatch {
    /// Watches `signal`, if there is one.
    pub(crate) fn new(signal: Option<&Signal>) -> Self {
        let watching = signal.map(|signal| {
            let fired = Rc::new(Flag::default());
            let set = fired.clone();
            let listener = AbortListener::new(signal, move || set.set());
            (signal.clone(), listener, fired)
        });
        SignalWatch { watching }
    }
}

impl Future for SignalWatch {
    type Output = JsValue;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<JsValue> {
        let Some((signal, _, fired)) = self.watching.as_ref() else {
            return Poll::Pending;
        };
        if signal.is_aborted() || fired.poll_set(cx).is_ready() {
            return Poll::Ready(signal.abort_reason());
        }
        Poll::Pending
    }
}
