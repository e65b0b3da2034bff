"""Runs the reference package (`pickhardtpayments`) and ours through the same API on the same
payments, and prints the speed ratio (and peak memory per process).

    python benches/python/vs_reference.py --graph ln-2020-cloth.listchannels.json.gz \\
        --balances ln-2020-cloth.balances.csv.gz [--payments 40] [--amount 1000000]

Both run the reference's API: `ChannelGraph`, `UncertaintyNetwork`, `OracleLightningNetwork`
with the ground truth installed channel by channel (`actual_liquidity`), and
`SyncSimulatedPaymentSession.pickhardt_pay(src, dest, amount, mu, base)` on seeded random pairs
of the largest strongly connected component, one payment after another (settlements move the
balances in both), each after `forget_information()`. Each side runs in its own process, so
the memory figures are per implementation. Not in CI: the reference takes minutes. How to
install it (and its patches for current OR-tools): benches/python/README.md. Without it, only
our side runs.
"""

import argparse
import csv
import gzip
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout


def opener(path):
    return gzip.open(path, "rt") if str(path).endswith(".gz") else open(path)


def pairs(args):
    import pickhardt  # only to pick the pairs: the largest SCC, in node order

    graph = pickhardt.load_graph(args.graph)
    truth = pickhardt.Oracle.from_balances(graph, args.balances)
    scc = graph.largest_scc()
    rng = random.Random(args.seed)
    out = []
    while len(out) < args.payments:
        s, t = rng.sample(scc, 2)
        # Only payments the true balances can carry: the others end at once in both (the
        # reference with exit(1) when its flow problem is infeasible).
        if args.all_pairs or truth.max_flow(s, t) >= args.amount * 1000:
            out.append((s, t))
    return out


def run(args, impl):
    if impl == "reference":
        import pickhardtpayments as ref
        import pickhardtpayments.SyncSimulatedPaymentSession as refsession

        refsession.set_logger = lambda: None  # it adds two log handlers per payment
        ns = ref
    else:
        import pickhardt as ns
    todo = json.loads(os.environ["VS_REFERENCE_PAIRS"])
    with tempfile.TemporaryDirectory() as tmp:
        listchannels = args.graph
        if impl == "reference" and str(listchannels).endswith(".gz"):
            listchannels = os.path.join(tmp, "listchannels.json")
            with opener(args.graph) as f, open(listchannels, "w") as g:
                shutil.copyfileobj(f, g)
        t0 = time.perf_counter()
        channel_graph = ns.ChannelGraph(listchannels)
        uncertainty_network = ns.UncertaintyNetwork(channel_graph, base_threshold=args.base)
        oracle = ns.OracleLightningNetwork(channel_graph)
        with opener(args.balances) as f:
            rows = list(csv.DictReader(f))
        # The same code for both: researchers' way of installing ground truth.
        for r in rows:
            scid, src = r["short_channel_id"], r["source"]
            adjacent = oracle.network[src]
            for dest in adjacent:
                if scid in adjacent[dest]:
                    adjacent[dest][scid]["channel"].actual_liquidity = int(r["liquidity_sat"])
        session = ns.SyncSimulatedPaymentSession(oracle, uncertainty_network,
                                                 prune_network=False)
        t1 = time.perf_counter()
        delivered = errors = 0
        sink = io.StringIO()
        per_payment = []
        for s, t in todo:
            session.forget_information()
            p0 = time.perf_counter()
            with redirect_stdout(sink):
                try:
                    session.pickhardt_pay(s, t, args.amount, mu=args.mu, base=args.base)
                except (Exception, SystemExit) as e:  # the reference's KeyError or exit(1)
                    errors += 1
                    said = sink.getvalue().strip().splitlines()[-2:]
                    print(f"{impl}: payment {s[:8]}->{t[:8]}: {type(e).__name__}: {e} {said}",
                          file=sys.stderr)
            per_payment.append(time.perf_counter() - p0)
            if impl == "ours":
                delivered += session.last_report.success
            sink.seek(0)
            sink.truncate()
        t2 = time.perf_counter()
    print(json.dumps({
        "impl": impl,
        "setup_s": t1 - t0,
        "payments_s": t2 - t1,
        "per_payment_median_s": sorted(per_payment)[len(per_payment) // 2],
        "delivered": delivered if impl == "ours" else None,
        "errors": errors,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def absolute(arg):
    return os.path.abspath(arg) if os.path.exists(arg) else arg


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", required=True)
    ap.add_argument("--balances", required=True)
    ap.add_argument("--payments", type=int, default=40)
    ap.add_argument("--amount", type=int, default=1_000_000, help="sat")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mu", type=float, default=1)
    ap.add_argument("--base", type=int, default=10**9,
                    help="base-fee threshold, msat (default: every channel; the reference "
                         "raises KeyError when it leaves a sender or receiver without channels)")
    ap.add_argument("--all-pairs", action="store_true",
                    help="also pairs whose true max flow is below the amount")
    ap.add_argument("--impl", choices=["ours", "reference"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.impl:
        return run(args, args.impl)
    env = dict(os.environ, VS_REFERENCE_PAIRS=json.dumps(pairs(args)))
    results = {}
    impls = ["ours"]
    try:
        import pickhardtpayments  # noqa: F401
    except ImportError:
        print("the reference package is not importable: only our side runs "
              "(see benches/python/README.md)")
    else:
        impls.append("reference")
    for impl in impls:
        # In a scratch folder: the reference writes pickhardt_pay.log where it runs.
        with tempfile.TemporaryDirectory() as scratch:
            out = subprocess.run(
                [sys.executable, os.path.abspath(__file__), *map(absolute, sys.argv[1:]),
                 "--impl", impl],
                env=env, capture_output=True, text=True, cwd=scratch)
        if out.returncode != 0:
            sys.exit(f"{impl} failed (exit code {out.returncode}):\n{out.stdout[-2000:]}\n"
                     f"{out.stderr[-4000:]}")
        results[impl] = json.loads(out.stdout.strip().splitlines()[-1])
        for line in out.stderr.strip().splitlines()[:5]:
            print("  " + line[:200])
        r = results[impl]
        print(f"{impl:>9}: setup {r['setup_s']:.2f} s, {args.payments} payments of "
              f"{args.amount:,} sat in {r['payments_s']:.2f} s (median "
              f"{r['per_payment_median_s'] * 1000:.1f} ms), peak RSS {r['max_rss_mib']:.0f} MiB"
              + (f", {r['delivered']} delivered" if r["delivered"] is not None else "")
              + (f", {r['errors']} raised" if r["errors"] else ""))
    if "reference" in results:
        ratio = results["reference"]["payments_s"] / results["ours"]["payments_s"]
        print(f"speed ratio (reference / ours, payments only): {ratio:.0f}x")


if __name__ == "__main__":
    main()
