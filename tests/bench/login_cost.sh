#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The login's own cost (issue 13, item 1), through the real sshd: the time
# from the provider's token response to the shell prompt with pam_oidc,
# against the same sshd and session stack where a pass-through auth module
# (tests/bench/pam_passthru.c) stands in for pam_oidc, from its success to
# the prompt.  The session stack is the same in both, pam_oidc's session
# line included (without a pending handle it returns PAM_IGNORE).  Three
# kinds of login take turns, so that the machine's noise falls on all
# alike: "base" (pass-through), "oidc" (pam_oidc as deployed) and "trace"
# (pam_oidc with `debug`, for the breakdown: the child's step lines and the
# module's reap/pending line).  Every kind has the same pass-through marks
# (wall-clock µs) after the auth line and around pam_oidc's session line,
# so each segment of the login is compared with the same segment of the
# baseline.  Root; not part of make check:
#
#     make bench-login [BENCH_N=20]       # in a build folder, as root
#     top_srcdir=SRC top_builddir=BUILD bash tests/bench/login_cost.sh [N]
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/sshd_lib.sh"
e2e_init >/dev/null || { echo "login_cost: cannot run here (needs root, sshd, node)"; exit 1; }
N=${1:-20}
[ -f "$top_builddir/tests/bench/.libs/pam_passthru.so" ] ||
	{ echo "login_cost: build tests/bench/pam_passthru.la first (make bench-login)"; exit 1; }

e2e_users alice || exit 1
# the real journald unless another test holds it (BENCH_JOURNAL_WAIT s)
e2e_journald_or_sink "${BENCH_JOURNAL_WAIT:-20}" || exit 1
e2e_syslog || exit 1
idp_start || exit 1
pub_build tests/bench/.libs/pam_passthru.so || exit 1
P=$PUB_BUILD/tests/bench/.libs/pam_passthru.so
MARKS=$E2E_DIR/marks
: >"$MARKS"
chmod 600 "$MARKS"
E2E_POST_AUTH="auth optional $P noprompt mark=$MARKS at=auth_end" \
	E2E_PRE_SESSION="session optional $P mark=$MARKS at=session_start" \
	E2E_POST_SESSION="session optional $P mark=$MARKS at=session_end" \
	e2e_sshd_start || exit 1
# sshd reads its PAM stack at each connection, from the bind-mounted folder
cp "$E2E_DIR/pam.d/sshd" "$E2E_DIR/stack.oidc"
sed '1s/ registry_dir=/ debug registry_dir=/' "$E2E_DIR/stack.oidc" >"$E2E_DIR/stack.trace"
sed "1s|.*|auth     required $P mark=$MARKS|" "$E2E_DIR/stack.oidc" >"$E2E_DIR/stack.base"
use_stack() { cp "$E2E_DIR/stack.$1" "$E2E_DIR/pam.d/.sshd.new" && mv "$E2E_DIR/pam.d/.sshd.new" "$E2E_DIR/pam.d/sshd"; }

# one_login KIND I: a login of that kind; its marks, the provider's log
# lines and the syslog lines it caused go to $E2E_DIR/KIND.I.*
one_login() {
	local kind=$1 i=$2 m l s
	use_stack "$kind"
	m=$(wc -l <"$MARKS") l=$(wc -l <"$IDP_LOG") s=$(wc -l <"$E2E_DIR/syslog")
	if [ "$kind" = base ]; then
		E2E_NO_APPROVE=1 e2e_login alice alice approve "$E2E_DIR/$kind.$i.out"
	else
		e2e_login alice alice approve "$E2E_DIR/$kind.$i.out"
	fi
	tail -n +$((m + 1)) "$MARKS" >"$E2E_DIR/$kind.$i.marks"
	tail -n +$((l + 1)) "$IDP_LOG" >"$E2E_DIR/$kind.$i.idp"
	tail -n +$((s + 1)) "$E2E_DIR/syslog" >"$E2E_DIR/$kind.$i.syslog"
}

one_login oidc warm # fills the caches (discovery, JWKS)
for ((i = 0; i < N; i++)); do
	for kind in base oidc trace; do
		one_login "$kind" "$i"
	done
done

echo "login_cost: $N logins of each kind, taking turns, journal: $E2E_JOURNAL_KIND; medians in ms (command: $0 $N)"
python3 - "$E2E_DIR" "$N" "$top_srcdir/tests/bench" <<'PY'
import sys, re, statistics as st
d, n = sys.argv[1], int(sys.argv[2])
sys.dont_write_bytecode = True	# nothing written into the source tree
sys.path.insert(0, sys.argv[3])
from idp_log import kv, token_responses

def token_ms(fn, after_ms):
    # the provider's last successful token response of this login
    t = token_responses(fn)
    return t[-1] if t and t[-1] >= after_ms else None

rows = {}
for kind in ("base", "oidc", "trace"):
    rows[kind] = []
    for i in range(n):
        p = f"{d}/{kind}.{i}"
        o = kv(p + ".out")
        if o.get("result") != "shell" or o.get("user") != "alice":
            continue
        marks = {}
        for l in open(p + ".marks"):
            f = l.split()
            marks.setdefault(f[0], int(f[1]) / 1000.0)
        prompt = int(o["prompt_ms"])
        start = marks.get("success") if kind == "base" else token_ms(p + ".idp", int(o["approved_ms"]))
        if start is None or not all(k in marks for k in ("auth_end", "session_start", "session_end")):
            continue
        r = {"total": prompt - start, "auth": marks["auth_end"] - start,
             "to_session": marks["session_start"] - marks["auth_end"],
             "session": marks["session_end"] - marks["session_start"],
             "to_prompt": prompt - marks["session_end"]}
        if kind == "trace":
            log = open(p + ".syslog", errors="replace").read()
            el = {m.group(1): int(m.group(2)) for m in re.finditer(r"step (\w+) ok after (\d+) ms", log)}
            m = re.search(r"reaped (\d+) us after its answer, pending record written in (\d+) us", log)
            if "token" in el and "mapping" in el and m:
                r["verify"] = el["mapping"] - el["token"]
                r["reap"] = int(m.group(1)) / 1000.0
                r["pending"] = int(m.group(2)) / 1000.0
        rows[kind].append(r)

def med(kind, key):
    v = [r[key] for r in rows[kind] if key in r]
    return st.median(v) if v else float("nan")

b, o, t = (lambda k: med("base", k)), (lambda k: med("oidc", k)), (lambda k: med("trace", k))
print(f"ok logins: base {len(rows['base'])}/{n}, oidc {len(rows['oidc'])}/{n}, trace {len(rows['trace'])}/{n}")
print(f"base  (pass-through success -> prompt): {b('total'):.1f}")
print(f"oidc  (token response -> prompt):       {o('total'):.1f}  extra {o('total') - b('total'):+.1f}, ratio {o('total') / b('total'):.2f}x of the baseline")
print(f"trace (oidc with debug):                {t('total'):.1f}  extra {t('total') - b('total'):+.1f}")
print("segment                                   base    oidc   trace   oidc-base")
for key, name in (("auth", "token/success -> auth returned"), ("to_session", "auth returned -> session stack"),
                  ("session", "pam_oidc session line"), ("to_prompt", "session stack done -> prompt")):
    print(f"  {name:38s} {b(key):6.1f}  {o(key):6.1f}  {t(key):6.1f}  {o(key) - b(key):+7.1f}")
print("inside 'token -> auth returned' (trace):")
print(f"  child verification (token step -> mapping step, ms resolution) {t('verify'):.1f}")
print(f"  child answer -> child reaped                                  {t('reap'):.2f}")
print(f"  pending record written                                        {t('pending'):.2f}")
rest = t("auth") - t("verify") - t("reap") - t("pending")
print(f"  rest (HTTP response to the child, answer lines, return to sshd) {rest:.1f}")
PY
