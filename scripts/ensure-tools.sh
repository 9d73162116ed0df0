#!/usr/bin/env bash
# Idempotently make sure every tool `make test` / `make demo` needs is on PATH.
#
#   scripts/ensure-tools.sh [--browser]
#
# - rustup target wasm32-unknown-unknown
# - rustup component rust-src         (std rebuilt for the shipped .wasm: scripts/with-lean-std.sh)
# - wasm-pack                      (cargo install wasm-pack)
# - wasm-bindgen CLI at exactly the wasm-bindgen version of Cargo.lock
#                                  (cargo install wasm-bindgen-cli --version =X)
# - node >= 18 and npm
# - with --browser: chromium + chromedriver (Debian packages), same major version
#
# wasm-pack downloads any tool it cannot find on PATH from GitHub, which this
# project's machines cannot reach: so everything must be installed here first.
# When everything is present this is a fast no-op (no network, no cargo build).
set -euo pipefail

export PATH="$HOME/.cargo/bin:$PATH"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WANT_BROWSER=0

for arg in "$@"; do
  case "$arg" in
    --browser) WANT_BROWSER=1 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ensure-tools: unknown argument: $arg (usage: $0 [--browser])" >&2; exit 2 ;;
  esac
done

STEP="start"
DIED=0
die() { DIED=1; echo "ensure-tools: FAILED at step '$STEP': $*" >&2; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || [ $DIED = 1 ] || echo "ensure-tools: FAILED at step '\''$STEP'\'' (exit $rc)" >&2' EXIT

have() { command -v "$1" >/dev/null 2>&1; }

# First x.y[.z] version number in a string.
vernum() { grep -oE '[0-9]+(\.[0-9]+)+' | head -n1; }

# Serialise concurrent installs (e.g. `make test` and `make demo` started together).
LOCK_DIR="$ROOT/build/tools"
locked=0
take_lock() {
  [ "$locked" = 1 ] && return 0
  if have flock; then
    mkdir -p "$LOCK_DIR"
    exec 9>"$LOCK_DIR/.ensure-tools.lock"
    flock 9
  fi
  locked=1
}

# cargo install, trying --locked first (reproducible), then without it (some
# locked transitive versions are missing from the registry mirror).
cargo_install() {
  take_lock
  if cargo install --locked "$@"; then return 0; fi
  echo "ensure-tools: 'cargo install --locked $*' failed; retrying without --locked" >&2
  cargo install "$@"
}

# ---------------------------------------------------------------- rust
STEP="rust toolchain"
have cargo  || die "cargo not found (install Rust via rustup; looked in \$HOME/.cargo/bin and PATH)"
have rustup || die "rustup not found (needed to add the wasm32-unknown-unknown target)"

STEP="rustup target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
  echo "ok: rustup target wasm32-unknown-unknown"
else
  echo "installing: rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown || die "rustup target add wasm32-unknown-unknown failed"
fi

# std's source, which scripts/with-lean-std.sh rebuilds with the immediate-abort panic strategy.
STEP="rustup component rust-src"
if rustup component list --installed | grep -qx 'rust-src'; then
  echo "ok: rustup component rust-src"
else
  echo "installing: rustup component rust-src"
  rustup component add rust-src || die "rustup component add rust-src failed"
fi

# ---------------------------------------------------------------- wasm-pack
STEP="wasm-pack"
if have wasm-pack; then
  echo "ok: wasm-pack $(wasm-pack --version | vernum)"
else
  echo "installing: wasm-pack (cargo install wasm-pack)"
  cargo_install wasm-pack || die "cargo install wasm-pack failed"
  have wasm-pack || die "wasm-pack still not on PATH after install"
  echo "ok: wasm-pack $(wasm-pack --version | vernum)"
fi

# ---------------------------------------------------------------- wasm-bindgen
STEP="wasm-bindgen version from Cargo.lock"
lock_version() {
  # Version of the `name = "wasm-bindgen"` [[package]] block(s) in Cargo.lock.
  awk '
    /^\[\[package\]\]/   { inpkg = 1; name = ""; next }
    inpkg && /^name = /  { name = $3; gsub(/"/, "", name); next }
    inpkg && /^version = / && name == "wasm-bindgen" { v = $3; gsub(/"/, "", v); print v; name = "" }
  ' "$ROOT/Cargo.lock" | sort -u
}
toml_pin() {
  # `wasm-bindgen = "=X.Y.Z"` (or { version = "=X.Y.Z", ... }) in Cargo.toml.
  sed -nE 's/^[[:space:]]*wasm-bindgen[[:space:]]*=.*"=[[:space:]]*([0-9]+\.[0-9]+\.[0-9]+)".*/\1/p' "$ROOT/Cargo.toml" | head -n1
}
if [ -f "$ROOT/Cargo.lock" ]; then
  BINDGEN_WANT="$(lock_version)"
else
  # No lockfile yet (fresh checkout): an exact `=` pin in Cargo.toml decides what
  # cargo will lock; failing that, let cargo resolve the lockfile (as any build would).
  BINDGEN_WANT="$(toml_pin)"
  if [ -n "$BINDGEN_WANT" ]; then
    echo "note: no Cargo.lock yet; using the =$BINDGEN_WANT pin from Cargo.toml"
  else
    echo "note: no Cargo.lock yet; resolving it with 'cargo generate-lockfile'"
    (cd "$ROOT" && cargo generate-lockfile -q) || die "cargo generate-lockfile failed"
    [ -f "$ROOT/Cargo.lock" ] || die "cargo generate-lockfile did not create $ROOT/Cargo.lock"
    BINDGEN_WANT="$(lock_version)"
  fi
fi
[ -n "$BINDGEN_WANT" ] || die "no wasm-bindgen package in $ROOT/Cargo.lock"
[ "$(printf '%s\n' "$BINDGEN_WANT" | wc -l)" -eq 1 ] \
  || die "several wasm-bindgen versions in Cargo.lock: $(echo $BINDGEN_WANT); the CLI must match exactly one"

STEP="wasm-bindgen CLI $BINDGEN_WANT"
bindgen_have() { have wasm-bindgen && wasm-bindgen --version 2>/dev/null | vernum || true; }
BINDGEN_HAVE="$(bindgen_have)"
if [ "$BINDGEN_HAVE" = "$BINDGEN_WANT" ]; then
  echo "ok: wasm-bindgen $BINDGEN_HAVE"
else
  if [ -n "$BINDGEN_HAVE" ]; then
    echo "installing: wasm-bindgen-cli $BINDGEN_WANT (found $BINDGEN_HAVE, Cargo.lock wants $BINDGEN_WANT)"
  else
    echo "installing: wasm-bindgen-cli $BINDGEN_WANT"
  fi
  cargo_install --force wasm-bindgen-cli --version "=$BINDGEN_WANT" \
    || die "cargo install wasm-bindgen-cli --version =$BINDGEN_WANT failed"
  hash -r
  BINDGEN_HAVE="$(bindgen_have)"
  [ "$BINDGEN_HAVE" = "$BINDGEN_WANT" ] \
    || die "after install, 'wasm-bindgen --version' gives '${BINDGEN_HAVE:-nothing}' (at $(command -v wasm-bindgen || echo 'not on PATH')), want $BINDGEN_WANT"
  echo "ok: wasm-bindgen $BINDGEN_HAVE"
fi

# ---------------------------------------------------------------- node / npm
STEP="node"
have node || die "node not found on PATH (need Node.js >= 18; e.g. apt-get install nodejs npm)"
NODE_VER="$(node -p 'process.versions.node')"
NODE_MAJOR="${NODE_VER%%.*}"
[ "$NODE_MAJOR" -ge 18 ] 2>/dev/null || die "node $NODE_VER is too old (need >= 18)"
echo "ok: node $NODE_VER"

STEP="npm"
have npm || die "npm not found on PATH (needed to package for npm and to fetch binaryen)"
echo "ok: npm $(npm --version 2>/dev/null | vernum)"

# ---------------------------------------------------------------- browser
if [ "$WANT_BROWSER" = 1 ]; then
  STEP="chromium + chromedriver"
  if ! have chromium || ! have chromedriver; then
    SUDO=()
    if [ "${EUID:-$(id -u)}" -ne 0 ]; then
      have sudo || die "chromium/chromedriver missing and not root and no sudo: run as root 'apt-get update && apt-get install -y chromium chromium-driver'"
      SUDO=(sudo)
    fi
    have apt-get || die "chromium/chromedriver missing and no apt-get to install them"
    take_lock
    echo "installing: chromium chromium-driver (apt-get)"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q \
      || die "apt-get update failed"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver \
      || die "apt-get install chromium chromium-driver failed"
    hash -r
    have chromium     || die "chromium still not on PATH after apt-get install"
    have chromedriver || die "chromedriver still not on PATH after apt-get install"
  fi
  # Debian's /usr/bin/chromium wrapper may print shell noise on stderr: drop it.
  CHROMIUM_VER="$(chromium --version 2>/dev/null | vernum)"
  DRIVER_VER="$(chromedriver --version 2>/dev/null | vernum)"
  [ -n "$CHROMIUM_VER" ] || die "could not read 'chromium --version'"
  [ -n "$DRIVER_VER" ]   || die "could not read 'chromedriver --version'"
  echo "ok: chromium $CHROMIUM_VER"
  echo "ok: chromedriver $DRIVER_VER"
  [ "${CHROMIUM_VER%%.*}" = "${DRIVER_VER%%.*}" ] \
    || die "chromium $CHROMIUM_VER and chromedriver $DRIVER_VER major versions differ (fix: apt-get install -y chromium chromium-driver)"
fi

STEP="done"
