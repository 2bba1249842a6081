# SPDX-License-Identifier: BSD-2-Clause
# oidc-child, the device flow, the user mapping and pam-oidc login.
check_PROGRAMS += tests/child/child_driver
tests_child_child_driver_SOURCES = tests/child/child_driver.c
tests_child_child_driver_CPPFLAGS = $(TEST_CPPFLAGS)
tests_child_child_driver_CFLAGS = $(TEST_CFLAGS)
tests_child_child_driver_LDADD = $(TEST_LIBS)

CHILD_SH_TESTS = tests/child/misbehave.sh tests/child/misbehave_slow.sh
TESTS += $(CHILD_SH_TESTS)
dist_check_SCRIPTS += $(CHILD_SH_TESTS)
EXTRA_DIST += tests/child/lib.sh tests/idp/misbehave.js
