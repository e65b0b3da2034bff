//! Strongly connected components of a graph's active directions: the one implementation the
//! workspace uses (graph statistics, the pairs of simulations and benchmarks).

use crate::graph::{Graph, NodeIdx};

/// The strongly connected components of the active directions: each node's component and each
/// component's size. Isolated nodes are components of size 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    component: Vec<u32>,
    sizes: Vec<usize>,
}

impl Components {
    /// Finds the components.
    ///
    /// # Complexity
    /// O(N + D) time and memory: Tarjan's algorithm with an explicit call stack (no recursion,
    /// so long paths cannot overflow the thread stack).
    pub fn of(g: &Graph) -> Components {
        tarjan(g)
    }

    /// The number of components (0 for an empty graph).
    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    /// The component of node `v`, numbered `0..count()`.
    pub fn component(&self, v: NodeIdx) -> u32 {
        self.component[v.ix()]
    }

    /// The number of nodes of component `c`.
    pub fn size(&self, c: u32) -> usize {
        self.sizes[c as usize]
    }

    /// The size of the largest component (0 for an empty graph).
    pub fn largest_size(&self) -> usize {
        self.sizes.iter().copied().max().unwrap_or(0)
    }

    /// The nodes of the largest component, ascending; among components of equal size, the one
    /// containing the smallest node index. Empty for an empty graph.
    pub fn largest(&self) -> Vec<NodeIdx> {
        let want = self.largest_size();
        let Some(best) = self
            .component
            .iter()
            .copied()
            .find(|&c| self.sizes[c as usize] == want)
        else {
            return Vec::new();
        };
        (0..self.component.len() as u32)
            .filter(|&v| self.component[v as usize] == best)
            .map(NodeIdx)
            .collect()
    }
}

/// The nodes of the largest strongly connected component over active directions, ascending
/// (ties between equal-sized components: the one containing the smallest node index).
///
/// # Complexity
/// O(N + D), see [`Components::of`].
pub fn largest_scc(g: &Graph) -> Vec<NodeIdx> {
    Components::of(g).largest()
}

fn tarjan(g: &Graph) -> Components {
    const UNSEEN: u32 = u32::MAX;
    let n = g.node_count();
    let offsets = g.out_offsets();
    let targets = g.targets();
    let policies = g.policies();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    // (node, next out-direction position to look at)
    let mut call: Vec<(u32, u32)> = Vec::new();
    let mut next_index = 0u32;
    let mut component = vec![0u32; n];
    let mut sizes: Vec<usize> = Vec::new();
    macro_rules! visit {
        ($v:expr) => {{
            let v: u32 = $v;
            index[v as usize] = next_index;
            low[v as usize] = next_index;
            next_index += 1;
            stack.push(v);
            on_stack[v as usize] = true;
            call.push((v, offsets[v as usize]));
        }};
    }
    for root in 0..n as u32 {
        if index[root as usize] != UNSEEN {
            continue;
        }
        visit!(root);
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            let end = offsets[v as usize + 1];
            if *pos < end {
                let d = *pos as usize;
                *pos += 1;
                if !policies[d].active {
                    continue;
                }
                let w = targets[d].0;
                if index[w as usize] == UNSEEN {
                    visit!(w);
                } else if on_stack[w as usize] {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
                continue;
            }
            call.pop();
            if low[v as usize] == index[v as usize] {
                let c = sizes.len() as u32;
                let mut size = 0usize;
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    component[w as usize] = c;
                    size += 1;
                    if w == v {
                        break;
                    }
                }
                sizes.push(size);
            }
            if let Some(&(parent, _)) = call.last() {
                low[parent as usize] = low[parent as usize].min(low[v as usize]);
            }
        }
    }
    Components { component, sizes }
}
