//! A flag that is set once and wakes whoever waits for it: how an abort listener tells its
//! `SignalWatch` that the signal fired (what a `oneshot` channel did), and how a dropped task
//! handle tells its task to stop. One thread only: it lives in an `Rc`.

use std::cell::Cell;
use std::task::{Context, Poll, Waker};

/// Set once, never cleared; [`Flag::poll_set`] waits for it.
#[derive(Default)]
pub(crate) struct Flag {
    set: Cell<bool>,
    /// Whoever last waited for it.
    waker: Cell<Option<Waker>>,
}

impl std::fmt::Debug for Flag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Flag({})", self.set.get())
    }
}

impl Flag {
    /// Sets the flag and wakes whoever waits for it.
    pub(crate) fn set(&self) {
        self.set.set(true);
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }

    /// Ready once the flag is set; until then, this waker is woken when it is.
    pub(crate) fn poll_set(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.set.get() {
            return Poll::Ready(());
        }
        self.waker.set(Some(cx.waker().clone()));
        Poll::Pending
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::web::test_wakers::counting;

    #[test]
    fn setting_it_wakes_the_last_waiter_once_and_it_stays_set() {
        let flag = Flag::default();
        let (first, first_waker) = counting();
        let (last, last_waker) = counting();
        assert!(flag
            .poll_set(&mut Context::from_waker(&first_waker))
            .is_pending());
        assert!(flag
            .poll_set(&mut Context::from_waker(&last_waker))
            .is_pending());
        flag.set();
        flag.set();
        assert_eq!(first.count(), 0);
        assert_eq!(last.count(), 1);
        assert!(flag
            .poll_set(&mut Context::from_waker(&last_waker))
            .is_ready());
    }
}
