# SPDX-License-Identifier: BSD-2-Clause
# pam_oidc/: one folder per part, each a noinst library (or a front end)
# compiled with only the include paths its arrows allow (../DESIGN.md,
# "Layout"; HACKING.md has the map), so that a forbidden include does not
# compile.  tests/arch/include_graph.sh checks the same rules on the source.
#
#   module -> shared, common        jose -> common
#   net    -> jose, shared, common  flow -> net, jose, shared, common
#   child, cli -> flow, net, jose, shared, common
#   shared -> common                common -> nothing
PO_COMMON_CPPFLAGS = -I$(top_builddir) -I$(top_srcdir)/common
PO_SHARED_CPPFLAGS = $(PO_COMMON_CPPFLAGS) -I$(top_srcdir)/pam_oidc/shared
PO_JOSE_CPPFLAGS = $(PO_COMMON_CPPFLAGS) -I$(top_srcdir)/pam_oidc/jose
PO_NET_CPPFLAGS = $(PO_SHARED_CPPFLAGS) -I$(top_srcdir)/pam_oidc/jose -I$(top_srcdir)/pam_oidc/net
PO_FLOW_CPPFLAGS = $(PO_NET_CPPFLAGS) -I$(top_srcdir)/pam_oidc/flow
PO_DEFS = -DSYSCONFDIR='"$(sysconfdir)"' -DLOCALSTATEDIR='"$(localstatedir)"' \
	-DLIBEXECDIR='"$(libexecdir)"' -DRUNSTATEDIR='"$(runstatedir)"'

# The libraries of the network side, in link order.
PO_NET_LIBS = pam_oidc/flow/libflow.la pam_oidc/net/libnet.la pam_oidc/jose/libjose.la \
	pam_oidc/shared/libshared.la common/libcommon.la \
	$(LIBCURL_LIBS) $(LIBCRYPTO_LIBS) $(JSONC_LIBS)

include pam_oidc/shared/local.mk
include pam_oidc/jose/local.mk
include pam_oidc/net/local.mk
include pam_oidc/flow/local.mk
include pam_oidc/module/local.mk
include pam_oidc/child/local.mk
include pam_oidc/cli/local.mk

# Every library of pam_oidc/ in one, for the tests (which may use any part).
noinst_LTLIBRARIES += pam_oidc/libpamoidc.la
pam_oidc_libpamoidc_la_SOURCES =
pam_oidc_libpamoidc_la_LIBADD = $(PO_NET_LIBS)
