# Benchmarks: overhead against native fetch and ky (over HTTP/1.1 and over HTTP/2 on the test
# server's TLS port), start-up, size (as shipped: the package's .wasm plus its browser entry
# bundled by esbuild), memory and leaks, hedging and the circuit breaker (in headless Chromium
# against the test server, HTTP/2 for hedging), and the contention and retry-storm simulations.
# See BENCHMARKS.md.
#
#   make bench         runs them all, prints tables, rewrites BENCHMARKS.md's generated sections
#   make bench-smoke   each browser benchmark once at a tiny size, the leak test in full, the
#                      size scripts, and the size check (bench/size/check.mjs: the shipped size of
#                      build/package against SIZE_CEILING_KB); asserts no timing (part of `make test`)
#   make bench-compare BENCH_B=DIR   the overhead benchmarks (HTTP/1.1 and HTTP/2) with a second build of the SDK

BENCH_PKG := build/bench-pkg
BENCH_NPM_STAMP := bench/node_modules/.installed
BENCH_MOUNTS := --tls-port 0 --mount /=bench/page --mount /pkg=$(BENCH_PKG) \
	--mount /vendor/ky=bench/node_modules/ky/distribution

EXTRA_TESTS += bench-smoke

.PHONY: bench bench-smoke bench-compare bench-pkg bench-npm bench-twiggy

bench: tools-browser server bench-pkg bench-npm bench-twiggy package
	bench/all.sh BENCHMARKS.md

# `package` (mk/package.mk) makes build/package/parallel-fetch, which the size check measures.
bench-smoke: tools-browser server bench-pkg bench-npm package
	scripts/with-server.sh $(BENCH_MOUNTS) -- node bench/run.mjs --smoke
	node bench/size/report.mjs $(BENCH_PKG)
	node bench/size/shipped.mjs build/package/parallel-fetch
	node bench/size/check.mjs build/package/parallel-fetch
	bench/size/profiles.sh --smoke

# The benchmarks' own web package, so they never race with pkg/.
bench-pkg: tools
	bench/build-pkg.sh $(BENCH_PKG)

# playwright-core (driving Debian's chromium; it downloads no browser), ky, and esbuild (the
# shipped-size figure; its platform binary comes as an npm package), as locked.
bench-npm: $(BENCH_NPM_STAMP)
$(BENCH_NPM_STAMP): bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench-twiggy:
	@command -v twiggy >/dev/null || cargo install --locked twiggy || cargo install twiggy

# A/B a change to src/: BENCH_B is a web-target build of the changed SDK (e.g. `wasm-pack build
# --release --target web --out-dir DIR` in a copy, then scripts/wasm-opt.sh); it runs the overhead
# benchmarks (both protocols) with it as two more contenders, "(B)", against build/bench-pkg.
bench-compare: tools-browser server bench-pkg bench-npm
	@test -n "$(BENCH_B)" || { echo "usage: make bench-compare BENCH_B=DIR" >&2; exit 2; }
	scripts/with-server.sh $(BENCH_MOUNTS) --mount /pkg-b=$(abspath $(BENCH_B)) -- \
	  node bench/run.mjs --compare /pkg-b
