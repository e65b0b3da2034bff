"""Pickhardt payments on the Lightning Network, from Python, on the pickhardt-payments-rs core.

Two APIs over the same Rust core:

* the Pythonic one: :func:`load_graph`, :class:`Oracle`, :class:`Session` (``pay`` / ``plan``
  returning reports with attributes and ``to_dict()``), :func:`simulate` (a pandas DataFrame
  when pandas is installed), the belief as numpy arrays (:class:`Belief`),
  :func:`mu_from_frugality` and :func:`solve_min_cost_flow` on arrays;
* the reference package's classes (``pickhardtpayments``), class for class:
  :class:`ChannelGraph`, :class:`UncertaintyNetwork`, :class:`OracleLightningNetwork`,
  :class:`SyncSimulatedPaymentSession`, so that its examples run with only their imports
  changed. docs/MODEL.md §8 of the repository lists where they behave differently.

Amounts are in sat where an argument is called ``amount_sat`` (or the reference API's ``amt``)
and in msat where it says ``_msat``. Errors: :class:`InvalidInputError` (a ``ValueError``) for
bad input, :class:`UnknownNodeError` (also a ``KeyError``) for a node not in the graph, and the
:class:`PickhardtError` hierarchy for the rest. The GIL is released during solves, payments and
simulations.
"""

from typing import Any, List, Optional, Sequence, Tuple, Union

from ._errors import (
    GraphLoadError,
    InfeasibleError,
    InvalidInputError,
    NetworkError,
    PickhardtError,
    SolverError,
    UnknownNodeError,
)
from ._pickhardt import (
    Belief,
    Graph,
    Oracle,
    PaymentReport,
    PlanReport,
    Session,
    __version__,
    available_solvers,
    default_graph,
    generate_graph,
    load_graph,
    mu_from_frugality,
    solve_min_cost_flow,
    toy_graph,
)
from ._pickhardt import PARAMETERS as _NATIVE_PARAMETERS
from ._pickhardt import simulate_native as _simulate_native
from ._reference import (
    ChannelGraph,
    OracleChannel,
    OracleLightningNetwork,
    SyncSimulatedPaymentSession,
    UncertaintyChannel,
    UncertaintyNetwork,
)

#: The routing parameters accepted as keywords by :class:`Session`, ``Session.set_params`` and
#: :func:`simulate` (``None`` means the default; the names follow the CLI's flags). One list,
#: defined by the Rust side (``crates/python/src/params.rs``).
PARAMETERS: Tuple[str, ...] = _NATIVE_PARAMETERS

Amount = Union[int, Tuple[int, int]]


def _amount_rows(amounts_sat: Union[Amount, Sequence[Amount]]) -> List[Tuple[int, int]]:
    if isinstance(amounts_sat, (int, tuple)):
        amounts_sat = [amounts_sat]
    rows = []
    for a in amounts_sat:
        if isinstance(a, tuple):
            lo, hi = a
            if isinstance(lo, bool) or isinstance(hi, bool) or lo < 1 or hi <= lo:
                raise InvalidInputError(
                    f"amount range {a!r}: need (min_sat, max_sat) with 1 <= min < max"
                )
            rows.append((int(lo) * 1000, int(hi) * 1000))
        elif isinstance(a, int) and not isinstance(a, bool):
            if a < 1:
                raise InvalidInputError(f"amount {a!r} sat: need at least 1 sat")
            rows.append((a * 1000, a * 1000))
        else:
            raise InvalidInputError(
                f"amount {a!r}: give an int (sat) or a (min_sat, max_sat) range"
            )
    if not rows:
        raise InvalidInputError("give at least one amount")
    return rows


def simulate(
    network: Union[Graph, Oracle],
    amounts_sat: Union[Amount, Sequence[Amount]] = 100_000,
    payments: int = 100,
    seed: int = 1,
    strategies: Optional[Sequence[str]] = None,
    keep_belief: bool = False,
    drift: bool = False,
    threads: Optional[int] = None,
    as_dataframe: Optional[bool] = None,
    with_summary: bool = False,
    **params: Any,
) -> Any:
    """Simulates ``payments`` payments per amount between seeded random pairs of the largest
    strongly connected component, for each strategy (``"mcf"``, ``"cheapest"``,
    ``"probable"``; all by default), as ``pickhardt simulate`` does.

    ``network`` is an :class:`Oracle` (the ground truth) or a :class:`Graph` (then
    ``Oracle.random(graph, seed)``). ``amounts_sat``: an int, a ``(min_sat, max_sat)`` range
    (log-uniform) or a list of them. ``params`` are the routing parameters of
    :data:`PARAMETERS`. Results do not depend on ``threads``.

    Returns one record per payment: a pandas ``DataFrame`` when pandas is installed (or
    ``as_dataframe=True``), else a list of dicts. With ``with_summary=True``, returns
    ``(records, summary)``, the summary per strategy and amount in the same form.
    """
    if isinstance(network, Graph):
        network = Oracle.random(network, seed)
    rows = _amount_rows(amounts_sat)
    records, summary = _simulate_native(
        network,
        rows,
        payments=payments,
        seed=seed,
        strategies=None if strategies is None else list(strategies),
        keep_belief=keep_belief,
        drift=drift,
        threads=threads,
        **params,
    )
    for r in records:
        r["amount_sat"] = r["amount_msat"] / 1000
        r["fee_sat"] = r["fee_msat"] / 1000
        if isinstance(r.get("stop_reason"), dict):
            r["stop_reason"] = r["stop_reason"].get("reason")
    if as_dataframe is None:
        try:
            import pandas  # noqa: F401

            as_dataframe = True
        except ImportError:
            as_dataframe = False
    if as_dataframe:
        import pandas as pd

        records = pd.DataFrame.from_records(records)
        summary = pd.DataFrame.from_records(summary)
    return (records, summary) if with_summary else records


__all__ = [
    "Belief",
    "ChannelGraph",
    "Graph",
    "GraphLoadError",
    "InfeasibleError",
    "InvalidInputError",
    "NetworkError",
    "Oracle",
    "OracleChannel",
    "OracleLightningNetwork",
    "PARAMETERS",
    "PaymentReport",
    "PickhardtError",
    "PlanReport",
    "Session",
    "SolverError",
    "SyncSimulatedPaymentSession",
    "UncertaintyChannel",
    "UncertaintyNetwork",
    "UnknownNodeError",
    "__version__",
    "available_solvers",
    "default_graph",
    "generate_graph",
    "load_graph",
    "mu_from_frugality",
    "simulate",
    "solve_min_cost_flow",
    "toy_graph",
]
