#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# `pam-oidc verify` against ID tokens minted by a real OpenID provider
# (tests/idp, oidc-provider on loopback HTTPS): for each signing algorithm
# (RS256, PS256, ES256, EdDSA) a token from a real device flow verifies
# through real discovery and the real JWKS, with the test CA.  And the
# refusals: wrong client_id (audience), wrong or mismatching issuer, a
# tampered payload (bad signature), no CA file (TLS), the clock far ahead
# (expired), a key set without the signing key; the cache keeps working
# when the provider is down, and nothing works from a cold cache then; a
# key rotation is followed (one refetch) and a retired key stays refused.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/idp/lib.sh"

idp_available || skip_all "$IDP_SKIP_REASON"
PAM_OIDC=${top_builddir:?}/pam_oidc/pam-oidc

work=$(mktemp -d /tmp/pam_oidc-verify.XXXXXX) || exit 1
at_exit rm -rf "$work"
at_exit idp_stop

plan 36

idp_start || bail "the test provider did not start"

# conf NAME KEY=VALUE... : write $work/NAME.conf, root-owned 0600, and print its path.
conf() {
	local f=$work/$1.conf kv
	shift
	(
		umask 077
		: >"$f"
		for kv in "$@"; do
			printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$f"
		done
	)
	echo "$f"
}

# run_verify ARGS... : run pam-oidc verify with a 30 s bound; sets rc, out, err.
run_verify() {
	timeout 30 "$PAM_OIDC" verify "$@" >"$work/out" 2>"$work/err" </dev/null
	rc=$?
	out=$(cat "$work/out")
	err=$(cat "$work/err")
}

# leaks TOKEN: true when stderr holds any part of the token (a token's
# signature or payload must never appear in an error message).
leaks() {
	local part
	for part in $(tr . ' ' <<<"$1" | cut -d' ' -f2-3); do
		[ "${#part}" -ge 16 ] && grep -qF -- "${part:0:16}" "$work/err" && return 0
	done
	return 1
}

# expect_fail NAME PATTERN ARGS... TOKEN : exit 1, nothing on stdout, one
# line on stderr matching the extended regex PATTERN (case-insensitive)
# and holding no part of TOKEN.
expect_fail() {
	local name=$1 pattern=$2
	shift 2
	run_verify "$@"
	if [ "$rc" = 1 ] && [ -z "$out" ] && [ "$(wc -l <"$work/err")" = 1 ] &&
		grep -qiE -- "$pattern" "$work/err" && ! leaks "${*: -1}"; then
		pass "$name"
	else
		fail "$name"
		echo "# exit $rc, stdout: ${out:0:200}" | head -3
		echo "# stderr: ${err:0:300}" | head -3
	fi
}

# newcache NAME: a fresh root-only cache directory; prints its path.
newcache() {
	mkdir -m 700 "$work/cache-$1" && echo "$work/cache-$1"
}

# The payload of TOKEN with one claim changed, re-encoded, old signature kept.
tamper() {
	node -e '
		const [h, p, s] = process.argv[1].split(".");
		const c = JSON.parse(Buffer.from(p, "base64url"));
		c.preferred_username = "root";
		process.stdout.write([h, Buffer.from(JSON.stringify(c)).toString("base64url"), s].join("."));
	' "$1"
}

cache=$work/cache
mkdir -m 700 "$cache"
declare -A token
for alg in rs256 ps256 es256 eddsa; do
	token[$alg]=$(idp_device_token --client "test-$alg" alice 2>"$work/idp-err")
	[ -n "${token[$alg]}" ] || { echo "# no token for test-$alg:"; sed 's/^/# /' "$work/idp-err"; }
done

# --- every algorithm, through discovery and the JWKS over HTTPS
for alg in rs256 ps256 es256 eddsa; do
	c=$(conf "$alg" issuer="$IDP_ISSUER" client_id="test-$alg" ca_file="$IDP_CA" cache_dir="$cache")
	run_verify --config "$c" "${token[$alg]}"
	if [ "$rc" = 0 ]; then
		pass "${alg^^}: real ID token verifies (exit 0)"
	else
		fail "${alg^^}: real ID token verifies (exit 0)"
		echo "# exit $rc, stderr: ${err:0:300}"
	fi
	if node -e '
		const c = JSON.parse(process.argv[1]);
		process.exit(c.sub === "7f6c1a52-alice-0001" && c.preferred_username === "alice"
			&& c.iss === process.argv[2] && c.email === "alice@example.test" ? 0 : 1);
	' "$out" "$IDP_ISSUER" 2>/dev/null; then
		pass "${alg^^}: claims JSON on stdout has alice's sub and preferred_username"
	else
		fail "${alg^^}: claims JSON on stdout has alice's sub and preferred_username"
		echo "# stdout: ${out:0:300}"
	fi
	expect_fail "${alg^^}: tampered payload is a bad signature" "bad signature" \
		--config "$c" "$(tamper "${token[$alg]}")"
done

RS=$(conf rs issuer="$IDP_ISSUER" client_id=test-rs256 ca_file="$IDP_CA" cache_dir="$cache")

timeout 30 "$PAM_OIDC" verify --config "$RS" - <<<"${token[rs256]}" >"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" = 0 ] && grep -q '"7f6c1a52-alice-0001"' "$work/out"; then
	pass "token read from stdin with -"
else
	fail "token read from stdin with -"
	echo "# exit $rc, stderr: $(head -c 300 "$work/err")"
fi

# --- claims
expect_fail "wrong client_id: audience" "audience" \
	--config "$(conf aud issuer="$IDP_ISSUER" client_id=test-es256 ca_file="$IDP_CA" cache_dir="$cache")" \
	"${token[rs256]}"
expect_fail "client_id of another real client: audience (ES256 token)" "audience" \
	--config "$RS" "${token[es256]}"
now=$(date +%s)
expect_fail "--now a day after expiry: expired" "expired" \
	--config "$RS" --now $((now + 90000)) "${token[rs256]}"
expect_fail "--now an hour before issue: refused" "future|not yet|iat" \
	--config "$RS" --now $((now - 3600)) "${token[rs256]}"
run_verify --config "$RS" --now $((now + 600)) "${token[rs256]}"
if [ "$rc" = 0 ]; then pass "--now ten minutes later, still valid"; else fail "--now ten minutes later, still valid"; fi

# --- issuer and transport
expect_fail "issuer with a path the provider does not serve: refused" "discovery|HTTP|issuer|404" \
	--config "$(conf wrongpath issuer="$IDP_ISSUER/other" client_id=test-rs256 ca_file="$IDP_CA" \
		cache_dir="$(newcache wrongpath)")" "${token[rs256]}"
# Same server, reached as localhost (the certificate names it): discovery
# answers issuer https://127.0.0.1:PORT, which is not the configured one.
expect_fail "issuer https://localhost:PORT: discovery issuer mismatch" "issuer" \
	--config "$(conf localhost issuer="https://localhost:$IDP_PORT" client_id=test-rs256 ca_file="$IDP_CA" \
		cache_dir="$(newcache localhost)")" "${token[rs256]}"
expect_fail "issuer with a trailing slash: refused" "issuer|discovery" \
	--config "$(conf slash issuer="$IDP_ISSUER/" client_id=test-rs256 ca_file="$IDP_CA" \
		cache_dir="$(newcache slash)")" "${token[rs256]}"
expect_fail "no ca_file (system store only): TLS error" "tls|ssl|certificate" \
	--config "$(conf noca issuer="$IDP_ISSUER" client_id=test-rs256 cache_dir="$(newcache noca)")" \
	"${token[rs256]}"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=other CA" \
	-keyout "$work/other.key" -out "$work/other.pem" >/dev/null 2>&1
expect_fail "ca_file of another CA: TLS error" "tls|ssl|certificate" \
	--config "$(conf otherca issuer="$IDP_ISSUER" client_id=test-rs256 ca_file="$work/other.pem" \
		cache_dir="$(newcache otherca)")" "${token[rs256]}"

# --- --jwks FILE: the provider's own published key set, and a set without the key
curl -sf --max-time 10 --noproxy '*' --cacert "$IDP_CA" "$IDP_ISSUER/jwks" >"$work/jwks.json"
node -e '
	const s = JSON.parse(require("fs").readFileSync(process.argv[1]));
	s.keys = s.keys.filter((k) => k.kid !== "test-rs256");
	process.stdout.write(JSON.stringify(s));' "$work/jwks.json" >"$work/jwks-no-rs.json"
run_verify --config "$RS" --jwks "$work/jwks.json" "${token[rs256]}"
if [ "$rc" = 0 ] && grep -q '"preferred_username" *: *"alice"' "$work/out"; then
	pass "--jwks with the provider's key set: valid"
else
	fail "--jwks with the provider's key set: valid"
	echo "# exit $rc, stderr: ${err:0:300}"
fi
expect_fail "--jwks without the signing key: no matching key" "key" \
	--config "$RS" --jwks "$work/jwks-no-rs.json" "${token[rs256]}"
run_verify --config "$RS" --signature-only --jwks "$work/jwks.json" --now $((now + 90000)) "${token[eddsa]}"
if [ "$rc" = 0 ]; then pass "--signature-only ignores expiry (EdDSA)"; else fail "--signature-only ignores expiry (EdDSA)"; fi
expect_fail "--signature-only still checks the signature" "bad signature" \
	--config "$RS" --signature-only --jwks "$work/jwks.json" "$(tamper "${token[eddsa]}")"

# --- a confidential client's token
tok=$(idp_device_token --client test-secret --secret test-client-secret-not-for-production bob 2>/dev/null)
run_verify --config "$(conf secret issuer="$IDP_ISSUER" client_id=test-secret ca_file="$IDP_CA" cache_dir="$cache")" "$tok"
if [ "$rc" = 0 ] && grep -q '"2b9e44d0-bob-0002"' "$work/out"; then
	pass "bob's token for the confidential client verifies"
else
	fail "bob's token for the confidential client verifies"
	echo "# exit $rc, stderr: ${err:0:300}"
fi

# --- what the cache holds: provider documents only, root-only
if [ -n "$(find "$cache" -type f)" ] && [ -z "$(find "$cache" -perm /077)" ]; then
	pass "cache files exist and are root-only (no group/other bits)"
else
	fail "cache files exist and are root-only (no group/other bits)"
	find "$cache" -printf '# %m %p\n'
fi
if ! grep -rqF -- "$(cut -d. -f3 <<<"${token[rs256]}" | cut -c1-16)" "$cache" &&
	! grep -rqF -- "$(cut -d. -f2 <<<"${token[rs256]}" | cut -c1-16)" "$cache"; then
	pass "no part of a verified token is written to the cache"
else
	fail "no part of a verified token is written to the cache"
fi

# --- provider down: the warm cache still answers, a cold one cannot
idp_kill
run_verify --config "$RS" "${token[rs256]}"
if [ "$rc" = 0 ]; then
	pass "provider down: verifies from the cached discovery and JWKS"
else
	fail "provider down: verifies from the cached discovery and JWKS"
	echo "# exit $rc, stderr: ${err:0:300}"
fi
# a bad signature against a cached set tries the refetch a key replaced
# under its kid needs; the provider is down, so it stays a bad signature
expect_fail "provider down: tampered token still a bad signature" "bad signature.*could not be fetched again" \
	--config "$RS" "$(tamper "${token[rs256]}")"
expect_fail "provider down, cold cache: network error" "network|connect|refused" \
	--config "$(conf cold issuer="$IDP_ISSUER" client_id=test-rs256 ca_file="$IDP_CA" \
		cache_dir="$(newcache cold)")" "${token[rs256]}"

# --- key rotation: the same issuer comes back with new keys (new kids)
idp_restart --jwks "$IDP_SRC/jwks-next.json" || bail "the test provider did not restart"
new_rs=$(idp_device_token --client test-rs256 alice 2>/dev/null)
new_es=$(idp_device_token --client test-es256 bob 2>/dev/null)
# the tampered tokens above spent this cache's refetch (each bad signature
# against the cached set tries one): the rotation comes an interval later
sleep 1
run_verify --config "$(conf rot issuer="$IDP_ISSUER" client_id=test-rs256 ca_file="$IDP_CA" \
	cache_dir="$cache" jwks_refresh_interval=1)" "$new_rs"
if [ "$rc" = 0 ] && grep -q '"7f6c1a52-alice-0001"' "$work/out"; then
	pass "key rotation: a token with an unknown kid verifies after one JWKS refetch"
else
	fail "key rotation: a token with an unknown kid verifies after one JWKS refetch"
	echo "# exit $rc, stderr: ${err:0:300}"
fi
idp_kill
run_verify --config "$(conf es issuer="$IDP_ISSUER" client_id=test-es256 ca_file="$IDP_CA" cache_dir="$cache")" "$new_es"
if [ "$rc" = 0 ] && grep -q '"2b9e44d0-bob-0002"' "$work/out"; then
	pass "key rotation: the refetched key set was cached (ES256, provider down)"
else
	fail "key rotation: the refetched key set was cached (ES256, provider down)"
	echo "# exit $rc, stderr: ${err:0:300}"
fi
expect_fail "key rotation: a token with a retired kid is refused (fails closed)" "key|throttl" \
	--config "$RS" "${token[rs256]}"

finish
