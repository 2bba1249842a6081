#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam-oidc check against the real test provider: a working configuration
# lists the endpoints and keys (exit 0); a configuration error is exit 2 and
# names the line; a provider that is down, or a CA that does not match,
# is exit 1 with the reason.  Against the scripted provider shaped like
# Auth0/authentik (issuer with a trailing slash), GitLab (no device endpoint
# in discovery) and authentik without a signing key (HS256 only), it names
# the likely fix.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/idp/lib.sh"
idp_available || skip_all "$IDP_SKIP_REASON"
PAM_OIDC=${top_builddir:?}/pam_oidc/pam-oidc
work=$(mktemp -d /tmp/pam_oidc-check.XXXXXX) || exit 1
at_exit rm -rf "$work"
at_exit idp_stop
plan 14
idp_start || bail "the test provider did not start"

conf() { # conf NAME LINES... -> path of a 0600 file
	local f=$work/$1.conf
	shift
	(umask 077; printf '%s\n' "$@" >"$f")
	echo "$f"
}
run() { timeout 30 "$PAM_OIDC" check --config "$1" >"$work/out" 2>"$work/err"; rc=$?; }
check() { # check NAME WANT_RC STDOUT_RE STDERR_RE
	if [ "$rc" -eq "$2" ] && { [ -z "$3" ] || grep -Eq -- "$3" "$work/out"; } &&
		{ [ -z "$4" ] || grep -Eq -- "$4" "$work/err"; }; then
		pass "$1"
	else
		fail "$1" "exit $rc (want $2)" "out: $(head -c 400 "$work/out" | tr '\n' '|')" "err: $(head -c 300 "$work/err")"
	fi
}

good=$(conf good "issuer = $IDP_ISSUER" "client_id = test-es256" "ca_file = $IDP_CA" "cache_dir = $work/cache")
run "$good"
check "working provider: exit 0" 0 '^discovery: ok' ''
if grep -q 'device_authorization_endpoint *https://127.0.0.1' "$work/out" && grep -Eq 'EC P-256 +kid test-es256' "$work/out" &&
	grep -Eq 'OKP Ed25519 +kid' "$work/out" && grep -Eq '^keys: [1-9]' "$work/out"; then
	pass "lists the device endpoint and the provider's keys"
else
	fail "lists the device endpoint and the provider's keys" "$(tr '\n' '|' <"$work/out")"
fi

typo=$(conf typo "issuer = $IDP_ISSUER" "client_idd = x")
run "$typo"
check "unknown option: exit 2, names line and key" 2 '' "typo.conf:2: .*client_idd"

nocid=$(conf nocid "issuer = $IDP_ISSUER")
run "$nocid"
check "missing client_id: exit 2" 2 '' 'client_id'

otherca=$work/otherca
sh "$top_srcdir/tests/lib/mkcerts.sh" "$otherca" >/dev/null
badca=$(conf badca "issuer = $IDP_ISSUER" "client_id = test-es256" "ca_file = $otherca/ca.pem" "cache_dir = $work/cache2")
run "$badca"
check "certificate from another CA: exit 1, network error" 1 '' 'discovery: network error'

# The likely fixes, against misbehave.js shaped like real providers.
mbcerts=$work/mbcerts
sh "$top_srcdir/tests/lib/mkcerts.sh" "$mbcerts" >/dev/null
mb() { # mb SCENARIO [issuer suffix]: start it, write $work/mb.conf
	mb_launch "$work" "$mbcerts" "$1" || bail "misbehave.js"
	rm -rf "$work/mbcache"
	mbconf=$(conf mb "issuer = $MB_ISSUER${2:-}" "client_id = misbehave" "ca_file = $mbcerts/ca.pem" \
		"cache_dir = $work/mbcache")
}
mb ok
run "$mbconf"
check "scripted provider, plain: exit 0" 0 '^discovery: ok' ''
if grep -q 'hint\|set issuer\|never accepted' "$work/err"; then
	fail "a working provider gets no hint" "$(cat "$work/err")"
else
	pass "a working provider gets no hint"
fi
mb ok /
run "$mbconf"
check "issuer configured with a slash the provider lacks: names the fix" 1 '' \
	"discovery error: .*set issuer = $MB_ISSUER \\(without the trailing slash\\)"
mb issuer_slash
run "$mbconf"
check "provider's issuer ends in a slash (Auth0, authentik): names the fix" 1 '' \
	"discovery error: .*set issuer = $MB_ISSUER/ \\(with the trailing slash\\)"
timeout 30 "$PAM_OIDC" login --config "$mbconf" --user daemon >"$work/out" 2>"$work/err"
rc=$?
cp "$work/out" "$work/err.login"
cat "$work/err" >>"$work/err.login"
if [ "$rc" -eq 1 ] && grep -q "set issuer = $MB_ISSUER/ (with the trailing slash)" "$work/err.login"; then
	pass "pam-oidc login's own error carries the same hint"
else
	fail "pam-oidc login's own error carries the same hint" "exit $rc" "$(head -c 600 "$work/err.login")"
fi
mb issuer_slash /
run "$mbconf"
check "with the hinted issuer the same provider passes" 0 '^discovery: ok' ''
mb no_device
run "$mbconf"
check "no device endpoint in discovery (GitLab): names the option" 1 '' \
	"GitLab 17.1\\+: set device_authorization_endpoint = $MB_ISSUER/oauth/authorize_device"
mb hs256_only
run "$mbconf"
check "HS256 only (authentik without a signing key): names the fix" 1 '' \
	'HS256 is never accepted: select an asymmetric signing key at the provider \(authentik'
mb_stop

idp_kill
down=$(conf down "issuer = $IDP_ISSUER" "client_id = test-es256" "ca_file = $IDP_CA" "cache_dir = $work/cache3")
run "$down"
check "provider down: exit 1" 1 '' 'discovery: network error'
finish
