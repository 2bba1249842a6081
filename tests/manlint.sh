#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Every man page is mdoc that `mandoc -Tlint` finds nothing wrong with.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
pages=$(ls "$top_srcdir"/man/*.[0-9] 2>/dev/null)
plan "$(echo "$pages" | grep -c .)"
for p in $pages; do
	out=$(mandoc -Tlint -Wwarning "$p" 2>&1)
	if [ -z "$out" ] && head -c 4096 "$p" | grep -q '^\.Dd '; then
		pass "$(basename "$p") is clean mdoc"
	else
		fail "$(basename "$p")" "$out"
	fi
done
finish
