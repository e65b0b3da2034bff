#!/usr/bin/env python3
"""Run the same DIMACS min-cost-flow files through pickhardt's backends, LEMON and OR-tools and
print a markdown table of median solve times per instance group, with a cost-agreement check.

    python3 benches/scripts/compare.py --instances DIR [--repeat 5] [--lp-repeat 1]
        [--solvers native,ssp,lp,lemon-ns,lemon-cs,ortools] [--json-out results.json]

Every tool prints {"status","cost","solve_ms"}; solve_ms is each tool's own median over
--repeat runs on the parsed instance (parsing excluded). Files are grouped by the amount in
their name (`...-a<amount>-...`), or all together. `benches/scripts/compare.sh` builds the tools
and produces the instances first.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))


def command(solver, path, args):
    if solver in ("native", "ssp", "lp"):
        rep = args.lp_repeat if solver == "lp" else args.repeat
        return [args.pickhardt, "mcf", "solve", path, "--solver", solver, "--json",
                "--repeat", str(rep)]
    if solver in ("lemon-ns", "lemon-cs"):
        return [args.lemon, path, "--algo", solver.split("-")[1], "--repeat", str(args.repeat)]
    if solver == "ortools":
        return [sys.executable, os.path.join(HERE, "ortools_mcf.py"), path,
                "--repeat", str(args.repeat)]
    raise SystemExit(f"unknown solver {solver}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--instances", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lp-repeat", type=int, default=1)
    ap.add_argument("--solvers", default="native,ssp,lp,lemon-ns,lemon-cs,ortools")
    ap.add_argument("--pickhardt", default="target/release/pickhardt")
    ap.add_argument("--lemon", default="target/lemon_mcf")
    ap.add_argument("--json-out")
    args = ap.parse_args()
    solvers = args.solvers.split(",")
    files = sorted(os.path.join(args.instances, f) for f in os.listdir(args.instances)
                   if f.endswith(".min"))
    if not files:
        raise SystemExit(f"no .min files in {args.instances}")
    results = []
    for i, path in enumerate(files):
        row = {"file": os.path.basename(path)}
        for s in solvers:
            out = subprocess.run(command(s, path, args), capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit(f"{s} failed on {path}: {out.stderr.strip()}")
            row[s] = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(row)
        cells = " ".join(f"{s}={row[s]['solve_ms']:.1f}ms" for s in solvers)
        print(f"[{i + 1}/{len(files)}] {row['file']}: {row[solvers[0]]['status']} "
              f"cost={row[solvers[0]]['cost']} {cells}", file=sys.stderr)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(results, f, indent=1)

    groups = defaultdict(list)
    for r in results:
        m = re.search(r"-a(\d+)-", r["file"])
        groups[m.group(1) if m else "all"].append(r)
    print("| instances | n | " + " | ".join(f"{s} median ms" for s in solvers)
          + " | native / lemon-ns | native / ortools | costs identical |")
    print("|---|---|" + "---|" * len(solvers) + "---|---|---|")
    for g in sorted(groups, key=lambda k: (k == "all", int(k) if k.isdigit() else 0)):
        rs = groups[g]
        med = {s: statistics.median(r[s]["solve_ms"] for r in rs) for s in solvers}
        agree = all(len({(r[s]["status"], r[s]["cost"]) for s in solvers}) == 1 for r in rs)
        infeasible = sum(r[solvers[0]]["status"] != "OPTIMAL" for r in rs)
        label = f"amount {g}" if g != "all" else "all"
        if infeasible:
            label += f" ({infeasible} infeasible)"
        ratio = lambda other: (f"{med['native'] / med[other]:.3f}"
                               if "native" in med and other in med else "-")
        print(f"| {label} | {len(rs)} | " + " | ".join(f"{med[s]:.2f}" for s in solvers)
              + f" | {ratio('lemon-ns')} | {ratio('ortools')} | {'yes' if agree else 'NO'} |")


if __name__ == "__main__":
    main()
