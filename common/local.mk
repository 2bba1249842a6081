# SPDX-License-Identifier: BSD-2-Clause
noinst_LTLIBRARIES += common/libcommon.la
common_libcommon_la_SOURCES = \
	common/oidc_err.c common/oidc_err.h \
	common/numparse.c common/numparse.h \
	common/buf.c common/buf.h \
	common/safefile.c common/safefile.h \
	common/kv.c common/kv.h \
	common/jose_alg.c common/jose_alg.h \
	common/clock.c common/clock.h \
	common/text.c common/text.h \
	common/registry.c common/registry.h \
	common/journal_fields.c common/journal_fields.h \
	common/journal_names.h
common_libcommon_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(LIBSYSTEMD_CFLAGS)
common_libcommon_la_LIBADD = $(JSONC_LIBS) $(LIBSYSTEMD_LIBS)
