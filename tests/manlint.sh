#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Every man page is mdoc that `mandoc -Tlint` finds nothing wrong with.
set -u
pages=$(ls "$top_srcdir"/man/*.[0-9] 2>/dev/null)
n=$(echo "$pages" | grep -c .)
echo "1..$n"
i=0
for p in $pages; do
	i=$((i + 1))
	out=$(mandoc -Tlint -Wwarning "$p" 2>&1)
	if [ -z "$out" ] && head -c 4096 "$p" | grep -q '^\.Dd '; then
		echo "ok $i - $(basename "$p") is clean mdoc"
	else
		echo "not ok $i - $(basename "$p")"
		echo "$out" | sed 's/^/# /'
	fi
done
