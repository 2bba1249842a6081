# SPDX-License-Identifier: BSD-2-Clause
# jose/: base64url, strict JSON, JWS, JWK/JWKS, signatures, claims and the
# one ID-token verdict (verify_token).  No network.  Includes common/ only.
noinst_LTLIBRARIES += pam_oidc/jose/libjose.la
pam_oidc_jose_libjose_la_SOURCES = \
	pam_oidc/jose/b64url.c pam_oidc/jose/b64url.h \
	pam_oidc/jose/json_strict.c pam_oidc/jose/json_strict.h \
	pam_oidc/jose/jws.c pam_oidc/jose/jws.h \
	pam_oidc/jose/jwk.c pam_oidc/jose/jwks.c pam_oidc/jose/jwks.h \
	pam_oidc/jose/jws_verify.c \
	pam_oidc/jose/claims.c pam_oidc/jose/claims.h \
	pam_oidc/jose/verify.c pam_oidc/jose/verify.h
pam_oidc_jose_libjose_la_CPPFLAGS = $(PO_JOSE_CPPFLAGS) $(PO_DEFS)
pam_oidc_jose_libjose_la_CFLAGS = $(AM_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS)
