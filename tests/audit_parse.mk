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
