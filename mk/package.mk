# The npm package and the checks of it as users consume it.
#
#   make package        build/package/parallel-fetch-<version>.tgz (scripts/assemble-package.sh)
#   make test-package   installs that tarball into tests/consumer and checks the types, that
#                       type regressions are caught, and real calls from Node, Vite, webpack
#                       and a plain module script (tests/consumer/run.sh)

.PHONY: package test-package

package: tools
	scripts/assemble-package.sh

test-package: tools-browser package server
	tests/consumer/run.sh

EXTRA_TESTS += test-package

# The fuzz test of input validation (tests/fuzz), in Node against the packed package.
.PHONY: test-fuzz
test-fuzz: tools package server
	scripts/with-server.sh -- node --test --test-reporter=spec tests/fuzz/fuzz.test.mjs

EXTRA_TESTS += test-fuzz
