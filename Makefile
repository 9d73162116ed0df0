# parallel-fetch: every check and the demo, from a fresh clone.
#
#   make test    every check (installs what is missing first)
#   make demo    builds the package, starts the test server, serves www/ on http://127.0.0.1:$(PORT)
#
# Each target installs what it needs through scripts/ensure-tools.sh, idempotently. Nothing is
# downloaded from anywhere but the Rust, npm and Debian registries.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
export PATH := $(HOME)/.cargo/bin:$(PATH)

PORT ?= 8080
SERVER := target/release/pf-test-server
# The wasm-bindgen test runner's limit covers a whole test binary.
export WASM_BINDGEN_TEST_TIMEOUT ?= 180

# Extra checks that the mk/ files add to `make test`.
EXTRA_TESTS :=
-include mk/*.mk

.PHONY: help tools tools-browser server pkg test lint test-native test-wasm test-readme demo clean

help:
	@echo "make test   every check: lint, native tests, wasm tests in Node and headless Chromium, and more"
	@echo "make demo   serve the demo page on http://127.0.0.1:$(PORT) (PORT=... to change)"

tools:
	@scripts/ensure-tools.sh

tools-browser:
	@scripts/ensure-tools.sh --browser

server:
	cargo build --release -p pf-test-server

# The package for plain module scripts (wasm-pack's web target), optimised.
pkg: tools
	scripts/with-lean-std.sh wasm-pack build --release --target web --out-dir pkg
	scripts/wasm-opt.sh pkg/parallel_fetch_bg.wasm pkg/parallel_fetch_bg.wasm
	node scripts/shorten-wasm-names.mjs pkg/parallel_fetch.js pkg/parallel_fetch_bg.wasm

test: tools-browser lint test-native test-wasm test-readme $(EXTRA_TESTS)
	@echo "make test: every check passed"

lint: tools
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings

# The policy core, the server and the examples, natively; then the simulation at a tiny size.
test-native:
	cargo test --workspace --all-targets
	cargo test --workspace --doc
	cargo run --quiet --example contention -- --trials 2 --clients 10,30 > /dev/null
	cargo run --quiet --example retry_storm -- --clients 10 --seconds 40 > /dev/null

# One shared test body, in Node and in headless Chromium (a page and a dedicated worker), against
# the real server.
test-wasm: tools-browser server
	scripts/with-server.sh bash -c '\
	  wasm-pack test --node -- --test node && \
	  wasm-pack test --headless --chrome --chromedriver "$$(command -v chromedriver)" -- --test browser && \
	  wasm-pack test --headless --chrome --chromedriver "$$(command -v chromedriver)" -- --test worker'

# The README's examples, as written, in headless Chromium.
# They import 'parallel-fetch' from the assembled package (mk/package.mk), as a page would.
test-readme: tools-browser package server
	cd tests/readme && npm ci --no-audit --no-fund --loglevel=error
	scripts/with-server.sh --mount /readme=tests/readme/page --mount /package=build/package/parallel-fetch \
	  -- node tests/readme/run-examples.mjs

demo: tools pkg server
	@echo "demo: http://127.0.0.1:$(PORT)  (Ctrl-C to stop)"
	$(SERVER) --port $(PORT) --mount /=www --mount /pkg=pkg

clean:
	cargo clean
	rm -rf pkg pkg-* build
