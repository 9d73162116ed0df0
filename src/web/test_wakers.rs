//! A waker for the native tests of this folder's futures: it counts how often it was woken.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::task::{Wake, Waker};

/// What a [`counting`] waker counts.
pub(crate) struct Counting(AtomicU32);

impl Counting {
    /// How often the waker was woken.
    pub(crate) fn count(&self) -> u32 {
        self.0.load(Ordering::SeqCst)
    }
}

impl Wake for Counting {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A waker, and the count of its wakes.
pub(crate) fn counting() -> (Arc<Counting>, Waker) {
    let count = Arc::new(Counting(AtomicU32::new(0)));
    (count.clone(), Waker::from(count))
}
