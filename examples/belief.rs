//! pp-uncertainty in one page: what we believe about remote liquidity, how it learns from
//! forwarded and failed HTLCs, and how it becomes a min-cost-flow problem.
//!
//! ```text
//! cargo run --example belief
//! ```
//!
//! Runs on the toy graph of data/README.md (four nodes A, B, C, D), where every number can be
//! checked by hand: channel A–B holds 1,000,000 sat, so with nothing known the liquidity from A
//! to B is uniform on 0..=1,000,000,000 msat and sending 250,000 sat succeeds with probability
//! (10^9 + 1 − 2.5·10^8) / (10^9 + 1) ≈ 0.75.

use pp_examples::{data_file, main_with};
use pp_graph::{DirIdx, Graph, Msat, NodeId};
use pp_mcf::solver_by_name;
use pp_uncertainty::{
    flow_per_direction, linearize, mu_from_frugality, Belief, LinearizeParams, UncertaintyError,
};
use std::error::Error;
use std::io::Write;
use std::process::ExitCode;

const fn sat(n: u64) -> Msat {
    Msat(n * 1000)
}

/// The toy graph's nodes are `02` followed by 32 times `aa`, `bb`, `cc` or `dd`: A, B, C, D.
fn toy_node(letter: char) -> NodeId {
    let byte = letter.to_ascii_lowercase().to_string().repeat(2);
    format!("02{}", byte.repeat(32))
        .parse()
        .expect("a valid node id")
}

fn name(graph: &Graph, d: DirIdx) -> String {
    let letter = |n| graph.node_id(n).to_string()[2..3].to_ascii_uppercase();
    format!(
        "{}→{} ({})",
        letter(graph.source(d)),
        letter(graph.target(d)),
        graph.scid(d)
    )
}

fn show(out: &mut dyn Write, graph: &Graph, b: &Belief, d: DirIdx) -> std::io::Result<()> {
    writeln!(
        out,
        "  {}: min {} max {} sat, in flight {} sat, entropy {:.2} bits; P(250,000 sat) = {:.4}, P(600,000 sat) = {:.4}",
        name(graph, d),
        b.min(d).to_sat_floor().get(),
        b.max(d).to_sat_floor().get(),
        b.in_flight(d).to_sat_floor().get(),
        b.entropy_bits(d),
        b.probability(d, sat(250_000)),
        b.probability(d, sat(600_000)),
    )
}

fn run(_args: &[String], out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let graph = pp_graph::load_path(&data_file("toy.listchannels.json"))?.graph;
    let (a, d) = (toy_node('A'), toy_node('D'));
    let ab = graph
        .direction_from("103x1x0".parse()?, &a)
        .ok_or("A–B is in the toy graph")?;
    let ba = graph.reverse(ab).ok_or("both directions are listed")?;

    // The prior: min = 0, max = capacity on every direction.
    let mut belief = Belief::new(&graph);
    let prior_bits = belief.total_entropy_bits();
    writeln!(out, "prior (total entropy {prior_bits:.2} bits):")?;
    show(out, &graph, &belief, ab)?;

    // A→B forwarded 300,000 sat: at least that much is there, so B→A holds at most the rest.
    belief.learn_forwarded(ab, sat(300_000))?;
    writeln!(out, "after A→B forwarded 300,000 sat:")?;
    show(out, &graph, &belief, ab)?;
    show(out, &graph, &belief, ba)?;

    // A→B failed to forward 800,000 sat: at most 799,999.999 sat is there.
    belief.learn_failed(ab, sat(800_000))?;
    writeln!(out, "after A→B failed 800,000 sat:")?;
    show(out, &graph, &belief, ab)?;

    // A report that contradicts what we know is an error, and the belief stays as it was.
    let before = belief.clone();
    match belief.learn_failed(ab, sat(100_000)) {
        Err(e @ UncertaintyError::FailedAtOrBelowMin { .. }) => {
            writeln!(out, "a liar says A→B failed 100,000 sat: {e}")?
        }
        other => return Err(format!("expected a contradiction, got {other:?}").into()),
    }
    assert_eq!(belief, before);

    // Our own HTLCs in flight count against the liquidity: P uses x = amount + in_flight.
    belief.reserve(ab, sat(200_000))?;
    writeln!(out, "with 200,000 sat of ours in flight on A→B:")?;
    show(out, &graph, &belief, ab)?;
    belief.release(ab, sat(200_000))?;
    writeln!(
        out,
        "learned {:.2} bits in total",
        prior_bits - belief.total_entropy_bits()
    )?;

    // μ from a frugality factor (Core Lightning's rule): how many nats one ppm of fee is worth.
    let amount = sat(300_000);
    let mu = mu_from_frugality(&graph, amount, 1.0)?;
    writeln!(
        out,
        "\nμ for {} sat at frugality 1: {:.6} (median capacity {} sat, median fee {} ppm over {} directions)",
        amount.to_sat_floor().get(),
        mu.mu,
        mu.median_capacity_msat.to_sat_floor().get(),
        mu.median_fee_ppm.get(),
        mu.channels_considered
    )?;

    // The belief as a flow problem: per direction a free piece for the certain liquidity and 5
    // convex pieces over the uncertain rest, plus μ·fee. The default base-fee threshold (0, as
    // in the reference package) would leave out every channel charging a base fee; allow 1 sat.
    let params = LinearizeParams {
        mu: mu.mu,
        base_fee_threshold: sat(1),
        ..LinearizeParams::default()
    };
    let (from, to) = (
        graph.node_index(&a).ok_or("A")?,
        graph.node_index(&d).ok_or("D")?,
    );
    let lin = linearize(&graph, &belief, from, to, amount, &params)?;
    writeln!(
        out,
        "A→D {} sat: {} arcs, flow unit {}, {} units, integer cost scale {:.0}",
        amount.to_sat_floor().get(),
        lin.problem.num_arcs(),
        lin.quantum,
        lin.demand_units,
        lin.cost_scale
    )?;
    let solution = solver_by_name("native")?.solve(&lin.problem)?;
    writeln!(
        out,
        "optimal flow: cost {:.6} nats (integer cost / scale {:.6}, rounding bound {:.2e})",
        lin.exact_cost(&solution.flow),
        lin.scaled_integer_cost(&solution.flow),
        lin.rounding_bound(&solution.flow)
    )?;
    for (dir, msat) in flow_per_direction(&lin, &solution)? {
        writeln!(
            out,
            "  {}: {} sat, P = {:.4}",
            name(&graph, dir),
            msat.to_sat_floor().get(),
            belief.probability(dir, msat)
        )?;
    }
    Ok(())
}

fn main() -> ExitCode {
    main_with(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_examples::capture;

    #[test]
    fn numbers_checked_by_hand() {
        let out = capture(run, &[]).unwrap();
        // Prior: P(250,000 sat of 1,000,000) = (10^9 + 1 − 2.5·10^8)/(10^9 + 1).
        assert!(out.contains("A→B (103x1x0): min 0 max 1000000 sat, in flight 0 sat, entropy 29.90 bits; P(250,000 sat) = 0.7500"), "{out}");
        // Forwarded 300,000: B→A holds at most 700,000; P(600,000 more over A→B) = 4/7.
        assert!(out.contains("A→B (103x1x0): min 300000 max 1000000 sat, in flight 0 sat, entropy 29.38 bits; P(250,000 sat) = 1.0000, P(600,000 sat) = 0.5714"), "{out}");
        assert!(out.contains("B→A (103x1x0): min 0 max 700000 sat"), "{out}");
        // Failed 800,000: max = 799,999.999 sat (floored to 799,999 when printed in sat).
        assert!(out.contains("min 300000 max 799999 sat"), "{out}");
        assert!(
            out.contains(
                "reported to fail 100000000msat, but the belief says at least 300000000msat"
            ),
            "{out}"
        );
        // 200,000 in flight: 250,000 more means x = 450,000 > min.
        assert!(out.contains("in flight 200000 sat"), "{out}");
        assert!(out.contains("A→D 300000 sat: "), "{out}");
    }

    #[test]
    fn the_flow_delivers_the_amount() {
        let out = capture(run, &[]).unwrap();
        let into_d: u64 = out
            .lines()
            .filter(|l| l.contains("→D ("))
            .map(|l| {
                let sat = l.split(": ").nth(1).unwrap().split(' ').next().unwrap();
                sat.parse::<u64>().unwrap()
            })
            .sum();
        assert_eq!(into_d, 300_000, "{out}");
    }
}
