# SPDX-License-Identifier: BSD-2-Clause
# oidc-audit tests (auditsink): registry, journal fields, enrichment, sinks,
# search arguments; end-to-end scripts under tests/e2e/.
AUDIT_TEST_LIBS = tests/libtesthelp.la common/libcommon.la $(CMOCKA_LIBS) $(JSONC_LIBS) $(LIBSYSTEMD_LIBS)

check_PROGRAMS += tests/unit/test_registry
TESTS += tests/unit/test_registry
tests_unit_test_registry_SOURCES = tests/unit/test_registry.c
tests_unit_test_registry_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_registry_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_registry_LDADD = $(AUDIT_TEST_LIBS)

check_PROGRAMS += tests/unit/test_journal_fields
TESTS += tests/unit/test_journal_fields
tests_unit_test_journal_fields_SOURCES = tests/unit/test_journal_fields.c
tests_unit_test_journal_fields_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_journal_fields_CFLAGS = $(TEST_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_journal_fields_LDADD = $(AUDIT_TEST_LIBS)

AUDIT_HELPER_TEST_LIBS = tests/libtesthelp.la auditd-helper/liboidcaudit.la $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_audit_sink
TESTS += tests/unit/test_audit_sink
tests_unit_test_audit_sink_SOURCES = tests/unit/test_audit_sink.c
tests_unit_test_audit_sink_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/auditd-helper
tests_unit_test_audit_sink_CFLAGS = $(TEST_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(JSONC_CFLAGS)
tests_unit_test_audit_sink_LDADD = $(AUDIT_HELPER_TEST_LIBS) $(JSONC_LIBS)
dist_check_DATA += tests/unit/data/audit_sink.golden
CLEANFILES += audit_sink.out

check_PROGRAMS += tests/unit/test_audit_search
TESTS += tests/unit/test_audit_search
tests_unit_test_audit_search_SOURCES = tests/unit/test_audit_search.c
tests_unit_test_audit_search_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/auditd-helper
tests_unit_test_audit_search_CFLAGS = $(TEST_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_audit_search_LDADD = $(AUDIT_HELPER_TEST_LIBS)

# search over journal-remote's files of three hosts (non-root; SKIP without
# Debian's systemd-journal-remote)
TESTS += tests/audit_search_hosts.sh
dist_check_SCRIPTS += tests/audit_search_hosts.sh
# contrib/journal-remote/: certificates, option names, a real HTTPS upload on a
# private port (non-root)
TESTS += tests/journal_remote_tls.sh
dist_check_SCRIPTS += tests/journal_remote_tls.sh

# Root: hosts of their own in namespaces (tests/lib/nshost.sh).
TESTS += tests/e2e/nshost.sh
dist_check_SCRIPTS += tests/e2e/nshost.sh
# Root: Forward Secure Sealing of a journal with oidc-audit entries, on a
# namespaced host (oidc-audit(8), "Sealed journals").
TESTS += tests/e2e/sealed_journal.sh
dist_check_SCRIPTS += tests/e2e/sealed_journal.sh
dist_check_DATA += tests/data/audit-fragment.log
# Root, kernel audit, auditd, namespaces and systemd-journal-remote: a
# fleet of three hosts shipping to a central one over HTTPS, with faults.
TESTS += tests/e2e/fleet.sh
dist_check_SCRIPTS += tests/e2e/fleet.sh

check_PROGRAMS += tests/unit/test_audit_hostcheck
TESTS += tests/unit/test_audit_hostcheck
tests_unit_test_audit_hostcheck_SOURCES = tests/unit/test_audit_hostcheck.c
tests_unit_test_audit_hostcheck_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/auditd-helper
tests_unit_test_audit_hostcheck_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_audit_hostcheck_LDADD = $(AUDIT_HELPER_TEST_LIBS)

TESTS += tests/e2e/audit_contrib.sh
dist_check_SCRIPTS += tests/e2e/audit_contrib.sh

# Root, kernel audit, auditd and journald (skips itself without them).
TESTS += tests/e2e/audit_journal.sh
dist_check_SCRIPTS += tests/e2e/audit_journal.sh

# The same, for the reads that once passed the rules: i386 system calls and
# io_uring (bypass_read makes them).
check_PROGRAMS += tests/e2e/bypass_read
tests_e2e_bypass_read_SOURCES = tests/e2e/bypass_read.c
TESTS += tests/e2e/audit_bypass.sh
dist_check_SCRIPTS += tests/e2e/audit_bypass.sh

# Benchmark (not part of make check): `make bench-audit`, or as part of
# `make bench`.  See tests/bench/audit_bench.sh.
EXTRA_PROGRAMS += tests/bench/sendv_ceiling
tests_bench_sendv_ceiling_SOURCES = tests/bench/sendv_ceiling.c
tests_bench_sendv_ceiling_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_bench_sendv_ceiling_LDADD = common/libcommon.la $(JSONC_LIBS) $(LIBSYSTEMD_LIBS)
dist_noinst_SCRIPTS += tests/bench/audit_bench.sh

bench-audit: auditd-helper/oidc-audit tests/bench/sendv_ceiling
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	SHARED_DIR='$(abs_top_srcdir)/../shared' $(SHELL) $(top_srcdir)/tests/bench/audit_bench.sh
bench: bench-audit
.PHONY: bench-audit

# journald stopped for 60 s under 5,000 commands: back-filled from audit.log,
# and what audit.log lost reported (root; skips itself without them).
TESTS += tests/e2e/audit_outage.sh
dist_check_SCRIPTS += tests/e2e/audit_outage.sh

# Root, kernel audit, auditd, journald, laurel: an exec storm in an
# identity session under no rules, the contrib rules, oidc-audit and
# laurel (tests/bench/exec_storm.sh; N, OBJS, REPS, BACKLOG, WAIT_TIME).
dist_noinst_SCRIPTS += tests/bench/exec_storm.sh
bench-exec-storm: auditd-helper/oidc-audit
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	$(SHELL) $(top_srcdir)/tests/bench/exec_storm.sh
bench: bench-exec-storm
.PHONY: bench-exec-storm

TESTS += tests/e2e/audit_replay.sh
dist_check_SCRIPTS += tests/e2e/audit_replay.sh

# --output ocsf of replay and search, against the schema subset (no root).
TESTS += tests/e2e/audit_ocsf.sh
dist_check_SCRIPTS += tests/e2e/audit_ocsf.sh tests/ocsf_check.py
dist_check_DATA += tests/data/ocsf-1.3.0-subset.json
