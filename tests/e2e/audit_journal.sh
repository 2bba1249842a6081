#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# oidc-audit end to end: the real kernel audit subsystem, a real auditd
# (private configuration directory, our plugin pointing at the built
# binary), a real systemd-journald.  A process gets a loginuid and a fresh
# audit session the way pam_loginuid does it, a registry entry names its
# OIDC identity, it runs N commands and M file accesses; the journal must
# then hold exactly N exec and M file entries for that subject, with the
# kernel's timestamps and hostile file names verbatim.  A session without a
# registry entry produces nothing.  Then kill -9 of the helper in the middle
# of a run (every event present afterwards, duplicates counted) and a burst
# of 50,000 events (nothing missing, or every loss reported).
#
# Root only.  The machine's audit rules, audit status and auditd are saved
# and restored in a trap; a journald started here is stopped again.
set -u

builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
bin=$builddir/auditd-helper/oidc-audit
. "$srcdir/tests/lib/tap.sh"
. "$srcdir/tests/lib/locks.sh"
. "$srcdir/tests/lib/procs.sh"
. "$srcdir/tests/lib/auditd.sh"

audit_able || skip_all "$AUDIT_SKIP_REASON"
case $(readlink -f "$bin") in
/*) bin=$(readlink -f "$bin") ;;
esac

# One run at a time on a machine (a developer's and CI's make check, say):
# two runs would fight over the one auditd and each other's saved state.
lock_audit || skip_all "another audit test held the lock for 15 minutes"

tmp=$(mktemp -d /tmp/oidc-audit-e2e.XXXXXX)
chmod 0700 "$tmp"
at_exit rm -rf "$tmp"
tag=e2e$$x$RANDOM
KEY_EXEC=oidc_${tag}_exec
KEY_FILE=oidc_${tag}_file
AUID=4242
audit_save

plan 26

audit_journald || audit_abort "journald serves the native socket"
pass "journald serves the native socket"
audit_auditd || audit_abort "auditd owns the audit socket"
pass "auditd owns the audit socket"
audit_wait_helper || audit_abort "auditd started the oidc-audit plugin"
pass "auditd started the oidc-audit plugin"
mkdir -p "$tmp/watched/subdir"

# The shipped rules load.
audit_contrib_rules "$tmp/contrib.rules"
auditctl -R "$tmp/contrib.rules" >"$tmp/contrib.out" 2>&1 && [ "$(auditctl -l | grep -c "key=oidc-exec")" = 2 ]
ok $? "contrib/audit/oidc-audit.rules loads with auditctl -R"
auditctl -D >/dev/null

auditctl -a always,exit -F arch=b64 -S execve,execveat -F auid=$AUID -F key=$KEY_EXEC >/dev/null
auditctl -a always,exit -F arch=b64 -S open,openat,openat2,creat,unlink,unlinkat,rename,renameat,renameat2 \
	-F dir="$tmp/watched" -F auid=$AUID -F key=$KEY_FILE >/dev/null

# ------------------------------------------------------------ helpers
# jq-free journal reading: OIDC_* entries of this run as JSON lines.
journal_json() { journalctl -q --no-pager -o json --output-fields=OIDC_EVENT,OIDC_SUBJECT,OIDC_AUDIT_SESSION,OIDC_AUDIT_SERIAL,OIDC_EVENT_TIME,OIDC_PATH,OIDC_PATH2,OIDC_ARGV,OIDC_EXE,OIDC_OPERATION,OIDC_AUDIT_KEY,OIDC_LOSS_REASON,OIDC_LOSS_COUNT,OIDC_SUCCESS,OIDC_EXIT,MESSAGE,MESSAGE_ID "$@"; }

# ------------------------------------------------------------ N commands, M file accesses
N=5
M=6
SUB_A="sub-$tag-A"
W=$tmp/watched
session_start A '
	/bin/echo one >/dev/null; /bin/echo "two words" >/dev/null; /bin/true; /bin/true x; /bin/echo last >/dev/null
	echo a >"'"$W"'/plain"
	: <"'"$W"'/plain"
	echo h >"'"$W"'/x\" ses=1 \""
	echo n >"'"$W"'/new
line"
	: <"'"$W"'/x\" ses=1 \""
	echo no 2>/dev/null >"'"$W"'/subdir"
	exit 0'
SES_A=$(cat "$tmp/A.ses")
registry "$SES_A" "$SUB_A"
session_go A
wait "${session_pid[A]}"

# Session B: the same kind of work, no registry entry.
session_start B '/bin/true; /bin/echo b >/dev/null; : <"'"$W"'/plain"; exit 0'
SES_B=$(cat "$tmp/B.ses")
session_go B
wait "${session_pid[B]}"

got=$(wait_count $((N + M)) OIDC_SUBJECT="$SUB_A")
sleep 2	# anything extra would arrive now
journal_json OIDC_SUBJECT="$SUB_A" >"$tmp/A.json"
[ -n "$SES_A" ] && [ -n "$SES_B" ] && [ "$SES_A" != "$SES_B" ] && [ "$SES_A" != 4294967295 ]
ok $? "sessions A ($SES_A) and B ($SES_B) are distinct audit sessions"
[ "$(grep -c "\"OIDC_EVENT\":\"exec\"" "$tmp/A.json")" = $N ]
ok $? "exactly $N exec entries for the subject"
[ "$(grep -c "\"OIDC_EVENT\":\"file\"" "$tmp/A.json")" = $M ]
ok $? "exactly $M file entries for the subject"

# Every entry's OIDC_EVENT_TIME is the kernel's audit(SEC.MS:SERIAL) of its serial in audit.log.
python3 - "$tmp/A.json" "$tmp/log/audit.log" "$SES_A" "$KEY_EXEC" "$KEY_FILE" "$W" >"$tmp/A.check" 2>&1 <<'PY'
import json, re, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
ses, kexec, kfile, w = sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
times = {}
for line in open(sys.argv[2], errors="replace"):
    m = re.search(r"msg=audit\((\d+)\.(\d+):(\d+)\)", line)
    if m:
        times[m.group(3)] = int(m.group(1)) * 1000000 + int(m.group(2)) * 1000
bad = []
def val(e, k):
    v = e.get(k)
    if isinstance(v, list):
        v = bytes(v).decode("utf-8", "replace")
    return v
for e in entries:
    s = val(e, "OIDC_AUDIT_SERIAL")
    if s not in times or str(times[s]) != val(e, "OIDC_EVENT_TIME"):
        bad.append("time mismatch for serial %s: %s vs %s" % (s, val(e, "OIDC_EVENT_TIME"), times.get(s)))
    if val(e, "OIDC_AUDIT_SESSION") != ses:
        bad.append("session %s" % val(e, "OIDC_AUDIT_SESSION"))
    key = kexec if val(e, "OIDC_EVENT") == "exec" else kfile
    if val(e, "OIDC_AUDIT_KEY") != key:
        bad.append("key %s" % val(e, "OIDC_AUDIT_KEY"))
argvs = sorted(val(e, "OIDC_ARGV") for e in entries if val(e, "OIDC_EVENT") == "exec")
want = sorted(["/bin/echo one", "/bin/echo 'two words'", "/bin/true", "/bin/true x", "/bin/echo last"])
if argvs != want:
    bad.append("argv %r" % argvs)
paths = [val(e, "OIDC_PATH") for e in entries if val(e, "OIDC_EVENT") == "file"]
for p in [w + "/plain", w + "/subdir"]:
    if p not in paths:
        bad.append("path %r missing from %r" % (p, paths))
hostile = [w + '/x" ses=1 "', w + "/new\nline"]
open(sys.argv[1] + ".hostile", "w").write("ok\n" if all(p in paths for p in hostile) else "missing %r in %r\n" % (hostile, paths))
fails = [e for e in entries if val(e, "OIDC_EVENT") == "file" and val(e, "OIDC_SUCCESS") == "no"]
if len(fails) != 1 or val(fails[0], "OIDC_PATH") != w + "/subdir" or val(fails[0], "OIDC_EXIT") != "-21":
    bad.append("failed open not reported once")
for e in entries:
    if "\n" in val(e, "MESSAGE"):
        bad.append("raw newline in MESSAGE")
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
PY
[ "$(cat "$tmp/A.check")" = ok ] || { sed "s/^/# /" "$tmp/A.check"; false; }
ok $? "fields: kernel timestamps, session, keys, argv, failed open"

# Session L: one command whose three arguments of 100,000 bytes make an
# entry over a socket's datagram size (208 kB): it reaches journald in a
# sealed memfd (common/journal_fields.c), whole.
SUB_L="sub-$tag-L"
session_start L 'printf -v a "%100000s" ""; a=${a// /a}; /bin/true "$a" "$a" "$a"; exit 0'
SES_L=$(cat "$tmp/L.ses")
registry "$SES_L" "$SUB_L"
session_go L
wait "${session_pid[L]}"
wait_count 1 OIDC_SUBJECT="$SUB_L" >/dev/null
journalctl -q --no-pager --all -o json --output-fields=OIDC_EVENT,OIDC_ARGV OIDC_SUBJECT="$SUB_L" >"$tmp/L.json"
python3 - "$tmp/L.json" <<'PY'
import json, sys
a = "a" * 100000
want = "/bin/true %s %s %s" % (a, a, a)
got = [json.loads(l).get("OIDC_ARGV") for l in open(sys.argv[1])]
sys.exit(0 if got == [want] else 1)
PY
ok $? "an entry of $((3 * 100000)) bytes of arguments (over a datagram's size) is in the journal whole"
[ "$(cat "$tmp/A.json.hostile")" = ok ] || { sed "s/^/# /" "$tmp/A.json.hostile"; false; }
ok $? "hostile file names verbatim in OIDC_PATH"
[ "$(count_entries OIDC_AUDIT_SESSION="$SES_B" SYSLOG_IDENTIFIER=oidc-audit)" = 0 ] && grep -q "ses=$SES_B " "$tmp/log/audit.log"
ok $? "session B without a registry entry produced nothing"

# Session H's entry is of another boot (a stale copy, say): the session
# number is the same, the login uid and the time fit, yet it is not this
# boot's session and lends no identity; the events are counted.
SUB_H="sub-$tag-H"
since_h=$(date +%s)
session_start H '/bin/true h; exit 0'
SES_H=$(cat "$tmp/H.ses")
registry "$SES_H" "$SUB_H" 00000000000000000000000000000001
session_go H
wait "${session_pid[H]}"
got_h=$(wait_count 1 --since "@$since_h" _UID=0 SYSLOG_IDENTIFIER=oidc-audit OIDC_LOSS_REASON=unattributable)
[ "$got_h" -ge 1 ] && [ "$(count_entries OIDC_SUBJECT="$SUB_H")" = 0 ] && grep -q "ses=$SES_H " "$tmp/log/audit.log"
ok $? "session H, whose entry is of another boot: no identity, counted unattributable"
# A forged entry from an unprivileged user must not count as evidence.
printf 'OIDC_EVENT=exec\nOIDC_SUBJECT=%s\nMESSAGE=forged\nSYSLOG_IDENTIFIER=oidc-audit\n' "$SUB_A" |
	setpriv --reuid=65534 --regid=65534 --clear-groups logger --journald 2>/dev/null
for _ in $(seq 20); do [ "$(count_entries OIDC_SUBJECT="$SUB_A" _UID=65534)" = 1 ] && break; sleep 0.1; done
[ "$(count_entries OIDC_SUBJECT="$SUB_A" _UID=65534)" = 1 ] && [ "$("$bin" search --subject "$SUB_A" | grep -c .)" = $((N + M)) ] && ! "$bin" search --subject "nobody-$tag" >/dev/null && [ "$("$bin" search --subject "$SUB_A" --path "$W/x*" --output json | grep -c .)" = 2 ]
ok $? "oidc-audit search finds the subject's timeline (not a forged entry), exit 1 for an unknown one"

# ------------------------------------------------------------ invisible characters
# A right-to-left override in a file name (it reads as salary.txt), a C1
# CSI in an argument and an isolate in the subject: verbatim in the fields,
# escaped in MESSAGE and in search's text output.
RLO=$'\xe2\x80\xae' CSI=$'\xc2\x9b' LRI=$'\xe2\x81\xa6'
SUB_G="${LRI}sub-$tag-G"
session_start G '/bin/echo "'"$CSI"'31m" >/dev/null; : >"'"$W/${RLO}txt.yralas"'"; exit 0'
SES_G=$(cat "$tmp/G.ses")
registry "$SES_G" "$SUB_G"
session_go G
wait "${session_pid[G]}"
wait_count 2 OIDC_AUDIT_SESSION="$SES_G" SYSLOG_IDENTIFIER=oidc-audit >/dev/null
journalctl -q --no-pager -o export OIDC_AUDIT_SESSION="$SES_G" SYSLOG_IDENTIFIER=oidc-audit >"$tmp/G.export"
python3 - "$tmp/G.export" "$W" "$SUB_G" >"$tmp/G.check" 2>&1 <<'PY'
import sys
data, w, sub = open(sys.argv[1], "rb").read(), sys.argv[2].encode(), sys.argv[3].encode()
entries, cur, i = [], {}, 0
while i < len(data):
    nl = data.index(b"\n", i)
    line = data[i:nl]
    if line == b"":
        entries.append(cur); cur = {}; i = nl + 1; continue
    if b"=" in line:
        k, v = line.split(b"=", 1); i = nl + 1
    else:  # binary field: name, newline, 64-bit little-endian length, data, newline
        k = line; n = int.from_bytes(data[nl + 1:nl + 9], "little")
        v = data[nl + 9:nl + 9 + n]; i = nl + 9 + n + 1
    cur[k] = v
if cur:
    entries.append(cur)
bad = []
msgs = [e.get(b"MESSAGE", b"") for e in entries]
raw = ["\u202e".encode(), "\u2066".encode(), "\u009b".encode()]
for m in msgs:
    for r in raw:
        if r in m:
            bad.append("raw %r in MESSAGE %r" % (r, m))
    if b"(sub \\u2066sub-" not in m:
        bad.append("no subject in %r" % m)
if not any(b"\\u202etxt.yralas" in m for m in msgs):
    bad.append("file name not escaped: %r" % msgs)
if not any(b"\\u009b31m" in m for m in msgs):
    bad.append("argument not escaped: %r" % msgs)
paths = [e.get(b"OIDC_PATH") for e in entries if e.get(b"OIDC_EVENT") == b"file"]
if w + "/\u202etxt.yralas".encode() not in paths:
    bad.append("OIDC_PATH not verbatim: %r" % paths)
if not any(e.get(b"OIDC_ARGV") == "/bin/echo '\u009b31m'".encode() for e in entries):
    bad.append("OIDC_ARGV not verbatim: %r" % [e.get(b"OIDC_ARGV") for e in entries])
if any(e.get(b"OIDC_SUBJECT") != sub for e in entries) or len(entries) != 2:
    bad.append("OIDC_SUBJECT not verbatim, or not 2 entries: %r" % [e.get(b"OIDC_SUBJECT") for e in entries])
print("\n".join(bad) if bad else "ok")
PY
[ "$(cat "$tmp/G.check")" = ok ] || { sed "s/^/# /" "$tmp/G.check"; false; }
ok $? "invisible characters: escaped in MESSAGE (file name, argument, subject), verbatim in the fields"
"$bin" search --session "$SES_G" >"$tmp/G.search"
grep -qF "\u202etxt.yralas" "$tmp/G.search" && grep -qF "\u009b31m" "$tmp/G.search" &&
	! grep -qF -e "$RLO" -e "$CSI" -e "$LRI" "$tmp/G.search"
ok $? "invisible characters: escaped in oidc-audit search's text output"

# ------------------------------------------------------------ replays are not live evidence
# Replaying this run's audit.log with its registry: by default nothing
# reaches the journal; with --output journal the entries carry
# OIDC_AUDIT_SOURCE=replay, search leaves them out, --include-replayed
# shows them marked.
replayed() { count_entries _UID=0 OIDC_SUBJECT="$SUB_A" OIDC_AUDIT_SOURCE=replay; }
"$bin" replay --config /nonexistent --registry "$tmp/reg" "$tmp/log/audit.log" >"$tmp/R.json" 2>"$tmp/R.err"
rc=$?
journalctl --sync >/dev/null 2>&1
[ $rc = 0 ] && [ "$(grep -c "\"OIDC_SUBJECT\":\"$SUB_A\"" "$tmp/R.json")" = $((N + M)) ] && [ "$(replayed)" = 0 ]
ok $? "replay without --output: the $((N + M)) events as JSON on stdout, none in the journal"
"$bin" replay --config /nonexistent --registry "$tmp/reg" --output journal "$tmp/log/audit.log" 2>"$tmp/R.err"
rc=$?
got_r=$(wait_count $((N + M)) _UID=0 OIDC_SUBJECT="$SUB_A" OIDC_AUDIT_SOURCE=replay)
"$bin" search --subject "$SUB_A" >"$tmp/R.search"
"$bin" search --subject "$SUB_A" --include-replayed >"$tmp/R.all"
"$bin" search --subject "$SUB_A" --include-replayed --output json >"$tmp/R.all.json"
[ $rc = 0 ] && [ "$got_r" = $((N + M)) ] && [ "$(grep -c . "$tmp/R.search")" = $((N + M)) ] &&
	! grep -qF "[replay]" "$tmp/R.search" &&
	[ "$(grep -c . "$tmp/R.all")" = $((2 * (N + M))) ] && [ "$(grep -cF " [replay] " "$tmp/R.all")" = $((N + M)) ] &&
	[ "$(grep -cF '"OIDC_AUDIT_SOURCE":"replay"' "$tmp/R.all.json")" = $((N + M)) ]
ok $? "replay --output journal: search leaves the replayed entries out, --include-replayed marks them"

# ------------------------------------------------------------ kill -9 in the middle of a run
K=400
SUB_C="sub-$tag-C"
session_start C 'for ((i = 1; i <= '$K'; i++)); do /bin/true "$i"; done; exit 0'
SES_C=$(cat "$tmp/C.ses")
registry "$SES_C" "$SUB_C"
old_helper=$(helper_pid)
session_go C
workload_pid=${session_pid[C]}
for _ in $(seq 100); do [ "$(count_entries OIDC_SUBJECT="$SUB_C")" -ge 50 ] && break; sleep 0.05; done
kill_time=$(date +%s)
kill -KILL "$old_helper"
wait "${session_pid[C]}"
workload_pid=
for _ in $(seq 100); do h=$(helper_pid); [ -n "$h" ] && [ "$h" != "$old_helper" ] && break; sleep 0.1; done
[ -n "$(helper_pid)" ] && [ "$(helper_pid)" != "$old_helper" ]
ok $? "auditd restarted the helper after kill -9"
wait_count $K OIDC_SUBJECT="$SUB_C" >/dev/null
sleep 2
journal_json OIDC_SUBJECT="$SUB_C" >"$tmp/C.json"
grep "ses=$SES_C " "$tmp/log/audit.log"* | grep "key=\"$KEY_EXEC\"" | grep -o 'msg=audit([0-9.]*:[0-9]*)' | sed 's/.*://; s/)//' | sort -u >"$tmp/C.serials.audit"
python3 -c '
import json, sys
s = [json.loads(l)["OIDC_AUDIT_SERIAL"] for l in open(sys.argv[1])]
print("\n".join(sorted(set(s))))
print(len(s) - len(set(s)), file=sys.stderr)' "$tmp/C.json" >"$tmp/C.serials.journal" 2>"$tmp/C.dups"
[ "$(wc -l <"$tmp/C.serials.audit")" = $K ] && cmp -s "$tmp/C.serials.audit" "$tmp/C.serials.journal"
ok $? "every one of the $K events is in the journal after the restart ($(wc -l <"$tmp/C.serials.journal") unique, $(cat "$tmp/C.dups") duplicates)"
[ "$(count_entries --since "@$kill_time" SYSLOG_IDENTIFIER=oidc-audit OIDC_LOSS_REASON=restart)" -ge 1 ]
ok $? "the restart wrote a back-fill entry"

# ------------------------------------------------------------ a burst of 50,000 events
B=50000
SUB_D="sub-$tag-D"
since=$(date +%s)
session_start D 'for ((i = 0; i < '$B'; i++)); do : <"'"$W"'/plain"; done; exit 0'
SES_D=$(cat "$tmp/D.ses")
registry "$SES_D" "$SUB_D"
session_go D
wait "${session_pid[D]}"
for _ in $(seq 600); do
	[ "$(count_entries OIDC_SUBJECT="$SUB_D")" -ge $B ] && break
	sleep 0.5
done
sleep 2
got_d=$(journalctl -q --no-pager -o json --output-fields=OIDC_AUDIT_SERIAL OIDC_SUBJECT="$SUB_D" | python3 -c '
import json, sys
print(len({json.loads(l)["OIDC_AUDIT_SERIAL"] for l in sys.stdin}))')
lost_reported=$(journalctl -q --no-pager -o json --output-fields=OIDC_LOSS_COUNT,OIDC_LOSS_REASON --since "@$since" SYSLOG_IDENTIFIER=oidc-audit OIDC_EVENT=loss | python3 -c '
import json, sys
print(sum(int(json.loads(l)["OIDC_LOSS_COUNT"]) for l in sys.stdin if json.loads(l).get("OIDC_LOSS_REASON") not in ("restart", "duplicates")))')
echo "# burst: $got_d of $B events in the journal, $lost_reported reported lost"
[ "$got_d" = $B ] || [ $((got_d + lost_reported)) -ge $B ]
ok $? "burst of $B: nothing missing, or every loss reported"
[ "$got_d" = $B ]
ok $? "burst of $B: all $B in the journal"

# ------------------------------------------------------------ SIGHUP reloads the configuration
echo "all_sessions = yes" >>"$tmp/oidc-audit.conf"
h=$(helper_pid)
kill -HUP "$h"
sleep 0.5
session_start F '/bin/true hup; exit 0'
SES_F=$(cat "$tmp/F.ses")
session_go F
wait "${session_pid[F]}"
got_f=$(wait_count 1 OIDC_AUDIT_SESSION="$SES_F" SYSLOG_IDENTIFIER=oidc-audit)
[ "$got_f" = 1 ] && [ "$(helper_pid)" = "$h" ]
ok $? "SIGHUP: all_sessions = yes now applies (session without identity written), same process"

# ------------------------------------------------------------ kernel losses are reported
# A tiny backlog and no waiting make the kernel drop records; whatever is
# missing from the journal must be covered by loss entries.
E=20000
SUB_E="sub-$tag-E"
since_e=$(date +%s)
lost0=$(auditctl -s | sed -n 's/^lost //p')
session_start E 'for ((i = 0; i < '$E'; i++)); do : <"'"$W"'/plain"; done; exit 0'
SES_E=$(cat "$tmp/E.ses")
registry "$SES_E" "$SUB_E"
auditctl -b 4 >/dev/null
auditctl --backlog_wait_time 0 >/dev/null
session_go E
wait "${session_pid[E]}"
auditctl -b 65536 >/dev/null
auditctl --backlog_wait_time "${saved_wait:-60000}" >/dev/null
prev=-1
for _ in $(seq 120); do
	cur=$(count_entries OIDC_SUBJECT="$SUB_E")
	[ "$cur" = "$prev" ] && break
	prev=$cur
	sleep 1
done
sleep 3	# kernel_status_interval = 1: the lost counter is read again by now
lost1=$(auditctl -s | sed -n 's/^lost //p')
got_e=$(journalctl -q --no-pager -o json --output-fields=OIDC_AUDIT_SERIAL OIDC_SUBJECT="$SUB_E" | python3 -c '
import json, sys
print(len({json.loads(l)["OIDC_AUDIT_SERIAL"] for l in sys.stdin}))')
journalctl -q --no-pager -o json --output-fields=OIDC_LOSS_COUNT,OIDC_LOSS_REASON --since "@$since_e" \
	_UID=0 SYSLOG_IDENTIFIER=oidc-audit OIDC_EVENT=loss >"$tmp/E.loss"
rep_kernel=$(python3 -c '
import json, sys
print(sum(int(json.loads(l)["OIDC_LOSS_COUNT"]) for l in open(sys.argv[1]) if json.loads(l)["OIDC_LOSS_REASON"] == "kernel"))' "$tmp/E.loss")
rep_all=$(python3 -c '
import json, sys
print(sum(int(json.loads(l)["OIDC_LOSS_COUNT"]) for l in open(sys.argv[1]) if json.loads(l)["OIDC_LOSS_REASON"] not in ("restart", "duplicates")))' "$tmp/E.loss")
echo "# tiny backlog: $got_e of $E events in the journal; kernel lost $((lost1 - lost0)) records; reported: kernel $rep_kernel, all $rep_all"
[ "$rep_kernel" = $((lost1 - lost0)) ]
ok $? "kernel lost counter growth reported exactly (grew by $((lost1 - lost0)))"
[ $((got_e + rep_all)) -ge $E ]
ok $? "tiny backlog: every missing event covered by a loss report"

# ------------------------------------------------------------ SIGTERM
h=$(helper_pid)
kill -TERM "$h"
for _ in $(seq 50); do kill -0 "$h" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$h" 2>/dev/null
ok $? "SIGTERM: the helper flushes and exits"

finish
