#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# oidc-audit while journald is down: the real kernel audit, auditd and
# journald of tests/lib/auditd.sh.  journald is stopped for 60 s while a
# session with an OIDC identity runs 5,000 commands; oidc-audit must read
# the live stream on meanwhile (the same process, its reads growing) and,
# once journald is back, back-fill from audit.log: every event of the
# session is in the journal, none reported lost.  Then the negative case:
# journald down again, 300 commands, and the audit.log files that hold them
# rotated away before journald is back: exactly those 300 are reported as
# an `outage` loss.  The figures (events, duplicates, back-fill time) are
# TAP comments.
#
# Root only.  The machine's audit rules, audit status, auditd and journald
# are saved and restored in a trap.
set -u

builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
bin=$builddir/auditd-helper/oidc-audit
. "$srcdir/tests/lib/tap.sh"
. "$srcdir/tests/lib/locks.sh"
. "$srcdir/tests/lib/procs.sh"
. "$srcdir/tests/lib/auditd.sh"

audit_able || skip_all "$AUDIT_SKIP_REASON"
lock_audit || skip_all "another audit test held the lock for 15 minutes"

tmp=$(mktemp -d /tmp/oidc-audit-e2e.XXXXXX)
chmod 0700 "$tmp"
at_exit rm -rf "$tmp"
tag=out$$x$RANDOM
KEY_EXEC=oidc_${tag}_exec
AUID=4242
OUTAGE=${AUDIT_OUTAGE_SECONDS:-60}
N=5000
P=300
audit_save

plan 11

audit_journald || audit_abort "journald serves the native socket"
audit_auditd || audit_abort "auditd owns the audit socket"
audit_wait_helper || audit_abort "auditd started the oidc-audit plugin"
pass "journald, auditd and the oidc-audit plugin run"
auditctl -a always,exit -F arch=b64 -S execve,execveat -F auid=$AUID -F key=$KEY_EXEC >/dev/null

# serials of the session's exec events in audit.log and in the journal
audit_serials() {
	grep -h "ses=$1 " "$tmp"/log/audit.log* | grep "key=\"$KEY_EXEC\"" |
		grep -o 'msg=audit([0-9.]*:[0-9]*)' | sed 's/.*://; s/)//' | sort -u
}
journal_serials() {
	journalctl -q --no-pager -o json --output-fields=OIDC_AUDIT_SERIAL "OIDC_SUBJECT=$1" _UID=0 |
		python3 -c 'import json, sys; print("\n".join(sorted({json.loads(l)["OIDC_AUDIT_SERIAL"] for l in sys.stdin})))' |
		grep .
}
unique_in_journal() { journal_serials "$1" | wc -l; }
# loss_sum SINCE REASON: the OIDC_LOSS_COUNT of the plugin's loss entries
loss_sum() {
	journalctl -q --no-pager -o json --output-fields=OIDC_LOSS_COUNT --since "@$1" _UID=0 \
		SYSLOG_IDENTIFIER=oidc-audit OIDC_EVENT=loss "OIDC_LOSS_REASON=$2" |
		python3 -c 'import json, sys; print(sum(int(json.loads(l)["OIDC_LOSS_COUNT"]) for l in sys.stdin))'
}
resumed_detail() {
	journalctl -q --no-pager -o json --output-fields=OIDC_LOSS_DETAIL --since "@$1" _UID=0 \
		SYSLOG_IDENTIFIER=oidc-audit OIDC_LOSS_REASON=resumed |
		python3 -c 'import json, sys; [print(json.loads(l)["OIDC_LOSS_DETAIL"]) for l in sys.stdin]'
}
rchar() { sed -n 's/^rchar: //p' "/proc/$1/io"; }

# A position first: one event written while journald is up.
SUB_O="sub-$tag-O"
session_start O '/bin/true warm; read -r _ <"'"$tmp/O.go"'"
	for ((i = 1; i <= '$N'; i++)); do /bin/true "$i"; done; exit 0'
SES_O=$(cat "$tmp/O.ses")
registry "$SES_O" "$SUB_O"
session_go O
[ "$(wait_count 1 "OIDC_SUBJECT=$SUB_O")" = 1 ]
ok $? "session $SES_O: its first command is in the journal"

# ------------------------------------------------------------ 60 s without journald
helper=$(helper_pid)
since=$(date +%s)
lost0=$(audit_status lost)
audit_journald_stop
ok $? "journald stopped"
t_stop=$(date +%s%N)
read0=$(rchar "$helper")
session_go O
workload_pid=${session_pid[O]}
wait "${session_pid[O]}"
workload_pid=
t_work=$(date +%s%N)
sleep 2 # the plugin reads what auditd still holds
read1=$(rchar "$helper")
now=$(date +%s%N)
[ $(((now - t_stop) / 1000000000)) -lt "$OUTAGE" ] && sleep $((OUTAGE - (now - t_stop) / 1000000000))
[ "$(helper_pid)" = "$helper" ] && ! journald_running && [ $((read1 - read0)) -gt $((N * 500)) ] &&
	! grep -qi -e overflow -e "queue is full" "$tmp/auditd.out" && [ "$(audit_status lost)" = "$lost0" ]
ok $? "while journald was down: the same plugin read on ($(((read1 - read0) / 1024)) KiB), auditd and the kernel dropped nothing"
echo "# $N commands in $(((t_work - t_stop) / 1000000)) ms; journald down for $(($(date +%s) - t_stop / 1000000000)) s"

audit_journald_start
ok $? "journald started again"
t_start=$(date +%s%N)
audit_serials "$SES_O" >"$tmp/O.audit"
for _ in $(seq 600); do
	[ "$(unique_in_journal "$SUB_O")" -ge $((N + 1)) ] && break
	sleep 0.2
done
t_done=$(date +%s%N)
sleep 2 # duplicates and loss entries would arrive now
journal_serials "$SUB_O" >"$tmp/O.journal"
entries=$(count_entries "OIDC_SUBJECT=$SUB_O" _UID=0)
[ "$(wc -l <"$tmp/O.audit")" = $((N + 1)) ] && cmp -s "$tmp/O.audit" "$tmp/O.journal"
ok $? "every one of the $((N + 1)) events of audit.log is in the journal ($(wc -l <"$tmp/O.journal") found)"
out_lost=$(loss_sum "$since" outage) journal_lost=$(loss_sum "$since" journal)
[ "$out_lost" = 0 ] && [ "$journal_lost" = 0 ]
ok $? "nothing reported lost (outage $out_lost, journal $journal_lost)"
detail=$(resumed_detail "$since")
echo "$detail" | grep -q " of the [0-9]* events read live meanwhile were there, 0 not$"
ok $? "a resumed entry says what was back-filled"
dups=$(loss_sum "$since" duplicates)
echo "# back-fill: $detail"
echo "# events: $((N + 1)) in audit.log, $(wc -l <"$tmp/O.journal") in the journal in $entries entries ($((entries - $(wc -l <"$tmp/O.journal"))) written twice); $dups duplicates recognised (loss entries, reason duplicates)"
echo "# all in the journal $(((t_done - t_start) / 1000000)) ms after journald started"

# ------------------------------------------------------------ what audit.log no longer has
SUB_P="sub-$tag-P"
since_p=$(date +%s)
session_start P 'for ((i = 1; i <= '$P'; i++)); do /bin/true "$i"; done; exit 0'
SES_P=$(cat "$tmp/P.ses")
registry "$SES_P" "$SUB_P"
audit_journald_stop
stopped=$?
session_go P
workload_pid=${session_pid[P]}
wait "${session_pid[P]}"
workload_pid=
sleep 2
p_logged=$(audit_serials "$SES_P" | wc -l)
# auditd keeps num_logs = 5 files: five rotations take the session's events away
for _ in $(seq 10); do
	grep -q "ses=$SES_P " "$tmp"/log/audit.log* || break
	kill -USR1 "$auditd_pid"
	sleep 0.5
done
[ $stopped = 0 ] && [ "$p_logged" = $P ] && ! grep -q "ses=$SES_P " "$tmp"/log/audit.log*
ok $? "journald stopped again; the audit.log files with session $SES_P's $P commands ($p_logged logged) rotated away before it is back"
audit_journald_start
for _ in $(seq 100); do
	[ -n "$(resumed_detail "$since_p")" ] && break
	sleep 0.2
done
sleep 2
p_lost=$(loss_sum "$since_p" outage)
echo "# rotated away: $(resumed_detail "$since_p")"
[ "$p_lost" = $P ] && [ "$(count_entries "OIDC_SUBJECT=$SUB_P" _UID=0)" = 0 ]
ok $? "exactly the $P events audit.log lacks are reported lost (outage: $p_lost)"
[ "$(helper_pid)" = "$helper" ]
ok $? "one plugin process throughout"

finish
