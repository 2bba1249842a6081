#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# lintian finds no error and no warning, pedantic tags included, in either
# binary package (libpam-oidc, oidc-audit) or in the source package.  The
# info, pedantic and experimental tags it still reports, and the overrides
# in force (each with its reason in debian/*lintian-overrides), are printed
# as diagnostics; README.md's "Install from the Debian packages" lists them.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/deb/lib.sh"
deb_need_tools lintian
plan 5

if deb_packages; then
	pass "tests/deb/build.sh --source built the packages"
else
	fail "tests/deb/build.sh --source built the packages" "$(tail -n 40 "$DEB_OUT/../build.out")"
	finish
fi

changes=$(ls "$DEB_OUT"/pam-oidc_*.changes 2>/dev/null | head -n 1)
[ -n "$changes" ] || bail "no .changes in $DEB_OUT"
out=$(mktemp /tmp/pam_oidc-lintian.XXXXXX) || bail "mktemp"
trap 'rm -f "$out"' EXIT
# lintian's exit status counts only what --fail-on names; the tags are read
# below.  The root warning on stderr is not a tag.
nice lintian --pedantic -I -E --show-overrides --fail-on none "$changes" >"$out" 2>&1
rc=$?
[ $rc -eq 0 ]
ok $? "lintian ran on $(basename "$changes")" "exit $rc: $(cat "$out")"

for p in libpam-oidc oidc-audit "pam-oidc source"; do
	bad=$(grep -E "^[EW]: $p: " "$out")
	[ -z "$bad" ]
	ok $? "no E: or W: tag on $p" "$bad"
done
diag "lintian's other tags (I: info, P: pedantic, X: experimental, O: overridden):"
grep -E '^[IPXO]: ' "$out" | diag
grep -q -E '^[EW]: ' "$out" && diag "all tags:" && diag <"$out"
finish
