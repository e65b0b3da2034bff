"""Shared fixtures of the pytest suite of the `pickhardt` package (run by .ci/run after
`pip install ./crates/python` into a fresh virtualenv). Tests that need the real snapshots read
`PP_DATA_DIR` (relative values are taken from the repository root) and are skipped, with the
reason shown by `pytest -rs`, without it."""

import os
from pathlib import Path

import pytest

import pickhardt

REPO = Path(__file__).resolve().parents[3]
A, B, C, D = (f"02{c * 32}" for c in ("aa", "bb", "cc", "dd"))


def data_dir():
    v = os.environ.get("PP_DATA_DIR")
    if not v:
        return None
    p = Path(v)
    return p if p.is_absolute() else REPO / p


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def toy_path():
    return REPO / "data" / "toy.listchannels.json"


@pytest.fixture
def toy():
    return pickhardt.toy_graph()


@pytest.fixture(scope="session")
def snapshots():
    d = data_dir()
    if d is None:
        pytest.skip("needs PP_DATA_DIR (real snapshots)")
    assert d.is_dir(), f"PP_DATA_DIR={d} is not a folder"
    return d


@pytest.fixture(scope="session")
def ln2020(snapshots):
    graph = pickhardt.load_graph(snapshots / "ln-2020-cloth.listchannels.json.gz")
    return graph, snapshots / "ln-2020-cloth.balances.csv.gz"
