"""The reference package's classes (``pickhardtpayments``), class for class, on the Rust core.

Its README example runs with only the imports changed::

    from pickhardt import (ChannelGraph, UncertaintyNetwork, OracleLightningNetwork,
                           SyncSimulatedPaymentSession)

Differences (docs/MODEL.md §8 of the repository has the full table):

* ``mu``: the reference's cost per sat on piece ``k`` of a channel with uncertain width ``W`` sat
  is ``k * int(1.5e10 / W) + mu * ppm``; ours (per msat) is ``k / W + μ * ppm / A`` for a
  payment of ``A``. ``pickhardt_pay(..., mu=m)`` therefore uses ``μ = m * A_sat / 1.5e10``,
  which gives the same ratio of fee to uncertainty cost (up to the reference's ``int()``).
* ``base`` (and ``UncertaintyNetwork(base_threshold=…)``): channels whose base fee exceeds
  either (msat) are left out, as in the reference, but when that leaves no route (or only an
  improbable one) all channels are used; the reference raised ``KeyError`` when it left the
  sender or the receiver without channels.
* Fixed: no in-flight amounts leak after failed attempts; the sender pays no fee on its own
  first hop and fees accumulate backwards along the path (the reference charged the sender's
  hop and did not accumulate); an unknown node raises :class:`UnknownNodeError` naming it
  (also a ``KeyError``) instead of a bare ``KeyError``; a contradiction raises
  :class:`NetworkError` instead of calling ``exit()``.
* The oracle's balances come from one seeded stream (``seed``, default 1); the reference
  re-seeded Python's ``random`` for every channel, so equal capacities got equal balances.
* Statistics are returned (``last_report``, a :class:`pickhardt.PaymentReport`) as well as
  logged; the log goes to the ``pickhardt`` logger, not to a file.
* ``network`` is not a networkx graph but a read-only view with the parts of its interface
  that research scripts use: ``network[src][dest][short_channel_id]["channel"]`` (so
  ``...["channel"].actual_liquidity = sat`` installs ground truth), ``edges(data="channel",
  keys=True)``, ``nodes()``, ``has_edge``, ``number_of_edges``. ``graph`` (a
  :class:`pickhardt.Graph`) has the arrays.
"""

import logging
from collections.abc import Mapping
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from ._errors import UnknownNodeError
from ._pickhardt import Belief, Graph, Oracle, PaymentReport, Session, load_graph

logger = logging.getLogger("pickhardt")

#: The reference's default base-fee threshold (msat).
DEFAULT_BASE_THRESHOLD = 0
#: The constant of the reference's uncertainty cost, ``k * int(1.5e10 / W)`` per sat.
REFERENCE_UNCERTAINTY_SCALE = 1.5e10


def reference_mu(mu: float, amount_sat: int) -> float:
    """Our μ for the reference's ``mu`` on a payment of ``amount_sat`` (see the module docs)."""
    return float(mu) * float(amount_sat) / REFERENCE_UNCERTAINTY_SCALE


class ChannelGraph:
    """A channel graph read from ``lightning-cli listchannels`` JSON (or anything
    :func:`pickhardt.load_graph` reads: LND ``describegraph``, gzip)."""

    def __init__(self, lightning_cli_listchannels_json_file: str):
        self._graph = load_graph(lightning_cli_listchannels_json_file)

    @classmethod
    def from_graph(cls, graph: Graph) -> "ChannelGraph":
        """Wraps an already loaded :class:`pickhardt.Graph`."""
        self = cls.__new__(cls)
        self._graph = graph
        return self

    @property
    def graph(self) -> Graph:
        """The :class:`pickhardt.Graph`."""
        return self._graph

    def _out(self) -> Dict[str, List[int]]:
        """Direction indices leaving each node (built once)."""
        out = getattr(self, "_out_cache", None)
        if out is None:
            ids = self._graph.node_ids()
            out = {n: [] for n in ids}
            for d, s in enumerate(self._graph.sources().tolist()):
                out[ids[s]].append(d)
            self._out_cache = out
        return out

    def _adjacency(self) -> Dict[str, Dict[str, Dict[str, int]]]:
        """source → destination → short channel id → direction index (built once)."""
        adj = getattr(self, "_adjacency_cache", None)
        if adj is None:
            ids, targets, scids = self._lists()
            adj = {}
            for src, dirs in self._out().items():
                a = adj[src] = {}
                for d in dirs:
                    a.setdefault(ids[targets[d]], {})[scids[d]] = d
            self._adjacency_cache = adj
        return adj

    def _lists(self) -> Tuple[List[str], List[int], List[str]]:
        """Node ids, direction targets and direction scids as lists (built once)."""
        lists = getattr(self, "_lists_cache", None)
        if lists is None:
            g = self._graph
            lists = self._lists_cache = (g.node_ids(), g.targets().tolist(), g.scids())
        return lists

    @property
    def network(self) -> "NetworkView":
        """The channels as a read-only networkx-like view (``network[src][dest][scid]
        ["channel"]``)."""
        return NetworkView(self, lambda d: Channel(self._graph.direction_info(d)))

    def _direction(self, src: str, dest: str, short_channel_id: str) -> int:
        d = self._graph.direction_index(short_channel_id, src)
        if self._graph.direction_info(d)["destination"] != dest:
            raise UnknownNodeError(
                f"channel {short_channel_id} from {src} does not lead to {dest}"
            )
        return d

    def get_channel(self, src: str, dest: str, short_channel_id: str) -> "Channel":
        """The channel ``short_channel_id`` from ``src`` to ``dest``."""
        return Channel(self._graph.direction_info(self._direction(src, dest, short_channel_id)))


class NetworkView:
    """The part of networkx's ``MultiDiGraph`` interface that scripts written for the reference
    use, read-only, over a :class:`ChannelGraph`: ``view[src][dest][scid]["channel"]``,
    ``edges(data="channel", keys=True)``, ``nodes()``, ``has_edge``, ``number_of_edges``."""

    def __init__(self, channel_graph: ChannelGraph, channel: Callable[[int], Any]):
        self._cg = channel_graph
        self._channel = channel

    def _adjacent(self, src: str) -> "_Adjacent":
        adj = self._cg._adjacency().get(src)
        if adj is None:
            raise UnknownNodeError(f"unknown node {src}: it is not in the channel graph")
        return _Adjacent(adj, self._channel)

    def __getitem__(self, src: str) -> "_Adjacent":
        return self._adjacent(src)

    def __contains__(self, node: str) -> bool:
        return self._cg.graph.has_node(node)

    def __iter__(self) -> Iterator[str]:
        return iter(self._cg.graph.node_ids())

    def __len__(self) -> int:
        return self._cg.graph.node_count

    def nodes(self) -> List[str]:
        return self._cg.graph.node_ids()

    def has_edge(self, src: str, dest: str, key: Optional[str] = None) -> bool:
        if src not in self:
            return False
        edges = self._adjacent(src).get(dest, {})
        return bool(edges) if key is None else key in edges

    def number_of_edges(self) -> int:
        return self._cg.graph.direction_count

    def edges(self, data: Any = False, keys: bool = False) -> Iterator[tuple]:
        g = self._cg.graph
        ids = g.node_ids()
        for d, (s, t, c) in enumerate(zip(g.sources().tolist(), g.targets().tolist(), g.scids())):
            head = (ids[s], ids[t]) + ((c,) if keys else ())
            if data == "channel":
                yield head + (self._channel(d),)
            elif data:
                yield head + ({"channel": self._channel(d)},)
            else:
                yield head


class _Adjacent(Mapping):
    """``view[src]``: destination → ``{short_channel_id: {"channel": …}}``, made on access."""

    def __init__(self, adj: Dict[str, Dict[str, int]], make: Callable[[int], Any]):
        self._adj, self._make = adj, make

    def __getitem__(self, dest: str) -> "_Edges":
        return _Edges(self._adj[dest], self._make)

    def __iter__(self) -> Iterator[str]:
        return iter(self._adj)

    def __len__(self) -> int:
        return len(self._adj)


class _Edges(Mapping):
    """``view[src][dest]``: short channel id → ``{"channel": …}``, made on access."""

    def __init__(self, edges: Dict[str, int], make: Callable[[int], Any]):
        self._edges, self._make = edges, make

    def __getitem__(self, scid: str) -> "_LazyEdge":
        return _LazyEdge(self._make, self._edges[scid])

    def __contains__(self, scid: object) -> bool:
        return scid in self._edges

    def __iter__(self) -> Iterator[str]:
        return iter(self._edges)

    def __len__(self) -> int:
        return len(self._edges)


class _LazyEdge(dict):
    """An edge's attribute dict whose ``"channel"`` is made when asked for."""

    def __init__(self, make: Callable[[int], Any], d: int):
        super().__init__()
        self._make, self._d = make, d

    def __missing__(self, key: str) -> Any:
        if key != "channel":
            raise KeyError(key)
        value = self._make(self._d)
        self[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        return key == "channel" or dict.__contains__(self, key)


class Channel:
    """One direction of a channel, read-only (amounts in sat as in the reference, fees in msat
    and ppm)."""

    def __init__(self, record: dict):
        self._r = record

    @property
    def src(self) -> str:
        return self._r["source"]

    @property
    def dest(self) -> str:
        return self._r["destination"]

    @property
    def short_channel_id(self) -> str:
        return self._r["scid"]

    @property
    def capacity(self) -> int:
        """Capacity, sat."""
        return self._r["capacity"] // 1000

    @property
    def base_fee(self) -> int:
        """Base fee, msat."""
        return self._r["policy"]["base_fee_msat"]

    @property
    def ppm(self) -> int:
        return self._r["policy"]["fee_ppm"]

    @property
    def htlc_min_msat(self) -> int:
        return self._r["policy"]["htlc_minimum_msat"]

    @property
    def htlc_max_msat(self) -> int:
        return self._r["policy"]["htlc_maximum_msat"]

    @property
    def cltv_delta(self) -> int:
        return self._r["policy"]["cltv_delta"]

    @property
    def is_active(self) -> bool:
        return self._r["policy"]["active"]

    def __str__(self) -> str:
        return str(self._r)


class _Shared:
    """State that a session works on: kept here until a session is made from it, then read
    and written through the newest such session (the reference's sessions share their
    networks by reference)."""

    _session: Optional[Session] = None


class UncertaintyNetwork(_Shared):
    """The belief about every channel's liquidity (uniform on ``[min, max]``), initially the
    prior ``[0, capacity]``."""

    def __init__(
        self,
        channel_graph: ChannelGraph,
        base_threshold: int = DEFAULT_BASE_THRESHOLD,
        prune_network: bool = True,
    ):
        self._channel_graph = channel_graph
        self._belief = Belief(channel_graph.graph)
        self._session = None
        self.base_threshold = base_threshold
        self._prune = prune_network

    @property
    def prune(self) -> bool:
        return self._prune

    @prune.setter
    def prune(self, value: bool) -> None:
        self._prune = value

    @property
    def graph(self) -> Graph:
        return self._channel_graph.graph

    @property
    def network(self) -> NetworkView:
        """The channels with the belief about them, as a read-only networkx-like view."""
        cg = self._channel_graph
        belief = self.belief()
        lo, hi, fl = belief.min_msat, belief.max_msat, belief.in_flight_msat
        return NetworkView(cg, lambda d: UncertaintyChannel(
            cg.graph.direction_info(d), int(lo[d]) // 1000, int(hi[d]) // 1000, int(fl[d]) // 1000))

    def belief(self) -> Belief:
        """A copy of the current belief (numpy arrays ``min_msat``, ``max_msat``,
        ``in_flight_msat``)."""
        return self._session.belief() if self._session is not None else self._belief.copy()

    def entropy(self) -> float:
        """Entropy of the belief, bits."""
        if self._session is not None:
            return self._session.entropy_bits()
        return self._belief.entropy_bits()

    def reset_uncertainty_network(self) -> None:
        """Forgets everything learned."""
        if self._session is not None:
            self._session.forget()
        self._belief.forget()

    def get_channel(self, src: str, dest: str, short_channel_id: str) -> "UncertaintyChannel":
        """What is believed of the channel ``short_channel_id`` from ``src`` to ``dest``."""
        d = self._channel_graph._direction(src, dest, short_channel_id)
        b = self.belief()
        return UncertaintyChannel(
            self._channel_graph.graph.direction_info(d),
            int(b.min_msat[d]) // 1000,
            int(b.max_msat[d]) // 1000,
            int(b.in_flight_msat[d]) // 1000,
        )

    def consistency_check(self, oracle_lightning_network: "OracleLightningNetwork") -> bool:
        """Whether every true liquidity lies within the belief's ``[min, max]``; logs the
        directions where it does not."""
        b = self.belief()
        truth = oracle_lightning_network.oracle().liquidity_msat()
        bad = ((truth < b.min_msat) | (truth > b.max_msat)).nonzero()[0]
        for d in bad[:10]:
            logger.error("belief inconsistent with the oracle on direction %d", d)
        return len(bad) == 0


class UncertaintyChannel(Channel):
    """A channel direction with the belief about it (sat): ``min_liquidity``,
    ``max_liquidity``, ``in_flight``."""

    def __init__(self, record: dict, min_liquidity: int, max_liquidity: int, in_flight: int):
        super().__init__(record)
        self.min_liquidity = min_liquidity
        self.max_liquidity = max_liquidity
        self.in_flight = in_flight

    def entropy(self) -> float:
        import math

        return math.log2(self.max_liquidity - self.min_liquidity + 1)


class OracleLightningNetwork(_Shared):
    """The simulated network: the true balance of every channel (drawn from ``seed``), which
    payments move when they settle. Install ground truth with ``get_channel(...).
    actual_liquidity = sat``, :meth:`set_actual_liquidity` or :meth:`load_balances`."""

    def __init__(self, channel_graph: ChannelGraph, seed: int = 1):
        self._channel_graph = channel_graph
        self._oracle = Oracle.random(channel_graph.graph, seed)
        self._session = None

    @property
    def graph(self) -> Graph:
        return self._channel_graph.graph

    @property
    def network(self) -> NetworkView:
        """The channels with their true liquidity (settable), as a read-only networkx-like
        view: ``network[src][dest][scid]["channel"].actual_liquidity = sat``."""
        cg = self._channel_graph
        return NetworkView(cg, lambda d: OracleChannel(self, cg.graph.direction_info(d)))

    def oracle(self) -> Oracle:
        """A copy of the current ground truth as a :class:`pickhardt.Oracle`."""
        return self._session.network() if self._session is not None else self._oracle.copy()

    def _target(self):
        return self._session if self._session is not None else self._oracle

    def load_balances(self, path: str) -> None:
        """Replaces the ground truth by a balances CSV (``short_channel_id,source,
        liquidity_sat``, plain or gzip)."""
        fresh = Oracle.from_balances(self.graph, path)
        if self._session is not None:
            self._session.set_network(fresh)
        self._oracle = fresh

    def set_actual_liquidity(self, short_channel_id: str, src: str, liquidity_sat: int) -> None:
        """Sets the true liquidity (sat) of the channel leaving ``src``; the other direction
        gets the rest of the capacity."""
        self._target().set_liquidity(short_channel_id, src, int(liquidity_sat) * 1000)

    def actual_liquidity(self, short_channel_id: str, src: str) -> int:
        """The true liquidity (sat) of the channel leaving ``src``."""
        return self._target().liquidity(short_channel_id, src) // 1000

    def get_channel(self, src: str, dest: str, short_channel_id: str) -> "OracleChannel":
        """The channel ``short_channel_id`` from ``src`` to ``dest``, with its
        ``actual_liquidity`` (settable)."""
        d = self._channel_graph._direction(src, dest, short_channel_id)
        return OracleChannel(self, self._channel_graph.graph.direction_info(d))

    def theoretical_maximum_payable_amount(
        self, source: str, destination: str, base_fee: int = DEFAULT_BASE_THRESHOLD
    ) -> int:
        """The most that can be paid from ``source`` to ``destination`` on the true balances
        (a max flow), sat. Unlike the reference, ``base_fee`` does not leave channels out."""
        return self.oracle().max_flow(source, destination) // 1000


class OracleChannel(Channel):
    """A channel direction with its true liquidity (sat), which can be set."""

    def __init__(self, network: OracleLightningNetwork, record: dict):
        super().__init__(record)
        self._network = network

    @property
    def actual_liquidity(self) -> int:
        return self._network.actual_liquidity(self.short_channel_id, self.src)

    @actual_liquidity.setter
    def actual_liquidity(self, amt: int) -> None:
        self._network.set_actual_liquidity(self.short_channel_id, self.src, amt)

    @property
    def in_flight(self) -> int:
        """Always 0 between payments: nothing leaks."""
        return 0

    def can_forward(self, amt: int) -> bool:
        return self.actual_liquidity >= amt


class SyncSimulatedPaymentSession:
    """Pays on the oracle, learning in the uncertainty network, one round at a time (the
    reference's session; a :class:`pickhardt.Session` with the reference's routing rules)."""

    def __init__(
        self,
        oracle_network: OracleLightningNetwork,
        uncertainty_network: UncertaintyNetwork,
        prune_network: bool = True,
    ):
        if oracle_network.graph is not uncertainty_network.graph:
            raise ValueError("the oracle and the uncertainty network need the same ChannelGraph")
        self._oracle_network = oracle_network
        self._uncertainty_network = uncertainty_network
        self._uncertainty_network.prune = prune_network
        self._session = Session(
            oracle_network.graph,
            oracle_network.oracle(),
            uncertainty_network.belief(),
            **self._params(1, DEFAULT_BASE_THRESHOLD, 1),
        )
        oracle_network._session = self._session
        uncertainty_network._session = self._session
        #: The :class:`pickhardt.PaymentReport` of the last ``pickhardt_pay``.
        self.last_report: Optional[PaymentReport] = None

    def _params(self, mu: float, base: int, amt: int) -> dict:
        return dict(
            legacy=True,
            slopes="linear",
            mu=reference_mu(mu, amt),
            # The reference leaves out the channels above the uncertainty network's threshold
            # when it is made, and those above `base` in each payment.
            base_fee_threshold_msat=int(min(base, self._uncertainty_network.base_threshold)),
            prune=self._uncertainty_network.prune,
            local_knowledge=False,
        )

    @property
    def uncertainty_network(self) -> UncertaintyNetwork:
        return self._uncertainty_network

    @property
    def oracle_network(self) -> OracleLightningNetwork:
        return self._oracle_network

    @property
    def session(self) -> Session:
        """The underlying :class:`pickhardt.Session`."""
        return self._session

    def forget_information(self) -> None:
        """Forgets everything the uncertainty network learned."""
        self._session.forget()

    def pickhardt_pay(
        self,
        src: str,
        dest: str,
        amt: int = 1,
        mu: float = 1,
        base: int = DEFAULT_BASE_THRESHOLD,
        loglevel: str = "info",
    ) -> Tuple[int, float]:
        """Pays ``amt`` sat from ``src`` to ``dest``. Returns ``(0, fees_sat)`` when
        delivered, ``(residual_sat, 0)`` when not, as the reference does; the full statistics
        are in :attr:`last_report` and the log."""
        self._session.set_params(**self._params(mu, base, amt))
        report = self._session.pay(src, dest, int(amt))
        self.last_report = report
        level = logging.DEBUG if str(loglevel).lower() == "debug" else logging.INFO
        logger.log(
            level,
            "pickhardt_pay %s: %d rounds, %d attempts (%d failed), fees %.3f sat (%.1f ppm), "
            "residual %d sat, entropy %.1f -> %.1f bits, %.1f ms",
            "delivered" if report.success else "failed (" + report.stop_message + ")",
            report.rounds,
            report.attempts,
            report.failed_attempts,
            report.fees_msat / 1000,
            report.fee_ppm,
            report.residual_msat // 1000,
            report.entropy_before_bits,
            report.entropy_after_bits,
            report.total_ms,
        )
        if report.success:
            return 0, report.fees_msat / 1000
        return -(-report.residual_msat // 1000), 0
