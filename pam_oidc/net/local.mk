# SPDX-License-Identifier: BSD-2-Clause
# net/: HTTP (libcurl), the disk cache, discovery, the JWKS fetch and the
# device flow (RFC 8628).  Includes jose/, shared/ and common/.
noinst_LTLIBRARIES += pam_oidc/net/libnet.la
pam_oidc_net_libnet_la_SOURCES = \
	pam_oidc/net/http.c pam_oidc/net/http.h \
	pam_oidc/net/discovery.c pam_oidc/net/discovery.h \
	pam_oidc/net/jwks_fetch.c pam_oidc/net/cache.c \
	pam_oidc/net/cache.h pam_oidc/net/provider.h pam_oidc/net/jwks_fetch.h \
	pam_oidc/net/device_flow.c pam_oidc/net/device_flow.h
pam_oidc_net_libnet_la_CPPFLAGS = $(PO_NET_CPPFLAGS) $(PO_DEFS)
pam_oidc_net_libnet_la_CFLAGS = $(AM_CFLAGS) $(LIBCURL_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS)
