//! A slab under generational keys: values put in get a [`Key`] of their slot and its
//! generation, and a slot taken out is reused under the next generation, so a stale key (one
//! whose value was removed, such as an exchange dropped before JS reported its end) finds
//! nothing instead of its slot's next tenant. Insert, look-up and removal are O(1).

/// Where a value sits: its slot and the slot's generation when it went in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The slot.
    pub index: u32,
    /// The slot's generation at insertion.
    pub generation: u32,
}

/// See the [module docs](self).
#[derive(Debug)]
pub struct Generational<T> {
    slots: Vec<(u32, Option<T>)>,
    free: Vec<u32>,
}

impl<T> Default for Generational<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Generational<T> {
    /// An empty slab.
    pub const fn new() -> Self {
        Generational {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }

    /// The key the next [`Generational::insert`] returns.
    pub fn next_key(&self) -> Key {
        match self.free.last() {
            Some(&index) => Key {
                index,
                generation: self.slots[index as usize].0,
            },
            None => Key {
                index: self.slots.len() as u32,
                generation: 0,
            },
        }
    }

    /// Puts `value` in a free slot (or a new one) and returns its key.
    pub fn insert(&mut self, value: T) -> Key {
        match self.free.pop() {
            Some(index) => {
                let slot = &mut self.slots[index as usize];
                slot.1 = Some(value);
                Key {
                    index,
                    generation: slot.0,
                }
            }
            None => {
                let index = self.slots.len() as u32;
                self.slots.push((0, Some(value)));
                Key {
                    index,
                    generation: 0,
                }
            }
        }
    }

    /// The value under `key`, unless it was removed.
    pub fn get_mut(&mut self, key: Key) -> Option<&mut T> {
        match self.slots.get_mut(key.index as usize) {
            Some((generation, value)) if *generation == key.generation => value.as_mut(),
            _ => None,
        }
    }

    /// Takes the value under `key` out; its slot is reused under the next generation.
    pub fn remove(&mut self, key: Key) -> Option<T> {
        let (generation, value) = self.slots.get_mut(key.index as usize)?;
        if *generation != key.generation {
            return None;
        }
        let value = value.take()?;
        *generation = generation.wrapping_add(1);
        self.free.push(key.index);
        Some(value)
    }

    /// How many values it holds.
    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
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
    use std::collections::HashMap;

    #[test]
    fn a_stale_key_finds_nothing_in_its_reused_slot() {
        let mut slab = Generational::new();
        let old = slab.insert("first");
        assert_eq!(slab.remove(old), Some("first"));
        let new = slab.insert("second");
        assert_eq!(new.index, old.index, "the slot is reused");
        assert_eq!(slab.get_mut(old), None);
        assert_eq!(slab.remove(old), None);
        assert_eq!(slab.get_mut(new), Some(&mut "second"));
    }

    proptest! {
        /// Against a map of live keys: every live key finds its value, every removed one none,
        /// and the slab never holds more slots than values were ever live at once.
        #[test]
        fn behaves_as_a_map_of_its_live_keys(ops in prop::collection::vec((any::<bool>(), 0usize..64), 1..400)) {
            let mut slab = Generational::new();
            let mut live: Vec<(Key, usize)> = Vec::new();
            let mut dead: Vec<Key> = Vec::new();
            let mut most = 0;
            for (n, (put, pick)) in ops.into_iter().enumerate() {
                if put || live.is_empty() {
                    let next = slab.next_key();
                    let key = slab.insert(n);
                    prop_assert_eq!(key, next, "next_key is the key insert gives");
                    live.push((key, n));
                } else {
                    let (key, value) = live.swap_remove(pick % live.len());
                    prop_assert_eq!(slab.remove(key), Some(value));
                    dead.push(key);
                }
                most = most.max(live.len());
                prop_assert_eq!(slab.len(), live.len());
                prop_assert!(slab.slots.len() <= most);
            }
            let expected: HashMap<_, _> = live.iter().map(|&(k, v)| ((k.index, k.generation), v)).collect();
            for (key, value) in &live {
                prop_assert_eq!(slab.get_mut(*key).copied(), Some(*value));
            }
            for key in dead {
                if !expected.contains_key(&(key.index, key.generation)) {
                    prop_assert_eq!(slab.get_mut(key), None);
                }
            }
        }
    }
}
