#!/usr/bin/env bash
# Size of the web package's .wasm under variants of [profile.release] and of wasm-opt's flags.
# Prints two markdown tables.
#
#   bench/size/profiles.sh [--smoke]
#
# Each profile variant overrides the root Cargo.toml's [profile.release] through cargo's
# CARGO_PROFILE_RELEASE_* variables (so the first row is always what is committed) and is built
# into build/size-profiles (so nothing races with pkg/ or target/). --smoke builds only the
# committed profile, in target/web-std (the package's own build), without the extra wasm-opt runs:
# it checks the script works. Every variant builds as the package does, with std rebuilt
# (scripts/with-lean-std.sh), but the one that says it uses the precompiled std.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
out=$root/build/size-profiles
target_dir=$out/target

# label | overrides (space-separated VAR=value)
variants=(
  "as committed|"
  "opt-level = \"s\"|CARGO_PROFILE_RELEASE_OPT_LEVEL=s"
  "opt-level = 3|CARGO_PROFILE_RELEASE_OPT_LEVEL=3"
  "lto = true|CARGO_PROFILE_RELEASE_LTO=true"
  "lto = \"thin\"|CARGO_PROFILE_RELEASE_LTO=thin"
  "codegen-units = 16|CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16"
  "panic = \"unwind\"|CARGO_PROFILE_RELEASE_PANIC=unwind"
  "std precompiled (no scripts/with-lean-std.sh)|PRECOMPILED_STD=1"
)
# label | wasm-opt flags
opt_flags=(
  "none|"
  "-Os|-Os"
  "-Oz|-Oz"
  "-Oz --converge --strip-producers --strip-target-features|-Oz --converge --strip-producers --strip-target-features"
  "-Oz --converge --strip-producers --strip-target-features --low-memory-unused|-Oz --converge --strip-producers --strip-target-features --low-memory-unused"
  "-Os --converge --strip-producers --strip-target-features --low-memory-unused|-Os --converge --strip-producers --strip-target-features --low-memory-unused"
  "-Os --converge --strip-producers --strip-target-features --low-memory-unused --flatten --rereloop -Os (make pkg)|--defaults"
)
if [[ ${1:-} == --smoke ]]; then
  variants=("${variants[0]}")
  opt_flags=("${opt_flags[0]}")
  out=$root/build/size-profiles-smoke
  target_dir=$root/target/web-std
fi

gz() { gzip -9 -n -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }
sizes() { printf '%s | %s' "$(kb "$(wc -c <"$1")")" "$(kb "$(gz "$1")")"; }

# build LABEL OVERRIDES → the wasm-bindgen web-target module in $out/SLUG/parallel_fetch_bg.wasm
build() {
  local slug dir
  slug=$(tr -c 'a-z0-9' '-' <<<"$1" | tr -s '-')
  dir="$out/$slug"
  mkdir -p "$dir"
  local runner=(scripts/with-lean-std.sh) dir_of_target=$target_dir
  if [[ $2 == *PRECOMPILED_STD* ]]; then runner=(); dir_of_target=$target_dir-precompiled-std; fi
  # shellcheck disable=SC2086 # the overrides are VAR=value words
  "${runner[@]}" env $2 cargo build --quiet --release --lib --target wasm32-unknown-unknown \
    --target-dir "$dir_of_target" >"$dir/build.log" 2>&1 || { tail -n 5 "$dir/build.log" >&2; return 1; }
  wasm-bindgen --target web --out-dir "$dir" "$dir_of_target/wasm32-unknown-unknown/release/parallel_fetch.wasm"
  echo "$dir/parallel_fetch_bg.wasm"
}

echo "| [profile.release] | .wasm raw | gzip -9 | after wasm-opt (make pkg's flags) | gzip -9 |"
echo "|---|---:|---:|---:|---:|"
committed=""
for variant in "${variants[@]}"; do
  label=${variant%%|*}
  wasm=$(build "$label" "${variant#*|}") || { echo "| $label | build failed | | | |"; continue; }
  [[ -n $committed ]] || committed=$wasm
  scripts/wasm-opt.sh "$wasm" "$wasm.oz" >/dev/null 2>&1
  echo "| $label | $(sizes "$wasm") | $(sizes "$wasm.oz") |"
done

echo
echo "| wasm-opt flags (profile as committed) | raw | gzip -9 |"
echo "|---|---:|---:|"
for entry in "${opt_flags[@]}"; do
  label=${entry%%|*}
  read -ra flags <<<"${entry#*|}"
  if [[ ${#flags[@]} -eq 0 ]]; then
    echo "| $label | $(sizes "$committed") |"
  else
    scripts/wasm-opt.sh "$committed" "$committed.flags" "${flags[@]}" >/dev/null 2>&1
    echo "| $label | $(sizes "$committed.flags") |"
  fi
done
# What ships: make pkg's flags (the committed row's output above), then the import and export
# names shortened with the glue.
shipped_dir=$(dirname "$committed")/shipped
rm -rf "$shipped_dir" && mkdir -p "$shipped_dir"
cp "$committed.oz" "$shipped_dir/parallel_fetch_bg.wasm"
cp "$(dirname "$committed")/parallel_fetch.js" "$shipped_dir/"
node scripts/shorten-wasm-names.mjs "$shipped_dir/parallel_fetch.js" "$shipped_dir/parallel_fetch_bg.wasm" >/dev/null
echo "| make pkg's flags, then scripts/shorten-wasm-names.mjs (as shipped) | $(sizes "$shipped_dir/parallel_fetch_bg.wasm") |"
