//! A first-in, first-out queue of small `Copy` values: a `Vec` and the index of its front. The
//! queues of the SDK (a cap's waiting tickets, a group's and the task queue's woken futures)
//! drain often and hold few values; this does what they ask of `VecDeque` in far less code
//! (no ring to wrap, grow or copy around). Memory stays bounded: the vector is emptied whenever
//! the queue drains, and compacted once the taken front is as long as what is left.

/// See the [module docs](self).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fifo<T> {
    items: Vec<T>,
    /// `items[..head]` were taken.
    head: usize,
}

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Fifo<T> {
    /// An empty queue.
    pub const fn new() -> Self {
        Fifo {
            items: Vec::new(),
            head: 0,
        }
    }
}

impl<T: Copy> Fifo<T> {
    /// Adds `item` at the back.
    pub fn push_back(&mut self, item: T) {
        if self.head > 0 && self.head >= self.len() {
            // The taken front is as long as what is left: moved down over it.
            let len = self.len();
            self.items.copy_within(self.head.., 0);
            self.items.truncate(len);
            self.head = 0;
        }
        self.items.push(item);
    }

    /// Puts `item` back at the front.
    pub fn push_front(&mut self, item: T) {
        if self.head > 0 {
            self.head -= 1;
            self.items[self.head] = item;
        } else {
            self.items.insert(0, item);
        }
    }

    /// Takes the front item.
    pub fn pop_front(&mut self) -> Option<T> {
        let item = *self.items.get(self.head)?;
        self.head += 1;
        self.reset_if_drained();
        Some(item)
    }

    /// The front item.
    pub fn front(&self) -> Option<T> {
        self.items.get(self.head).copied()
    }

    /// Removes the first item `matches` accepts; false if none does.
    pub fn remove_first(&mut self, matches: impl Fn(T) -> bool) -> bool {
        let mut i = self.head;
        while i < self.items.len() {
            if matches(self.items[i]) {
                self.items.remove(i);
                self.reset_if_drained();
                return true;
            }
            i += 1;
        }
        false
    }

    /// Once nothing is left, the vector is emptied, so its slots are reused from the start.
    fn reset_if_drained(&mut self) {
        if self.head == self.items.len() {
            self.items.clear();
            self.head = 0;
        }
    }

    /// How many items it holds.
    pub fn len(&self) -> usize {
        self.items.len() - self.head
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::VecDeque;

    #[derive(Debug, Clone)]
    enum Op {
        Back(u8),
        Front(u8),
        Pop,
        Remove(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => any::<u8>().prop_map(Op::Back),
            1 => any::<u8>().prop_map(Op::Front),
            3 => Just(Op::Pop),
            1 => (0u8..8).prop_map(Op::Remove),
        ]
    }

    proptest! {
        /// Against `VecDeque`: the same items come out in the same order, and the vector never
        /// holds more than twice as many as the queue ever held at once.
        #[test]
        fn behaves_as_a_vec_deque(ops in prop::collection::vec(op(), 0..300)) {
            let mut fifo = Fifo::new();
            let mut model = VecDeque::new();
            let mut most = 0;
            for op in ops {
                match op {
                    Op::Back(v) => { fifo.push_back(v); model.push_back(v); }
                    Op::Front(v) => { fifo.push_front(v); model.push_front(v); }
                    Op::Pop => prop_assert_eq!(fifo.pop_front(), model.pop_front()),
                    Op::Remove(v) => {
                        let at = model.iter().position(|&x| x % 8 == v);
                        if let Some(at) = at { model.remove(at); }
                        prop_assert_eq!(fifo.remove_first(|x| x % 8 == v), at.is_some());
                    }
                }
                most = most.max(model.len());
                prop_assert_eq!(fifo.len(), model.len());
                prop_assert_eq!(fifo.front(), model.front().copied());
                prop_assert!(fifo.items.len() <= 2 * most, "{} for at most {}", fifo.items.len(), most);
            }
        }
    }

    #[test]
    fn a_drained_queue_frees_its_slots_for_reuse() {
        let mut fifo = Fifo::new();
        for round in 0..100u32 {
            fifo.push_back(round);
            fifo.push_back(round + 1);
            assert_eq!(fifo.pop_front(), Some(round));
            assert_eq!(fifo.pop_front(), Some(round + 1));
        }
        assert!(fifo.items.capacity() <= 4);
    }
}
