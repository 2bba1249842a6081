# SPDX-License-Identifier: BSD-2-Clause
# The test OpenID provider (oidc-provider from npm; `npm ci` in tests/idp)
# and the end-to-end tests that use it.  Without node or node_modules these
# tests report SKIP.
IDP_FILES = \
	tests/idp/README.md \
	tests/idp/package.json \
	tests/idp/package-lock.json \
	tests/idp/jwks.json \
	tests/idp/jwks-next.json \
	tests/idp/accounts.js \
	tests/idp/browser.js \
	tests/idp/server.js \
	tests/idp/approve.js \
	tests/idp/chromium-approve.js \
	tests/idp/device-token.js \
	tests/idp/gen-keys.js \
	tests/idp/lib.sh
EXTRA_DIST += $(IDP_FILES)

IDP_TESTS = tests/e2e/idp_flow.sh tests/e2e/verify_idp.sh tests/e2e/browser_approve.sh tests/idp/keypair.sh
TESTS += $(IDP_TESTS)
dist_check_SCRIPTS += $(IDP_TESTS)

# browser_approve.sh keeps a screenshot of every page it saw.
clean-local: clean-browser-screens
clean-browser-screens:
	rm -rf tests/e2e/browser-screens
.PHONY: clean-browser-screens
