#!/usr/bin/env python3
"""Solve one DIMACS min-cost-flow file with OR-tools' SimpleMinCostFlow (pip install ortools) and
print one JSON line {"status","cost","solve_ms"} like `pickhardt mcf solve --json`.

    python3 benches/scripts/ortools_mcf.py FILE.min [--repeat N]

solve_ms is the median over N repetitions of SimpleMinCostFlow.solve() on a fresh solver with
the arcs and supplies already added (parsing and adding arcs are excluded; OR-tools builds its
internal graph inside solve(), as pickhardt's native backend does inside solve()).
"""
import argparse
import json
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow


def read_dimacs(path):
    nodes = None
    tails, heads, caps, costs = [], [], [], []
    supplies = {}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            t = line.split()
            if not t or t[0] == "c":
                continue
            if t[0] == "p":
                nodes = int(t[2])
            elif t[0] == "n":
                supplies[int(t[1]) - 1] = int(t[2])
            elif t[0] == "a":
                if int(t[3]) != 0:
                    sys.exit(f"error: line {lineno}: lower bounds are not supported")
                tails.append(int(t[1]) - 1)
                heads.append(int(t[2]) - 1)
                caps.append(int(t[4]))
                costs.append(int(t[5]))
            else:
                sys.exit(f"error: line {lineno}: unknown line kind {t[0]!r}")
    sup = np.zeros(nodes, dtype=np.int64)
    for v, s in supplies.items():
        sup[v] = s
    a = lambda x: np.array(x, dtype=np.int64)
    return nodes, a(tails), a(heads), a(caps), a(costs), sup


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    n, tails, heads, caps, costs, sup = read_dimacs(args.file)
    times = []
    status, cost = None, None
    for _ in range(max(1, args.repeat)):
        smcf = min_cost_flow.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        smcf.set_nodes_supplies(np.arange(n, dtype=np.int64), sup)
        t0 = time.perf_counter()
        st = smcf.solve()
        times.append((time.perf_counter() - t0) * 1e3)
        if st == smcf.OPTIMAL:
            status, cost = "OPTIMAL", smcf.optimal_cost()
        elif st == smcf.INFEASIBLE:
            status, cost = "INFEASIBLE", None
        else:
            status, cost = f"STATUS_{int(st)}", None
    times.sort()
    print(json.dumps({"status": status, "cost": cost, "solve_ms": times[len(times) // 2]}))


if __name__ == "__main__":
    main()
