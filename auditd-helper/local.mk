# SPDX-License-Identifier: BSD-2-Clause
# oidc-audit.  parse.mk: records -> events (libauditparse.la); this file:
# enrichment, sinks, the daemon and search.
include auditd-helper/parse.mk
