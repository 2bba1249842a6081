#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The provider's load per login (issue 13, item 2): requests and TLS
# connections (handshakes) per login through the real sshd, counted in the
# test provider's access log (tests/idp/server.js numbers its connections,
# conn=N), with warm caches and with cold ones (cache_dir emptied before
# the login), and the shortest gap between two polls against the
# interval.  The baseline of the same run is one connection per request
# (what every login cost before the connection was shared): the ratio
# connections / requests says how much of it is left.  The person approves
# 3.5 s after the code is shown, so that each login polls several times.  Root, like the sshd
# end-to-end tests; not part of make check:
#
#     make bench-provider                 # in a build folder, as root
#     top_srcdir=SRC top_builddir=BUILD bash tests/bench/provider_load.sh [N]
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/sshd_lib.sh"
e2e_init >/dev/null || { echo "provider_load: cannot run here (needs root, sshd, node)"; exit 1; }
N=${1:-10}
POLL_MS=1000
# the person approves 3.5 s after the code is shown: three or four polls
DELAY_MS=3500

e2e_users alice || exit 1
e2e_journald || exit 1
idp_start || exit 1
e2e_sshd_start || exit 1

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# login_load KIND: one login; appends "requests connections polls
# discovery+jwks min_poll_gap_ms" of the child's requests to $E2E_DIR/KIND.
login_load() {
	local mark
	mark=$(wc -l <"$IDP_LOG")
	E2E_APPROVE_DELAY_MS=$DELAY_MS e2e_login alice alice approve "$E2E_DIR/login.out"
	[ "$(e2e_get result "$E2E_DIR/login.out")" = shell ] || { echo "provider_load: a login failed" >&2; return 1; }
	tail -n +$((mark + 1)) "$IDP_LOG" |
		grep -E ' (GET /\.well-known/openid-configuration|GET /jwks|POST /device/auth|POST /token) ' |
		awk '
		function ms(ts,   t, d, s) {
			# 2026-12-01T14:00:00.123Z -> ms of the day
			split(substr(ts, 12, 12), t, ":")
			return ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000
		}
		{ n++; c[$NF] = 1 }
		$2 == "GET" { meta++ }
		$2 == "POST" && $3 == "/token" { polls++; t = ms($1); if (last != "" && (gap == "" || t - last < gap)) gap = t - last; last = t }
		END { for (k in c) nc++; printf "%d %d %d %d %s\n", n, nc, polls, meta, gap == "" ? "-" : gap }' >>"$E2E_DIR/$1"
}

: >"$E2E_DIR/warm"
: >"$E2E_DIR/cold"
login_load warm || exit 1 # fills the caches
: >"$E2E_DIR/warm"
for ((i = 0; i < N; i++)); do
	login_load warm || exit 1
done
for ((i = 0; i < N; i++)); do
	rm -rf "${E2E_DIR:?}/cache/"*
	login_load cold || exit 1
done

report() {
	local f=$E2E_DIR/$1
	printf '%s caches, %d logins: per login median %s requests (%s polls, %s discovery+JWKS), %s TLS connections; ' \
		"$1" "$(wc -l <"$f")" "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f3 "$f" | median)" \
		"$(cut -d' ' -f4 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)"
	printf 'connections/requests %s (baseline: one connection per request = 1); requests = 1 + polls in %s of %s; shortest poll gap %s ms (interval %d ms)\n' \
		"$(awk '{ r += $1; c += $2 } END { printf "%.2f", c / r }' "$f")" \
		"$(awk '$1 == 1 + $3 + $4 { k++ } END { print k + 0 }' "$f")" "$(wc -l <"$f")" \
		"$(awk '$5 != "-" { print $5 }' "$f" | sort -n | head -n 1)" "$POLL_MS"
}
report warm
report cold
