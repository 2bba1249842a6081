#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# --output ocsf through the binary: `oidc-audit replay` on a synthetic
# audit.log and registry, and `oidc-audit search --directory` on a journal
# file that systemd-journal-remote builds from export format (no journald,
# no root).  Every event is checked by tests/ocsf_check.py against the
# required attributes of its class in tests/data/ocsf-1.3.0-subset.json,
# and the mapping of oidc-audit(8) is checked value by value.
set -u
bin=${top_builddir:-.}/auditd-helper/oidc-audit
src=${top_srcdir:-.}
. "$src/tests/lib/tap.sh"
. "$src/tests/lib/procs.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
tmp=$(mktemp -d /tmp/audit_ocsf.XXXXXX)
at_exit rm -rf "$tmp"
plan 14
check="python3 $src/tests/ocsf_check.py $src/tests/data/ocsf-1.3.0-subset.json"

# jget FILE N EXPR: python expression EXPR on event N (1-based) of FILE, as `e`.
jget() {
	python3 -c 'import json, sys
e = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")][int(sys.argv[2]) - 1]
print(eval(sys.argv[3]))' "$@"
}

# exec (501), failed read (502), rename (503), chmod of a name that is not
# UTF-8 (504), unlink (505), an event of a session without identity (506),
# and a garbage line (a loss entry).
cat >"$tmp/audit.log" <<'EOF2'
type=SYSCALL msg=audit(1764100000.100:501): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=10 pid=11 auid=4242 uid=4242 gid=4242 euid=4242 suid=4242 fsuid=4242 egid=4242 sgid=4242 fsgid=4242 tty=pts0 ses=7 comm="cat" exe="/usr/bin/cat" key="oidc-exec"
type=EXECVE msg=audit(1764100000.100:501): argc=2 a0="cat" a1="/etc/shadow"
type=CWD msg=audit(1764100000.100:501): cwd="/home/alice"
type=PATH msg=audit(1764100000.100:501): item=0 name="/usr/bin/cat" inode=1 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=SYSCALL msg=audit(1764100001.000:502): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=2 a2=0 a3=0 items=1 ppid=10 pid=13 auid=4242 uid=4242 gid=4242 euid=4242 suid=4242 fsuid=4242 egid=4242 sgid=4242 fsgid=4242 tty=pts0 ses=7 comm="cat" exe="/usr/bin/cat" key="oidc-file"
type=CWD msg=audit(1764100001.000:502): cwd="/etc"
type=PATH msg=audit(1764100001.000:502): item=0 name="shadow" inode=2 dev=08:01 mode=0100640 ouid=0 ogid=42 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=SYSCALL msg=audit(1764100002.000:503): arch=c000003e syscall=316 success=yes exit=0 a0=ffffff9c a1=1 a2=ffffff9c a3=2 items=4 ppid=10 pid=14 auid=4242 uid=4242 gid=4242 euid=4242 suid=4242 fsuid=4242 egid=4242 sgid=4242 fsgid=4242 tty=pts0 ses=7 comm="mv" exe="/usr/bin/mv" key="oidc-file"
type=CWD msg=audit(1764100002.000:503): cwd="/srv"
type=PATH msg=audit(1764100002.000:503): item=0 name="/srv" inode=3 dev=08:01 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1764100002.000:503): item=1 name="/srv" inode=3 dev=08:01 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1764100002.000:503): item=2 name="f1" inode=4 dev=08:01 mode=0100644 ouid=4242 ogid=4242 rdev=00:00 nametype=DELETE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1764100002.000:503): item=3 name="g1" inode=4 dev=08:01 mode=0100644 ouid=4242 ogid=4242 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=SYSCALL msg=audit(1764100003.000:504): arch=c000003e syscall=90 success=yes exit=0 a0=1 a1=1ed a2=0 a3=0 items=1 ppid=10 pid=15 auid=4242 uid=4242 gid=4242 euid=4242 suid=4242 fsuid=4242 egid=4242 sgid=4242 fsgid=4242 tty=pts0 ses=7 comm="chmod" exe="/usr/bin/chmod" key="oidc-file"
type=CWD msg=audit(1764100003.000:504): cwd="/srv"
type=PATH msg=audit(1764100003.000:504): item=0 name=2F7372762F61FF62 inode=5 dev=08:01 mode=0100644 ouid=4242 ogid=4242 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=SYSCALL msg=audit(1764100004.000:505): arch=c000003e syscall=87 success=yes exit=0 a0=1 a1=0 a2=0 a3=0 items=2 ppid=10 pid=16 auid=4242 uid=4242 gid=4242 euid=4242 suid=4242 fsuid=4242 egid=4242 sgid=4242 fsgid=4242 tty=pts0 ses=7 comm="rm" exe="/usr/bin/rm" key="oidc-file"
type=CWD msg=audit(1764100004.000:505): cwd="/srv"
type=PATH msg=audit(1764100004.000:505): item=0 name="/srv" inode=3 dev=08:01 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1764100004.000:505): item=1 name="/srv/g1" inode=4 dev=08:01 mode=0100644 ouid=4242 ogid=4242 rdev=00:00 nametype=DELETE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=SYSCALL msg=audit(1764100005.000:506): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=20 pid=21 auid=4243 uid=4243 gid=4243 euid=4243 suid=4243 fsuid=4243 egid=4243 sgid=4243 fsgid=4243 tty=pts1 ses=8 comm="id" exe="/usr/bin/id" key="oidc-exec"
type=EXECVE msg=audit(1764100005.000:506): argc=1 a0="id"
type=CWD msg=audit(1764100005.000:506): cwd="/"
this line is garbage
EOF2
mkdir -m 0700 "$tmp/reg"
printf '{"boot_id":"0123456789abcdef0123456789abcdef","session":7,"loginuid":4242,"user":"alice","issuer":"https://idp.example","subject":"2481","username":"alice","email":"alice@example.org","login_id":"00112233445566778899aabbccddeeff","service":"sshd","opened":1764099990000000}\n' >"$tmp/reg/7"
chmod 0600 "$tmp/reg/7"

"$bin" replay --config /nonexistent --registry "$tmp/reg" --all-sessions --output ocsf "$tmp/audit.log" >"$tmp/r.ocsf" 2>"$tmp/r.err"
rc=$?
TAP_LOG=$tmp/r.err
[ $rc = 0 ] && [ "$(wc -l <"$tmp/r.ocsf")" = 7 ]
ok $? "replay --output ocsf: exit 0, one line per entry (6 events, 1 loss)"
TAP_LOG=$tmp/r.check
$check <"$tmp/r.ocsf" >"$tmp/r.check" 2>&1
ok $? "replay: every event has the required attributes of its class (OCSF 1.3.0 subset)"
grep -q "Base Event=1 File System Activity=4 Process Activity=2" "$tmp/r.check"
ok $? "replay: exec is Process Activity, file access File System Activity, loss Base Event"
TAP_LOG=$tmp/r.ocsf
[ "$(jget "$tmp/r.ocsf" 1 '(e["type_uid"], e["time"], e["actor"]["user"], e["process"]["cmd_line"], e["process"]["pid"], e["device"]["hostname"] != "")')" = \
	"(100701, 1764100000100, {'uid': '2481', 'name': 'alice', 'email_addr': 'alice@example.org', 'domain': 'https://idp.example', 'type_id': 1}, 'cat /etc/shadow', 11, True)" ]
ok $? "exec: Launch, the kernel's time in ms, the OIDC identity as actor.user, the command line"
[ "$(jget "$tmp/r.ocsf" 2 '(e["type_uid"], e["status_id"], e["file"]["path"], e["file"]["name"], e["actor"]["process"]["file"]["path"])')" = \
	"(100102, 2, '/etc/shadow', 'shadow', '/usr/bin/cat')" ]
ok $? "failed read: Read, status Failure, the file and the acting process"
[ "$(jget "$tmp/r.ocsf" 3 '(e["activity_id"], e["file"]["path"], e["file_result"]["path"])')" = "(5, '/srv/f1', '/srv/g1')" ] &&
	[ "$(jget "$tmp/r.ocsf" 5 'e["activity_id"]')" = 4 ]
ok $? "rename: Rename with file_result the new name; unlink: Delete"
[ "$(jget "$tmp/r.ocsf" 4 'ascii((e["activity_id"], e["file"]["path"], e["unmapped"]["OIDC_PATH"]))')" = \
	"(7, '/srv/a\\ufffdb', [47, 115, 114, 118, 47, 97, 255, 98])" ]
ok $? "chmod of a name that is not UTF-8: Set Security, U+FFFD in file.path, the exact bytes in unmapped"
[ "$(jget "$tmp/r.ocsf" 6 '(e["actor"]["user"], e["unmapped"]["OIDC_AUDIT_SESSION"])')" = "({'type_id': 0}, '8')" ] &&
	[ "$(jget "$tmp/r.ocsf" 7 '(e["class_uid"], e["activity_id"], e["activity_name"], e["severity_id"], e["unmapped"]["OIDC_LOSS_REASON"])')" = \
		"(0, 99, 'loss', 4, 'unparsable')" ]
ok $? "no identity (--all-sessions): actor.user type Unknown; a loss is a Base Event of severity High"

# The checker is not vacuous: an event without a required attribute fails.
python3 -c 'import json, sys
for l in sys.stdin:
    e = json.loads(l)
    if e["class_uid"] == 1001:
        del e["file"]["type_id"]
    if e["class_uid"] == 1007:
        del e["process"]
    print(json.dumps(e))' <"$tmp/r.ocsf" >"$tmp/bad.ocsf"
$check <"$tmp/bad.ocsf" >"$tmp/bad.check" 2>&1
rc=$?
TAP_LOG=$tmp/bad.check
[ $rc = 1 ] && grep -q "line 1: process: required by Process Activity, missing" "$tmp/bad.check" &&
	grep -q "line 2: file.type_id: required by file, missing" "$tmp/bad.check"
ok $? "the checker rejects events that lack a required attribute of their class or object"

"$bin" replay --config /nonexistent --registry "$tmp/reg" --output xml "$tmp/audit.log" >/dev/null 2>&1
rc1=$?
"$bin" search --output xml >/dev/null 2>&1
rc2=$?
[ $rc1 = 2 ] && [ $rc2 = 2 ]
ok $? "an unknown --output is a usage error (exit 2) for replay and search"

# search: a journal of two hosts, written by systemd-journal-remote from the
# export format (what it receives from systemd-journal-upload).
remote=/lib/systemd/systemd-journal-remote
if [ ! -x "$remote" ]; then
	for i in 1 2 3 4; do pass "# SKIP systemd-journal-remote is not installed ($i)"; done
	finish
fi
entry() { # HOST REALTIME_US UID FIELD=VALUE...
	printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=1\n_BOOT_ID=0123456789abcdef0123456789abcdef\n_UID=%s\n_HOSTNAME=%s\n' "$2" "$3" "$1"
	shift 3
	printf '%s\n' "$@" ''
}
id='OIDC_ISSUER=https://idp.example OIDC_SUBJECT=2481 OIDC_USERNAME=alice OIDC_LOGIN_ID=00112233445566778899aabbccddeeff'
# shellcheck disable=SC2086 # $id is a list of fields
{
	entry hosta 1764100000000000 0 "MESSAGE=alice logged in" OIDC_EVENT=login $id OIDC_SERVICE=sshd OIDC_REMOTE_HOST=192.0.2.7 OIDC_LOCAL_USER=alice OIDC_AUDIT_SESSION=7
	entry hostb 1764100009000000 0 "MESSAGE=alice ran id" OIDC_EVENT=exec $id OIDC_EVENT_TIME=1764100001234567 OIDC_EXE=/usr/bin/id OIDC_ARGV=id OIDC_PID=30 OIDC_SUCCESS=yes OIDC_AUDIT_SESSION=3
	entry hosta 1764100010000000 0 "MESSAGE=alice logged out" OIDC_EVENT=logout $id OIDC_SERVICE=sshd OIDC_AUDIT_SESSION=7
	entry hosta 1764100020000000 0 "MESSAGE=login failed" OIDC_EVENT=login-failed OIDC_SUBJECT=2481 OIDC_SERVICE=sshd OIDC_REMOTE_HOST=badhost.example OIDC_REASON=access_denied
	entry hosta 1764100030000000 1000 "MESSAGE=not ours" OIDC_EVENT=login OIDC_SUBJECT=2481
} >"$tmp/export"
mkdir "$tmp/j"
"$remote" --output="$tmp/j/remote.journal" - <"$tmp/export" >"$tmp/remote.err" 2>&1
"$bin" search --directory "$tmp/j" --subject 2481 --output ocsf >"$tmp/s.ocsf" 2>"$tmp/s.err"
rc=$?
TAP_LOG=$tmp/s.err
[ $rc = 0 ] && [ "$(wc -l <"$tmp/s.ocsf")" = 4 ]
ok $? "search --output ocsf: exit 0, the 4 entries of root (not the one of uid 1000)"
TAP_LOG=$tmp/s.check
$check <"$tmp/s.ocsf" >"$tmp/s.check" 2>&1 && grep -q "Authentication=3 Process Activity=1" "$tmp/s.check"
ok $? "search: every event has the required attributes of its class (OCSF 1.3.0 subset)"
TAP_LOG=$tmp/s.ocsf
[ "$(jget "$tmp/s.ocsf" 1 '(e["type_uid"], e["status_id"], e["time"], e["user"]["uid"], e["user"]["domain"], e["device"]["hostname"], e["src_endpoint"], e["service"]["name"])')" = \
	"(300201, 1, 1764100000000, '2481', 'https://idp.example', 'hosta', {'ip': '192.0.2.7'}, 'sshd')" ] &&
	[ "$(jget "$tmp/s.ocsf" 3 '(e["type_uid"], e["status_id"])')" = "(300202, 1)" ] &&
	[ "$(jget "$tmp/s.ocsf" 4 '(e["type_uid"], e["status_id"], e["status_detail"], e["src_endpoint"])')" = \
		"(300201, 2, 'access_denied', {'hostname': 'badhost.example'})" ]
ok $? "search: login Logon, logout Logoff, login-failed Logon with status Failure; the writing host as device"
[ "$(jget "$tmp/s.ocsf" 2 '(e["type_uid"], e["time"], e["device"]["hostname"], e["process"]["file"]["path"])')" = \
	"(100701, 1764100001234, 'hostb', '/usr/bin/id')" ]
ok $? "search: an exec's time is the kernel's (OIDC_EVENT_TIME), not the journal's"
finish
