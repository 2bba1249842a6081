# SPDX-License-Identifier: BSD-2-Clause
dist_man_MANS += man/pam-oidc.8
dist_man_MANS += man/pam_oidc.conf.5
dist_man_MANS += man/pam_oidc.8
dist_man_MANS += man/oidc-audit.8
dist_man_MANS += man/pam_oidc-providers.7
