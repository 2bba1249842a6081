# SPDX-License-Identifier: BSD-2-Clause
# oidc-child, the device flow, the user mapping and pam-oidc login.
check_PROGRAMS += tests/child/child_driver
tests_child_child_driver_SOURCES = tests/child/child_driver.c
tests_child_child_driver_CPPFLAGS = $(TEST_CPPFLAGS)
tests_child_child_driver_CFLAGS = $(TEST_CFLAGS)
tests_child_child_driver_LDADD = $(TEST_LIBS)

CHILD_SH_TESTS = tests/child/misbehave.sh tests/child/misbehave_slow.sh \
	tests/child/hygiene.sh tests/child/idp_login.sh tests/child/cli_login.sh
TESTS += $(CHILD_SH_TESTS)
dist_check_SCRIPTS += $(CHILD_SH_TESTS)
EXTRA_DIST += tests/child/lib.sh tests/idp/misbehave.js

check_PROGRAMS += tests/child/test_child
TESTS += tests/child/test_child
tests_child_test_child_SOURCES = tests/child/test_child.c
tests_child_test_child_CPPFLAGS = $(TEST_CPPFLAGS)
tests_child_test_child_CFLAGS = $(TEST_CFLAGS)
tests_child_test_child_LDADD = $(TEST_LIBS)
