#!/usr/bin/env bash
# The package as users consume it (make test-package): installs the packed tarball into this
# project the way a user would, then checks the types (browser and Node-only projects), that
# deliberate type regressions are caught, and that real calls work from Node, a Vite build, a
# webpack build, the Vite dev server and a plain module script in headless Chromium.
#
# Needs build/package/parallel-fetch-*.tgz (make package) and target/release/pf-test-server
# (make server). Scratch files go under build/consumer/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"

# The tools (TypeScript, Vite, webpack, Playwright) from the lockfile, reinstalled only when
# the lockfile changes. Their install scripts are not needed (esbuild finds its binary package).
stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  npm ci --ignore-scripts --no-audit --no-fund
  echo "$want" >"$stamp"
fi

# The package, from the tarball `npm pack` made, as `npm install ./parallel-fetch-X.tgz` would
# put it; --no-save leaves package.json and the lockfile alone.
shopt -s nullglob
tarballs=("$root"/build/package/parallel-fetch-*.tgz)
if [[ ${#tarballs[@]} -ne 1 ]]; then
  echo "consumer: want exactly one build/package/parallel-fetch-*.tgz, found ${#tarballs[@]} (run make package)" >&2
  exit 1
fi
rm -rf node_modules/parallel-fetch
npm install --no-save --ignore-scripts --no-audit --no-fund "${tarballs[0]}"

node checks/types.mjs
node checks/type-regressions.mjs
node_modules/.bin/vite build app --outDir "$root/build/consumer/vite" --emptyOutDir --logLevel warn
node checks/build-webpack.mjs

export CHROMIUM=${CHROMIUM:-$(command -v chromium)}
"$root/scripts/with-server.sh" \
  --mount "/vite=$root/build/consumer/vite" \
  --mount "/webpack=$root/build/consumer/webpack" \
  --mount "/plain=$here/plain" \
  --mount "/app=$here/app" \
  --mount "/pkg=$here/node_modules/parallel-fetch" \
  -- bash -c 'node checks/node.mjs && node checks/browser.mjs'
echo "consumer: every check passed"
