//! A small ordered map: a `Vec` of pairs kept sorted by key, looked up by binary search. The
//! browser layer keeps its per-origin state, its debounce keys, its shared fetches and its
//! waiters in these rather than in `HashMap`s: they hold from a few to a few thousand entries,
//! and one generic binary search costs the `.wasm` far less than hashbrown and SipHash do for
//! each map type.

use std::borrow::Borrow;

/// Entries sorted by key; at most one per key.
#[derive(Debug, Clone)]
pub struct KeyedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for KeyedMap<K, V> {
    fn default() -> Self {
        KeyedMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord, V> KeyedMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value under `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// The value under `key`, to change.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    /// The value under `key`, made by `make` (with the key made by `own`) if there is none;
    /// the key is owned only when an entry is added.
    pub fn get_or_insert_with<Q: Ord + ?Sized>(
        &mut self,
        key: &Q,
        own: impl FnOnce(&Q) -> K,
        make: impl FnOnce() -> V,
    ) -> &mut V
    where
        K: Borrow<Q>,
    {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (own(key), make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Puts `value` under `key`, giving back the value it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Takes out the value under `key`.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// Keeps only the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// Takes out the leading entries whose keys `take` accepts (keys in order, so `take` must
    /// accept a prefix of them), in key order.
    pub fn take_leading(&mut self, mut take: impl FnMut(&K) -> bool) -> Vec<V> {
        let n = self.entries.partition_point(|(k, _)| take(k));
        self.entries.drain(..n).map(|(_, v)| v).collect()
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u8, u32),
        Remove(u8),
        GetOrInsert(u8, u32),
        Retain(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (any::<u8>(), any::<u32>()).prop_map(|(k, v)| Op::Insert(k, v)),
            any::<u8>().prop_map(Op::Remove),
            (any::<u8>(), any::<u32>()).prop_map(|(k, v)| Op::GetOrInsert(k, v)),
            any::<u8>().prop_map(Op::Retain),
        ]
    }

    proptest! {
        /// Every sequence of operations leaves it as a BTreeMap would be, in the same order.
        #[test]
        fn behaves_as_an_ordered_map(ops in prop::collection::vec(op(), 0..200)) {
            let mut ours = KeyedMap::new();
            let mut model = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => prop_assert_eq!(ours.insert(k, v), model.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(ours.remove(&k), model.remove(&k)),
                    Op::GetOrInsert(k, v) => {
                        let a = *ours.get_or_insert_with(&k, |k| *k, || v);
                        let b = *model.entry(k).or_insert(v);
                        prop_assert_eq!(a, b);
                    }
                    Op::Retain(m) => {
                        let m = u32::from(m % 7 + 1);
                        ours.retain(|_, v| *v % m != 0);
                        model.retain(|_, v| *v % m != 0);
                    }
                }
                prop_assert_eq!(ours.len(), model.len());
                for (k, v) in &model {
                    prop_assert_eq!(ours.get(k), Some(v));
                }
                let a: Vec<_> = ours.iter().map(|(k, v)| (*k, *v)).collect();
                let b: Vec<_> = model.iter().map(|(k, v)| (*k, *v)).collect();
                prop_assert_eq!(a, b);
            }
        }
    }

    #[test]
    fn looks_up_string_keys_by_str() {
        let mut map: KeyedMap<String, u32> = KeyedMap::new();
        *map.get_or_insert_with("https://a", str::to_string, || 0) += 1;
        *map.get_or_insert_with("https://a", str::to_string, || 0) += 1;
        assert_eq!(map.get("https://a"), Some(&2));
        assert_eq!(map.remove("https://a"), Some(2));
        assert!(map.is_empty());
    }
}
