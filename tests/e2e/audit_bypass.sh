#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Watched files read past the audit rules (issue 8, item 5), with the real
# kernel audit, auditd and journald of tests/lib/auditd.sh and the shipped
# rules, their dir= paths pointed at a folder of this test:
#
# - i386: a 64-bit process opens and reads a watched file through
#   `int $0x80` (the kernel audits arch=i386, open is call 5 there).  It
#   must be a file entry of the session's subject: read, by open.
# - io_uring: IORING_OP_OPENAT + READ pass every exit rule and watch, and
#   the auditctl here may have no io_uring filter list.  The shipped
#   contrib/sysctl.d/60-oidc-audit.conf must refuse io_uring to an
#   unprivileged user, and oidc-audit must warn at start while it is not
#   applied.  The sysctls are restored at exit.
#
# Root only; takes the audit lock.
set -u

builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
. "$srcdir/tests/lib/tap.sh"
. "$srcdir/tests/lib/locks.sh"
. "$srcdir/tests/lib/procs.sh"
. "$srcdir/tests/lib/auditd.sh"

audit_able || skip_all "$AUDIT_SKIP_REASON"
bin=$(readlink -f "$builddir/auditd-helper/oidc-audit")
bypass=$(readlink -f "$builddir/tests/e2e/bypass_read")
[ -x "$bin" ] && [ -x "$bypass" ] || bail "build oidc-audit and tests/e2e/bypass_read first (make check)"
lock_audit || skip_all "another audit test held the lock for 15 minutes"

tmp=$(mktemp -d /tmp/oidc-audit-e2e.XXXXXX)
chmod 0700 "$tmp"
at_exit rm -rf "$tmp"
# The watched folder and the program, where the unprivileged user reaches them.
pub=$(mktemp -d /tmp/oidc-audit-e2e-pub.XXXXXX)
chmod 0755 "$pub"
at_exit rm -rf "$pub"
W=$pub/watched
mkdir -m 0755 "$W"
echo "salary: 1" >"$W/secret"
chmod 0644 "$W/secret"
install -m 0755 "$bypass" "$pub/bypass_read"
AUID=4242
tag=byp$$x$RANDOM
as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
audit_save

uring_sysctl=/proc/sys/kernel/io_uring_disabled
saved_uring=$(cat "$uring_sysctl" 2>/dev/null)
saved_group=$(cat /proc/sys/kernel/io_uring_group 2>/dev/null)
restore_uring() {
	[ -n "$saved_uring" ] && sysctl -q -w kernel.io_uring_disabled="$saved_uring"
	[ -n "$saved_group" ] && sysctl -q -w kernel.io_uring_group="$saved_group"
}
at_exit restore_uring

plan 11

audit_journald || audit_abort "journald serves the native socket"
audit_auditd || audit_abort "auditd owns the audit socket"
audit_wait_helper || audit_abort "auditd started the oidc-audit plugin"
pass "auditd runs the built oidc-audit, journald serves"

audit_contrib_rules "$tmp/contrib.rules"
sed -i "s|-F dir=/etc/ssh |-F dir=$W |" "$tmp/contrib.rules"
auditctl -R "$tmp/contrib.rules" >"$tmp/rules.out" 2>&1 && auditctl -l | grep -q -- "dir=$W "
ok $? "the shipped rules load, dir= pointed at the test's folder" "$(cat "$tmp/rules.out")"

# ------------------------------------------------------------ i386
# file_entries SUBJECT SYSCALL: file entries of the watched file by that call.
file_entries() {
	count_entries _UID=0 OIDC_SUBJECT="$1" OIDC_EVENT=file OIDC_PATH="$W/secret" OIDC_SYSCALL="$2"
}
SUB_I=sub-$tag-i386
session_start I '
	setpriv --reuid=65534 --regid=65534 --clear-groups "'"$pub"'/bypass_read" i386 "'"$W"'/secret" >"'"$tmp"'/i386.out" 2>&1
	echo $? >"'"$tmp"'/i386.rc"
	setpriv --reuid=65534 --regid=65534 --clear-groups /bin/cat "'"$W"'/secret" >/dev/null
	exit 0'
SES_I=$(cat "$tmp/I.ses")
registry "$SES_I" "$SUB_I"
session_go I
wait "${session_pid[I]}"
i386_rc=$(cat "$tmp/i386.rc")
# The 64-bit cat came after it: once its entry is in, the i386 one would be.
[ "$(wait_count 1 _UID=0 OIDC_SUBJECT="$SUB_I" OIDC_EVENT=file OIDC_PATH="$W/secret" OIDC_SYSCALL=openat)" -ge 1 ]
ok $? "control: the 64-bit read (openat) is a file entry of the session"
if [ "$i386_rc" = 77 ] || [ "$i386_rc" = 3 ]; then
	# not x86_64, or a kernel without i386 emulation: no such bypass here
	pass "bypass_read i386 # SKIP no i386 system calls here: $(cat "$tmp/i386.out")"
	pass "i386 open of a watched file # SKIP no i386 system calls here"
else
	[ "$i386_rc" = 0 ]
	ok $? "bypass_read i386 read the watched file (int \$0x80 open, read)" "$(cat "$tmp/i386.out")"
	sleep 1
	journalctl -q --no-pager -o json --output-fields=OIDC_SYSCALL,OIDC_OPERATION,OIDC_AUDIT_SESSION,OIDC_AUDIT_KEY,OIDC_SUCCESS \
		_UID=0 OIDC_SUBJECT="$SUB_I" OIDC_EVENT=file OIDC_PATH="$W/secret" OIDC_SYSCALL=open >"$tmp/i386.json"
	[ "$(file_entries "$SUB_I" open)" = 1 ] &&
		grep -q '"OIDC_OPERATION":"read"' "$tmp/i386.json" && grep -q "\"OIDC_AUDIT_SESSION\":\"$SES_I\"" "$tmp/i386.json" &&
		grep -q '"OIDC_AUDIT_KEY":"oidc-file"' "$tmp/i386.json" && grep -q '"OIDC_SUCCESS":"yes"' "$tmp/i386.json"
	ok $? "i386 open of a watched file: one file entry of the subject, read by open, key oidc-file" \
		"$(cat "$tmp/i386.json")" "$(grep "ses=$SES_I " "$tmp/log/audit.log" | grep -c 'arch=40000003') i386 records of the session in audit.log"
fi

# ------------------------------------------------------------ io_uring
if ! [ -e "$uring_sysctl" ]; then
	for t in "io_uring usable before" "oidc-audit warns" "sysctl applies" "io_uring refused" "no warning" "restored"; do
		pass "$t # SKIP this kernel has no kernel.io_uring_disabled (Linux 6.6)"
	done
	finish
fi
if auditctl -a always,io_uring -S openat -F key="$tag" >/dev/null 2>&1; then
	auditctl -d always,io_uring -S openat -F key="$tag" >/dev/null 2>&1
	diag "this auditctl loads io_uring rules; the sysctl is tested all the same"
else
	diag "this auditctl ($(auditctl -v 2>&1)) has no io_uring filter list: the sysctl is the guard"
fi
sysctl -q -w kernel.io_uring_disabled=0
as_user "$pub/bypass_read" io_uring "$W/secret" >"$tmp/uring0.out" 2>&1
ok $? "without the sysctl an unprivileged user reads the watched file through io_uring" "$(cat "$tmp/uring0.out")"

# warned NAME: oidc-audit started as the plugin would be, stdin at its end.
warned() {
	"$bin" --config "$tmp/oidc-audit.conf" --output json --no-backfill </dev/null >/dev/null 2>"$tmp/$1.err"
	grep -q 'warning: .*io_uring' "$tmp/$1.err"
}
warned warn0
ok $? "oidc-audit warns at start while io_uring is open to everyone" "$(cat "$tmp/warn0.err")"

sysctl -q -p "$srcdir/contrib/sysctl.d/60-oidc-audit.conf" >"$tmp/sysctl.out" 2>&1 && [ "$(cat "$uring_sysctl")" != 0 ]
ok $? "contrib/sysctl.d/60-oidc-audit.conf applies with sysctl -p" "$(cat "$tmp/sysctl.out")"
as_user "$pub/bypass_read" io_uring "$W/secret" >"$tmp/uring2.out" 2>&1
rc=$?
[ "$rc" = 3 ]
ok $? "with the shipped sysctl io_uring is refused to an unprivileged user (exit $rc, want 3)" "$(cat "$tmp/uring2.out")"
! warned warn2
ok $? "oidc-audit does not warn once io_uring is restricted" "$(cat "$tmp/warn2.err")"

restore_uring
[ "$(cat "$uring_sysctl")" = "$saved_uring" ]
ok $? "kernel.io_uring_disabled restored to $saved_uring"
finish
