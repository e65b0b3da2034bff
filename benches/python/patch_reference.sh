#!/usr/bin/env bash
# Makes the reference package (github.com/renepickhardt/pickhardtpayments) importable with a
# current OR-tools (>= 9.4 removed `ortools.graph.pywrapgraph`): clones it at its last commit
# before a work-in-progress one, makes the imports of its modules relative, and adds a 20-line shim that maps the old CamelCase
# SimpleMinCostFlow API to the new snake_case one. Nothing of the reference is committed here.
#
#   benches/python/patch_reference.sh DIR        # then: pip install networkx ortools
#   PYTHONPATH=DIR python benches/python/vs_reference.py ...
set -euo pipefail
dir=${1:?usage: patch_reference.sh DIR}
src=${PICKHARDTPAYMENTS_GIT:-https://github.com/renepickhardt/pickhardtpayments}
# d26f574: "fixed typo with case of list type"; later commits are a work in progress whose
# modules import each other absolutely and do not load as a package.
rev=d26f574
[ -d "$dir/.git" ] || git clone -q "$src" "$dir"
git -C "$dir" checkout -q "$rev"
pkg="$dir/pickhardtpayments"
cat > "$pkg/_ortools_compat.py" <<'PY'
"""The OR-tools < 9.4 `pywrapgraph.SimpleMinCostFlow` API on `ortools.graph.python`."""
import re

from ortools.graph.python import min_cost_flow as _mcf


class SimpleMinCostFlow:
    OPTIMAL = _mcf.SimpleMinCostFlow.OPTIMAL

    def __init__(self):
        self._m = _mcf.SimpleMinCostFlow()

    def __getattr__(self, name):
        return getattr(self._m, re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower())
PY
sed -i 's/^from ortools.graph import pywrapgraph$/from . import _ortools_compat as pywrapgraph/' "$pkg"/*.py
# Attempt.py (added in cd46871) imports its sibling absolutely; make every sibling import relative.
sed -i -E 's/^from (Attempt|Channel|ChannelGraph|OracleChannel|OracleLightningNetwork|UncertaintyChannel|UncertaintyNetwork|Payment) import/from .\1 import/' "$pkg"/*.py
echo "patched $pkg (revision $rev)"
