//! JS promises awaited through one callback for the page. A [`Settling`] takes a key in the
//! page's table of promises being awaited; JS reports the promise's end (`exchange.js`'s
//! `settle`) under that key, and the callback, made once, stores the outcome and wakes the
//! waiting task. That replaces a `JsFuture`'s two closures per promise (each a JS function and
//! a FinalizationRegistry entry: about 13 µs of garbage collection and 10 µs of wasm per request,
//! BENCHMARKS.md §1). The keys are generational ([`Generational`]): a [`Settling`] dropped before
//! its end leaves the table, and the late report (an aborted fetch's rejection) finds nothing.
//!
//! Like the timer queue, the table is infrastructure for the page, as promises are, and holds
//! no client's state.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::policy::generational::{Generational, Key};

#[wasm_bindgen(module = "/src/web/exchange.js")]
extern "C" {
    #[wasm_bindgen(js_name = onSettled)]
    fn on_settled(callback: &js_sys::Function);

    /// Reports `promise`'s end under `index` and `generation`.
    fn watch(promise: &Promise, index: u32, generation: u32);
}

/// How JS reports a promise's end: (index, generation, resolved, value or rejection).
type SettledCallback = Closure<dyn FnMut(u32, u32, bool, JsValue)>;

/// A promise between its key and JS's report of its end.
enum State {
    /// Not ended; the waker of the task waiting for it, once polled.
    Waiting(Option<Waker>),
    /// Ended: what it resolved with, or its rejection.
    Settled(Result<JsValue, JsValue>),
}

/// The page's promises being awaited, and the one callback through which JS reports them.
struct Table {
    awaited: Generational<State>,
    callback: Option<SettledCallback>,
}

thread_local! {
    static TABLE: RefCell<Table> = const {
        RefCell::new(Table {
            awaited: Generational::new(),
            callback: None,
        })
    };
}

/// JS's report that the promise under (`index`, `generation`) ended: resolved with `value`
/// when `resolved`, else rejected with it. One no longer awaited finds nothing.
fn settled(index: u32, generation: u32, resolved: bool, value: JsValue) {
    let key = Key { index, generation };
    let outcome = if resolved { Ok(value) } else { Err(value) };
    let waker = TABLE.with(|table| {
        let mut table = table.borrow_mut();
        let state = table.awaited.get_mut(key)?;
        match std::mem::replace(state, State::Settled(outcome)) {
            State::Waiting(waker) => waker,
            // Reported twice: JS reports each promise once, so this is not reached.
            State::Settled(_) => None,
        }
    });
    // Woken outside the borrow: a waker only queues its task, but nothing here relies on it.
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// Awaits `promise`: what it resolves with, or its rejection.
pub(crate) fn promise(promise: &Promise) -> Settling {
    let settling = Settling::new();
    let key = settling.key;
    watch(promise, key.index, key.generation);
    settling
}

/// The end of a JS promise reported under [`Settling::key`]: what it resolved with, or its
/// rejection. Dropped before then, it leaves the table.
#[must_use = "a Settling does nothing unless awaited"]
#[derive(Debug)]
pub(crate) struct Settling {
    key: Key,
    done: bool,
}

impl Settling {
    /// A new key in the table, for JS to report a promise's end under.
    pub(crate) fn new() -> Self {
        let key = TABLE.with(|table| {
            let mut table = table.borrow_mut();
            if table.callback.is_none() {
                let callback = SettledCallback::new(settled);
                on_settled(callback.as_ref().unchecked_ref());
                table.callback = Some(callback);
            }
            table.awaited.insert(State::Waiting(None))
        });
        Settling { key, done: false }
    }

    /// Its key.
    pub(crate) fn key(&self) -> Key {
        self.key
    }

    /// Whether it has returned the outcome.
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }
}

impl Future for Settling {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let key = self.key;
        let mut replaced = None;
        let poll = TABLE.with(|table| {
            let mut table = table.borrow_mut();
            match table.awaited.get_mut(key) {
                Some(State::Waiting(waker)) => {
                    if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                        replaced = waker.replace(cx.waker().clone());
                    }
                    Poll::Pending
                }
                Some(State::Settled(_)) => match table.awaited.remove(key) {
                    Some(State::Settled(outcome)) => Poll::Ready(outcome),
                    _ => Poll::Ready(Err(JsValue::UNDEFINED)),
                },
                // Not reached: only this future takes its key out of the table.
                None => Poll::Ready(Err(JsValue::UNDEFINED)),
            }
        });
        // A waker may own a task (and what it awaits): dropped only once the table is free.
        drop(replaced);
        if poll.is_ready() {
            self.done = true;
        }
        poll
    }
}

impl Drop for Settling {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        // During the thread's teardown the table may be gone; there is nothing to leave then.
        let state = TABLE
            .try_with(|table| {
                table
                    .try_borrow_mut()
                    .ok()
                    .and_then(|mut t| t.awaited.remove(self.key))
            })
            .ok()
            .flatten();
        // Dropped outside the borrow, as in poll.
        drop(state);
    }
}
