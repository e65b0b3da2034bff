#!/usr/bin/env python3
"""How far the flow model's base-fee envelope is from the fees a plan really pays.

For seeded random pairs of a listchannels snapshot it asks `pickhardt pay --plan-only --json`
for the first round's plan on the prior belief (no balances: every channel uncertain) and
compares, per plan, the fee the flow problem saw with the exact fee of its parts:
- model: over every direction e the plan uses (but the sender's own), with f_e the amount the
  plan delivers over it, f_e * (fee_ppm + base_fee * 1e6 / u_e) / 1e6, where u_e = min(capacity,
  amount, htlc_maximum_msat) is the most the direction could carry in the round
  (pp_uncertainty::LinearizeParams::base_fee_in_cost);
- exact: the sum of the parts' fees, base fee per part and hop, fees on fees included.

Usage: base_fee_envelope.py PICKHARDT GRAPH.json[.gz] AMOUNT_SAT [PAIRS] [SEED]
"""
import gzip, json, random, statistics, subprocess, sys

exe, graph, amount_sat = sys.argv[1], sys.argv[2], int(sys.argv[3])
pairs = int(sys.argv[4]) if len(sys.argv) > 4 else 100
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 1
opener = gzip.open if graph.endswith(".gz") else open
with opener(graph, "rt") as f:
    chans = json.load(f)["channels"]

def msat(c, new, old):
    v = c.get(new, c.get(old))
    if isinstance(v, str):
        v = int(v.removesuffix("msat"))
    return v

pol = {}
nodes = set()
for c in chans:
    cap = msat(c, "amount_msat", None) if "amount_msat" in c else c["satoshis"] * 1000
    hmax = msat(c, "htlc_maximum_msat", None) or cap
    pol[(c["short_channel_id"], c["source"])] = (c["base_fee_millisatoshi"], c["fee_per_millionth"], cap, hmax)
    nodes.add(c["source"])
nodes = sorted(nodes)
rng = random.Random(seed)
amount = amount_sat * 1000
ratios, model_total, exact_total, with_base, plans = [], 0, 0, 0, 0
for _ in range(pairs):
    s, t = rng.sample(nodes, 2)
    out = subprocess.run([exe, "pay", "--graph", graph, "--amount", str(amount_sat), "--from", s,
                          "--to", t, "--plan-only", "--json", "--fee-budget", "none"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        continue
    plan = json.loads(out.stdout)
    flow = {}
    exact = 0
    for a in plan["attempts"]:
        exact += a["fee_msat"]
        for h in a["hops"][1:]:
            key = (h["scid"], h["source"])
            flow[key] = flow.get(key, 0) + a["amount_msat"]
    model = 0.0
    for key, f in flow.items():
        base, ppm, cap, hmax = pol[key]
        u = max(1, min(cap, amount, hmax))
        model += f * (ppm + base * 1e6 / u) / 1e6
    plans += 1
    model_total += model
    exact_total += exact
    if exact > 0:
        ratios.append(model / exact)
    if any(pol[k][0] > 0 for k in flow):
        with_base += 1
q = statistics.quantiles(ratios, n=10) if len(ratios) >= 10 else ratios
print(f"{plans} plans of {amount_sat} sat, {with_base} over a channel with a base fee")
print(f"model/exact fee: median {statistics.median(ratios):.3f}, p10 {q[0]:.3f}, p90 {q[-1]:.3f}")
print(f"total: model {model_total / 1000:.0f} sat, exact {exact_total / 1000:.0f} sat "
      f"({model_total / max(exact_total, 1):.3f})")
