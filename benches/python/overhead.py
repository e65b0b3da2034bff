"""The Python layer's overhead per payment: wall time of `Session.pay` as Python sees it
against the time the Rust core reports for the same payment (`PaymentReport.total_ms`, measured
inside `pp_session::Session::pay_nodes`).

    PP_DATA_DIR=../shared/data python benches/python/overhead.py [--payments 200] [--amount 100000]

The difference is what the bindings add: argument conversion, node-id parsing, releasing and
re-taking the GIL, the session's lock and wrapping the report. Payments run on ln-2020 with its
ground truth between seeded random pairs of the largest strongly connected component; the
belief is forgotten before each.
"""

import argparse
import os
import random
import statistics
import time
from pathlib import Path

import pickhardt

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--data", default=os.environ.get("PP_DATA_DIR", "data/snapshots"))
ap.add_argument("--snapshot", default="ln-2020-cloth")
ap.add_argument("--payments", type=int, default=200)
ap.add_argument("--amount", type=int, default=100_000, help="sat")
ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()

data = Path(args.data)
graph = pickhardt.load_graph(data / f"{args.snapshot}.listchannels.json.gz")
network = pickhardt.Oracle.from_balances(graph, data / f"{args.snapshot}.balances.csv.gz")
session = pickhardt.Session(graph, network)
scc = graph.largest_scc()
rng = random.Random(args.seed)
todo = [tuple(rng.sample(scc, 2)) for _ in range(args.payments)]
session.pay(*todo[0], args.amount)  # warm up the solver and the linearizer

wall, core = [], []
for s, t in todo:
    session.forget()
    t0 = time.perf_counter()
    r = session.pay(s, t, args.amount)
    wall.append((time.perf_counter() - t0) * 1000)
    core.append(r.total_ms)
over = [w - c for w, c in zip(wall, core)]
share = sum(over) / sum(core)
print(f"{args.snapshot}: {args.payments} payments of {args.amount:,} sat")
print(f"Rust core: total {sum(core):.1f} ms, median {statistics.median(core):.3f} ms per payment")
print(f"Python:    total {sum(wall):.1f} ms, median {statistics.median(wall):.3f} ms per payment")
print(f"overhead:  median {statistics.median(over) * 1000:.1f} µs per payment, "
      f"{share * 100:.2f} % of the Rust time in total")
