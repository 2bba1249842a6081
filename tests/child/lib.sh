# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Helpers for the oidc-child tests: TAP output, the scripted misbehaving
# provider (tests/idp/misbehave.js), configuration files, and running
# oidc-child through tests/child/child_driver as pam_oidc.so would.
#
#     . "$top_srcdir/tests/child/lib.sh"
#     ct_init            # private directory $CT_DIR, cleanup trap, TAP counter
#     mb_start SCENARIO [misbehave.js options]   # exports MB_ISSUER, MB_LOG
#     ct_conf FILE key=value...                  # root-owned 0600 config file
#     ct_run [child_driver options]              # output in $CT_OUT, timing in $CT_MS

. "${top_srcdir:?}/tests/idp/lib.sh"

CHILD=${top_builddir:?}/pam_oidc/oidc-child
DRIVER=$top_builddir/tests/child/child_driver
CT_N=0
CT_FAILED=0
CT_USERS_CREATED=()
CT_PIDS=()

ct_cleanup() {
	local p u
	for p in "${CT_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	CT_PIDS=()
	for u in "${CT_USERS_CREATED[@]}"; do
		userdel "$u" 2>/dev/null
	done
	CT_USERS_CREATED=()
	[ -n "${CT_DIR:-}" ] && rm -rf "$CT_DIR"
	declare -F idp_stop >/dev/null && idp_stop
	return 0
}

ct_init() {
	CT_DIR=$(mktemp -d /tmp/pam_oidc-child.XXXXXX) || exit 1
	chmod 700 "$CT_DIR"
	trap ct_cleanup EXIT
	trap 'exit 1' INT TERM
	sh "$top_srcdir/tests/lib/mkcerts.sh" "$CT_DIR/certs" || { echo "Bail out! mkcerts"; exit 1; }
}

# ok CONDITION-STATUS NAME [diagnostic file]
ct_ok() {
	local st=$1 name=$2
	CT_N=$((CT_N + 1))
	if [ "$st" -eq 0 ]; then
		echo "ok $CT_N - $name"
	else
		echo "not ok $CT_N - $name"
		CT_FAILED=1
		if [ -n "${CT_OUT:-}" ] && [ -f "$CT_OUT" ]; then
			sed 's/^/# /' "$CT_OUT"
		fi
	fi
}

# Create local user NAME for the test when it does not exist (removed at exit).
ct_ensure_user() {
	# tests creating the provider's accounts take turns (tests/pam/pam_oidc.sh)
	if [ -z "${CT_LOCK_FD:-}" ]; then
		exec {CT_LOCK_FD}>>/tmp/pam_oidc-test-accounts.lock
		flock -w 900 "$CT_LOCK_FD" || return 1
	fi
	if ! getent passwd "$1" >/dev/null; then
		useradd -M -N -s /usr/sbin/nologin -d /nonexistent "$1" || return 1
		CT_USERS_CREATED+=("$1")
	fi
}

# Start misbehave.js with SCENARIO; exports MB_ISSUER, MB_PORT, MB_LOG.
mb_start() {
	mb_launch "$CT_DIR" "$CT_DIR/certs" "$@" || return 1
	CT_PIDS+=("$MB_PID")
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

# Run the child through the driver; output in $CT_OUT, child stderr in
# $CT_ERR, wall time in $CT_MS (from the driver's own clock).
ct_run() {
	CT_OUT=$CT_DIR/out
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
	ct_ok $st "$name (want $want, got ${got:-nothing}, ${CT_MS} ms)"
}
