#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# tests/deb/build.sh [--source] OUTDIR: build the Debian packages libpam-oidc
# and oidc-audit from this checkout and leave libpam-oidc_*.deb,
# oidc-audit_*.deb, the .buildinfo and the .changes in OUTDIR (--source:
# also the source package, .dsc and .tar.xz, for lintian).
#
# The build runs in a copy of the tree under a temporary folder, so it never
# writes into the checkout or its _build/: the files git knows (tracked, and
# untracked ones it does not ignore), or without git everything but _build/.
# Exits non-zero with a message on stderr when anything fails.
set -euo pipefail

die() {
	echo "tests/deb/build.sh: $*" >&2
	exit 1
}

what=-b
if [ "${1:-}" = --source ]; then
	what=
	shift
fi
[ $# -eq 1 ] || die "usage: tests/deb/build.sh [--source] OUTDIR"
out=$1
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ -f "$src/debian/control" ] || die "no debian/control in $src"
for tool in dpkg-buildpackage dpkg-checkbuilddeps dh fakeroot; do
	command -v "$tool" >/dev/null ||
		die "$tool not found: install the packaging tools of tests/deps-debian.txt (debhelper, dpkg-dev, fakeroot)"
done
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pam_oidc-deb.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version) ||
	die "cannot read the version from debian/changelog"
tree=$tmp/pam-oidc-$version
mkdir "$tree"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	# tracked files deleted in the work tree are not part of it
	(cd "$src" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			[ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"
		done | xargs -0 cp --parents -P -t "$tree" --) ||
		die "cannot copy the checkout to $tree"
else
	(cd "$src" && tar --exclude=./_build --exclude=./_inst -cf - .) | (cd "$tree" && tar -xf -) ||
		die "cannot copy $src to $tree"
fi

log=$tmp/build.log
echo "tests/deb/build.sh: building in $tree (log: $out/build.log)"
if ! (cd "$tree" && DEB_BUILD_OPTIONS="nocheck parallel=${DEB_PARALLEL:-2} ${DEB_BUILD_OPTIONS:-}" \
	nice dpkg-buildpackage -us -uc $what) >"$log" 2>&1; then
	cp "$log" "$out/build.log" 2>/dev/null || true
	tail -n 40 "$log" >&2
	die "dpkg-buildpackage failed (whole log in $out/build.log)"
fi
cp "$log" "$out/build.log"

shopt -s nullglob
files=("$tmp"/*.deb "$tmp"/*.buildinfo "$tmp"/*.changes "$tmp"/*.dsc "$tmp"/*.tar.*)
debs=("$tmp"/libpam-oidc_*.deb)
[ ${#debs[@]} -eq 1 ] || die "no libpam-oidc .deb was built"
debs=("$tmp"/oidc-audit_*.deb)
[ ${#debs[@]} -eq 1 ] || die "no oidc-audit .deb was built"
cp -f "${files[@]}" "$out/" || die "cannot copy the packages to $out"
for f in "${files[@]}"; do
	echo "$out/${f##*/}"
done
