# SPDX-License-Identifier: BSD-2-Clause
# shared/: what both the module and the network side use, with neither
# libcurl nor libcrypto: configuration, the URL rule, the child protocol
# and its line channel, the identity, sanitising and the QR code.  Includes
# common/ only.
noinst_LTLIBRARIES += pam_oidc/shared/libshared.la
pam_oidc_shared_libshared_la_SOURCES = \
	pam_oidc/shared/conf.c pam_oidc/shared/conf.h \
	pam_oidc/shared/url.c pam_oidc/shared/url.h \
	pam_oidc/shared/child_proto.c pam_oidc/shared/child_proto.h \
	pam_oidc/shared/chan.c pam_oidc/shared/chan.h \
	pam_oidc/shared/identity.c pam_oidc/shared/identity.h \
	pam_oidc/shared/sanitize.c pam_oidc/shared/sanitize.h \
	pam_oidc/shared/qr.c pam_oidc/shared/qr.h
pam_oidc_shared_libshared_la_CPPFLAGS = $(PO_SHARED_CPPFLAGS) $(PO_DEFS)
pam_oidc_shared_libshared_la_CFLAGS = $(AM_CFLAGS) $(LIBQRENCODE_CFLAGS) $(JSONC_CFLAGS)
