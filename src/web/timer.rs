//! Timers as futures, all on one JS timeout: [`sleep`] puts a deadline in the page's
//! [`TimerQueue`] and the queue's earliest deadline is the only one JS is told about. Dropping
//! a [`Sleep`] takes it out of the queue (and cancels the JS timeout once nothing is left, so
//! that Node can exit), so cancellation stays Drop, as with any other future here.
//!
//! The one timeout is re-armed from inside its own callback, so a browser counts it as nested
//! and, past five levels, clamps it to at least 4 ms: a timer shorter than 4 ms may fire up to
//! 4 ms late. Nothing the SDK schedules is that short but a hedge delay set below it.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::globals::now_ms;
use crate::policy::options::timer_millis;
use crate::policy::timers::{Reschedule, TimerKey, TimerQueue};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// The page's timers and the one JS timeout that serves them.
struct Wheel {
    queue: TimerQueue<Option<Waker>>,
    /// The JS timeout set, and when it fires.
    scheduled: Option<(JsValue, f64)>,
    on_timeout: Closure<dyn FnMut()>,
}

thread_local! {
    static WHEEL: RefCell<Wheel> = RefCell::new(Wheel {
        queue: TimerQueue::new(),
        scheduled: None,
        on_timeout: Closure::new(fire),
    });
}

impl Wheel {
    fn apply(&mut self, reschedule: Reschedule) {
        match reschedule {
            Reschedule::Keep => {}
            Reschedule::Cancel => {
                if let Some((handle, _)) = self.scheduled.take() {
                    clear_timeout(&handle);
                }
            }
            Reschedule::At(at_ms) => {
                if let Some((handle, _)) = self.scheduled.take() {
                    clear_timeout(&handle);
                }
                let ms = timer_millis(at_ms - now_ms());
                let handle = set_timeout(self.on_timeout.as_ref().unchecked_ref(), ms);
                self.scheduled = Some((handle, at_ms));
            }
        }
    }
}

/// The JS timeout fired: wake whoever is due, and set it for the next.
fn fire() {
    let due = WHEEL.with(|wheel| {
        let mut wheel = wheel.borrow_mut();
        wheel.scheduled = None;
        let (due, next) = wheel.queue.fire(now_ms());
        wheel.apply(next);
        due
    });
    // Woken outside the borrow: a waker only queues its task, but nothing here relies on it.
    for waker in due.into_iter().flatten() {
        waker.wake();
    }
}

/// A future that is ready `ms` milliseconds after it is made (rounded up, as timers are).
pub(crate) fn sleep(ms: f64) -> Sleep {
    sleep_from(now_ms(), ms)
}

/// A future that is ready `ms` milliseconds after `now_ms`, a time just read (saving a read).
pub(crate) fn sleep_from(now_ms: f64, ms: f64) -> Sleep {
    Sleep {
        deadline_ms: now_ms + f64::from(timer_millis(ms)),
        key: None,
    }
}

/// See [`sleep`].
#[must_use = "a Sleep does nothing unless awaited"]
#[derive(Debug)]
pub(crate) struct Sleep {
    deadline_ms: f64,
    /// Its place in the queue, once first polled.
    key: Option<TimerKey>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let deadline = self.deadline_ms;
        let mut replaced = None;
        let poll = WHEEL.with(|wheel| {
            let mut wheel = wheel.borrow_mut();
            match self.key {
                Some(key) => match wheel.queue.get_mut(&key) {
                    // Out of the queue: it fired.
                    None => Poll::Ready(()),
                    Some(waker) => {
                        if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                            replaced = waker.replace(cx.waker().clone());
                        }
                        Poll::Pending
                    }
                },
                None => {
                    let scheduled = wheel.scheduled.as_ref().map(|(_, at)| *at);
                    let (key, reschedule) =
                        wheel
                            .queue
                            .add(deadline, Some(cx.waker().clone()), scheduled);
                    wheel.apply(reschedule);
                    self.key = Some(key);
                    Poll::Pending
                }
            }
        });
        // A waker may own a task (and its timers): dropped only once the queue is free again.
        drop(replaced);
        poll
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        let Some(key) = self.key else { return };
        // During the thread's teardown the wheel may be gone; there is nothing to cancel then.
        let _ = WHEEL.try_with(|wheel| {
            if let Ok(mut wheel) = wheel.try_borrow_mut() {
                let reschedule = wheel.queue.remove(&key);
                wheel.apply(reschedule);
            }
        });
    }
}
