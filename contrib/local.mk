# SPDX-License-Identifier: BSD-2-Clause

# oidc-audit (auditsink): audit rules, auditd plugin, journald catalog and
# rate-limit drop-in, io_uring sysctl.  The plugin conf names the installed
# binary, so it is generated with the configured sbindir.
auditrulesdir = $(sysconfdir)/audit/rules.d
dist_auditrules_DATA = contrib/audit/oidc-audit.rules
auditpluginsdir = $(sysconfdir)/audit/plugins.d
auditplugins_DATA = contrib/audit/plugins.d/oidc-audit.conf
catalogdir = $(prefix)/lib/systemd/catalog
dist_catalog_DATA = contrib/journald/pam_oidc.catalog
journaldconfdir = $(prefix)/lib/systemd/journald.conf.d
dist_journaldconf_DATA = contrib/journald/oidc-audit.conf
# io_uring opens files past the audit rules: the sysctl that refuses it.
sysctldir = $(prefix)/lib/sysctl.d
dist_sysctl_DATA = contrib/sysctl.d/60-oidc-audit.conf
EXTRA_DIST += contrib/audit/plugins.d/oidc-audit.conf.in
CLEANFILES += contrib/audit/plugins.d/oidc-audit.conf

contrib/audit/plugins.d/oidc-audit.conf: $(top_srcdir)/contrib/audit/plugins.d/oidc-audit.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) contrib/audit/plugins.d && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(top_srcdir)/contrib/audit/plugins.d/oidc-audit.conf.in > $@.tmp && mv $@.tmp $@

# pam_oidc (module): example PAM configurations for sshd and sudo, installed
# as documentation; they are merged into /etc/pam.d by hand, never installed
# there.
pamexamplesdir = $(docdir)/examples/pam.d
dist_pamexamples_DATA = contrib/pam.d/sshd contrib/pam.d/sudo

# A fleet on systemd-journal-remote: configuration to copy, not installed
# (contrib/journal-remote/README.md); tests/journal_remote_tls.sh runs it.
EXTRA_DIST += contrib/journal-remote/README.md contrib/journal-remote/fleet-certs.sh \
	contrib/journal-remote/journal-remote.conf contrib/journal-remote/journal-remote.socket-port.conf \
	contrib/journal-remote/journal-upload.conf contrib/journal-remote/journal-upload.service-restart.conf

# The demo (contrib/demo/run --help); tests/e2e/demo.sh runs it unattended.
EXTRA_DIST += contrib/demo/run contrib/demo/story.exp

# pam_oidc.conf: a commented starting point in $(sysconfdir)/security.  An
# existing file is the administrator's and is never replaced; uninstall
# removes the file only while it is still the one installed.  The Debian
# package ships the same file as a conffile.
securityconfdir = $(sysconfdir)/security
EXTRA_DIST += contrib/security/pam_oidc.conf
install-data-local: install-securityconf
uninstall-local: uninstall-securityconf
install-securityconf:
	$(MKDIR_P) '$(DESTDIR)$(securityconfdir)'
	@if test -e '$(DESTDIR)$(securityconfdir)/pam_oidc.conf'; then \
		echo "keeping the existing $(DESTDIR)$(securityconfdir)/pam_oidc.conf"; \
	else \
		echo " $(INSTALL_DATA) pam_oidc.conf '$(DESTDIR)$(securityconfdir)'"; \
		$(INSTALL_DATA) '$(top_srcdir)/contrib/security/pam_oidc.conf' \
			'$(DESTDIR)$(securityconfdir)/pam_oidc.conf'; \
	fi
uninstall-securityconf:
	@f='$(DESTDIR)$(securityconfdir)/pam_oidc.conf'; \
	if cmp -s "$$f" '$(top_srcdir)/contrib/security/pam_oidc.conf'; then \
		echo " rm -f $$f"; rm -f "$$f"; \
	fi
.PHONY: install-securityconf uninstall-securityconf
