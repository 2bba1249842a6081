#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam_oidc.so exports exactly the pam_sm_* entry points it implements and
# does not link libcurl or libcrypto: no network and no JOSE in the host
# process (DESIGN.md, "Processes").
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
SO=${top_builddir:?}/pam_oidc/.libs/pam_oidc.so
if [ ! -f "$SO" ] || ! command -v nm >/dev/null || ! command -v readelf >/dev/null; then
	skip_all "pam_oidc.so, nm or readelf missing"
fi
plan 3
want=$'pam_sm_acct_mgmt\npam_sm_authenticate\npam_sm_close_session\npam_sm_open_session\npam_sm_setcred'
got=$(nm -D --defined-only "$SO" | awk '$2 ~ /^[TDBRVWi]$/ { print $3 }' | sort)
if [ "$got" = "$want" ]; then
	pass "the dynamic symbol table defines exactly the five pam_sm_* functions"
else
	fail "exported symbols differ" "$(diff <(echo "$want") <(echo "$got"))"
fi
needed=$(readelf -d "$SO" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
if echo "$needed" | grep -qE '^lib(curl|crypto|ssl)'; then
	fail "pam_oidc.so links a network or crypto library" "$needed"
else
	pass "pam_oidc.so links neither libcurl nor libcrypto"
fi
if nm -D --undefined-only "$SO" | grep -qE ' (curl_|EVP_|OSSL_|SSL_)'; then
	fail "pam_oidc.so refers to libcurl or OpenSSL symbols"
else
	pass "no libcurl or OpenSSL symbol is referenced"
fi
finish
