"""Compares Pickhardt payments with two single-path routers on one graph, as
``pickhardt simulate`` does, and plots the success rate and the median fee per amount.

    python examples/python/compare_strategies.py [--graph FILE] [--balances CSV]
        [--payments N] [--out compare.png]

Without ``--graph`` it uses the CLI's embedded default graph (200 generated nodes). The plot
needs matplotlib (``pip install matplotlib``); without it the table is printed and no file is
written.
"""

import argparse

import pickhardt

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--graph", help="listchannels/describegraph JSON (default: embedded graph)")
parser.add_argument("--balances", help="ground-truth CSV (default: balances drawn from --seed)")
parser.add_argument("--payments", type=int, default=30)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--amounts", default="10000,100000,1000000", help="sat, comma-separated")
parser.add_argument("--out", default="compare_strategies.png")
args = parser.parse_args()

graph = pickhardt.load_graph(args.graph) if args.graph else pickhardt.default_graph()
if args.balances:
    network = pickhardt.Oracle.from_balances(graph, args.balances)
else:
    network = pickhardt.Oracle.random(graph, args.seed)
amounts = [int(a) for a in args.amounts.split(",")]

records, summary = pickhardt.simulate(
    network, amounts, payments=args.payments, seed=args.seed, with_summary=True,
    as_dataframe=False,
)
rows = sorted(summary, key=lambda s: (s["strategy"], s["amount_sat"]))
print(f"{'strategy':<10}{'amount sat':>12}{'success':>9}{'median ppm':>12}{'failed':>8}")
for s in rows:
    ppm = s["median_fee_ppm"]
    print(f"{s['strategy']:<10}{s['amount_sat']:>12,}{s['success_rate']:>9.0%}"
          f"{(f'{ppm:.1f}' if ppm is not None else '-'):>12}{s['failed_attempts']:>8}")

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed: no plot written")
else:
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for strategy in sorted({s["strategy"] for s in rows}):
        mine = [s for s in rows if s["strategy"] == strategy]
        xs = [s["amount_sat"] for s in mine]
        ax1.plot(xs, [s["success_rate"] for s in mine], marker="o", label=strategy)
        ax2.plot(xs, [s["median_fee_ppm"] or float("nan") for s in mine], marker="o",
                 label=strategy)
    for ax, label in ((ax1, "success rate"), (ax2, "median fee (ppm)")):
        ax.set_xscale("log")
        ax.set_xlabel("amount (sat)")
        ax.set_ylabel(label)
        ax.legend()
    fig.suptitle(f"{graph.origin}: {args.payments} payments per amount")
    fig.tight_layout()
    fig.savefig(args.out)
    print(f"wrote {args.out}")
