# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Machine-wide locks (flock) for tests that change shared machine state, so
# that two make check runs on one machine (a developer's and CI's, or two
# worktrees) take turns instead of breaking each other.  A lock is held
# until the test exits; a daemon the test starts should not inherit it
# (`daemon {LOCK_AUDIT_FD}>&- &`), or a leftover daemon would keep it.
#
#     . "$top_srcdir/tests/lib/locks.sh"
#     lock_accounts || skip_all "another test held the test accounts for 15 minutes"

[ -n "${LOCKS_SH_LOADED:-}" ] && return 0
LOCKS_SH_LOADED=1

# lock_take FILE [SECONDS]: wait at most SECONDS (default 900, 15 minutes)
# for an exclusive lock on FILE, held on a new file descriptor until the
# test exits; its number is left in LOCK_FD.  Returns 1 on a timeout.
lock_take() {
	local fd
	exec {fd}>>"$1" || return 1
	if ! flock -w "${2:-900}" "$fd"; then
		exec {fd}>&-
		return 1
	fi
	LOCK_FD=$fd
}

# lock_accounts: the lock of the tests that create the provider's accounts
# (alice, bob, ...) as local users, so that they never share or delete each
# other's accounts.  Taken once per test; fd in LOCK_ACCOUNTS_FD.
lock_accounts() {
	[ -n "${LOCK_ACCOUNTS_FD:-}" ] && return 0
	lock_take /tmp/pam_oidc-test-accounts.lock || return 1
	LOCK_ACCOUNTS_FD=$LOCK_FD
}

# lock_audit: the lock of the tests that run auditd or start and stop
# journald (tests/e2e/audit_journal.sh runs its own auditd and a journald
# with a rate-limit drop-in; the journald one test started must not vanish
# under another).  Taken once per test; fd in LOCK_AUDIT_FD.
lock_audit() {
	[ -n "${LOCK_AUDIT_FD:-}" ] && return 0
	lock_take /tmp/pam_oidc-audit-e2e.lock || return 1
	LOCK_AUDIT_FD=$LOCK_FD
}
