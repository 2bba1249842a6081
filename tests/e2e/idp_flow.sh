#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The test OpenID provider itself (tests/idp): the facts the login tests
# rely on.  A device flow approved in the scripted browser yields an ID
# token with the account's claims; denial at each step gives access_denied;
# an unknown account or wrong password cannot approve; an unknown user code
# is refused; a device code is single-use (invalid_grant on replay) and
# expires (expired_token); client secrets are checked; the JWKS publishes
# no private key.  Raw HTTP with curl, so nothing here trusts our helpers
# beyond approve.js, which is under test.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/idp/lib.sh"

idp_available || skip_all "$IDP_SKIP_REASON"

check() { # check NAME COMMAND...: one test, passed when COMMAND succeeds
	local name=$1
	shift
	"$@"
	ok $? "$name"
}

# exits CODE COMMAND...: true when COMMAND (output discarded) exits with CODE.
exits() {
	local want=$1
	shift
	"$@" >/dev/null 2>&1
	[ $? = "$want" ]
}

at_exit idp_stop

plan 24

idp_start || bail "the test provider did not start"

CURL=(curl -s --max-time 10 --noproxy '*' --cacert "$IDP_CA")
DISCO=$("${CURL[@]}" "$IDP_ISSUER/.well-known/openid-configuration")
DA_EP=$(idp_json_get device_authorization_endpoint <<<"$DISCO")
TOKEN_EP=$(idp_json_get token_endpoint <<<"$DISCO")
check "discovery names the issuer and a device endpoint" \
	test "$(idp_json_get issuer <<<"$DISCO")" = "$IDP_ISSUER" -a "$DA_EP" = "$IDP_ISSUER/device/auth"

jwks=$("${CURL[@]}" "$(idp_json_get jwks_uri <<<"$DISCO")")
kids=$(node -e 'const k = JSON.parse(process.argv[1]).keys;
	if (k.some((x) => ["d", "p", "q", "dp", "dq", "qi"].some((m) => m in x))) process.exit(1);
	console.log(k.map((x) => x.kid).sort().join(","));' "$jwks")
check "JWKS has the four fixed test keys and no private parts" \
	test "$kids" = "test-eddsa,test-es256,test-ps256,test-rs256"

# device_authorization CLIENT [curl args...] -> JSON
device_authorization() {
	local client=$1
	shift
	"${CURL[@]}" -d client_id="$client" -d scope="openid profile email" "$@" "$DA_EP"
}
# token DEVICE_CODE CLIENT -> JSON
token() {
	"${CURL[@]}" -d grant_type=urn:ietf:params:oauth:grant-type:device_code \
		-d client_id="$2" -d device_code="$1" "$TOKEN_EP"
}
payload() { # the decoded payload of a JWT
	node -e 'process.stdout.write(Buffer.from(process.argv[1].split(".")[1], "base64url"))' "$1"
}

# --- approve as alice, by hand (curl + approve.js)
da=$(device_authorization test-es256)
dc=$(idp_json_get device_code <<<"$da")
uc=$(idp_json_get user_code <<<"$da")
check "device authorization gives a device code and a user code" \
	test -n "$dc" -a -n "$uc" -a "$(idp_json_get verification_uri <<<"$da")" = "$IDP_ISSUER/device"
check "token endpoint says authorization_pending before approval" \
	test "$(token "$dc" test-es256 | idp_json_get error)" = authorization_pending
check "approve.js approves as alice" idp_approve --uri "$(idp_json_get verification_uri <<<"$da")" "$uc" alice
tok=$(token "$dc" test-es256)
idt=$(idp_json_get id_token <<<"$tok")
claims=$(payload "$idt" 2>/dev/null)
check "approved: the token response carries an ID token" test -n "$idt"
check "ID token has alice's subject, claims and auth_time" node -e '
	const c = JSON.parse(process.argv[1]);
	const ok = c.sub === "7f6c1a52-alice-0001" && c.preferred_username === "alice"
		&& c.email === "alice@example.test" && c.email_verified === true
		&& JSON.stringify(c.groups) === "[\"admins\",\"dev\"]"
		&& c.aud === "test-es256" && c.iss === process.argv[2]
		&& Number.isInteger(c.auth_time) && Math.abs(c.auth_time - Date.now() / 1000) < 120;
	process.exit(ok ? 0 : 1);' "$claims" "$IDP_ISSUER"
check "ID token header names ES256 and the test kid" \
	test "$(node -e 'process.stdout.write(Buffer.from(process.argv[1].split(".")[0], "base64url"))' "$idt")" \
	= '{"alg":"ES256","kid":"test-es256"}'
check "a replayed device code gets invalid_grant" \
	test "$(token "$dc" test-es256 | idp_json_get error)" = invalid_grant
check "approve.js cannot reuse a consumed user code" \
	exits 1 idp_approve "$uc" alice

# --- denial at each step of the browser flow, and failed sign-ins
for step in confirm login consent; do
	err=$(idp_device_token --deny="$step" bob 2>&1 >/dev/null)
	check "deny at $step: token error access_denied" test "$err" = "device-token.js: token error: access_denied"
done
da=$(device_authorization test-rs256)
uc=$(idp_json_get user_code <<<"$da")
check "approve.js fails for an unknown account" exits 1 idp_approve "$uc" mallory
check "approve.js fails with a wrong password" \
	exits 1 idp_approve --password nope "$uc" alice
check "the code still waits after failed sign-ins" \
	test "$(token "$(idp_json_get device_code <<<"$da")" test-rs256 | idp_json_get error)" = authorization_pending
check "approve.js refuses an unknown user code" exits 1 idp_approve BCDF-GHJK alice

# --- accounts with odd claims
c=$(payload "$(idp_device_token dave)")
check "dave's ID token has no preferred_username" \
	test -n "$(idp_json_get sub <<<"$c")" -a -z "$(idp_json_get preferred_username <<<"$c")"
c=$(payload "$(idp_device_token carol)")
check "carol's email is not verified" test "$(idp_json_get email_verified <<<"$c")" = false

# --- client secrets
c=$(payload "$(idp_device_token --client test-secret --secret test-client-secret-not-for-production bob)")
check "confidential client: right secret gets bob's token, without auth_time" \
	test "$(idp_json_get sub <<<"$c")" = 2b9e44d0-bob-0002 -a -z "$(idp_json_get auth_time <<<"$c")"
check "confidential client: wrong secret is invalid_client" \
	test "$(device_authorization test-secret -u test-secret:wrong | idp_json_get error)" = invalid_client

# --- several codes at once (approve.js --batch), each as its own person
declare -a dcs=()
lines=
for who in alice bob "carol deny=login"; do
	da=$(device_authorization test-eddsa)
	dcs+=("$(idp_json_get device_code <<<"$da")")
	lines+="$(idp_json_get user_code <<<"$da") $who"$'\n'
done
check "approve.js --batch: two approvals and a denial, concurrently" exits 0 idp_approve --batch <<<"$lines"
got=$(for d in "${dcs[@]}"; do
	r=$(token "$d" test-eddsa)
	e=$(idp_json_get error <<<"$r")
	if [ -n "$e" ]; then echo "$e"; else payload "$(idp_json_get id_token <<<"$r")" | idp_json_get sub; echo; fi
done | tr '\n' ' ')
check "--batch: each code got its own account's token or the denial" \
	test "$got" = "7f6c1a52-alice-0001 2b9e44d0-bob-0002 access_denied "

# --- expiry: a provider whose device codes live 2 seconds
idp_stop
idp_start --device-ttl 2 || bail "the test provider did not restart"
CURL=(curl -s --max-time 10 --noproxy '*' --cacert "$IDP_CA")
DA_EP=$IDP_ISSUER/device/auth
TOKEN_EP=$IDP_ISSUER/token
da=$(device_authorization test-rs256)
sleep 2.5
check "an unapproved device code expires: expired_token" \
	test "$(token "$(idp_json_get device_code <<<"$da")" test-rs256 | idp_json_get error)" = expired_token

finish
