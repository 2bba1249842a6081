# SPDX-License-Identifier: BSD-2-Clause
check_PROGRAMS += tests/unit/test_common
TESTS += tests/unit/test_common
tests_unit_test_common_SOURCES = tests/unit/test_common.c
tests_unit_test_common_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_common_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_common_LDADD = $(TEST_LIBS)
