#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam-oidc login against the project's emulations of the providers
# administrators use (tests/idp/profiles.js, written from each provider's
# documentation): every profile logs in as the right identity, a denial in
# the provider's own status code is a denial, pending and slow_down in the
# provider's own status codes keep polling (slow_down adds 5 s, measured in
# the emulator's log), and each provider's quirk is met (Google's
# verification_url, authentik's client_id in the body under HTTP Basic,
# GitLab's device endpoint missing from discovery, Entra's ?appid=
# discovery, Auth0's and authentik's trailing-slash issuers).
#
# The last rows are the provider events: a key set with one key out of
# range, a same-kid key replacement, and a Workspace-only Google login.
. "${top_srcdir:?}/tests/child/lib.sh"
command -v node >/dev/null || skip_all "node is not installed"
command -v openssl >/dev/null || skip_all "openssl is not installed"
ct_init
PAM_OIDC=$top_builddir/pam_oidc/pam-oidc
SECRET=profiles-secret-not-for-production
(umask 077; printf '%s\n' "$SECRET" >"$CT_DIR/secret")

# pf PROFILE [profiles.js options]: start the emulator (--interval 1: tests
# poll every second; the provider's own interval is replaced).
pf() {
	pf_launch "$CT_DIR" "$CT_DIR/certs" "$@" --interval 1 || bail "profiles.js $1 did not start"
}

# pconf [key=value...]: a configuration for the running emulator's client,
# with a fresh cache; keep=1 in the environment keeps the cache.
pconf() {
	[ -n "${keep:-}" ] || rm -rf "$CT_DIR/cache"
	ct_conf "$CT_DIR/conf" "issuer=$PF_ISSUER" "client_id=$PF_CLIENT" \
		"ca_file=$CT_DIR/certs/ca.pem" "cache_dir=$CT_DIR/cache" poll_interval=1 timeout=30 "$@"
}

# login: pam-oidc login --user daemon (the emulator approves by itself); RC, OUT.
# Under a failed test the output and the emulator's log are shown.
login() {
	OUT=$CT_DIR/login.out
	TAP_LOG=$CT_DIR/shown
	timeout 60 "$PAM_OIDC" login --config "$CT_DIR/conf" --user daemon >"$OUT" 2>&1
	RC=$?
	{ cat "$OUT"; echo "--- emulator log:"; cat "$PF_LOG"; } >"$TAP_LOG"
}

admitted() {
	[ "$RC" -eq 0 ] && grep -Eqx '\[ *[0-9.]+s\] verdict +ADMIT daemon' "$OUT" &&
		grep -qx "    issuer    $PF_ISSUER" "$OUT"
}

# The milliseconds between the token polls in the emulator's log, one a line.
poll_gaps() {
	awk '$2 == "token" { if (t) print $1 - t; t = $1 }' "$PF_LOG"
}

# profile, configuration, pending status, denial "STATUS ERROR"
#   the configuration is what pam_oidc.conf(5)'s PROVIDERS guide gives
while read -r prof extra pend deny; do
	case $extra in -) set -- ;; *) IFS=, read -r -a kv <<<"$extra"; set -- "${kv[@]}" ;; esac
	pf "$prof" --pending 1
	pconf "$@"
	login
	admitted && grep -q " token $pend authorization_pending\$" "$PF_LOG" && grep -q ' token 200 ' "$PF_LOG"
	ok $? "$prof: pending in HTTP $pend keeps polling, then logs in as daemon"
	pf "$prof" --pending 0 --outcome deny
	pconf "$@"
	login
	[ "$RC" -eq 1 ] && grep -Eq '^\[ *[0-9.]+s\] waiting +FAILED +access denied' "$OUT" &&
		grep -q " token $deny\$" "$PF_LOG"
	ok $? "$prof: the denial (HTTP $deny) is a denial"
done <<EOF
google username_claim=email,username_domain=example.com,client_secret_file=$CT_DIR/secret 428 403 access_denied
auth0 username_claim=email,username_domain=example.com 403 403 access_denied
entra username_domain=example.com 400 400 authorization_declined
authentik - 400 400 access_denied
authentik-confidential client_secret_file=$CT_DIR/secret 400 400 access_denied
keycloak - 400 400 access_denied
okta username_domain=example.com 400 400 access_denied
dex username_claim=email,username_domain=example.com 401 400 access_denied
zitadel username_domain=example.com 400 400 access_denied
pingfederate username_claim=sub 400 400 access_denied
EOF

# expired_token in the provider's own status ends the login
for row in "auth0 403 username_claim=email" "google 400 client_secret_file=$CT_DIR/secret" "keycloak 400"; do
	read -r prof st extra <<<"$row"
	pf "$prof" --pending 0 --outcome expire
	pconf ${extra:+"$extra"}
	login
	[ "$RC" -eq 1 ] && grep -Eq '^\[ *[0-9.]+s\] waiting +FAILED +timed out: the device code expired' "$OUT" &&
		grep -q " token $st expired_token\$" "$PF_LOG"
	ok $? "$prof: expired_token (HTTP $st) ends the login"
done

# slow_down in the provider's own status adds 5 s to the interval of 1 s:
# the gaps in the emulator's log are about 6 s after it, not 1 s
for row in "google 403 client_secret_file=$CT_DIR/secret" "auth0 429"; do
	read -r prof st extra <<<"$row"
	pf "$prof" --slow-down 1 --pending 1
	pconf username_claim=email username_domain=example.com ${extra:+"$extra"}
	login
	mapfile -t gaps < <(poll_gaps)
	st_ok=0
	admitted && grep -q " token $st slow_down\$" "$PF_LOG" || st_ok=1
	[ "${#gaps[@]}" -eq 2 ] && [ "${gaps[0]}" -ge 5900 ] && [ "${gaps[0]}" -le 7500 ] &&
		[ "${gaps[1]}" -ge 5900 ] && [ "${gaps[1]}" -le 7500 ] || st_ok=1
	ok $st_ok "$prof: slow_down (HTTP $st) keeps polling, 5 s slower (gaps ${gaps[*]} ms)"
done

# Google: verification_url (no verification_uri) is the link shown
pf google
pconf username_claim=email username_domain=example.com "client_secret_file=$CT_DIR/secret"
login
admitted && grep -q "^ *To sign in, open  $PF_ORIGIN/device\$" "$OUT"
ok $? "google: the link is Google's verification_url"
grep -q ' token 200 .* basic=yes$' "$PF_LOG"
ok $? "google: the client secret goes by HTTP Basic"

# authentik, confidential: the device endpoint takes client_id from the body only
pf authentik-confidential
pconf "client_secret_file=$CT_DIR/secret"
login
admitted && grep -q ' device 200 client_id_in_body=yes basic=yes ' "$PF_LOG"
ok $? "authentik-confidential: client_id in the body beside HTTP Basic"
# ... and the trailing slash of its issuer is the issuer
case $PF_ISSUER in */application/o/pam/) st=0 ;; *) st=1 ;; esac
ok $st "authentik: the issuer ends in a slash ($PF_ISSUER) and matches byte for byte"
pconf
login
[ "$RC" -eq 1 ] && grep -q ' device 400 invalid_client ' "$PF_LOG"
ok $? "authentik-confidential without the secret: invalid_client, refused"
ISS=${PF_ISSUER%/}
ct_conf "$CT_DIR/conf" "issuer=$ISS" "client_id=$PF_CLIENT" "ca_file=$CT_DIR/certs/ca.pem" \
	"cache_dir=$CT_DIR/cache" poll_interval=1 timeout=30 "client_secret_file=$CT_DIR/secret"
login
[ "$RC" -ne 0 ] && grep -Eq '^\[ *[0-9.]+s\] discovery +FAILED' "$OUT"
ok $? "authentik: the issuer without its trailing slash is another issuer (refused at discovery)"

# GitLab: no device endpoint in discovery; device_authorization_endpoint fills it
pf gitlab
pconf
login
[ "$RC" -ne 0 ] && grep -Eq '^\[ *[0-9.]+s\] discovery +FAILED.*set the option device_authorization_endpoint' "$OUT" &&
	! grep -q ' device ' "$PF_LOG"
ok $? "gitlab: without the option the login fails at discovery"
pconf "device_authorization_endpoint=$PF_ORIGIN/oauth/authorize_device"
login
admitted && grep -Eq '^\[ *[0-9.]+s\] discovery +ok .*device endpoint from the configuration' "$OUT" &&
	grep -q ' device 200 ' "$PF_LOG"
ok $? "gitlab: with device_authorization_endpoint it logs in"
"$PAM_OIDC" check --config "$CT_DIR/conf" >"$OUT" 2>&1
grep -q 'note: device_authorization_endpoint from the configuration (discovery names none)' "$OUT"
TAP_LOG=$OUT ok $? "pam-oidc check says the option is used"
# where discovery names one, discovery wins and the option is reported ignored
pf keycloak
pconf "device_authorization_endpoint=$PF_ORIGIN/elsewhere"
login
admitted && grep -Eq '^\[ *[0-9.]+s\] discovery +ok .*option device_authorization_endpoint ignored' "$OUT" &&
	! grep -q '404 POST /elsewhere' "$PF_LOG"
ok $? "keycloak: device_authorization_endpoint is ignored when discovery names one"
"$PAM_OIDC" check --config "$CT_DIR/conf" >"$OUT" 2>&1
grep -q 'option device_authorization_endpoint is ignored: discovery names one' "$OUT"
TAP_LOG=$OUT ok $? "pam-oidc check says the option is ignored"

# Entra ID with a claims-mapping policy: the key is only under ?appid=
pf entra-appid
pconf username_domain=example.com
login
[ "$RC" -eq 1 ] && grep -Eq '^\[ *[0-9.]+s\] signature +FAILED' "$OUT"
ok $? "entra-appid: without discovery_url the app's signing key is not found"
pconf username_domain=example.com \
	"discovery_url=$PF_ISSUER/.well-known/openid-configuration?appid=$PF_CLIENT"
login
admitted && grep -q " discovery ?appid=$PF_CLIENT\$" "$PF_LOG" && grep -q " jwks ?appid=$PF_CLIENT\$" "$PF_LOG"
ok $? "entra-appid: with discovery_url ...?appid= it logs in"

# Auth0: the trailing slash of the issuer is kept, and discovery is not under "//"
pf auth0
pconf username_claim=email username_domain=example.com
login
case $PF_ISSUER in */) st=0 ;; *) st=1 ;; esac
admitted && [ "$st" -eq 0 ] && ! grep -q ' 404 ' "$PF_LOG"
ok $? "auth0: the issuer with its trailing slash logs in"

# authentik without a signing key signs with HS256 (the client secret): refused
pf authentik-hs256
pconf "client_secret_file=$CT_DIR/secret"
login
[ "$RC" -eq 1 ] && grep -Eq '^\[ *[0-9.]+s\] signature +FAILED .*HMAC' "$OUT"
ok $? "authentik-hs256: an HS256 ID token is refused"

# Google: with username_claim = email alone, a consumer account on an
# @example.com address passes as daemon (the hazard required_claims closes)
pf google --drop-claim hd
pconf username_claim=email username_domain=example.com "client_secret_file=$CT_DIR/secret"
login
admitted
ok $? "google: without required_claims a consumer account (no hd) passes"

# item 6: a JWKS with an RSA-1024 key beside good RSA-2048, P-256 and Ed25519 keys
for kid in default ec-p256 ed25519; do
	if [ "$kid" = default ]; then pf keycloak --mixed-keys; else pf keycloak --mixed-keys --sign-kid "$kid"; fi
	pconf
	login
	admitted
	ok $? "item 6: mixed key set with an RSA-1024 key: a token signed by $kid passes"
done
pf keycloak --mixed-keys --sign-kid weak-1024
pconf
login
[ "$RC" -eq 1 ] && grep -q 'key weak-1024 was skipped: ' "$OUT"
ok $? "item 6: a token whose kid names the RSA-1024 key is refused: key weak-1024 was skipped"
# item 7: the signing key replaced under the same kid between two logins
pf keycloak --replace-key-after-token
pconf
login
admitted
ok $? "item 7: first login with the first key"
keep=1 pconf
login
admitted && grep -q 'replaced key' "$PF_LOG" && [ "$(grep -c ' jwks ' "$PF_LOG")" -eq 2 ]
ok $? "item 7: after a same-kid key change the next login works (one refetch)"
# item 8: Google Workspace only, by required_claims = hd=example.com
pf google
pconf username_claim=email username_domain=example.com "client_secret_file=$CT_DIR/secret" \
	required_claims=hd=example.com
login
admitted
ok $? "item 8: a Workspace account (hd=example.com) passes required_claims"
pf google --drop-claim hd
pconf username_claim=email username_domain=example.com "client_secret_file=$CT_DIR/secret" \
	required_claims=hd=example.com
login
[ "$RC" -eq 1 ] && ! grep -q 'verdict  *ADMIT' "$OUT"
ok $? "item 8: a consumer account with an @example.com email but no hd is refused"
pf google --claim hd=other.example
pconf username_claim=email username_domain=example.com "client_secret_file=$CT_DIR/secret" \
	required_claims=hd=example.com
login
[ "$RC" -eq 1 ]
ok $? "item 8: another Workspace domain (hd=other.example) is refused"

finish
