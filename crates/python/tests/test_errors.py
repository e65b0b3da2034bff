"""Bad input raises ValueError subclasses naming the problem; other failures raise the
PickhardtError hierarchy."""

import numpy as np
import pytest

import pickhardt
from conftest import A, B, D


def test_hierarchy():
    assert issubclass(pickhardt.InvalidInputError, ValueError)
    assert issubclass(pickhardt.InvalidInputError, pickhardt.PickhardtError)
    assert issubclass(pickhardt.UnknownNodeError, pickhardt.InvalidInputError)
    assert issubclass(pickhardt.UnknownNodeError, KeyError)
    for cls in (pickhardt.GraphLoadError, pickhardt.NetworkError, pickhardt.SolverError):
        assert issubclass(cls, pickhardt.PickhardtError)
        assert not issubclass(cls, ValueError)
    assert issubclass(pickhardt.InfeasibleError, pickhardt.SolverError)


def test_bad_graph_files(tmp_path):
    with pytest.raises(pickhardt.GraphLoadError, match="nope"):
        pickhardt.load_graph(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"channels": [{"source": 1}]}')
    with pytest.raises(pickhardt.GraphLoadError):
        pickhardt.load_graph(bad)


def test_bad_payments(toy):
    s = pickhardt.Session(toy)
    with pytest.raises(ValueError, match="amount"):
        s.pay(A, D, 0)
    with pytest.raises(ValueError, match="not both"):
        s.pay(A, D, 1, amount_msat=1000)
    with pytest.raises(ValueError):
        s.pay(A, D)
    with pytest.raises(ValueError, match="same"):
        s.pay(A, A, 1000)
    with pytest.raises(ValueError, match="node id"):
        s.pay(A, "not-a-key", 1000)
    with pytest.raises(pickhardt.UnknownNodeError, match="unknown node"):
        s.pay(A, "02" + "ef" * 32, 1000)
    with pytest.raises(ValueError, match="strategy"):
        s.pay(A, D, 1000, strategy="teleport")
    with pytest.raises(OverflowError):
        s.pay(A, D, -5)


def test_bad_parameters(toy):
    with pytest.raises(ValueError, match="unknown parameter"):
        pickhardt.Session(toy, pices=5)
    with pytest.raises(ValueError, match="not both"):
        pickhardt.Session(toy, mu=1, frugality=2)
    with pytest.raises(ValueError, match="pieces"):
        pickhardt.Session(toy, pieces=0)
    with pytest.raises(ValueError, match="slopes"):
        pickhardt.Session(toy, slopes="cubic")
    with pytest.raises(ValueError, match="mu"):
        pickhardt.Session(toy, mu=float("nan"))
    with pytest.raises(ValueError, match="solver"):
        pickhardt.Session(toy, solver="cplex").pay(A, D, 1000)
    with pytest.raises(ValueError, match="frugality"):
        pickhardt.mu_from_frugality(toy, 1000, -1)


def test_bad_channels_and_liquidity(toy):
    o = pickhardt.Oracle.random(toy, 1)
    with pytest.raises(ValueError, match="short channel id"):
        o.set_liquidity("103-1-0", A, 1)
    with pytest.raises(pickhardt.UnknownNodeError):
        o.set_liquidity("999x1x0", A, 1)
    with pytest.raises(ValueError, match="capacity"):
        o.set_liquidity("103x1x0", A, 10**15)
    with pytest.raises(ValueError, match="directions"):
        pickhardt.Oracle.from_liquidity(toy, np.zeros(3, dtype=np.uint64))


def test_objects_of_another_graph_are_refused(toy):
    other = pickhardt.toy_graph()
    with pytest.raises(ValueError, match="same Graph"):
        pickhardt.Session(toy, pickhardt.Oracle.random(other, 1))
    with pytest.raises(ValueError, match="same Graph"):
        pickhardt.Session(toy, belief=pickhardt.Belief(other))


def test_bad_flow_problems():
    u = lambda *v: np.array(v, dtype=np.uint32)  # noqa: E731
    i = lambda *v: np.array(v, dtype=np.int64)  # noqa: E731
    with pytest.raises(ValueError):
        pickhardt.solve_min_cost_flow(2, u(0), u(5), i(1), i(1), i(1, -1))
    with pytest.raises(pickhardt.InfeasibleError):
        pickhardt.solve_min_cost_flow(2, u(0), u(1), i(1), i(1), i(3, -3))
    with pytest.raises(ValueError, match="native"):
        pickhardt.solve_min_cost_flow(2, u(0), u(1), i(1), i(1), i(1, -1), solver="cplex")


def test_bad_simulations(toy):
    with pytest.raises(ValueError, match="amount"):
        pickhardt.simulate(toy, 0, payments=1)
    with pytest.raises(ValueError, match="range"):
        pickhardt.simulate(toy, (10, 5), payments=1)
    with pytest.raises(ValueError, match="strategy"):
        pickhardt.simulate(toy, 1000, payments=1, strategies=["nope"])


def test_stray_node_in_plan(toy):
    with pytest.raises(pickhardt.UnknownNodeError):
        pickhardt.Session(toy).plan("02" + "ab" * 32, B, 1000)
