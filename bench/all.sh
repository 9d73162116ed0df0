#!/usr/bin/env bash
# `make bench`: every benchmark, printed and written into BENCHMARKS.md's generated sections.
# mk/bench.mk has built the server, the benchmarks' web package (build/bench-pkg), the npm
# package (build/package, for the shipped size) and installed the tools first.
#
#   bench/all.sh [DOC]        (default BENCHMARKS.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
doc=${1:-BENCHMARKS.md}
pkg=build/bench-pkg
work=build/bench-out
mkdir -p "$work" docs
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

section() { # NAME FILE [--demote N]
  local name=$1 file=$2
  shift 2
  node bench/write-section.mjs "$doc" "$name" "$@" <"$file"
}

echo "== browser: overhead (HTTP/1.1, HTTP/2), start-up, profile, memory, leak test, hedging, breaker"
scripts/with-server.sh --tls-port 0 --mount /=bench/page --mount "/pkg=$pkg" \
  --mount /vendor/ky=bench/node_modules/ky/distribution -- node bench/run.mjs --doc "$doc" \
  | tee "$work/browser.md"

echo "== size"
node bench/size/shipped.mjs build/package/parallel-fetch | tee "$work/shipped.md"
section shipped "$work/shipped.md"
scripts/wasm-opt.sh "$pkg/unoptimised.wasm" "$work/named.wasm" --defaults -g 2>/dev/null
node bench/size/report.mjs "$pkg" "$work/named.wasm" | tee "$work/size.md"
section size "$work/size.md"
bench/size/profiles.sh | tee "$work/profiles.md"
section profiles "$work/profiles.md"

echo "== contention simulation"
cargo run --quiet --release --example contention -- --svg docs/contention.svg \
  | tee "$work/contention.md"
section contention "$work/contention.md" --demote 2
# Literal base 5 for every strategy misses the core claim on purpose (see BENCHMARKS.md): the
# example exits 1 then, which is the result to report, not a failure of the benchmark.
cargo run --quiet --release --example contention -- --ceilings crate \
  | tee "$work/contention-crate.md" || true
section contention-crate "$work/contention-crate.md" --demote 2

echo "== retry storm simulation"
# Exit 1 is a missed target: recorded in the document and reported, not a failure of the run.
storm=0
cargo run --quiet --release --example retry_storm -- --svg docs/retry-storm.svg \
  | tee "$work/retry-storm.md" || storm=$?
[[ $storm -le 1 ]] || exit "$storm"
section retry-storm "$work/retry-storm.md" --demote 2
[[ $storm -eq 0 ]] || echo "bench: retry_storm missed a target (see BENCHMARKS.md §6)" >&2

finished=$(date +%s)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
cat >"$work/run.md" <<RUN
- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Command: \`make bench\` ($((finished - started)) s, not counting the builds before it)
- Machine: $(nproc) CPUs (\`nproc\`), ${cpu:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(. /etc/os-release && echo "$PRETTY_NAME")
- Load average (1, 5, 15 min): $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after
- $(sed -n 's/^Chromium/Chromium/p' "$work/browser.md" | head -n1 | cut -d: -f1) (headless, playwright-core $(node -p 'require("./bench/node_modules/playwright-core/package.json").version')), ky $(node -p 'require("./bench/node_modules/ky/package.json").version'), Node $(node --version), $(rustc --version | cut -d' ' -f1-2), wasm-bindgen $(wasm-bindgen --version | cut -d' ' -f2)
RUN
section run "$work/run.md"
cat "$work/run.md"
echo "bench: wrote $doc"
