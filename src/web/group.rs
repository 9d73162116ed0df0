//! A group of futures run together, each polled only when its own waker fired, and their
//! outputs taken as they finish: what a call does with its requests and a request with its
//! hedged attempts. Dropping the group drops what still runs, which is how those are cancelled.
//!
//! The same job as `futures`' `FuturesUnordered`, for one thread and a group that only grows
//! until it is dropped: one allocation per future and one for its waker, no intrusive lists.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

use crate::policy::fifo::Fifo;

/// A boxed future of one thread, as the group holds them (what `futures` calls by this name).
pub(crate) type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Futures run together; [`Group::poll_next`] gives each output as its future finishes.
pub(crate) struct Group<'a, T> {
    running: Vec<Option<LocalBoxFuture<'a, T>>>,
    /// Each future's waker, and the slot behind it (whose flag the group clears).
    wakers: Vec<(Waker, Arc<Slot>)>,
    ready: Arc<Ready>,
    left: usize,
}

impl<T> std::fmt::Debug for Group<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Group({} of {} running)", self.left, self.running.len())
    }
}

/// Which futures were woken, in order (so a group's futures first run in the order added), and
/// who waits on the group.
#[derive(Default)]
struct Ready {
    woken: Mutex<Fifo<usize>>,
    parent: Mutex<Option<Waker>>,
}

/// The waker of one future of a group: it queues its index once until polled.
struct Slot {
    index: usize,
    queued: AtomicBool,
    ready: Arc<Ready>,
}

impl Wake for Slot {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.queued.swap(true, Ordering::AcqRel) {
            return;
        }
        lock(&self.ready.woken).push_back(self.index);
        // Cloned out first: waking must not happen under the lock.
        let parent = lock(&self.ready.parent).clone();
        if let Some(parent) = parent {
            parent.wake();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<'a, T> Group<'a, T> {
    /// An empty group.
    pub(crate) fn new() -> Self {
        Group {
            running: Vec::new(),
            wakers: Vec::new(),
            ready: Arc::default(),
            left: 0,
        }
    }

    /// Adds a future; it is first polled by the next [`Group::poll_next`].
    pub(crate) fn push(&mut self, future: LocalBoxFuture<'a, T>) {
        let index = self.running.len();
        let slot = Arc::new(Slot {
            index,
            queued: AtomicBool::new(true),
            ready: self.ready.clone(),
        });
        self.running.push(Some(future));
        self.wakers.push((Waker::from(slot.clone()), slot));
        lock(&self.ready.woken).push_back(index);
        self.left += 1;
    }

    /// Whether every future has finished (or none was added).
    pub(crate) fn is_empty(&self) -> bool {
        self.left == 0
    }

    /// The output of a future that finished; `Ready(None)` once all have.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        {
            let mut parent = lock(&self.ready.parent);
            if !parent.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *parent = Some(cx.waker().clone());
            }
        }
        // As FuturesUnordered does: a future woken during its own poll asked to yield, and a
        // pass never polls more futures than the group holds, so a future that keeps waking
        // itself cannot keep the thread (and the promise jobs it waits for) from running.
        let mut polled = 0;
        let mut yielded = 0;
        loop {
            let Some(index) = lock(&self.ready.woken).pop_front() else {
                return Poll::Pending;
            };
            if yielded >= 2 || polled >= self.running.len() {
                // Left for the next pass, which this asks for.
                lock(&self.ready.woken).push_front(index);
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let Some(future) = self.running[index].as_mut() else {
                continue;
            };
            let (waker, slot) = &self.wakers[index];
            // Cleared before the poll: a wake during it queues the future again.
            slot.queued.store(false, Ordering::Release);
            polled += 1;
            if let Poll::Ready(output) = future.as_mut().poll(&mut Context::from_waker(waker)) {
                self.running[index] = None;
                self.left -= 1;
                return Poll::Ready(Some(output));
            }
            if slot.queued.load(Ordering::Acquire) {
                yielded += 1;
            }
        }
    }

    /// The next output, as a future.
    pub(crate) async fn next(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.poll_next(cx)).await
    }
}

impl<'a, T> FromIterator<LocalBoxFuture<'a, T>> for Group<'a, T> {
    fn from_iter<I: IntoIterator<Item = LocalBoxFuture<'a, T>>>(iter: I) -> Self {
        let mut group = Group::new();
        for future in iter {
            group.push(future);
        }
        group
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::web::test_wakers::counting;
    use std::cell::Cell;
    use std::rc::Rc;

    /// A future that is pending until its flag is set, and wakes whoever polled it then.
    struct Gate {
        open: Rc<Cell<bool>>,
        polls: Rc<Cell<u32>>,
        waker: Rc<std::cell::RefCell<Option<Waker>>>,
        value: u32,
    }

    impl Future for Gate {
        type Output = u32;
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            self.polls.set(self.polls.get() + 1);
            if self.open.get() {
                Poll::Ready(self.value)
            } else {
                *self.waker.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    #[test]
    fn only_woken_futures_are_polled_and_outputs_come_as_they_finish() {
        let gates: Vec<_> = (0..3)
            .map(|value| {
                (
                    Rc::new(Cell::new(false)),
                    Rc::new(Cell::new(0)),
                    Rc::new(std::cell::RefCell::new(None::<Waker>)),
                    value,
                )
            })
            .collect();
        let mut group = Group::new();
        for (open, polls, waker, value) in &gates {
            group.push(Box::pin(Gate {
                open: open.clone(),
                polls: polls.clone(),
                waker: waker.clone(),
                value: *value,
            }));
        }
        let (parent, parent_waker) = counting();
        let mut cx = Context::from_waker(&parent_waker);
        assert!(group.poll_next(&mut cx).is_pending());
        assert!(gates.iter().all(|g| g.1.get() == 1), "each polled once");
        assert!(group.poll_next(&mut cx).is_pending());
        assert!(
            gates.iter().all(|g| g.1.get() == 1),
            "nobody woke: no polls"
        );

        gates[1].0.set(true);
        gates[1].2.borrow().as_ref().unwrap().wake_by_ref();
        gates[1].2.borrow().as_ref().unwrap().wake_by_ref();
        assert_eq!(parent.count(), 1, "the parent woke once");
        assert_eq!(group.poll_next(&mut cx), Poll::Ready(Some(1)));
        assert_eq!((gates[0].1.get(), gates[1].1.get()), (1, 2));
        assert!(group.poll_next(&mut cx).is_pending());

        for g in [&gates[0], &gates[2]] {
            g.0.set(true);
            g.2.borrow().as_ref().unwrap().wake_by_ref();
        }
        let mut got = vec![];
        while let Poll::Ready(Some(v)) = group.poll_next(&mut cx) {
            got.push(v);
        }
        got.sort();
        assert_eq!(got, vec![0, 2]);
        assert!(group.is_empty());
        assert_eq!(group.poll_next(&mut cx), Poll::Ready(None));
    }

    #[test]
    fn a_future_that_keeps_waking_itself_does_not_keep_the_group_polling() {
        struct Restless(Rc<Cell<u32>>);
        impl Future for Restless {
            type Output = ();
            fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
                self.0.set(self.0.get() + 1);
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
        let polls = Rc::new(Cell::new(0));
        let mut group: Group<'_, ()> = Group::new();
        group.push(Box::pin(Restless(polls.clone())));
        group.push(Box::pin(std::future::pending()));
        let (parent, waker) = counting();
        assert!(group
            .poll_next(&mut Context::from_waker(&waker))
            .is_pending());
        assert!(polls.get() <= 2, "{} polls in one pass", polls.get());
        assert!(parent.count() >= 1, "the group asked to be polled again");
        assert!(group
            .poll_next(&mut Context::from_waker(&waker))
            .is_pending());
        assert!(polls.get() <= 4);
    }

    #[test]
    fn dropping_the_group_drops_what_still_runs() {
        struct Flag(Rc<Cell<bool>>);
        impl Drop for Flag {
            fn drop(&mut self) {
                self.0.set(true);
            }
        }
        let dropped = Rc::new(Cell::new(false));
        let flag = Flag(dropped.clone());
        let mut group: Group<'_, ()> = Group::new();
        group.push(Box::pin(async move {
            let _flag = flag;
            std::future::pending::<()>().await;
        }));
        let (_, waker) = counting();
        assert!(group
            .poll_next(&mut Context::from_waker(&waker))
            .is_pending());
        assert!(!dropped.get());
        drop(group);
        assert!(dropped.get());
    }
}
