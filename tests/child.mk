# SPDX-License-Identifier: BSD-2-Clause
# oidc-child, the device flow, the user mapping and pam-oidc login.
check_PROGRAMS += tests/child/child_driver
tests_child_child_driver_SOURCES = tests/child/child_driver.c
tests_child_child_driver_CPPFLAGS = $(TEST_CPPFLAGS)
tests_child_child_driver_CFLAGS = $(TEST_CFLAGS)
tests_child_child_driver_LDADD = $(TEST_LIBS)

CHILD_SH_TESTS = tests/child/misbehave.sh tests/child/misbehave_slow.sh \
	tests/child/hygiene.sh tests/child/idp_login.sh tests/child/cli_login.sh \
	tests/child/verify_agree.sh tests/child/required_claims.sh tests/child/providers.sh
TESTS += $(CHILD_SH_TESTS)
dist_check_SCRIPTS += $(CHILD_SH_TESTS)
EXTRA_DIST += tests/child/lib.sh tests/idp/misbehave.js tests/idp/corpus.js tests/idp/profiles.js

check_PROGRAMS += tests/child/test_child
TESTS += tests/child/test_child
tests_child_test_child_SOURCES = tests/child/test_child.c
tests_child_test_child_CPPFLAGS = $(TEST_CPPFLAGS)
tests_child_test_child_CFLAGS = $(TEST_CFLAGS)
tests_child_test_child_LDADD = $(TEST_LIBS)

# Fuzz target for the child's parsers; make check replays its seed corpus
# (tests/fuzz/corpus/child) with the shared replay driver.
EXTRA_DIST += tests/fuzz/corpus/child
if ENABLE_FUZZING
noinst_PROGRAMS += tests/child/fuzz_child
tests_child_fuzz_child_SOURCES = tests/child/fuzz_child.c
tests_child_fuzz_child_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_child_fuzz_child_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_child_fuzz_child_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
tests_child_fuzz_child_LDADD = $(FUZZ_COMMON_LIBS)
else
check_PROGRAMS += tests/child/replay_child
TESTS += tests/child/replay_child
tests_child_replay_child_SOURCES = tests/child/fuzz_child.c tests/fuzz/replay.c
tests_child_replay_child_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_child_replay_child_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_child_replay_child_LDADD = $(FUZZ_COMMON_LIBS)
endif
