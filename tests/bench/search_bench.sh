#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# `oidc-audit search` against journalctl on the same journal files
# (issue 13: "answers in seconds").  Builds ENTRIES oidc-audit entries
# (default 1,000,000: 100 identities, 1,000 audit sessions, a month of
# kernel times, exec and file events) in journal export format and has the
# real systemd-journal-remote write them into journal files in a temporary
# folder: the machine's journal is never touched.  Then, medians of RUNS
# runs (after one warm-up run each), wall seconds and peak RSS:
#   subject, user, session:  search --subject/--user/--session against
#       journalctl OIDC_SUBJECT=/OIDC_LOCAL_USER=/OIDC_AUDIT_SESSION= _UID=0,
#       over the month and over one day (--since/--until; journalctl's
#       --since/--until on the journal's time).  Goal: within 1.5x of
#       journalctl and under 1 s.
#   path:  search --path GLOB over the month and over one day (journalctl
#       has no glob: its baseline is the whole match it would have to read,
#       _UID=0 OIDC_EVENT=file).  Goal (one day): under 2 s.
#   all:   every entry (--since @0, no identity): the match count is the
#       whole journal, so peak RSS shows whether memory stays bounded.
#
# Run with `make bench-search` (or `make bench`) in a build folder; no root
# needed.  Environment: ENTRIES, RUNS (default 5), KEEP=DIR (keep the
# journal files in DIR and reuse them next time).
set -eu

builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
bin=$(readlink -f "$builddir/auditd-helper/oidc-audit")
remote=/lib/systemd/systemd-journal-remote
ENTRIES=${ENTRIES:-1000000}
RUNS=${RUNS:-5}
. "$srcdir/tests/lib/procs.sh"
[ -x "$remote" ] || { echo "no $remote (Debian package systemd-journal-remote)" >&2; exit 77; }

tmp=$(mktemp -d /tmp/oidc-audit-search-bench.XXXXXX)
at_exit rm -rf "$tmp"
export TZ=UTC0
T0=1764547200	# 2025-12-01 00:00:00 UTC: the month's first second
DAYS=30

jdir=${KEEP:-$tmp/journal}
if [ ! -s "$jdir/entries" ] || [ "$(cat "$jdir/entries")" != "$ENTRIES" ]; then
	rm -rf "$jdir"
	mkdir -p "$jdir"
	t0=$(date +%s.%N)
	# Entry i: identity i%100, session (i/7)%1000 of that identity's ten,
	# kernel time spread evenly over the month, written 0.3 s later; one
	# in three a file access under /srv/proj<N>/.
	python3 - "$ENTRIES" "$T0" "$DAYS" <<'PY' | "$remote" --output="$jdir/bench.journal" - >"$tmp/remote.log" 2>&1
import sys
n, t0, days = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
span = days * 86400 * 1000000
step = span // n
boot = "b0075e1ec7ab1e5b0075e1ec7ab1e5b0"
out = sys.stdout
buf = []
for i in range(n):
    ident = i % 100
    ses = ident * 10 + (i // 7) % 10 + 1
    t = t0 * 1000000 + i * step
    t -= t % 1000          # audit(SECONDS.MILLIS): milliseconds
    user = "user%02d" % ident
    sub = "sub-%02d-7f3a9c" % ident
    if i % 3 == 2:
        path = "/srv/proj%d/data/file%d.csv" % (i % 50, i % 997)
        ev = "file"
        msg = "%s (sub %s) opened %s" % (user, sub, path)
        extra = "OIDC_PATH=%s\nOIDC_OPERATION=open\nOIDC_SYSCALL=openat\n" % path
        exe = "/usr/bin/cat"
    else:
        exe = "/usr/bin/tool%d" % (i % 40)
        ev = "exec"
        msg = "%s (sub %s) ran %s --run %d" % (user, sub, exe, i)
        extra = "OIDC_ARGV=%s --run %d\nOIDC_CWD=/home/%s\n" % (exe, i, user)
    buf.append(
        "__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\n_HOSTNAME=bench-host\n"
        "_UID=0\n_GID=0\n_TRANSPORT=journal\nSYSLOG_IDENTIFIER=oidc-audit\nPRIORITY=6\n"
        "MESSAGE_ID=8a3b1f0c6e2d4b5a9c7d1e2f3a4b5c6d\nMESSAGE=%s\nOIDC_EVENT=%s\n"
        "OIDC_ISSUER=https://idp.example.com\nOIDC_SUBJECT=%s\nOIDC_USERNAME=%s@example.com\n"
        "OIDC_LOCAL_USER=%s\nOIDC_AUDIT_SESSION=%d\nOIDC_AUDIT_LOGINUID=%d\nOIDC_AUDIT_SERIAL=%d\n"
        "OIDC_AUDIT_SOURCE=live\nOIDC_EVENT_TIME=%d\nOIDC_EXE=%s\nOIDC_PID=%d\nOIDC_SUCCESS=yes\n%s\n"
        % (t + 300000, 1000000 + i * step, boot, msg, ev, sub, user, user, ses, 2000 + ident, i + 1,
           t, exe, 1000 + i % 30000, extra))
    if len(buf) == 5000:
        out.write("".join(buf))
        buf = []
out.write("".join(buf))
PY
	echo "$ENTRIES" >"$jdir/entries"
	t1=$(date +%s.%N)
	echo "built $ENTRIES entries with systemd-journal-remote in $(echo "$t0 $t1" | awk '{ printf "%.0f", $2 - $1 }') s:" \
		"$(du -sh "$jdir" | cut -f1) in $(find "$jdir" -name '*.journal' | wc -l) file(s)"
fi

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# timed NAME CMD...: one warm-up, then RUNS runs; appends "secs kB" lines
# to $tmp/NAME.t and the output's line count to $tmp/NAME.n.
timed() {
	local name=$1 rc t0 t1
	shift
	: >"$tmp/$name.t"
	"$@" >"$tmp/out" 2>"$tmp/err" || true
	for _ in $(seq "$RUNS"); do
		rc=0
		t0=$EPOCHREALTIME
		/usr/bin/time -f "%M" -o "$tmp/tm" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
		t1=$EPOCHREALTIME
		# wall time in µs from bash (time's %e has 10 ms steps), peak RSS from time
		echo "$(((${t1/./} - ${t0/./}))) $(tail -n 1 "$tmp/tm")" | awk '{ print $1 / 1e6, $2 }' >>"$tmp/$name.t"
	done
	grep -c . "$tmp/out" >"$tmp/$name.n" || true
	echo "$rc" >"$tmp/$name.rc"
	head -c 300 "$tmp/err" >"$tmp/$name.err"
}

secs() { awk '{ print $1 }' "$tmp/$1.t" | median; }
rss() { awk '{ print $2 }' "$tmp/$1.t" | median; }

# report LABEL OURS BASE GOAL_SECS: a line of the table.
report() {
	local o=$2 b=$3
	awk -v l="$1" -v os="$(secs "$o")" -v om="$(rss "$o")" -v on="$(cat "$tmp/$o.n")" -v orc="$(cat "$tmp/$o.rc")" \
		-v bs="$(secs "$b")" -v bm="$(rss "$b")" -v bn="$(cat "$tmp/$b.n")" -v goal="$4" -v err="$(tr '\n' ' ' <"$tmp/$o.err")" 'BEGIN {
		r = (bs > 0 ? os / bs : 0)
		verdict = ""
		if (orc != 0) verdict = sprintf("FAILED (exit %d: %s)", orc, err)
		else if (goal != "" && goal != "-") verdict = ((os < goal && (l ~ /path/ || r <= 1.5)) ? "MET" : "NOT MET")
		printf "%-19s %7d lines %6.3f s %4.0f MB | journalctl %7d lines %6.3f s %4.0f MB | ratio %5.2f %s\n",
			l, on, os, om / 1024, bn, bs, bm / 1024, r, verdict
	}'
}

D=$((T0 + 14 * 86400))	# one day: the 15th
day_s="@$D"
day_u="@$((D + 86399))"
jday_s="$(date -u -d "@$D" '+%Y-%m-%d %H:%M:%S')"
jday_u="$(date -u -d "@$((D + 86399))" '+%Y-%m-%d %H:%M:%S')"
S="$bin search --directory $jdir"
J="journalctl --directory=$jdir -q --no-pager"

echo "search_bench: $ENTRIES entries in $jdir; medians of $RUNS runs (after a warm-up); output to a file;"
echo "  MB: peak RSS, which counts the journal files' pages sd-journal maps"
echo "  ours: $S ...   baseline: $J ... _UID=0"
# shellcheck disable=SC2086 # word splitting of $S and $J is meant
{
	timed sub_m $S --subject sub-42-7f3a9c
	timed jsub_m $J OIDC_SUBJECT=sub-42-7f3a9c _UID=0
	timed user_m $S --user user42
	timed juser_m $J OIDC_LOCAL_USER=user42 _UID=0
	timed ses_m $S --session 425
	timed jses_m $J OIDC_AUDIT_SESSION=425 _UID=0
	timed sub_d $S --subject sub-42-7f3a9c --since "$day_s" --until "$day_u"
	timed jsub_d $J OIDC_SUBJECT=sub-42-7f3a9c _UID=0 --since "$jday_s" --until "$jday_u"
	timed user_d $S --user user42 --since "$day_s" --until "$day_u"
	timed juser_d $J OIDC_LOCAL_USER=user42 _UID=0 --since "$jday_s" --until "$jday_u"
	timed ses_d $S --session 425 --since "$day_s" --until "$day_u"
	timed jses_d $J OIDC_AUDIT_SESSION=425 _UID=0 --since "$jday_s" --until "$jday_u"
	timed path_m $S --path '/srv/proj7/*'
	timed jpath_m $J OIDC_EVENT=file _UID=0
	timed path_d $S --path '/srv/proj7/*' --since "$day_s" --until "$day_u"
	timed jpath_d $J OIDC_EVENT=file _UID=0 --since "$jday_s" --until "$jday_u"
	timed all $S --since @0
	timed jall $J _UID=0
}
report "subject, month" sub_m jsub_m 1
report "user, month" user_m juser_m 1
report "session, month" ses_m jses_m 1
report "subject, one day" sub_d jsub_d 1
report "user, one day" user_d juser_d 1
report "session, one day" ses_d jses_d 1
report "path glob, month" path_m jpath_m -
report "path glob, one day" path_d jpath_d 2
report "every entry" all jall -
