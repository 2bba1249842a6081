# SPDX-License-Identifier: BSD-2-Clause
# Strict JOSE parsing and claims: base64url, JSON, JWS, claims.
check_PROGRAMS += tests/unit/test_b64url
TESTS += tests/unit/test_b64url
tests_unit_test_b64url_SOURCES = tests/unit/test_b64url.c
tests_unit_test_b64url_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_b64url_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_b64url_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_json_strict
TESTS += tests/unit/test_json_strict
tests_unit_test_json_strict_SOURCES = tests/unit/test_json_strict.c
tests_unit_test_json_strict_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_json_strict_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_json_strict_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_jws
TESTS += tests/unit/test_jws
tests_unit_test_jws_SOURCES = tests/unit/test_jws.c
tests_unit_test_jws_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_jws_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_jws_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_claims
TESTS += tests/unit/test_claims
tests_unit_test_claims_SOURCES = tests/unit/test_claims.c
tests_unit_test_claims_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_claims_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_claims_LDADD = $(TEST_LIBS)
