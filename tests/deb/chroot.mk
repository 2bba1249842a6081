# SPDX-License-Identifier: BSD-2-Clause
# The Debian packages installed, used, removed and purged in a fresh Debian 12
# chroot (root; tests/deb/chroot_install.sh).  The base chroot it caches,
# tests/deb/bookworm-base.tar, survives make clean on purpose (it costs a
# debootstrap); rm tests/deb/bookworm-base.tar* rebuilds it.
TESTS += tests/deb/chroot_install.sh
EXTRA_DIST += tests/deb/chroot_install.sh
distclean-local: distclean-deb-chroot
distclean-deb-chroot:
	-rm -f tests/deb/bookworm-base.tar tests/deb/bookworm-base.tar.tmp tests/deb/bookworm-base.tar.key \
		tests/deb/bookworm-base.lock
.PHONY: distclean-deb-chroot
