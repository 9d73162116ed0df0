//! The page's timers as one queue, ordered by deadline: the browser layer keeps a single JS
//! timeout for the earliest entry, so starting or dropping a timer (one per attempt, backoff
//! and wait) costs no call into JS in the common case. This module decides what is due and when
//! the JS timeout must move; `web::timer` performs it.

use crate::policy::keyed::KeyedMap;

/// A timer's place in the queue: its deadline (in µs, so that it orders as an integer) and a
/// sequence number that keeps timers with the same deadline apart and in the order set.
pub type TimerKey = (u64, u64);

/// Timers by deadline, each with a payload (the waker of whoever waits for it).
#[derive(Debug)]
pub struct TimerQueue<T> {
    entries: KeyedMap<TimerKey, T>,
    next_seq: u64,
}

impl<T> Default for TimerQueue<T> {
    fn default() -> Self {
        TimerQueue {
            entries: KeyedMap::new(),
            next_seq: 0,
        }
    }
}

/// What the JS timeout must do after a change to the queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reschedule {
    /// Leave it as it is.
    Keep,
    /// (Re)start it to fire at this deadline, in ms on the monotonic clock.
    At(f64),
    /// Cancel it: nothing is waiting (so that Node can exit).
    Cancel,
}

fn micros(ms: f64) -> u64 {
    // Deadlines are performance.now() values: finite and non-negative. NaN and negatives
    // count as 0 (due at once); `as` saturates the rest.
    (ms.max(0.0) * 1000.0).ceil() as u64
}

impl<T> TimerQueue<T> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a timer due at `deadline_ms`. `scheduled_ms` is when the JS timeout fires now, if
    /// one is set: it moves only when this timer is due before it.
    pub fn add(
        &mut self,
        deadline_ms: f64,
        payload: T,
        scheduled_ms: Option<f64>,
    ) -> (TimerKey, Reschedule) {
        self.next_seq += 1;
        let key = (micros(deadline_ms), self.next_seq);
        self.entries.insert(key, payload);
        let reschedule = match scheduled_ms {
            Some(at) if micros(at) <= key.0 => Reschedule::Keep,
            _ => Reschedule::At(deadline_ms),
        };
        (key, reschedule)
    }

    /// The payload of a timer still waiting, to change; None once it has fired or been
    /// removed.
    pub fn get_mut(&mut self, key: &TimerKey) -> Option<&mut T> {
        self.entries.get_mut(key)
    }

    /// Removes a timer that is no longer wanted. The JS timeout stays (it will find nothing
    /// due and move on) unless the queue is now empty.
    pub fn remove(&mut self, key: &TimerKey) -> Reschedule {
        if self.entries.remove(key).is_none() {
            return Reschedule::Keep;
        }
        if self.entries.is_empty() {
            Reschedule::Cancel
        } else {
            Reschedule::Keep
        }
    }

    /// The JS timeout fired at `now_ms`: takes out every timer due by then, and says when it
    /// must fire next.
    pub fn fire(&mut self, now_ms: f64) -> (Vec<T>, Reschedule) {
        let now = micros(now_ms);
        let due = self.entries.take_leading(|key| key.0 <= now);
        let next = match self.entries.iter().next() {
            Some((key, _)) => Reschedule::At(key.0 as f64 / 1000.0),
            None => Reschedule::Cancel,
        };
        (due, next)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_js_timeout_moves_only_for_an_earlier_timer() {
        let mut q = TimerQueue::new();
        let (_, r) = q.add(100.0, 'a', None);
        assert_eq!(r, Reschedule::At(100.0));
        let (_, r) = q.add(200.0, 'b', Some(100.0));
        assert_eq!(r, Reschedule::Keep, "a later timer rides on the one set");
        let (_, r) = q.add(50.0, 'c', Some(100.0));
        assert_eq!(r, Reschedule::At(50.0));
    }

    #[test]
    fn firing_takes_what_is_due_in_order_and_points_at_the_next() {
        let mut q = TimerQueue::new();
        q.add(30.0, 3, None);
        q.add(10.0, 1, None);
        q.add(10.0, 2, None);
        q.add(50.0, 5, None);
        let (due, next) = q.fire(30.0);
        assert_eq!(due, vec![1, 2, 3]);
        assert_eq!(next, Reschedule::At(50.0));
        let (due, next) = q.fire(49.9);
        assert!(
            due.is_empty(),
            "a timeout that fires early finds nothing due"
        );
        assert_eq!(next, Reschedule::At(50.0));
        let (due, next) = q.fire(50.0);
        assert_eq!(due, vec![5]);
        assert_eq!(next, Reschedule::Cancel);
    }

    #[test]
    fn removing_the_last_timer_cancels_the_js_timeout() {
        let mut q = TimerQueue::new();
        let (a, _) = q.add(10.0, (), None);
        let (b, _) = q.add(20.0, (), Some(10.0));
        assert_eq!(q.remove(&a), Reschedule::Keep);
        assert!(q.get_mut(&a).is_none() && q.get_mut(&b).is_some());
        assert_eq!(q.remove(&b), Reschedule::Cancel);
        assert_eq!(q.remove(&b), Reschedule::Keep, "twice is harmless");
    }

    proptest! {
        /// Whatever the order of adds, firing at t gives exactly the timers due by t, earliest
        /// first, and the next deadline is the earliest left.
        #[test]
        fn fires_exactly_what_is_due(deadlines in prop::collection::vec(0.0f64..1e6, 0..60), t in 0.0f64..1e6) {
            let mut q = TimerQueue::new();
            for (i, &d) in deadlines.iter().enumerate() {
                q.add(d, i, None);
            }
            let (due, next) = q.fire(t);
            let mut want: Vec<(u64, usize)> = deadlines
                .iter()
                .enumerate()
                .filter(|(_, &d)| micros(d) <= micros(t))
                .map(|(i, &d)| (micros(d), i))
                .collect();
            want.sort();
            prop_assert_eq!(due, want.iter().map(|&(_, i)| i).collect::<Vec<_>>());
            let left = deadlines.iter().map(|&d| micros(d)).filter(|&d| d > micros(t)).min();
            match left {
                Some(d) => prop_assert_eq!(next, Reschedule::At(d as f64 / 1000.0)),
                None => prop_assert_eq!(next, Reschedule::Cancel),
            }
        }
    }
}
