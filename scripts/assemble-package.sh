#!/usr/bin/env bash
# Builds the npm package and packs it, as `npm publish` would ship it.
#
#   scripts/assemble-package.sh
#
# Out: build/package/parallel-fetch/ (the package directory) and
#      build/package/parallel-fetch-<version>.tgz (what `npm pack` makes of it).
#
# One optimised .wasm and wasm-bindgen's `web` glue serve every place: npm/index.js starts it
# in browsers and bundlers, npm/index.node.js in Node. The types are the `.d.ts` wasm-bindgen
# writes for its `bundler` target, which declares the exports alone (the `web` one adds init
# functions typed with `any`). The version comes from Cargo.toml, everything else from npm/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=build/package
dir=$out/parallel-fetch
wasm=target/web-std/wasm32-unknown-unknown/release/parallel_fetch.wasm

scripts/with-lean-std.sh cargo build --release --target wasm32-unknown-unknown --lib
rm -rf build/wasm-web build/wasm-bundler "$dir" "$out"/parallel-fetch-*.tgz
wasm-bindgen --target web --out-dir build/wasm-web "$wasm"
wasm-bindgen --target bundler --out-dir build/wasm-bundler "$wasm"

mkdir -p "$dir/wasm"
cp npm/package.json npm/index.js npm/index.node.js "$dir/"
cp build/wasm-bundler/parallel_fetch.d.ts "$dir/index.d.ts"
# wasm-bindgen declares `[Symbol.dispose]()` on exported classes, which does not compile under
# a `lib` older than esnext.disposable; the method is still there at run time (and `free()` is
# declared), so the declaration goes.
sed -i '/\[Symbol\.dispose\]()/d' "$dir/index.d.ts"
cp build/wasm-web/parallel_fetch.js "$dir/wasm/"
# The JS snippets (src/web/guard.js, src/web/exchange.js, src/web/headers.js) under fixed names, so the package's
# file list is stable: wasm-bindgen puts them under snippets/<crate>-<hash>/.
for name in guard.js exchange.js headers.js; do
  snippet=$(find build/wasm-web/snippets -name "$name" | head -n1)
  [[ -n $snippet ]] || { echo "assemble-package: wasm-bindgen wrote no $name snippet" >&2; exit 1; }
  cp "$snippet" "$dir/wasm/$name"
  # Only the import specifiers: the import object's keys must keep the name the .wasm imports.
  sed -i -E "s#from ['\"]\./snippets/[^'\"]*/${name//./\\.}['\"]#from './$name'#" "$dir/wasm/parallel_fetch.js"
  grep -q "from './$name'" "$dir/wasm/parallel_fetch.js" || { echo "assemble-package: could not point the glue at $name" >&2; exit 1; }
done
if grep -qE "from ['\"]\./snippets/" "$dir/wasm/parallel_fetch.js"; then
  echo "assemble-package: the glue imports a snippet this script does not copy" >&2; exit 1
fi
# wasm-opt takes most of the time: its output is kept, keyed by its input and the script.
cache=build/wasm-opt-cache
key=$(cat build/wasm-web/parallel_fetch_bg.wasm scripts/wasm-opt.sh | sha256sum | cut -d' ' -f1)
if [[ ! -f $cache/$key.wasm ]]; then
  rm -rf "$cache"
  scripts/wasm-opt.sh build/wasm-web/parallel_fetch_bg.wasm "$cache/$key.wasm"
else
  echo "assemble-package: wasm-opt output unchanged (build/wasm-opt-cache)"
fi
cp "$cache/$key.wasm" "$dir/wasm/parallel_fetch_bg.wasm"
# wasm-opt.sh writes through mktemp, which leaves the file readable by its owner only.
chmod 644 "$dir/wasm/parallel_fetch_bg.wasm"
# The import and export names between the .wasm and the glue, shortened in both (3 KB gzipped).
node scripts/shorten-wasm-names.mjs "$dir/wasm/parallel_fetch.js" "$dir/wasm/parallel_fetch_bg.wasm"
for doc in README.md LICENSE*; do
  if [[ -f $doc ]]; then cp "$doc" "$dir/"; fi
done

pkgid=$(cargo pkgid -p parallel-fetch)
version=${pkgid##*[#@]}
(cd "$dir" && npm pkg set "version=$version")

tarball=$(cd "$dir" && npm pack --pack-destination .. --json | node -e \
  'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].filename)')
node scripts/check-package-tarball.mjs "$out/$tarball"
echo "assemble-package: $out/$tarball"
