#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# oidc-child's timing against misbehave.js: slow_down adds 5 s to every later
# poll (RFC 8628 3.5), the provider's interval is clamped, and a provider that
# never answers (token, device authorization or JWKS endpoint) ends at the
# overall deadline (+ at most 1 s).
. "${top_srcdir:?}/tests/child/lib.sh"
command -v node >/dev/null || skip_all "node is not installed"
ct_init

# Gaps in ms between successive token requests in $MB_LOG.
gaps() {
	awk '$2 == "/token" { if (prev) printf "%d ", $1 - prev; prev = $1 }' "$MB_LOG"
}

# slow_down on the first poll, pending on the second, then the token:
# with a 1 s interval the gaps must be ~6 s and ~6 s (the +5 s is kept).
mb_start slow_down
mb_conf
ct_run
ct_expect "slow_down: the login still succeeds" ok 16000
# shellcheck disable=SC2046 # one word per gap
set -- $(gaps)
st=0
[ $# -eq 2 ] || st=1
[ "${1:-0}" -ge 5900 ] && [ "${1:-0}" -le 7500 ] || st=1
[ "${2:-0}" -ge 5900 ] && [ "${2:-0}" -le 7500 ] || st=1
ok $st "slow_down: gaps of $* ms after slow_down (each 6 s = 1 + 5, kept for later polls)"

# the provider's interval wins over poll_interval, clamped to 1..60: 0 -> 1 s
mb_start ok --interval 0 --pending 2
mb_conf poll_interval=5
ct_run
ct_expect "interval 0 from the provider is clamped up" ok 6000
# shellcheck disable=SC2046 # one word per gap
set -- $(gaps)
st=0
for g in "$@"; do
	[ "$g" -ge 900 ] && [ "$g" -le 2000 ] || st=1
done
[ $# -eq 2 ] || st=1
ok $st "interval 0 -> polls every 1 s (gaps $* ms), not the configured 5 s"

# a token endpoint that never answers: fail timeout at the deadline (10 s)
mb_start hang --pending 0
mb_conf timeout=10
ct_run
ct_expect "hanging token endpoint: timeout" timeout 11000
[ "$CT_MS" -ge 9500 ]
ok $? "hanging token endpoint: the child waited for the deadline ($CT_MS ms of 10000)"

# the same for the device authorization and the JWKS requests
for sc in hang_device hang_jwks; do
	mb_start $sc --pending 0
	mb_conf timeout=10
	ct_run
	ct_expect "$sc: timeout at the deadline" timeout 11000
	[ "$CT_MS" -ge 9500 ]
	ok $? "$sc: the child waited for the deadline ($CT_MS ms of 10000)"
done

# the device code expires before the deadline: stop polling at expires_in
mb_start ok --pending 1000 --expires-in 3
mb_conf timeout=30
ct_run
ct_expect "device code expiry (3 s) ends polling before the deadline (30 s)" timeout 4500

finish
