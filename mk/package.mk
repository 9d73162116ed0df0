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
