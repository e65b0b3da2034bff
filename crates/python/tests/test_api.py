"""The Pythonic API: graphs and their arrays, the oracle, sessions and reports, the belief as
numpy arrays, simulations, μ and min-cost flow on arrays, the GIL, the stubs."""

import threading
import time
from pathlib import Path

import numpy as np
import pytest

import pickhardt
from conftest import A, B, C, D


def test_graph_and_arrays(toy, toy_path):
    g = pickhardt.load_graph(toy_path)
    assert (g.node_count, g.channel_count, g.direction_count) == (4, 5, 10)
    assert len(g) == 4 and g.node_ids() == [A, B, C, D]
    assert g.has_node(A) and not g.has_node("02" + "ee" * 32) and not g.has_node("x")
    cap = g.capacity_msat()
    assert cap.dtype == np.uint64 and cap.shape == (10,)
    d = g.direction_index("103x1x0", A)
    info = g.direction_info(d)
    assert (info["source"], info["destination"], info["scid"]) == (A, B, "103x1x0")
    assert cap[d] == 1_000_000_000 and g.fee_ppm()[d] == 100 and g.base_fee_msat()[d] == 1000
    assert g.node_ids()[g.sources()[d]] == A and g.node_ids()[g.targets()[d]] == B
    assert g.scids()[d] == "103x1x0"
    assert g.stats()["nodes"] == 4
    assert g.load_report()["records"] == 10
    assert sorted(g.largest_scc()) == [A, B, C, D]
    assert "4 nodes" in repr(g)
    assert pickhardt.default_graph().node_count == 200
    assert pickhardt.generate_graph(30, seed=2).node_count == 30
    assert pickhardt.generate_graph(30, seed=2).load_report() is None


def test_oracle(toy):
    o = pickhardt.Oracle.random(toy, 7)
    liq = o.liquidity_msat()
    cap = toy.capacity_msat()
    d = toy.direction_index("103x1x0", A)
    r = toy.direction_index("103x1x0", B)
    assert liq[d] + liq[r] == cap[d]
    o.set_liquidity("103x1x0", A, 5_000)
    assert o.liquidity("103x1x0", A) == 5_000 and o.liquidity("103x1x0", B) == cap[d] - 5_000
    copy = o.copy()
    o.set_liquidity("103x1x0", A, 0)
    assert copy.liquidity("103x1x0", A) == 5_000
    again = pickhardt.Oracle.from_liquidity(toy, o.liquidity_msat())
    assert (again.liquidity_msat() == o.liquidity_msat()).all()
    assert o.max_flow(A, D) <= sum(cap[toy.sources() == 0])
    # Same seed, same balances as the CLI's --seed.
    assert (pickhardt.Oracle.random(toy, 7).liquidity_msat() == liq).all()


def test_session_pay_plan_and_reports(toy):
    o = pickhardt.Oracle.random(toy, 1)
    o.set_liquidity("103x1x0", A, 900_000_000)
    s = pickhardt.Session(toy, o, frugality=3)
    plan = s.plan(A, B, 100_000)
    assert plan.parts >= 1 and plan.planned_msat == 100_000_000 and plan.stop_reason is None
    assert plan.to_dict()["amount_msat"] == 100_000_000 and len(plan.part_list()) == plan.parts
    entropy = s.entropy_bits()
    assert s.entropy_bits() == entropy  # plan sends nothing, learns nothing
    r = s.pay(A, B, 100_000)
    assert r.success and r.stop_reason == "delivered" and r.delivered_msat == 100_000_000
    assert r.residual_msat == 0 and r.rounds >= 1 and r.attempts >= 1
    assert r.sender == A and r.receiver == B and r.strategy == "mcf"
    d = r.to_dict()
    assert d["fees_msat"] == r.fees_msat and d["attempt_counts"]["total"] == r.attempts
    assert d["attempts"][0]["hops"][0]["source"] == A
    assert r.entropy_learned_bits == pytest.approx(r.entropy_before_bits - r.entropy_after_bits)
    assert "PaymentReport(success=True" in repr(r)
    # The network moved by the settled payment; the oracle given stays as it was.
    assert s.liquidity("103x1x0", A) <= 900_000_000 - 100_000_000 + 10**6
    assert o.liquidity("103x1x0", A) == 900_000_000
    assert s.network().liquidity("103x1x0", A) == s.liquidity("103x1x0", A)
    r2 = s.pay(A, B, amount_msat=1_500, strategy="cheapest")
    assert r2.strategy == "cheapest" and r2.amount_msat == 1_500


def test_belief_arrays_and_learning(toy):
    s = pickhardt.Session(toy, pickhardt.Oracle.random(toy, 3), mu=0)
    b0 = s.belief()
    cap = toy.capacity_msat()
    assert (b0.min_msat == 0).all() and (b0.max_msat == cap).all()
    assert (b0.in_flight_msat == 0).all() and (b0.capacity_msat == cap).all()
    assert len(b0) == 10
    s.pay(A, D, 50_000)
    b1 = s.belief()
    assert (b1.min_msat >= b0.min_msat).all() and (b1.max_msat <= b0.max_msat).all()
    assert (b1.in_flight_msat == 0).all()  # nothing leaks
    assert b1.entropy_bits() < b0.entropy_bits()
    s.forget()
    assert s.entropy_bits() == pytest.approx(b0.entropy_bits())
    s.set_belief(b1)
    assert s.entropy_bits() == pytest.approx(b1.entropy_bits())
    prior = pickhardt.Belief(toy)
    assert prior.probability("103x1x0", A, 250_000_000) == pytest.approx(0.75, abs=1e-6)
    prior.set_exact("103x1x0", A, 300_000_000)
    assert prior.probability("103x1x0", A, 300_000_000) == 1.0
    assert prior.max_msat[toy.direction_index("103x1x0", B)] == 700_000_000
    # A belief given to a session is copied.
    s2 = pickhardt.Session(toy, belief=prior)
    prior.forget()
    assert s2.entropy_bits() < prior.entropy_bits()


def test_parameters(toy):
    s = pickhardt.Session(toy, mu=0.5, pieces=7, slopes="linear", max_rounds=9,
                          fee_budget_msat=-1, prune=False, local_knowledge=False)
    p = s.params()
    assert p["fee_weight"] == {"mu": 0.5} and p["pieces"] == 7 and p["max_rounds"] == 9
    assert p["fee_budget"] == "unlimited" and p["slopes"] == "linear"
    s.set_params(legacy=True)
    assert s.params()["min_plan_probability"] == 0.05
    assert set(pickhardt.PARAMETERS) >= {"mu", "frugality", "pieces", "legacy"}
    for key in pickhardt.PARAMETERS:
        pickhardt.Session(toy, **{key: None})  # every key is accepted; None is the default


def test_simulate_records_and_frames(toy):
    g = pickhardt.default_graph()
    recs = pickhardt.simulate(g, [10_000, (1_000, 100_000)], payments=5, seed=3,
                              as_dataframe=False)
    assert isinstance(recs, list) and len(recs) == 2 * 5 * 3
    assert {r["strategy"] for r in recs} == {"mcf", "cheapest", "probable"}
    assert all(isinstance(r["stop_reason"], str) for r in recs)
    assert all(r["amount_sat"] == 10_000 for r in recs if r["amount_row"] == 0)
    recs2, summary = pickhardt.simulate(pickhardt.Oracle.random(g, 3), [10_000, (1_000, 100_000)],
                                        payments=5, seed=3, threads=1, as_dataframe=False,
                                        with_summary=True)
    strip = lambda rs: [{k: v for k, v in r.items() if k != "ms"} for r in rs]  # noqa: E731
    assert strip(recs2) == strip(recs)  # threads do not change results
    assert len(summary) == 2 * 3
    pd = pytest.importorskip("pandas")
    df = pickhardt.simulate(g, 10_000, payments=4, strategies=["mcf"])
    assert isinstance(df, pd.DataFrame) and len(df) == 4
    assert {"success", "fee_msat", "rounds", "attempts"} <= set(df.columns)


def test_mu_from_frugality(toy):
    g = pickhardt.default_graph()
    mu1 = pickhardt.mu_from_frugality(g, 100_000, 1)
    assert mu1 > 0
    assert pickhardt.mu_from_frugality(g, 100_000, 2) == pytest.approx(2 * mu1, rel=1e-9)
    assert pickhardt.mu_from_frugality(g, 100_000, 0) == 0


def test_min_cost_flow_on_arrays():
    tail = np.array([0, 0, 1], dtype=np.uint32)
    head = np.array([2, 1, 2], dtype=np.uint32)
    cap = np.array([2, 3, 3], dtype=np.int64)
    cost = np.array([3, 1, 1], dtype=np.int64)
    supply = np.array([4, 0, -4], dtype=np.int64)
    for solver in pickhardt.available_solvers():
        flow, total, potentials = pickhardt.solve_min_cost_flow(3, tail, head, cap, cost, supply,
                                                                solver=solver)
        assert flow.tolist() == [1, 3, 3] and total == 3 * 1 + 1 * 3 + 1 * 3
        if solver != "lp":
            assert potentials is not None and len(potentials) == 3
    # Non-contiguous input arrays are accepted.
    big = np.array([[2, 9], [3, 9], [3, 9]], dtype=np.int64)
    flow, total, _ = pickhardt.solve_min_cost_flow(3, tail, head, big[:, 0], cost, supply)
    assert total == 9


def test_the_gil_is_released_during_simulations():
    g = pickhardt.default_graph()
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    start = time.perf_counter()
    pickhardt.simulate(g, [100_000, 1_000_000], payments=40, threads=1, as_dataframe=False)
    end = time.perf_counter()
    done.set()
    t.join()
    during = [x for x in ticks if start < x < end]
    # With the GIL held, the ticking thread would not run at all while Rust works.
    assert end - start < 0.05 or len(during) >= 5, (end - start, len(during))


def test_stubs_and_docstrings_ship():
    pkg = Path(pickhardt.__file__).parent
    assert (pkg / "py.typed").is_file() and (pkg / "_pickhardt.pyi").is_file()
    for obj in (pickhardt.Session, pickhardt.Session.pay, pickhardt.Belief, pickhardt.simulate,
                pickhardt.load_graph, pickhardt.solve_min_cost_flow, pickhardt.Oracle.random,
                pickhardt.SyncSimulatedPaymentSession.pickhardt_pay):
        assert obj.__doc__, obj


def test_first_round_fee_weight(toy):
    o = pickhardt.Oracle.random(toy, 1)
    mu = pickhardt.Session(toy, o, mu=0.5, first_round_fee_weight=1).plan(A, B, 100_000).mu
    assert mu == pytest.approx(0.5)
    assert pickhardt.Session(toy, o, mu=0.5).plan(A, B, 100_000).mu == pytest.approx(2.0)
    with pytest.raises(ValueError, match="first_round_fee_weight"):
        pickhardt.Session(toy, o, first_round_fee_weight=-1).pay(A, B, 1000)
