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

# Root: requests and TLS connections per login at the provider, through
# the real sshd (tests/bench/provider_load.sh).
dist_noinst_SCRIPTS += tests/bench/provider_load.sh
bench-provider: pam_oidc/pam_oidc.la pam_oidc/oidc-child
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	$(SHELL) $(top_srcdir)/tests/bench/provider_load.sh
bench: bench-provider
.PHONY: bench-provider

# oidc-audit search against journalctl on a million entries in journal
# files of its own (tests/bench/search_bench.sh; no root, the machine's
# journal untouched).
dist_noinst_SCRIPTS += tests/bench/search_bench.sh
bench-search: auditd-helper/oidc-audit
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	$(SHELL) $(top_srcdir)/tests/bench/search_bench.sh
bench: bench-search
.PHONY: bench-search

# Root: the login's own cost through the real sshd, against a pass-through
# auth module in pam_oidc's place (tests/bench/login_cost.sh), and 100
# concurrent / many sequential logins (tests/bench/login_scale.sh).  The
# stand-in module is built here only; it is never installed.
EXTRA_LTLIBRARIES = tests/bench/pam_passthru.la
tests_bench_pam_passthru_la_SOURCES = tests/bench/pam_passthru.c
tests_bench_pam_passthru_la_CFLAGS = $(AM_CFLAGS)
tests_bench_pam_passthru_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared \
	-no-undefined -rpath $(abs_builddir)/tests/bench
tests_bench_pam_passthru_la_LIBADD = $(LIBPAM)
CLEANFILES += $(EXTRA_LTLIBRARIES)
dist_noinst_SCRIPTS += tests/bench/login_cost.sh tests/bench/login_scale.sh
EXTRA_DIST += tests/bench/idp_log.py
BENCH_LOGIN_DEPS = pam_oidc/pam_oidc.la pam_oidc/oidc-child tests/bench/pam_passthru.la
bench-login: $(BENCH_LOGIN_DEPS)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	$(SHELL) $(top_srcdir)/tests/bench/login_cost.sh $(BENCH_N)
bench-login-scale: $(BENCH_LOGIN_DEPS)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	$(SHELL) $(top_srcdir)/tests/bench/login_scale.sh $(BENCH_CONCURRENT) $(BENCH_SEQUENTIAL)
bench: bench-login bench-login-scale
.PHONY: bench-login bench-login-scale
