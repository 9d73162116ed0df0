//! A concurrency cap the browser layer can wait on: [`Limiter::acquire`] is a future of a
//! [`Permit`], granted in the order asked ([`Slots`] decides), and dropping the permit gives
//! the slot to the next in line. Dropping a future still waiting leaves the line. A request
//! holds a permit only for the span of one attempt.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::policy::keyed::KeyedMap;
use crate::policy::slots::{Acquired, Slots};

/// Slots shared by the requests they cap.
#[derive(Debug, Clone)]
pub(crate) struct Limiter(Rc<RefCell<State>>);

#[derive(Debug)]
struct State {
    slots: Slots,
    next_ticket: u64,
    /// Waiters in line, and the wakers to call when their turn comes.
    wakers: KeyedMap<u64, Option<Waker>>,
}

impl Limiter {
    /// At most `limit` permits out at once.
    pub(crate) fn new(limit: usize) -> Self {
        Limiter(Rc::new(RefCell::new(State {
            slots: Slots::new(limit),
            next_ticket: 0,
            wakers: KeyedMap::new(),
        })))
    }

    /// Permits out now.
    pub(crate) fn held(&self) -> usize {
        self.0.borrow().slots.held()
    }

    /// Waiters in line now.
    pub(crate) fn queued(&self) -> usize {
        self.0.borrow().slots.queued()
    }

    /// Waits for a permit.
    pub(crate) fn acquire(&self) -> Acquire {
        Acquire {
            limiter: self.clone(),
            ticket: None,
            done: false,
        }
    }
}

/// A slot, held until dropped.
#[must_use = "a Permit gives its slot back when dropped"]
#[derive(Debug)]
pub(crate) struct Permit(Limiter);

impl Drop for Permit {
    fn drop(&mut self) {
        let waker = {
            let mut state = self.0 .0.borrow_mut();
            match state.slots.release() {
                // The next in line now holds the slot: mark it granted and wake it.
                Some(next) => state.wakers.remove(&next).flatten(),
                None => None,
            }
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The future of [`Limiter::acquire`].
#[derive(Debug)]
pub(crate) struct Acquire {
    limiter: Limiter,
    ticket: Option<u64>,
    done: bool,
}

impl Future for Acquire {
    type Output = Permit;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit> {
        let this = &mut *self;
        let mut state = this.limiter.0.borrow_mut();
        let granted = match this.ticket {
            None => {
                state.next_ticket += 1;
                let ticket = state.next_ticket;
                this.ticket = Some(ticket);
                match state.slots.acquire(ticket) {
                    Acquired::Now => true,
                    Acquired::Queued => {
                        state.wakers.insert(ticket, Some(cx.waker().clone()));
                        false
                    }
                }
            }
            // Still in line while its entry remains; a release removes it on granting.
            Some(ticket) => match state.wakers.get_mut(&ticket) {
                Some(slot) => {
                    *slot = Some(cx.waker().clone());
                    false
                }
                None => true,
            },
        };
        drop(state);
        if granted {
            this.done = true;
            Poll::Ready(Permit(this.limiter.clone()))
        } else {
            Poll::Pending
        }
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        let Some(ticket) = self.ticket.filter(|_| !self.done) else {
            return;
        };
        let mut state = self.limiter.0.borrow_mut();
        if state.wakers.remove(&ticket).is_some() {
            state.slots.leave_queue(ticket);
        } else {
            // Granted but never collected: give the slot on.
            drop(state);
            drop(Permit(self.limiter.clone()));
        }
    }
}
