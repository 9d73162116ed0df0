#!/usr/bin/env bash
# Builds the benchmarks' own copy of the web package (so nothing races with pkg/):
#
#   bench/build-pkg.sh OUT_DIR
#
# OUT_DIR gets wasm-pack's web target, optimised like `make pkg` (scripts/wasm-opt.sh, its default flags,
# then scripts/shorten-wasm-names.mjs), and
# OUT_DIR/unoptimised.wasm, wasm-bindgen's output before wasm-opt (for the size report). The
# optimised module is cached by the hash of its input, so an unchanged build skips wasm-opt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: bench/build-pkg.sh OUT_DIR}
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
cache=$out/.optimised
mkdir -p "$cache"

scripts/with-lean-std.sh wasm-pack --quiet build --release --target web --out-dir "$out" >/dev/null
cp "$out/parallel_fetch_bg.wasm" "$out/unoptimised.wasm"
hash=$(sha256sum <"$out/unoptimised.wasm" | cut -d' ' -f1)
if [[ -f $cache/$hash.wasm ]]; then
  cp "$cache/$hash.wasm" "$out/parallel_fetch_bg.wasm"
  echo "bench/build-pkg.sh: unchanged build, reused its optimised .wasm"
else
  scripts/wasm-opt.sh "$out/unoptimised.wasm" "$out/parallel_fetch_bg.wasm" 2>/dev/null
  rm -f "$cache"/*.wasm
  cp "$out/parallel_fetch_bg.wasm" "$cache/$hash.wasm"
fi
# As the package ships: the import and export names shortened in the .wasm and the glue alike.
node scripts/shorten-wasm-names.mjs "$out/parallel_fetch.js" "$out/parallel_fetch_bg.wasm" >/dev/null
