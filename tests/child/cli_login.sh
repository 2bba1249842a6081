#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam-oidc login end to end against the real test provider: the
# administrator's dry run prints every step with its time, the link and the
# code; a person approves in the background; exit 0 = would be admitted,
# 1 = would not, 2 = usage or configuration error.
. "$top_srcdir/tests/child/lib.sh"
. "$top_srcdir/tests/idp/lib.sh"
idp_available || { echo "1..0 # SKIP $IDP_SKIP_REASON"; exit 0; }
ct_init
idp_start --device-ttl 30 || { echo "Bail out! no provider"; exit 1; }
ct_ensure_user alice || { echo "Bail out! cannot create user alice"; exit 1; }
PAM_OIDC=$top_builddir/pam_oidc/pam-oidc
CONF=$CT_DIR/conf
ct_conf "$CONF" "issuer=$IDP_ISSUER" client_id=test-es256 "ca_file=$IDP_CA" \
	"cache_dir=$CT_DIR/cache" poll_interval=1 timeout=20

# login USER ACCOUNT [approve options]: runs pam-oidc login, approves the
# code it prints; sets RC and OUT.
login() {
	local user=$1 account=$2 pid code i
	shift 2
	OUT=$CT_DIR/login.out
	"$PAM_OIDC" login --config "$CONF" --user "$user" >"$OUT" 2>&1 &
	pid=$!
	CT_PIDS+=($pid)
	code=
	for ((i = 0; i < 100; i++)); do
		code=$(sed -n 's/^ *and enter the code  *//p' "$OUT")
		[ -n "$code" ] && break
		sleep 0.1
	done
	[ -n "$code" ] && node "$top_srcdir/tests/idp/approve.js" --issuer "$IDP_ISSUER" \
		--ca "$IDP_CA" "$@" "$code" "$account" >"$CT_DIR/approve.out" 2>&1
	wait "$pid"
	RC=$?
}

# show OUT as diagnostics when a check fails
check() {
	local st=$1
	CT_OUT=$OUT
	ct_ok "$st" "$2"
}

login alice alice
check $([ $RC -eq 0 ]; echo $?) "alice approves for alice: exit 0 (got $RC)"
st=0
for step in discovery "device code" waiting token signature claims mapping; do
	grep -Eq "^\[ *[0-9]+\.[0-9]{3}s\] $step +ok" "$OUT" || st=1
done
check $st "every step printed with its elapsed time and ok"
grep -q "^ *To sign in, open  $IDP_ISSUER/device\$" "$OUT" && grep -Eqx '\[ *[0-9]+\.[0-9]{3}s\] verdict +ADMIT alice' "$OUT" &&
	grep -q '^ *subject   7f6c1a52-alice-0001$' "$OUT"
check $? "the link, the verdict and alice's subject are shown"

! grep -q '[▀▄█]' "$OUT"
check $? "qr = auto and stdout not a terminal: no QR code"

echo 'qr = on' >>"$CONF"
login bob alice
check $([ $RC -eq 1 ]; echo $?) "alice approves for --user bob: exit 1 (got $RC)"
n=$(grep -c '[▀▄█]' "$OUT")
[ "$n" -ge 10 ] && grep -q "^ *To sign in, open  $IDP_ISSUER/device\$" "$OUT"
check $? "qr = on: a QR code of $n lines besides the link"
grep -Eq '^\[ *[0-9.]+s\] mapping +FAILED' "$OUT" && grep -Eq '^\[ *[0-9.]+s\] verdict +REFUSE bob \(user mismatch' "$OUT"
check $? "the mapping step fails and the verdict says why"

login alice alice --deny=consent
check $([ $RC -eq 1 ]; echo $?) "denied at the provider: exit 1 (got $RC)"
grep -Eq '^\[ *[0-9.]+s\] waiting +FAILED +access denied' "$OUT"
check $? "the waiting step reports the denial"

OUT=$CT_DIR/usage.out
"$PAM_OIDC" login --bogus >"$OUT" 2>&1
check $([ $? -eq 2 ]; echo $?) "unknown option: exit 2"
"$PAM_OIDC" login --config "$CT_DIR/missing.conf" --user alice >"$OUT" 2>&1
check $([ $? -eq 2 ]; echo $?) "missing configuration file: exit 2"
(umask 022; printf 'secret\n' >"$CT_DIR/secret")
cp "$CONF" "$CT_DIR/conf2"
echo "client_secret_file = $CT_DIR/secret" >>"$CT_DIR/conf2"
"$PAM_OIDC" login --config "$CT_DIR/conf2" --user alice >"$OUT" 2>&1
rc=$?
check $([ $rc -eq 2 ]; echo $?) "client_secret_file readable by others: exit 2 (got $rc)"
"$PAM_OIDC" login --config "$CONF" --user 'bad name' >"$OUT" 2>&1
check $([ $? -eq 2 ]; echo $?) "invalid user name: exit 2"

echo "1..$CT_N"
exit 0
