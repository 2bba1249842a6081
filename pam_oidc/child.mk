# SPDX-License-Identifier: BSD-2-Clause
# The device-flow login: the protocol with the module, RFC 8628, the user
# mapping and the shared flow live in libpamoidc; oidc-child and
# `pam-oidc login` are two thin front ends over login_flow_run().
pam_oidc_libpamoidc_la_SOURCES += \
	pam_oidc/child_proto.c pam_oidc/child_proto.h \
	pam_oidc/device_flow.c pam_oidc/device_flow.h \
	pam_oidc/usermap.c pam_oidc/usermap.h \
	pam_oidc/login_flow.c pam_oidc/login_flow.h
