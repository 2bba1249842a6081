#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# oidc-audit replay, through the binary: enrichment from --registry, events of
# sessions without identity passed over unless --all-sessions, rotated files
# replayed oldest first whatever the argument order, hostile and garbage
# input reported (never a crash), exit statuses.  No root needed, except
# for the cases of a root replay (only root-owned audit logs) and the plugin
# cases (oidc-audit.conf must be owned by root), which skip without it.
set -u
bin=${top_builddir:-.}/auditd-helper/oidc-audit
. "${top_srcdir:-.}/tests/lib/tap.sh"
. "${top_srcdir:-.}/tests/lib/procs.sh"
tmp=$(mktemp -d /tmp/audit_replay.XXXXXX)
at_exit rm -rf "$tmp"
plan 19

# Two exec events of session 7 (one with a split, hex-encoded argument and a
# hostile cwd), one of session 8, one file event of session 7.
cat >"$tmp/old.log" <<'EOF2'
type=SYSCALL msg=audit(1764100000.100:501): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=10 pid=11 auid=4242 uid=4242 gid=4242 euid=4242 suid=4242 fsuid=4242 egid=4242 sgid=4242 fsgid=4242 tty=pts0 ses=7 comm="cat" exe="/usr/bin/cat" key="oidc-exec"
type=EXECVE msg=audit(1764100000.100:501): argc=2 a0="cat" a1=2F6574632F736861646F77
type=CWD msg=audit(1764100000.100:501): cwd="/home/alice"
type=PATH msg=audit(1764100000.100:501): item=0 name="/usr/bin/cat" inode=1 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PROCTITLE msg=audit(1764100000.100:501): proctitle=636174002F6574632F736861646F77
type=SYSCALL msg=audit(1764100000.200:502): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=10 pid=12 auid=4243 uid=4243 gid=4243 euid=4243 suid=4243 fsuid=4243 egid=4243 sgid=4243 fsgid=4243 tty=pts1 ses=8 comm="id" exe="/usr/bin/id" key="oidc-exec"
type=EXECVE msg=audit(1764100000.200:502): argc=1 a0="id"
type=CWD msg=audit(1764100000.200:502): cwd="/"
type=PROCTITLE msg=audit(1764100000.200:502): proctitle=6964
EOF2
cat >"$tmp/new.log" <<'EOF2'
type=SYSCALL msg=audit(1764100001.000:503): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=2 a2=0 a3=0 items=1 ppid=10 pid=13 auid=4242 uid=4242 gid=4242 euid=4242 suid=4242 fsuid=4242 egid=4242 sgid=4242 fsgid=4242 tty=pts0 ses=7 comm="cat" exe="/usr/bin/cat" key="oidc-file"
type=CWD msg=audit(1764100001.000:503): cwd=2F746D702F782220736573733D3120220A
type=PATH msg=audit(1764100001.000:503): item=0 name="secret" inode=2 dev=08:01 mode=0100600 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PROCTITLE msg=audit(1764100001.000:503): proctitle=636174007365637265740A
this line is garbage
EOF2
cp "$tmp/old.log" "$tmp/audit.log.1"
cp "$tmp/new.log" "$tmp/audit.log"
mkdir -m 0700 "$tmp/reg"
printf '{"boot_id":"0123456789abcdef0123456789abcdef","session":7,"loginuid":4242,"user":"alice","issuer":"https://idp.example","subject":"2481","username":"alice","login_id":"00112233445566778899aabbccddeeff","service":"sshd","opened":1764099990000000}\n' >"$tmp/reg/7"
chmod 0600 "$tmp/reg/7"

"$bin" replay --config /nonexistent --registry "$tmp/reg" --output json "$tmp/audit.log" "$tmp/audit.log.1" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ]
ok $? "replay exits 0"
events=$(grep -c '"OIDC_EVENT":"\(exec\|file\)"' "$tmp/out")
[ "$events" = 2 ] && ! grep -q "\"OIDC_AUDIT_SESSION\":\"8\"" "$tmp/out"
ok $? "only session 7 (registry entry): 2 events"
[ "$(grep -o "\"OIDC_AUDIT_SERIAL\":\"[0-9]*\"" "$tmp/out" | tr -dc "0-9\n" | tr "\n" " ")" = "501 503 " ]
ok $? "rotated file first: serial 501 before 503"
grep "\"OIDC_AUDIT_SERIAL\":\"501\"" "$tmp/out" | grep -q "\"OIDC_SUBJECT\":\"2481\".*\"OIDC_EVENT_TIME\":\"1764100000100000\".*\"OIDC_ARGV\":\"cat /etc/shadow\""
ok $? "exec: identity, decoded argv, kernel time"
grep "\"OIDC_AUDIT_SERIAL\":\"503\"" "$tmp/out" | grep -qF "\"OIDC_PATH\":\"/tmp/x\\\" sess=1 \\\"\\n/secret\"" && grep "\"OIDC_AUDIT_SERIAL\":\"503\"" "$tmp/out" | grep -q "\"OIDC_SUCCESS\":\"no\",\"OIDC_EXIT\":\"-13\""
ok $? "file: hostile cwd resolves the path verbatim, failure kept"
grep -q "\"OIDC_LOSS_REASON\":\"unparsable\",\"OIDC_LOSS_COUNT\":\"1\"" "$tmp/out"
ok $? "the garbage line is reported as a loss entry"

# A replay is not live evidence: without --output it prints JSON lines on
# stdout, even when the configuration file (the plugin's) says journal.
printf 'output = journal\n' >"$tmp/journal.conf"
chmod 0600 "$tmp/journal.conf"
"$bin" replay --config "$tmp/journal.conf" --registry "$tmp/reg" "$tmp/audit.log.1" "$tmp/audit.log" >"$tmp/out.default" 2>"$tmp/err.default"
rc=$?
[ $rc = 0 ] && cmp -s "$tmp/out" "$tmp/out.default" && grep -q '"OIDC_AUDIT_SOURCE":"replay"' "$tmp/out.default" &&
	! grep -v '"OIDC_AUDIT_SOURCE":"replay"' "$tmp/out.default" | grep -q .
ok $? "replay without --output: JSON on stdout (not the journal), every entry OIDC_AUDIT_SOURCE=replay"

"$bin" replay --config /nonexistent --registry "$tmp/reg" --output json --all-sessions "$tmp/audit.log.1" "$tmp/audit.log" >"$tmp/out2" 2>"$tmp/err2"
[ "$(grep -c "\"OIDC_EVENT\":\"\(exec\|file\)\"" "$tmp/out2")" = 3 ] && grep "\"OIDC_AUDIT_SESSION\":\"8\"" "$tmp/out2" | grep -qv OIDC_SUBJECT
ok $? "--all-sessions adds session 8 without identity"

"$bin" replay --config /nonexistent --registry "$tmp/reg" --output json "$tmp/missing.log" "$tmp/audit.log" >"$tmp/out3" 2>/dev/null
rc=$?
[ $rc = 1 ] && grep -q "\"OIDC_AUDIT_SERIAL\":\"503\"" "$tmp/out3"
ok $? "a missing file: exit 1, the other file still replayed"
"$bin" replay --output json >/dev/null 2>&1
rc1=$?
"$bin" replay --bogus x >/dev/null 2>&1
rc2=$?
"$bin" --output xml </dev/null >/dev/null 2>&1
rc3=$?
[ $rc1 = 2 ] && [ $rc2 = 2 ] && [ $rc3 = 2 ]
ok $? "usage errors exit 2 (no file, unknown option, bad output)"
head -c 300000 /dev/urandom >"$tmp/noise"
"$bin" replay --config /nonexistent --registry "$tmp/reg" --output json --all-sessions "$tmp/noise" >"$tmp/out4" 2>/dev/null
rc=$?
[ $rc = 0 ] && ! grep -q "\"OIDC_EVENT\":\"\(exec\|file\)\"" "$tmp/out4" && grep -q "\"OIDC_EVENT\":\"loss\"" "$tmp/out4"
ok $? "random bytes: no crash, no event, losses reported"

# As root only a log root owns and nobody else may write is replayed: a
# user's file would otherwise reach the journal as _UID=0 evidence.
if [ "$(id -u)" = 0 ]; then
	cp "$tmp/new.log" "$tmp/forged.log"
	chown 65534:65534 "$tmp/forged.log"
	cp "$tmp/new.log" "$tmp/groupw.log"
	chmod 0664 "$tmp/groupw.log"
	"$bin" replay --config /nonexistent --registry "$tmp/reg" --output json "$tmp/forged.log" "$tmp/groupw.log" >"$tmp/out5" 2>"$tmp/err5"
	rc=$?
	[ $rc = 1 ] && ! grep -q '"OIDC_EVENT":"file"' "$tmp/out5" &&
		grep -q "forged.log: not owned by root" "$tmp/err5" &&
		grep -q "groupw.log: writable by group or others" "$tmp/err5"
	ok $? "root replays no audit log another user owns or may write"
else
	pass "root replays no audit log another user owns or may write # SKIP not root"
fi

# The plugin cases read a configuration file, which must be owned by root.
plugin_ok() {
	if [ "$(id -u)" = 0 ]; then ok "$1" "$2"; else pass "$2 # SKIP oidc-audit.conf must be owned by root"; fi
}

# ------------------------------------------------------------ boots, login uids, time windows
# exec_event SEC.MS SERIAL SESSION AUID: /usr/bin/id run in SESSION by AUID.
exec_event() {
	local id="auid=$4 uid=$4 gid=$4 euid=$4 suid=$4 fsuid=$4 egid=$4 sgid=$4 fsgid=$4"
	echo "type=SYSCALL msg=audit($1:$2): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=10 pid=12 $id tty=pts1 ses=$3 comm=\"id\" exe=\"/usr/bin/id\" key=\"oidc-exec\""
	echo "type=EXECVE msg=audit($1:$2): argc=1 a0=\"id\""
	echo "type=CWD msg=audit($1:$2): cwd=\"/\""
	echo "type=PROCTITLE msg=audit($1:$2): proctitle=6964"
}
# entry DIR SESSION BOOT_ID SUBJECT OPENED: a registry entry of login uid 4242, open.
entry() {
	printf '{"boot_id":"%s","session":%s,"loginuid":4242,"user":"alice","issuer":"https://idp.example","subject":"%s","username":"alice","login_id":"%s","service":"sshd","opened":%s}\n' \
		"$3" "$2" "$4" "$(printf '%s' "$3$4" | md5sum | cut -c1-32)" "$5" >"$1/$2"
	chmod 0600 "$1/$2"
}
count() { grep -c "$@" || true; }

# Ten weeks before session 7's login, another login uid had session 7 (in
# an older boot): that event is not the session owner's.
exec_event 1758052000.000 400 7 4243 >"$tmp/ancient.log"
"$bin" replay --config /nonexistent --registry "$tmp/reg" --all-sessions "$tmp/ancient.log" >"$tmp/a.json" 2>"$tmp/a.err"
rc=$?
[ $rc = 0 ] && [ "$(count '"OIDC_EVENT":"exec"' "$tmp/a.json")" = 1 ] && ! grep -q OIDC_SUBJECT "$tmp/a.json" &&
	grep -q '"OIDC_LOSS_REASON":"unattributable","OIDC_LOSS_COUNT":"1"' "$tmp/a.json" &&
	grep -q "1 unattributable" "$tmp/a.err"
ok $? "an event ten weeks older than the session, by another login uid, has no identity (counted unattributable)"

# Two boots in one audit.log: session 7 in each, by the same login uid.
# Boot 1's login never closed (the machine crashed); after the reboot the
# kernel's serials start again.  Each registry copy is of its own boot.
mkdir -m 0700 "$tmp/reg-boot1" "$tmp/reg-boot2"
B1=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa B2=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
entry "$tmp/reg-boot1" 7 $B1 sub-boot1 1764200005000000
entry "$tmp/reg-boot2" 7 $B2 sub-boot2 1764300030000000
{
	echo "type=DAEMON_START msg=audit(1764200000.000:4000): op=start ver=3.0.9 format=enriched kernel=6.1.0 auid=4294967295 pid=300 uid=0 ses=4294967295 res=success"
	exec_event 1764200010.000 600 7 4242
	echo "type=DAEMON_START msg=audit(1764300000.000:17): op=start ver=3.0.9 format=enriched kernel=6.1.0 auid=4294967295 pid=301 uid=0 ses=4294967295 res=success"
	exec_event 1764300020.000 12 7 4242	# before boot 2's login: not boot 1's either
	exec_event 1764300040.000 13 7 4242
} >"$tmp/boots.log"
subject_of() { grep "\"OIDC_AUDIT_SERIAL\":\"$1\"" "$2" | grep -o '"OIDC_SUBJECT":"[^"]*"' | cut -d'"' -f4; }
"$bin" replay --config /nonexistent --registry "$tmp/reg-boot1" --all-sessions "$tmp/boots.log" >"$tmp/b1.json" 2>"$tmp/b1.err"
rc=$?
[ $rc = 0 ] && [ "$(subject_of 600 "$tmp/b1.json")" = sub-boot1 ] && [ -z "$(subject_of 12 "$tmp/b1.json")" ] &&
	[ -z "$(subject_of 13 "$tmp/b1.json")" ] && grep -q "2 unattributable.*2 boot(s) in the input" "$tmp/b1.err"
ok $? "after a reboot in audit.log, an open entry of the earlier boot lends no identity to the same session number"
"$bin" replay --config /nonexistent --registry "$tmp/reg-boot1" --registry "$tmp/reg-boot2" "$tmp/boots.log" >"$tmp/b2.json" 2>"$tmp/b2.err"
rc=$?
[ $rc = 0 ] && [ "$(subject_of 600 "$tmp/b2.json")" = sub-boot1 ] && [ "$(subject_of 13 "$tmp/b2.json")" = sub-boot2 ] &&
	! grep -q '"OIDC_AUDIT_SERIAL":"12"' "$tmp/b2.json" && grep -q "1 unattributable" "$tmp/b2.err"
ok $? "registries of two boots: each event takes its own boot's session 7, keyed by (boot, session)"

# Plugin mode (stdin, EOE) without root: --output json, no back-fill, no kernel status.
# Live, an entry counts only when its boot_id is this boot's.
mkdir -m 0700 "$tmp/live"
sed "s/0123456789abcdef0123456789abcdef/$(tr -d '-' </proc/sys/kernel/random/boot_id)/" "$tmp/reg/7" >"$tmp/live/7"
chmod 0600 "$tmp/live/7"
printf 'kernel_status_interval = 0\nbackfill = no\n' >"$tmp/plugin.conf"
{ sed 's/$//' "$tmp/old.log" | awk '{ print } /^type=PROCTITLE/ { match($0, /audit\([0-9.]*:[0-9]*\)/); print "type=EOE msg=" substr($0, RSTART, RLENGTH) ": " }'; } >"$tmp/stream"
"$bin" --config "$tmp/plugin.conf" --registry "$tmp/live" --output json <"$tmp/stream" >"$tmp/p1" 2>"$tmp/p1.err"
rc=$?
[ $rc = 0 ] && [ "$(grep -c "\"OIDC_EVENT\":\"exec\"" "$tmp/p1")" = 1 ] && grep -q "\"OIDC_AUDIT_SERIAL\":\"501\"" "$tmp/p1" && ! grep -q "OIDC_AUDIT_INCOMPLETE" "$tmp/p1"
plugin_ok $? "plugin mode: EOE-terminated stream, exit 0 at end of input, session 7 only"
"$bin" --config "$tmp/plugin.conf" --registry "$tmp/reg" --output json <"$tmp/stream" >"$tmp/p0" 2>"$tmp/p0.err"
rc=$?
[ $rc = 0 ] && ! grep -q "\"OIDC_EVENT\":\"exec\"" "$tmp/p0" && grep -q '"OIDC_LOSS_REASON":"unattributable"' "$tmp/p0"
plugin_ok $? "plugin mode: an entry whose boot_id is not this boot's gives no identity"

# SIGTERM flushes an event still waiting for its EOE.
mkfifo "$tmp/fifo"
"$bin" --config "$tmp/plugin.conf" --registry "$tmp/live" --output json <"$tmp/fifo" >"$tmp/p2" 2>"$tmp/p2.err" &
ppid=$!
exec 7>"$tmp/fifo"
grep -v '^type=PROCTITLE' "$tmp/new.log" | grep '^type=' >&7
sleep 0.5
kill -TERM "$ppid"
for _ in $(seq 50); do kill -0 "$ppid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$ppid" 2>/dev/null && still_running=1 || still_running=0	# the writer is still open
exec 7>&-
wait "$ppid"
rc=$?
[ $still_running = 0 ] && [ $rc = 0 ] && grep -q "\"OIDC_AUDIT_SERIAL\":\"503\"" "$tmp/p2"
plugin_ok $? "plugin mode: SIGTERM (input still open) writes the pending event and exits 0"

# SIGHUP with a broken configuration keeps the old one and keeps running.
mkfifo "$tmp/fifo2"
"$bin" --config "$tmp/plugin.conf" --registry "$tmp/live" --output json <"$tmp/fifo2" >"$tmp/p3" 2>"$tmp/p3.err" &
ppid=$!
exec 8>"$tmp/fifo2"
sleep 0.3
echo "bogus_key = 1" >>"$tmp/plugin.conf"
kill -HUP "$ppid"
sleep 0.3
cat "$tmp/stream" >&8
exec 8>&-
wait "$ppid"
rc=$?
[ $rc = 0 ] && grep -q "keeping the old configuration" "$tmp/p3.err" && grep -q "\"OIDC_AUDIT_SERIAL\":\"501\"" "$tmp/p3"
plugin_ok $? "plugin mode: SIGHUP with a bad file keeps the old configuration"
finish
