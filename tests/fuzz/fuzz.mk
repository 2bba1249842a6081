# SPDX-License-Identifier: BSD-2-Clause
# Fuzz targets.  make check replays each seed corpus (tests/fuzz/corpus/NAME)
# through the target as an ordinary test; ./configure --enable-fuzzing (with
# CC=clang) builds the same targets as libFuzzer binaries fuzz_NAME:
#     mkdir -p new && tests/fuzz/fuzz_jws -max_total_time=60 new $(srcdir)/tests/fuzz/corpus/jws
# (libFuzzer adds what it finds to the first folder it is given, so not the seeds).
FUZZ_NAMES = b64url json jws jwks claims conf
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/fuzz.h

FUZZ_COMMON_CPPFLAGS = $(AM_CPPFLAGS) $(PO_FLOW_CPPFLAGS) -I$(top_srcdir)/tests/fuzz
FUZZ_COMMON_CFLAGS = $(AM_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS)
FUZZ_COMMON_LIBS = pam_oidc/libpamoidc.la

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_b64url tests/fuzz/fuzz_json tests/fuzz/fuzz_jws \
	tests/fuzz/fuzz_jwks tests/fuzz/fuzz_claims tests/fuzz/fuzz_conf
FUZZ_LINK_FLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_b64url_SOURCES = tests/fuzz/fuzz_b64url.c
tests_fuzz_fuzz_json_SOURCES = tests/fuzz/fuzz_json.c
tests_fuzz_fuzz_jws_SOURCES = tests/fuzz/fuzz_jws.c
tests_fuzz_fuzz_jwks_SOURCES = tests/fuzz/fuzz_jwks.c
tests_fuzz_fuzz_claims_SOURCES = tests/fuzz/fuzz_claims.c
tests_fuzz_fuzz_conf_SOURCES = tests/fuzz/fuzz_conf.c
tests_fuzz_fuzz_b64url_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_fuzz_json_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_fuzz_jws_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_fuzz_jwks_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_fuzz_claims_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_fuzz_conf_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_fuzz_b64url_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_fuzz_json_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_fuzz_jws_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_fuzz_jwks_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_fuzz_claims_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_fuzz_conf_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_fuzz_b64url_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_json_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_jws_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_jwks_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_claims_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_conf_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_b64url_LDADD = $(FUZZ_COMMON_LIBS)
tests_fuzz_fuzz_json_LDADD = $(FUZZ_COMMON_LIBS)
tests_fuzz_fuzz_jws_LDADD = $(FUZZ_COMMON_LIBS)
tests_fuzz_fuzz_jwks_LDADD = $(FUZZ_COMMON_LIBS)
tests_fuzz_fuzz_claims_LDADD = $(FUZZ_COMMON_LIBS)
tests_fuzz_fuzz_conf_LDADD = $(FUZZ_COMMON_LIBS)
else
FUZZ_REPLAY = tests/fuzz/replay_b64url tests/fuzz/replay_json tests/fuzz/replay_jws \
	tests/fuzz/replay_jwks tests/fuzz/replay_claims tests/fuzz/replay_conf
check_PROGRAMS += $(FUZZ_REPLAY)
TESTS += $(FUZZ_REPLAY)
tests_fuzz_replay_b64url_SOURCES = tests/fuzz/fuzz_b64url.c tests/fuzz/replay.c
tests_fuzz_replay_json_SOURCES = tests/fuzz/fuzz_json.c tests/fuzz/replay.c
tests_fuzz_replay_jws_SOURCES = tests/fuzz/fuzz_jws.c tests/fuzz/replay.c
tests_fuzz_replay_jwks_SOURCES = tests/fuzz/fuzz_jwks.c tests/fuzz/replay.c
tests_fuzz_replay_claims_SOURCES = tests/fuzz/fuzz_claims.c tests/fuzz/replay.c
tests_fuzz_replay_conf_SOURCES = tests/fuzz/fuzz_conf.c tests/fuzz/replay.c
tests_fuzz_replay_b64url_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_replay_json_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_replay_jws_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_replay_jwks_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_replay_claims_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_replay_conf_CPPFLAGS = $(FUZZ_COMMON_CPPFLAGS)
tests_fuzz_replay_b64url_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_replay_json_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_replay_jws_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_replay_jwks_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_replay_claims_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_replay_conf_CFLAGS = $(FUZZ_COMMON_CFLAGS)
tests_fuzz_replay_b64url_LDADD = $(FUZZ_COMMON_LIBS)
tests_fuzz_replay_json_LDADD = $(FUZZ_COMMON_LIBS)
tests_fuzz_replay_jws_LDADD = $(FUZZ_COMMON_LIBS)
tests_fuzz_replay_jwks_LDADD = $(FUZZ_COMMON_LIBS)
tests_fuzz_replay_claims_LDADD = $(FUZZ_COMMON_LIBS)
tests_fuzz_replay_conf_LDADD = $(FUZZ_COMMON_LIBS)
endif
