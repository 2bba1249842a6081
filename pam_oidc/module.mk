# SPDX-License-Identifier: BSD-2-Clause
# pam_oidc.so: PAM items, the conversation, the child, the session registry
# and journald.  It links only what that needs: conf.c (with the curl-free
# URL rule and the alg table), the child protocol and libcommon.  No
# libcurl, no JOSE in the host process (tests/pam/module_symbols.sh checks).
pam_LTLIBRARIES += pam_oidc/pam_oidc.la
pam_oidc_pam_oidc_la_SOURCES = \
	pam_oidc/pam_oidc.c \
	pam_oidc/converse.c pam_oidc/converse.h \
	pam_oidc/qr.c pam_oidc/qr.h \
	pam_oidc/sanitize.c pam_oidc/sanitize.h \
	pam_oidc/child_spawn.c pam_oidc/child_spawn.h \
	pam_oidc/pending.c pam_oidc/pending.h \
	pam_oidc/identity.c pam_oidc/identity.h \
	pam_oidc/session.c pam_oidc/session.h \
	pam_oidc/child_proto.c pam_oidc/child_proto.h \
	pam_oidc/conf.c pam_oidc/conf.h \
	pam_oidc/http_url.c pam_oidc/http.h \
	pam_oidc/jose_alg.c pam_oidc/jose_alg.h
pam_oidc_pam_oidc_la_CFLAGS = $(AM_CFLAGS) $(LIBQRENCODE_CFLAGS) $(LIBSYSTEMD_CFLAGS)
pam_oidc_pam_oidc_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared -no-undefined \
	-export-symbols $(srcdir)/pam_oidc/export.sym
pam_oidc_pam_oidc_la_LIBADD = common/libcommon.la $(LIBPAM) $(LIBQRENCODE_LIBS) $(LIBSYSTEMD_LIBS)
EXTRA_DIST += pam_oidc/export.sym
