#!/usr/bin/env python3
"""The flow strategy against the cheapest path, paired and pooled over several seeds, per frugality.

A 100-payment `pickhardt simulate` leaves the median fee over the payments both strategies
delivered to one or two payments; this pools several seeded runs (`--csv` rows) before taking it.
For each frugality and amount it prints the feasible payments, how many each strategy delivered,
the median fee (ppm) of each over the payments both delivered and their ratio, the total fees
there (sat), and the failed attempts over all payments and over the shared ones.

Usage: paired_seeds.py PICKHARDT GRAPH BALANCES [--frugalities 3,5] [--seeds 1,4,5]
                       [--payments 300] [--amounts 100000,1000000] [--extra FLAGS]
BALANCES `-` draws them from each seed (for generated graphs).
Runs the seeds in parallel (one process each); docs/MODEL.md §9.4 quotes its output.
"""
import argparse, csv, os, statistics, subprocess, tempfile
from concurrent.futures import ThreadPoolExecutor

ap = argparse.ArgumentParser()
ap.add_argument("exe")
ap.add_argument("graph")
ap.add_argument("balances")
ap.add_argument("--frugalities", default="3,5")
ap.add_argument("--seeds", default="1,4,5")
ap.add_argument("--payments", type=int, default=300)
ap.add_argument("--amounts", default="100000,1000000")
ap.add_argument("--extra", default="", help="more simulate flags, e.g. '--first-round-fee-weight 1'")
a = ap.parse_args()
tmp = tempfile.mkdtemp(prefix="paired-seeds-")


def run(fru, seed):
    out = os.path.join(tmp, f"f{fru}-s{seed}.csv")
    subprocess.run(
        [a.exe, "simulate", "--graph", a.graph]
        + ([] if a.balances == "-" else ["--balances", a.balances])
        + ["--payments", str(a.payments), "--amount", a.amounts, "--seed", seed,
         "--strategy", "mcf,cheapest", "--frugality", fru, "--csv", out] + a.extra.split(),
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return [dict(r, seed=seed) for r in csv.DictReader(open(out))]


print("frugality amount_sat feasible mcf cheapest both median_ppm(mcf/cheapest) ratio "
      "total_sat(mcf/cheapest) failed_all(mcf/cheapest) failed_shared(mcf/cheapest)")
seeds = a.seeds.split(",")
for fru in a.frugalities.split(","):
    with ThreadPoolExecutor(max_workers=len(seeds)) as ex:
        rows = [r for part in ex.map(lambda s: run(fru, s), seeds) for r in part]
    by = {}
    for r in rows:
        by.setdefault(r["strategy"], {})[(r["seed"], r["amount_sat"], r["index"])] = r
    m, c = by["mcf"], by["cheapest"]
    for amount in a.amounts.split(","):
        keys = [k for k in m if k[1] == amount]
        ok = lambda s, k: s[k]["success"] == "true"
        both = [k for k in keys if ok(m, k) and ok(c, k)]
        fee = lambda s: statistics.median(float(s[k]["fee_ppm"]) for k in both)
        total = lambda s: sum(int(s[k]["fee_msat"]) for k in both) / 1000
        failed = lambda s, ks: sum(int(s[k]["failed_attempts"]) for k in ks)
        fm, fc = fee(m), fee(c)
        print(f"{fru:>9} {amount:>10} {sum(m[k]['feasible'] == 'true' for k in keys):>8} "
              f"{sum(ok(m, k) for k in keys):>3} {sum(ok(c, k) for k in keys):>8} "
              f"{len(both):>4} {fm:>12.1f} / {fc:<8.1f} {fm / fc:>5.2f} "
              f"{total(m):>9.0f} / {total(c):<9.0f} {failed(m, keys):>6} / {failed(c, keys):<6} "
              f"{failed(m, both):>6} / {failed(c, both)}")
