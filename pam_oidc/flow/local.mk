# SPDX-License-Identifier: BSD-2-Clause
# flow/: the login of DESIGN steps 2-7 (login_flow_run), the claims policy
# a configuration implies and the user mapping.  Includes net/, jose/,
# shared/ and common/.
noinst_LTLIBRARIES += pam_oidc/flow/libflow.la
pam_oidc_flow_libflow_la_SOURCES = \
	pam_oidc/flow/login_flow.c pam_oidc/flow/login_flow.h \
	pam_oidc/flow/policy.c pam_oidc/flow/policy.h \
	pam_oidc/flow/usermap.c pam_oidc/flow/usermap.h
pam_oidc_flow_libflow_la_CPPFLAGS = $(PO_FLOW_CPPFLAGS) $(PO_DEFS)
pam_oidc_flow_libflow_la_CFLAGS = $(AM_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS)
