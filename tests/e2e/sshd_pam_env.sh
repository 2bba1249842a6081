#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Debian's /etc/pam.d/sshd runs pam_env.so user_readenv=1 in its session
# stack.  Placed before pam_oidc.so, it lets a user's ~/.pam_environment
# strip PAM_OIDC_HANDLE, the hand-over from sshd's authentication process.
# An OIDC login whose handle went missing must be refused, never opened
# without its registry entry and journal entry.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/e2e/sshd_lib.sh"
e2e_init || exit 0
TAP_LOG=$E2E_DIR/out

e2e_users alice || bail "cannot create the test account"
e2e_journald || bail "journald is not available"
idp_start || bail "the test provider did not start"
E2E_PRE_SESSION="session  required pam_env.so user_readenv=1" e2e_sshd_start ||
	bail "sshd did not start"
home=$(getent passwd alice | cut -d: -f6)
echo 'PAM_OIDC_HANDLE DEFAULT= OVERRIDE=' >"$home/.pam_environment"
chown alice "$home/.pam_environment"

plan 2
before=$(ls "$E2E_REGISTRY" 2>/dev/null | wc -l)
e2e_login alice alice approve
[ "$(e2e_get result)" != shell ] && [ -z "$(e2e_get user)" ]
ok $? "stripped_handle_refuses_sshd_session: a ~/.pam_environment that strips the handle gets no shell"
[ "$(ls "$E2E_REGISTRY" 2>/dev/null | wc -l)" = "$before" ]
ok $? "the refused login wrote no registry entry"
finish
