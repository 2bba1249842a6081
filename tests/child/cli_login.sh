#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam-oidc login end to end against the real test provider: the
# administrator's dry run prints every step with its time, the link and the
# code; a person approves in the background; exit 0 = would be admitted,
# 1 = would not, 2 = usage or configuration error.
. "${top_srcdir:?}/tests/child/lib.sh"
idp_available || skip_all "$IDP_SKIP_REASON"
ct_init
idp_start --device-ttl 30 || bail "no provider"
acct_ensure alice || bail "cannot create user alice"
PAM_OIDC=$top_builddir/pam_oidc/pam-oidc
CONF=$CT_DIR/conf
ct_conf "$CONF" "issuer=$IDP_ISSUER" client_id=test-es256 "ca_file=$IDP_CA" \
	"cache_dir=$CT_DIR/cache" poll_interval=1 timeout=20

# login USER ACCOUNT [approve options]: runs pam-oidc login, approves the
# code it prints; sets RC and OUT (shown under a failed test).
login() {
	local user=$1 account=$2 pid code
	shift 2
	OUT=$CT_DIR/login.out
	TAP_LOG=$OUT
	spawn "$PAM_OIDC" login --config "$CONF" --user "$user" >"$OUT" 2>&1
	pid=$!
	wait_for 10 code_shown
	[ -n "$code" ] && node "$top_srcdir/tests/idp/approve.js" --issuer "$IDP_ISSUER" \
		--ca "$IDP_CA" "$@" "$code" "$account" >"$CT_DIR/approve.out" 2>&1
	wait "$pid"
	RC=$?
}

# code_shown: pam-oidc login printed the code; sets code (login's).
code_shown() {
	code=$(sed -n 's/^ *and enter the code  *//p' "$OUT")
	[ -n "$code" ]
}

login alice alice
[ "$RC" -eq 0 ]
ok $? "alice approves for alice: exit 0 (got $RC)"
st=0
for step in discovery "device code" waiting token signature claims mapping; do
	grep -Eq "^\[ *[0-9]+\.[0-9]{3}s\] $step +ok" "$OUT" || st=1
done
ok $st "every step printed with its elapsed time and ok"
grep -q "^ *To sign in, open  $IDP_ISSUER/device\$" "$OUT" && grep -Eqx '\[ *[0-9]+\.[0-9]{3}s\] verdict +ADMIT alice' "$OUT" &&
	grep -q '^ *subject   7f6c1a52-alice-0001$' "$OUT"
ok $? "the link, the verdict and alice's subject are shown"

! grep -q '[▀▄█]' "$OUT"
ok $? "qr = auto and stdout not a terminal: no QR code"

echo 'qr = on' >>"$CONF"
login bob alice
[ "$RC" -eq 1 ]
ok $? "alice approves for --user bob: exit 1 (got $RC)"
n=$(grep -c '[▀▄█]' "$OUT")
[ "$n" -ge 10 ] && grep -q "^ *To sign in, open  $IDP_ISSUER/device\$" "$OUT"
ok $? "qr = on: a QR code of $n lines besides the link"
grep -Eq '^\[ *[0-9.]+s\] mapping +FAILED' "$OUT" && grep -Eq '^\[ *[0-9.]+s\] verdict +REFUSE bob \(user mismatch' "$OUT"
ok $? "the mapping step fails and the verdict says why"

login alice alice --deny=consent
[ "$RC" -eq 1 ]
ok $? "denied at the provider: exit 1 (got $RC)"
grep -Eq '^\[ *[0-9.]+s\] waiting +FAILED +access denied' "$OUT"
ok $? "the waiting step reports the denial"

OUT=$CT_DIR/usage.out
TAP_LOG=$OUT
"$PAM_OIDC" login --bogus >"$OUT" 2>&1
[ $? -eq 2 ]
ok $? "unknown option: exit 2"
"$PAM_OIDC" login --config "$CT_DIR/missing.conf" --user alice >"$OUT" 2>&1
[ $? -eq 2 ]
ok $? "missing configuration file: exit 2"
(umask 022; printf 'secret\n' >"$CT_DIR/secret")
cp "$CONF" "$CT_DIR/conf2"
echo "client_secret_file = $CT_DIR/secret" >>"$CT_DIR/conf2"
"$PAM_OIDC" login --config "$CT_DIR/conf2" --user alice >"$OUT" 2>&1
rc=$?
[ "$rc" -eq 2 ]
ok $? "client_secret_file readable by others: exit 2 (got $rc)"
"$PAM_OIDC" login --config "$CONF" --user 'bad name' >"$OUT" 2>&1
[ $? -eq 2 ]
ok $? "invalid user name: exit 2"

finish
