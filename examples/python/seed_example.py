"""The reference package's README example (``pickhardtpayments``) on the Rust core: only the
import lines changed.

    python examples/python/seed_example.py                  # the toy graph of data/
    python examples/python/seed_example.py LISTCHANNELS     # e.g. a real snapshot, plain or gzip
    python examples/python/seed_example.py LISTCHANNELS BALANCES.csv.gz   # with ground truth

Differences from the README, all outside its lines: the graph file is an argument; the README's
two public keys (Rene Pickhardt's and Carsten Otto's nodes) are replaced by well-connected
stand-ins when the graph lacks them (the toy graph and the CLoTH snapshot do), and the amount
is lowered to what the graph can carry; the README never creates the oracle (its
examples/basicexample.py does), we do.
"""

import logging
import sys
from pathlib import Path

# from pickhardtpayments.ChannelGraph import ChannelGraph
# from pickhardtpayments.UncertaintyNetwork import UncertaintyNetwork
# from pickhardtpayments.OracleLightningNetwork import OracleLightningNetwork
# from pickhardtpayments.SyncSimulatedPaymentSession import SyncSimulatedPaymentSession
from pickhardt import (
    ChannelGraph,
    OracleLightningNetwork,
    SyncSimulatedPaymentSession,
    UncertaintyNetwork,
)

logging.basicConfig(level=logging.INFO, format="%(message)s")

REPO = Path(__file__).resolve().parents[2]
listchannels = sys.argv[1] if len(sys.argv) > 1 else str(REPO / "data/toy.listchannels.json")

# we first need to import the channel graph from core lightning jsondump
# you can get your own data set via:
# $: lightning-cli listchannels > listchannels20220412.json
# alternatively you can go to https://ln.rene-pickhardt.de to find a data dump
channel_graph = ChannelGraph(listchannels)

uncertainty_network = UncertaintyNetwork(channel_graph)
oracle_lightning_network = OracleLightningNetwork(channel_graph)
if len(sys.argv) > 2:
    oracle_lightning_network.load_balances(sys.argv[2])  # ground truth, e.g. ln-2020's
# we create a payment session which in this case operates by sending out the onions
# sequentially
payment_session = SyncSimulatedPaymentSession(oracle_lightning_network,
                                              uncertainty_network,
                                              prune_network=False)

# we need to make sure we forget all learnt information on the Uncertainty Nework
payment_session.forget_information()

# we run the simulation of pickhardt payments and track all the results

# Rene Pickhardt's public node key
RENE = "03efccf2c383d7bf340da9a3f02e2c23104a0e4fe8ac1a880c8e2dc92fbdacd9df"
# Carsten Otto's public node key
C_OTTO = "027ce055380348d7812d2ae7745701c9f93e70c1adeb2657f053f91df4f2843c71"
tested_amount = 10_000_000  # 10 million sats

graph = channel_graph.graph
if not (graph.has_node(RENE) and graph.has_node(C_OTTO)):
    # Stand-ins: the two nodes of the largest component with the most capacity.
    scc = set(graph.largest_scc())
    ids = graph.node_ids()
    total = {}
    for src, cap in zip(graph.sources().tolist(), graph.capacity_msat().tolist()):
        total[ids[src]] = total.get(ids[src], 0) + cap
    hubs = sorted((n for n in scc), key=lambda n: (-total.get(n, 0), n))
    RENE, C_OTTO = hubs[0], hubs[1]
    tested_amount = min(tested_amount, oracle_lightning_network.theoretical_maximum_payable_amount(RENE, C_OTTO) // 2 or 1)
    print(f"the README's nodes are not in this graph; paying {tested_amount:,} sat between "
          f"{RENE[:10]}… and {C_OTTO[:10]}… instead")

payment_session.pickhardt_pay(RENE, C_OTTO, tested_amount, mu=0, base=0)

report = payment_session.last_report
print(f"delivered: {report.success}, rounds: {report.rounds}, attempts: {report.attempts} "
      f"({report.failed_attempts} failed), fees: {report.fees_msat / 1000:.3f} sat, "
      f"residual: {report.residual_msat // 1000} sat, "
      f"entropy: {report.entropy_before_bits:.1f} -> {report.entropy_after_bits:.1f} bits")
assert uncertainty_network.consistency_check(oracle_lightning_network)
