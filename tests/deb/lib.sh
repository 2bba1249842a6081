# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
# shellcheck disable=SC2034 # DEB_OUT is for the tests that source this
#
# The Debian package tests' shared part: one build of the packages per state
# of the source tree, which tests/deb/lintian.sh and install_files.sh share
# within a make check run (and between runs while the tree is unchanged).
#
#     . "$top_srcdir/tests/deb/lib.sh"
#     deb_need_tools                 # skip_all without the packaging tools
#     deb_packages || bail "..."     # sets DEB_OUT: the folder of the .debs
#
# The build is tests/deb/build.sh --source into
# $top_builddir/tests/deb/pkgs/out; pkgs/key holds the hash of the tree it
# was built from, pkgs/build.out its output; a flock on pkgs.lock lets one
# test build while the other waits.

# deb_need_tools [TOOL...]: skip the whole test unless dpkg-buildpackage,
# debhelper, fakeroot and each TOOL are installed (CI installs them, from
# tests/deps-debian.txt).
deb_need_tools() {
	local t
	for t in dpkg-buildpackage dh fakeroot "$@"; do
		command -v "$t" >/dev/null || skip_all "$t is not installed (tests/deps-debian.txt)"
	done
}

# deb_source_key: a hash of every file the package build copies.
deb_source_key() {
	(
		cd "${top_srcdir:?}" || exit 1
		local top
		top=$(git rev-parse --show-toplevel 2>/dev/null) || top=
		if [ -n "$top" ] && [ "$top" -ef . ]; then
			git ls-files -z --cached --others --exclude-standard
		else
			find . \( -path ./_build -o -path ./_inst -o -name node_modules \) -prune \
				-o -type f -print0
		fi | sort -z | xargs -0 sha256sum 2>/dev/null | sha256sum | cut -d' ' -f1
	)
}

# deb_packages: build the packages unless the build of this tree is there;
# sets DEB_OUT.  Returns non-zero (the build's output in pkgs/build.out)
# when the build fails.
deb_packages() {
	local dir=${top_builddir:?}/tests/deb/pkgs key rc=0 fd
	mkdir -p "$dir" || return 1
	key=$(deb_source_key) || return 1
	exec {fd}>"$dir.lock"
	flock "$fd"
	if [ "$(cat "$dir/key" 2>/dev/null)" != "$key" ]; then
		# A package build keeps both cores busy for minutes; the audit
		# tests' bursts (audit_journal.sh) must not share the machine
		# with it, or the kernel drops records under the load.  Their
		# lock is held until this test exits.
		. "$top_srcdir/tests/lib/locks.sh"
		lock_audit || { exec {fd}>&-; return 1; }
		rm -rf "$dir/out" "$dir/key"
		if bash "$top_srcdir/tests/deb/build.sh" --source "$dir/out" >"$dir/build.out" 2>&1; then
			echo "$key" >"$dir/key"
		else
			rc=1
		fi
	fi
	exec {fd}>&-
	DEB_OUT=$dir/out
	return $rc
}
