# SPDX-License-Identifier: BSD-2-Clause
# Configuration, HTTP, discovery and the JWKS cache (area "net").
EXTRA_DIST += tests/lib/httpsd.js tests/lib/mkcerts.sh

NET_TEST_SOURCES = tests/unit/net_testlib.c tests/unit/net_testlib.h

check_PROGRAMS += tests/unit/test_http
TESTS += tests/unit/test_http
tests_unit_test_http_SOURCES = tests/unit/test_http.c $(NET_TEST_SOURCES)
tests_unit_test_http_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_http_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_http_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_discovery
TESTS += tests/unit/test_discovery
tests_unit_test_discovery_SOURCES = tests/unit/test_discovery.c $(NET_TEST_SOURCES) \
	tests/unit/keyhelp.c tests/unit/keyhelp.h
tests_unit_test_discovery_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_discovery_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_discovery_LDADD = $(TEST_LIBS) $(LIBCRYPTO_LIBS) $(JSONC_LIBS)

check_PROGRAMS += tests/unit/test_conf
TESTS += tests/unit/test_conf
tests_unit_test_conf_SOURCES = tests/unit/test_conf.c $(NET_TEST_SOURCES)
tests_unit_test_conf_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_conf_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_conf_LDADD = $(TEST_LIBS)

# Drift test between the parser's options and man/pam_oidc.conf.5.
check_PROGRAMS += tests/unit/conf_names
tests_unit_conf_names_SOURCES = tests/unit/conf_names.c
tests_unit_conf_names_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_conf_names_CFLAGS = $(TEST_CFLAGS)
tests_unit_conf_names_LDADD = $(TEST_LIBS)
TESTS += tests/unit/conf_manpage.sh
dist_check_SCRIPTS += tests/unit/conf_manpage.sh
