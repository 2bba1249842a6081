#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# oidc-child against the scripted misbehaving provider (tests/idp/misbehave.js):
# every misbehaviour ends in its documented verdict, quickly, and the device
# code never leaves the child.
. "${top_srcdir:?}/tests/child/lib.sh"
command -v node >/dev/null || skip_all "node is not installed"
ct_init

# scenario verdict [max ms]
for row in "ok ok 4000" "expired_token timeout 4000" "access_denied denied 4000" "denied_403 denied 4000" \
	"invalid_grant http 4000" "oversized too_large 4000" "malformed malformed 4000" \
	"dupkey malformed 4000" "http500 http 4000" "no_id_token malformed 4000" \
	"badsig signature 4000" "wrong_aud audience 4000" "wrong_iss issuer 4000" \
	"device_ctl malformed 2000" "device_http malformed 2000" "device_500 http 2000"; do
	set -- $row
	pend=0
	[ "$1" = ok ] && pend=1
	mb_start "$1" --pending $pend || bail "misbehave.js"
	mb_conf
	ct_run
	ct_expect "$1" "$2" "$3"
	case $1 in
	ok)
		st=0
		grep -qx 'user daemon' "$CT_OUT" && grep -qx 'subject sub-daemon' "$CT_OUT" &&
			grep -qx "issuer $MB_ISSUER" "$CT_OUT" && grep -qx 'email daemon@example.test' "$CT_OUT" &&
			grep -q '^auth_time [0-9][0-9]*$' "$CT_OUT" || st=1
		# RFC 8628: one pending answer, then the token, one interval apart
		n=$(grep -c ' /token ' "$MB_LOG")
		[ "$n" -eq 2 ] || st=1
		ok $st "ok: the identity lines carry the token's claims, $n token requests"
		code=$(sed -n 's/.*device_code=//p' "$MB_LOG")
		st=0
		[ -n "$code" ] || st=1
		grep -qF -- "$code" "$CT_OUT" "$CT_ERR" && st=1
		[ -s "$CT_ERR" ] && st=1
		ok $st "ok: no device code in the protocol, nothing on stderr"
		sig=$(sed -n 's/.*id_token_sig=\([^ ]*\).*/\1/p' "$MB_LOG")
		at=$(sed -n 's/.*access_token=\([^ ]*\).*/\1/p' "$MB_LOG")
		st=0
		[ -n "$sig" ] && [ -n "$at" ] || st=1
		grep -qF -e "$sig" -e "$at" "$CT_OUT" "$CT_ERR" && st=1
		ok $st "ok: neither the ID token nor the access token leaves the child"
		;;
	badsig)
		# the set was fetched for this login: a bad signature is final, no refetch
		n=$(grep -c ' /jwks ' "$MB_LOG")
		[ "$n" -eq 1 ]
		ok $? "badsig: no refetch of a key set fetched just now ($n JWKS fetch)"
		;;
	device_ctl | device_http | device_500)
		st=0
		grep -q '^user_code' "$CT_OUT" && st=1
		grep -q ' /token ' "$MB_LOG" && st=1
		ok $st "$1: nothing shown, the token endpoint never polled"
		;;
	esac
done

# key rotation: unknown kid -> one JWKS refetch -> ok
mb_start rotate --pending 0 && mb_conf && ct_run
ct_expect "rotate: new kid accepted after one refetch" ok 4000
n=$(grep -c ' /jwks ' "$MB_LOG")
[ "$n" -eq 2 ]
ok $? "rotate: exactly two JWKS fetches ($n)"

# a key replaced under the same kid: the first login after the change
# verifies against the cached set, fails, refetches once and is admitted;
# the replaced key then no longer verifies
mb_start rotate_same_kid --pending 0 && mb_conf && ct_run
ct_expect "rotate_same_kid: login with the first key" ok 4000
ct_run
ct_expect "rotate_same_kid: first login after the key changed under its kid admitted" ok 4000
n=$(grep -c ' /jwks ' "$MB_LOG")
[ "$n" -eq 2 ]
ok $? "rotate_same_kid: one refetch ($n JWKS fetches in two logins)"
grep -q '^step signature ok .*key set refetched: the signature did not verify with the cached key set' "$CT_OUT"
ok $? "rotate_same_kid: the signature step says the key set was refetched and why"
ct_run
ct_expect "rotate_same_kid: a token of the replaced key is refused" signature 4000
st=0
grep -q '^fail signature bad signature (the key set could not be fetched again: JWKS refresh refused' "$CT_OUT" || st=1
[ "$(grep -c ' /jwks ' "$MB_LOG")" -eq 2 ] || st=1
ok $st "rotate_same_kid: refused on its signature, the refetch throttled"

# RSA-1024 beside good RSA-2048, P-256 and Ed25519 keys: only the weak key is refused
mb_start weak_key_in_set --pending 0 && mb_conf && ct_run
ct_expect "weak_key_in_set: RS256 token of the RSA-2048 key admitted" ok 4000
ct_run
ct_expect "weak_key_in_set: token naming the RSA-1024 key refused" bad_key 4000
grep -q '^fail bad_key key mis-weak was skipped: RSA modulus of 1024 bits' "$CT_OUT"
ok $? "weak_key_in_set: the refusal names the skipped key and why"
"$top_builddir/pam_oidc/pam-oidc" check --config "$CT_DIR/conf" >"$CT_DIR/check.out" 2>&1
st=$?
TAP_LOG=$CT_DIR/check.out
grep -qx 'keys: 3 usable, 1 skipped' "$CT_DIR/check.out" &&
	grep -Eq '^  skipped +kid mis-weak \(key 0\): RSA modulus of 1024 bits' "$CT_DIR/check.out" || st=1
ok $st "weak_key_in_set: pam-oidc check lists 3 usable keys and the skipped one with its reason"

# 20 children at once share one cache directory (discovery and JWKS files
# written concurrently) and all get their identity
mb_start ok --pending 0
mb_conf
pids=()
for i in $(seq 1 20); do
	"$DRIVER" --config "$CT_DIR/conf" --kill-after 30 "$CHILD" >"$CT_DIR/par.$i" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
n=$(grep -lx 'user daemon' "$CT_DIR"/par.* | xargs -r grep -lx ok | wc -l)
[ "$n" -eq 20 ]
ok $? "20 concurrent children with one cache: $n of 20 admitted"

# a closed port fails fast
port=$( (node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})') )
MB_ISSUER=https://127.0.0.1:$port
mb_stop
mb_conf
ct_run
v=$(ct_verdict)
st=0
case $v in network | discovery) ;; *) st=1 ;; esac
[ "$CT_MS" -lt 1000 ] || st=1
ok $st "closed port: fail $v in $CT_MS ms (< 1000)"

# the module cancels while the child polls: the child stops at once
mb_start ok --pending 1000
mb_conf
ct_run --cancel-after 300
st=0
[ "$(ct_verdict)" = denied ] || st=1
[ "$CT_MS" -lt 2500 ] || st=1
ok $st "cancel from the module ends the child in $CT_MS ms"

# confidential client: HTTP Basic with the secret from a root-only file
mb_start ok --pending 0 --secret 's3cret:with%odd chars'
(umask 077; printf 's3cret:with%%odd chars\n' >"$CT_DIR/secret")
mb_conf "client_secret_file=$CT_DIR/secret"
ct_run
ct_expect "client_secret_file: HTTP Basic accepted" ok 4000
grep -q invalid_client "$MB_LOG"
[ $? -ne 0 ]
ok $? "client_secret_file: the provider saw the right credentials"
grep -qF 's3cret' "$CT_OUT" "$CT_ERR"
[ $? -ne 0 ]
ok $? "client_secret_file: the secret appears nowhere"
chmod 644 "$CT_DIR/secret"
: >"$MB_LOG"
ct_run
ct_expect "client_secret_file readable by others: refused" config 2000
[ ! -s "$MB_LOG" ]
ok $? "client_secret_file readable by others: no request reached the provider"

finish
