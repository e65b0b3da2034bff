"""A payment made through Python equals the CLI's on the same inputs (graph, ground truth,
parameters). Needs the CLI binary: PICKHARDT_CLI, else `pickhardt` on PATH, else skipped."""

import json
import os
import shutil
import subprocess

import pytest

import pickhardt

CLI = os.environ.get("PICKHARDT_CLI") or shutil.which("pickhardt")


def cli_pay(*args):
    if not CLI:
        pytest.skip("needs the CLI binary (set PICKHARDT_CLI)")
    out = subprocess.run([CLI, "pay", "--json", *args], capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


SAME = ("success", "delivered_msat", "residual_msat", "rounds", "attempt_counts", "fees_msat",
        "stop_reason")


def compare(py_report, cli_report):
    mine = py_report.to_dict()
    for key in SAME:
        assert mine[key] == cli_report[key], key
    assert mine["entropy_after_bits"] == pytest.approx(cli_report["entropy_after_bits"])
    route = lambda r: [(a["amount_msat"], [h["scid"] for h in a["hops"]]) for a in r["attempts"]]  # noqa: E731
    assert route(mine) == route(cli_report)


@pytest.mark.parametrize("amount_sat,extra", [(50_000, {}), (500_000, {"mu": 0.5}),
                                              (200_000, {"legacy": True})])
def test_python_payment_equals_cli_on_the_default_graph(amount_sat, extra):
    g = pickhardt.default_graph()
    scc = g.largest_scc()
    sender, receiver = scc[3], scc[-5]
    flags = []
    if "mu" in extra:
        flags += ["--mu", str(extra["mu"])]
    if extra.get("legacy"):
        flags += ["--legacy-routing"]
    cli = cli_pay("--from", sender, "--to", receiver, "--amount", str(amount_sat), "--seed", "4",
                  *flags)
    s = pickhardt.Session(g, pickhardt.Oracle.random(g, 4), **extra)
    compare(s.pay(sender, receiver, amount_sat), cli)


def test_python_payment_equals_cli_on_ln2020(ln2020):
    graph, balances = ln2020
    scc = graph.largest_scc()
    sender, receiver = scc[10], scc[len(scc) // 3]
    path = graph.origin
    cli = cli_pay("--graph", path, "--balances", str(balances), "--from", sender, "--to",
                  receiver, "--amount", "300000")
    s = pickhardt.Session(graph, pickhardt.Oracle.from_balances(graph, balances))
    compare(s.pay(sender, receiver, 300_000), cli)
