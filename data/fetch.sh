#!/usr/bin/env bash
# Gets the real Lightning Network snapshots the tests, benches and README tour read, from their
# public sources (see data/README.md), and converts them with this project's own CLI
# (`pickhardt graph convert`):
#
#   OUT/ln-2020-cloth.listchannels.json.gz  OUT/ln-2020-cloth.balances.csv.gz   (CLoTH, 2020)
#   OUT/ln-2026.listchannels.json.gz        OUT/ln-2026.balances.csv.gz         (core-lightning)
#   OUT/upstream/cloth-2020/*.csv, OUT/upstream/cln-2026/*                      (the originals)
#
# Every original is checked against its sha256 before use. The converted files equal the
# shared copies CI uses, byte for byte after decompression (a test checks it).
#
# Usage: data/fetch.sh [--from DIR] [--out DIR]
#   --from DIR  take the originals from DIR instead of downloading them; DIR has the layout of
#               OUT/upstream: cloth-2020/{nodes,channels,edges}_ln.csv (or .csv.gz) and
#               cln-2026/gossip-store-2026-02-03{.compressed,-node-map.xz}
#   --out DIR   where to write (default: data/snapshots in the repository, ignored by git)
# Environment: PICKHARDT, the pickhardt binary to run (default: built from this repository
# with `cargo run --release`). Then: export PP_DATA_DIR=data/snapshots
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
from=""
out="$root/data/snapshots"
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from="${2:?--from needs a folder}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# (CLOTH_URL and CLN_URL may be overridden, e.g. with file:// URLs of a mirror.)
CLOTH_URL=${CLOTH_URL:-https://raw.githubusercontent.com/marcono/cloth/e0e40430238a3a00ae4a60edab72ef31ee29c062}
CLN_URL=${CLN_URL:-https://raw.githubusercontent.com/ElementsProject/lightning/090f4b0e6981d458b07a8e95d3eccf5a7c0b9542/tests/data}
# folder, file, sha256 (of the uncompressed file), source URL
ORIGINALS="
cloth-2020 nodes_ln.csv 4c8bdf42ab348c1adc5287190992d2a5d99042e87345e45ee39b9be9279dcfe7 $CLOTH_URL/nodes_ln.csv
cloth-2020 channels_ln.csv a56c753b49cd0279b41675f0e70333d1875ff0c835b4b09d4604342293567ae5 $CLOTH_URL/channels_ln.csv
cloth-2020 edges_ln.csv e58f8262e759971d1b834e60a9a469b3a5ab52dd5dd6ace80b5510fd6f84960a $CLOTH_URL/edges_ln.csv
cln-2026 gossip-store-2026-02-03.compressed 72fa62e58396e9aae947156e44e67191a9b85aa5a3bb287b887b163b4854ea00 $CLN_URL/gossip-store-2026-02-03.compressed
cln-2026 gossip-store-2026-02-03-node-map.xz 00da95a149cde2c779761603c4673575889bd70de2986dfd104df3819b70530b $CLN_URL/gossip-store-2026-02-03-node-map.xz
"

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

# The sha256 of a file's content; a .gz file is hashed decompressed (the shared copies of the
# CLoTH CSVs are gzipped, the checksums are those of the originals).
content_sha256() {
  case "$1" in
    *.gz) gzip -dc "$1" | sha256 ;;
    *) sha256 < "$1" ;;
  esac
}

mkdir -p "$out/upstream/cloth-2020" "$out/upstream/cln-2026"
out=$(cd "$out" && pwd)
if [ -n "$from" ]; then
  from=$(cd "$from" && pwd) || { echo "error: --from $from is not a folder" >&2; exit 2; }
fi

# Checks that file $1 has sha256 $2; a bad file other than an original in --from is removed.
verify() {
  got=$(content_sha256 "$1")
  if [ "$got" != "$2" ]; then
    echo "error: $1 has sha256 $got, expected $2" >&2
    case "$1" in "$out"/*) rm -f "$1" ;; esac
    exit 1
  fi
}

echo "$ORIGINALS" | while read -r dir file sum url; do
  [ -n "$dir" ] || continue
  dest="$out/upstream/$dir/$file"
  if [ -n "$from" ]; then
    src="$from/$dir/$file"
    [ -f "$src" ] || src="$src.gz"
    [ -f "$src" ] || { echo "error: neither $from/$dir/$file nor $src exists" >&2; exit 2; }
    case "$src" in *.gz) dest="$dest.gz" ;; esac
    if [ "$src" != "$dest" ]; then
      verify "$src" "$sum"
      cp "$src" "$dest.part" && chmod u+w "$dest.part" && mv "$dest.part" "$dest"
    fi
    echo "copied     $dir/$(basename "$dest") from $from" >&2
  elif [ -f "$dest" ] && [ "$(content_sha256 "$dest")" = "$sum" ]; then
    echo "have       $dir/$file" >&2
  else
    echo "fetching   $url" >&2
    curl -fsSL --retry 2 -o "$dest.part" "$url" ||
      { rm -f "$dest.part"; echo "error: cannot download $url (offline? use --from DIR)" >&2; exit 1; }
    verify "$dest.part" "$sum"
    mv "$dest.part" "$dest"
  fi
  verify "$dest" "$sum"
  echo "verified   $dir/$(basename "$dest") sha256 $sum" >&2
done

if [ -n "${PICKHARDT:-}" ]; then
  run() { "$PICKHARDT" "$@"; }
else
  echo "building   pickhardt (cargo build --release)" >&2
  cargo build --release -q -p pickhardt-cli --manifest-path "$root/Cargo.toml"
  run() { cargo run --release -q -p pickhardt-cli --manifest-path "$root/Cargo.toml" -- "$@"; }
fi

run graph convert --cloth "$out/upstream/cloth-2020" \
  -o "$out/ln-2020-cloth.listchannels.json.gz" --balances "$out/ln-2020-cloth.balances.csv.gz"
cln="$out/upstream/cln-2026"
run graph convert --gossmap "$cln/gossip-store-2026-02-03.compressed" \
  --node-map "$cln/gossip-store-2026-02-03-node-map.xz" \
  -o "$out/ln-2026.listchannels.json.gz" --balances "$out/ln-2026.balances.csv.gz"

case "$out" in
  "$root"/*) rel="${out#"$root"/}" ;;
  *) rel="$out" ;;
esac
echo "done: export PP_DATA_DIR=$rel   (relative values are taken from the repository root)" >&2
