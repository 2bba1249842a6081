#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# contrib/demo/run cannot rot: run it unattended (--auto) on a free port
# with the tree make check built, and check the timeline it prints (every
# command and file access of the story, with alice's subject, in her one
# audit session), bob's refused approval, and that the machine is as it
# was afterwards: no accounts, audit rules, audit status and auditd,
# journald, files or processes of the demo left.  Then the same cleanup
# after a Ctrl-C in the middle of the story.
#
# Root only.  The demo takes the accounts and audit locks; this test holds
# them for it (the demo inherits them) so no other test runs in between.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/lib/locks.sh"
. "$top_srcdir/tests/lib/auditd.sh"
. "$top_srcdir/tests/idp/lib.sh"

audit_able || skip_all "$AUDIT_SKIP_REASON"
command -v sshd >/dev/null || command -v /usr/sbin/sshd >/dev/null || skip_all "sshd missing"
command -v expect >/dev/null && command -v sudo >/dev/null || skip_all "expect or sudo missing"
idp_available || skip_all "$IDP_SKIP_REASON"
lock_accounts || skip_all "another test held the test accounts for 15 minutes"
lock_audit || skip_all "another audit test held the lock for 15 minutes"
export LOCK_ACCOUNTS_FD LOCK_AUDIT_FD
. "$top_srcdir/tests/e2e/sshd_lib.sh"
T=$(mktemp -d /tmp/pam_oidc-demo-test.XXXXXX) || bail "mktemp"
at_exit rm -rf "$T"
SUB=7f6c1a52-alice-0001
DEMO=$top_srcdir/contrib/demo/run

# What the demo may change and must put back.
machine_state() {
	auditctl -l
	auditctl -s | grep -E '^(enabled|pid|backlog_limit|backlog_wait_time) '
	getent passwd alice bob
	ls -d /tmp/pam_oidc-e2e-home-* /run/sshd /run/pam_oidc-demo.pid \
		/run/systemd/journald.conf.d 2>/dev/null
	pgrep -x systemd-journal
	pgrep -x auditd
	return 0
}
# The demo's folders (named in its output) are gone, and no process runs from them.
demo_gone() {
	local d
	for d in $(grep -o '/tmp/\(oidc-audit-e2e\.demo\|pam_oidc-e2e\|pam_oidc-idp\)[.-][A-Za-z0-9]*' "$1" | sort -u); do
		[ ! -e "$d" ] || { echo "# $d is left" >&2; return 1; }
		! pgrep -f "$d" >/dev/null || { echo "# a process of $d runs" >&2; return 1; }
	done
	! pgrep -f "$DEMO" >/dev/null
}

plan 12
machine_state >"$T/before"
port=$(e2e_free_port)
t0=$(date +%s%N)
timeout 300 "$DEMO" --auto --port "$port" --builddir "$top_builddir" >"$T/out" 2>&1
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
TAP_LOG=$T/out
[ $rc = 0 ] && grep -q '^demo: logged out' "$T/out"
ok $? "demo_auto_runs_to_the_end: contrib/demo/run --auto plays the whole story (${ms} ms)"
diag "unattended demo: ${ms} ms"
TAP_LOG=
sed -n '/^== The timeline/,/^== /p' "$T/out" >"$T/timeline"
TAP_LOG=$T/timeline
# has KIND TEXT: a timeline line (time, host, kind, ...) of KIND ending in TEXT with alice's subject
has() { grep -E "^[0-9-]+ [0-9:.]+ [^ ]+ $1 +ses=[0-9]+ alice \\(sub 7f6c1a52-ali(ce-0001|…)\\) .*$2\$" "$T/timeline" | grep -q .; }
grep -q "^== The timeline: oidc-audit search --subject $SUB " "$T/timeline" &&
	has login "logged in as alice via sshd from 127.0.0.1, audit session [0-9]+" &&
	has logout "logged out as alice via sshd from 127.0.0.1, audit session [0-9]+"
ok $? "demo_timeline_login_logout: the timeline is alice's subject's, from login to logout"
has exec "ran id" && has exec "ran uname -sr" && has exec "ran cat /tmp/[^ ]*/notes.txt" &&
	has exec "ran ls -l /tmp/[^ ]*/notes.txt"
ok $? "demo_timeline_commands: every command of the session, as alice"
has file "read /tmp/[^ ]*/notes.txt" && has file "wrote /tmp/[^ ]*/notes.txt"
ok $? "demo_timeline_watched_file: the read and the write of the watched file, as alice"
has exec "ran sudo -k id -un" && has exec "ran id -un" && has file "read /etc/shadow"
ok $? "demo_timeline_sudo: the sudo, the command it ran as root and its /etc/shadow read, as alice"
[ "$(grep -oE 'ses=[0-9]+' "$T/timeline" | sort -u | wc -l)" = 1 ] &&
	[ "$(grep -cE '^[0-9-]+ [0-9:.]+ [^ ]+ [a-z-]+ +ses=' "$T/timeline")" -ge 11 ] &&
	! grep -E '^[0-9-]+ ' "$T/timeline" | grep -qv '(sub 7f6c1a52-ali'
ok $? "demo_timeline_one_session: every entry in alice's one audit session, with her subject"
TAP_LOG=$T/out
grep -q '^demo: refused bob' "$T/out" && grep -q '^demo: sudo ran root' "$T/out" &&
	grep -q 'login-failed OIDC login as alice via sudo .*the identity maps to bob' "$T/out"
ok $? "demo_bob_refused: bob's approval of alice's sudo code is refused and shown; alice's runs it"
TAP_LOG=
machine_state >"$T/after"
diff "$T/before" "$T/after" >"$T/diff"
ok $? "demo_leaves_machine_as_found: accounts, audit rules and status, auditd, journald, files" "$(cat "$T/diff")"
demo_gone "$T/out"
ok $? "demo_leaves_no_process_or_folder: none of the demo's folders or processes is left"

# ------------------------------------------------------------ Ctrl-C mid-story
# In a process group of its own, as a foreground job is; a Ctrl-C is a
# SIGINT to that whole group.
set -m
"$DEMO" --auto --port "$port" --builddir "$top_builddir" >"$T/int.out" 2>&1 &
pid=$!
set +m
wait_for -p "$pid" 60 grep -q '^demo: logged in' "$T/int.out"
ok $? "demo_interrupted: the second run reached the session"
kill -INT -- "-$pid" 2>/dev/null
# bounded: the cleanup gives sshd's sessions and auditd 5 s each at most
wait_for 30 eval '! kill -0 "$pid" 2>/dev/null'
stopped=$?
wait "$pid" 2>/dev/null
TAP_LOG=$T/int.out
[ $stopped = 0 ] && ! grep -q '^demo: logged out' "$T/int.out"
ok $? "demo_ctrl_c_stops: Ctrl-C ends the demo in the middle of the story"
machine_state >"$T/after.int"
diff "$T/before" "$T/after.int" >"$T/diff" && demo_gone "$T/int.out"
ok $? "demo_ctrl_c_cleans_up: after Ctrl-C the machine is as found, no folder or process left" "$(cat "$T/diff")"
finish
