//! One future that several subscribers await, each getting a clone of its output: how identical
//! requests in flight share one fetch. The same job as `futures`' `Shared`, for one thread.
//!
//! Whichever subscriber is polled polls the future, with its own waker; the future keeps only
//! the last poller's waker, so a subscriber dropped while it is that one wakes the others (one of
//! them then polls the future with its own waker). When the future finishes, its output is kept
//! and every waiting subscriber is woken. When the last subscriber is dropped before then, the
//! future is dropped with it, which aborts the fetch. The future is taken out of the shared
//! state while it is polled, so no borrow is held across its poll, nor across a wake or a drop.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use super::group::LocalBoxFuture;

/// The future shared, boxed.
type Boxed<T> = LocalBoxFuture<'static, T>;

/// One subscriber of a shared future; resolves with a clone of its output.
pub(crate) struct Shared<T> {
    inner: Rc<RefCell<State<T>>>,
    /// Which subscriber this is, among those of the future.
    id: usize,
}

/// A handle that does not keep the future alive; [`WeakShared::upgrade`] subscribes.
pub(crate) struct WeakShared<T> {
    inner: Weak<RefCell<State<T>>>,
}

struct State<T> {
    /// `None` while a subscriber polls it, and once it finished.
    future: Option<Boxed<T>>,
    output: Option<T>,
    /// The subscribers that wait for the output, with their wakers.
    waiting: Vec<(usize, Waker)>,
    /// The subscriber that polled the future last (whose waker it holds); 0 for none.
    polled_by: usize,
    /// The next subscriber's id.
    next_id: usize,
}

impl<T> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Shared(subscriber {})", self.id)
    }
}

impl<T> std::fmt::Debug for WeakShared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WeakShared")
    }
}

impl<T: Clone> Shared<T> {
    /// `future`, shared; this is its first subscriber.
    pub(crate) fn new(future: Boxed<T>) -> Self {
        let state = State {
            future: Some(future),
            output: None,
            waiting: Vec::new(),
            polled_by: 0,
            next_id: 2,
        };
        Shared {
            inner: Rc::new(RefCell::new(state)),
            id: 1,
        }
    }

    /// A handle to the same future that does not keep it alive.
    pub(crate) fn downgrade(&self) -> WeakShared<T> {
        WeakShared {
            inner: Rc::downgrade(&self.inner),
        }
    }

    /// Whether the future has finished (its output is kept for every subscriber).
    pub(crate) fn is_finished(&self) -> bool {
        self.inner.borrow().output.is_some()
    }
}

impl<T> WeakShared<T> {
    /// A new subscriber, if any subscriber still keeps the future alive.
    pub(crate) fn upgrade(&self) -> Option<Shared<T>> {
        let inner = self.inner.upgrade()?;
        let id = {
            let mut state = inner.borrow_mut();
            state.next_id += 1;
            state.next_id - 1
        };
        Some(Shared { inner, id })
    }

    /// Whether any subscriber still keeps the future alive.
    pub(crate) fn is_alive(&self) -> bool {
        self.inner.strong_count() > 0
    }
}

impl<T: Clone> Future for Shared<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let id = self.id;
        let mut state = self.inner.borrow_mut();
        if let Some(output) = &state.output {
            return Poll::Ready(output.clone());
        }
        match state.waiting.iter_mut().find(|(waiter, _)| *waiter == id) {
            Some((_, waker)) => waker.clone_from(cx.waker()),
            None => state.waiting.push((id, cx.waker().clone())),
        }
        // Taken out while it is polled: a subscriber polled from inside that poll only waits.
        let Some(mut future) = state.future.take() else {
            return Poll::Pending;
        };
        state.polled_by = id;
        drop(state);
        let polled = future.as_mut().poll(cx);
        let mut state = self.inner.borrow_mut();
        let Poll::Ready(output) = polled else {
            state.future = Some(future);
            return Poll::Pending;
        };
        state.output = Some(output.clone());
        let waiting = std::mem::take(&mut state.waiting);
        drop(state);
        drop(future);
        for (waiter, waker) in waiting {
            if waiter != id {
                waker.wake();
            }
        }
        Poll::Ready(output)
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        let mut state = self.inner.borrow_mut();
        state.waiting.retain(|(waiter, _)| *waiter != self.id);
        if state.polled_by != self.id || state.output.is_some() {
            return;
        }
        // The future holds this one's waker: the others are woken, so one of them polls it.
        state.polled_by = 0;
        let others: Vec<Waker> = state.waiting.iter().map(|(_, w)| w.clone()).collect();
        drop(state);
        for waker in others {
            waker.wake();
        }
        // The last subscriber gone, the state (and the future, unfinished) is dropped after
        // this, outside any borrow.
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::web::test_wakers::counting;
    use std::cell::Cell;

    /// The shared future's controls: open it, see who it would wake, whether it was dropped.
    #[derive(Default)]
    struct Gate {
        open: Cell<Option<u32>>,
        waker: RefCell<Option<Waker>>,
        polls: Cell<u32>,
        dropped: Cell<bool>,
    }

    impl Gate {
        /// Finishes the future with `value` and wakes the waker it holds.
        fn finish(&self, value: u32) {
            self.open.set(Some(value));
            if let Some(waker) = self.waker.borrow_mut().take() {
                waker.wake();
            }
        }
    }

    struct Gated(Rc<Gate>);

    impl Future for Gated {
        type Output = u32;
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            self.0.polls.set(self.0.polls.get() + 1);
            match self.0.open.get() {
                Some(value) => Poll::Ready(value),
                None => {
                    *self.0.waker.borrow_mut() = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }
    }

    impl Drop for Gated {
        fn drop(&mut self) {
            self.0.dropped.set(true);
        }
    }

    fn shared() -> (Rc<Gate>, Shared<u32>) {
        let gate = Rc::new(Gate::default());
        (gate.clone(), Shared::new(Box::pin(Gated(gate))))
    }

    fn poll(shared: &mut Shared<u32>, waker: &Waker) -> Poll<u32> {
        Pin::new(shared).poll(&mut Context::from_waker(waker))
    }

    #[test]
    fn every_waiting_subscriber_is_woken_and_gets_the_output() {
        let (gate, mut a) = shared();
        let mut b = a.downgrade().upgrade().unwrap();
        let (a_woken, a_waker) = counting();
        let (b_woken, b_waker) = counting();
        assert!(poll(&mut a, &a_waker).is_pending());
        assert!(poll(&mut b, &b_waker).is_pending());
        assert_eq!(gate.polls.get(), 2, "either subscriber polls the future");
        assert!(!a.is_finished());
        gate.finish(7);
        assert_eq!(b_woken.count(), 1, "the last poller");
        assert_eq!(poll(&mut b, &b_waker), Poll::Ready(7));
        assert!(gate.dropped.get(), "a finished future is dropped");
        assert!(a.is_finished());
        assert_eq!(a_woken.count(), 1, "the other was woken");
        assert_eq!(poll(&mut a, &a_waker), Poll::Ready(7));
        let late = a.downgrade().upgrade();
        assert!(late.is_some_and(|s| s.is_finished()));
    }

    #[test]
    fn the_future_is_dropped_with_its_last_subscriber_and_not_before() {
        let (gate, mut a) = shared();
        let weak = a.downgrade();
        let mut b = weak.upgrade().unwrap();
        let (_, waker) = counting();
        assert!(poll(&mut a, &waker).is_pending());
        assert!(poll(&mut b, &waker).is_pending());
        drop(a);
        assert!(!gate.dropped.get());
        assert!(weak.is_alive());
        drop(b);
        assert!(
            gate.dropped.get(),
            "dropped unfinished: the fetch is aborted"
        );
        assert!(!weak.is_alive());
        assert!(weak.upgrade().is_none());
    }

    #[test]
    fn a_registered_subscriber_that_leaves_wakes_the_others() {
        let (gate, mut a) = shared();
        let mut b = a.downgrade().upgrade().unwrap();
        let mut c = a.downgrade().upgrade().unwrap();
        let (a_woken, a_waker) = counting();
        let (b_woken, b_waker) = counting();
        let (c_woken, c_waker) = counting();
        assert!(poll(&mut a, &a_waker).is_pending());
        assert!(poll(&mut b, &b_waker).is_pending());
        assert!(poll(&mut c, &c_waker).is_pending());
        // a is not the one the future would wake: its leaving wakes nobody.
        drop(a);
        assert_eq!(b_woken.count(), 0);
        assert_eq!(a_woken.count(), 0);
        // c is: b is woken and polls the future with its own waker.
        drop(c);
        assert_eq!(c_woken.count(), 0);
        assert_eq!(b_woken.count(), 1);
        assert!(poll(&mut b, &b_waker).is_pending());
        gate.finish(3);
        assert_eq!(b_woken.count(), 2);
        assert_eq!(poll(&mut b, &b_waker), Poll::Ready(3));
    }

    #[test]
    fn a_subscriber_polled_from_inside_the_futures_poll_waits_for_it() {
        let slot: Rc<RefCell<Option<Shared<u32>>>> = Rc::default();
        let inner_slot = slot.clone();
        let (_, inner_waker) = counting();
        let mut first_poll = true;
        let mut a = Shared::new(Box::pin(std::future::poll_fn(move |_| {
            if std::mem::take(&mut first_poll) {
                let mut guard = inner_slot.borrow_mut();
                let Some(other) = guard.as_mut() else {
                    return Poll::Ready(0);
                };
                assert!(poll(other, &inner_waker).is_pending());
                return Poll::Pending;
            }
            Poll::Ready(5)
        })));
        *slot.borrow_mut() = a.downgrade().upgrade();
        let (_, waker) = counting();
        assert!(poll(&mut a, &waker).is_pending());
        assert_eq!(poll(&mut a, &waker), Poll::Ready(5));
        let mut other = slot.borrow_mut().take().unwrap();
        assert_eq!(poll(&mut other, &waker), Poll::Ready(5));
    }
}
