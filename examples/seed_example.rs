//! The example of the reference Python package's README (`pickhardtpayments`), line by line in
//! Rust, for users switching from it. Each Python line is the comment above its equivalent.
//!
//! ```text
//! cargo run --example seed_example                     # the embedded default graph
//! cargo run --example seed_example -- LISTCHANNELS     # e.g. a real snapshot, plain or gzip
//! ```
//!
//! Differences worth knowing:
//! - the README never creates `oracle_lightning_network` (its examples/basicexample.py does); we
//!   do, from a seed, so runs are reproducible (the Python oracle draws unseeded balances);
//! - `mu` and `base` are arguments of `pickhardt_pay` in Python and session parameters here;
//! - the two public keys are those of the README; a graph without them (the default graph is
//!   synthetic) falls back to well-connected stand-ins (the nodes with the most capacity, the
//!   second not adjacent to the first), and says so;
//! - the Python session logs its statistics as it goes; here `pay` returns a `PaymentReport`
//!   (serde-serializable) and we print it.

use pp_examples::{data_file, main_with};
use pp_graph::{Graph, Msat, NodeId, NodeIdx, Sat};
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

// from pickhardtpayments.ChannelGraph import ChannelGraph
// from pickhardtpayments.UncertaintyNetwork import UncertaintyNetwork
// from pickhardtpayments.OracleLightningNetwork import OracleLightningNetwork
// from pickhardtpayments.SyncSimulatedPaymentSession import SyncSimulatedPaymentSession
use pp_session::{Oracle, PayParams, Session};
use pp_uncertainty::Belief;

/// The node of `graph` with public key `key`; if there is none, the node with the most channel
/// capacity other than `avoid` and its neighbours (so that a payment between two stand-ins
/// crosses the network rather than one channel), with a note saying so.
fn node_or_hub(
    graph: &Graph,
    key: &str,
    avoid: Option<&NodeId>,
    out: &mut dyn Write,
) -> Result<NodeId, Box<dyn Error>> {
    let wanted: NodeId = key.parse()?;
    if graph.node_index(&wanted).is_some() {
        return Ok(wanted);
    }
    let avoid = avoid.and_then(|id| graph.node_index(id));
    let neighbours: Vec<NodeIdx> = avoid.map_or_else(Vec::new, |n| {
        let outs = graph.out_dirs(n).map(|d| graph.target(d));
        outs.chain(graph.in_dirs(n).iter().map(|&d| graph.source(d)))
            .collect()
    });
    let total = |n: NodeIdx| Msat(graph.out_dirs(n).map(|d| graph.capacity(d).0).sum());
    // Largest capacity first; ties: the smaller public key. If every node is a neighbour of
    // `avoid`, a neighbour will do.
    let best = |skip_neighbours: bool| {
        graph
            .nodes()
            .filter(|&n| Some(n) != avoid && !(skip_neighbours && neighbours.contains(&n)))
            .min_by_key(|&n| (std::cmp::Reverse(total(n)), graph.node_id(n)))
    };
    let n = best(true)
        .or_else(|| best(false))
        .ok_or("the graph has no node to stand in")?;
    let id = graph.node_id(n);
    writeln!(out, "{key} is not in this graph; using {id} instead")?;
    Ok(id)
}

fn run(args: &[String], out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let path = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| data_file("default.listchannels.json"));

    // #we first need to import the chanenl graph from c-lightning jsondump
    // #you can get your own data set via:
    // # $: lightning-cli listchannels > listchannels20220412.json
    // # alternatively you can go to https://ln.rene-pickhardt.de to find a data dump
    // channel_graph = ChannelGraph("listchannels20220412.json")
    let channel_graph = pp_graph::load_path(&path)?.graph;

    // uncertainty_network = UncertaintyNetwork(channel_graph)
    let uncertainty_network = Belief::new(&channel_graph);

    // (missing from the README; examples/basicexample.py has it:)
    // oracle_lightning_network = OracleLightningNetwork(channel_graph)
    let oracle_lightning_network = Oracle::random(&channel_graph, 1);

    // #we create ourselves a payment session which in this case operates by sending out the onions
    // #sequentially
    // payment_session = SyncSimulatedPaymentSession(oracle_lightning_network,
    //                                  uncertainty_network,
    //                                  prune_network=False)
    let mut payment_session = Session::with_belief(
        &channel_graph,
        uncertainty_network,
        oracle_lightning_network,
    )
    .with_params(PayParams::default().with_prune(false));

    // #we need to make sure we forget all learnt information on the Uncertainty Nework
    // payment_session.forget_information()
    payment_session.belief_mut().forget();

    // #we run the simulation of pickhardt payments and track all the results

    // #Rene Pickhardt's public node key
    // RENE = "03efccf2c383d7bf340da9a3f02e2c23104a0e4fe8ac1a880c8e2dc92fbdacd9df"
    let rene = node_or_hub(
        &channel_graph,
        "03efccf2c383d7bf340da9a3f02e2c23104a0e4fe8ac1a880c8e2dc92fbdacd9df",
        None,
        out,
    )?;
    // #Carsten Otto's public node key
    // C_OTTO = "027ce055380348d7812d2ae7745701c9f93e70c1adeb2657f053f91df4f2843c71"
    let c_otto = node_or_hub(
        &channel_graph,
        "027ce055380348d7812d2ae7745701c9f93e70c1adeb2657f053f91df4f2843c71",
        Some(&rene),
        out,
    )?;
    // tested_amount = 10_000_000 #10 million sats
    let tested_amount = Sat(10_000_000);

    // payment_session.pickhardt_pay(RENE,C_OTTO, tested_amount,mu=0,base=0)
    let params = payment_session.params().clone();
    payment_session.set_params(params.with_mu(0.0).with_base_fee_threshold(Msat::ZERO));
    let report = payment_session.pay(&rene, &c_otto, tested_amount.into())?;

    // (the Python session logs these as it goes)
    writeln!(
        out,
        "{} sat from {} to {}: {}",
        tested_amount.get(),
        &rene.to_string()[..10],
        &c_otto.to_string()[..10],
        if report.success {
            "delivered"
        } else {
            "not delivered"
        }
    )?;
    writeln!(out, "stop reason:     {:?}", report.stop_reason)?;
    writeln!(out, "rounds:          {}", report.rounds)?;
    writeln!(
        out,
        "attempts:        {} ({} failed, {} settled)",
        report.attempt_counts.total, report.attempt_counts.failed, report.attempt_counts.settled
    )?;
    writeln!(
        out,
        "fees:            {} msat ({:.1} ppm)",
        report.fees_msat.get(),
        report.fee_ppm
    )?;
    writeln!(
        out,
        "entropy learned: {:.1} bits",
        report.entropy_learned_bits()
    )?;
    writeln!(
        out,
        "time:            {:.1} ms solving, {:.1} ms in total",
        report.solve_ms, report.total_ms
    )?;
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
    fn the_readme_example_runs_on_the_default_graph() {
        let out = capture(run, &[]).unwrap();
        // The default graph is synthetic: both README keys fall back to its hubs.
        assert!(out.starts_with("03efccf2c383d7bf340da9a3f02e2c23104a0e4fe8ac1a880c8e2dc92fbdacd9df is not in this graph; using 02"), "{out}");
        assert!(out.contains("10000000 sat from 02"), "{out}");
        assert!(out.contains("\nrounds:          "), "{out}");
        assert!(out.contains("\nentropy learned: "), "{out}");
    }

    #[test]
    fn hubs_stand_in_for_missing_keys() {
        // The toy graph has neither key; its hub by capacity is B (1,600,000 sat); every other
        // node is B's neighbour, so the receiver is the next by capacity: A and C hold
        // 1,500,000 sat each and A has the smaller key.
        let toy = data_file("toy.listchannels.json");
        let out = capture(run, &[toy.to_str().unwrap()]).unwrap();
        let b = format!("02{}", "bb".repeat(32));
        let a = format!("02{}", "aa".repeat(32));
        assert!(
            out.contains(&format!("df is not in this graph; using {b} instead")),
            "{out}"
        );
        assert!(
            out.contains(&format!("71 is not in this graph; using {a} instead")),
            "{out}"
        );
        // 10,000,000 sat cannot cross a graph of 2,900,000 sat.
        assert!(out.contains(": not delivered\n"), "{out}");
        assert!(out.contains("Infeasible"), "{out}");
    }

    #[test]
    fn the_readme_keys_are_used_when_present() {
        use pp_graph::{DirectionRecord, GraphBuilder, Policy, Ppm};
        let rene: NodeId = "03efccf2c383d7bf340da9a3f02e2c23104a0e4fe8ac1a880c8e2dc92fbdacd9df"
            .parse()
            .unwrap();
        let c_otto: NodeId = "027ce055380348d7812d2ae7745701c9f93e70c1adeb2657f053f91df4f2843c71"
            .parse()
            .unwrap();
        let hop = NodeId::synthetic(7);
        let mut builder = GraphBuilder::new();
        for (i, (u, v)) in [(rene, hop), (hop, c_otto)].into_iter().enumerate() {
            for (source, destination) in [(u, v), (v, u)] {
                let policy = Policy {
                    base_fee_msat: Msat(0),
                    fee_ppm: Ppm(100),
                    cltv_delta: 40,
                    htlc_minimum_msat: Msat(1),
                    htlc_maximum_msat: Msat(50_000_000_000),
                    active: true,
                    last_update: 0,
                };
                let rec = DirectionRecord {
                    scid: format!("700x{}x0", i + 1).parse().unwrap(),
                    source,
                    destination,
                    capacity: Msat(50_000_000_000),
                    policy,
                };
                builder.add(&rec).unwrap();
            }
        }
        let path =
            std::env::temp_dir().join(format!("pp-seed-example-{}.json", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        pp_graph::write_listchannels(&builder.build(), file).unwrap();
        let out = capture(run, &[path.to_str().unwrap()]);
        std::fs::remove_file(&path).unwrap();
        let out = out.unwrap();
        assert!(!out.contains("is not in this graph"), "{out}");
        assert!(
            out.starts_with("10000000 sat from 03efccf2c3 to 027ce05538: "),
            "{out}"
        );
        // Two hops; the sender's own hop is free, the middle node charges 100 ppm.
        if out.contains(": delivered\n") {
            assert!(out.contains("(100.0 ppm)"), "{out}");
        }
    }
}
