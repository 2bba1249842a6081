#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# oidc-child against the real test OpenID provider (tests/idp, oidc-provider):
# a person approves (or denies) the code with approve.js while the child
# polls, and the child's verdict follows the mapping rules of DESIGN.md step 7.
. "${top_srcdir:?}/tests/child/lib.sh"
idp_available || skip_all "$IDP_SKIP_REASON"
ct_init
idp_start --device-ttl 30 || bail "no provider"
acct_ensure alice || bail "cannot create user alice"

APPROVE="node $top_srcdir/tests/idp/approve.js --issuer $IDP_ISSUER --ca $IDP_CA"
ALICE_SUB=7f6c1a52-alice-0001

idp_conf() {
	rm -rf "$CT_DIR/cache"
	ct_conf "$CT_DIR/conf" "issuer=$IDP_ISSUER" client_id=test-rs256 "ca_file=$IDP_CA" \
		"cache_dir=$CT_DIR/cache" poll_interval=1 timeout=30 "$@"
}

# run_as ACCOUNT [approve options] -- [driver options]
run_as() {
	local account=$1 aopts=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		aopts+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	ct_run --on-shown "$APPROVE ${aopts[*]} \"\$USER_CODE\" $account >$CT_DIR/approve.out 2>&1" "$@"
}

# 1-3: alice for alice
idp_conf
run_as alice -- --user alice
ct_expect "alice approves for alice" ok 15000
st=0
grep -qx "subject $ALICE_SUB" "$CT_OUT" && grep -qx 'user alice' "$CT_OUT" &&
	grep -qx 'username alice' "$CT_OUT" && grep -qx 'email alice@example.test' "$CT_OUT" &&
	grep -qx "issuer $IDP_ISSUER" "$CT_OUT" || st=1
ok $st "alice's identity: issuer, subject $ALICE_SUB, username, email"
st=0
grep -q "^verification_uri $IDP_ISSUER/device\$" "$CT_OUT" && grep -q '^user_code ' "$CT_OUT" &&
	! grep -q '^verification_uri_complete' "$CT_OUT" || st=1
ok $st "the module gets the link and code, not the complete URI (show_complete_uri off)"

# 4: denied at the consent page -> access_denied
idp_conf
run_as alice --deny=consent -- --user alice
ct_expect "alice denies at the provider" denied 15000

# 5-6: alice approving for another account
idp_conf
run_as alice -- --user bob
ct_expect "alice approving for PAM_USER=bob" user 15000
idp_conf
run_as alice -- --user root
ct_expect "alice approving for PAM_USER=root" user 15000

# 7: carol's email is unverified
idp_conf username_claim=email username_domain=example.test
run_as carol -- --user carol
ct_expect "carol with username_claim=email (email_verified false)" claim 15000
# 8: the same rule admits alice, whose email is verified
idp_conf username_claim=email username_domain=example.test
run_as alice -- --user alice
ct_expect "alice with username_claim=email, username_domain=example.test" ok 15000
# 9: ... and a domain that is not exactly hers refuses
idp_conf username_claim=email username_domain=example
run_as alice -- --user alice
ct_expect "alice with username_domain=example (not example.test)" user 15000

# 10: dave has no preferred_username: no fallback to email or sub
idp_conf
run_as dave -- --user dave
ct_expect "dave without preferred_username: no fallback" claim 15000

# 11: root-imposter claims preferred_username root: an allow-list stops it
idp_conf "allowed_subjects=$ALICE_SUB"
run_as root-imposter -- --user root
ct_expect "root-imposter for root with allowed_subjects=alice" denied 15000

# 12-13: allowed_groups
idp_conf allowed_groups=admins
run_as alice -- --user alice
ct_expect "alice in allowed_groups=admins" ok 15000
idp_conf allowed_groups=nobody-group
run_as alice -- --user alice
ct_expect "alice not in allowed_groups=nobody-group" denied 15000

# 14-15: user_map_file maps (issuer, subject) -> local user, nothing else
(umask 022; printf '# test map\n%s %s alice\n' "$IDP_ISSUER" "$ALICE_SUB" >"$CT_DIR/map")
idp_conf "user_map_file=$CT_DIR/map"
run_as alice -- --user alice
ct_expect "user_map_file maps alice's subject to alice" ok 15000
idp_conf "user_map_file=$CT_DIR/map"
run_as bob -- --user alice
ct_expect "user_map_file: bob's subject is not in the map" user 15000

# 16: a confidential client (client_secret_basic) with the secret in a root-only file
(umask 077; printf 'test-client-secret-not-for-production\n' >"$CT_DIR/secret")
idp_conf client_id=test-secret "client_secret_file=$CT_DIR/secret"
run_as alice -- --user alice
ct_expect "client test-secret with client_secret_file" ok 15000

# 17: the ID token is signed with EdDSA for this client
idp_conf client_id=test-eddsa
run_as alice -- --user alice
ct_expect "EdDSA-signed ID token (client test-eddsa)" ok 15000

# 18-20: one TLS connection per login: discovery, JWKS, the device request
# and every poll come on one connection of the provider's access log
# (conn=N); with fresh caches, no discovery or JWKS request at all.
# child_requests: the child's requests in the provider's log after line $1.
child_requests() {
	tail -n +$(($1 + 1)) "$IDP_LOG" |
		grep -E ' (GET /\.well-known/openid-configuration|GET /jwks|POST /device/auth|POST /token) '
}
conns() { sed -n 's/.* conn=\([0-9?]*\)$/\1/p' | sort -u | grep -c .; }
idp_conf
mark=$(wc -l <"$IDP_LOG")
ct_run --on-shown "sleep 2.5; $APPROVE \"\$USER_CODE\" alice >$CT_DIR/approve.out 2>&1" --user alice
ct_expect "alice approves after 2.5 s (cold caches)" ok 20000
child_requests "$mark" >"$CT_DIR/reqs"
polls=$(grep -c ' POST /token ' "$CT_DIR/reqs")
[ "$polls" -ge 2 ] && [ "$(grep -c 'openid-configuration\| GET /jwks ' "$CT_DIR/reqs")" = 2 ] &&
	[ "$(conns <"$CT_DIR/reqs")" = 1 ]
ok $? "cold caches: discovery, JWKS, the device request and $polls polls on one TLS connection" "$(cat "$CT_DIR/reqs")"
# the same configuration, its caches now fresh
mark=$(wc -l <"$IDP_LOG")
ct_run --on-shown "sleep 2.5; $APPROVE \"\$USER_CODE\" alice >$CT_DIR/approve.out 2>&1" --user alice
child_requests "$mark" >"$CT_DIR/reqs"
polls=$(grep -c ' POST /token ' "$CT_DIR/reqs")
[ "$(ct_verdict)" = ok ] && [ "$polls" -ge 2 ] && [ "$(grep -c ' POST /device/auth ' "$CT_DIR/reqs")" = 1 ] &&
	[ "$(wc -l <"$CT_DIR/reqs")" = $((1 + polls)) ] && [ "$(conns <"$CT_DIR/reqs")" = 1 ]
ok $? "fresh caches: 1 + $polls requests (no discovery, no JWKS), on one TLS connection" "$(cat "$CT_DIR/reqs")"

# 21: the person never comes: the device code expires (device-ttl 30 > timeout 10)
idp_conf timeout=10
ct_run --user alice
ct_expect "nobody approves: timeout at the 10 s deadline" timeout 11000

finish
