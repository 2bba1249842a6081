#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Drift test for pam_oidc(8): every module-only argument pam_oidc.c parses is
# documented in OPTIONS, every option the page names is known (module-only or
# a configuration option of conf_option_names()), and the page is lint-clean.
set -u
page=${top_srcdir:?}/man/pam_oidc.8
src=$top_srcdir/pam_oidc/module/pam_oidc.c
names_prog=${top_builddir:?}/tests/unit/conf_names
if [ ! -x "$names_prog" ] || ! command -v mandoc >/dev/null; then
	echo "1..0 # SKIP tests/unit/conf_names or mandoc missing"
	exit 0
fi
tmp=$(mktemp -d /tmp/pam_oidc-modman.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo "1..4"

# module-only arguments: the "NAME=" prefixes mod_opts_parse() compares
grep -o 'strncmp(argv\[i\], "[a-z_]*=' "$src" | sed 's/.*"\([a-z_]*\)=/\1/' | sort -u >"$tmp/module"
awk '/^\.Sh /{ inopt = ($0 == ".Sh OPTIONS"); next }
     inopt && /^\.It Cm [a-z_]+/ { print $3 }' "$page" | sort -u >"$tmp/page"
"$names_prog" | sort -u >"$tmp/conf"

if [ "$(wc -l <"$tmp/module")" -ge 4 ]; then
	echo "ok 1 - pam_oidc.c parses $(wc -l <"$tmp/module") module-only arguments"
else
	echo "not ok 1 - module-only arguments found in pam_oidc.c"
fi
missing=$(comm -23 "$tmp/module" "$tmp/page")
if [ -z "$missing" ]; then
	echo "ok 2 - every module-only argument is documented"
else
	echo "not ok 2 - every module-only argument is documented"
	echo "# missing:" $missing
fi
unknown=$(comm -23 "$tmp/page" <(sort -u "$tmp/module" "$tmp/conf"))
if [ -z "$unknown" ]; then
	echo "ok 3 - every option the page names is known to the code"
else
	echo "not ok 3 - every option the page names is known to the code"
	echo "# unknown:" $unknown
fi
out=$(mandoc -Tlint -Wwarning "$page" 2>&1)
if [ -z "$out" ]; then
	echo "ok 4 - mandoc -Tlint -Wwarning is clean"
else
	echo "not ok 4 - mandoc -Tlint -Wwarning is clean"
	echo "$out" | sed 's/^/# /'
fi
