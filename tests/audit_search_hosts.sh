#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# oidc-audit search over journal-remote's output (non-root): three hosts'
# journal files, written by the real systemd-journal-remote from
# export-format streams (where _HOSTNAME, _UID and _BOOT_ID come from the
# sender, as they do over HTTPS from systemd-journal-upload).  Each host's
# entries reach the central journal in its own batch and one event is
# back-filled late, so the journal's order is not the kernel's.
# `search --directory DIR --subject S` must list every host's events in
# OIDC_EVENT_TIME order with the host in each line; --host filters by exact
# name (repeatable); --output json carries _HOSTNAME.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
bin="${top_builddir:?}/auditd-helper/oidc-audit"
remote=/lib/systemd/systemd-journal-remote
[ -x "$remote" ] || skip_all "no $remote (Debian package systemd-journal-remote)"
command -v journalctl >/dev/null || skip_all "no journalctl"
command -v python3 >/dev/null || skip_all "no python3"
tmp=$(mktemp -d /tmp/pam_oidc-search-hosts.XXXXXX)
at_exit rm -rf "$tmp"
export TZ=UTC0
SUB=248163264128
N=20	# events per host
T0=1764100000000000	# kernel time of event 0, µs

plan 12

# entry HOST BOOT MONO_US REALTIME_US EVENT_TIME_US MESSAGE [UID [SUBJECT]]:
# one entry in journal export format.
entry() {
	printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=%s\n_HOSTNAME=%s\n_UID=%s\n' \
		"$4" "$3" "$2" "$1" "${7:-0}"
	printf 'MESSAGE_ID=8a3b1f0c6e2d4b5a9c7d1e2f3a4b5c6d\nOIDC_EVENT=exec\nOIDC_SUBJECT=%s\n' "${8:-$SUB}"
	printf 'OIDC_ISSUER=https://idp.example.com\nOIDC_AUDIT_SESSION=7\nOIDC_EVENT_TIME=%s\nMESSAGE=%s\n\n' \
		"$5" "$6"
}

# Host h (0, 1, 2) runs event k at kernel time T0 + (3k + h) s: the three
# hosts' events interleave.  Its entries are written lag_h seconds later
# (gamma first, then alpha, then beta), so in the journal's order each
# host's batch follows the other's.
mkdir "$tmp/remote"
hosts=(alpha beta gamma)
lags=(100 200 5)
for h in 0 1 2; do
	name=${hosts[$h]}
	boot=$(printf '%032x' $((h + 0xb007)))
	{
		for k in $(seq 0 $((N - 1))); do
			t=$((T0 + (3 * k + h) * 1000000))
			entry "$name" "$boot" $(((k + 1) * 1000000)) $((t + lags[h] * 1000000)) "$t" \
				"$name ran cmd-$((3 * k + h))"
		done
		if [ "$name" = beta ]; then
			# back-filled after an outage: the earliest event, written last
			entry beta "$boot" $(((N + 5) * 1000000)) $((T0 + 900000000)) $((T0 - 1000000)) "beta ran cmd-early"
			# a user's forgery (logger can set OIDC_* but not _UID) and another subject
			entry beta "$boot" $(((N + 6) * 1000000)) $((T0 + 901000000)) $((T0 + 500000)) \
				"beta ran forged" 1000
			entry beta "$boot" $(((N + 7) * 1000000)) $((T0 + 902000000)) $((T0 + 600000)) \
				"beta ran other" 0 999
		fi
	} >"$tmp/$name.export"
	"$remote" --output="$tmp/remote/remote-$name.journal" - <"$tmp/$name.export" >"$tmp/$name.log" 2>&1 ||
		bail "systemd-journal-remote could not write $name's file: $(cat "$tmp/$name.log")"
done

# What the order must be: cmd-early, then cmd-0 .. cmd-(3N-1).
{
	echo "beta cmd-early"
	for i in $(seq 0 $((3 * N - 1))); do echo "${hosts[$((i % 3))]} cmd-$i"; done
} >"$tmp/want"

# The journal's own order is not the kernel's (else this test proves nothing).
journalctl --directory="$tmp/remote" -o cat OIDC_SUBJECT="$SUB" _UID=0 | sed 's/ ran / /' >"$tmp/journal.order"
TAP_LOG=$tmp/journal.order
[ "$(wc -l <"$tmp/journal.order")" = $((3 * N + 1)) ] && ! cmp -s "$tmp/journal.order" "$tmp/want"
ok $? "the three hosts' files hold $((3 * N + 1)) entries of $SUB, in the journal's order not the kernel's"

"$bin" search --directory "$tmp/remote" --subject "$SUB" >"$tmp/all" 2>"$tmp/all.err"
rc=$?
TAP_LOG=$tmp/all
# a line: DATE TIME HOST KIND ses=N MESSAGE
awk '{ print $3, $8 }' "$tmp/all" >"$tmp/all.hosts"
[ $rc = 0 ] && diff "$tmp/want" "$tmp/all.hosts" >"$tmp/diff"
ok $? "search --directory lists all three hosts' events in kernel time order, the host in each line" \
	"exit $rc: $(cat "$tmp/all.err")" "$(head -20 "$tmp/diff" 2>/dev/null)"

awk '$3 != $6 { bad = 1 } END { exit bad }' "$tmp/all" &&
	grep -q '^2025-11-25 19:46:39.000000 beta exec   ses=7 beta ran cmd-early$' "$tmp/all" &&
	grep -q '^2025-11-25 19:46:40.000000 alpha exec   ses=7 alpha ran cmd-0$' "$tmp/all"
ok $? "each line's host is the _HOSTNAME of its entry, and its time the kernel's (OIDC_EVENT_TIME)"

! grep -q -e forged -e other "$tmp/all"
ok $? "a non-root entry (_UID=1000) and another subject's are not listed"

# A run budget of 1 KiB (OIDC_AUDIT_SEARCH_RUN_BYTES, for the tests): the
# hits go through sorted runs in a temporary file and a merge.
OIDC_AUDIT_SEARCH_RUN_BYTES=1024 "$bin" search --directory "$tmp/remote" --subject "$SUB" >"$tmp/runs" 2>&1 &&
	OIDC_AUDIT_SEARCH_RUN_BYTES=1024 "$bin" search --directory "$tmp/remote" --subject "$SUB" \
		--output json >"$tmp/runs.json" 2>&1 &&
	"$bin" search --directory "$tmp/remote" --subject "$SUB" --output json >"$tmp/mem.json" 2>&1
rc=$?
TAP_LOG=$tmp/runs
[ $rc = 0 ] && cmp -s "$tmp/all" "$tmp/runs" && cmp -s "$tmp/mem.json" "$tmp/runs.json"
ok $? "a run budget of 1 KiB (sorted runs merged from a temporary file): the same text and JSON" "exit $rc"

# Past an hour after --until on the journal's clock, search reads only
# entries written late on purpose (OIDC_AUDIT_SOURCE backfill, or replay
# when asked for), through the journal's index: a back-filled event of
# the range written three hours late is listed, a live entry written four
# hours after its event is not (oidc-audit(8), search).
mkdir "$tmp/late"
lboot=$(printf '%032x' 0x1a7e)
late_entry() {	# late_entry MONO_S REALTIME_S EVENT_S MESSAGE [SOURCE]
	# the entry without its blank line, then its source
	entry delta "$lboot" $(($1 * 1000000)) $((T0 + $2 * 1000000)) $((T0 + $3 * 1000000)) "$4" | sed '$d'
	[ -z "${5:-}" ] || printf 'OIDC_AUDIT_SOURCE=%s\n' "$5"
	echo
}
{
	late_entry 1 1 0 "delta ran in-range"
	late_entry 2 7200 7199 "delta ran later"
	late_entry 3 10800 5 "delta ran backfilled" backfill
	late_entry 4 10801 6 "delta ran replayed" replay
	late_entry 5 14400 7 "delta ran written-late"
} >"$tmp/late.export"
"$remote" --output="$tmp/late/remote-delta.journal" - <"$tmp/late.export" >"$tmp/late.log" 2>&1 ||
	bail "systemd-journal-remote could not write delta's file: $(cat "$tmp/late.log")"
"$bin" search --directory "$tmp/late" --subject "$SUB" --until "@$((T0 / 1000000 + 60))" >"$tmp/late.out" 2>&1
rc1=$?
"$bin" search --directory "$tmp/late" --subject "$SUB" --until "@$((T0 / 1000000 + 60))" \
	--include-replayed >"$tmp/late.rep" 2>&1
rc2=$?
TAP_LOG=$tmp/late.out
[ $rc1 = 0 ] && [ $rc2 = 0 ] &&
	[ "$(awk '{ print $NF }' "$tmp/late.out" | tr '\n' ' ')" = "in-range backfilled " ] &&
	[ "$(awk '{ print $NF }' "$tmp/late.rep" | tr '\n' ' ')" = "in-range backfilled replayed " ]
ok $? "--until: back-filled (and asked-for replayed) entries written hours late are listed, in order" \
	"exits $rc1 $rc2: $(cat "$tmp/late.rep")"

"$bin" search --directory "$tmp/remote" --subject "$SUB" --host beta >"$tmp/beta"
rc=$?
TAP_LOG=$tmp/beta
[ $rc = 0 ] && grep '^beta ' "$tmp/want" | diff - <(awk '{ print $3, $8 }' "$tmp/beta") >/dev/null
ok $? "--host beta: exactly beta's $((N + 1)) events, in kernel time order"

"$bin" search --directory "$tmp/remote" --subject "$SUB" --host gamma --host alpha >"$tmp/ag"
rc=$?
TAP_LOG=$tmp/ag
[ $rc = 0 ] && grep -v '^beta ' "$tmp/want" | diff - <(awk '{ print $3, $8 }' "$tmp/ag") >/dev/null
ok $? "--host gamma --host alpha: both hosts' events (any of the names), merged in kernel time order"

"$bin" search --directory "$tmp/remote" --subject "$SUB" --host alph >"$tmp/prefix" 2>&1
rc1=$?
"$bin" search --directory "$tmp/remote" --subject "$SUB" --host ALPHA >>"$tmp/prefix" 2>&1
rc2=$?
TAP_LOG=$tmp/prefix
[ $rc1 = 1 ] && [ $rc2 = 1 ] && [ ! -s "$tmp/prefix" ]
ok $? "--host is an exact name: a prefix or another case matches nothing (exit 1)" "exits $rc1 $rc2"

"$bin" search --directory "$tmp/remote" --subject "$SUB" --host "" >"$tmp/empty" 2>&1
rc=$?
TAP_LOG=$tmp/empty
[ $rc = 2 ] && grep -q -- "--host" "$tmp/empty"
ok $? "--host with an empty name is a usage error (exit 2)" "exit $rc"

"$bin" search --directory "$tmp/remote" --subject "$SUB" --output json >"$tmp/json"
rc=$?
TAP_LOG=$tmp/json
[ $rc = 0 ] && python3 - "$tmp/json" "$tmp/want" <<'EOF'
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
want = [l.split() for l in open(sys.argv[2])]
assert len(got) == len(want), (len(got), len(want))
times = [int(e["OIDC_EVENT_TIME"]) for e in got]
assert times == sorted(times), "not in kernel time order"
for e, (host, cmd) in zip(got, want):
    assert e["_HOSTNAME"] == host, (e["_HOSTNAME"], host)
    assert e["MESSAGE"] == host + " ran " + cmd, e["MESSAGE"]
EOF
ok $? "--output json: one object per event, in kernel time order, each with its _HOSTNAME"

"$bin" search --directory "$tmp/remote" --subject "$SUB" --host beta --output json >"$tmp/beta.json"
rc=$?
TAP_LOG=$tmp/beta.json
[ $rc = 0 ] && [ "$(grep -c . "$tmp/beta.json")" = $((N + 1)) ] &&
	[ "$(grep -c '"_HOSTNAME":"beta"' "$tmp/beta.json")" = $((N + 1)) ]
ok $? "--host with --output json: only that host's objects"

finish
