#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam-oidc verify from the outside: exit codes, the one-line reasons, the
# claims on stdout, tokens from the command line and from stdin.  Tokens are
# minted here with the openssl command line (Ed25519) so the test depends on
# nothing but the binary under test.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
pam_oidc=${top_builddir:?}/pam_oidc/pam-oidc
tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
b64u() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# matches REGEX FILE: "^$" means the file is empty.
matches() { if [ "$1" = '^$' ]; then [ ! -s "$2" ]; else grep -Eq -- "$1" "$2"; fi; }

# expect NAME EXIT STDERR_REGEX STDOUT_REGEX -- ARGS...  (stdin from $stdin_file when set)
expect() {
	local name=$1 want=$2 errre=$3 outre=$4 rc
	shift 5
	if [ -n "${stdin_file:-}" ]; then
		"$pam_oidc" verify "$@" <"$stdin_file" >"$tmp/out" 2>"$tmp/err"
	else
		"$pam_oidc" verify "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
	if [ $rc -eq "$want" ] && matches "$errre" "$tmp/err" && matches "$outre" "$tmp/out" &&
		{ [ "$want" -eq 0 ] || [ "$(wc -l <"$tmp/err")" -eq 1 ]; }; then
		pass "$name"
	else
		fail "$name" "exit $rc (want $want)" "stderr: $(head -c 300 "$tmp/err")" "stdout: $(head -c 300 "$tmp/out")"
	fi
}

plan 18

# RFC 7515 A.3 (ES256) with its published key.
cat >"$tmp/a3.jwks" <<'JWKS'
{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}
JWKS
a3='eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q'
expect "RFC 7515 A.3 signature verifies, claims printed" 0 '^$' '"iss": ?"joe"' -- --jwks "$tmp/a3.jwks" --signature-only "$a3"
sig=${a3##*.}
expect "A.3 with one signature byte changed: bad signature" 1 'bad signature' '^$' -- --jwks "$tmp/a3.jwks" --signature-only "${a3%.*}.${sig:0:4}V${sig:5}"

# An Ed25519 provider key and tokens signed with it.
openssl genpkey -algorithm ed25519 -out "$tmp/ed.pem" 2>/dev/null
x=$(openssl pkey -in "$tmp/ed.pem" -pubout -outform DER | tail -c 32 | b64u)
printf '{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"%s"}]}' "$x" >"$tmp/ed.jwks"
mint() { # mint HEADER_JSON CLAIMS_JSON
	local h p
	h=$(printf '%s' "$1" | b64u)
	p=$(printf '%s' "$2" | b64u)
	printf '%s.%s' "$h" "$p" >"$tmp/input"
	printf '%s.%s.%s' "$h" "$p" "$(openssl pkeyutl -sign -rawin -inkey "$tmp/ed.pem" -in "$tmp/input" | b64u)"
}
iss=https://idp.example.test
claims='{"iss":"'$iss'","aud":"pam-oidc","sub":"248289761001","exp":1700000300,"iat":1700000000,"preferred_username":"alice"}'
tok=$(mint '{"alg":"EdDSA","kid":"k1"}' "$claims")
umask 022
printf 'issuer = %s\nclient_id = pam-oidc\n' "$iss" >"$tmp/good.conf"
printf 'issuer = %s\nclient_id = someone-else\n' "$iss" >"$tmp/aud.conf"
printf 'issuer = %s/\nclient_id = pam-oidc\n' "$iss" >"$tmp/iss.conf"
printf 'issuer = %s\nclient_id = pam-oidc\nalgorithms = RS256, ES256\n' "$iss" >"$tmp/algs.conf"

expect "Ed25519 ID token valid at its time" 0 '^$' '"preferred_username": ?"alice"' -- --config "$tmp/good.conf" --jwks "$tmp/ed.jwks" --now 1700000100 "$tok"
stdin_file=$tmp/tokfile
printf '%s\n' "$tok" >"$stdin_file"
expect "token read from stdin" 0 '^$' '"sub": ?"248289761001"' -- --config "$tmp/good.conf" --jwks "$tmp/ed.jwks" --now 1700000100 -
unset stdin_file
expect "expired one second past the leeway" 1 'expired' '^$' -- --config "$tmp/good.conf" --jwks "$tmp/ed.jwks" --now 1700000360 "$tok"
expect "wrong client id: audience mismatch" 1 'audience' '^$' -- --config "$tmp/aud.conf" --jwks "$tmp/ed.jwks" --now 1700000100 "$tok"
expect "issuer with a trailing slash: issuer mismatch" 1 'issuer' '^$' -- --config "$tmp/iss.conf" --jwks "$tmp/ed.jwks" --now 1700000100 "$tok"
expect "EdDSA not in the allow-list" 1 'algorithm' '^$' -- --config "$tmp/algs.conf" --jwks "$tmp/ed.jwks" --now 1700000100 "$tok"
none=$(printf '{"alg":"none"}' | b64u).$(printf '%s' "$claims" | b64u).
expect "alg none refused" 1 'algorithm' '^$' -- --config "$tmp/good.conf" --jwks "$tmp/ed.jwks" --now 1700000100 "$none"
tok2=$(mint '{"alg":"EdDSA","kid":"other"}' "$claims")
expect "unknown kid: no matching key" 1 'no matching key' '^$' -- --config "$tmp/good.conf" --jwks "$tmp/ed.jwks" --now 1700000100 "$tok2"
# an RSA-1024 key beside the good one (RFC 7517 section 5): skipped, not fatal
n1024=$(head -c 128 /dev/zero | tr '\0' '\377' | b64u)
printf '{"keys":[{"kty":"RSA","kid":"weak","n":"%s","e":"AQAB"},{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"%s"}]}' \
	"$n1024" "$x" >"$tmp/weak.jwks"
expect "an RSA-1024 key in the set does not stop the good key" 0 '^$' '"sub": ?"248289761001"' -- --config "$tmp/good.conf" --jwks "$tmp/weak.jwks" --now 1700000100 "$tok"
tok3=$(mint '{"alg":"RS256","kid":"weak"}' "$claims")
expect "a token naming the skipped key: refused with the reason" 1 'unusable key: key weak was skipped: RSA modulus of 1024 bits' '^$' -- --config "$tmp/good.conf" --jwks "$tmp/weak.jwks" --now 1700000100 "$tok3"
if "$pam_oidc" verify --config "$tmp/good.conf" --jwks "$tmp/ed.jwks" --now 1700000100 "$tok" 2>&1 | grep -qF "${tok##*.}"; then
	fail "output never repeats the token"
else
	pass "output never repeats the token"
fi

expect "two tokens: usage error" 2 'usage' '^$' -- --jwks "$tmp/ed.jwks" --signature-only a b
expect "--now not a number: usage error" 2 'now' '^$' -- --jwks "$tmp/ed.jwks" --now yesterday "$tok"
chmod 666 "$tmp/good.conf"
expect "group/world-writable configuration refused" 2 'good.conf' '^$' -- --config "$tmp/good.conf" --jwks "$tmp/ed.jwks" "$tok"
chmod 644 "$tmp/good.conf"
expect "missing configuration file" 2 'nonexistent' '^$' -- --config "$tmp/nonexistent.conf" "$tok"
head -c 70000 /dev/zero | tr '\0' 'A' >"$tmp/huge"
stdin_file=$tmp/huge
expect "oversized token on stdin refused" 1 'too large' '^$' -- --jwks "$tmp/ed.jwks" --signature-only -
unset stdin_file
finish
