"""The reference package's API (`pickhardtpayments`), class for class: its README example with
only the imports changed, on the toy graph and on ln-2020 with ground truth."""

import textwrap

import pytest

import pickhardt
from conftest import A, B, D

# The README example of the reference package, imports changed; FILE, the two node keys and the
# amount are substituted per graph (the README's nodes are in none of our snapshots).
README_EXAMPLE = textwrap.dedent(
    """
    from pickhardt import ChannelGraph, UncertaintyNetwork, OracleLightningNetwork, SyncSimulatedPaymentSession

    channel_graph = ChannelGraph(FILE)

    uncertainty_network = UncertaintyNetwork(channel_graph)
    oracle_lightning_network = OracleLightningNetwork(channel_graph)
    SETUP_ORACLE
    payment_session = SyncSimulatedPaymentSession(oracle_lightning_network,
                                     uncertainty_network,
                                     prune_network=False)

    payment_session.forget_information()

    RENE = SENDER
    C_OTTO = RECEIVER
    tested_amount = AMOUNT

    result = payment_session.pickhardt_pay(RENE,C_OTTO, tested_amount,mu=0,base=0)
    """
)


def run_readme(file, sender, receiver, amount, setup_oracle="pass"):
    code = (
        README_EXAMPLE.replace("FILE", repr(str(file)))
        .replace("SETUP_ORACLE", setup_oracle)
        .replace("SENDER", repr(sender))
        .replace("RECEIVER", repr(receiver))
        .replace("AMOUNT", str(amount))
    )
    env = {}
    exec(compile(code, "<reference README>", "exec"), env)
    return env


def test_readme_example_on_the_toy_graph(toy_path):
    env = run_readme(toy_path, A, D, 300_000)
    session = env["payment_session"]
    report = session.last_report
    residual, fees = env["result"]
    assert report.rounds >= 1 and report.attempts >= 1
    if report.success:
        assert residual == 0 and fees == report.fees_msat / 1000
    else:
        assert residual == report.residual_msat // 1000 + (report.residual_msat % 1000 > 0)
    # What it learned is visible through the uncertainty network the example made.
    un = env["uncertainty_network"]
    assert un.entropy() == pytest.approx(report.entropy_after_bits)
    assert un.consistency_check(env["oracle_lightning_network"])


def test_readme_example_delivers_when_the_truth_allows(toy_path):
    # Ground truth installed as researchers do: the channel's actual liquidity, in sat.
    setup = "\n".join(
        f"oracle_lightning_network.get_channel({s!r}, {d!r}, {c!r}).actual_liquidity = {v}"
        for s, d, c, v in [
            (A, B, "103x1x0", 900_000),
        ]
    )
    env = run_readme(toy_path, A, B, 500_000, setup)
    assert env["result"][0] == 0
    assert env["payment_session"].last_report.success
    # The sender's own hop is free, so a direct payment pays nothing.
    assert env["result"][1] == 0


def test_statistics_of_the_reference(toy_path):
    cg = pickhardt.ChannelGraph(str(toy_path))
    un = pickhardt.UncertaintyNetwork(cg, base_threshold=0, prune_network=True)
    oracle = pickhardt.OracleLightningNetwork(cg)
    session = pickhardt.SyncSimulatedPaymentSession(oracle, un, prune_network=False)
    assert un.prune is False
    before = un.entropy()
    session.pickhardt_pay(A, D, 100_000, mu=1, base=0)
    r = session.last_report
    d = r.to_dict()
    for key in ("rounds", "attempt_counts", "fees_msat", "residual_msat", "entropy_before_bits",
                "entropy_after_bits"):
        assert key in d
    assert r.entropy_before_bits == pytest.approx(before)
    assert un.entropy() <= before
    session.forget_information()
    assert un.entropy() == pytest.approx(before)


def test_oracle_liquidity_is_shared_with_the_session(toy_path):
    cg = pickhardt.ChannelGraph(str(toy_path))
    oracle = pickhardt.OracleLightningNetwork(cg)
    # prune_network=False as in the README: pruning (the reference's rule, P(250,000 sat) < 0.9
    # leaves a channel out) leaves nothing of the toy graph's 1M-sat channels.
    session = pickhardt.SyncSimulatedPaymentSession(
        oracle, pickhardt.UncertaintyNetwork(cg), prune_network=False
    )
    ch = oracle.get_channel(A, B, "103x1x0")
    ch.actual_liquidity = 123_456
    assert ch.actual_liquidity == 123_456
    assert session.session.liquidity("103x1x0", A) == 123_456_000
    assert oracle.get_channel(B, A, "103x1x0").actual_liquidity == ch.capacity - 123_456
    # Settlement moves the true balance.
    residual, _ = session.pickhardt_pay(A, B, 100_000, mu=0)
    assert residual == 0
    assert ch.actual_liquidity == 23_456


def test_reference_mu_mapping():
    from pickhardt._reference import reference_mu

    assert reference_mu(0, 1_000_000) == 0
    assert reference_mu(1, 15_000_000_000) == pytest.approx(1.0)
    assert reference_mu(2, 1_000_000) == pytest.approx(2e6 / 1.5e10)


def test_unknown_nodes_raise_a_clear_error_not_a_bare_keyerror(toy_path):
    cg = pickhardt.ChannelGraph(str(toy_path))
    session = pickhardt.SyncSimulatedPaymentSession(
        pickhardt.OracleLightningNetwork(cg), pickhardt.UncertaintyNetwork(cg)
    )
    stranger = "03" + "ee" * 32
    with pytest.raises(pickhardt.UnknownNodeError, match=stranger):
        session.pickhardt_pay(A, stranger, 1000)
    with pytest.raises(KeyError):  # still what reference-era code catches
        session.pickhardt_pay(stranger, A, 1000)


def test_readme_example_on_ln2020_with_ground_truth(ln2020):
    graph, balances = ln2020
    truth = pickhardt.Oracle.from_balances(graph, balances)
    scc = graph.largest_scc()
    sender, receiver = scc[0], scc[len(scc) // 2]
    amount = max(1, min(100_000, truth.max_flow(sender, receiver) // 1000 // 2))
    env = run_readme(graph.origin, sender, receiver, amount,
                     f"oracle_lightning_network.load_balances({str(balances)!r})")
    r = env["payment_session"].last_report
    residual, fees = env["result"]
    assert r.success and residual == 0 and fees == r.fees_msat / 1000
    un = env["uncertainty_network"]
    assert un.consistency_check(env["oracle_lightning_network"])
    assert un.entropy() < r.entropy_before_bits


def test_networkx_like_views(toy_path):
    cg = pickhardt.ChannelGraph(str(toy_path))
    oracle = pickhardt.OracleLightningNetwork(cg)
    un = pickhardt.UncertaintyNetwork(cg)
    for view in (cg.network, oracle.network, un.network):
        assert len(view) == 4 and view.number_of_edges() == 10 and A in view
        assert view.has_edge(A, B) and view.has_edge(A, B, "103x1x0") and not view.has_edge(A, A)
        assert sorted(view.nodes()) == sorted(cg.graph.node_ids())
        edges = list(view.edges(data="channel", keys=True))
        assert len(edges) == 10 and all(c.src == s and c.dest == d and c.short_channel_id == k
                                        for s, d, k, c in edges)
    # Ground truth installed the networkx way, as scripts for the reference do.
    oracle.network[A][B]["103x1x0"]["channel"].actual_liquidity = 4321
    assert oracle.actual_liquidity("103x1x0", A) == 4321
    ch = un.network[A][B]["103x1x0"]["channel"]
    assert (ch.min_liquidity, ch.max_liquidity, ch.in_flight) == (0, ch.capacity, 0)
    with pytest.raises(pickhardt.UnknownNodeError):
        cg.network["02" + "ee" * 32]
