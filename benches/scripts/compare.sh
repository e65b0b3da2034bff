#!/usr/bin/env bash
# Build pickhardt (with the LP backend) and the LEMON driver, make sure OR-tools is installed,
# produce instances if the folder is empty, and print the comparison table.
#
#   benches/scripts/compare.sh generated      # 40 instances of `pickhardt mcf generate`
#   PP_DATA_DIR=../shared/data benches/scripts/compare.sh ln-2026
#                                             # 40 round-1 instances of ln-2026 (export_ln.py)
#   benches/scripts/compare.sh DIR            # every DIR/*.min
#
# Instances go to $CARGO_TARGET_DIR/mcf-<name> (or target/mcf-<name>) and are made only when that
# folder is empty.
#
# Environment: REPEAT (default 5) runs per instance and tool (median reported), LP_REPEAT
# (default 1; CBC takes seconds), SOLVERS (default native,ssp,lp,lemon-ns,lemon-cs,ortools).
set -euo pipefail
cd "$(dirname "$0")/../.."
tdir="${CARGO_TARGET_DIR:-target}"
what="${1:-generated}"
case "$what" in
  generated | ln-2026) dir="$tdir/mcf-$what" ;;
  *) dir="$what" ;;
esac

cargo build --release -q -p pickhardt-cli --features lp
g++ -O2 -std=c++17 -o "$tdir/lemon_mcf" benches/scripts/lemon_mcf.cpp
python3 -c "import ortools" 2>/dev/null || pip install -q ortools

if [ ! -d "$dir" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then
  case "$what" in
    generated)
      echo "generating instances into $dir" >&2
      "$tdir/release/pickhardt" mcf generate --out "$dir" >/dev/null ;;
    ln-2026)
      : "${PP_DATA_DIR:?set PP_DATA_DIR to the folder with ln-2026.listchannels.json.gz}"
      echo "exporting ln-2026 round-1 instances into $dir" >&2
      python3 benches/scripts/export_ln.py --graph "$PP_DATA_DIR/ln-2026.listchannels.json.gz" \
        --out "$dir" --pickhardt "$tdir/release/pickhardt" >/dev/null ;;
    *) echo "error: no .min files in $dir" >&2; exit 2 ;;
  esac
fi

python3 benches/scripts/compare.py --instances "$dir" \
  --pickhardt "$tdir/release/pickhardt" --lemon "$tdir/lemon_mcf" \
  --repeat "${REPEAT:-5}" --lp-repeat "${LP_REPEAT:-1}" \
  --solvers "${SOLVERS:-native,ssp,lp,lemon-ns,lemon-cs,ortools}" \
  --json-out "$dir/results.json"
