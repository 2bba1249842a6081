# SPDX-License-Identifier: BSD-2-Clause
# module/: pam_oidc.so -- the pam_sm_* entry points, the child client and
# spawn, the prompt, the pending record and the session phase.  Includes
# shared/ and common/ only: no libcurl, no JOSE in the host process
# (tests/pam/module_symbols.sh checks the linked result).
pam_LTLIBRARIES += pam_oidc/pam_oidc.la
pam_oidc_pam_oidc_la_SOURCES = \
	pam_oidc/module/pam_oidc.c \
	pam_oidc/module/converse.c pam_oidc/module/converse.h \
	pam_oidc/module/child_spawn.c pam_oidc/module/child_spawn.h \
	pam_oidc/module/pending.c pam_oidc/module/pending.h \
	pam_oidc/module/session.c pam_oidc/module/session.h
pam_oidc_pam_oidc_la_CPPFLAGS = $(PO_SHARED_CPPFLAGS) -I$(top_srcdir)/pam_oidc/module $(PO_DEFS)
pam_oidc_pam_oidc_la_CFLAGS = $(AM_CFLAGS) $(LIBQRENCODE_CFLAGS) $(LIBSYSTEMD_CFLAGS)
pam_oidc_pam_oidc_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared -no-undefined \
	-export-symbols $(srcdir)/pam_oidc/module/export.sym
pam_oidc_pam_oidc_la_LIBADD = pam_oidc/shared/libshared.la common/libcommon.la \
	$(LIBPAM) $(LIBQRENCODE_LIBS) $(LIBSYSTEMD_LIBS) $(JSONC_LIBS)
EXTRA_DIST += pam_oidc/module/export.sym
