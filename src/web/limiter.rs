//! A concurrency cap the browser layer can wait on: [`Limiter::acquire`] is a future of a
//! [`Permit`], granted in the order asked ([`Slots`] decides), and dropping the permit gives
//! the slot to the next in line. Dropping a future still waiting leaves the line. A request
//! holds a permit only for the span of one attempt.
//!
//! A fixed cap (a call's `concurrency`, a client's `perOrigin.concurrency`) never moves. A
//! client's default per-origin cap is sized by the origin's throughput ([`origin_cap`]): it
//! learns from [`Permit::completed`] and is worked out again, for the first waiter's time budget,
//! whenever a slot could be given.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::globals::now_ms;
use crate::policy::keyed::KeyedMap;
use crate::policy::origin_cap::{self, Throughput};
use crate::policy::slots::{Acquired, Slots};

/// Slots shared by the requests they cap.
#[derive(Debug, Clone)]
pub(crate) struct Limiter(Rc<RefCell<State>>);

#[derive(Debug)]
struct State {
    slots: Slots,
    next_ticket: u64,
    /// Waiters in line: the wakers to call when their turn comes, and their time budgets.
    waiters: KeyedMap<u64, Waiter>,
    /// For a cap sized by throughput: what it has measured, and the slots held by all of the
    /// client's origins together (shared with the client's other limiters).
    adaptive: Option<(Throughput, Rc<Cell<usize>>)>,
}

#[derive(Debug)]
struct Waiter {
    waker: Option<Waker>,
    budget_ms: Option<f64>,
}

impl Limiter {
    /// At most `limit` permits out at once.
    pub(crate) fn new(limit: usize) -> Self {
        Self::with(Slots::new(limit), None)
    }

    /// A cap sized by the origin's throughput, between [`origin_cap::FLOOR`] and
    /// [`origin_cap::CEILING`]; `client_held` counts the slots of every such limiter of a client.
    pub(crate) fn adaptive(client_held: Rc<Cell<usize>>) -> Self {
        let slots = Slots::new(origin_cap::FLOOR);
        Self::with(slots, Some((Throughput::default(), client_held)))
    }

    fn with(slots: Slots, adaptive: Option<(Throughput, Rc<Cell<usize>>)>) -> Self {
        Limiter(Rc::new(RefCell::new(State {
            slots,
            next_ticket: 0,
            waiters: KeyedMap::new(),
            adaptive,
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

    /// Waits for a permit, for an attempt with `budget_ms` to spare (`None`: no limit).
    pub(crate) fn acquire(&self, budget_ms: Option<f64>) -> Acquire {
        Acquire {
            limiter: self.clone(),
            budget_ms,
            ticket: None,
            done: false,
        }
    }
}

impl State {
    /// A sized cap worked out again for a request with `budget_ms` to spare (the first in line,
    /// or a newcomer when nobody waits). A fixed cap does not move.
    fn resize(&mut self, now_ms: f64, budget_ms: Option<f64>) {
        let Some((throughput, client_held)) = &self.adaptive else {
            return;
        };
        let cap = throughput.cap(now_ms, budget_ms);
        let held = self.slots.held();
        self.slots
            .set_limit(origin_cap::within_client(cap, held, client_held.get()));
    }

    /// The time budget of the first in line.
    fn first_budget(&self) -> Option<f64> {
        let first = self.slots.first_waiting()?;
        self.waiters.get(&first).and_then(|w| w.budget_ms)
    }

    fn count_held(&self, up: bool) {
        if let Some((_, client_held)) = &self.adaptive {
            let n = client_held.get();
            client_held.set(if up { n + 1 } else { n.saturating_sub(1) });
        }
    }

    /// `ticket`, which `Slots` just gave a slot: counted, out of the line, its waker returned.
    fn admit(&mut self, ticket: u64) -> Option<Waker> {
        self.count_held(true);
        self.waiters.remove(&ticket).and_then(|w| w.waker)
    }
}

/// A slot, held until dropped.
#[must_use = "a Permit gives its slot back when dropped"]
#[derive(Debug)]
pub(crate) struct Permit {
    limiter: Limiter,
    /// When its exchange got a response, if it did.
    completed_at: Option<f64>,
}

impl Permit {
    fn new(limiter: Limiter) -> Self {
        Permit {
            limiter,
            completed_at: None,
        }
    }

    /// Gives the slot back after an exchange that got a response at `now_ms` (whatever its
    /// status): a sized cap counts it towards the origin's throughput.
    pub(crate) fn completed(mut self, now_ms: f64) {
        if let Some((throughput, _)) = &mut self.limiter.0.borrow_mut().adaptive {
            throughput.record(now_ms);
        }
        self.completed_at = Some(now_ms);
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        // The slot passes to the next in line; a sized cap may then have grown and let more in
        // (only then is a list of wakers needed).
        let (next, more) = {
            let mut state = self.limiter.0.borrow_mut();
            state.count_held(false);
            let next = state.slots.release().and_then(|t| state.admit(t));
            let mut more = Vec::new();
            if state.adaptive.is_some() && state.slots.queued() > 0 {
                let now = self.completed_at.unwrap_or_else(now_ms);
                let budget = state.first_budget();
                state.resize(now, budget);
                while let Some(ticket) = state.slots.grant() {
                    more.extend(state.admit(ticket));
                }
            }
            (next, more)
        };
        // Woken after the borrow ends.
        next.into_iter().chain(more).for_each(Waker::wake);
    }
}

/// The future of [`Limiter::acquire`].
#[derive(Debug)]
pub(crate) struct Acquire {
    limiter: Limiter,
    budget_ms: Option<f64>,
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
                // Below the floor a sized cap admits anyone, and behind others in line a newcomer
                // waits whatever the cap: only at the floor with nobody waiting is it worked out.
                let at_floor = state.slots.held() >= origin_cap::FLOOR;
                if state.adaptive.is_some() && at_floor && state.slots.queued() == 0 {
                    state.resize(now_ms(), this.budget_ms);
                }
                match state.slots.acquire(ticket) {
                    Acquired::Now => {
                        state.count_held(true);
                        true
                    }
                    Acquired::Queued => {
                        let waiter = Waiter {
                            waker: Some(cx.waker().clone()),
                            budget_ms: this.budget_ms,
                        };
                        state.waiters.insert(ticket, waiter);
                        false
                    }
                }
            }
            // Still in line while its entry remains; a grant removes it.
            Some(ticket) => match state.waiters.get_mut(&ticket) {
                Some(waiter) => {
                    waiter.waker = Some(cx.waker().clone());
                    false
                }
                None => true,
            },
        };
        drop(state);
        if granted {
            this.done = true;
            Poll::Ready(Permit::new(this.limiter.clone()))
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
        if state.waiters.remove(&ticket).is_some() {
            state.slots.leave_queue(ticket);
        } else {
            // Granted but never collected: give the slot on.
            drop(state);
            drop(Permit::new(self.limiter.clone()));
        }
    }
}
