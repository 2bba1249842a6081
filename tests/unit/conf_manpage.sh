#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Drift test: man/pam_oidc.conf.5 documents exactly the options the
# parser knows (conf_option_names()), each once, as ".It Cm NAME" in the
# OPTIONS section, and the page is clean under mandoc -Tlint -Wwarning.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
page="$top_srcdir/man/pam_oidc.conf.5"
names_prog="${top_builddir:?}/tests/unit/conf_names"
tmp=$(mktemp -d /tmp/pam_oidc-manpage.XXXXXX)
at_exit rm -rf "$tmp"

plan 8

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
	pass "parser lists $(wc -l <"$tmp/code") options"
else
	fail "parser lists its options"
fi

out=$(mandoc -Tlint -Wwarning "$page" 2>&1)
if [ -z "$out" ]; then
	pass "mandoc -Tlint -Wwarning is clean"
else
	fail "mandoc -Tlint -Wwarning is clean"
	echo "$out" | sed 's/^/# /'
fi

if [ "$(documented "$page" | wc -l)" -ge 20 ]; then
	pass "page documents $(documented "$page" | wc -l) options"
else
	fail "page documents its options"
fi

if compare "$page"; then
	pass "page and parser agree on every option"
else
	fail "page and parser agree on every option"
fi

# The comparison itself must catch both kinds of drift.
{ cat "$page"; } | awk '/^\.Sh OPTIONS/{ print; print ".Bl -tag -width Ds"; print ".It Cm no_such_option"; print ".El"; next } { print }' >"$tmp/extra.5"
if ! compare "$tmp/extra.5" >/dev/null; then
	pass "an option the parser does not know is detected"
else
	fail "an option the parser does not know is detected"
fi
grep -v '^\.It Cm jwks_ttl' "$page" >"$tmp/missing.5"
if ! compare "$tmp/missing.5" >/dev/null; then
	pass "an undocumented option is detected"
else
	fail "an undocumented option is detected"
fi

# Numeric options: "Number, default D, range A to B." in the page must be
# what the parser does: D is the default, A and B are accepted, A-1 and
# B+1 are refused.  Every numeric option must state it.
awk '/^\.Sh /{ inopt = ($0 == ".Sh OPTIONS"); next }
     !inopt { next }
     /^\.It Cm [a-z_]+/ { if (cur != "") print cur "\t" text; cur = $3; text = ""; next }
     /^\.(It|El)/ { if (cur != "") print cur "\t" text; cur = ""; text = ""; next }
     cur != "" { text = text " " $0 }
     END { if (cur != "") print cur "\t" text }' "$page" | sed 's/\\-/-/g' >"$tmp/paras"
bad=""
checked=0
while IFS= read -r name; do
	def=$("$names_prog" get "$name") || continue
	line=$(grep -P "^$name\t" "$tmp/paras" | grep -oP 'Number, default -?[0-9]+, range -?[0-9]+ to -?[0-9]+')
	if [ -z "$line" ]; then
		bad="$bad $name(no 'Number, default D, range A to B')"
		continue
	fi
	read -r pd lo hi < <(echo "$line" | sed -E 's/Number, default (-?[0-9]+), range (-?[0-9]+) to (-?[0-9]+)/\1 \2 \3/')
	[ "$pd" = "$def" ] || bad="$bad $name(default: page $pd, code $def)"
	"$names_prog" set "$name" "$lo" || bad="$bad $name(min $lo refused)"
	"$names_prog" set "$name" "$hi" || bad="$bad $name(max $hi refused)"
	"$names_prog" set "$name" "$((lo - 1))" && bad="$bad $name($((lo - 1)) accepted)"
	"$names_prog" set "$name" "$((hi + 1))" && bad="$bad $name($((hi + 1)) accepted)"
	checked=$((checked + 1))
done <"$tmp/code"
if [ -z "$bad" ] && [ "$checked" -ge 9 ]; then
	pass "defaults and ranges of $checked numeric options match the parser"
else
	fail "defaults and ranges of numeric options match the parser"
	echo "# checked $checked:$bad"
fi

# Booleans: the page says "Boolean, default" and the parser takes yes/no.
bad=""
for name in $(grep -P '\t *Boolean, default' "$tmp/paras" | cut -f1); do
	"$names_prog" set "$name" yes && "$names_prog" set "$name" no &&
		! "$names_prog" set "$name" maybe || bad="$bad $name"
done
if [ -z "$bad" ] && [ "$(grep -cP '\t *Boolean, default' "$tmp/paras")" -ge 3 ]; then
	pass "options documented as booleans are booleans"
else
	fail "options documented as booleans are booleans:$bad"
fi
finish
