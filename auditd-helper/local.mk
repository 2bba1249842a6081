# SPDX-License-Identifier: BSD-2-Clause
# oidc-audit.  parse.mk: records -> events (libauditparse.la); this file:
# enrichment, sinks, the daemon and search.
include auditd-helper/parse.mk

# Enrichment, sinks, loss accounting, back-fill and search (owner:
# auditsink), in a noinst library the unit tests link directly.
noinst_LTLIBRARIES += auditd-helper/liboidcaudit.la
auditd_helper_liboidcaudit_la_SOURCES = \
	auditd-helper/oidc_audit.h \
	auditd-helper/conf.c \
	auditd-helper/enrich.c \
	auditd-helper/fields.c \
	auditd-helper/sink_journal.c \
	auditd-helper/sink_json.c \
	auditd-helper/sink_ocsf.c \
	auditd-helper/loss.c \
	auditd-helper/backfill.c \
	auditd-helper/hostcheck.c \
	auditd-helper/search.c \
	auditd-helper/search_sort.c
auditd_helper_liboidcaudit_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/auditd-helper
auditd_helper_liboidcaudit_la_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(JSONC_CFLAGS)
auditd_helper_liboidcaudit_la_LIBADD = auditd-helper/libauditparse.la common/libcommon.la \
	$(LIBSYSTEMD_LIBS) $(JSONC_LIBS)

sbin_PROGRAMS += auditd-helper/oidc-audit
auditd_helper_oidc_audit_SOURCES = auditd-helper/oidc-audit.c
auditd_helper_oidc_audit_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/auditd-helper
auditd_helper_oidc_audit_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)
auditd_helper_oidc_audit_LDADD = auditd-helper/liboidcaudit.la
