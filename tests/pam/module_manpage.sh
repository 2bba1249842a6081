#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Drift test for pam_oidc(8): every module-only argument of the option table
# (conf_module_option_names()) is documented in OPTIONS, every option the page
# names is known (module-only or a configuration option of
# conf_option_names()), and the page is lint-clean.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
page=$top_srcdir/man/pam_oidc.8
names_prog=${top_builddir:?}/tests/unit/conf_names
if [ ! -x "$names_prog" ] || ! command -v mandoc >/dev/null; then
	skip_all "tests/unit/conf_names or mandoc missing"
fi
tmp=$(mktemp -d /tmp/pam_oidc-modman.XXXXXX)
at_exit rm -rf "$tmp"
plan 4

# module-only arguments: the options conf.c's table marks CONF_F_MODULE
"$names_prog" module | sort -u >"$tmp/module"
awk '/^\.Sh /{ inopt = ($0 == ".Sh OPTIONS"); next }
     inopt && /^\.It Cm [a-z_]+/ { print $3 }' "$page" | sort -u >"$tmp/page"
"$names_prog" | sort -u >"$tmp/conf"

if [ "$(wc -l <"$tmp/module")" -ge 4 ]; then
	pass "the option table has $(wc -l <"$tmp/module") module-only arguments"
else
	fail "module-only arguments found in the option table"
fi
missing=$(comm -23 "$tmp/module" "$tmp/page")
[ -z "$missing" ]
ok $? "every module-only argument is documented" "missing: ${missing//$'\n'/ }"
unknown=$(comm -23 "$tmp/page" <(sort -u "$tmp/module" "$tmp/conf"))
[ -z "$unknown" ]
ok $? "every option the page names is known to the code" "unknown: ${unknown//$'\n'/ }"
out=$(mandoc -Tlint -Wwarning "$page" 2>&1)
[ -z "$out" ]
ok $? "mandoc -Tlint -Wwarning is clean" "$out"
finish
