# SPDX-License-Identifier: BSD-2-Clause
# cli/: pam-oidc (verify, login, check), the administrator's tool: the
# same calls as the child.  Includes flow/, net/, jose/, shared/, common/.
sbin_PROGRAMS += pam_oidc/pam-oidc
pam_oidc_pam_oidc_SOURCES = pam_oidc/cli/cli.c pam_oidc/cli/cli.h pam_oidc/cli/cli_verify.c \
	pam_oidc/cli/cli_login.c pam_oidc/cli/cli_check.c
pam_oidc_pam_oidc_CPPFLAGS = $(PO_FLOW_CPPFLAGS) $(PO_DEFS)
pam_oidc_pam_oidc_CFLAGS = $(AM_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS) $(LIBQRENCODE_CFLAGS)
pam_oidc_pam_oidc_LDADD = $(PO_NET_LIBS) $(LIBQRENCODE_LIBS)
