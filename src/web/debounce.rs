//! Keyed debouncing: calls with the same key collapse into the latest, which runs once the key
//! has been quiet for `wait` ms (or `maxWait` has passed). Every caller of the burst follows the
//! latest call and settles with its outcome, each in its own function's shape. A call that
//! arrives while the key's run is in flight drops that run (latest wins), which aborts its
//! fetches, and its callers follow the new call. The timing decisions are
//! [`DebounceKey`]'s; this module keeps the callers and the running task.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::future::{select, RemoteHandle};
use futures::FutureExt;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;

use super::abort::{AbortListener, SignalWatch};
use super::events::AbortedBy;
use super::globals::now_ms;
use super::join;
use super::outcome::{Mode, Outcome};
use super::prepare::PreparedCall;
use crate::policy::debounce::DebounceKey;
use crate::policy::options::{timer_millis, DebounceOptions};

thread_local! {
    static KEYS: RefCell<HashMap<String, Entry>> = RefCell::new(HashMap::new());
    static NEXT_CALLER: Cell<u64> = const { Cell::new(0) };
}

/// One key's state, callers and task.
#[derive(Default)]
struct Entry {
    state: DebounceKey,
    callers: Vec<Caller>,
    /// The latest call and its task (waiting for quiet, then running). Dropping the handle
    /// drops the task.
    task: Option<(Rc<PreparedCall>, RemoteHandle<()>)>,
}

/// A caller waiting for the key's outcome.
struct Caller {
    id: u64,
    mode: Mode,
    resolve: Function,
    reject: Function,
    /// The caller's own call, for an abort of its own signal.
    own: Rc<PreparedCall>,
    _abort: Option<AbortListener>,
}

impl Caller {
    fn settle(self, outcome: &Outcome) {
        let _ = match outcome.shaped(self.mode) {
            Ok(value) => self.resolve.call1(&JsValue::UNDEFINED, &value),
            Err(error) => self.reject.call1(&JsValue::UNDEFINED, &error),
        };
    }
}

/// Enters `call` under its debounce key and returns the caller's promise.
pub(crate) fn submit(options: &DebounceOptions, call: Rc<PreparedCall>, mode: Mode) -> Promise {
    let key = options.key.clone();
    let (wait_ms, max_wait_ms) = (options.wait_ms, options.max_wait_ms);
    Promise::new(&mut |resolve, reject| {
        let id = NEXT_CALLER.with(|n| n.replace(n.get() + 1));
        let abort = call.signal.as_ref().map(|signal| {
            let key = key.clone();
            // Deferred: the listener must not be dropped while it runs.
            AbortListener::new(signal, move || spawn_local(leave(key, id)))
        });
        let caller = Caller {
            id,
            mode,
            resolve,
            reject,
            own: call.clone(),
            _abort: abort,
        };
        let (schedule, previous) = KEYS.with(|keys| {
            let mut keys = keys.borrow_mut();
            let entry = keys.entry(key.clone()).or_default();
            entry.callers.push(caller);
            (
                entry.state.call(now_ms(), wait_ms, max_wait_ms),
                entry.task.take(),
            )
        });
        if let Some((previous_call, task)) = previous {
            if schedule.supersedes_run {
                previous_call.events.cancel(AbortedBy::Debounce);
            }
            drop(task);
        }
        let (task, handle) = run_when_quiet(
            key.clone(),
            schedule.generation,
            schedule.fire_in_ms,
            call.clone(),
            mode,
        )
        .remote_handle();
        spawn_local(task);
        KEYS.with(|keys| {
            if let Some(entry) = keys.borrow_mut().get_mut(&key) {
                entry.task = Some((call.clone(), handle));
            }
        });
    })
}

/// Waits for the key to be quiet (or the call's signal to abort), runs the call, and settles
/// every caller that followed it.
async fn run_when_quiet(
    key: String,
    generation: u64,
    fire_in_ms: f64,
    call: Rc<PreparedCall>,
    mode: Mode,
) {
    select(
        TimeoutFuture::new(timer_millis(fire_in_ms)),
        SignalWatch::new(call.signal.as_ref()),
    )
    .await;
    let fired = KEYS.with(|keys| {
        keys.borrow_mut()
            .get_mut(&key)
            .is_some_and(|e| e.state.fire(generation))
    });
    if !fired {
        return;
    }
    let outcome = join::run(&call, mode.fail_fast()).await;
    let (callers, own_task) = KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        let Some(entry) = keys.get_mut(&key) else {
            return (Vec::new(), None);
        };
        if !entry.state.finish(generation) {
            return (Vec::new(), None);
        }
        let callers = std::mem::take(&mut entry.callers);
        let task = entry.task.take();
        if entry.state.is_idle() {
            keys.remove(&key);
        }
        (callers, task)
    });
    // Dropping our own handle only tells the (finishing) task nobody waits for it.
    drop(own_task);
    for caller in callers {
        caller.settle(&outcome);
    }
}

/// A caller's own signal aborted: it stops following the key and settles with an AbortError.
async fn leave(key: String, id: u64) {
    let caller = KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        let entry = keys.get_mut(&key)?;
        let at = entry.callers.iter().position(|c| c.id == id)?;
        Some(entry.callers.remove(at))
    });
    if let Some(caller) = caller {
        let own = caller.own.clone();
        let outcome = join::run(&own, caller.mode.fail_fast()).await;
        caller.settle(&outcome);
    }
}
