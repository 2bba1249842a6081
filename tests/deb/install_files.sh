#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The Debian packages hold what they should, and make install and the two
# packages install the same files.  make install runs in a fresh build of
# the tree configured as dh_auto_configure configures the package (its
# standard paths and debian/rules' print-configure-flags), into a DESTDIR.
#
# Only the package has: /usr/share/doc/PKG/copyright and changelog.gz (Debian
# policy 12.5, 12.7) and /usr/share/lintian/overrides/PKG; only make install
# has libtool's pam_oidc.la, which debian/rules deletes.  Man pages are
# compared without the .gz dh_compress adds.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/deb/lib.sh"
deb_need_tools dpkg-architecture
plan 9

if deb_packages; then
	pass "tests/deb/build.sh --source built the packages"
else
	fail "tests/deb/build.sh --source built the packages" "$(tail -n 40 "$DEB_OUT/../build.out")"
	finish
fi
pam_deb=$(ls "$DEB_OUT"/libpam-oidc_*.deb)
audit_deb=$(ls "$DEB_OUT"/oidc-audit_*.deb)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

T=$(mktemp -d /tmp/pam_oidc-debfiles.XXXXXX) || bail "mktemp"
trap 'rm -rf "$T"' EXIT

# debfiles DEB: the files and symlinks of a package, one absolute path a line.
debfiles() {
	dpkg-deb --fsys-tarfile "$1" | tar -tvf - | grep -v '^d' |
		sed -e 's/^.* \.\//\//' -e 's/ -> .*//'
}
debfiles "$pam_deb" | sort >"$T/pam.list"
debfiles "$audit_deb" | sort >"$T/audit.list"

grep -qx "/usr/lib/$ma/security/pam_oidc.so" "$T/pam.list" &&
	grep -qx /usr/libexec/oidc-child "$T/pam.list" &&
	grep -qx /usr/sbin/pam-oidc "$T/pam.list" &&
	grep -qx /usr/share/doc/libpam-oidc/examples/pam.d/sshd "$T/pam.list"
ok $? "libpam-oidc: the module in /usr/lib/$ma/security, oidc-child in /usr/libexec, pam-oidc in /usr/sbin, the PAM examples" "$(cat "$T/pam.list")"

dpkg-deb -x "$pam_deb" "$T/pam"
grep -aqx /usr/libexec/oidc-child <(strings -a "$T/pam/usr/lib/$ma/security/pam_oidc.so")
ok $? "pam_oidc.so's default child_path is the packaged /usr/libexec/oidc-child"

dpkg-deb --ctrl-tarfile "$pam_deb" | tar -xOf - ./conffiles >"$T/pam.conffiles" 2>/dev/null
dpkg-deb --ctrl-tarfile "$audit_deb" | tar -xOf - ./conffiles >"$T/audit.conffiles" 2>/dev/null
mode=$(dpkg-deb --fsys-tarfile "$pam_deb" | tar -tvf - ./etc/security/pam_oidc.conf | cut -d' ' -f1-2)
[ "$(cat "$T/pam.conffiles")" = /etc/security/pam_oidc.conf ] && [ "$mode" = "-rw-r--r-- root/root" ] &&
	[ "$(sort "$T/audit.conffiles" | tr '\n' ' ')" = "/etc/audit/plugins.d/oidc-audit.conf /etc/audit/rules.d/oidc-audit.rules " ]
ok $? "the conffiles: pam_oidc.conf (root, 0644: no group or other write, as the module demands), the audit rules and plugin file" \
	"libpam-oidc: $(cat "$T/pam.conffiles") $mode; oidc-audit: $(cat "$T/audit.conffiles")"

# A fully commented file names what is missing; pam-oidc loads it as the
# module does (root-owned when this test runs as root, ours otherwise).
msg=$("$T/pam/usr/sbin/pam-oidc" check --config "$T/pam/etc/security/pam_oidc.conf" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q "option 'issuer' is required" <<<"$msg"
ok $? "pam-oidc check on the packaged, commented pam_oidc.conf: fails, 'issuer' is required" "exit $rc: $msg"

bad=$(grep -E '^/etc/(pam\.d|ssh)/|^/usr/share/pam-configs/' "$T/pam.list" "$T/audit.list")
# maintscripts DEB: the maintainer scripts of a package, one after the other.
maintscripts() {
	mkdir -p "$T/ctrl" && rm -rf "$T/ctrl"/* && dpkg-deb -e "$1" "$T/ctrl" &&
		for f in preinst postinst prerm postrm config; do
			[ -f "$T/ctrl/$f" ] && cat "$T/ctrl/$f"
		done
	return 0
}
touchy='pam-auth-update|sshd_config|/etc/pam\.d|common-auth|systemctl (start|enable|restart)|invoke-rc\.d|auditd( |$)'
ctrl=$(maintscripts "$pam_deb" | grep -E "$touchy")
ctrl+=$(maintscripts "$audit_deb" | grep -v '^[[:space:]]*#' | grep -E "$touchy")
[ -z "$bad$ctrl" ]
ok $? "neither package ships a PAM stack, sshd file or pam-auth-update profile, nor do their scripts touch one or start a service" "$bad$ctrl"

dpkg-deb -I "$audit_deb" >"$T/audit.info"
grep -q '^ Recommends: auditd$' "$T/audit.info"
ok $? "oidc-audit recommends auditd" "$(cat "$T/audit.info")"

# make install, configured as debian/rules configures the package; a make of
# its own, not a sub-make of make check's.
unset MAKEFLAGS MFLAGS MAKELEVEL
flags=$(cd "$top_srcdir" && make --no-print-directory -s -f debian/rules print-configure-flags) || bail "debian/rules print-configure-flags"
mkdir -p "$T/src" "$T/build" "$T/root"
(cd "$top_srcdir" && tar --exclude=./_build --exclude=./_inst --exclude=./.git \
	--exclude=./tests/idp/node_modules -cf - .) | (cd "$T/src" && tar -xf -)
log=$T/make.log
# shellcheck disable=SC2086 # $flags is a list of options
(cd "$T/src" && ./autogen.sh && cd "$T/build" &&
	"$T/src/configure" --prefix=/usr --sysconfdir=/etc --localstatedir=/var --runstatedir=/run \
		--libdir="/usr/lib/$ma" $flags &&
	nice make -j2 &&
	make install DESTDIR="$T/root") >"$log" 2>&1
rc=$?
[ $rc -eq 0 ]
ok $? "make install DESTDIR with the package's configure options" "exit $rc: $(tail -n 30 "$log")"

(cd "$T/root" && find . ! -type d | sed 's/^\.//') | sed -E 's|^(/usr/share/man/.*)$|\1.gz|' | sort >"$T/install.list"
# what only one side has, by the rules at the top
sort -u "$T/pam.list" "$T/audit.list" |
	grep -v -E '^/usr/share/doc/(libpam-oidc|oidc-audit)/(copyright|changelog\.gz)$|^/usr/share/lintian/overrides/' \
		>"$T/deb.list"
grep -v -x "/usr/lib/$ma/security/pam_oidc.la" "$T/install.list" >"$T/install.cmp"
d=$(diff -u "$T/install.cmp" "$T/deb.list")
[ -z "$d" ]
ok $? "make install and the packages install the same files ($(wc -l <"$T/deb.list"))" \
	"--- make install, +++ the packages:" "$d"
diag "Package files not compared (Debian's own): $(comm -13 "$T/deb.list" <(sort -u "$T/pam.list" "$T/audit.list") | tr '\n' ' ')"
finish
