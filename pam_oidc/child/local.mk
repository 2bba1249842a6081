# SPDX-License-Identifier: BSD-2-Clause
# child/: oidc-child, exec'd by the module; a thin front end over
# login_flow_run().  Includes flow/, net/, jose/, shared/ and common/.
libexec_PROGRAMS += pam_oidc/oidc-child
pam_oidc_oidc_child_SOURCES = pam_oidc/child/child_main.c
pam_oidc_oidc_child_CPPFLAGS = $(PO_FLOW_CPPFLAGS) $(PO_DEFS)
pam_oidc_oidc_child_CFLAGS = $(AM_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS)
pam_oidc_oidc_child_LDADD = $(PO_NET_LIBS) $(LIBQRENCODE_LIBS)
