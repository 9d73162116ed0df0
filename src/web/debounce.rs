//! Keyed debouncing: calls with the same key collapse into the latest, which runs once the key
//! has been quiet for `wait` ms (or `maxWait` has passed). Every caller of the burst follows the
//! latest call and settles with its outcome, each in its own function's shape. A call that
//! arrives while a run the quiet period started is in flight drops that run (latest wins),
//! which aborts its fetches, and its callers follow the new call. A run that `maxWait` forced
//! is never dropped: it completes and its callers settle with it, while later calls form the
//! next burst. The timing decisions are [`DebounceKey`]'s; this module keeps the callers and
//! the tasks.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::Promise;

use super::abort::{AbortListener, SignalWatch};
use super::client::ClientState;
use super::ending::{Ending, Progress};
use super::error::AbortCause;
use super::executor::{self, deferred, Deferred};
use super::globals::now_ms;
use super::join;
use super::outcome::{Mode, Outcome};
use super::prepare::PreparedCall;
use super::race::race;
use super::task::{self, TaskHandle};
use super::timer::sleep;
use crate::policy::debounce::DebounceKey;
use crate::policy::options::DebounceOptions;

thread_local! {
    static NEXT_CALLER: Cell<u64> = const { Cell::new(0) };
}

/// One key's state: the burst being postponed, and the runs in flight. The keys belong to the
/// client the calls are made through (two clients' "search" keys never meet).
#[derive(Default)]
pub(crate) struct Entry {
    state: DebounceKey,
    /// The callers of the burst waiting for the key to be quiet.
    pending: Vec<Caller>,
    /// The burst's latest call and its task (waiting, then running). Dropping the handle stops
    /// the task.
    task: Option<Task>,
    /// Runs in flight, each with the callers that settle with it.
    runs: Vec<Run>,
}

struct Task {
    call: Rc<PreparedCall>,
    /// Dropping it stops the task, which drops its future: that aborts its fetches and clears
    /// its timers.
    _handle: TaskHandle,
}

struct Run {
    generation: u64,
    callers: Vec<Caller>,
    task: Option<Task>,
}

/// A caller waiting for the key's outcome.
struct Caller {
    id: u64,
    mode: Mode,
    promise: Deferred,
    /// The caller's own call, for an abort of its own signal.
    own: Rc<PreparedCall>,
    _abort: Option<AbortListener>,
}

impl Caller {
    fn settle(self, outcome: &Outcome) {
        self.promise.settle(outcome.shaped(self.mode));
    }
}

/// Enters `call` under its debounce key and returns the caller's promise.
pub(crate) fn submit(options: &DebounceOptions, call: Rc<PreparedCall>, mode: Mode) -> Promise {
    let key = options.key.clone();
    let (wait_ms, max_wait_ms) = (options.wait_ms, options.max_wait_ms);
    let client = call.client.clone();
    let (promise, settles) = deferred();
    let id = NEXT_CALLER.with(|n| n.replace(n.get() + 1));
    let abort = call.signal.as_ref().map(|signal| {
        let key = key.clone();
        let client = client.clone();
        // Deferred: the listener must not be dropped while it runs.
        AbortListener::new(signal, move || executor::spawn(leave(client, key, id)))
    });
    let caller = Caller {
        id,
        mode,
        promise: settles,
        own: call.clone(),
        _abort: abort,
    };
    let (schedule, dropped) = {
        let mut keys = client.debounce.borrow_mut();
        let entry = keys.get_or_insert_with(key.as_str(), str::to_string, Entry::default);
        let schedule = entry.state.call(now_ms(), wait_ms, max_wait_ms);
        let mut dropped = Vec::new();
        if let Some(superseded) = schedule.supersedes {
            if let Some(at) = entry.runs.iter().position(|r| r.generation == superseded) {
                let run = entry.runs.remove(at);
                // Its callers follow the new call.
                entry.pending.extend(run.callers);
                dropped.extend(run.task);
            }
        }
        entry.pending.push(caller);
        dropped.extend(entry.task.take());
        (schedule, dropped)
    };
    // This call's task is in place before any event of the calls it replaces is delivered: an
    // `onEvent` callback that calls again under the same key then supersedes this call, as a
    // later call must, instead of having its own task overwritten (and its callers stranded).
    let handle = task::spawn(run_when_quiet(
        key.clone(),
        schedule.generation,
        schedule.fire_in_ms,
        call.clone(),
    ));
    if let Some(entry) = client.debounce.borrow_mut().get_mut(&key) {
        entry.task = Some(Task {
            call: call.clone(),
            _handle: handle,
        });
    }
    // Dropped outside the borrow: dropping a run reports its requests' aborts; a call that
    // never ran (collapsed into this one) reports them here.
    for task in dropped {
        task.call.events.cancel(AbortCause::Debounce);
        report_collapsed(&task.call);
        drop(task);
    }
    promise
}

/// Waits for the key to be quiet (or the call's signal to abort), runs the call, and settles
/// every caller that followed it.
async fn run_when_quiet(key: String, generation: u64, fire_in_ms: f64, call: Rc<PreparedCall>) {
    race(sleep(fire_in_ms), SignalWatch::new(call.signal.as_ref())).await;
    // The burst's callers become this run's. It fails fast only if every one of them asked
    // for parallelFetch: a settledFetch caller must get entries, never failFast aborts.
    let client = call.client.clone();
    let fail_fast = (|| {
        let mut keys = client.debounce.borrow_mut();
        let entry = keys.get_mut(&key)?;
        if !entry.state.fire(generation) {
            return None;
        }
        let callers = std::mem::take(&mut entry.pending);
        let fail_fast = callers.iter().all(|c| c.mode.fail_fast());
        let task = entry.task.take();
        entry.runs.push(Run {
            generation,
            callers,
            task,
        });
        Some(fail_fast)
    })();
    let Some(fail_fast) = fail_fast else {
        return;
    };
    let outcome = join::run(&call, fail_fast).await;
    let run = (|| {
        let mut keys = client.debounce.borrow_mut();
        let entry = keys.get_mut(&key)?;
        if !entry.state.finish(generation) {
            return None;
        }
        let at = entry.runs.iter().position(|r| r.generation == generation)?;
        let run = entry.runs.remove(at);
        if entry.state.is_idle() {
            keys.remove(&key);
        }
        Some(run)
    })();
    if let Some(run) = run {
        // Dropping our own handle only tells the (finishing) task nobody waits for it.
        drop(run.task);
        for caller in run.callers {
            caller.settle(&outcome);
        }
    }
}

/// A caller's own signal aborted: it stops following the key and settles with an AbortError.
async fn leave(client: Rc<ClientState>, key: String, id: u64) {
    let caller = (|| {
        let mut keys = client.debounce.borrow_mut();
        let entry = keys.get_mut(&key)?;
        let lists = std::iter::once(&mut entry.pending)
            .chain(entry.runs.iter_mut().map(|r| &mut r.callers));
        for callers in lists {
            if let Some(at) = callers.iter().position(|c| c.id == id) {
                return Some(callers.remove(at));
            }
        }
        None
    })();
    if let Some(caller) = caller {
        let own = caller.own.clone();
        let outcome = join::run(&own, caller.mode.fail_fast()).await;
        caller.settle(&outcome);
    }
}

/// A call collapsed into a later one before it ran: each of its requests ends, reported once, as
/// cut short by the debounce (its caller follows the later call).
fn report_collapsed(call: &PreparedCall) {
    if call.reported.replace(true) {
        return;
    }
    for (i, request) in call.requests.iter().enumerate() {
        let progress = Progress::default();
        let mut ending = Ending::new(&call.events, i, &request.label.url, &progress);
        ending.abort(AbortCause::Debounce);
    }
}
