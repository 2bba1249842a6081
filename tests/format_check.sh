#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Are the C lines a change touched laid out as .clang-format says?  Only
# those lines: the rest of the tree keeps its history (STYLE.md 24).
# `make format-check` runs it; it is not part of make check.
#
#     tests/format_check.sh [--fix] [BASE]
#
# BASE (default HEAD) is where the change starts: HEAD checks what is not
# committed yet, HEAD~1 the last commit as well, main a whole branch (from
# its merge base with main, so commits that landed on main since do not
# count).  Files git does not track yet, and does not ignore, count as
# added.  Lines only deleted touch nothing.  --fix formats those lines in
# place instead.
#
# Exit status: 0 when they are formatted, or when there is nothing to check
# with (no git checkout, as in a tarball or make distcheck; no
# clang-format): it says so; 1 when they are not (the diff says how they
# should read); 2 when the check itself failed.
# Environment: CLANG_FORMAT, CLANG_FORMAT_DIFF name the programs.
set -u

fix=
if [ "${1:-}" = --fix ]; then
	fix=-i
	shift
fi
base=${1:-HEAD}
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$top" || exit 2

skip() {
	echo "format-check: nothing checked: $*"
	exit 0
}

command -v git >/dev/null 2>&1 || skip "git is not installed"
git ls-files --error-unmatch configure.ac >/dev/null 2>&1 ||
	skip "$top is not a git checkout (a tarball?)"

# clang-format-diff: Debian's clang-format package installs it as
# clang-format-diff (-> clang-format-diff-14), and the script itself as
# /usr/share/clang/clang-format-14/clang-format-diff.py.
cfd=${CLANG_FORMAT_DIFF:-}
if [ -z "$cfd" ]; then
	for p in clang-format-diff clang-format-diff-14 /usr/share/clang/clang-format-*/clang-format-diff.py; do
		if command -v "$p" >/dev/null 2>&1; then
			cfd=$p
			break
		elif [ -f "$p" ] && command -v python3 >/dev/null 2>&1; then
			cfd="python3 $p"
			break
		fi
	done
fi
cf=${CLANG_FORMAT:-}
if [ -z "$cf" ]; then
	for p in clang-format clang-format-14; do
		command -v "$p" >/dev/null 2>&1 && { cf=$p; break; }
	done
fi
if [ -z "$cfd" ] || [ -z "$cf" ]; then
	skip "no clang-format and clang-format-diff (apt-get install clang-format)"
fi

from=$(git merge-base "$base" HEAD 2>/dev/null) || {
	echo "format-check: no commit '$base' to start from (FORMAT_BASE=HEAD, HEAD~1, main ...)" >&2
	exit 2
}

# The change as a diff with no context, pure deletions left out (for a
# hunk "+N,0" clang-format-diff would format line N, which nobody touched).
changes() {
	git diff -U0 -M --no-color --no-ext-diff --relative "$from" -- '*.c' '*.h'
	git ls-files --others --exclude-standard -- '*.c' '*.h' | while read -r f; do
		git diff --no-index -U0 --no-color --no-ext-diff /dev/null "$f"
	done
}
out=$(changes | sed -E '/^@@ -[0-9,]+ \+[0-9]+,0 @@/d' |
	$cfd -p1 -regex '.*\.[ch]' -style file -binary "$cf" $fix)
rc=$?
if [ -n "$fix" ]; then
	[ $rc -eq 0 ] || { echo "format-check: clang-format-diff failed ($rc)" >&2; exit 2; }
	echo "format-check: formatted the lines changed since $base"
	exit 0
fi
if [ -n "$out" ]; then
	printf '%s\n' "$out"
	echo "format-check: the lines above, changed since $base, are not laid out as .clang-format says"
	echo "format-check: ($("$cf" --version | head -n 1)); to apply: tests/format_check.sh --fix $base"
	exit 1
fi
[ $rc -eq 0 ] || { echo "format-check: clang-format-diff failed ($rc)" >&2; exit 2; }
echo "format-check: the lines changed since $base are formatted"
exit 0
