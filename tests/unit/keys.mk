# SPDX-License-Identifier: BSD-2-Clause
# JWK/JWKS, signature verification, RFC vectors and Wycheproof.
# keyhelp.c makes keys and tokens for the tests, independently of the code under test.
check_PROGRAMS += tests/unit/test_verify_rfc
TESTS += tests/unit/test_verify_rfc
tests_unit_test_verify_rfc_SOURCES = tests/unit/test_verify_rfc.c \
	tests/unit/keyhelp.c tests/unit/keyhelp.h
tests_unit_test_verify_rfc_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_verify_rfc_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_verify_rfc_LDADD = $(TEST_LIBS) $(LIBCRYPTO_LIBS) $(JSONC_LIBS)

EXTRA_DIST += tests/unit/vectors/rfc_jws.json

check_PROGRAMS += tests/unit/test_jwk
TESTS += tests/unit/test_jwk
tests_unit_test_jwk_SOURCES = tests/unit/test_jwk.c tests/unit/keyhelp.c tests/unit/keyhelp.h
tests_unit_test_jwk_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_jwk_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_jwk_LDADD = $(TEST_LIBS) $(LIBCRYPTO_LIBS) $(JSONC_LIBS)

check_PROGRAMS += tests/unit/test_wycheproof
TESTS += tests/unit/test_wycheproof
tests_unit_test_wycheproof_SOURCES = tests/unit/test_wycheproof.c \
	tests/unit/keyhelp.c tests/unit/keyhelp.h
tests_unit_test_wycheproof_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_wycheproof_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_wycheproof_LDADD = $(TEST_LIBS) $(LIBCRYPTO_LIBS) $(JSONC_LIBS)
