# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Local test accounts (root only).  Every account created here is removed
# by acct_cleanup, which the test calls from its cleanup (at_exit
# acct_cleanup, or in its own order); accounts that existed before are
# never changed or removed.  Creating one takes lock_accounts first.
#
#     . "$top_srcdir/tests/lib/accounts.sh"
#     at_exit acct_cleanup
#     acct_ensure alice || bail "cannot create user alice"

[ -n "${ACCOUNTS_SH_LOADED:-}" ] && return 0
ACCOUNTS_SH_LOADED=1
. "${top_srcdir:?}/tests/lib/locks.sh"
ACCT_CREATED=()
ACCT_HOMES=()

# acct_add [-m] NAME [SHELL [HOME]]: create the local account NAME (no
# group of its own; SHELL default /usr/sbin/nologin, HOME default
# /nonexistent).  With -m also make HOME, owned by NAME, mode 0700, and
# remove it with the account.  NAME must not exist yet: returns 1 (with a
# note on stderr) when it does, or when the lock or useradd fails.
acct_add() {
	local mkhome=
	if [ "$1" = -m ]; then
		mkhome=1
		shift
	fi
	local name=$1 shell=${2:-/usr/sbin/nologin} home=${3:-/nonexistent}
	lock_accounts || return 1
	if getent passwd "$name" >/dev/null; then
		echo "# account $name exists already; not touching it" >&2
		return 1
	fi
	useradd -M -N -s "$shell" -d "$home" "$name" || return 1
	ACCT_CREATED+=("$name")
	if [ -n "$mkhome" ]; then
		ACCT_HOMES+=("$home")
		mkdir -p "$home" && chown "$name" "$home" && chmod 700 "$home"
		return
	fi
	return 0
}

# acct_ensure NAME [SHELL [HOME]]: NAME exists afterwards: an account that
# is already there is used as it is (and kept), else acct_add creates it.
# Returns 1 when it cannot.
acct_ensure() {
	lock_accounts || return 1
	getent passwd "$1" >/dev/null && return 0
	acct_add "$@"
}

# acct_cleanup: remove the accounts (and -m homes) created here.  An
# account whose last processes are still ending gets 5 s; one that cannot
# be removed is reported on stderr.  Returns 0.
acct_cleanup() {
	local u i h
	for u in "${ACCT_CREATED[@]}"; do
		for ((i = 0; i < 50; i++)); do
			userdel "$u" 2>/dev/null && break
			getent passwd "$u" >/dev/null || break
			sleep 0.1
		done
		getent passwd "$u" >/dev/null && echo "# could not remove test account $u" >&2
	done
	for h in "${ACCT_HOMES[@]}"; do
		rm -rf "$h"
	done
	ACCT_CREATED=()
	ACCT_HOMES=()
	return 0
}
