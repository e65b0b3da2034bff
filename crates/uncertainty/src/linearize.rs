//! Piecewise linearization of the flow cost into an integer min-cost-flow problem (docs/MODEL.md
//! §3).
//!
//! The cost of a flow `f` carrying amount `A` is `Σ_e −ln P_e(f_e) + μ · fee_ppm_e · f_e / A`,
//! where the fee term is 0 on the directions leaving the sender: it pays nothing for its own
//! first hop (docs/MODEL.md §1).
//! Each term is convex in `f_e`, so it can be replaced by parallel arcs of increasing unit cost:
//! the solver fills the cheap arcs first, and the sum of arc costs follows the piecewise linear
//! approximation of the convex function.
//!
//! ## Flow unit (quantum)
//! The problem is solved in units of `quantum` msat (default 1000 msat = 1 sat, as the reference
//! package counts in sat). Everything is converted to whole units by rounding **down**
//! (capacities, the certain range) so that a flow of `k` units on a direction never exceeds what
//! the belief allows in msat; the demand is `ceil(amount / quantum)` units, and
//! [`flow_per_direction`] trims the excess (`< quantum` msat) off one source–target path so the
//! mapped flow carries exactly `amount`. Amounts below one quantum of usable range are invisible
//! to the solver; a smaller quantum is more exact and slower.
//!
//! ## Arcs of one direction `d`
//! With `min`, `max`, `in_flight` from the belief:
//! - usable range for new flow: `0 ..= top` with `top = max − in_flight` (0 if negative), capped
//!   at `htlc_maximum_msat` with `cap_at_htlc_max` (the default: the whole direction is limited
//!   to what one HTLC may carry, as Core Lightning's askrene does; the flow never has to split a
//!   hop's amount because of it). Without it the cap applies per part (docs/MODEL.md §5): the
//!   direction
//!   offers its whole range and the caller splits parts above `htlc_maximum_msat` (a channel
//!   forwards many HTLCs at once), the same as capping on a graph whose `htlc_maximum_msat`
//!   equal the capacities. If `htlc_minimum_msat` exceeds the capped range the direction is
//!   left out. With `source_uncapped` the directions leaving the round's source are not capped
//!   at their `htlc_maximum_msat`: the sender's node applies the maximum it advertises to what
//!   it forwards, not to what it sends.
//! - piece 0 (certain): `floor(min(certain, cap) / q)` units at zero uncertainty cost, where
//!   `certain = max(min − in_flight, 0)`;
//! - pieces `1..=N`: the units `floor(certain/q) ..= floor(top/q)` split into `N` pieces of equal
//!   width (boundaries `floor(k·W/N)`, empty pieces dropped), clipped at the cap.
//!   [`SlopeRule::Secant`] gives each the exact secant of `g(f) = −ln P(f)` over its range (in
//!   nats per unit), [`SlopeRule::Linear`] gives piece `k` the reference package's `k / W` (W the
//!   uncertain width in units). Both are non-decreasing in `k` (convexity): the secants of a
//!   convex function over consecutive intervals increase, and `k / W` obviously does.
//! - every arc adds the fee term `μ · fee_ppm · q / A` per unit, except the arcs of directions
//!   leaving the round's source ([`Round::source`]): the sender pays no fee on its own channels
//!   (docs/MODEL.md §1), so their cost is the uncertainty cost alone;
//! - with `cap_at_demand` (default off) the pieces are cut after the first `D` units (the
//!   demand): some optimal flow carries at most `D` over every direction (more would need a
//!   cycle, and with non-negative costs cancelling it does not raise the cost), so the optimal
//!   cost is the same while small payments get one or two arcs per direction instead of `N + 1`.
//!
//! Directions are left out when inactive (unless `include_inactive`), when their base fee exceeds
//! `base_fee_threshold` (default 0 msat, as the reference; the fee charged later is exact,
//! base fee included) unless they leave the sender (whose own base fee is never paid), when they
//! enter the sender or leave the receiver (with non-negative costs
//! an optimal flow never uses them), and, with `prune`, when `P(250,000 sat) < 0.9`; pruning also
//! keeps at most the first three arcs of a direction (the reference's `cnt > 1` cut-off).
//!
//! ## One implementation, used once or incrementally
//! [`IncrementalLinearizer`] (in [`incremental`]) computes the pieces; [`linearize`] builds one
//! and assembles a single problem. A payment loop keeps an `IncrementalLinearizer` across rounds
//! and payments: it recomputes only the directions whose belief entry changed and assembles
//! into reused buffers, optionally in [`ArcOrder::Endpoints`] order.
//!
//! ## Integer costs and their rounding error
//! Unit costs are real numbers (nats per unit); the solver needs integers. With the scale `S`
//! ([`Linearized::cost_scale`]) every arc gets `round(S · c)`. By default `S = 2^16 · D` for a
//! demand of `D` units, i.e. the integer cost unit is `2^-16` nats *per full amount*: sending the
//! whole amount over an arc of integer cost `k` costs `k · 2^-16` nats. If that would make an arc
//! cost exceed [`MAX_UNIT_COST`] (`2^40`), `S` is lowered until it does not (so a path of up to
//! `2^22` arcs costs less than `2^62` and potentials stay inside i64). `LinearizeParams::cost_scale`
//! overrides the default (still capped).
//!
//! **Rounding bound:** each arc's integer cost differs from `S · c` by at most `1/2`, so for any
//! flow `x` (in units per arc), `|Σ x_a · round(S·c_a) / S − Σ x_a · c_a| <= Σ x_a / (2S)`
//! ([`Linearized::rounding_bound`]). With the default scale that is `2^-17` nats times the
//! average number of hops a unit travels.

pub mod incremental;

pub use incremental::{ArcOrder, DetachedLinearizer, IncrementalLinearizer, Round};

use crate::belief::Belief;
use crate::error::UncertaintyError;
use pp_graph::{DirIdx, Graph, Msat, NodeIdx, MAX_SUPPLY_SAT};
use pp_mcf::{Adjacency, Problem, Solution};

/// The largest integer unit cost an arc may get (`2^40`); the scale is lowered to respect it.
pub const MAX_UNIT_COST: i64 = 1 << 40;

/// The amount the reference package's pruning tests: 250,000 sat.
pub const PRUNE_TEST_AMOUNT: Msat = Msat(250_000_000);

/// The probability below which pruning drops a direction: 0.9.
pub const PRUNE_MIN_PROBABILITY: f64 = 0.9;

/// How pruning limits the arcs of one direction (the reference keeps the first three).
pub const PRUNE_MAX_ARCS: usize = 3;

/// How the unit cost of each uncertain piece is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum SlopeRule {
    /// The exact secant of `−ln P` over the piece (default).
    #[default]
    Secant,
    /// The reference package's rule: piece `k` (1-based) costs `k / W`, W the uncertain width.
    Linear,
}

/// Default pieces per direction of the linearization: 5 pieces.
pub const DEFAULT_PIECES: u32 = 5;
/// Default flow unit of the linearization: 1,000 msat (1 sat).
pub const DEFAULT_QUANTUM: Msat = Msat(1000);

/// How a direction's `htlc_maximum_msat` limits its flow in the problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum HtlcMaxRule {
    /// The direction's whole flow is capped at its `htlc_maximum_msat` (default, as Core
    /// Lightning's askrene does; see also [`LinearizeParams::source_uncapped`]).
    #[default]
    PerDirection,
    /// The cap applies per part: the direction offers its whole usable range and the caller must
    /// split parts above `htlc_maximum_msat` (docs/MODEL.md §5; the 0.1 rule).
    PerPart,
}

/// The settings that shape each direction's pieces. They live across rounds (and payments):
/// changing one recomputes every direction's pieces, while the per-round settings of
/// [`LinearizeParams`] (μ, the base-fee threshold) only change costs and which directions take
/// part. `Default` gives docs/MODEL.md §3's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PieceShape {
    /// Number of equal-width pieces over the uncertain range (1..=255). Default:
    /// [`DEFAULT_PIECES`] (5 pieces).
    pub pieces: u32,
    /// Slope rule for the uncertain pieces (default [`SlopeRule::Secant`]).
    pub slopes: SlopeRule,
    /// The flow unit; must be > 0. Default: [`DEFAULT_QUANTUM`] (1,000 msat).
    pub quantum: Msat,
    /// Prune as the reference package does (default false; see the module docs).
    pub prune: bool,
    /// Route over inactive directions too (default false).
    pub include_inactive: bool,
    /// How `htlc_maximum_msat` caps a direction (default [`HtlcMaxRule::PerDirection`]).
    pub htlc_max: HtlcMaxRule,
}

impl Default for PieceShape {
    fn default() -> Self {
        PieceShape {
            pieces: DEFAULT_PIECES,
            slopes: SlopeRule::Secant,
            quantum: DEFAULT_QUANTUM,
            prune: false,
            include_inactive: false,
            htlc_max: HtlcMaxRule::PerDirection,
        }
    }
}

/// Parameters of [`linearize`] and [`IncrementalLinearizer`]: the [`PieceShape`] that lives
/// across rounds and the settings of one round. `Default` gives docs/MODEL.md §3's defaults.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinearizeParams {
    /// How the pieces are cut.
    #[cfg_attr(feature = "serde", serde(default))]
    pub shape: PieceShape,
    /// Weight of fees against `−ln P`, in nats per (ppm × fraction of the amount); finite and
    /// `>= 0`. Default 0 (reliability only); see [`crate::mu_from_frugality`]. Directions leaving
    /// the sender get no fee term (the sender pays no fee on its own channels).
    pub mu: f64,
    /// Directions whose `base_fee_msat` exceeds this are left out (default 0 msat), except the
    /// sender's own directions, whose base fee is never paid.
    pub base_fee_threshold: Msat,
    /// The integer cost scale `S`; `None` (default) picks `2^16 · demand_units`. Always lowered
    /// if needed so that no unit cost exceeds [`MAX_UNIT_COST`].
    pub cost_scale: Option<f64>,
    /// Cut each direction's pieces after the first `demand_units` units (default false). The
    /// optimal cost is unchanged (see the module docs), the optimal flow may differ among
    /// equally cheap ones; small payments get far fewer arcs.
    #[cfg_attr(feature = "serde", serde(default))]
    pub cap_at_demand: bool,
    /// Put each direction's base fee into its fee term (default false, the reference's model,
    /// where only `fee_ppm` counts). The base fee is a fixed charge per part, which no convex
    /// cost can represent; with this on it is replaced by its convex envelope over what the
    /// direction can carry in the round: a direction that could carry at most `u` msat of the
    /// round (its usable range, the demand and its `htlc_maximum_msat`, whichever is smallest)
    /// is charged as if its rate were `fee_ppm + base_fee_msat · 10^6 / u`. That is the largest
    /// linear function below the true fee on `0..=u`, so the model never overstates a base fee
    /// and states it exactly for a part that fills the direction (docs/MODEL.md, "Base fees in
    /// the cost").
    #[cfg_attr(feature = "serde", serde(default))]
    pub base_fee_in_cost: bool,
    /// Leave the directions out of the round's source uncapped by their `htlc_maximum_msat`
    /// (default false: every direction is capped as [`PieceShape::htlc_max`] says). A node
    /// applies the maximum it advertises to what it forwards, not to what it sends, and knows
    /// what each of its channels can send (LDK and Core Lightning read their own channels'
    /// limits from the channels, not from gossip); pp-session sets this with its local
    /// knowledge.
    #[cfg_attr(feature = "serde", serde(default))]
    pub source_uncapped: bool,
}

/// A linearized flow problem and the map from its arcs back to the graph.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Linearized {
    /// The min-cost-flow problem. Node ids are the graph's [`NodeIdx`] values; supply
    /// `demand_units` at the source, `−demand_units` at the target.
    pub problem: Problem,
    /// The direction each arc belongs to. The arcs of one direction are in piece order, and
    /// contiguous in [`ArcOrder::Direction`] (what [`linearize`] returns).
    pub arc_dir: Vec<DirIdx>,
    /// The piece of each arc: 0 for the certain piece, `1..=N` for the uncertain ones.
    pub arc_piece: Vec<u8>,
    /// The exact (real) unit cost of each arc in nats per unit, before integer rounding.
    pub arc_cost_exact: Vec<f64>,
    /// The flow unit in msat.
    pub quantum: Msat,
    /// The integer cost scale `S`: integer unit cost = `round(S × exact unit cost)`.
    pub cost_scale: f64,
    /// The demand in units: `ceil(amount / quantum)`.
    pub demand_units: i64,
    /// The sender.
    pub source: NodeIdx,
    /// The receiver.
    pub target: NodeIdx,
    /// The amount to deliver.
    pub amount: Msat,
}

impl Default for Linearized {
    /// An empty problem (no nodes, no arcs) to assemble into
    /// ([`IncrementalLinearizer::assemble`]).
    fn default() -> Self {
        Linearized {
            problem: Problem::new(0),
            arc_dir: Vec::new(),
            arc_piece: Vec::new(),
            arc_cost_exact: Vec::new(),
            quantum: DEFAULT_QUANTUM,
            cost_scale: 1.0,
            demand_units: 0,
            source: NodeIdx(0),
            target: NodeIdx(0),
            amount: Msat::ZERO,
        }
    }
}

impl Linearized {
    /// The exact linearized cost (nats) of a flow given in units per arc: `Σ x_a · c_a`.
    pub fn exact_cost(&self, flow: &[i64]) -> f64 {
        flow.iter()
            .zip(&self.arc_cost_exact)
            .map(|(&x, &c)| x as f64 * c)
            .sum()
    }

    /// The flow's integer cost divided by the scale: `Σ x_a · cost_a / S`.
    pub fn scaled_integer_cost(&self, flow: &[i64]) -> f64 {
        let total: i128 = flow
            .iter()
            .zip(&self.problem.cost)
            .map(|(&x, &c)| x as i128 * c as i128)
            .sum();
        total as f64 / self.cost_scale
    }

    /// The bound on `|scaled_integer_cost − exact_cost|` for this flow: `Σ |x_a| / (2S)`.
    pub fn rounding_bound(&self, flow: &[i64]) -> f64 {
        let units: f64 = flow.iter().map(|&x| x.unsigned_abs() as f64).sum();
        units / (2.0 * self.cost_scale)
    }
}

fn invalid(name: &'static str, reason: impl Into<String>) -> UncertaintyError {
    UncertaintyError::InvalidParameter {
        name,
        reason: reason.into(),
    }
}

/// The belief was built for `graph`.
fn check_belief(graph: &Graph, belief: &Belief) -> Result<(), UncertaintyError> {
    if belief.direction_count() != graph.direction_count() {
        return Err(UncertaintyError::GraphMismatch {
            belief: belief.direction_count(),
            graph: graph.direction_count(),
        });
    }
    Ok(())
}

/// Ends in the graph and distinct, amount in 1 msat ..= 21 million BTC, exclusions sized.
fn check_round(graph: &Graph, round: &Round<'_>) -> Result<(), UncertaintyError> {
    for node in [round.source, round.target] {
        if node.ix() >= graph.node_count() {
            return Err(UncertaintyError::NodeOutOfRange {
                node,
                nodes: graph.node_count(),
            });
        }
    }
    if round.source == round.target {
        return Err(UncertaintyError::SameNode { node: round.source });
    }
    let amount = round.amount;
    if amount == Msat::ZERO || amount.0 / 1000 > MAX_SUPPLY_SAT {
        return Err(UncertaintyError::InvalidAmount { amount });
    }
    if let Some(x) = round.excluded {
        if x.len() != graph.direction_count() {
            return Err(invalid(
                "excluded",
                format!(
                    "{} entries for {} directions",
                    x.len(),
                    graph.direction_count()
                ),
            ));
        }
    }
    Ok(())
}

/// Every parameter in its domain.
fn check_params(params: &LinearizeParams) -> Result<(), UncertaintyError> {
    if params.shape.pieces == 0 || params.shape.pieces > u8::MAX as u32 {
        return Err(invalid(
            "pieces",
            format!("{} is not in 1..=255", params.shape.pieces),
        ));
    }
    if !(params.mu.is_finite() && params.mu >= 0.0) {
        return Err(invalid(
            "mu",
            format!("{} is not a finite number >= 0", params.mu),
        ));
    }
    if params.shape.quantum == Msat::ZERO {
        return Err(invalid("quantum", "must be at least 1 msat"));
    }
    if let Some(s) = params.cost_scale {
        if !(s.is_finite() && s > 0.0) {
            return Err(invalid(
                "cost_scale",
                format!("{s} is not a finite number > 0"),
            ));
        }
    }
    Ok(())
}

/// Builds the round's flow problem from the belief: docs/MODEL.md §3's piecewise linearization of
/// `−ln P + μ·fee` for sending `amount` from `source` to `target` (see the module docs for the
/// arcs, the flow unit and the integer scaling).
///
/// The sender pays nothing for its own first hop (docs/MODEL.md §1), so the directions leaving
/// `source` get no fee term (their arcs cost the uncertainty cost alone) and are kept whatever
/// their base fee (`base_fee_threshold` applies to the other directions only).
///
/// # Errors
/// [`UncertaintyError::GraphMismatch`] when the belief belongs to another graph,
/// [`UncertaintyError::NodeOutOfRange`], [`UncertaintyError::SameNode`],
/// [`UncertaintyError::InvalidAmount`] (0 or above 21 million BTC) and
/// [`UncertaintyError::InvalidParameter`] for parameters out of their domain.
///
/// # Complexity
/// O(D · N) time and memory for D directions and N pieces: an [`IncrementalLinearizer`] built
/// once (a pass computing every direction's pieces) and assembled once (a pass writing arcs, one
/// scaling their costs).
pub fn linearize(
    graph: &Graph,
    belief: &Belief,
    source: NodeIdx,
    target: NodeIdx,
    amount: Msat,
    params: &LinearizeParams,
) -> Result<Linearized, UncertaintyError> {
    // Checked up front in this order (belief, ends, amount, parameters) so that an input with
    // several faults reports the first of them.
    let round = Round::new(source, target, amount);
    check_belief(graph, belief)?;
    check_round(graph, &round)?;
    check_params(params)?;
    let mut model = IncrementalLinearizer::new(graph, belief, params, ArcOrder::Direction)?;
    let mut out = Linearized::default();
    model.assemble(&round, &mut out)?;
    Ok(out)
}

/// Maps a solution of [`Linearized::problem`] back to msat per direction: the units of a
/// direction's arcs summed and multiplied by the quantum, then the excess `demand_units ·
/// quantum − amount` (less than one quantum) removed along one source–target path of the flow, so
/// that the result carries exactly `amount` and still conserves flow. Directions without flow are
/// omitted; the result is sorted by [`DirIdx`].
///
/// # Errors
/// [`UncertaintyError::InvalidSolution`] when the solution's length differs from the number of
/// arcs, a flow is negative or above its arc's capacity, or the flow has no source–target path
/// (it does not route the demand).
///
/// # Complexity
/// O(arcs + D log D) time.
pub fn flow_per_direction(
    lin: &Linearized,
    solution: &Solution,
) -> Result<Vec<(DirIdx, Msat)>, UncertaintyError> {
    let p = &lin.problem;
    if solution.flow.len() != p.num_arcs() {
        return Err(UncertaintyError::InvalidSolution {
            reason: format!("{} flows for {} arcs", solution.flow.len(), p.num_arcs()),
        });
    }
    let q = lin.quantum.0;
    // Aggregate per direction (arcs of a direction are contiguous).
    let mut dirs: Vec<(DirIdx, u64, u32, u32)> = Vec::new(); // (dir, units, from, to)
    for (a, &x) in solution.flow.iter().enumerate() {
        if x < 0 || x > p.capacity[a] {
            return Err(UncertaintyError::InvalidSolution {
                reason: format!("arc {a} carries {x} units, capacity is {}", p.capacity[a]),
            });
        }
        if x == 0 {
            continue;
        }
        let d = lin.arc_dir[a];
        match dirs.last_mut() {
            Some(last) if last.0 == d => last.1 += x as u64,
            _ => dirs.push((d, x as u64, p.from[a], p.to[a])),
        }
    }
    dirs.sort_unstable_by_key(|e| e.0);
    dirs.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 += b.1;
            true
        } else {
            false
        }
    });
    let mut out: Vec<(DirIdx, Msat)> = dirs
        .iter()
        .map(|&(d, units, _, _)| (d, Msat(units * q)))
        .collect();
    let excess = (lin.demand_units as u64 * q).saturating_sub(lin.amount.0);
    if excess > 0 {
        // Depth-first search for a source–target path over directions with flow.
        let n = p.num_nodes;
        let adj = Adjacency::build(
            n,
            dirs.iter()
                .enumerate()
                .map(|(k, &(_, _, u, _))| (u, k as u32)),
        );
        let mut via = vec![u32::MAX; n]; // entry in `dirs` used to reach a node
        let mut seen = vec![false; n];
        let mut stack = vec![lin.source.0];
        seen[lin.source.ix()] = true;
        while let Some(u) = stack.pop() {
            if u == lin.target.0 {
                break;
            }
            for &k in adj.of(u as usize) {
                let v = dirs[k as usize].3;
                if !seen[v as usize] {
                    seen[v as usize] = true;
                    via[v as usize] = k;
                    stack.push(v);
                }
            }
        }
        if !seen[lin.target.ix()] {
            return Err(UncertaintyError::InvalidSolution {
                reason: "the flow has no path from the source to the target".into(),
            });
        }
        let mut node = lin.target.0;
        while node != lin.source.0 {
            let k = via[node as usize] as usize;
            // Every direction with flow carries at least one unit = q > excess.
            out[k].1 .0 -= excess;
            node = dirs[k].2;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::incremental::neg_log_increase;
    use super::*;
    use pp_graph::{DirectionRecord, GraphBuilder, NodeId, Policy, Ppm};
    use pp_mcf::McfSolver;

    #[test]
    fn neg_log_increase_matches_direct_formula() {
        // Interval 100..=1099 (1000 values). g(x) = −ln((1100 − x)/1000) for x >= 100.
        let g = |x: f64| -((1100.0 - x.max(100.0)) / 1000.0).ln();
        for (a, b) in [(0, 50), (0, 600), (100, 600), (600, 1099), (1000, 1099)] {
            let got = neg_log_increase(100, 1099, a, b);
            let want = g(b as f64) - g(a as f64);
            assert!((got - want).abs() < 1e-12, "{a}..{b}: {got} vs {want}");
        }
    }

    struct Net {
        g: Graph,
        s: NodeIdx,
        a: NodeIdx,
        t: NodeIdx,
        sa: DirIdx,
        at: DirIdx,
    }

    fn pol(ppm: u32) -> Policy {
        Policy {
            base_fee_msat: Msat(0),
            fee_ppm: Ppm(ppm),
            cltv_delta: 40,
            htlc_minimum_msat: Msat(1),
            htlc_maximum_msat: Msat(10_000),
            active: true,
            last_update: 0,
        }
    }

    /// S(1) → A(2) → T(3) with capacity `cap` msat, plus directions that must be left out (or,
    /// for the sender's own base-fee channel, kept).
    fn net_cap(at_policy: Policy, cap: u64) -> Net {
        let mut b = GraphBuilder::new();
        let mut add = |k: u32, s: u32, t: u32, p: Policy| {
            b.add(&DirectionRecord {
                scid: pp_graph::ShortChannelId::new(1, k, 0).expect("scid"),
                source: NodeId::synthetic(s),
                destination: NodeId::synthetic(t),
                capacity: Msat(cap),
                policy: p,
            })
            .expect("valid")
        };
        add(1, 1, 2, pol(100));
        add(2, 2, 3, at_policy);
        add(3, 3, 1, pol(0)); // leaves the target / enters the source
        add(
            4,
            1,
            3,
            Policy {
                active: false,
                ..pol(0)
            },
        );
        add(
            5,
            1,
            3,
            Policy {
                base_fee_msat: Msat(1),
                ..pol(0)
            },
        );
        add(
            6,
            2,
            3,
            Policy {
                htlc_minimum_msat: Msat(10_000),
                htlc_maximum_msat: Msat(10_000),
                ..pol(0)
            },
        );
        add(
            7,
            2,
            3,
            Policy {
                base_fee_msat: Msat(1),
                ..pol(0)
            },
        );
        let g = b.build();
        let n = |k| g.node_index(&NodeId::synthetic(k)).expect("node");
        let (s, a, t) = (n(1), n(2), n(3));
        let sa = g.out_dirs(s).find(|&d| g.target(d) == a).expect("s→a");
        let at = g.out_dirs(a).find(|&d| g.scid(d).tx() == 2).expect("a→t");
        Net { g, s, a, t, sa, at }
    }

    fn net(at_policy: Policy) -> Net {
        net_cap(at_policy, 10_000)
    }

    /// The direction with htlc_minimum 10,000 msat.
    fn high_min(n: &Net) -> DirIdx {
        n.g.directions()
            .find(|&d| n.g.scid(d).tx() == 6)
            .expect("d6")
    }

    /// The direction with scid `1x<tx>x0`.
    fn by_tx(n: &Net, tx: u32) -> DirIdx {
        n.g.directions()
            .find(|&d| n.g.scid(d).tx() == tx)
            .expect("listed")
    }

    fn arcs_of(lin: &Linearized, d: DirIdx) -> Vec<usize> {
        (0..lin.arc_dir.len())
            .filter(|&k| lin.arc_dir[k] == d)
            .collect()
    }

    #[test]
    fn prior_pieces_and_secant_slopes_by_hand() {
        let n = net(pol(300));
        let mut b = Belief::new(&n.g);
        // htlc_minimum 10,000 msat above the usable 9,999 msat: excluded.
        b.learn_failed(high_min(&n), Msat(10_000)).expect("ok");
        let params = LinearizeParams {
            mu: 0.003,
            ..Default::default()
        };
        let lin = linearize(&n.g, &b, n.s, n.t, Msat(3000), &params).expect("ok");
        // S→A, A→T and the sender's own base-fee S→T survive the filters, 5 pieces each; A's
        // base-fee A→T does not.
        assert_eq!(lin.arc_dir.len(), 15);
        assert_eq!(arcs_of(&lin, by_tx(&n, 5)).len(), 5);
        assert!(arcs_of(&lin, by_tx(&n, 7)).is_empty());
        assert_eq!(lin.demand_units, 3);
        assert_eq!(lin.problem.supply[n.s.ix()], 3);
        assert_eq!(lin.problem.supply[n.t.ix()], -3);
        assert_eq!(lin.problem.supply[n.a.ix()], 0);
        let sa = arcs_of(&lin, n.sa);
        let at = arcs_of(&lin, n.at);
        assert_eq!((sa.len(), at.len()), (5, 5));
        // μ·ppm·q/A = 0.3 per unit on A→T (300 ppm); none on the sender's own S→A (100 ppm).
        let fee = 0.003 * 300.0 * 1000.0 / 3000.0;
        for (k, (&arc_sa, &arc_at)) in sa.iter().zip(&at).enumerate() {
            let k = k as f64 + 1.0;
            // Secant of −ln((10001 − x)/10001) over [2000(k−1), 2000k], per unit of 1000 msat.
            let secant = ((10001.0 - 2000.0 * (k - 1.0)) / (10001.0 - 2000.0 * k)).ln() / 2.0;
            for (arc, want_exact) in [(arc_sa, secant), (arc_at, secant + fee)] {
                assert_eq!(lin.arc_piece[arc], k as u8);
                assert_eq!(lin.problem.capacity[arc], 2);
                assert!((lin.arc_cost_exact[arc] - want_exact).abs() < 1e-12);
                let want = (lin.arc_cost_exact[arc] * lin.cost_scale).round() as i64;
                assert_eq!(lin.problem.cost[arc], want);
            }
        }
        assert_eq!(lin.cost_scale, 65536.0 * 3.0);
        // The first secant: ln(10001/8001)/2 ≈ 0.111559277.
        assert!((lin.arc_cost_exact[sa[0]] - 0.111_559_277).abs() < 1e-9);
        // Linear rule: piece k costs k/W = k/10 per unit.
        let lin = linearize(
            &n.g,
            &b,
            n.s,
            n.t,
            Msat(3000),
            &LinearizeParams {
                shape: PieceShape {
                    slopes: SlopeRule::Linear,
                    ..PieceShape::default()
                },
                ..Default::default()
            },
        )
        .expect("ok");
        for (k, &arc) in arcs_of(&lin, n.sa).iter().enumerate() {
            assert!((lin.arc_cost_exact[arc] - (k as f64 + 1.0) / 10.0).abs() < 1e-15);
        }
    }

    #[test]
    fn learned_belief_gives_a_certain_piece_and_narrower_pieces() {
        let n = net(pol(0));
        let mut b = Belief::new(&n.g);
        b.learn_forwarded(n.sa, Msat(4500)).expect("ok");
        b.learn_failed(n.sa, Msat(8201)).expect("ok");
        b.reserve(n.sa, Msat(1000)).expect("ok");
        let lin =
            linearize(&n.g, &b, n.s, n.t, Msat(3000), &LinearizeParams::default()).expect("ok");
        let sa = arcs_of(&lin, n.sa);
        // certain = 3500 → 3 units; top = 7200 → 7 units; width 4 split in 5: 3,3,4,5,6,7.
        let pieces: Vec<u8> = sa.iter().map(|&k| lin.arc_piece[k]).collect();
        assert_eq!(pieces, vec![0, 2, 3, 4, 5]);
        let caps: Vec<i64> = sa.iter().map(|&k| lin.problem.capacity[k]).collect();
        assert_eq!(caps, vec![3, 1, 1, 1, 1]);
        assert_eq!(lin.arc_cost_exact[sa[0]], 0.0);
        // Piece over units 3..4 = 4000..5000 msat in flight included; below min 4500 it is free.
        let want = (3701.0f64 / 3201.0).ln();
        assert!((lin.arc_cost_exact[sa[1]] - want).abs() < 1e-12);
        for w in sa.windows(2) {
            assert!(lin.arc_cost_exact[w[0]] <= lin.arc_cost_exact[w[1]]);
            assert!(lin.problem.cost[w[0]] <= lin.problem.cost[w[1]]);
        }
    }

    #[test]
    fn htlc_maximum_caps_the_pieces_and_prune_keeps_three() {
        let n = net(Policy {
            htlc_maximum_msat: Msat(5000),
            ..pol(0)
        });
        let b = Belief::new(&n.g);
        let lin =
            linearize(&n.g, &b, n.s, n.t, Msat(3000), &LinearizeParams::default()).expect("ok");
        let at = arcs_of(&lin, n.at);
        let caps: Vec<i64> = at.iter().map(|&k| lin.problem.capacity[k]).collect();
        assert_eq!(caps, vec![2, 2, 1]);
        let last = (6001.0f64 / 5001.0).ln();
        assert!((lin.arc_cost_exact[at[2]] - last).abs() < 1e-12);
        // Pruning: P(250,000 sat) over 10,000 msat channels is 0 → everything is dropped.
        let pruned = LinearizeParams {
            shape: PieceShape {
                prune: true,
                ..PieceShape::default()
            },
            ..Default::default()
        };
        let lin = linearize(&n.g, &b, n.s, n.t, Msat(3000), &pruned).expect("ok");
        assert_eq!(lin.arc_dir.len(), 0);
        // 1M sat channels: P(250k sat) = 0.75 at the prior → dropped; once 100k sat are known
        // to be there, P = (1e9 + 1 − 2.5e8) / (1e9 + 1 − 1e8) ≈ 0.833 → still dropped; with
        // 200k sat known, ≈ 0.9375 → kept with at most three arcs (certain piece + 2).
        let big = |ppm| Policy {
            htlc_maximum_msat: Msat(1_000_000_000),
            ..pol(ppm)
        };
        let n = net_cap(big(0), 1_000_000_000);
        let mut b = Belief::new(&n.g);
        b.learn_forwarded(n.sa, Msat(100_000_000)).expect("ok");
        b.learn_forwarded(n.at, Msat(200_000_000)).expect("ok");
        let lin = linearize(&n.g, &b, n.s, n.t, Msat(3000), &pruned).expect("ok");
        assert!(arcs_of(&lin, n.sa).is_empty());
        let at = arcs_of(&lin, n.at);
        assert_eq!(
            at.iter().map(|&k| lin.arc_piece[k]).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        let unpruned =
            linearize(&n.g, &b, n.s, n.t, Msat(3000), &LinearizeParams::default()).expect("ok");
        assert_eq!(arcs_of(&unpruned, n.at).len(), 6);
        // S→A keeps its 10,000 msat htlc_maximum: inside the certain range, one arc.
        let sa = arcs_of(&unpruned, n.sa);
        assert_eq!((sa.len(), unpruned.problem.capacity[sa[0]]), (1, 10));
        // With `source_uncapped` S→A, the sender's own, is not capped: the certain 100,000 sat
        // and five uncertain pieces.
        let own = LinearizeParams {
            source_uncapped: true,
            ..Default::default()
        };
        let lin = linearize(&n.g, &b, n.s, n.t, Msat(3000), &own).expect("ok");
        let sa = arcs_of(&lin, n.sa);
        assert_eq!((sa.len(), lin.problem.capacity[sa[0]]), (6, 100_000));
    }

    #[test]
    fn the_most_pieces_a_direction_can_have() {
        // 255 uncertain pieces plus the certain one: 256 arcs on S→A.
        let n = net(pol(0));
        let mut b = Belief::new(&n.g);
        b.learn_forwarded(n.sa, Msat(1000)).expect("ok");
        let params = LinearizeParams {
            shape: PieceShape {
                pieces: 255,
                quantum: Msat(1),
                ..PieceShape::default()
            },
            ..Default::default()
        };
        let lin = linearize(&n.g, &b, n.s, n.t, Msat(3000), &params).expect("ok");
        let sa = arcs_of(&lin, n.sa);
        assert_eq!(sa.len(), 256);
        assert_eq!(lin.arc_piece[sa[0]], 0);
        assert_eq!(lin.arc_piece[sa[255]], 255);
        let units: i64 = sa.iter().map(|&k| lin.problem.capacity[k]).sum();
        assert_eq!(units, 10_000);
    }

    #[test]
    fn inactive_and_base_fee_filters_are_switchable() {
        let n = net(pol(0));
        let b = Belief::new(&n.g);
        // Defaults: S→A, A→T, the sender's own base-fee S→T (its base fee is never paid) and
        // (usable at the prior) the htlc_minimum 10,000 msat A→T: 4 directions × 5 pieces. The
        // inactive S→T and A's base-fee A→T are left out.
        let lin =
            linearize(&n.g, &b, n.s, n.t, Msat(3000), &LinearizeParams::default()).expect("ok");
        assert_eq!(lin.arc_dir.len(), 20);
        assert!(arcs_of(&lin, by_tx(&n, 4)).is_empty());
        assert!(arcs_of(&lin, by_tx(&n, 7)).is_empty());
        let p = LinearizeParams {
            shape: PieceShape {
                include_inactive: true,
                ..PieceShape::default()
            },
            base_fee_threshold: Msat(1),
            ..Default::default()
        };
        let lin = linearize(&n.g, &b, n.s, n.t, Msat(3000), &p).expect("ok");
        // ... plus the inactive S→T and A's base-fee A→T: 6 directions × 5 pieces.
        assert_eq!(lin.arc_dir.len(), 30);
        // Seen from A (A → T), A's base-fee channel is its own: kept at threshold 0.
        let lin =
            linearize(&n.g, &b, n.a, n.t, Msat(3000), &LinearizeParams::default()).expect("ok");
        assert_eq!(arcs_of(&lin, by_tx(&n, 7)).len(), 5);
    }

    /// docs/MODEL.md §1: the sender pays no fee on its own channels. S has two routes to T: over
    /// its own dear channel S→X (base fee 1000 msat, 5000 ppm) then a free X→T, or over its own
    /// free S→Y then Y→T at 2000 ppm. Only the second costs a fee, so with a strong fee weight the
    /// flow takes the first, which the old cost (fee term and base-fee filter on every
    /// direction) ruled out.
    #[test]
    fn the_senders_own_dear_channel_costs_no_fee() {
        let mut b = GraphBuilder::new();
        for (k, s, t, base, ppm) in [
            (1, 1, 2, 1000, 5000), // S → X: S's own, dear
            (2, 2, 4, 0, 0),       // X → T: free
            (3, 1, 3, 0, 0),       // S → Y: S's own, free
            (4, 3, 4, 0, 2000),    // Y → T: 2000 ppm
        ] {
            b.add(&DirectionRecord {
                scid: pp_graph::ShortChannelId::new(1, k, 0).expect("scid"),
                source: NodeId::synthetic(s),
                destination: NodeId::synthetic(t),
                capacity: Msat(1_000_000),
                policy: Policy {
                    base_fee_msat: Msat(base),
                    htlc_maximum_msat: Msat(1_000_000),
                    ..pol(ppm)
                },
            })
            .expect("valid");
        }
        let g = b.build();
        let node = |k| g.node_index(&NodeId::synthetic(k)).expect("node");
        let (s, t) = (node(1), node(4));
        let dir = |tx| {
            g.directions()
                .find(|&d| g.scid(d).tx() == tx)
                .expect("listed")
        };
        let belief = Belief::new(&g);
        let params = LinearizeParams {
            mu: 1.0,
            ..Default::default()
        };
        let amount = Msat(100_000);
        let lin = linearize(&g, &belief, s, t, amount, &params).expect("ok");
        // The sender's arcs cost the pure uncertainty cost; Y→T adds μ·ppm·q/A = 0.02 per unit.
        let uncertainty = linearize(
            &g,
            &belief,
            s,
            t,
            amount,
            &LinearizeParams {
                mu: 0.0,
                ..params.clone()
            },
        )
        .expect("ok");
        for d in [dir(1), dir(3), dir(2)] {
            let (a, b) = (arcs_of(&lin, d), arcs_of(&uncertainty, d));
            assert_eq!(a.len(), 5);
            for (&x, &y) in a.iter().zip(&b) {
                assert_eq!(lin.arc_cost_exact[x], uncertainty.arc_cost_exact[y]);
            }
        }
        for (&x, &y) in arcs_of(&lin, dir(4))
            .iter()
            .zip(&arcs_of(&uncertainty, dir(4)))
        {
            let fee = 1.0 * 2000.0 * 1000.0 / 100_000.0;
            assert!((lin.arc_cost_exact[x] - uncertainty.arc_cost_exact[y] - fee).abs() < 1e-12);
        }
        // The cut bound counts the sender's base-fee S→X too: 1000 + 1000 units leave S.
        let mut model =
            IncrementalLinearizer::new(&g, &belief, &params, ArcOrder::Direction).expect("ok");
        assert_eq!(model.cut_bound(&Round::new(s, t, amount)), Ok(2000));
        // Solved: everything goes over S→X→T.
        let sol = pp_mcf::NativeSolver::new()
            .solve(&lin.problem)
            .expect("feasible");
        let flows = flow_per_direction(&lin, &sol).expect("valid");
        let mut want = vec![(dir(1), amount), (dir(2), amount)];
        want.sort();
        assert_eq!(flows, want);
    }

    #[test]
    fn flow_maps_back_to_exact_msat() {
        let n = net(pol(0));
        let b = Belief::new(&n.g);
        let lin =
            linearize(&n.g, &b, n.s, n.t, Msat(2500), &LinearizeParams::default()).expect("ok");
        assert_eq!(lin.demand_units, 3);
        let mut flow = vec![0i64; lin.problem.num_arcs()];
        let sa = arcs_of(&lin, n.sa);
        let at = arcs_of(&lin, n.at);
        flow[sa[0]] = 2;
        flow[sa[1]] = 1;
        flow[at[0]] = 2;
        flow[at[1]] = 1;
        let sol = Solution {
            flow: flow.clone(),
            cost: 0,
            potentials: None,
        };
        let got = flow_per_direction(&lin, &sol).expect("valid");
        let mut want = vec![(n.sa, Msat(2500)), (n.at, Msat(2500))];
        want.sort();
        assert_eq!(got, want);
        // Rounding bound holds for this flow.
        let err = (lin.scaled_integer_cost(&flow) - lin.exact_cost(&flow)).abs();
        assert!(err <= lin.rounding_bound(&flow));
        // Malformed solutions are errors.
        let short = Solution {
            flow: vec![0; 3],
            cost: 0,
            potentials: None,
        };
        assert!(matches!(
            flow_per_direction(&lin, &short),
            Err(UncertaintyError::InvalidSolution { .. })
        ));
        flow[sa[0]] = 3;
        let over = Solution {
            flow,
            cost: 0,
            potentials: None,
        };
        assert!(matches!(
            flow_per_direction(&lin, &over),
            Err(UncertaintyError::InvalidSolution { .. })
        ));
        let empty = Solution {
            flow: vec![0; lin.problem.num_arcs()],
            cost: 0,
            potentials: None,
        };
        assert!(matches!(
            flow_per_direction(&lin, &empty),
            Err(UncertaintyError::InvalidSolution { .. })
        ));
    }

    #[test]
    fn bad_parameters_are_errors() {
        let n = net(pol(0));
        let b = Belief::new(&n.g);
        let ok = LinearizeParams::default();
        let run = |s, t, amt, p: &LinearizeParams| linearize(&n.g, &b, s, t, Msat(amt), p);
        assert!(matches!(
            run(n.s, n.s, 1, &ok),
            Err(UncertaintyError::SameNode { .. })
        ));
        assert!(matches!(
            run(n.s, NodeIdx(99), 1, &ok),
            Err(UncertaintyError::NodeOutOfRange { .. })
        ));
        assert!(matches!(
            run(n.s, n.t, 0, &ok),
            Err(UncertaintyError::InvalidAmount { .. })
        ));
        for p in [
            LinearizeParams {
                shape: PieceShape {
                    pieces: 0,
                    ..PieceShape::default()
                },
                ..Default::default()
            },
            LinearizeParams {
                shape: PieceShape {
                    pieces: 256,
                    ..PieceShape::default()
                },
                ..Default::default()
            },
            LinearizeParams {
                mu: -1.0,
                ..Default::default()
            },
            LinearizeParams {
                mu: f64::NAN,
                ..Default::default()
            },
            LinearizeParams {
                shape: PieceShape {
                    quantum: Msat(0),
                    ..PieceShape::default()
                },
                ..Default::default()
            },
            LinearizeParams {
                cost_scale: Some(0.0),
                ..Default::default()
            },
        ] {
            assert!(matches!(
                run(n.s, n.t, 1000, &p),
                Err(UncertaintyError::InvalidParameter { .. })
            ));
        }
        let other = GraphBuilder::new().build();
        assert!(matches!(
            linearize(&other, &b, n.s, n.t, Msat(1), &ok),
            Err(UncertaintyError::GraphMismatch { .. })
        ));
    }

    #[test]
    fn cost_scale_is_capped() {
        let n = net(pol(0));
        let b = Belief::new(&n.g);
        let p = LinearizeParams {
            cost_scale: Some(1e30),
            ..Default::default()
        };
        let lin = linearize(&n.g, &b, n.s, n.t, Msat(3000), &p).expect("ok");
        assert!(lin.problem.cost.iter().all(|&c| c <= MAX_UNIT_COST));
        assert!(lin.problem.cost.contains(&MAX_UNIT_COST));
    }
}
