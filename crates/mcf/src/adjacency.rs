//! [`Adjacency`]: items grouped by node in flat arrays (compressed sparse rows), built by one
//! counting sort. The one adjacency build for problems and flows (maximum flow, decomposition,
//! pp-uncertainty's trimming of a flow); the native solver's grouped residual graph has its own,
//! since it merges parallel arcs while it counts.

use std::ops::Range;

/// Items (arc or edge indices) grouped by node: the items of node `v` are contiguous and keep the
/// order in which they were given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjacency {
    start: Vec<usize>,
    items: Vec<u32>,
}

impl Adjacency {
    /// Groups `(node, item)` pairs by node over `num_nodes` nodes. The iterator is walked twice
    /// (count, then fill), so it must be cheap to clone.
    ///
    /// # Panics
    /// If a node is `>= num_nodes`: callers pass nodes of a validated problem.
    pub fn build<I>(num_nodes: usize, entries: I) -> Self
    where
        I: IntoIterator<Item = (u32, u32)>,
        I::IntoIter: Clone,
    {
        let entries = entries.into_iter();
        let mut start = vec![0usize; num_nodes + 1];
        for (v, _) in entries.clone() {
            start[v as usize + 1] += 1;
        }
        for v in 0..num_nodes {
            start[v + 1] += start[v];
        }
        let mut fill = start[..num_nodes].to_vec();
        let mut items = vec![0u32; start[num_nodes]];
        for (v, x) in entries {
            items[fill[v as usize]] = x;
            fill[v as usize] += 1;
        }
        Adjacency { start, items }
    }

    /// The items of node `v`.
    pub fn of(&self, v: usize) -> &[u32] {
        &self.items[self.range(v)]
    }

    /// Where the items of node `v` are in [`Adjacency::items`].
    pub fn range(&self, v: usize) -> Range<usize> {
        self.start[v]..self.start[v + 1]
    }

    /// All items, node by node.
    pub fn items(&self) -> &[u32] {
        &self.items
    }

    /// The number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.start.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_node_in_input_order() {
        let a = Adjacency::build(4, [(2, 10), (0, 11), (2, 12), (3, 13), (0, 14)]);
        assert_eq!(a.num_nodes(), 4);
        assert_eq!(a.of(0), &[11, 14]);
        assert_eq!(a.of(1), &[] as &[u32]);
        assert_eq!(a.of(2), &[10, 12]);
        assert_eq!(a.of(3), &[13]);
        assert_eq!(a.items(), &[11, 14, 10, 12, 13]);
        assert_eq!(a.range(2), 2..4);
    }

    #[test]
    fn empty() {
        let a = Adjacency::build(0, std::iter::empty());
        assert_eq!(a.num_nodes(), 0);
        assert!(a.items().is_empty());
    }
}
