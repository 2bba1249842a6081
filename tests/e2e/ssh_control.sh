#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# One device login for many connections: OpenSSH connection sharing
# (ControlMaster auto, ControlPath, ControlPersist) with the real sshd,
# oidc-child, test provider, kernel audit, auditd and oidc-audit.  A person
# signs in once (expect, approve.js); the master stays after the shell
# ends; then `ssh host cmd`, scp and rsync go through it in BatchMode, so
# a new device login could not even be answered.  The provider must have
# seen exactly one device authorization, and every command and file the
# clients touched must be in the journal and in oidc-audit search under
# the master's subject and audit session.  `ssh -O exit` ends it all.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/e2e/sshd_lib.sh"
. "$top_srcdir/tests/lib/auditd.sh"
command -v rsync >/dev/null && command -v scp >/dev/null || skip_all "rsync or scp missing"
[ -x /usr/lib/openssh/sftp-server ] || skip_all "no /usr/lib/openssh/sftp-server"
audit_able || skip_all "$AUDIT_SKIP_REASON"
e2e_init || exit 0
TAP_LOG=$E2E_DIR/out

bin=$(readlink -f "$top_builddir/auditd-helper/oidc-audit")
[ -x "$bin" ] || bail "build oidc-audit first"
lock_audit || skip_all "another audit test held the lock for 15 minutes"
# auditd.sh's folder (its prefix marks an auditd of an interrupted run)
tmp=$(mktemp -d /tmp/oidc-audit-e2e.XXXXXX) || bail "mktemp"
chmod 0700 "$tmp"
at_exit rm -rf "$tmp"
AUID=unused	# the sessions here are sshd's, not session_start's
audit_save

ALICE_SUB=7f6c1a52-alice-0001
e2e_users alice || bail "cannot create the test account"
# the watched folder alice writes into, where she can reach it
pub=$(mktemp -d /tmp/pam_oidc-e2e-watched.XXXXXX) || bail "mktemp"
at_exit rm -rf "$pub"
chmod 0755 "$pub"
W=$pub/w
mkdir -m 0755 "$W" && echo "salary: 1" >"$W/secret" && chown -R alice "$W"
echo "from the client" >"$tmp/upload"
echo "synced" >"$tmp/synced"

plan 11
audit_journald || audit_abort "journald serves the native socket"
audit_auditd || audit_abort "auditd owns the audit socket"
audit_wait_helper || audit_abort "auditd started the oidc-audit plugin"
audit_contrib_rules "$tmp/contrib.rules"
sed -i "s|-F dir=/etc/ssh |-F dir=$W |" "$tmp/contrib.rules"
auditctl -R "$tmp/contrib.rules" >"$tmp/rules.out" 2>&1 && auditctl -l | grep -q -- "dir=$W "
ok $? "auditd runs oidc-audit, the shipped rules watch the test's folder" "$(cat "$tmp/rules.out")"

# the module writes its registry where oidc-audit reads it
E2E_REGISTRY=$tmp/reg
idp_start || bail "the test provider did not start"
e2e_sshd_start "Subsystem sftp /usr/lib/openssh/sftp-server" || bail "sshd did not start"

# The client side of README "One sign-in for scp, rsync and ansible".
ctl=$E2E_DIR/ctl
mkdir -m 0700 "$ctl"
cat >"$E2E_DIR/ssh_config" <<EOT
Host 127.0.0.1
	ControlMaster auto
	ControlPath $ctl/%C
	ControlPersist 60
	StrictHostKeyChecking no
	UserKnownHostsFile /dev/null
	LogLevel ERROR
EOT
# ssh_exit: end the master (ssh -O exit); quiet when it has gone already.
ssh_exit() { ssh -F "$E2E_DIR/ssh_config" -p "$E2E_PORT" -O exit alice@127.0.0.1 2>/dev/null; }
at_exit ssh_exit
since=$(date +%s)

export E2E_SSH_OPTS="-F $E2E_DIR/ssh_config"
e2e_login alice alice approve
unset E2E_SSH_OPTS
ses=$(e2e_get sessionid)
[ "$(e2e_get result)" = shell ] && [ -n "$ses" ] && [ "$(e2e_get subject)" = "$ALICE_SUB" ]
ok $? "the first connection signs in with a device code and becomes the master (audit session ${ses:-?})"
ssh -F "$E2E_DIR/ssh_config" -p "$E2E_PORT" -O check alice@127.0.0.1 2>/dev/null
ok $? "the master outlives its shell (ControlPersist): ssh -O check answers"

# Every client from here on: BatchMode, so a new device login would fail.
S=(-F "$E2E_DIR/ssh_config" -o BatchMode=yes -o ControlMaster=no)
out=$(timeout 30 ssh "${S[@]}" -p "$E2E_PORT" alice@127.0.0.1 \
	'echo "R=$(id -un):$(cat /proc/self/sessionid):$OIDC_SUBJECT"; cat '"$W/secret" 2>&1)
grep -qx "R=alice:$ses:$ALICE_SUB" <<<"$out" && grep -qx "salary: 1" <<<"$out"
ok $? "ssh host cmd runs through the master: alice, audit session $ses, her subject" "$out"
out=$(timeout 30 scp "${S[@]}" -P "$E2E_PORT" "$tmp/upload" "alice@127.0.0.1:$W/upload" 2>&1)
rc=$?
[ $rc = 0 ] && cmp -s "$tmp/upload" "$W/upload"
ok $? "scp copies through the master without a new code" "$out"
out=$(timeout 30 rsync -e "ssh ${S[*]} -p $E2E_PORT" "$tmp/synced" "alice@127.0.0.1:$W/synced" 2>&1)
rc=$?
[ $rc = 0 ] && cmp -s "$tmp/synced" "$W/synced"
ok $? "rsync copies through the master without a new code" "$out"

# Exactly one device authorization at the provider, one login in the journal.
devauth=$(grep -c ' POST /device/auth ' "$IDP_LOG")
[ "$devauth" = 1 ]
ok $? "the provider saw exactly one device authorization ($devauth)" "$(grep ' POST ' "$IDP_LOG")"
logins=$(e2e_journal --since "@$since" OIDC_EVENT=login OIDC_SUBJECT="$ALICE_SUB" | grep -c .)
[ "$logins" = 1 ]
ok $? "the journal holds one login for the four connections ($logins)"

# What the clients did, attributed to the master's identity and session.
# exe_seen EXE: an exec entry of EXE in the master's session, alice's subject;
# file_seen PATH: a file entry of PATH there.
exe_seen() {
	e2e_journal OIDC_EVENT=exec OIDC_AUDIT_SESSION="$ses" SYSLOG_IDENTIFIER=oidc-audit |
		grep "\"OIDC_SUBJECT\":\"$ALICE_SUB\"" | grep -q "\"OIDC_EXE\":\"$1\""
}
file_seen() {
	e2e_journal OIDC_EVENT=file OIDC_AUDIT_SESSION="$ses" SYSLOG_IDENTIFIER=oidc-audit \
		OIDC_PATH="$1" | grep -q "\"OIDC_SUBJECT\":\"$ALICE_SUB\""
}
all_seen() {
	exe_seen /usr/bin/cat && exe_seen /usr/lib/openssh/sftp-server && exe_seen /usr/bin/rsync &&
		file_seen "$W/secret" && file_seen "$W/upload"
}
wait_for 30 all_seen
ok $? "journal: cat, sftp-server (scp) and rsync, the read and the upload, all in session $ses as alice's subject" \
	"$(e2e_journal OIDC_AUDIT_SESSION="$ses" SYSLOG_IDENTIFIER=oidc-audit -o cat | head -40)"
"$bin" search --session "$ses" >"$tmp/search.out" 2>&1
grep -q "ran /usr/lib/openssh/sftp-server" "$tmp/search.out" && grep -q "ran rsync --server" "$tmp/search.out" &&
	grep -q "created $W/upload" "$tmp/search.out" && "$bin" search --subject "$ALICE_SUB" --since "@$since" | grep -q "$W/secret"
ok $? "oidc-audit search --session $ses shows the commands and files of every multiplexed client" "$(head -40 "$tmp/search.out")"

ssh_exit
out=$(timeout 30 ssh "${S[@]}" -p "$E2E_PORT" alice@127.0.0.1 true 2>&1)
rc=$?
[ $rc != 0 ] && [ -z "$(ls -A "$ctl")" ]
ok $? "after ssh -O exit the socket is gone, and a BatchMode client cannot sign in again" "$out"
finish
