#!/usr/bin/env bash
# Optimise a Rust/wasm-bindgen .wasm with a wasm-opt that handles current Rust output, after
# dropping the closure invokers only wasm-bindgen's descriptors referenced
# (scripts/drop-dead-invokers.mjs).
#
#   scripts/wasm-opt.sh IN.wasm OUT.wasm [wasm-opt flags...]     (default: the flags below;
#                                                               --defaults among the flags adds them)
#
# Candidates, first that works wins:
#   1. $WASM_OPT, if set (a path or a command name);
#   2. `wasm-opt` on PATH (e.g. Debian's binaryen package);
#   3. the npm package binaryen@$BINARYEN_NPM_VERSION, installed once into
#      build/tools/binaryen (repo-relative) and run via node.
# Each is run with the wasm features Rust enables by default (those its --help
# knows), never --all-features (that lets it emit GC types that browsers/node reject).
# A result is accepted only if node's WebAssembly.validate() accepts it AND its
# imports/exports keep the input's kinds and types. (Debian bookworm's wasm-opt
# 108 produces a module that validates but exports wasm-bindgen's externref table
# as the funcref table, which breaks the JS glue at start-up; the check catches that.)
# IN may equal OUT. OUT is only written on success. Prints which wasm-opt was used.
set -euo pipefail

BINARYEN_NPM_VERSION="132.0.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NPM_DIR="$ROOT/build/tools/binaryen"
NPM_WASM_OPT="$NPM_DIR/node_modules/.bin/wasm-opt"

die() { echo "wasm-opt.sh: ERROR: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

if [ $# -lt 2 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
IN="$1"; OUT="$2"; shift 2
# What the shipped .wasm is optimised with (the smallest gzipped of those BENCHMARKS.md §2
# measures): -Os gzips smaller than -Oz here; --low-memory-unused is sound for Rust, whose stack
# sits below its data and never reaches the first 1 KB short of overflowing. After it,
# --flatten --rereloop rebuilds each function's control flow from scratch, and the -Os after
# it leaves about 1 KB less raw and 0.4 KB less gzipped than -Os alone.
DEFAULT_FLAGS=(-Os --converge --strip-producers --strip-target-features --low-memory-unused --flatten --rereloop -Os)
FLAGS=()
for flag in "$@"; do
  if [ "$flag" = --defaults ]; then FLAGS+=("${DEFAULT_FLAGS[@]}"); else FLAGS+=("$flag"); fi
done
[ ${#FLAGS[@]} -gt 0 ] || FLAGS=("${DEFAULT_FLAGS[@]}")

[ -f "$IN" ] || die "input '$IN' not found"
have node || die "node is needed (to validate the result and to run the npm binaryen); run scripts/ensure-tools.sh"

# Features rustc enables by default for wasm32-unknown-unknown (Rust >= 1.82),
# plus the finer-grained names newer binaryen splits them into.
FEATURES_WANTED=(
  --enable-bulk-memory --enable-bulk-memory-opt --enable-sign-ext
  --enable-mutable-globals --enable-nontrapping-float-to-int
  --enable-multivalue --enable-reference-types --enable-call-indirect-overlong
)

OUT_DIR="$(dirname "$OUT")"
mkdir -p "$OUT_DIR"
TMP_OUT="$(mktemp "$OUT_DIR/.wasm-opt.XXXXXX.wasm")"
SRC="$(mktemp "$OUT_DIR/.wasm-in.XXXXXX.wasm")"
LOG="$(mktemp "${TMPDIR:-/tmp}/wasm-opt-log.XXXXXX")"
trap 'rm -f "$TMP_OUT" "$SRC" "$LOG"' EXIT

# check_module IN OUT: WebAssembly.validate(OUT), and OUT's imports/exports must
# have the same kinds and types as IN's (OUT may drop unused imports).
check_module() {
  node - "$1" "$2" <<'EOF'
'use strict';
const fs = require('fs');
const [inPath, outPath] = process.argv.slice(2);

function parse(buf) {
  let i = 0;
  const u8 = () => { if (i >= buf.length) throw new Error('truncated'); return buf[i++]; };
  const leb = () => { let r = 0n, s = 0n, b; do { b = u8(); r |= BigInt(b & 0x7f) << s; s += 7n; } while (b & 0x80); return Number(r); };
  const sleb = () => { let r = 0n, s = 0n, b; do { b = u8(); r |= BigInt(b & 0x7f) << s; s += 7n; } while (b & 0x80); if (b & 0x40) r -= 1n << s; return r; };
  const name = () => { const n = leb(); const s = buf.toString('utf8', i, i + n); i += n; return s; };
  const heap = () => String(sleb());
  const valtype = () => {
    const b = u8();
    if ((b >= 0x7b && b <= 0x7f) || (b >= 0x69 && b <= 0x74)) return '0x' + b.toString(16);
    if (b === 0x63 || b === 0x64) return '0x' + b.toString(16) + ':' + heap();
    throw new Error('unsupported value type 0x' + b.toString(16));
  };
  const limits = () => { const f = u8(); leb(); if (f & 1) leb(); };
  const constExpr = () => {
    for (;;) {
      const op = u8();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42) sleb();
      else if (op === 0x43) i += 4;
      else if (op === 0x44) i += 8;
      else if (op === 0x23 || op === 0xd2) leb();
      else if (op === 0xd0) heap();
      else if ([0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) { /* extended-const */ }
      else throw new Error('unsupported const expr opcode 0x' + op.toString(16));
    }
  };
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  i = 8;
  const types = [], funcs = [], tables = [], globals = [], memories = [], tags = [];
  const imports = new Map(), exports = new Map();
  while (i < buf.length) {
    const id = u8(), len = leb(), end = i + len;
    if (id === 1) {
      for (let n = leb(); n > 0; n--) {
        const form = u8();
        if (form !== 0x60) throw new Error('unsupported type form 0x' + form.toString(16));
        const p = []; for (let k = leb(); k > 0; k--) p.push(valtype());
        const r = []; for (let k = leb(); k > 0; k--) r.push(valtype());
        types.push('func(' + p.join(',') + ')->(' + r.join(',') + ')');
      }
    } else if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        const key = name() + '::' + name(), kind = u8();
        let desc;
        if (kind === 0) { desc = types[leb()]; funcs.push(desc); }
        else if (kind === 1) { desc = 'table ' + valtype(); limits(); tables.push(desc); }
        else if (kind === 2) { desc = 'memory'; limits(); memories.push(desc); }
        else if (kind === 3) { desc = 'global ' + valtype() + (u8() ? ' mut' : ''); globals.push(desc); }
        else if (kind === 4) { u8(); desc = 'tag ' + types[leb()]; tags.push(desc); }
        else throw new Error('unsupported import kind ' + kind);
        imports.set(key, desc);
      }
    } else if (id === 3) {
      for (let n = leb(); n > 0; n--) funcs.push(types[leb()]);
    } else if (id === 4) {
      for (let n = leb(); n > 0; n--) {
        if (buf[i] === 0x40) throw new Error('unsupported table with initialiser');
        tables.push('table ' + valtype()); limits();
      }
    } else if (id === 5) {
      for (let n = leb(); n > 0; n--) { limits(); memories.push('memory'); }
    } else if (id === 6) {
      for (let n = leb(); n > 0; n--) { globals.push('global ' + valtype() + (u8() ? ' mut' : '')); constExpr(); }
    } else if (id === 13) {
      for (let n = leb(); n > 0; n--) { u8(); tags.push('tag ' + types[leb()]); }
    } else if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const nm = name(), kind = u8(), idx = leb();
        const space = [funcs, tables, memories, globals, tags][kind];
        if (!space || space[idx] === undefined) throw new Error(`export ${nm}: bad index ${idx} (kind ${kind})`);
        exports.set(nm, space[idx]);
      }
    }
    i = end;
  }
  return { imports, exports };
}

const inBuf = fs.readFileSync(inPath), outBuf = fs.readFileSync(outPath);
if (!WebAssembly.validate(outBuf)) {
  let why = '';
  try { new WebAssembly.Module(outBuf); } catch (e) { why = ': ' + e.message; }
  console.error('output does not validate in node ' + process.version + why);
  process.exit(1);
}
let a;
try { a = parse(inBuf); } catch (e) {
  console.error('warning: cannot read the input\'s imports/exports (' + e.message + '); checked validation only');
  process.exit(0);
}
let b;
try { b = parse(outBuf); } catch (e) { console.error('cannot read the output\'s imports/exports: ' + e.message); process.exit(1); }
const errs = [];
for (const [k, t] of a.exports) {
  if (!b.exports.has(k)) errs.push(`export "${k}" disappeared`);
  else if (b.exports.get(k) !== t) errs.push(`export "${k}" changed: ${t}  =>  ${b.exports.get(k)}`);
}
for (const k of b.exports.keys()) if (!a.exports.has(k)) errs.push(`new export "${k}"`);
for (const [k, t] of b.imports) {
  if (!a.imports.has(k)) errs.push(`new import "${k}"`);
  else if (a.imports.get(k) !== t) errs.push(`import "${k}" changed: ${a.imports.get(k)}  =>  ${t}`);
}
if (errs.length) { console.error('output changes the module interface:\n  ' + errs.join('\n  ')); process.exit(1); }
EOF
}

# try_wasm_opt BIN LABEL: run it, check, and move the result into place.
try_wasm_opt() {
  local bin="$1" label="$2" ver help f feats=()
  ver="$("$bin" --version 2>/dev/null | grep -oE '[0-9]+' | head -n1 || true)"
  if [ -z "$ver" ]; then
    echo "wasm-opt.sh: skip $label wasm-opt ($bin): '--version' does not work" >&2
    return 1
  fi
  help="$("$bin" --help 2>&1 || true)"
  for f in "${FEATURES_WANTED[@]}"; do
    if grep -qE -- "(^|[[:space:],])$f([[:space:],]|$)" <<<"$help"; then feats+=("$f"); fi
  done
  if ! "$bin" "$SRC" -o "$TMP_OUT" "${feats[@]}" "${FLAGS[@]}" >"$LOG" 2>&1; then
    echo "wasm-opt.sh: $label wasm-opt $ver ($bin) failed on $IN:" >&2
    tail -n 5 "$LOG" | sed 's/^/    /' >&2
    return 1
  fi
  if ! check_module "$IN" "$TMP_OUT" >"$LOG" 2>&1; then
    echo "wasm-opt.sh: $label wasm-opt $ver ($bin) gave a bad result for $IN:" >&2
    sed 's/^/    /' "$LOG" | head -n 8 >&2
    return 1
  fi
  [ -s "$LOG" ] && sed 's/^/wasm-opt.sh: /' "$LOG" >&2
  local in_size out_size
  in_size="$(wc -c <"$IN")"; out_size="$(wc -c <"$TMP_OUT")"
  # mktemp made it private; a package file must be readable by everyone.
  chmod 644 "$TMP_OUT"
  mv -f "$TMP_OUT" "$OUT"
  echo "wasm-opt.sh: used $label wasm-opt version $ver ($bin) ${FLAGS[*]}: $IN ($in_size B) -> $OUT ($out_size B)"
  return 0
}

# ensure_npm_binaryen: install binaryen@$BINARYEN_NPM_VERSION into $NPM_DIR once.
npm_installed_version() {
  node -p 'require(process.argv[1]).version' "$NPM_DIR/node_modules/binaryen/package.json" 2>/dev/null || true
}
ensure_npm_binaryen() {
  if [ -x "$NPM_WASM_OPT" ] && [ "$(npm_installed_version)" = "$BINARYEN_NPM_VERSION" ]; then
    return 0
  fi
  have npm || die "npm is needed to install the binaryen fallback; run scripts/ensure-tools.sh"
  mkdir -p "$NPM_DIR"
  # Serialise concurrent builds that would both install it.
  if have flock; then exec 8>"$NPM_DIR/.install.lock"; flock 8; fi
  if [ -x "$NPM_WASM_OPT" ] && [ "$(npm_installed_version)" = "$BINARYEN_NPM_VERSION" ]; then
    return 0
  fi
  echo "wasm-opt.sh: installing: npm binaryen@$BINARYEN_NPM_VERSION into ${NPM_DIR#"$ROOT"/}" >&2
  npm install --prefix "$NPM_DIR" "binaryen@$BINARYEN_NPM_VERSION" \
      --no-audit --no-fund --loglevel=error >&2 \
    || die "npm install binaryen@$BINARYEN_NPM_VERSION failed"
  [ -x "$NPM_WASM_OPT" ] || die "npm binaryen installed but $NPM_WASM_OPT is missing"
}

# First, whichever wasm-opt runs: the closure invokers that only wasm-bindgen's descriptors
# named leave the function table (scripts/drop-dead-invokers.mjs, with the npm binaryen's JS
# API), so that wasm-opt can remove them. The result is checked against IN, as wasm-opt's is.
ensure_npm_binaryen
BINARYEN_JS="$NPM_DIR/node_modules/binaryen/index.js" node "$ROOT/scripts/drop-dead-invokers.mjs" "$IN" "$SRC" \
    | sed 's/^/wasm-opt.sh: /' >&2 \
  || die "scripts/drop-dead-invokers.mjs failed on $IN"

if [ -n "${WASM_OPT:-}" ]; then
  bin="$(command -v "$WASM_OPT" || true)"
  [ -n "$bin" ] || die "WASM_OPT=$WASM_OPT is not an executable"
  try_wasm_opt "$bin" "\$WASM_OPT" && exit 0
fi

sys_bin="$(command -v wasm-opt || true)"
if [ -n "$sys_bin" ] && [ "$sys_bin" != "$NPM_WASM_OPT" ]; then
  try_wasm_opt "$sys_bin" "system" && exit 0
  echo "wasm-opt.sh: falling back to npm binaryen@$BINARYEN_NPM_VERSION" >&2
fi

ensure_npm_binaryen
try_wasm_opt "$NPM_WASM_OPT" "npm binaryen" && exit 0

die "no working wasm-opt for $IN (tried: ${WASM_OPT:+\$WASM_OPT=$WASM_OPT, }${sys_bin:+$sys_bin, }$NPM_WASM_OPT)"
