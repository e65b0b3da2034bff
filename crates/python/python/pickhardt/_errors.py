"""The exceptions raised by :mod:`pickhardt`.

Bad input raises :class:`InvalidInputError`, a :class:`ValueError`; an unknown node raises
:class:`UnknownNodeError`, which is also a :class:`KeyError` (what the reference package raised,
without saying which node). Everything else the core refuses is a :class:`PickhardtError`.
"""


class PickhardtError(Exception):
    """Base class of every error raised by the Rust core."""


class InvalidInputError(PickhardtError, ValueError):
    """An amount, parameter, id or array that the core refuses (also a ``ValueError``)."""


class UnknownNodeError(InvalidInputError, KeyError):
    """A node id (or a channel direction) that is not in the graph (also a ``KeyError``)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class GraphLoadError(PickhardtError):
    """A channel graph or balances file that cannot be read or parsed."""


class NetworkError(PickhardtError):
    """The network broke its contract, or its answers contradicted the belief."""


class SolverError(PickhardtError):
    """A min-cost-flow backend failed."""


class InfeasibleError(SolverError):
    """No flow can carry the demand."""
