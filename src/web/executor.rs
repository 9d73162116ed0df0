//! The page's task queue: the futures the SDK runs on its own (each call, whose promise the
//! caller awaits, and the debounce tasks) and the promises they settle. A task is first polled
//! from a microtask soon after it is spawned, then each time its waker fires; a microtask polls
//! the tasks woken by the time it runs, in the order woken, and those woken while it runs wait
//! for the next one, so a task that keeps waking itself cannot keep the page's other promise
//! jobs from running. That is what wasm-bindgen-futures' `spawn_local` and `future_to_promise`
//! did (and on the same schedule); this is smaller, and a call's promise is settled by one
//! crossing instead of a `resolve` or `reject` function held in Rust.
//!
//! A task is polled out of the queue's table, so spawning and waking work while it runs, and it
//! is dropped (what it holds with it) outside the table's borrow. Like the timer queue and the
//! settle table, the queue is infrastructure for the page and holds no client's state.

use std::cell::RefCell;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Wake, Waker};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::group::LocalBoxFuture;
use crate::policy::fifo::Fifo;
use crate::policy::generational::{Generational, Key};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(callback: &Function);
}

#[wasm_bindgen(module = "/src/web/exchange.js")]
extern "C" {
    /// A new promise, to be settled by `finish` under `id`.
    fn pending(id: u32) -> Promise;

    /// Settles the promise under `id`: resolved with `value` when `resolved`, else rejected.
    fn finish(id: u32, resolved: bool, value: JsValue);

    /// Rejects the promise under `id`, whose outcome was lost, with an Error that says so.
    fn abandon(id: u32);
}

/// A spawned future, and the waker that queues it.
struct Task {
    /// None while it is being polled.
    future: Option<LocalBoxFuture<'static, ()>>,
    wakeup: Arc<Wakeup>,
}

/// A task's waker: it queues the task once until it is polled.
struct Wakeup {
    /// The task's key, packed by [`pack`].
    key: u64,
    queued: AtomicBool,
}

impl Wake for Wakeup {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            enqueue(self.key);
        }
    }
}

/// The tasks, which of them are woken, and the microtask that polls them.
struct Queue {
    tasks: Generational<Task>,
    /// Keys of the woken tasks, packed, in the order woken.
    ready: Fifo<u64>,
    /// Whether a microtask to poll them is queued.
    scheduled: bool,
    /// That microtask's callback, made once.
    run: Option<Closure<dyn FnMut()>>,
    /// The id of the next promise made by [`promise_of`] or [`deferred`].
    next_promise: u32,
}

thread_local! {
    static QUEUE: RefCell<Queue> = const {
        RefCell::new(Queue {
            tasks: Generational::new(),
            ready: Fifo::new(),
            scheduled: false,
            run: None,
            next_promise: 0,
        })
    };
}

fn pack(key: Key) -> u64 {
    (u64::from(key.generation) << 32) | u64::from(key.index)
}

fn unpack(packed: u64) -> Key {
    Key {
        index: packed as u32,
        generation: (packed >> 32) as u32,
    }
}

/// Queues the task under `packed`, and a microtask to poll it unless one is queued.
fn enqueue(packed: u64) {
    // During the thread's teardown the queue may be gone; nothing runs then.
    let _ = QUEUE.try_with(|queue| {
        let mut queue = queue.borrow_mut();
        queue.ready.push_back(packed);
        if !queue.scheduled {
            queue.scheduled = true;
            let run = queue.run.get_or_insert_with(|| Closure::new(run_woken));
            queue_microtask(run.as_ref().unchecked_ref());
        }
    });
}

/// The microtask: polls each task woken before it ran, once.
fn run_woken() {
    let count = QUEUE.with(|queue| {
        let mut queue = queue.borrow_mut();
        queue.scheduled = false;
        queue.ready.len()
    });
    for _ in 0..count {
        let next = QUEUE.with(|queue| {
            let mut queue = queue.borrow_mut();
            let key = unpack(queue.ready.pop_front()?);
            let task = queue.tasks.get_mut(key)?;
            Some((key, task.future.take()?, task.wakeup.clone()))
        });
        // A key from a task that has finished since it was woken finds nothing.
        let Some((key, mut future, wakeup)) = next else {
            continue;
        };
        // Cleared first: a wake during the poll queues it again.
        wakeup.queued.store(false, Ordering::Release);
        let waker = Waker::from(wakeup);
        if future
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_ready()
        {
            let task = QUEUE.with(|queue| queue.borrow_mut().tasks.remove(key));
            // Dropped outside the borrow: what a future holds may spawn or wake as it goes.
            drop(task);
            drop(future);
        } else {
            QUEUE.with(|queue| {
                if let Some(task) = queue.borrow_mut().tasks.get_mut(key) {
                    task.future = Some(future);
                }
            });
        }
    }
}

/// Runs `future` on the page's task queue until it finishes.
pub(crate) fn spawn(future: impl Future<Output = ()> + 'static) {
    let future: LocalBoxFuture<'static, ()> = Box::pin(future);
    let key = QUEUE.with(|queue| {
        let mut queue = queue.borrow_mut();
        let key = pack(queue.tasks.next_key());
        let wakeup = Arc::new(Wakeup {
            key,
            queued: AtomicBool::new(true),
        });
        let inserted = queue.tasks.insert(Task {
            future: Some(future),
            wakeup,
        });
        debug_assert_eq!(pack(inserted), key);
        key
    });
    enqueue(key);
}

/// A promise that Rust settles once, with [`Deferred::settle`]. Dropped unsettled (which no
/// path of the SDK does), it rejects the promise rather than leave it pending for ever.
#[derive(Debug)]
pub(crate) struct Deferred {
    id: u32,
    settled: bool,
}

impl Deferred {
    /// Resolves the promise with `Ok`'s value, or rejects it with `Err`'s.
    pub(crate) fn settle(mut self, outcome: Result<JsValue, JsValue>) {
        self.settled = true;
        match outcome {
            Ok(value) => finish(self.id, true, value),
            Err(error) => finish(self.id, false, error),
        }
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        if !self.settled {
            abandon(self.id);
        }
    }
}

/// A new promise, and what settles it.
pub(crate) fn deferred() -> (Promise, Deferred) {
    let id = QUEUE.with(|queue| {
        let mut queue = queue.borrow_mut();
        let id = queue.next_promise;
        queue.next_promise = id.wrapping_add(1);
        id
    });
    (pending(id), Deferred { id, settled: false })
}

/// A promise of what `future` resolves or rejects with, the future run on the page's task queue.
pub(crate) fn promise_of(
    future: impl Future<Output = Result<JsValue, JsValue>> + 'static,
) -> Promise {
    let (promise, deferred) = deferred();
    spawn(async move { deferred.settle(future.await) });
    promise
}
