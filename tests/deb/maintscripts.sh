#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# oidc-audit's maintainer scripts tell auditd about the rules and plugin only
# when auditd runs, and only an auditd of their own root: installed into a
# chroot, they must never reload the host's auditd or load the chroot's rules
# into the host's kernel.  running_auditd() of debian/oidc-audit.postinst
# and .postrm, with its pid file moved into a test folder.  The other
# root needs root (chroot); without it that case is skipped.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
plan 7

T=$(mktemp -d /tmp/pam_oidc-maint.XXXXXX) || bail "mktemp"
at_exit rm -rf "$T"
at_exit reap

for s in postinst postrm; do
	sed -n '/^running_auditd() {$/,/^}$/p' "$top_srcdir/debian/oidc-audit.$s" |
		sed "s|/run/auditd.pid|$T/auditd.pid|g" >"$T/$s.fn"
done
cmp -s "$T/postinst.fn" "$T/postrm.fn" && [ -s "$T/postinst.fn" ]
ok $? "postinst and postrm find auditd the same way" "$(diff "$T/postinst.fn" "$T/postrm.fn")"

# found: what running_auditd prints (postinst's copy).
found() { sh -c ". '$T/postinst.fn'; running_auditd"; }

rm -f "$T/auditd.pid"
[ -z "$(found)" ]
ok $? "no pid file: auditd is not running, nothing to tell"

spawn sleep 60
live=$!
echo "$live" >"$T/auditd.pid"
[ "$(found)" = "$live" ]
ok $? "a live process of our root in the pid file: that is auditd" "found '$(found)', want $live"

stop "$live"
[ -z "$(found)" ]
ok $? "a stale pid file (the process is gone): not running"

printf '1 2\n' >"$T/auditd.pid"
[ -z "$(found)" ]
ok $? "a pid file that is not one number: not running"
printf '' >"$T/auditd.pid"
[ -z "$(found)" ]
ok $? "an empty pid file: not running"

# A process in another root, as the host's auditd looks from a chroot.
if [ "$(id -u)" -ne 0 ]; then
	pass "a process of another root # SKIP needs root (chroot)"
	finish
fi
mkdir -p "$T/root/bin"
cp /bin/sleep "$T/root/bin/"
for lib in $(ldd /bin/sleep | grep -o '/[^ ]*'); do
	mkdir -p "$T/root$(dirname "$lib")" && cp "$lib" "$T/root$lib"
done
spawn chroot "$T/root" /bin/sleep 60
other=$!
chrooted() { [ "$(readlink "/proc/$other/root" 2>/dev/null)" = "$T/root" ]; }
wait_for -p "$other" 50 chrooted || bail "the chrooted sleep did not start"
echo "$other" >"$T/auditd.pid"
[ -z "$(found)" ]
ok $? "a live process whose root is not ours (the host's auditd from a chroot): left alone" "found '$(found)'"
finish
