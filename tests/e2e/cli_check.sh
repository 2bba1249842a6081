#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam-oidc check against the real test provider: a working configuration
# lists the endpoints and keys (exit 0); a configuration error is exit 2 and
# names the line; a provider that is down, or a CA that does not match,
# is exit 1 with the reason.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/idp/lib.sh"
idp_available || skip_all "$IDP_SKIP_REASON"
PAM_OIDC=${top_builddir:?}/pam_oidc/pam-oidc
work=$(mktemp -d /tmp/pam_oidc-check.XXXXXX) || exit 1
at_exit rm -rf "$work"
at_exit idp_stop
plan 6
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

idp_kill
down=$(conf down "issuer = $IDP_ISSUER" "client_id = test-es256" "ca_file = $IDP_CA" "cache_dir = $work/cache3")
run "$down"
check "provider down: exit 1" 1 '' 'discovery: network error'
finish
