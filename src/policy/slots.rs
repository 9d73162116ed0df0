//! A concurrency cap as a queue: at most `limit` holders at once, the rest waiting in the order
//! they asked. A request holds a slot only while an attempt is in flight; it gives the slot back
//! before it sleeps in backoff or Retry-After, so a waiting request never blocks a ready one.
//!
//! Tickets are the browser layer's names for its waiters; this type only decides who holds a
//! slot and who is next.

use super::fifo::Fifo;

/// Slots and the queue of waiters for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slots {
    limit: usize,
    held: usize,
    waiting: Fifo<u64>,
}

/// The answer to [`Slots::acquire`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Acquired {
    /// The ticket holds a slot now.
    Now,
    /// The ticket waits in line; [`Slots::release`] names it when its turn comes.
    Queued,
}

impl Slots {
    /// Slots for at most `limit` holders at once (at least one).
    pub fn new(limit: usize) -> Self {
        Slots {
            limit: limit.max(1),
            held: 0,
            waiting: Fifo::new(),
        }
    }

    /// `ticket` asks for a slot.
    pub fn acquire(&mut self, ticket: u64) -> Acquired {
        if self.held < self.limit && self.waiting.is_empty() {
            self.held += 1;
            Acquired::Now
        } else {
            self.waiting.push_back(ticket);
            Acquired::Queued
        }
    }

    /// A holder gives its slot back. The slot passes straight to the first ticket in line,
    /// which this returns (it now holds the slot), or it becomes free; or, when the limit was
    /// lowered below what is held, it is gone.
    pub fn release(&mut self) -> Option<u64> {
        self.held = self.held.saturating_sub(1);
        self.grant()
    }

    /// The first ticket in line, if a slot is free for it (it now holds the slot). After
    /// raising the limit, call it until it returns `None`.
    pub fn grant(&mut self) -> Option<u64> {
        if self.held >= self.limit {
            return None;
        }
        let next = self.waiting.pop_front()?;
        self.held += 1;
        Some(next)
    }

    /// A new limit (at least one). Holders above a lowered limit keep their slots; a raised
    /// limit lets [`Slots::grant`] name more tickets.
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit.max(1);
    }

    /// The first ticket in line.
    pub fn first_waiting(&self) -> Option<u64> {
        self.waiting.front()
    }

    /// A queued ticket gives up waiting (its request was cancelled). False if it was not queued.
    pub fn leave_queue(&mut self, ticket: u64) -> bool {
        self.waiting.remove_first(|t| t == ticket)
    }

    /// Slots held now.
    pub fn held(&self) -> usize {
        self.held
    }

    /// Tickets waiting now.
    pub fn queued(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn holders_are_capped_and_waiters_served_in_order() {
        let mut s = Slots::new(2);
        assert_eq!(s.acquire(1), Acquired::Now);
        assert_eq!(s.acquire(2), Acquired::Now);
        assert_eq!(s.acquire(3), Acquired::Queued);
        assert_eq!(s.acquire(4), Acquired::Queued);
        assert_eq!(s.release(), Some(3));
        assert_eq!((s.held(), s.queued()), (2, 1));
        assert!(s.leave_queue(4) && !s.leave_queue(4));
        assert_eq!(s.release(), None);
        assert_eq!(s.release(), None);
        assert_eq!(s.held(), 0);
    }

    #[test]
    fn a_newcomer_never_jumps_the_queue() {
        let mut s = Slots::new(1);
        s.acquire(1);
        s.acquire(2);
        assert_eq!(
            s.release(),
            Some(2),
            "the slot goes to the waiter, not to a newcomer"
        );
        assert_eq!(s.acquire(3), Acquired::Queued);
    }

    #[test]
    fn a_raised_limit_grants_more_and_a_lowered_one_waits_for_releases() {
        let mut s = Slots::new(1);
        s.acquire(1);
        s.acquire(2);
        s.acquire(3);
        s.acquire(4);
        assert_eq!(s.grant(), None, "the limit is reached");
        s.set_limit(3);
        assert_eq!((s.grant(), s.grant(), s.grant()), (Some(2), Some(3), None));
        assert_eq!(s.first_waiting(), Some(4));
        s.set_limit(1);
        assert_eq!(s.held(), 3, "holders keep their slots");
        assert_eq!(s.release(), None);
        assert_eq!(s.release(), None);
        assert_eq!(
            s.release(),
            Some(4),
            "back under the limit, the next in line"
        );
        assert_eq!(s.held(), 1);
    }

    proptest! {
        #[test]
        fn never_more_holders_than_the_limit_and_fifo(limit in 1usize..5, ops in prop::collection::vec(0u8..3, 1..200)) {
            let mut s = Slots::new(limit);
            let mut holders: Vec<u64> = vec![];
            let mut queue: std::collections::VecDeque<u64> = std::collections::VecDeque::new();
            let mut next = 0u64;
            for op in ops {
                match op {
                    0 => {
                        next += 1;
                        match s.acquire(next) {
                            Acquired::Now => holders.push(next),
                            Acquired::Queued => queue.push_back(next),
                        }
                    }
                    1 if !holders.is_empty() => {
                        holders.remove(0);
                        if let Some(t) = s.release() {
                            prop_assert_eq!(Some(t), queue.pop_front(), "first in line first");
                            holders.push(t);
                        }
                    }
                    _ => {
                        if let Some(t) = queue.pop_back() {
                            prop_assert!(s.leave_queue(t));
                        }
                    }
                }
                prop_assert!(holders.len() <= limit);
                prop_assert_eq!(s.held(), holders.len());
                prop_assert_eq!(s.queued(), queue.len());
                prop_assert!(queue.is_empty() || holders.len() == limit, "nobody waits while a slot is free");
            }
        }
    }
}
