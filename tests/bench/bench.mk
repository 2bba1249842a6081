# SPDX-License-Identifier: BSD-2-Clause
# Benchmarks: built by `make bench`, never part of make check (timings on a
# shared machine are reported as ratios against a baseline of the same run).
EXTRA_PROGRAMS = tests/bench/bench_verify
tests_bench_bench_verify_SOURCES = tests/bench/bench_verify.c
tests_bench_bench_verify_CPPFLAGS = $(TEST_CPPFLAGS)
tests_bench_bench_verify_CFLAGS = $(AM_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS)
tests_bench_bench_verify_LDADD = pam_oidc/libpamoidc.la $(LIBCRYPTO_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS)

bench-verify: tests/bench/bench_verify
	tests/bench/bench_verify
bench: bench-verify
.PHONY: bench bench-verify
