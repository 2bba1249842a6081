# SPDX-License-Identifier: BSD-2-Clause
check_PROGRAMS += tests/unit/test_common
TESTS += tests/unit/test_common
tests_unit_test_common_SOURCES = tests/unit/test_common.c
tests_unit_test_common_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_common_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_common_LDADD = $(TEST_LIBS)

# common/safefile.c and common/kv.c, built against common/ alone.
check_PROGRAMS += tests/unit/test_safefile
TESTS += tests/unit/test_safefile
tests_unit_test_safefile_SOURCES = tests/unit/test_safefile.c
tests_unit_test_safefile_CPPFLAGS = $(AM_CPPFLAGS)
tests_unit_test_safefile_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_safefile_LDADD = common/libcommon.la $(CMOCKA_LIBS)
