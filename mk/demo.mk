# The demo page's browser test: drives www/ in headless Chromium (Debian's, through
# playwright-core) through every scenario against the test server, with screenshots in
# artifacts/demo/. `make demo-screenshot` regenerates the README's docs/demo.png.

DEMO_TEST_DIR := tests/demo
DEMO_NODE_MODULES := $(DEMO_TEST_DIR)/node_modules/.installed
DEMO_SERVE := scripts/with-server.sh --mount /=www --mount /pkg=pkg --

.PHONY: test-demo demo-screenshot

# npm ci only when the lock file changed since the last install.
$(DEMO_NODE_MODULES): $(DEMO_TEST_DIR)/package.json $(DEMO_TEST_DIR)/package-lock.json
	cd $(DEMO_TEST_DIR) && npm ci --no-audit --no-fund
	touch $@

# with-server.sh starts the server on a free port (--port-file), exports PF_TEST_SERVER and
# stops the server whatever the test's outcome.
test-demo: tools-browser pkg server $(DEMO_NODE_MODULES)
	$(DEMO_SERVE) node --test --test-reporter=spec $(DEMO_TEST_DIR)/demo.test.mjs

demo-screenshot: tools-browser pkg server $(DEMO_NODE_MODULES)
	$(DEMO_SERVE) node $(DEMO_TEST_DIR)/readme-screenshot.mjs docs/demo.png

EXTRA_TESTS += test-demo
