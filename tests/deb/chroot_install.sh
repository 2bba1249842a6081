#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The Debian packages in a fresh Debian 12 chroot (root): install
# libpam-oidc and oidc-audit with apt, run pam-oidc check and pam-oidc login
# and an ssh login through the chroot's sshd with nothing but the installed
# files and the default paths, then remove and purge both and compare the
# chroot's file list with the one before the install.
#
# The pristine base (debootstrap --variant=minbase, plus openssh-server and
# eatmydata) is cached as tests/deb/bookworm-base.tar in the build folder;
# a fresh copy is unpacked for every run.  rm tests/deb/bookworm-base.tar*
# makes the next run build it again (about 2 minutes and 50 MB from the
# mirror; warm, the test takes under a minute).  The packages are the one
# build of tests/deb/lib.sh (deb_packages), shared with the other deb tests.
# The whole test runs in a private mount namespace, so the chroot's mounts
# are gone with it even when it is killed; it unmounts them itself at exit
# too, before it removes its folder.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (debootstrap, chroot, mounts)"
if [ -z "${DEB_CHROOT_NS:-}" ]; then
	command -v unshare >/dev/null || skip_all "unshare is not installed"
	DEB_CHROOT_NS=1 exec unshare -m --propagation private "$BASH" "$0" "$@"
fi
for f in /usr/sbin/debootstrap /usr/bin/expect /usr/bin/ssh; do
	[ -x "$f" ] || skip_all "$f is missing (tests/deps-debian.txt)"
done
[ -f "$top_srcdir/tests/deb/lib.sh" ] || skip_all "tests/deb/lib.sh is missing"
. "$top_srcdir/tests/e2e/sshd_lib.sh"
. "$top_srcdir/tests/deb/lib.sh"
deb_need_tools
idp_available || skip_all "$IDP_SKIP_REASON"

# The mirror and suites this machine uses (deb.debian.org by default).
MIRROR=$(sed -n 's|^URIs: *\(http[^ ]*/debian\)/*$|\1|p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$MIRROR" ] || MIRROR=$(sed -n 's|^deb  *\(http[^ ]*/debian\)/* bookworm .*|\1|p' /etc/apt/sources.list 2>/dev/null | head -n 1)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
BASE_PKGS="openssh-server eatmydata"
DEB_BUILD_DIR=$top_builddir/tests/deb
BASE=$DEB_BUILD_DIR/bookworm-base.tar
BASE_KEY="bookworm minbase $MIRROR $BASE_PKGS"

T=$(mktemp -d /tmp/pam_oidc-debchroot.XXXXXX) || bail "mktemp"
chmod 755 "$T"
R=$T/root
MOUNTS=()
at_exit cleanup
E2E_DIR=$T/e2e
mkdir -m 700 "$E2E_DIR"

# Unmount (innermost first) before removing anything: rm must never walk
# into the host's /dev or /proc.
cleanup() {
	local i
	stop "${SSHD_PID:-}"
	reap
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -R "${MOUNTS[$i]}" 2>/dev/null || umount -Rl "${MOUNTS[$i]}"
	done
	E2E_DIR=
	e2e_cleanup
	if [ -z "$(findmnt -rn -o TARGET | grep -F "$T/")" ]; then
		rm -rf --one-file-system "$T"
	else
		echo "# not removing $T: something is still mounted under it" >&2
	fi
}

# in_root CMD [ARG...]: CMD inside the chroot, with a clean environment.
in_root() {
	chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# mnt TYPE|--bind|--rbind SRC DIR: one mount into the chroot, undone at exit.
mnt() {
	mkdir -p "$3" || return 1
	if [ "$1" = --bind ] || [ "$1" = --rbind ]; then
		mount "$1" "$2" "$3" || return 1
		mount --make-rslave "$3"
	else
		mount -t "$1" "$2" "$3" || return 1
	fi
	MOUNTS+=("$3")
}

# mounts: what apt, sshd and the module need from the kernel: /proc (audit
# session, loginuid), /dev with its pts (the login's terminal), the host's
# journald socket.
mounts() {
	mnt proc proc "$R/proc" && mnt --rbind /dev "$R/dev" && mnt sysfs sys "$R/sys"
}

unmount_all() {
	local i
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -R "${MOUNTS[$i]}" || return 1
	done
	MOUNTS=()
}

# make_base: debootstrap a minbase bookworm with BASE_PKGS into BASE.
make_base() {
	local b=$T/base fd r=1
	mkdir -p "$DEB_BUILD_DIR" || return 1
	exec {fd}>"$DEB_BUILD_DIR/bookworm-base.lock"
	flock "$fd"
	if [ -f "$BASE" ] && [ "$(cat "$BASE.key" 2>/dev/null)" = "$BASE_KEY" ]; then
		exec {fd}>&-
		return 0
	fi
	rm -f "$BASE" "$BASE.key"
	echo "# building $BASE from $MIRROR (once; rm it to rebuild)"
	if nice debootstrap --variant=minbase bookworm "$b" "$MIRROR" >"$T/debootstrap.log" 2>&1; then
		cat >"$b/etc/apt/sources.list" <<-EOT
		deb $MIRROR bookworm main
		deb $MIRROR bookworm-updates main
		deb ${MIRROR%/debian}/debian-security bookworm-security main
		EOT
		R=$b
		MOUNTS=()
		# shellcheck disable=SC2086 # BASE_PKGS is a list of words
		if mounts && in_root apt-get update -q >>"$T/debootstrap.log" 2>&1 &&
			in_root apt-get install -y -q --no-install-recommends $BASE_PKGS >>"$T/debootstrap.log" 2>&1 &&
			in_root apt-get clean && unmount_all; then
			tar -C "$b" --numeric-owner -cf "$BASE.tmp" . && mv "$BASE.tmp" "$BASE" &&
				echo "$BASE_KEY" >"$BASE.key" && r=0
		fi
		R=$T/root
	fi
	unmount_all
	[ "$r" -eq 0 ] && rm -rf --one-file-system "$b"
	exec {fd}>&-
	[ "$r" -eq 0 ] || diag <"$T/debootstrap.log"
	return "$r"
}

# apt_tail: the end of apt's log (and what is left of the package's
# state) for a failed test's diagnostics.
apt_tail() {
	tail -n 15 "$T/apt.log" >"$T/apt.tail"
	ls -d "$R/etc/security/pam_oidc.conf" "$R/var/cache/pam_oidc" "$R/run/pam_oidc" >>"$T/apt.tail" 2>/dev/null
}

# files: the chroot's file list with type, mode and owner, and the checksum
# of every file under /etc, so that a changed configuration file shows too
# (what the kernel mounts and the test's scratch space left out).
files() {
	(
		cd "$R" || exit 1
		find . \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp \
			-o -path ./run/systemd/journal \) -prune -o -printf '%p %M %u:%g\n'
		find ./etc -type f -exec sha256sum {} + | sed 's/^\([0-9a-f]*\)  \(.*\)$/\2 sha256:\1/'
	) | LC_ALL=C sort
}

t0=$SECONDS
make_base || bail "debootstrap of the base chroot failed"
diag "base chroot cached ($((SECONDS - t0)) s)"
t0=$SECONDS
# the packages: the one build of tests/deb/lib.sh, shared with lintian.sh
# and install_files.sh (the first of them in a make check builds)
deb_packages || bail "the package build failed: $(tail -n 5 "$DEB_BUILD_DIR/pkgs/build.out" 2>/dev/null)"
DEB_PAM=$(find "$DEB_OUT" -maxdepth 1 -name 'libpam-oidc_*.deb' | head -n 1)
DEB_AUDIT=$(find "$DEB_OUT" -maxdepth 1 -name 'oidc-audit_*.deb' | head -n 1)
[ -n "$DEB_PAM" ] && [ -n "$DEB_AUDIT" ] || bail "no libpam-oidc_*.deb and oidc-audit_*.deb in $DEB_OUT"
diag "packages: $(basename "$DEB_PAM") $(basename "$DEB_AUDIT") ($((SECONDS - t0)) s)"
t0=$SECONDS
mkdir "$R" && tar -C "$R" --numeric-owner -xf "$BASE" || bail "cannot unpack $BASE"
diag "base chroot unpacked ($((SECONDS - t0)) s)"
e2e_journald || bail "journald is not available"
mkdir -p "$R/run/systemd/journal" "$R/run/sshd"
mounts && mnt --bind /run/systemd/journal "$R/run/systemd/journal" ||
	bail "cannot mount /proc, /dev, /sys and the journal socket in the chroot"

# The test's own setup, before the "before" list: alice, the test CA, an
# sshd configuration and a PAM stack naming the module by name only (so
# libpam finds it in Debian's module directory).
idp_start || bail "the test provider did not start"
in_root useradd -m -s /bin/bash alice || bail "useradd alice in the chroot"
# (no HISTFILE: the login's shell history is not the packages' to remove)
printf "PS1='OIDC-READY\\\\$ '\nunset HISTFILE\n" >"$R/home/alice/.bash_profile"
install -m 644 "$IDP_CA" "$R/etc/pam_oidc-test-ca.pem" || bail "cannot copy the test CA"
cat >"$R/etc/pam.d/sshd" <<-EOT
auth     required pam_oidc.so
account  required pam_unix.so
password required pam_deny.so
session  required pam_loginuid.so
session  required pam_oidc.so
session  required pam_unix.so
EOT
E2E_PORT=$(e2e_free_port)
cat >"$R/etc/ssh/sshd_test_config" <<-EOT
Port $E2E_PORT
ListenAddress 127.0.0.1
PidFile none
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication no
PubkeyAuthentication no
PermitRootLogin no
LoginGraceTime 90
MaxAuthTries 3
PrintMotd no
PrintLastLog no
UseDNS no
EOT
files >"$T/before"
(cd "$R/etc" && sha256sum pam.d/* ssh/sshd_config) >"$T/etc.before"

# --- install -----------------------------------------------------------------
t0=$SECONDS
mkdir "$R/tmp/debs" && cp "$DEB_PAM" "$DEB_AUDIT" "$R/tmp/debs/" || bail "cannot copy the packages"
TAP_LOG=$T/apt.tail
in_root apt-get update -q >"$T/apt.log" 2>&1 &&
	in_root eatmydata apt-get install -y -q --no-install-recommends \
		"/tmp/debs/$(basename "$DEB_PAM")" "/tmp/debs/$(basename "$DEB_AUDIT")" >>"$T/apt.log" 2>&1
st=$?
apt_tail
ok "$st" "apt-get install ./libpam-oidc_*.deb ./oidc-audit_*.deb in a fresh bookworm ($((SECONDS - t0)) s)"
[ "$st" -eq 0 ] || bail "the packages did not install"
(cd "$R/etc" && sha256sum pam.d/* ssh/sshd_config) >"$T/etc.after"
diff <(files) "$T/before" | grep '^<' >"$T/installed"
TAP_LOG=$T/installed
! grep -Eq '^< \./etc/pam\.d/|^< \./etc/ssh/' "$T/installed" && cmp -s "$T/etc.before" "$T/etc.after"
ok $? "the install adds nothing to and changes nothing in /etc/pam.d and sshd_config"
# Debian's PAM module directory: where libpam-modules has pam_unix.so
# (/lib/... in bookworm, the same folder as /usr/lib/... on its merged /usr)
pamdir=$(in_root dpkg -L libpam-modules | sed -n 's|/pam_unix\.so$||p' | head -n 1)
in_root dpkg -L libpam-oidc >"$T/dpkg-L"
TAP_LOG=$T/dpkg-L
so=$(grep '/security/pam_oidc\.so$' "$T/dpkg-L" | head -n 1)
[ -n "$pamdir" ] && [ -n "$so" ] &&
	[ "$(in_root readlink -f "${so%/*}")" = "$(in_root readlink -f "$pamdir")" ] &&
	grep -qx /usr/libexec/oidc-child "$T/dpkg-L" && grep -qx /usr/sbin/pam-oidc "$T/dpkg-L"
ok $? "${so:-pam_oidc.so} is in Debian's PAM module directory (${pamdir:-?}), oidc-child in /usr/libexec, pam-oidc in /usr/sbin"

# --- pam-oidc check and login with the default paths ---------------------------
CONF=$R/etc/security/pam_oidc.conf
case $(stat -c %U:%a "$CONF" 2>&1) in root:644 | root:640 | root:600) st=0 ;; *) st=1 ;; esac
ok "$st" "/etc/security/pam_oidc.conf is installed root-owned ($(stat -c %U:%a "$CONF" 2>&1))"
cat >"$CONF" <<-EOT
# filled in by tests/deb/chroot_install.sh
issuer = $IDP_ISSUER
client_id = test-es256
ca_file = /etc/pam_oidc-test-ca.pem
poll_interval = 1
timeout = 60
EOT
TAP_LOG=$T/check.out
in_root pam-oidc check >"$T/check.out" 2>&1
ok $? "pam-oidc check with the default configuration path: exit 0"

OUT=$T/login.out
TAP_LOG=$OUT
code_shown() {
	code=$(sed -n 's/^ *and enter the code  *//p' "$OUT")
	[ -n "$code" ]
}
code=
spawn in_root pam-oidc login --user alice >"$OUT" 2>&1
pid=$!
wait_for -p "$pid" 20 code_shown
[ -n "$code" ] && idp_approve --issuer "$IDP_ISSUER" --ca "$IDP_CA" "$code" alice >"$T/approve.out" 2>&1
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] && grep -Eqx '\[ *[0-9]+\.[0-9]{3}s\] verdict +ADMIT alice' "$OUT"
ok $? "pam-oidc login --user alice, approved at the provider: ADMIT alice (exit $rc)"

# --- ssh through the chroot's sshd and the installed module --------------------
TAP_LOG=$T/sshd.log
chroot "$R" /usr/sbin/sshd -t -f /etc/ssh/sshd_test_config >"$T/sshd.log" 2>&1 || bail "sshd -t failed"
spawn chroot "$R" /usr/sbin/sshd -D -e -f /etc/ssh/sshd_test_config >"$T/sshd.log" 2>&1 </dev/null
SSHD_PID=$!
wait_for -p "$SSHD_PID" 10 listening "$E2E_PORT" || bail "the chroot's sshd did not start"
e2e_login alice alice approve "$T/ssh.out"
cat "$T/ssh.out" "$T/sshd.log" >"$T/ssh.both" 2>/dev/null
TAP_LOG=$T/ssh.both
[ "$(e2e_get result)" = shell ] && [ "$(e2e_get user)" = alice ]
ok $? "ssh alice@127.0.0.1 -p $E2E_PORT: approved, a shell as alice"
ses=$(e2e_get sessionid)
entry=$R/run/pam_oidc/sessions/$ses
[ -n "$ses" ] && [ -f "$entry" ] && grep -q '"user":"alice"' "$entry" &&
	grep -q '"subject":"7f6c1a52-alice-0001"' "$entry"
ok $? "the chroot's /run/pam_oidc/sessions/${ses:-?} holds alice's entry"
login_id=$(sed -n 's/.*"login_id":"\([0-9a-f]*\)".*/\1/p' "$entry" 2>/dev/null)
found=1
for ((i = 0; i < 50; i++)); do
	if [ -n "$login_id" ] && e2e_journal OIDC_EVENT=login "OIDC_LOGIN_ID=$login_id" _UID=0 |
		grep -q "\"OIDC_AUDIT_SESSION\":\"$ses\""; then
		found=0
		break
	fi
	sleep 0.1
done
ok "$found" "journal: the login entry (_UID=0, OIDC_EVENT=login, OIDC_LOGIN_ID=${login_id:-?})"
stop "$SSHD_PID"
SSHD_PID=
reap

# --- an upgrade keeps the administrator's configuration ------------------------
# the same package with a higher version: dpkg must keep the edited conffile
# (unchanged in the package, so without asking)
cp "$CONF" "$T/conf.edited"
dpkg-deb -R "$DEB_PAM" "$T/upgrade" &&
	sed -i 's/^Version: .*/&+upgrade1/' "$T/upgrade/DEBIAN/control" &&
	dpkg-deb --root-owner-group -b "$T/upgrade" "$R/tmp/debs/libpam-oidc-upgrade.deb" >/dev/null ||
	bail "cannot make the upgrade package"
in_root eatmydata apt-get install -y -q --no-install-recommends /tmp/debs/libpam-oidc-upgrade.deb \
	>>"$T/apt.log" 2>&1 &&
	in_root dpkg-query -W -f '${Version}' libpam-oidc | grep -q '+upgrade1$' && cmp -s "$CONF" "$T/conf.edited"
st=$?
apt_tail
ok "$st" "upgrade to $(in_root dpkg-query -W -f '${Version}' libpam-oidc): the edited pam_oidc.conf is kept"

# --- remove, purge, compare ------------------------------------------------------
TAP_LOG=$T/apt.tail
in_root eatmydata apt-get remove -y -q libpam-oidc oidc-audit >>"$T/apt.log" 2>&1 &&
	[ ! -e "$R/usr/libexec/oidc-child" ] && [ -f "$CONF" ] && grep -q 'test-es256' "$CONF"
st=$?
apt_tail
ok "$st" "apt-get remove: the programs are gone, the administrator's pam_oidc.conf stays"
in_root eatmydata apt-get purge -y -q --autoremove libpam-oidc oidc-audit >>"$T/apt.log" 2>&1 &&
	[ ! -e "$CONF" ] && [ ! -e "$R/var/cache/pam_oidc" ] && [ ! -e "$R/run/pam_oidc" ]
st=$?
apt_tail
ok "$st" "apt-get purge: configuration, JWKS cache and session registry are gone"
rm -rf "$R/tmp/debs"
# What Debian policy lets a purge leave behind: the package manager's own
# state and logs (dpkg, apt, debconf, ldconfig and its cache).
ALLOWED='\./var/lib/dpkg/|\./var/lib/apt/|\./var/cache/apt/|\./var/cache/debconf/|\./var/cache/ldconfig/|\./var/log/|\./etc/ld\.so\.cache '
diff "$T/before" <(files) | grep '^[<>]' | sed 's/^</gone/; s/^>/left/' >"$T/diff"
grep -Ev "^(gone|left) ($ALLOWED)" "$T/diff" >"$T/unexpected"
TAP_LOG=$T/unexpected
[ ! -s "$T/unexpected" ]
ok $? "after purge the file list (modes, owners, /etc contents) is the one before the install, but for dpkg/apt state and logs"
diag "run time $SECONDS s"

finish
