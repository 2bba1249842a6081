#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam_oidc.so exports exactly the pam_sm_* entry points it implements and
# does not link libcurl or libcrypto: no network and no JOSE in the host
# process (DESIGN.md, "Processes").
set -u
SO=${top_builddir:?}/pam_oidc/.libs/pam_oidc.so
if [ ! -f "$SO" ] || ! command -v nm >/dev/null || ! command -v readelf >/dev/null; then
	echo "1..0 # SKIP pam_oidc.so, nm or readelf missing"
	exit 0
fi
echo "1..3"
want=$'pam_sm_acct_mgmt\npam_sm_authenticate\npam_sm_close_session\npam_sm_open_session\npam_sm_setcred'
got=$(nm -D --defined-only "$SO" | awk '$2 ~ /^[TDBRVWi]$/ { print $3 }' | sort)
if [ "$got" = "$want" ]; then
	echo "ok 1 - the dynamic symbol table defines exactly the five pam_sm_* functions"
else
	echo "not ok 1 - exported symbols differ"
	diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
fi
needed=$(readelf -d "$SO" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
if echo "$needed" | grep -qE '^lib(curl|crypto|ssl)'; then
	echo "not ok 2 - pam_oidc.so links a network or crypto library"
	echo "$needed" | sed 's/^/# /'
else
	echo "ok 2 - pam_oidc.so links neither libcurl nor libcrypto"
fi
if nm -D --undefined-only "$SO" | grep -qE ' (curl_|EVP_|OSSL_|SSL_)'; then
	echo "not ok 3 - pam_oidc.so refers to libcurl or OpenSSL symbols"
else
	echo "ok 3 - no libcurl or OpenSSL symbol is referenced"
fi
