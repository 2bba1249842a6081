#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# oidc-audit benchmark, on the shared corpus ($SHARED_DIR/bench/audit-corpus.log.xz):
#  (a) `oidc-audit replay --output json --all-sessions` against laurel (the
#      Debian package) on the same file: events per second and CPU seconds
#      (user+sys) per event, medians of RUNS runs.  Goal: oidc-audit's CPU
#      per event at most 1/5 of laurel's.
#  (b) `oidc-audit replay --output journal` (a replay prints JSON on stdout
#      unless told otherwise) against the bare sd_journal_sendv rate of the
#      very same entries (tests/bench/sendv_ceiling), both followed by
#      `journalctl --sync`, medians of JRUNS runs.  Goal: at least 90 % of
#      the ceiling.
#
# Run with `make bench-audit` (or `make bench`) in a build directory, as
# root (journald, laurel's privilege drop).  Not part of make check.
# Environment: COPIES (corpus copies for (a), default 10), JCOPIES (for
# (b), default 2), RUNS (default 5), JRUNS (default 3).
# (b) writes COPIES*13,600 entries per run to the journal, all carrying
# the subject "bench-<pid>"; a journald started here is stopped again.
set -eu

builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
shared=${SHARED_DIR:-$srcdir/../shared}
bin=$(readlink -f "$builddir/auditd-helper/oidc-audit")
ceiling=$(readlink -f "$builddir/tests/bench/sendv_ceiling")
COPIES=${COPIES:-10}
JCOPIES=${JCOPIES:-2}
RUNS=${RUNS:-5}
JRUNS=${JRUNS:-3}
. "$srcdir/tests/lib/procs.sh"
. "$srcdir/tests/lib/laurel.sh"

tmp=$(mktemp -d /tmp/oidc-audit-bench.XXXXXX)
at_exit rm -rf "$tmp"
journald_pid=
at_exit stop_journald
# stop_journald: the journald started here, if any (not waited for).
stop_journald() {
	[ -z "$journald_pid" ] || kill -TERM "$journald_pid" 2>/dev/null
}
chmod 0755 "$tmp"

xz -dc "$shared/bench/audit-corpus.log.xz" >"$tmp/corpus.log"
# Scale by concatenation, each copy's serials and times shifted past the
# previous one's: a copy that went back in time after its DAEMON_START
# would be another boot to oidc-audit, whose registry entry is not its.
scale() {	# scale COPIES OUT
	python3 - "$tmp/corpus.log" "$1" "$2" <<'PY'
import re, sys
src, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = open(src, "rb").read()
pat = re.compile(rb"msg=audit\((\d+)\.(\d+):(\d+)\)")
stamps = [(int(m.group(1)), int(m.group(3))) for m in pat.finditer(data)]
top = max(s for _, s in stamps) + 1
span = max(t for t, _ in stamps) - min(t for t, _ in stamps) + 1
def shifted(k):
    return lambda m: b"msg=audit(%d.%s:%d)" % (int(m.group(1)) + k * span, m.group(2), int(m.group(3)) + k * top)
with open(out, "wb") as f:
    for k in range(copies):
        f.write(data if k == 0 else pat.sub(shifted(k), data))
PY
}
scale "$COPIES" "$tmp/big.log"
scale "$JCOPIES" "$tmp/j.log"

# A registry entry for the corpus's session (2), so the enrichment path runs.
mkdir -m 0700 "$tmp/reg"
printf '{"boot_id":"%s","session":2,"loginuid":1001,"user":"bench","issuer":"https://idp.example","subject":"bench-%s","username":"bench@example.com","email":"bench@example.com","login_id":"00112233445566778899aabbccddeeff","auth_time":1795639400,"service":"sshd","rhost":"192.0.2.1","opened":1795639400000000}\n' \
	"$(tr -d '-' </proc/sys/kernel/random/boot_id)" $$ >"$tmp/reg/2"
chmod 0600 "$tmp/reg/2"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ------------------------------------------------------------ (a) vs laurel
laurel_config "$tmp/laurel" "$tmp/laurel.toml"

: >"$tmp/ours.times"
: >"$tmp/laurel.times"
for _ in $(seq "$RUNS"); do
	/usr/bin/time -f "%e %U %S" -o "$tmp/t" "$bin" replay --config /nonexistent --registry "$tmp/reg" \
		--output json --all-sessions "$tmp/big.log" >"$tmp/ours.json"
	cat "$tmp/t" >>"$tmp/ours.times"
	rm -f "$tmp/laurel/audit.log"*
	/usr/bin/time -f "%e %U %S" -o "$tmp/t" laurel -c "$tmp/laurel.toml" <"$tmp/big.log" 2>"$tmp/laurel.err"
	cat "$tmp/t" >>"$tmp/laurel.times"
done
ours_events=$(grep -c '"OIDC_EVENT":"\(exec\|file\)"' "$tmp/ours.json" || true)
laurel_events=$(cat "$tmp/laurel/audit.log"* 2>/dev/null | grep -c . || true)
ours_wall=$(awk '{ print $1 }' "$tmp/ours.times" | median)
ours_cpu=$(awk '{ print $2 + $3 }' "$tmp/ours.times" | median)
laurel_wall=$(awk '{ print $1 }' "$tmp/laurel.times" | median)
laurel_cpu=$(awk '{ print $2 + $3 }' "$tmp/laurel.times" | median)
records=$(grep -c . "$tmp/big.log")

echo "corpus: $records records x1 copies=$COPIES; medians of $RUNS runs"
awk -v e="$ours_events" -v w="$ours_wall" -v c="$ours_cpu" -v le="$laurel_events" -v lw="$laurel_wall" -v lc="$laurel_cpu" 'BEGIN {
	oe = (w > 0 ? e / w : 0); lev = (lw > 0 ? le / lw : 0)
	ocpe = (e > 0 ? c / e : 0); lcpe = (le > 0 ? lc / le : 0)
	printf "(a) oidc-audit replay --output json: %d events, %.3f s wall, %.3f s cpu -> %.0f events/s, %.3g cpu-s/event\n", e, w, c, oe, ocpe
	printf "(a) laurel:                          %d events, %.3f s wall, %.3f s cpu -> %.0f events/s, %.3g cpu-s/event\n", le, lw, lc, lev, lcpe
	if (lcpe > 0) printf "(a) cpu per event: oidc-audit / laurel = %.3f (goal <= 0.200): %s\n", ocpe / lcpe, (ocpe / lcpe <= 0.2 ? "MET" : "NOT MET")
}'

# ------------------------------------------------------------ (b) journald vs ceiling
# A live journald answers --sync; stale socket files of a stopped one do not.
if ! journalctl --sync >/dev/null 2>&1; then
	/lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 &
	journald_pid=$!
	wait_for 5 journalctl --sync >/dev/null 2>&1 || true
fi
"$bin" replay --config /nonexistent --registry "$tmp/reg" --output json --all-sessions "$tmp/j.log" >"$tmp/j.json"
jentries=$(grep -c . "$tmp/j.json")
: >"$tmp/ours.j"
: >"$tmp/ceil.j"
now() { date +%s.%N; }
for _ in $(seq "$JRUNS"); do
	journalctl --sync
	t0=$(now)
	"$bin" replay --config /nonexistent --registry "$tmp/reg" --output journal --all-sessions "$tmp/j.log"
	journalctl --sync
	t1=$(now)
	echo "$t0 $t1" | awk -v n="$jentries" '{ print n / ($2 - $1) }' >>"$tmp/ours.j"
	# the ceiling's own clock covers only the sends (its JSON loading is not
	# part of the ceiling); the sync after it is added
	send_secs=$("$ceiling" "$tmp/j.json" | awk '{ print $2 }')
	t0=$(now)
	journalctl --sync
	t1=$(now)
	echo "$t0 $t1 $send_secs" | awk -v n="$jentries" '{ print n / ($2 - $1 + $3) }' >>"$tmp/ceil.j"
done
ours_rate=$(median <"$tmp/ours.j")
ceil_rate=$(median <"$tmp/ceil.j")
# Runs alternate, so each pair saw the same machine load: the median of the
# pairwise ratios is the steadier figure on a shared machine.
pair_ratio=$(paste "$tmp/ours.j" "$tmp/ceil.j" | awk '{ print 100 * $1 / $2 }' | median)
awk -v n="$jentries" -v o="$ours_rate" -v c="$ceil_rate" -v r="$JRUNS" -v p="$pair_ratio" 'BEGIN {
	printf "(b) %d entries per run, medians of %d runs, each until journalctl --sync returned\n", n, r
	printf "(b) oidc-audit replay into journald: %.0f entries/s\n", o
	printf "(b) bare sd_journal_sendv ceiling:   %.0f entries/s\n", c
	printf "(b) ratio of medians %.1f %%, median of pairwise ratios %.1f %% (goal >= 90 %%): %s\n", 100 * o / c, p, (p >= 90 ? "MET" : "NOT MET")
}'
