#!/usr/bin/env bash
# Build pickhardt (with the LP backend) and the LEMON driver, make sure OR-tools is installed,
# produce instances if the folder is empty, and print the comparison table.
#
#   benches/scripts/compare.sh [INSTANCE_DIR]
#
# INSTANCE_DIR defaults to $CARGO_TARGET_DIR/mcf-instances (or target/mcf-instances), filled with
# `pickhardt mcf generate` when empty; use benches/scripts/export_ln.py for real-graph instances.
#
# Environment: REPEAT (default 5) runs per instance and tool (median reported), LP_REPEAT
# (default 1; CBC takes seconds), SOLVERS (default native,ssp,lp,lemon-ns,lemon-cs,ortools).
set -euo pipefail
cd "$(dirname "$0")/../.."
tdir="${CARGO_TARGET_DIR:-target}"
dir="${1:-$tdir/mcf-instances}"

cargo build --release -q -p pickhardt-cli --features lp
g++ -O2 -std=c++17 -o "$tdir/lemon_mcf" benches/scripts/lemon_mcf.cpp
python3 -c "import ortools" 2>/dev/null || pip install -q ortools

if [ ! -d "$dir" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then
  echo "generating instances into $dir" >&2
  "$tdir/release/pickhardt" mcf generate --out "$dir" >/dev/null
fi

python3 benches/scripts/compare.py --instances "$dir" \
  --pickhardt "$tdir/release/pickhardt" --lemon "$tdir/lemon_mcf" \
  --repeat "${REPEAT:-5}" --lp-repeat "${LP_REPEAT:-1}" \
  --solvers "${SOLVERS:-native,ssp,lp,lemon-ns,lemon-cs,ortools}" \
  --json-out "$dir/results.json"
