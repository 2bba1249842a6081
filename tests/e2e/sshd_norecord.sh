#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# No record, no login: with require_record on pam_oidc's session line the
# real sshd gives no shell when the journald `login` entry of the session
# cannot be written; without it the login goes on and the failure is
# logged.  journald running, stopped (its socket file left behind), and
# stopped with SIGSTOP with its queue full, which must cost a login
# seconds (JOURNAL_SEND_TIMEOUT_MS), not hang it.  pam_syslog's lines are
# read from a receiver on sshd's /dev/log (sshd_lib.sh, e2e_syslog).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/e2e/sshd_lib.sh"
. "$top_srcdir/tests/lib/auditd.sh"
command -v python3 >/dev/null || skip_all "needs python3 (the syslog receiver)"
e2e_init || exit 0
TAP_LOG=$E2E_DIR/out

MSG='this login is refused because the audit record of the session could not be written'
ALICE_SUB=7f6c1a52-alice-0001
e2e_users alice || bail "cannot create the test account"
e2e_journald || bail "journald is not available"
idp_start || bail "the test provider did not start"
e2e_syslog || bail "the syslog receiver did not start"
E2E_SESSION_ARGS=require_record e2e_sshd_start || bail "sshd did not start"

# require_record on or off on the session line; libpam reads the file per login
require_record() {
	local line=$E2E_DIR/pam.d/sshd
	sed -i '/^session .*pam_oidc\.so/ s/ require_record$//' "$line"
	[ "$1" = off ] || sed -i '/^session .*pam_oidc\.so/ s/$/ require_record/' "$line"
}
# syslog_has REGEX: a line of sshd's syslog matches (waits a little: datagrams)
syslog_has() { wait_for 5 grep -Eq -- "$1" "$E2E_DIR/syslog"; }
entry_closed() { [ -f "$E2E_REGISTRY/$1" ] && grep -q '"closed":' "$E2E_REGISTRY/$1"; }
# the newest registry entry: the session of a refused login shows no id
newest_ses() { ls -t "$E2E_REGISTRY" 2>/dev/null | head -n 1; }

plan 16

# --- journald runs, require_record: the login works and its entry exists ----
e2e_login alice alice approve
ses=$(e2e_get sessionid)
[ "$(e2e_get result)" = shell ] && [ "$(e2e_get user)" = alice ]
ok $? "journald running, require_record: ssh alice gets a shell"
found=1
for ((i = 0; i < 50; i++)); do
	e2e_journal _UID=0 OIDC_EVENT=login "OIDC_AUDIT_SESSION=$ses" |
		grep -q "\"OIDC_SUBJECT\":\"$ALICE_SUB\"" && { found=0; break; }
	sleep 0.1
done
[ -n "$ses" ] && [ "$found" = 0 ]
ok $? "the login entry of audit session ${ses:-none} is in the journal"

# --- journald stopped with SIGSTOP, its queue full: bounded ---------------
journald_freeze
[ -n "${JOURNALD_FILLED:-}" ] && [ "$JOURNALD_FILLED" -lt 100000 ]
ok $? "a SIGSTOP'd journald's socket queue is full after ${JOURNALD_FILLED:-no} datagrams"
e2e_login alice alice approve
t_end=$(e2e_get end_ms)
t_enter=$(e2e_get approved_ms)
[ "$(e2e_get result)" != shell ] && [ -z "$(e2e_get user)" ]
ok $? "stopped journald, require_record: no shell" "result $(e2e_get result)"
[ -n "$t_end" ] && [ -n "$t_enter" ] && [ $((t_end - t_enter)) -lt 15000 ]
ok $? "the refusal came $((${t_end:-0} - ${t_enter:-0})) ms after Enter, not a hang"
grep -qF "$MSG" "$E2E_OUT"
ok $? "the person is told why: '$MSG'"
syslog_has "cannot open the OIDC session of alice: the journald login entry of audit session [0-9]+ could not be written to /run/systemd/journal/socket \\(Connection timed out\\) and require_record is set"
ok $? "syslog names the record, the socket and the errno (Connection timed out)"
require_record off
e2e_login alice alice approve
[ "$(e2e_get result)" = shell ] && [ "$(e2e_get wait_ms)" -lt 15000 ]
ok $? "stopped journald, no require_record: a shell after $(e2e_get wait_ms) ms"
journald_thaw
wait_for 10 journald_running
ok $? "journald reads again after SIGCONT"

# --- journald stopped: its socket file is left, nobody reads it -------------
journald_stop "$E2E_JOURNALD_PID" || bail "journald did not stop"
require_record on
e2e_login alice alice approve
ses=$(newest_ses)
[ "$(e2e_get result)" != shell ] && [ -z "$(e2e_get user)" ]
ok $? "journald stopped, require_record: ssh alice gets no shell" "result $(e2e_get result)"
grep -qF "$MSG" "$E2E_OUT"
ok $? "the person is told why"
syslog_has "cannot open the OIDC session of alice: the journald login entry of audit session $ses could not be written to /run/systemd/journal/socket \\((Connection refused|No such file or directory)\\) and require_record is set"
ok $? "syslog: which record, which audit session ($ses), the errno"
entry_closed "$ses"
ok $? "the refused session's registry entry is marked closed, not left open"
require_record off
e2e_login alice alice approve
ses=$(e2e_get sessionid)
[ "$(e2e_get result)" = shell ] && [ "$(e2e_get user)" = alice ]
ok $? "journald stopped, no require_record: the login goes on"
syslog_has "OIDC session of alice opened without its journald login entry: the entry of audit session $ses could not be written to /run/systemd/journal/socket \\((Connection refused|No such file or directory)\\); require_record is not set"
ok $? "and the missing entry is logged with user, audit session and errno"
! grep -qF "$MSG" "$E2E_OUT"
ok $? "an admitted login shows no refusal message"
finish
