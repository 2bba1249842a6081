#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Many logins at once, and many in a row (issue 13, item 3), through the
# real sshd (MaxStartups raised to the number of concurrent logins):
#
# 1. C concurrent logins (half alice, half bob), every one checked for the
#    right user and OIDC_SUBJECT; p50/p95 of token response -> prompt
#    against C concurrent logins through the pass-through stand-in
#    (tests/bench/pam_passthru.c), success -> prompt, in the same sshd
#    and session stack: the difference is the module's share.  Each prompt
#    is paired with the latest unclaimed token response after its
#    approval (the provider's log does not say whose it was), which can
#    only shorten a figure; the stand-in's success marks pair exactly (its
#    code names its process).  CPU per login: the sshd listener's
#    cutime+cstime over the round (every sshd, PAM helper, oidc-child and
#    shell it ran, all reaped), per login, against the baseline's round.
# 2. Memory: VmRSS and Pss of one waiting oidc-child, and of the sshd
#    process that hosts pam_oidc's authentication (the child's parent)
#    against the process hosting the stand-in at the same prompt.
# 3. S sequential logins in one sshd: every S/20 logins the listener's fds
#    and VmRSS, the files in the pending and registry folders (and
#    temporary files there), so that growth shows.
#
# Root; not part of make check:
#
#     make bench-login-scale [BENCH_CONCURRENT=100] [BENCH_SEQUENTIAL=1000]
#     top_srcdir=SRC top_builddir=BUILD bash tests/bench/login_scale.sh [C] [S]
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/sshd_lib.sh"
e2e_init >/dev/null || { echo "login_scale: cannot run here (needs root, sshd, node)"; exit 1; }
C=${1:-100}
S=${2:-1000}
SPREAD=${BENCH_SPREAD_MS:-20000}
[ -f "$top_builddir/tests/bench/.libs/pam_passthru.so" ] ||
	{ echo "login_scale: build tests/bench/pam_passthru.la first (make bench-login-scale)"; exit 1; }
declare -A SUB=([alice]=7f6c1a52-alice-0001 [bob]=2b9e44d0-bob-0002)

e2e_users alice bob || exit 1
e2e_syslog || exit 1
# the real journald unless another test holds it (BENCH_JOURNAL_WAIT s)
e2e_journald_or_sink "${BENCH_JOURNAL_WAIT:-20}" || exit 1
idp_start || exit 1
pub_build tests/bench/.libs/pam_passthru.so || exit 1
P=$PUB_BUILD/tests/bench/.libs/pam_passthru.so
MARKS=$E2E_DIR/marks
: >"$MARKS"
# (sshd takes the first value of a keyword, so not as an extra line)
# 100 TLS handshakes at once keep the single node process of the test
# provider busy past the default connect_timeout (5 s) on 2 cores
MODULE_ARGS="connect_timeout=${BENCH_CONNECT_TIMEOUT:-30} http_timeout=30" \
	E2E_MAX_STARTUPS=$((C + 10)) e2e_sshd_start || exit 1
cp "$E2E_DIR/pam.d/sshd" "$E2E_DIR/stack.oidc"
sed "1s|.*|auth     required $P mark=$MARKS|" "$E2E_DIR/stack.oidc" >"$E2E_DIR/stack.base"
use_stack() { cp "$E2E_DIR/stack.$1" "$E2E_DIR/pam.d/.sshd.new" && mv "$E2E_DIR/pam.d/.sshd.new" "$E2E_DIR/pam.d/sshd"; }
echo "login_scale: $C concurrent (approved over $SPREAD ms), $S sequential, journal: $E2E_JOURNAL_KIND (command: $0 $C $S)"

# sshd's reaped children's CPU (cutime + cstime), in clock ticks
child_ticks() { awk '{ print $16 + $17 }' "/proc/$E2E_SSHD_PID/stat"; }
# descendants of sshd named NAME (comm)
under_sshd() {
	local p
	for p in $(pgrep -x "$1"); do
		local q=$p
		while [ "$q" -gt 1 ]; do
			q=$(awk '{ print $4 }' "/proc/$q/stat" 2>/dev/null) || break
			[ "$q" = "$E2E_SSHD_PID" ] && { echo "$p"; break; }
		done
	done
}
mem() { # PID: "rss_kB pss_kB"
	echo "$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status") $(awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup")"
}

# round KIND: C concurrent logins of that kind; prints the report line
round() {
	local kind=$1 i u pids=() t0 t1 l m
	use_stack "$kind"
	l=$(wc -l <"$IDP_LOG") m=$(wc -l <"$MARKS")
	t0=$(child_ticks)
	for ((i = 0; i < C; i++)); do
		u=alice
		((i % 2)) && u=bob
		# all C wait in sshd at once; the people approve over SPREAD ms (100
		# approve.js and device flows in the same second swamp the single
		# node process of the test provider and its approvals time out)
		d=$((i * SPREAD / C))
		if [ "$kind" = base ]; then
			# the same load and spread as the real ones: approve.js runs (and
			# finds no such code), and the poll's phase is a random delay
			E2E_APPROVE_DELAY_MS=$((d + RANDOM % 1000)) e2e_login "$u" "$u" approve "$E2E_DIR/$kind.$i.out" &
		else
			E2E_APPROVE_DELAY_MS=$d e2e_login "$u" "$u" approve "$E2E_DIR/$kind.$i.out" &
		fi
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	# the last sessions close and are reaped
	wait_for 30 sh -c "[ -z \"\$(pgrep -P $E2E_SSHD_PID)\" ]"
	t1=$(child_ticks)
	tail -n +$((l + 1)) "$IDP_LOG" >"$E2E_DIR/$kind.idp"
	tail -n +$((m + 1)) "$MARKS" >"$E2E_DIR/$kind.marks"
	right=0
	for ((i = 0; i < C; i++)); do
		u=alice
		((i % 2)) && u=bob
		f=$E2E_DIR/$kind.$i.out
		[ "$(e2e_get result "$f")" = shell ] && [ "$(e2e_get user "$f")" = "$u" ] &&
			{ [ "$kind" = base ] || [ "$(e2e_get subject "$f")" = "${SUB[$u]}" ]; } && right=$((right + 1))
	done
	echo "$kind $right $(((t1 - t0) * 1000 / $(getconf CLK_TCK)))" >>"$E2E_DIR/rounds"
	if ((right < C)); then
		# what the others ended with, for the report
		for ((i = 0; i < C; i++)); do
			f=$E2E_DIR/$kind.$i.out
			echo "result=$(e2e_get result "$f") $(e2e_get approve_error "$f" | cut -c1-100) $(e2e_get screen "$f" | cut -c1-140)"
		done | sort | uniq -c | sort -rn | head -n 5 | sed "s/^/# $kind: /"
		grep -o 'pam_oidc.*failed.*' "$E2E_DIR/syslog" | cut -c1-200 | sort | uniq -c | sort -rn | head -n 5 | sed "s/^/# syslog: /"
		grep -v 'POST /token 400\|GET /jwks\|well-known' "$IDP_LOG" | grep -iv ' 200 \| 30[0-9] ' | tail -n 5 | sed "s/^/# provider: /"
	fi
}

: >"$E2E_DIR/rounds"
e2e_login alice alice approve "$E2E_DIR/warm.out" # fills the caches
round base
round oidc
python3 - "$E2E_DIR" "$C" "$top_srcdir/tests/bench" <<'PY'
import sys
d, c = sys.argv[1], int(sys.argv[2])
sys.dont_write_bytecode = True	# nothing written into the source tree
sys.path.insert(0, sys.argv[3])
from idp_log import kv, token_responses
# the stand-in's code is PASS-PID, and its mark names the PID: exact pairs
base_marks = {l.split()[2]: int(l.split()[1]) / 1000.0 for l in open(f"{d}/base.marks") if l.startswith("success ")}
def starts(kind):
    return sorted(token_responses(f"{d}/oidc.idp"))
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))] if v else float("nan")
rounds = {l.split()[0]: l.split()[1:] for l in open(f"{d}/rounds")}
res = {}
for kind in ("base", "oidc"):
    tok = starts(kind)
    logins = []
    for i in range(c):
        o = kv(f"{d}/{kind}.{i}.out")
        if o.get("result") == "shell" and "prompt_ms" in o:
            logins.append((int(o["prompt_ms"]), int(o["approved_ms"])))
    used, out = set(), []
    if kind == "base":
        for i in range(c):
            o = kv(f"{d}/base.{i}.out")
            t = base_marks.get(o.get("code", "").replace("PASS-", ""))
            if o.get("result") == "shell" and t is not None:
                out.append(int(o["prompt_ms"]) - t)
        logins = []
    for p, a in sorted(logins):
        cands = [i for i, t in enumerate(tok) if a <= t <= p and i not in used]
        if cands:
            i = max(cands, key=lambda i: tok[i])
            used.add(i)
            out.append(p - tok[i])
    right, cpu_ms = int(rounds[kind][0]), int(rounds[kind][1])
    res[kind] = (pct(out, 50), pct(out, 95), cpu_ms / c)
    print(f"{kind}: {right}/{c} with the right user{'' if kind == 'base' else ' and subject'}; "
          f"{'success' if kind == 'base' else 'token response'} -> prompt p50 {pct(out, 50):.0f} ms, p95 {pct(out, 95):.0f} ms "
          f"({len(out)} paired); CPU under sshd {cpu_ms / c:.1f} ms per login")
b, o = res["base"], res["oidc"]
print(f"module's share (oidc - base): p50 {o[0] - b[0]:+.0f} ms, p95 {o[1] - b[1]:+.0f} ms, "
      f"ratio p50 {o[0] / b[0]:.2f}x; CPU {o[2] - b[2]:+.1f} ms per login ({o[2] / b[2]:.2f}x)")
PY

# memory: one login each, waiting at the prompt (3 s before "approval")
for kind in base oidc; do
	use_stack "$kind"
	if [ "$kind" = base ]; then
		E2E_NO_APPROVE=1 E2E_APPROVE_DELAY_MS=3000 e2e_login alice alice approve "$E2E_DIR/mem.$kind.out" &
	else
		E2E_APPROVE_DELAY_MS=3000 e2e_login alice alice approve "$E2E_DIR/mem.$kind.out" &
	fi
	lp=$!
	sleep 2
	if [ "$kind" = oidc ]; then
		ch=$(under_sshd oidc-child | head -n 1)
		host=$(awk '{ print $4 }' "/proc/$ch/stat")
		read -r crss cpss < <(mem "$ch")
		read -r orss opss < <(mem "$host")
	else
		# the stand-in's host: the youngest sshd process that maps it
		host=$(for p in $(under_sshd sshd); do grep -q pam_passthru "/proc/$p/maps" 2>/dev/null && echo "$p"; done | sort -n | tail -n 1)
		read -r brss bpss < <(mem "$host")
	fi
	wait "$lp"
done
printf 'memory: a waiting oidc-child VmRSS %s kB (Pss %s kB); the sshd process hosting pam_oidc VmRSS %s kB (Pss %s kB) against %s kB (Pss %s kB) with the stand-in: module share %+d kB RSS, %+d kB Pss\n' \
	"$crss" "$cpss" "$orss" "$opss" "$brss" "$bpss" $((orss - brss)) $((opss - bpss))

# sequential logins in one sshd, sampled
use_stack oidc
sample() {
	local fds rss pend reg tmp zomb
	fds=$(ls "/proc/$E2E_SSHD_PID/fd" | wc -l)
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$E2E_SSHD_PID/status")
	pend=$(find "$E2E_DIR/pending" -mindepth 1 2>/dev/null | wc -l)
	reg=$(find "$E2E_REGISTRY" -mindepth 1 -type f ! -name '.*' 2>/dev/null | wc -l)
	tmp=$(find "$E2E_REGISTRY" "$E2E_DIR/pending" -mindepth 1 -name '.*' 2>/dev/null | wc -l)
	zomb=$(ps -eo ppid=,stat= | awk -v p="$E2E_SSHD_PID" '$1 == p && $2 ~ /Z/' | wc -l)
	echo "$(date +%T) after $1 logins: sshd fds $fds, VmRSS $rss kB; pending $pend, registry entries $reg ($(du -sk "$E2E_REGISTRY" | cut -f1) kB), temporary files $tmp, zombies $zomb"
}
step=$(((S + 19) / 20))
((step > 0)) || step=1
fails=0
sample 0
for ((i = 1; i <= S; i++)); do
	e2e_login alice alice approve "$E2E_DIR/seq.out"
	[ "$(e2e_get result "$E2E_DIR/seq.out")" = shell ] && [ "$(e2e_get user "$E2E_DIR/seq.out")" = alice ] ||
		fails=$((fails + 1))
	((i % step == 0 || i == S)) && sample "$i"
done
echo "sequential: $S logins, $fails failed"
