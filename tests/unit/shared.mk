# SPDX-License-Identifier: BSD-2-Clause
# shared/: the line channel of the child socket ...
check_PROGRAMS += tests/unit/test_chan
TESTS += tests/unit/test_chan
tests_unit_test_chan_SOURCES = tests/unit/test_chan.c
tests_unit_test_chan_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_chan_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_chan_LDADD = $(TEST_LIBS)

# ... and the identity codec the protocol and the pending record share.
check_PROGRAMS += tests/unit/test_identity
TESTS += tests/unit/test_identity
tests_unit_test_identity_SOURCES = tests/unit/test_identity.c
tests_unit_test_identity_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_identity_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_identity_LDADD = $(TEST_LIBS)
