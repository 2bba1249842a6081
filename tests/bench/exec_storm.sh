#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Audit under an exec storm (issue 13, item 4).  An identity session (a
# fresh audit session with loginuid $AUID and a registry entry, as in
# tests/e2e/audit_journal.sh) runs N short commands (/bin/true TAG I) and
# then `make -j2` of a small C project generated here (OBJS files), under
#  (a) no audit rules,
#  (b) contrib/audit/oidc-audit.rules, auditd writing audit.log only,
#  (c) the same with the oidc-audit plugin,
#  (d) the same with laurel (tests/lib/laurel.sh) as the plugin instead,
#  (e) the same with oidc-audit writing JSON lines to a file (--output
#      json), as laurel does: the plugin's own cost without journald's.
# REPS repetitions, alternating a b c d so that drift hits each alike.
# Per run: the workload's wall time; total CPU = the workload's user+sys
# (itself and every descendant it waited for: /usr/bin/time) + the growth
# of auditd's, the plugin's, journald's and kauditd's utime+stime
# (/proc/PID/stat), read once their CPU has stopped growing; the growth
# of the kernel's lost counter and of backlog_wait_time_actual, and the
# peak backlog (auditctl -s every 0.1 s).  Every run checks that audit.log
# holds the N tagged commands; in (c), that the journal holds every exec
# event of the session that audit.log holds (by serial) and the N tagged
# commands; in (d), that laurel's log holds the N; in (e), that the JSON
# file holds every exec event of audit.log and the N.
# Goals: (c) adds at most 5 % wall time over (b), and less than (d) adds;
# nothing lost.  Medians, and medians of the per-repetition ratios.
#
# Root, kernel audit, auditd, journald, laurel; `make bench-exec-storm` in
# a build directory (part of `make bench`, not of make check).  It holds
# lock_audit and restores the machine's rules, backlog settings and
# auditd at exit (tests/lib/auditd.sh).  Environment: N (default 20000),
# OBJS (40), REPS (3), BACKLOG (the kernel's backlog limit, 65536),
# WAIT_TIME (backlog_wait_time in jiffies, 60000 as Debian's audit.rules),
# Q_DEPTH (auditd's plugin queue, 99999), CONFIGS ("a b c d e").
set -u

builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
bin=$(readlink -f "$builddir/auditd-helper/oidc-audit")
N=${N:-20000}
OBJS=${OBJS:-40}
REPS=${REPS:-3}
BACKLOG=${BACKLOG:-65536}
WAIT_TIME=${WAIT_TIME:-60000}
Q_DEPTH=${Q_DEPTH:-99999}
CONFIGS=${CONFIGS:-a b c d e}
. "$srcdir/tests/lib/procs.sh"
. "$srcdir/tests/lib/locks.sh"
. "$srcdir/tests/lib/auditd.sh"
. "$srcdir/tests/lib/laurel.sh"

die() {
	echo "exec_storm: $*" >&2
	[ -f "${tmp:-}/auditd.out" ] && sed 's/^/# auditd: /' "$tmp/auditd.out" >&2
	exit 1
}
audit_able || die "$AUDIT_SKIP_REASON"
laurel=$(command -v laurel) || die "needs laurel (Debian package laurel)"
{ command -v make && command -v cc; } >/dev/null || die "needs make and cc"
lock_audit || die "another audit test held the lock for 15 minutes"

tmp=$(mktemp -d /tmp/oidc-audit-e2e.XXXXXX)
chmod 0700 "$tmp"
at_exit rm -rf "$tmp"
# laurel drops to _laurel, which cannot pass the 0700 $tmp
ltmp=$(mktemp -d /tmp/oidc-audit-storm-laurel.XXXXXX)
chmod 0755 "$ltmp"
at_exit rm -rf "$ltmp"
laurel_config "$ltmp/log" "$ltmp/laurel.toml"
AUID=4242
tag=storm$$
audit_save
audit_journald || die "no journald serves the native socket"
audit_contrib_rules "$tmp/contrib.rules"
# (e): oidc-audit's JSON lines on its standard output, into a file
pub_build auditd-helper/oidc-audit || die "cannot copy oidc-audit"
cat >"$tmp/json-plugin" <<EOT
#!/bin/sh
exec "$PUB_BUILD/auditd-helper/oidc-audit" --config "$tmp/oidc-audit.conf" --output json >>"$tmp/plugin.jsonl"
EOT
chmod 0750 "$tmp/json-plugin"	# auditd runs a plugin of mode 0750 only

# ------------------------------------------------------------ the workload
mkdir "$tmp/proj"
for i in $(seq "$OBJS"); do
	printf 'int f%d(int x);\nint f%d(int x) { return x * %d + 1; }\n' "$i" "$i" "$i" >"$tmp/proj/f$i.c"
done
{
	printf '#include <stdio.h>\n'
	for i in $(seq "$OBJS"); do printf 'int f%d(int x);\n' "$i"; done
	printf 'int main(void) { int s = 0;\n'
	for i in $(seq "$OBJS"); do printf 's += f%d(s);\n' "$i"; done
	printf 'printf("%%d\\n", s); return 0; }\n'
} >"$tmp/proj/main.c"
# shellcheck disable=SC2016 # make's own variables
printf 'O = $(patsubst %%.c,%%.o,$(wildcard *.c))\nprog: $(O)\n\t$(CC) -o $@ $(O)\n%%.o: %%.c\n\t$(CC) -O2 -c -o $@ $<\n' >"$tmp/proj/Makefile"
cat >"$tmp/storm.sh" <<'EOT'
for ((i = 1; i <= $2; i++)); do /bin/true "$1" "$i"; done
unset MAKEFLAGS MFLAGS MAKELEVEL	# not the settings of `make bench-exec-storm`
exec make -s -j2 -C "$3"
EOT

kauditd=$(pgrep -x kauditd | head -1)
hz=$(getconf CLK_TCK)
# cpu_of PID...: their utime+stime summed, in ticks (an empty PID is none)
cpu_of() {
	local p t=0 c
	for p in "$@"; do
		c=$(proc_cpu "$p")
		t=$((t + ${c:-0}))
	done
	echo "$t"
}
# settle PID...: wait (at most 5 minutes) until their CPU stops growing:
# at most a tick in a second, twice in a row.
settle() {
	local prev cur still=0
	prev=$(cpu_of "$@")
	for _ in $(seq 300); do
		sleep 1
		cur=$(cpu_of "$@")
		if [ $((cur - prev)) -le 1 ]; then
			still=$((still + 1))
			[ "$still" -ge 2 ] && return 0
		else
			still=0
		fi
		prev=$cur
	done
}
# exec serials of session SES in audit.log
log_exec_serials() {
	grep -h "ses=$1 " "$tmp/log/audit.log"* | grep -a 'key="oidc-exec"' |
		grep -ao 'msg=audit([0-9.]*:[0-9]*)' | sed 's/.*://; s/)//' | sort -u
}

# run CFG REP: one run; appends a line to $tmp/results
run() {
	local cfg=$1 name=$1$2 plugin='' jd ses sub lost0 lost1 wait0 wait1 p execs tagged jok='-' lok='-'
	audit_auditd_stop || die "auditd's plugin did not exit"
	rm -rf "$tmp/log" "$ltmp/log/audit.log"* "$tmp/plugin.jsonl"
	AUDIT_PLUGIN_ACTIVE=yes AUDIT_PLUGIN_PATH='' AUDIT_PLUGIN_ARGS='' AUDIT_BACKLOG=$BACKLOG AUDITD_Q_DEPTH=$Q_DEPTH
	case $cfg in
	a | b) AUDIT_PLUGIN_ACTIVE=no ;;
	d) AUDIT_PLUGIN_PATH=$laurel AUDIT_PLUGIN_ARGS="--config $ltmp/laurel.toml" ;;
	e) AUDIT_PLUGIN_PATH=$tmp/json-plugin AUDIT_PLUGIN_ARGS=- ;;
	esac
	audit_auditd || die "auditd did not take the audit socket ($name)"
	if [ "$cfg" != a ] && [ "$cfg" != b ]; then
		for _ in $(seq 50); do plugin=$(plugin_pid) && [ -n "$plugin" ] && break; sleep 0.1; done
		[ -n "$plugin" ] || die "auditd started no plugin ($name)"
	fi
	auditctl --backlog_wait_time "$WAIT_TIME" >/dev/null
	if [ "$cfg" != a ]; then
		auditctl -R "$tmp/contrib.rules" >/dev/null 2>&1 || die "contrib rules do not load"
	fi
	rm -f "$tmp/proj/"*.o "$tmp/proj/prog"
	sub=sub-$tag-$name
	session_start "$name" "exec /usr/bin/time -f '%e %U %S' -o '$tmp/$name.time' /bin/bash '$tmp/storm.sh' '$tag-$name' $N '$tmp/proj' >/dev/null"
	ses=$(cat "$tmp/$name.ses")
	registry "$ses" "$sub"
	jd=$(journald_pids | head -1)
	sleep 1	# let auditd and the plugin settle after their start
	lost0=$(audit_status lost) wait0=$(audit_status backlog_wait_time_actual)
	local -a c0=() c1=()
	for p in "$auditd_pid" "$plugin" "$jd" "$kauditd"; do c0+=("$(cpu_of "$p")"); done
	: >"$tmp/$name.sampling"
	(
		peak=0
		while [ -e "$tmp/$name.sampling" ]; do
			b=$(audit_status backlog)
			[ "${b:-0}" -gt "$peak" ] && peak=$b && echo "$peak" >"$tmp/$name.peak"
			sleep 0.1
		done
	) {LOCK_AUDIT_FD}>&- &
	local sampler=$!
	workload_pid=${session_pid[$name]}
	session_go "$name"
	wait "$workload_pid"
	workload_pid=
	settle "$auditd_pid" "$plugin"
	rm -f "$tmp/$name.sampling"
	wait "$sampler"
	execs=$(log_exec_serials "$ses" | tee "$tmp/$name.serials" | wc -l)
	tagged=$(grep -ac "^type=EXECVE .* a1=\"$tag-$name\" " "$tmp/log/audit.log"* | awk -F: '{ s += $NF } END { print s + 0 }')
	if [ "$cfg" = c ] || [ "$cfg" = e ]; then
		if [ "$cfg" = c ]; then
			wait_count "$execs" OIDC_SUBJECT="$sub" OIDC_EVENT=exec >/dev/null
			settle "$plugin"
			journalctl -q --no-pager -o json --output-fields=OIDC_AUDIT_SERIAL,OIDC_ARGV,OIDC_SUBJECT,OIDC_EVENT \
				OIDC_SUBJECT="$sub" OIDC_EVENT=exec >"$tmp/$name.json"
		else
			cp "$tmp/plugin.jsonl" "$tmp/$name.json" 2>/dev/null || : >"$tmp/$name.json"
		fi
		jok=$(python3 - "$tmp/$name.json" "$tmp/$name.serials" "/bin/true $tag-$name " "$N" "$sub" <<'PY'
import json, sys
serials, tagged = set(), 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("OIDC_SUBJECT") != sys.argv[5] or e.get("OIDC_EVENT") != "exec":
        continue
    serials.add(e["OIDC_AUDIT_SERIAL"])
    if (e.get("OIDC_ARGV") or "").startswith(sys.argv[3]):
        tagged += 1
want = {l.strip() for l in open(sys.argv[2]) if l.strip()}
missing = len(want - serials)
print("ok" if missing == 0 and tagged == int(sys.argv[4]) else "missing=%d,tagged=%d" % (missing, tagged))
PY
		)
	fi
	if [ "$cfg" = d ]; then
		lok=$(cat "$ltmp/log/audit.log"* 2>/dev/null | grep -c "\"/bin/true\",\"$tag-$name\",")
		[ "$lok" = "$N" ] && lok=ok
	fi
	for p in "$auditd_pid" "$plugin" "$jd" "$kauditd"; do c1+=("$(cpu_of "$p")"); done
	lost1=$(audit_status lost) wait1=$(audit_status backlog_wait_time_actual)
	# cfg rep wall workload-cpu daemons-cpu lost peak-backlog wait-growth audit.log-execs tagged journal laurel
	# auditd plugin journald kauditd
	grep -q '^Command' "$tmp/$name.time" && die "the workload failed ($name): $(cat "$tmp/$name.time")"
	read -r wall u s <"$tmp/$name.time"
	local each=() sum=0 i
	for i in 0 1 2 3; do
		each+=("$(awk -v t=$((c1[i] - c0[i])) -v hz="$hz" 'BEGIN { print t / hz }')")
		sum=$((sum + c1[i] - c0[i]))
	done
	echo "$cfg $2 $wall $(echo "$u $s" | awk '{ print $1 + $2 }') $(awk -v t=$sum -v hz="$hz" 'BEGIN { print t / hz }') \
$((lost1 - lost0)) $(cat "$tmp/$name.peak" 2>/dev/null || echo 0) $((wait1 - wait0)) $execs $tagged $jok $lok ${each[*]}" |
		tee -a "$tmp/results" | sed 's/^/# /'
}

echo "# exec storm: N=$N commands + make -j2 of $OBJS files, REPS=$REPS, backlog $BACKLOG, backlog_wait_time $WAIT_TIME, q_depth $Q_DEPTH"
echo "# cfg rep wall-s workload-cpu-s daemons-cpu-s lost peak-backlog backlog-wait-growth audit.log-execs tagged journal laurel auditd-s plugin-s journald-s kauditd-s"
: >"$tmp/results"
for r in $(seq "$REPS"); do
	for cfg in $CONFIGS; do run "$cfg" "$r"; done
done
audit_auditd_stop

python3 - "$tmp/results" "$N" <<'PY'
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1])]
n = int(sys.argv[2])
by = {}
for r in rows:
    by.setdefault(r[0], {})[int(r[1])] = r
name = {"a": "(a) no rules", "b": "(b) rules, audit.log", "c": "(c) + oidc-audit", "d": "(d) + laurel",
        "e": "(e) + oidc-audit, file"}
def med(xs):
    return st.median(xs) if xs else float("nan")
for c in sorted(by):
    rs = list(by[c].values())
    wall = med([float(r[2]) for r in rs])
    wcpu = med([float(r[3]) for r in rs])
    dcpu = med([float(r[4]) for r in rs])
    tot = med([float(r[3]) + float(r[4]) for r in rs])
    each = [med([float(r[12 + i]) for r in rs]) for i in range(4)]
    print("%-22s wall %7.2f s  cpu %7.2f s (workload %6.2f + daemons %5.2f: auditd %.2f, plugin %.2f, journald %.2f, kauditd %.2f)  lost %s  peak backlog %s  backlog waits %s" % (
        name[c], wall, tot, wcpu, dcpu, *each, sum(int(r[5]) for r in rs), max(int(r[6]) for r in rs), sum(int(r[7]) for r in rs)))
def ratios(x, y, col):
    out = []
    for k in by.get(x, {}):
        if k in by.get(y, {}):
            out.append(float(by[x][k][col]) / float(by[y][k][col]))
    return out
def tot(r):
    return float(r[3]) + float(r[4])
def pair(x, y, f):
    return [f(by[x][k]) / f(by[y][k]) for k in by.get(x, {}) if k in by.get(y, {})]
wall = lambda r: float(r[2])
for x, y in (("b", "a"), ("c", "b"), ("d", "b"), ("e", "b"), ("c", "a"), ("d", "a"), ("e", "a")):
    w, c = pair(x, y, wall), pair(x, y, tot)
    if w:
        print("(%s)/(%s): wall x%.3f, cpu x%.3f (medians of %d per-repetition ratios)" % (x, y, med(w), med(c), len(w)))
if "b" in by and "c" in by and "d" in by:
    cw, dw = med(pair("c", "b", wall)), med(pair("d", "b", wall))
    cc, dc = med(pair("c", "b", tot)), med(pair("d", "b", tot))
    print("goal (c) adds <= 5 %% wall over (b): +%.1f %%: %s" % (100 * (cw - 1), "MET" if cw <= 1.05 else "NOT MET"))
    print("goal (c) adds less than (d): wall +%.1f %% vs +%.1f %%, cpu +%.1f %% vs +%.1f %%: %s" % (
        100 * (cw - 1), 100 * (dw - 1), 100 * (cc - 1), 100 * (dc - 1), "MET" if cw < dw else "NOT MET"))
lost = sum(int(r[5]) for r in rows)
print("goal zero lost: kernel lost %d over %d runs: %s" % (lost, len(rows), "MET" if lost == 0 else "NOT MET"))
bad = [r for r in rows if r[0] != "a" and int(r[9]) != n]
cs = [r for r in rows if r[0] == "c"]
print("audit.log holds the %d tagged commands in %d of %d runs with rules" % (n, len([r for r in rows if r[0] != "a"]) - len(bad), len([r for r in rows if r[0] != "a"])))
if cs:
    print("(c) every exec event of audit.log in the journal, and the %d tagged: %d of %d runs" % (n, len([r for r in cs if r[10] == "ok"]), len(cs)))
ds = [r for r in rows if r[0] == "d"]
if ds:
    print("(d) laurel's log holds the %d tagged: %d of %d runs" % (n, len([r for r in ds if r[11] == "ok"]), len(ds)))
es = [r for r in rows if r[0] == "e"]
if es:
    print("(e) every exec event of audit.log in the JSON file, and the %d tagged: %d of %d runs" % (n, len([r for r in es if r[10] == "ok"]), len(es)))
if "b" in by and "d" in by and "e" in by:
    ew, dw = med(pair("e", "b", wall)), med(pair("d", "b", wall))
    ec, dc = med(pair("e", "b", tot)), med(pair("d", "b", tot))
    print("(e) against (d), the same destination (a file): wall +%.1f %% vs +%.1f %%, cpu +%.1f %% vs +%.1f %% over (b)" % (
        100 * (ew - 1), 100 * (dw - 1), 100 * (ec - 1), 100 * (dc - 1)))
PY
echo "command: make bench-exec-storm N=$N OBJS=$OBJS REPS=$REPS BACKLOG=$BACKLOG WAIT_TIME=$WAIT_TIME Q_DEPTH=$Q_DEPTH"
