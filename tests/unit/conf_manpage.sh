#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Drift test: man/pam_oidc.conf.5 documents exactly the options the
# parser knows (conf_option_names()), each once, as ".It Cm NAME" in the
# OPTIONS section, and the page is clean under mandoc -Tlint -Wwarning.
set -u
page="$top_srcdir/man/pam_oidc.conf.5"
names_prog="$top_builddir/tests/unit/conf_names"
tmp=$(mktemp -d /tmp/pam_oidc-manpage.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "1..6"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }

# The option names a page documents: ".It Cm NAME" lines between
# ".Sh OPTIONS" and the next ".Sh".
documented() {
	awk '/^\.Sh /{ inopt = ($0 == ".Sh OPTIONS") ; next }
	     inopt && /^\.It Cm [a-z_]+/ { print $3 }' "$1"
}

# compare PAGE: prints the differences, fails when there are any.
compare() {
	documented "$1" | sort >"$tmp/doc"
	sort "$tmp/code" >"$tmp/code.sorted"
	local dup missing extra rc=0
	dup=$(uniq -d "$tmp/doc")
	missing=$(comm -23 "$tmp/code.sorted" <(sort -u "$tmp/doc"))
	extra=$(comm -13 "$tmp/code.sorted" <(sort -u "$tmp/doc"))
	[ -n "$dup" ] && { echo "# documented twice: $dup"; rc=1; }
	[ -n "$missing" ] && { echo "# not documented:" $missing; rc=1; }
	[ -n "$extra" ] && { echo "# documented but unknown to the parser:" $extra; rc=1; }
	return $rc
}

if "$names_prog" >"$tmp/code" && [ "$(wc -l <"$tmp/code")" -ge 20 ]; then
	ok "parser lists $(wc -l <"$tmp/code") options"
else
	notok "parser lists its options"
fi

out=$(mandoc -Tlint -Wwarning "$page" 2>&1)
if [ -z "$out" ]; then
	ok "mandoc -Tlint -Wwarning is clean"
else
	notok "mandoc -Tlint -Wwarning is clean"
	echo "$out" | sed 's/^/# /'
fi

if [ "$(documented "$page" | wc -l)" -ge 20 ]; then
	ok "page documents $(documented "$page" | wc -l) options"
else
	notok "page documents its options"
fi

if compare "$page"; then
	ok "page and parser agree on every option"
else
	notok "page and parser agree on every option"
fi

# The comparison itself must catch both kinds of drift.
{ cat "$page"; } | awk '/^\.Sh OPTIONS/{ print; print ".Bl -tag -width Ds"; print ".It Cm no_such_option"; print ".El"; next } { print }' >"$tmp/extra.5"
if ! compare "$tmp/extra.5" >/dev/null; then
	ok "an option the parser does not know is detected"
else
	notok "an option the parser does not know is detected"
fi
grep -v '^\.It Cm jwks_ttl' "$page" >"$tmp/missing.5"
if ! compare "$tmp/missing.5" >/dev/null; then
	ok "an undocumented option is detected"
else
	notok "an undocumented option is detected"
fi
