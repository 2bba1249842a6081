# SPDX-License-Identifier: BSD-2-Clause
# The device-flow login: the protocol with the module, RFC 8628, the user
# mapping and the shared flow live in libpamoidc; oidc-child and
# `pam-oidc login` are two thin front ends over login_flow_run().
pam_oidc_libpamoidc_la_SOURCES += \
	pam_oidc/child_proto.c pam_oidc/child_proto.h \
	pam_oidc/device_flow.c pam_oidc/device_flow.h \
	pam_oidc/usermap.c pam_oidc/usermap.h \
	pam_oidc/login_flow.c pam_oidc/login_flow.h

libexec_PROGRAMS += pam_oidc/oidc-child
pam_oidc_oidc_child_SOURCES = pam_oidc/child_main.c
pam_oidc_oidc_child_CFLAGS = $(AM_CFLAGS) $(LIBCRYPTO_CFLAGS) $(JSONC_CFLAGS)
pam_oidc_oidc_child_LDADD = pam_oidc/libpamoidc.la

# pam-oidc login draws the same QR code as the module (qr.c is the module's).
pam_oidc_pam_oidc_SOURCES += pam_oidc/qr.c pam_oidc/qr.h
pam_oidc_pam_oidc_CFLAGS += $(LIBQRENCODE_CFLAGS)
pam_oidc_pam_oidc_LDADD += $(LIBQRENCODE_LIBS)
