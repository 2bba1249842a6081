# SPDX-License-Identifier: BSD-2-Clause
# pam_oidc.so: unit tests of its parts, module tests through the real libpam
# (pam_wrapper + libpamtest), and the sshd end-to-end tests.
MODULE_PART_SOURCES = \
	pam_oidc/module/pending.c pam_oidc/module/child_spawn.c pam_oidc/module/session.c

check_PROGRAMS += tests/pam/test_module_parts
TESTS += tests/pam/test_module_parts
tests_pam_test_module_parts_SOURCES = tests/pam/test_module_parts.c $(MODULE_PART_SOURCES)
tests_pam_test_module_parts_CPPFLAGS = $(TEST_CPPFLAGS)
tests_pam_test_module_parts_CFLAGS = $(TEST_CFLAGS) $(LIBQRENCODE_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_pam_test_module_parts_LDADD = $(TEST_LIBS) $(LIBQRENCODE_LIBS) $(LIBSYSTEMD_LIBS)

# pamtest_run drives one login through libpam for the shell tests.
if HAVE_PAMTEST
check_PROGRAMS += tests/pam/pamtest_run
tests_pam_pamtest_run_SOURCES = tests/pam/pamtest_run.c
tests_pam_pamtest_run_CPPFLAGS = $(TEST_CPPFLAGS)
tests_pam_pamtest_run_CFLAGS = $(AM_CFLAGS) $(PAMTEST_CFLAGS)
tests_pam_pamtest_run_LDADD = $(PAMTEST_LIBS) $(LIBPAM)
endif

if HAVE_PAMTEST
TESTS += tests/pam/pam_oidc.sh
endif
dist_check_SCRIPTS += tests/pam/pam_oidc.sh
# The fault matrix: one login per provider or network fault, code, message
# and time to fail; its table is in pam_oidc(8), FAULTS.
if HAVE_PAMTEST
TESTS += tests/pam/fault_matrix.sh
endif
dist_check_SCRIPTS += tests/pam/fault_matrix.sh
TESTS += tests/pam/module_symbols.sh
dist_check_SCRIPTS += tests/pam/module_symbols.sh

# End to end with the real sshd (root; skipped otherwise).
TESTS += tests/e2e/sshd_login.sh
dist_check_SCRIPTS += tests/e2e/sshd_login.sh
EXTRA_DIST += tests/e2e/sshd_lib.sh tests/e2e/sshd_login.exp
TESTS += tests/e2e/sshd_concurrent.sh
dist_check_SCRIPTS += tests/e2e/sshd_concurrent.sh
TESTS += tests/e2e/sshd_pam_env.sh
dist_check_SCRIPTS += tests/e2e/sshd_pam_env.sh
TESTS += tests/e2e/sshd_norecord.sh
dist_check_SCRIPTS += tests/e2e/sshd_norecord.sh
TESTS += tests/e2e/ssh_control.sh
dist_check_SCRIPTS += tests/e2e/ssh_control.sh
TESTS += tests/e2e/sudo_login.sh
dist_check_SCRIPTS += tests/e2e/sudo_login.sh
EXTRA_DIST += tests/e2e/sudo_login.exp
# contrib/demo/run --auto, its timeline and its cleanup (root)
TESTS += tests/e2e/demo.sh
dist_check_SCRIPTS += tests/e2e/demo.sh
TESTS += tests/pam/module_manpage.sh
dist_check_SCRIPTS += tests/pam/module_manpage.sh
