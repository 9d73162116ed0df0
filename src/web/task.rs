//! A spawned task that stops when its handle is dropped: what `futures`' `RemoteHandle` did for
//! the debounce tasks, and on the same schedule. Dropping the handle sets the task's stop flag
//! and wakes it; the task's next poll (queued at once) sees the flag before it polls the future,
//! and ends, which drops the future: that aborts its fetches and clears its timers. The future is
//! never polled again once the handle is gone, and never dropped while it is being polled, so a
//! task may drop its own handle (a run that finished does).

use std::future::{poll_fn, Future};
use std::rc::Rc;

use super::executor;
use super::flag::Flag;
use super::race::race;

/// Stops its task when dropped.
#[must_use = "dropping a TaskHandle stops its task"]
#[derive(Debug)]
pub(crate) struct TaskHandle {
    stop: Rc<Flag>,
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        self.stop.set();
    }
}

/// `future`, made to end (dropping it) once the handle is dropped.
fn stoppable<F: Future<Output = ()>>(future: F) -> (impl Future<Output = ()>, TaskHandle) {
    let stop = Rc::new(Flag::default());
    let handle = TaskHandle { stop: stop.clone() };
    // The flag first, as `RemoteHandle`'s task checked for cancellation before each poll.
    let task = async move {
        race(poll_fn(|cx| stop.poll_set(cx)), future).await;
    };
    (task, handle)
}

/// Runs `future` on the page's task queue until it finishes or the handle is dropped.
pub(crate) fn spawn(future: impl Future<Output = ()> + 'static) -> TaskHandle {
    let (task, handle) = stoppable(future);
    executor::spawn(task);
    handle
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::web::test_wakers::counting;
    use std::cell::Cell;
    use std::pin::pin;
    use std::task::{Context, Poll};

    /// Sets its flag when dropped.
    struct Flagged(Rc<Cell<bool>>);
    impl Drop for Flagged {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }

    /// A future that counts its polls and never finishes; sets `dropped` when dropped.
    fn forever(polls: Rc<Cell<u32>>, dropped: Rc<Cell<bool>>) -> impl Future<Output = ()> {
        let flagged = Flagged(dropped);
        poll_fn(move |_| {
            let _ = &flagged;
            polls.set(polls.get() + 1);
            Poll::<()>::Pending
        })
    }

    #[test]
    fn dropping_the_handle_wakes_the_task_which_ends_without_polling_the_future_again() {
        let (polls, dropped) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(false)));
        let (task, handle) = stoppable(forever(polls.clone(), dropped.clone()));
        let mut task = pin!(task);
        let (woken, waker) = counting();
        let mut cx = Context::from_waker(&waker);
        assert!(task.as_mut().poll(&mut cx).is_pending());
        assert!(task.as_mut().poll(&mut cx).is_pending());
        assert_eq!(polls.get(), 2);
        drop(handle);
        assert_eq!(woken.count(), 1, "the task was woken");
        assert!(task.as_mut().poll(&mut cx).is_ready());
        assert_eq!(polls.get(), 2, "not polled after the handle went");
        assert!(dropped.get(), "the future was dropped as the task ended");
    }

    #[test]
    fn a_handle_dropped_before_the_first_poll_means_the_future_never_runs() {
        let (polls, dropped) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(false)));
        let (task, handle) = stoppable(forever(polls.clone(), dropped.clone()));
        drop(handle);
        let (_, waker) = counting();
        assert!(pin!(task).poll(&mut Context::from_waker(&waker)).is_ready());
        assert_eq!(polls.get(), 0);
        assert!(dropped.get());
    }

    #[test]
    fn a_task_may_drop_its_own_handle_while_it_runs() {
        let slot: Rc<Cell<Option<TaskHandle>>> = Rc::default();
        let finished = Rc::new(Cell::new(false));
        let (inner_slot, inner_finished) = (slot.clone(), finished.clone());
        let (task, handle) = stoppable(poll_fn(move |_| {
            drop(inner_slot.take());
            inner_finished.set(true);
            Poll::Ready(())
        }));
        slot.set(Some(handle));
        let (_, waker) = counting();
        assert!(pin!(task).poll(&mut Context::from_waker(&waker)).is_ready());
        assert!(finished.get());
    }
}
