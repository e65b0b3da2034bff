"""The examples in examples/python run as a user runs them."""

import subprocess
import sys

import pytest


def run(repo, *args, cwd=None):
    out = subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True,
                         cwd=cwd, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout + out.stderr


def test_seed_example(repo):
    text = run(repo, repo / "examples/python/seed_example.py")
    assert "delivered: True" in text


def test_seed_example_on_ln2020(repo, snapshots):
    text = run(repo, repo / "examples/python/seed_example.py",
               snapshots / "ln-2020-cloth.listchannels.json.gz",
               snapshots / "ln-2020-cloth.balances.csv.gz")
    assert "delivered: True" in text


def test_compare_strategies(repo, tmp_path):
    out = tmp_path / "plot.png"
    text = run(repo, repo / "examples/python/compare_strategies.py", "--payments", "5", "--out",
               out, cwd=tmp_path)
    assert "mcf" in text and "cheapest" in text
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "no plot written" in text
    else:
        assert out.is_file() and out.stat().st_size > 1000
