# SPDX-License-Identifier: BSD-2-Clause
# shared/: the line channel of the child socket.
check_PROGRAMS += tests/unit/test_chan
TESTS += tests/unit/test_chan
tests_unit_test_chan_SOURCES = tests/unit/test_chan.c
tests_unit_test_chan_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_chan_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_chan_LDADD = $(TEST_LIBS)
