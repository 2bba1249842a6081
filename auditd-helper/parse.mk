# SPDX-License-Identifier: BSD-2-Clause
# Audit records -> events: the hand parser, the assembler, the event
# builder and the syscall tables (owner: auparse).
noinst_LTLIBRARIES += auditd-helper/libauditparse.la
auditd_helper_libauditparse_la_SOURCES = \
	auditd-helper/record.c auditd-helper/record.h \
	auditd-helper/assemble.c auditd-helper/assemble.h \
	auditd-helper/event.c auditd-helper/event.h \
	auditd-helper/syscalls.c auditd-helper/syscalls.h
auditd_helper_libauditparse_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/auditd-helper
auditd_helper_libauditparse_la_LIBADD = common/libcommon.la
