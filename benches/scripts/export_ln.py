#!/usr/bin/env python3
"""Export round-1 min-cost-flow instances of a real channel graph as DIMACS with
`pickhardt mcf export`, for seeded (sender, receiver) pairs.

    python3 benches/scripts/export_ln.py --graph $PP_DATA_DIR/ln-2026.listchannels.json.gz \
        --out DIR [--pairs 20] [--amounts 100000,1000000] [--pieces 5] [--seed 1]
        [--pickhardt target/release/pickhardt]

Pairs are drawn with Python's random.Random(seed) among nodes whose active outgoing (sender) and
incoming (receiver) capacity is at least twice the largest amount; a pair is kept only if its
instance at the largest amount is feasible (`pickhardt mcf solve` says OPTIMAL; with the default
base-fee threshold 0 many nodes can only be reached through channels left out of the problem), so
every kept pair is feasible at every amount. The same pairs are used for every amount. Files are
named `ln-a<amount>-<pair>.min`; the rejected draws are reported on stderr.
"""
import argparse
import gzip
import json
import os
import random
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--graph", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument("--amounts", default="100000,1000000")
    ap.add_argument("--pieces", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pickhardt", default="target/release/pickhardt")
    args = ap.parse_args()
    amounts = [int(a) for a in args.amounts.split(",")]
    opener = gzip.open if args.graph.endswith(".gz") else open
    with opener(args.graph, "rt") as f:
        channels = json.load(f)["channels"]
    out_cap, in_cap = {}, {}
    for c in channels:
        if not c.get("active", True):
            continue
        msat = c["amount_msat"] if "amount_msat" in c else c["satoshis"] * 1000
        if isinstance(msat, str):
            msat = int(msat.removesuffix("msat"))
        out_cap[c["source"]] = out_cap.get(c["source"], 0) + msat
        in_cap[c["destination"]] = in_cap.get(c["destination"], 0) + msat
    need = 2 * max(amounts) * 1000
    senders = sorted(n for n, x in out_cap.items() if x >= need)
    receivers = sorted(n for n, x in in_cap.items() if x >= need)
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    def export(s, t, amount, path):
        subprocess.run([args.pickhardt, "mcf", "export", "--graph", args.graph, "--from", s,
                        "--to", t, "--amount", str(amount), "--pieces", str(args.pieces),
                        "-o", path], check=True, stderr=subprocess.DEVNULL)

    pairs, drawn = [], 0
    largest = max(amounts)
    while len(pairs) < args.pairs:
        s, t = rng.choice(senders), rng.choice(receivers)
        drawn += 1
        if s == t or (s, t) in pairs:
            continue
        path = os.path.join(args.out, f"ln-a{largest}-{len(pairs):02d}.min")
        export(s, t, largest, path)
        out = subprocess.run([args.pickhardt, "mcf", "solve", path, "--json"], check=True,
                             capture_output=True, text=True)
        if json.loads(out.stdout)["status"] == "OPTIMAL":
            pairs.append((s, t))
        else:
            os.remove(path)
    print(f"kept {len(pairs)} feasible pairs of {drawn} drawn", file=sys.stderr)
    for amount in amounts:
        for i, (s, t) in enumerate(pairs):
            path = os.path.join(args.out, f"ln-a{amount}-{i:02d}.min")
            if amount != largest:
                export(s, t, amount, path)
            print(path)


if __name__ == "__main__":
    main()
