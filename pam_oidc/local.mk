# SPDX-License-Identifier: BSD-2-Clause
# All logic lives in libpamoidc.la; the front ends are thin.
noinst_LTLIBRARIES += pam_oidc/libpamoidc.la
pam_oidc_libpamoidc_la_SOURCES = \
	pam_oidc/jose_alg.c pam_oidc/jose_alg.h \
	pam_oidc/b64url.c pam_oidc/b64url.h \
	pam_oidc/json_strict.c pam_oidc/json_strict.h \
	pam_oidc/jws.c pam_oidc/jws.h \
	pam_oidc/jwk.c pam_oidc/jwks.c pam_oidc/jwks.h \
	pam_oidc/jws_verify.c \
	pam_oidc/claims.c pam_oidc/claims.h \
	pam_oidc/verify.c pam_oidc/verify.h \
	pam_oidc/http.c pam_oidc/http.h pam_oidc/http_url.c \
	pam_oidc/discovery.c pam_oidc/jwks_cache.c pam_oidc/discovery.h \
	pam_oidc/conf.c pam_oidc/conf.h \
	pam_oidc/policy.c pam_oidc/policy.h \
	pam_oidc/identity.c pam_oidc/identity.h
pam_oidc_libpamoidc_la_CFLAGS = $(AM_CFLAGS) $(LIBCURL_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS)
pam_oidc_libpamoidc_la_LIBADD = common/libcommon.la $(LIBCURL_LIBS) $(LIBCRYPTO_LIBS) $(JSONC_LIBS)

# pam-oidc: the administrator's tool (verify, later login and check)
sbin_PROGRAMS += pam_oidc/pam-oidc
pam_oidc_pam_oidc_SOURCES = pam_oidc/cli.c pam_oidc/cli.h pam_oidc/cli_verify.c pam_oidc/cli_login.c pam_oidc/cli_check.c
pam_oidc_pam_oidc_CFLAGS = $(AM_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS)
pam_oidc_pam_oidc_LDADD = pam_oidc/libpamoidc.la

# The device-flow login: oidc-child and pam_oidc.so (child.mk, module.mk).
include pam_oidc/child.mk
include pam_oidc/module.mk
