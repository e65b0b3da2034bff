//! The native solver's searches: Dijkstra on reduced costs in either direction with the
//! potential update and one augmentation, and blocking flows on the admissible subgraph
//! (module docs of `native`, points 3–5).

use super::{NativeStats, Work, NONE, NO_EDGE};

impl Work {
    pub(super) fn next_round(&mut self) -> u32 {
        self.round += 1;
        self.settled.clear();
        self.heap.clear();
        self.round
    }

    /// One Dijkstra search on reduced costs, then the potential update and one augmentation.
    ///
    /// `FORWARD`: from every node with excess over residual edges, stopping at the first settled
    /// node with deficit. Backward: from every node with deficit over reversed residual edges
    /// (edge `v -> u` has reduced cost `c + pot[v] - pot[u]`), stopping at the first settled node
    /// with excess. The direction is a const parameter, so each is compiled on its own and costs
    /// nothing at run time. Returns false when the other side cannot be reached.
    pub(super) fn search<const FORWARD: bool>(
        &mut self,
        drain_ties: bool,
        stats: &mut NativeStats,
    ) -> bool {
        let round = self.next_round();
        let excess = &self.excess;
        if FORWARD {
            self.sources.retain(|&s| excess[s as usize] > 0);
        } else {
            self.sinks.retain(|&t| excess[t as usize] < 0);
        }
        let seeds = if FORWARD { &self.sources } else { &self.sinks };
        for &s in seeds {
            let s = s as usize;
            self.reached[s] = round;
            self.dist[s] = 0;
            self.parent[s] = NONE;
            self.heap.push(0, s as u32);
        }
        let mut target = NONE;
        let mut big_d = 0;
        while let Some((d, u)) = self.heap.pop() {
            let d = d as i64;
            let u = u as usize;
            if self.settled_in[u] == round {
                continue;
            }
            if target != NONE && d > big_d {
                break;
            }
            self.settled_in[u] = round;
            self.settled.push(u as u32);
            let found = if FORWARD {
                self.excess[u] < 0
            } else {
                self.excess[u] > 0
            };
            if found && target == NONE {
                target = u as u32;
                big_d = d;
                if !drain_ties {
                    break;
                }
            }
            let du = if FORWARD {
                d + self.pot[u]
            } else {
                d - self.pot[u]
            };
            let (lo, hi) = (self.adj_start[u] as usize, self.adj_start[u + 1] as usize);
            for e in lo..hi {
                let c = if FORWARD {
                    self.out_cost[e]
                } else {
                    self.in_cost[e]
                };
                if c == NO_EDGE {
                    continue;
                }
                let v = self.adj_head[e] as usize;
                if self.settled_in[v] == round {
                    continue;
                }
                let nd = if FORWARD {
                    du + c - self.pot[v]
                } else {
                    du + c + self.pot[v]
                };
                if self.reached[v] != round || nd < self.dist[v] {
                    self.reached[v] = round;
                    self.dist[v] = nd;
                    self.parent[v] = e as u32;
                    self.heap.push(nd as u64, v as u32);
                }
            }
        }
        stats.settled += self.settled.len() as u64;
        if target == NONE {
            return false;
        }
        let start = target as usize;
        for &v in &self.settled {
            let v = v as usize;
            if FORWARD {
                self.pot[v] += self.dist[v] - big_d;
            } else {
                self.pot[v] += big_d - self.dist[v];
            }
        }
        // Walk the parent entries from `start` back to a seed: forward, `start` is a sink and the
        // walk runs against the flow; backward, `start` is a source and the walk runs with it.
        let on_path_end = |w: &Self, g: usize, v: usize| {
            if FORWARD {
                w.group_to[g] as usize == v
            } else {
                w.group_from[g] as usize == v
            }
        };
        let mut amount = if FORWARD {
            -self.excess[start]
        } else {
            self.excess[start]
        };
        let mut v = start;
        while self.parent[v] != NONE {
            let e = self.parent[v] as usize;
            let g = self.adj_group[e] as usize;
            amount = amount.min(self.residual(g, on_path_end(self, g, v)));
            v = self.adj_head_tail(e, v);
        }
        let seed = v;
        amount = amount.min(if FORWARD {
            self.excess[seed]
        } else {
            -self.excess[seed]
        });
        let mut v = start;
        while self.parent[v] != NONE {
            let e = self.parent[v] as usize;
            let g = self.adj_group[e] as usize;
            let fwd = on_path_end(self, g, v);
            self.push(g, fwd, amount);
            v = self.adj_head_tail(e, v);
        }
        let (s, t) = if FORWARD {
            (seed, start)
        } else {
            (start, seed)
        };
        self.excess[s] -= amount;
        self.excess[t] += amount;
        self.remaining -= amount;
        true
    }

    /// Routes as much excess as possible along admissible edges among the nodes settled by the
    /// last search (a maximum flow on that subgraph, by Dinic's blocking flows), so that a plateau
    /// of equally short paths costs one search instead of one search per path.
    ///
    /// An edge `u -> v` is admissible when it has residual capacity, both ends were settled in the
    /// last search and its reduced cost `c + π(u) − π(v)` is 0: the last search's shortest-path
    /// edges and every tie. Pushing flow along such edges keeps every residual reduced cost
    /// non-negative (the reverse edges get reduced cost 0), so the potentials stay a certificate.
    /// Each phase labels the admissible subgraph by hop distance from the nodes with excess (BFS),
    /// then augments along hop-increasing paths with a current-edge pointer per node until no such
    /// path remains (a blocking flow); phases repeat until no node with deficit is reachable.
    ///
    /// # Complexity
    /// With `s` settled nodes and `e` adjacency entries among them: each phase `O(e + s · p)` for
    /// `p` augmenting paths (each path is at most `s` hops; a saturated edge or a dead-end node is
    /// never revisited within the phase); at most `s` phases, since the hop distance to the
    /// nearest deficit strictly grows from one phase to the next (Dinic). Memory `O(n)`.
    pub(super) fn blocking_flows(&mut self, stats: &mut NativeStats) {
        let round = self.round;
        loop {
            // Phase start: levels by BFS from the settled nodes with excess.
            for &v in &self.settled {
                self.level[v as usize] = NONE;
            }
            self.queue.clear();
            for &s in &self.sources {
                let s = s as usize;
                if self.excess[s] > 0 && self.settled_in[s] == round {
                    self.level[s] = 0;
                    self.queue.push(s as u32);
                }
            }
            let seeds = self.queue.len();
            let mut sink_level = NONE;
            let mut head = 0;
            while head < self.queue.len() {
                let u = self.queue[head] as usize;
                head += 1;
                let lu = self.level[u];
                if lu >= sink_level {
                    break;
                }
                if self.excess[u] < 0 {
                    sink_level = lu;
                    continue;
                }
                self.cur[u] = self.adj_start[u];
                for e in self.adj_start[u] as usize..self.adj_start[u + 1] as usize {
                    let v = self.adj_head[e] as usize;
                    if self.settled_in[v] == round
                        && self.level[v] == NONE
                        && self.admissible(e, u, v)
                    {
                        self.level[v] = lu + 1;
                        self.queue.push(v as u32);
                    }
                }
            }
            if sink_level == NONE {
                return;
            }
            stats.phases += 1;
            // Blocking flow: depth-first along level-increasing admissible edges from each seed
            // (the first `seeds` queue entries).
            for i in 0..seeds {
                let s = self.queue[i] as usize;
                if self.level[s] != 0 {
                    continue; // a dead end found from an earlier seed
                }
                self.path.clear();
                while self.excess[s] > 0 {
                    let u = match self.path.last() {
                        Some(&e) => self.adj_head[e as usize] as usize,
                        None => s,
                    };
                    if self.excess[u] < 0 {
                        self.augment_path(s, u);
                        stats.augmentations += 1;
                        // Resume from the tail of the first edge that is no longer admissible.
                        let mut keep = self.path.len();
                        let mut tail = s;
                        for (i, &e) in self.path.iter().enumerate() {
                            let head = self.adj_head[e as usize] as usize;
                            if !self.admissible(e as usize, tail, head) {
                                keep = i;
                                break;
                            }
                            tail = head;
                        }
                        self.path.truncate(keep);
                        continue;
                    }
                    if self.level[u] >= sink_level {
                        // A node at the deficit level without deficit: a dead end.
                        self.level[u] = NONE;
                        self.path.pop();
                        continue;
                    }
                    let end = self.adj_start[u + 1];
                    let mut advanced = false;
                    while self.cur[u] < end {
                        let e = self.cur[u] as usize;
                        let v = self.adj_head[e] as usize;
                        if self.settled_in[v] == round
                            && self.level[v] == self.level[u] + 1
                            && self.admissible(e, u, v)
                        {
                            self.path.push(e as u32);
                            advanced = true;
                            break;
                        }
                        self.cur[u] += 1;
                    }
                    if !advanced {
                        // Dead end: no path to a deficit through u in this phase.
                        self.level[u] = NONE;
                        if self.path.pop().is_none() {
                            break;
                        }
                    }
                }
            }
        }
    }

    /// Whether adjacency entry `e` (at node `u`, other end `v`) is a residual edge `u -> v` with
    /// reduced cost 0.
    #[inline]
    pub(super) fn admissible(&self, e: usize, u: usize, v: usize) -> bool {
        let c = self.out_cost[e];
        c != NO_EDGE && c + self.pot[u] - self.pot[v] == 0
    }

    /// Pushes the largest amount possible along `self.path` (adjacency entries from `s`, which has
    /// excess, to `t`, which has deficit).
    pub(super) fn augment_path(&mut self, s: usize, t: usize) {
        let mut amount = self.excess[s].min(-self.excess[t]);
        let mut u = s;
        for &e in &self.path {
            let e = e as usize;
            let g = self.adj_group[e] as usize;
            let fwd = self.group_entry_at_from[g] as usize == e;
            amount = amount.min(self.residual(g, fwd));
            u = self.adj_head[e] as usize;
        }
        debug_assert_eq!(u, t);
        for i in 0..self.path.len() {
            let e = self.path[i] as usize;
            let g = self.adj_group[e] as usize;
            let fwd = self.group_entry_at_from[g] as usize == e;
            self.push(g, fwd, amount);
        }
        self.excess[s] -= amount;
        self.excess[t] += amount;
        self.remaining -= amount;
    }

    /// The endpoint of entry `e`'s group other than `v`.
    #[inline]
    pub(super) fn adj_head_tail(&self, e: usize, v: usize) -> usize {
        let g = self.adj_group[e] as usize;
        let (a, b) = (self.group_from[g] as usize, self.group_to[g] as usize);
        if a == v {
            b
        } else {
            a
        }
    }
}
