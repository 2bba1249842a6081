# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Helpers for the oidc-child tests: the scripted misbehaving provider
# (tests/idp/misbehave.js), configuration files, and running oidc-child
# through tests/child/child_driver as pam_oidc.so would.  TAP output,
# accounts and processes come from tests/lib/.
#
#     . "$top_srcdir/tests/child/lib.sh"
#     ct_init            # private directory $CT_DIR, cleanup at exit
#     mb_start SCENARIO [misbehave.js options]   # exports MB_ISSUER, MB_LOG
#     ct_conf FILE key=value...                  # root-owned 0600 config file
#     ct_run [child_driver options]              # output in $CT_OUT, timing in $CT_MS
#     ct_expect NAME VERDICT [MAX_MS]            # one TAP line for the last run
#     finish

. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/lib/accounts.sh"
. "$top_srcdir/tests/idp/lib.sh"

CHILD=${top_builddir:?}/pam_oidc/oidc-child
DRIVER=$top_builddir/tests/child/child_driver

# ct_init: the private directory $CT_DIR with a test CA in $CT_DIR/certs;
# what the test starts (spawn, mb_start, idp_start) or creates (acct_ensure)
# is undone at exit, then $CT_DIR removed.
ct_init() {
	CT_DIR=$(mktemp -d /tmp/pam_oidc-child.XXXXXX) || exit 1
	chmod 700 "$CT_DIR"
	at_exit rm -rf "$CT_DIR"
	at_exit ct_cleanup
	sh "$top_srcdir/tests/lib/mkcerts.sh" "$CT_DIR/certs" || bail "mkcerts"
}

ct_cleanup() {
	reap
	acct_cleanup
	idp_stop
}

# Start misbehave.js with SCENARIO; exports MB_ISSUER, MB_PORT, MB_LOG.
mb_start() {
	mb_launch "$CT_DIR" "$CT_DIR/certs" "$@"
}

# ct_conf FILE key=value... : a root-owned 0600 configuration file.
ct_conf() {
	local f=$1 kv
	shift
	(umask 077; : >"$f")
	for kv in "$@"; do
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$f"
	done
}

# The usual configuration for misbehave.js in $CT_DIR/conf (extra key=value override).
mb_conf() {
	rm -rf "$CT_DIR/cache"
	ct_conf "$CT_DIR/conf" "issuer=$MB_ISSUER" client_id=misbehave \
		"ca_file=$CT_DIR/certs/ca.pem" "cache_dir=$CT_DIR/cache" poll_interval=1 timeout=20 "$@"
}

# Run the child through the driver; output in $CT_OUT (shown under a
# failed test), child stderr in $CT_ERR, wall time in $CT_MS (from the
# driver's own clock).
ct_run() {
	CT_OUT=$CT_DIR/out
	TAP_LOG=$CT_OUT
	CT_ERR=$CT_DIR/child.err
	"$DRIVER" --config "$CT_DIR/conf" --stderr "$CT_ERR" "$@" "$CHILD" >"$CT_OUT" 2>&1
	CT_MS=$(sed -n 's/^elapsed_ms //p' "$CT_OUT")
	[ -n "$CT_MS" ] || CT_MS=999999
}

# The child's verdict: "ok" or the fail reason token.
ct_verdict() {
	if grep -qx 'ok' "$CT_OUT"; then
		echo ok
	else
		sed -n 's/^fail \([a-z_]*\) .*/\1/p' "$CT_OUT" | head -n 1
	fi
}

# ct_expect NAME VERDICT [MAX_MS]: one TAP line for the last run.
ct_expect() {
	local name=$1 want=$2 max=${3:-}
	local got st=0
	got=$(ct_verdict)
	[ "$got" = "$want" ] || st=1
	if [ "$want" = ok ]; then
		grep -qx 'exit 0' "$CT_OUT" || st=1
	else
		grep -qx 'exit 1' "$CT_OUT" || st=1
	fi
	if [ -n "$max" ] && [ "$CT_MS" -gt "$max" ]; then
		st=1
	fi
	ok $st "$name (want $want, got ${got:-nothing}, ${CT_MS} ms)"
}
