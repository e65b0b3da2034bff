#!/usr/bin/env bash
# The scale table of benches/README.md: generated graphs at 1×, 2×, 4×, 8× and 16× ln-2026's
# size (7,000 nodes give about 66,000 directions, as ln-2026 has), each loaded and paid on by
# `pickhardt bench` with seeded balances. Prints one markdown row per size: nodes, directions,
# load time, peak memory of loading alone (`graph stats`) per direction, and the median round-1
# build, solve and whole-payment times at 100,000 and 1,000,000 sat (warm session), the cold
# payment (a new session, graph loaded), and the peak memory of one process that loads the graph
# and pays one 1,000,000 sat payment (`simulate --payments 1`: graph, balances, one session).
#
# Usage: benches/scripts/scale.sh [PICKHARDT_BINARY] [FACTORS...]
#   default binary target/release/pickhardt (build it with cargo build --release -p pickhardt-cli),
#   default factors 1 2 4 8 16. Needs GNU time (/usr/bin/time) and python3. Writes the generated
#   graphs to a temporary folder and removes them.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-target/release/pickhardt}
shift || true
factors=${*:-1 2 4 8 16}
[ -x "$bin" ] || { echo "error: $bin is not built (cargo build --release -p pickhardt-cli)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "| size | nodes | directions | load (s) | load RSS (MiB) | bytes/direction | build 100k (ms) | solve 100k (ms) | pay 100k (ms) | build 1M (ms) | solve 1M (ms) | pay 1M (ms) | cold pay 100k (ms) | cold pay 1M (ms) | payment RSS (MiB) | bench RSS (MiB) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for f in $factors; do
  nodes=$((7000 * f))
  g="$tmp/g$f.json"
  "$bin" graph generate --nodes "$nodes" --seed 1 -o "$g" 2>/dev/null
  /usr/bin/time -f "%M" -o "$tmp/stats.rss" "$bin" graph stats --graph "$g" --json >"$tmp/stats.json"
  /usr/bin/time -f "%M" -o "$tmp/bench.rss" "$bin" bench --graph "$g" --pairs 5 --repeat 1 \
    --solvers native --json >"$tmp/bench.json"
  /usr/bin/time -f "%M" -o "$tmp/pay.rss" "$bin" simulate --graph "$g" --seed 1 --payments 1 \
    --amount 1000000 --strategy mcf >/dev/null
  python3 - "$f" "$tmp" <<'PY'
import json, sys
f, tmp = sys.argv[1], sys.argv[2]
b = json.load(open(f"{tmp}/bench.json"))
stats_rss = int(open(f"{tmp}/stats.rss").read().split()[-1]) * 1024
bench_rss = int(open(f"{tmp}/bench.rss").read().split()[-1]) * 1024
pay_rss = int(open(f"{tmp}/pay.rss").read().split()[-1]) * 1024
g = b
rows = {r["amount_sat"]: r for r in b["amounts"]}
def col(a, k):
    r = rows.get(a)
    if r is None:
        return "-"
    v = dict(r["solve_ms"]).get("native") if k == "native_ms" else r.get(k)
    return "-" if v is None else f"{v:.1f}"
cells = [f"{f}×", str(g["nodes"]), str(g["directions"]), f"{g['load_ms'] / 1000:.2f}",
         f"{stats_rss / 2**20:.0f}", f"{stats_rss / g['directions']:.0f}"]
for a in (100000, 1000000):
    cells += [col(a, "build_ms"), col(a, "native_ms"), col(a, "pay_ms")]
cells += [col(100000, "pay_cold_ms"), col(1000000, "pay_cold_ms")]
cells += [f"{pay_rss / 2**20:.0f}", f"{bench_rss / 2**20:.0f}"]
print("| " + " | ".join(cells) + " |")
PY
done
