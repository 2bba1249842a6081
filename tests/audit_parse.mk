# SPDX-License-Identifier: BSD-2-Clause
# Tests of the audit record parser, the assembler and the event builder
# (owner: auparse).  test_audit_oracle compares them with libauparse.
AUDIT_PARSE_TEST_LIBS = auditd-helper/libauditparse.la $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_audit_record
TESTS += tests/unit/test_audit_record
tests_unit_test_audit_record_SOURCES = tests/unit/test_audit_record.c
tests_unit_test_audit_record_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/auditd-helper
tests_unit_test_audit_record_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_audit_record_LDADD = $(AUDIT_PARSE_TEST_LIBS)

check_PROGRAMS += tests/unit/test_audit_assemble
TESTS += tests/unit/test_audit_assemble
tests_unit_test_audit_assemble_SOURCES = tests/unit/test_audit_assemble.c
tests_unit_test_audit_assemble_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/auditd-helper
tests_unit_test_audit_assemble_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_audit_assemble_LDADD = $(AUDIT_PARSE_TEST_LIBS)

check_PROGRAMS += tests/unit/test_audit_oracle
TESTS += tests/unit/test_audit_oracle
tests_unit_test_audit_oracle_SOURCES = tests/unit/test_audit_oracle.c
tests_unit_test_audit_oracle_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/auditd-helper
tests_unit_test_audit_oracle_CFLAGS = $(TEST_CFLAGS) $(AUPARSE_CFLAGS)
tests_unit_test_audit_oracle_LDADD = $(AUDIT_PARSE_TEST_LIBS) $(AUPARSE_LIBS) -laudit

# Fuzz target for the record parser and the assembler; make check replays
# its seed corpus (tests/fuzz/corpus/audit) with the shared replay driver.
EXTRA_DIST += tests/fuzz/corpus/audit
if ENABLE_FUZZING
noinst_PROGRAMS += tests/unit/fuzz_audit
tests_unit_fuzz_audit_SOURCES = tests/unit/fuzz_audit.c
tests_unit_fuzz_audit_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS) -I$(top_srcdir)/auditd-helper
tests_unit_fuzz_audit_CFLAGS = $(AM_CFLAGS)
tests_unit_fuzz_audit_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
tests_unit_fuzz_audit_LDADD = auditd-helper/libauditparse.la
else
check_PROGRAMS += tests/unit/replay_audit
TESTS += tests/unit/replay_audit
tests_unit_replay_audit_SOURCES = tests/unit/fuzz_audit.c tests/fuzz/replay.c
tests_unit_replay_audit_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS) -I$(top_srcdir)/auditd-helper
tests_unit_replay_audit_CFLAGS = $(AM_CFLAGS)
tests_unit_replay_audit_LDADD = auditd-helper/libauditparse.la
endif
