//! The incremental linearizer's assembly: one round's flow problem written from the cached
//! pieces into reused buffers.

use super::*;

impl IncrementalLinearizer<'_> {
    /// Writes `round`'s problem into `out`, reusing its buffers; every field of `out` describes
    /// this round afterwards. The problem is that of the belief of the last sync.
    ///
    /// The arcs are those of docs/MODEL.md §3 (and the header of crates/uncertainty/src/linearize.rs), in this linearizer's
    /// [`ArcOrder`]; with `cap_at_demand` a direction's pieces are cut after the first
    /// `demand_units` units.
    ///
    /// # Errors
    /// [`UncertaintyError::NodeOutOfRange`], [`UncertaintyError::SameNode`],
    /// [`UncertaintyError::InvalidAmount`] (0 or above 21 million BTC), and
    /// [`UncertaintyError::InvalidParameter`] when `round.excluded` does not have one entry per
    /// direction.
    ///
    /// # Complexity
    /// O(D + arcs), plus sorting the pieces of each group of parallel channels with
    /// [`ArcOrder::Endpoints`].
    pub fn assemble(
        &mut self,
        round: &Round<'_>,
        out: &mut Linearized,
    ) -> Result<(), UncertaintyError> {
        check_round(self.graph, round)?;
        self.set_own_source(round.source);
        // Pieces computed up front (in parallel when many are stale, e.g. on a fresh belief);
        // the loop below then only finds a stale direction in none.
        self.refresh_pieces();
        let graph = self.graph;
        let LinearizeParams {
            shape: PieceShape { quantum, .. },
            mu,
            base_fee_threshold: threshold,
            cap_at_demand,
            cost_scale,
            base_fee_in_cost,
            ..
        } = self.f.params;
        let q = quantum.0;
        let demand = round.amount.0.div_ceil(q);
        let fee_factor = mu * q as f64 / round.amount.0 as f64;
        let excluded = round.excluded.unwrap_or(&[]);
        let (source, target) = (round.source.0, round.target.0);
        let threshold = threshold.0;

        let p = &mut out.problem;
        p.num_nodes = graph.node_count();
        p.from.clear();
        p.to.clear();
        p.capacity.clear();
        p.cost.clear();
        p.supply.clear();
        p.supply.resize(graph.node_count(), 0);
        out.arc_dir.clear();
        out.arc_piece.clear();
        out.arc_cost_exact.clear();

        let grouped = !self.f.run_end.is_empty();
        let mut merge = std::mem::take(&mut self.f.merge);
        let d = self.f.count.len();
        let mut k = 0;
        while k < d {
            let end = if grouped {
                self.f.run_end[k] as usize
            } else {
                k + 1
            };
            let single = end == k + 1;
            merge.clear();
            for pos in k..end {
                if self.f.count[pos] == 0 {
                    continue;
                }
                let e = self.dir_at(pos);
                let (u, v) = (self.f.pos_src[pos], self.f.pos_dst[pos]);
                // The sender pays no fee on its own directions (docs/MODEL.md §1): no fee term, and
                // the base-fee threshold does not apply to them.
                let own = u == source;
                if u == target
                    || v == source
                    || (!own && self.f.pos_base_fee[pos] > threshold)
                    || excluded.get(e).copied().unwrap_or(false)
                {
                    continue;
                }
                let n = self.pieces_at(pos, e);
                if n == 0 {
                    continue;
                }
                let base = pos * self.f.stride;
                let fee_cost = if own {
                    0.0
                } else if base_fee_in_cost && self.f.pos_base_fee[pos] > 0 {
                    // The base fee's convex envelope over what the direction can carry in this
                    // round (see `LinearizeParams::base_fee_in_cost`).
                    let u = self.f.room[pos].min(demand).max(1);
                    let rate = self.f.pos_ppm[pos] as f64
                        + self.f.pos_base_fee[pos] as f64 * 1e6 / (u * q) as f64;
                    fee_factor * rate
                } else {
                    fee_factor * self.f.pos_ppm[pos] as f64
                };
                let mut used = 0u64;
                for s in base..base + n {
                    let mut units = self.f.slot_units[s];
                    if cap_at_demand {
                        if used >= demand {
                            break;
                        }
                        units = units.min(demand - used);
                        used += units;
                    }
                    let c = self.f.slot_slope[s] + fee_cost;
                    if single {
                        p.from.push(u);
                        p.to.push(v);
                        p.capacity.push(units as i64);
                        out.arc_dir.push(DirIdx(e as u32));
                        out.arc_piece.push(self.f.slot_piece[s]);
                        out.arc_cost_exact.push(c);
                    } else {
                        merge.push((c, e as u32, self.f.slot_piece[s], units));
                    }
                }
            }
            if !merge.is_empty() {
                merge
                    .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
                let (u, v) = (self.f.pos_src[k], self.f.pos_dst[k]);
                for &(c, e, piece, units) in &merge {
                    p.from.push(u);
                    p.to.push(v);
                    p.capacity.push(units as i64);
                    out.arc_dir.push(DirIdx(e));
                    out.arc_piece.push(piece);
                    out.arc_cost_exact.push(c);
                }
            }
            k = end;
        }
        self.f.merge = merge;

        // Integer scaling (see the module docs of `crate::linearize`).
        let max_exact = out.arc_cost_exact.iter().copied().fold(0.0_f64, f64::max);
        let mut scale = cost_scale.unwrap_or(65536.0 * demand as f64);
        if max_exact * scale > MAX_UNIT_COST as f64 {
            scale = MAX_UNIT_COST as f64 / max_exact;
        }
        p.cost
            .extend(out.arc_cost_exact.iter().map(|&c| round_nonneg(c * scale)));
        p.set_single_pair(source, target, demand as i64);
        out.quantum = quantum;
        out.cost_scale = scale;
        out.demand_units = demand as i64;
        out.source = round.source;
        out.target = round.target;
        out.amount = round.amount;
        Ok(())
    }
}
