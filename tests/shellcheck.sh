#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Every shell script of the tree is clean under `shellcheck -S warning`, one
# test per script.  The scripts are the git checkout's tracked files named
# *.sh or starting with a sh/bash #! line; outside a checkout (the tarball
# of make distcheck) the same files are found on disk.  With .shellcheckrc
# the checker follows the tests' `. "$top_srcdir/tests/lib/..."`.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
command -v shellcheck >/dev/null || skip_all "shellcheck is not installed"
cd "$top_srcdir" || bail "cannot cd to $top_srcdir"

# candidates: the files that may be scripts, relative to $top_srcdir.
candidates() {
	local top
	top=$(git rev-parse --show-toplevel 2>/dev/null)
	if [ -n "$top" ] && [ "$top" -ef . ]; then
		git ls-files
	else
		# not a checkout of its own (make distcheck unpacks the tarball
		# under the build directory of one): what autotools, npm and the
		# build add is not ours
		find . \( -name .git -o -name node_modules -o -name autom4te.cache \
			-o -path ./build-aux -o -path ./_build -o -path ./_inst \) -prune \
			-o -type f ! -name configure ! -name config.status ! -name libtool -print |
			sed 's|^\./||' | sort
	fi
}

# is_script FILE: named *.sh, or its first line is a #! for sh or bash.
is_script() {
	[ -f "$1" ] || return 1
	case $1 in
	*.sh) return 0 ;;
	esac
	head -n 1 "$1" 2>/dev/null | grep -Eq '^#! *[^ ]*/(env +)?(ba)?sh( |$)'
}

scripts=()
while IFS= read -r f; do
	is_script "$f" && scripts+=("$f")
done < <(candidates)
[ ${#scripts[@]} -gt 0 ] || bail "no shell scripts found under $top_srcdir"

plan ${#scripts[@]}
for f in "${scripts[@]}"; do
	out=$(shellcheck -S warning "$f" 2>&1)
	ok $? "shellcheck -S warning $f" "$out"
done
finish
