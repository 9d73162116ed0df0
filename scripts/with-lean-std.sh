#!/usr/bin/env bash
# Runs a build command (cargo or wasm-pack) so that the .wasm it makes is the one that ships:
#
#   scripts/with-lean-std.sh COMMAND [ARGS...]
#
# std is rebuilt from the stable toolchain's rust-src with the immediate-abort panic strategy
# (RUSTC_BOOTSTRAP=1 lets the stable compiler take cargo's build-std and -Cpanic=immediate-abort),
# so a panic traps at once and std's panic messages, the formatting code they reach and their
# file paths are not in the module: 74 663 -> 69 490 B gzipped (BENCHMARKS.md §2). Two more
# unstable switches the same bootstrap allows: -Zlocation-detail=none leaves the file, line and
# column out of the panic locations that are still passed around (no builder's paths in the
# .wasm: -0.5 KB), and std's optimize_for_size feature picks its smaller algorithms (-0.3 KB).
# The build goes to its own target directory, target/web-std, so these flags do not rebuild the
# test builds' dependencies. A toolchain without rust-src gets the precompiled std, with a warning.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="$root/target/web-std"
if [[ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ]]; then
  export RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
else
  echo "with-lean-std.sh: WARNING: no rust-src in the toolchain; the precompiled std adds about 5 KB gzipped" >&2
fi
exec "$@"
