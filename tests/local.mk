# SPDX-License-Identifier: BSD-2-Clause
# Shared test helpers and one fragment per area.
noinst_LTLIBRARIES += tests/libtesthelp.la
tests_libtesthelp_la_SOURCES = tests/testhelp.c tests/testhelp.h
tests_libtesthelp_la_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_libtesthelp_la_LIBADD = $(CMOCKA_LIBS)

# The tests may look at every part.
TEST_CPPFLAGS = $(AM_CPPFLAGS) $(PO_FLOW_CPPFLAGS) -I$(top_srcdir)/pam_oidc/module \
	-I$(top_srcdir)/pam_oidc/cli -I$(top_srcdir)/tests
TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS)
TEST_LIBS = tests/libtesthelp.la pam_oidc/libpamoidc.la $(CMOCKA_LIBS)

include tests/unit/common.mk
include tests/unit/shared.mk
include tests/unit/jose.mk
include tests/unit/keys.mk
include tests/unit/net.mk
include tests/idp/idp.mk
include tests/fuzz/fuzz.mk
include tests/bench/bench.mk
include tests/audit.mk
include tests/audit_parse.mk
include tests/child.mk
include tests/pam.mk
include tests/deb/chroot.mk

# The shell tests' shared library (TAP, processes, locks, accounts).
EXTRA_DIST += tests/lib/tap.sh tests/lib/procs.sh tests/lib/nshost.sh tests/lib/locks.sh tests/lib/accounts.sh tests/lib/deps.sh \
	tests/lib/auditd.sh tests/lib/pubcopy.sh tests/lib/laurel.sh tests/lib/keypair.cjs

TESTS += tests/manlint.sh tests/doc_journalctl_uid.sh tests/arch/include_graph.sh
EXTRA_DIST += tests/arch/include_graph.sh
EXTRA_DIST += tests/manlint.sh tests/doc_journalctl_uid.sh
TESTS += tests/shellcheck.sh
EXTRA_DIST += tests/shellcheck.sh .shellcheckrc
TESTS += tests/cli_verify.sh
EXTRA_DIST += tests/cli_verify.sh
TESTS += tests/e2e/cli_check.sh
EXTRA_DIST += tests/e2e/cli_check.sh

# The compiled tests (cmocka programs and corpus replays): tests/run runs
# them again under ASan+UBSan and under valgrind.
print-compiled-tests:
	@echo $(filter-out %.sh,$(TESTS))
.PHONY: print-compiled-tests

# The Debian packages (debian/, built by tests/deb/build.sh): lintian, and
# the same files as make install.  They share one build (tests/deb/lib.sh).
TESTS += tests/deb/lintian.sh tests/deb/install_files.sh tests/deb/maintscripts.sh
EXTRA_DIST += tests/deb/build.sh tests/deb/lib.sh tests/deb/lintian.sh tests/deb/install_files.sh tests/deb/maintscripts.sh \
	debian/changelog debian/control debian/copyright debian/rules debian/source/format \
	debian/libpam-oidc.install debian/libpam-oidc.lintian-overrides debian/libpam-oidc.postrm \
	debian/oidc-audit.install debian/oidc-audit.postinst debian/oidc-audit.postrm
