# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# What a fresh Debian 12 root needs to build pam_oidc and run its tests and
# demo: the Debian packages of tests/deps-debian.txt, Node.js with npm, and
# the test provider's npm packages.  Each is installed only when missing,
# so a second run costs a dpkg query.  Shared by tests/run and
# contrib/demo/run.
#
#     . "$top/tests/lib/deps.sh"
#     deps_install "$top" || exit 1

# deps_install TOP: install what is missing (root only for the packages);
# progress and failures as "==> ..." lines on stderr.  Returns 1 on a
# failure.
deps_install() {
	local top=$1 pkgs
	if [ "$(id -u)" = 0 ]; then
		export DEBIAN_FRONTEND=noninteractive
		pkgs=$(grep -v '^#' "$top/tests/deps-debian.txt" | tr '\n' ' ')
		# shellcheck disable=SC2086
		if ! dpkg -s $pkgs >/dev/null 2>&1; then
			printf '==> %s\n' "installing Debian packages" >&2
			apt-get update -qq >/dev/null || { printf '==> %s\n' "apt-get update failed" >&2; return 1; }
			# shellcheck disable=SC2086
			apt-get install -y -qq --no-install-recommends $pkgs >/dev/null ||
				{ printf '==> %s\n' "apt-get install failed" >&2; return 1; }
		fi
		# The machine image may bring its own Node.js (with npm) that
		# conflicts with Debian's npm package: take Debian's only when
		# there is none.
		if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
			apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null ||
				{ printf '==> %s\n' "apt-get install nodejs npm failed" >&2; return 1; }
		fi
	fi
	# npm ci only when node_modules was not installed from this very
	# package-lock.json (a stamp of its hash, written after npm ci)
	local lock=$top/tests/idp/package-lock.json stamp=$top/tests/idp/node_modules/.pam_oidc-lock
	if [ -f "$lock" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$(sha256sum <"$lock")" ]; then
		printf '==> %s\n' "installing the test identity provider (npm ci)" >&2
		(cd "$top/tests/idp" && PUPPETEER_SKIP_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
			npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
			{ printf '==> %s\n' "npm ci failed" >&2; return 1; }
		sha256sum <"$lock" >"$stamp"
	fi
	return 0
}
