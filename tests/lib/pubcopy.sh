# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Copies of checkout and build files in a private, world-readable temporary
# directory, for what a test runs as an unprivileged user (an expect
# script, approve.js) and for the paths a PAM configuration names (the
# module, oidc-child).  The checkout may sit where no test user can read
# it (a clone in /root, mode 0700) or have a space in its path, which a
# pam.d line cannot hold; the copies have neither problem.  The directory
# is owned by root (by the user a test runs as, when not root), mode
# 0755, and removed at exit (at_exit).
#
#     . "$top_srcdir/tests/lib/pubcopy.sh"
#     pub_src tests/e2e/sudo_login.exp tests/idp || bail "cannot copy"
#     pub_build pam_oidc/.libs/pam_oidc.so pam_oidc/oidc-child || bail "cannot copy"
#     expect -f "$PUB_SRC/tests/e2e/sudo_login.exp"      # top_srcdir=$PUB_SRC for it
#     ... auth required $PUB_BUILD/pam_oidc/.libs/pam_oidc.so ...

[ -n "${PUBCOPY_SH_LOADED:-}" ] && return 0
PUBCOPY_SH_LOADED=1
. "${top_srcdir:?}/tests/lib/procs.sh"
PUB_DIR=
PUB_SRC=
PUB_BUILD=

# pub_init: create the directory once (PUB_DIR, with PUB_SRC and PUB_BUILD
# under it); pub_src and pub_build call it.  Call them in the test's own
# shell, not in $(...), or the names are lost.  Returns 1 when it cannot.
pub_init() {
	[ -n "$PUB_DIR" ] && return 0
	PUB_DIR=$(mktemp -d /tmp/pam_oidc-pub.XXXXXX) || return 1
	at_exit rm -rf "$PUB_DIR"
	chmod 0755 "$PUB_DIR" || return 1
	PUB_SRC=$PUB_DIR/src
	PUB_BUILD=$PUB_DIR/build
	mkdir -m 0755 "$PUB_SRC" "$PUB_BUILD"
}

# _pub_copy FROM TO REL...: copy FROM/REL (a file, or a folder without its
# node_modules) to TO/REL, readable (and, where it was, executable) by all,
# writable by root only.
_pub_copy() {
	local from=$1 to=$2 rel
	shift 2
	for rel in "$@"; do
		[ -e "$from/$rel" ] || { echo "# pub_copy: $from/$rel is missing" >&2; return 1; }
		(umask 022 && mkdir -p "$to/$(dirname "$rel")") || return 1
		if [ -d "$from/$rel" ]; then
			(umask 022 && mkdir -p "$to/$rel") &&
				tar -C "$from/$rel" --exclude=./node_modules -cf - . | tar -C "$to/$rel" -xf - ||
				return 1
		else
			cp -p "$from/$rel" "$to/$rel" || return 1
		fi
		if [ "$(id -u)" = 0 ]; then
			chown -R 0:0 "$to/$rel" || return 1
		fi
		chmod -R u+rw,go+rX,go-w "$to/$rel" || return 1
	done
}

# pub_src REL...: copy $top_srcdir/REL to $PUB_SRC/REL.
pub_src() { pub_init && _pub_copy "$top_srcdir" "$PUB_SRC" "$@"; }

# pub_build REL...: copy $top_builddir/REL to $PUB_BUILD/REL.
pub_build() { pub_init && _pub_copy "${top_builddir:?}" "$PUB_BUILD" "$@"; }
