//! A radix heap: a monotone priority queue for Dijkstra with non-negative integer keys.
//!
//! Keys popped never decrease, so an item only needs to be placed in the bucket named by the
//! highest bit in which its key differs from the last popped key; buckets are redistributed when
//! the lowest non-empty one is reached.
//!
//! # Complexity
//! `push` is `O(1)`; `pop` is amortised `O(log C)` where `C` is the largest key difference
//! (each item moves to a lower bucket at most 64 times).

/// Monotone min-queue of `(key, value)` pairs with `u64` keys.
#[derive(Debug, Clone)]
pub(crate) struct RadixHeap {
    last: u64,
    len: usize,
    buckets: Vec<Vec<(u64, u32)>>,
}

impl Default for RadixHeap {
    fn default() -> Self {
        RadixHeap {
            last: 0,
            len: 0,
            buckets: (0..65).map(|_| Vec::new()).collect(),
        }
    }
}

#[inline]
fn bucket(key: u64, last: u64) -> usize {
    (64 - (key ^ last).leading_zeros()) as usize
}

impl RadixHeap {
    /// Empties the heap and resets the last popped key to 0.
    pub(crate) fn clear(&mut self) {
        for b in &mut self.buckets {
            b.clear();
        }
        self.last = 0;
        self.len = 0;
    }

    /// Inserts `value` with `key`; `key` must be `>=` the last popped key.
    #[inline]
    pub(crate) fn push(&mut self, key: u64, value: u32) {
        debug_assert!(key >= self.last);
        self.buckets[bucket(key, self.last)].push((key, value));
        self.len += 1;
    }

    /// Removes and returns an item with the least key.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(u64, u32)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let i = (1..65).find(|&i| !self.buckets[i].is_empty())?;
            let items = std::mem::take(&mut self.buckets[i]);
            let new_last = items.iter().map(|x| x.0).min().unwrap_or(self.last);
            self.last = new_last;
            for &(k, v) in &items {
                self.buckets[bucket(k, new_last)].push((k, v));
            }
            // Give the emptied bucket its allocation back.
            let mut items = items;
            items.clear();
            self.buckets[i] = items;
        }
        self.len -= 1;
        self.buckets[0].pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_sorted_reference_under_monotone_pushes() {
        let mut h = RadixHeap::default();
        let mut reference: Vec<u64> = vec![5, 3, 9, 3, 100, 7, 1 << 40];
        for &k in &reference {
            h.push(k, k as u32);
        }
        let mut seq = 12345u64;
        let mut pops = 0;
        while let Some((k, v)) = h.pop() {
            reference.sort_unstable();
            assert_eq!(k, reference.remove(0), "pop {pops} returns the least key");
            assert_eq!(v, k as u32);
            pops += 1;
            if pops < 200 {
                seq = seq.wrapping_mul(6364136223846793005).wrapping_add(1);
                let key = k + (seq >> (20 + seq % 40));
                h.push(key, key as u32);
                reference.push(key);
            }
        }
        assert!(reference.is_empty());
        assert_eq!(pops, 7 + 199);
        h.clear();
        assert_eq!(h.pop(), None);
    }
}
