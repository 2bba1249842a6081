/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Syscall tables.  Numbers from the kernel's uapi unistd headers; the
 * oracle test checks every entry against libaudit's own tables.
 */
#include "config.h"

#include <string.h>

#include "syscalls.h"

struct sc_entry {
	long nr;
	struct sc_info info;
};

/* E: no directory fd; A: the *at calls, dirfd in a0 (and a2 for a second name) */
#define E(n, name, cls) { n, { name, cls, -1, -1 } }
#define A(n, name, cls) { n, { name, cls, 0, -1 } }
#define A2(n, name, cls) { n, { name, cls, 0, 2 } }

static const struct sc_entry tab_x86_64[] = {
	E(2, "open", SC_OPEN), E(59, "execve", SC_EXEC), E(76, "truncate", SC_TRUNCATE),
	E(77, "ftruncate", SC_TRUNCATE), E(82, "rename", SC_RENAME), E(83, "mkdir", SC_MKDIR),
	E(84, "rmdir", SC_DELETE), E(85, "creat", SC_CREAT), E(86, "link", SC_LINK),
	E(87, "unlink", SC_DELETE), E(88, "symlink", SC_SYMLINK), E(90, "chmod", SC_CHMOD),
	E(91, "fchmod", SC_CHMOD), E(92, "chown", SC_CHOWN), E(93, "fchown", SC_CHOWN),
	E(94, "lchown", SC_CHOWN), E(133, "mknod", SC_MKNOD), E(188, "setxattr", SC_XATTR),
	E(189, "lsetxattr", SC_XATTR), E(190, "fsetxattr", SC_XATTR),
	E(197, "removexattr", SC_XATTR), E(198, "lremovexattr", SC_XATTR),
	E(199, "fremovexattr", SC_XATTR), A(257, "openat", SC_OPENAT),
	A(258, "mkdirat", SC_MKDIR), A(259, "mknodat", SC_MKNOD), A(260, "fchownat", SC_CHOWN),
	A(263, "unlinkat", SC_DELETE), A2(264, "renameat", SC_RENAME), A2(265, "linkat", SC_LINK),
	{ 266, { "symlinkat", SC_SYMLINK, 1, -1 } }, A(268, "fchmodat", SC_CHMOD),
	A2(316, "renameat2", SC_RENAME), A(322, "execveat", SC_EXEC),
	A(437, "openat2", SC_OPENAT2), A(452, "fchmodat2", SC_CHMOD),
};

static const struct sc_entry tab_i386[] = {
	E(5, "open", SC_OPEN), E(8, "creat", SC_CREAT), E(9, "link", SC_LINK),
	E(10, "unlink", SC_DELETE), E(11, "execve", SC_EXEC), E(14, "mknod", SC_MKNOD),
	E(15, "chmod", SC_CHMOD), E(16, "lchown", SC_CHOWN), E(38, "rename", SC_RENAME),
	E(39, "mkdir", SC_MKDIR), E(40, "rmdir", SC_DELETE), E(83, "symlink", SC_SYMLINK),
	E(92, "truncate", SC_TRUNCATE), E(93, "ftruncate", SC_TRUNCATE),
	E(94, "fchmod", SC_CHMOD), E(95, "fchown", SC_CHOWN), E(182, "chown", SC_CHOWN),
	E(193, "truncate64", SC_TRUNCATE), E(194, "ftruncate64", SC_TRUNCATE),
	E(198, "lchown32", SC_CHOWN), E(207, "fchown32", SC_CHOWN), E(212, "chown32", SC_CHOWN),
	E(226, "setxattr", SC_XATTR), E(227, "lsetxattr", SC_XATTR),
	E(228, "fsetxattr", SC_XATTR), E(235, "removexattr", SC_XATTR),
	E(236, "lremovexattr", SC_XATTR), E(237, "fremovexattr", SC_XATTR),
	A(295, "openat", SC_OPENAT), A(296, "mkdirat", SC_MKDIR), A(297, "mknodat", SC_MKNOD),
	A(298, "fchownat", SC_CHOWN), A(301, "unlinkat", SC_DELETE),
	A2(302, "renameat", SC_RENAME), A2(303, "linkat", SC_LINK), { 304, { "symlinkat", SC_SYMLINK, 1, -1 } },
	A(306, "fchmodat", SC_CHMOD), A2(353, "renameat2", SC_RENAME),
	A(358, "execveat", SC_EXEC), A(437, "openat2", SC_OPENAT2), A(452, "fchmodat2", SC_CHMOD),
};

static const struct sc_entry tab_aarch64[] = {
	E(5, "setxattr", SC_XATTR), E(6, "lsetxattr", SC_XATTR), E(7, "fsetxattr", SC_XATTR),
	E(14, "removexattr", SC_XATTR), E(15, "lremovexattr", SC_XATTR),
	E(16, "fremovexattr", SC_XATTR), A(33, "mknodat", SC_MKNOD), A(34, "mkdirat", SC_MKDIR),
	A(35, "unlinkat", SC_DELETE), { 36, { "symlinkat", SC_SYMLINK, 1, -1 } }, A2(37, "linkat", SC_LINK),
	A2(38, "renameat", SC_RENAME), E(45, "truncate", SC_TRUNCATE),
	E(46, "ftruncate", SC_TRUNCATE), E(52, "fchmod", SC_CHMOD), A(53, "fchmodat", SC_CHMOD),
	A(54, "fchownat", SC_CHOWN), E(55, "fchown", SC_CHOWN), A(56, "openat", SC_OPENAT),
	E(221, "execve", SC_EXEC), A2(276, "renameat2", SC_RENAME), A(281, "execveat", SC_EXEC),
	A(437, "openat2", SC_OPENAT2), A(452, "fchmodat2", SC_CHMOD),
};

#undef E
#undef A
#undef A2

static const struct sc_info *
find_nr(const struct sc_entry *tab, size_t n, long nr)
{
	size_t lo = 0, hi = n;

	/* the tables are sorted by number */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tab[mid].nr == nr)
			return &tab[mid].info;
		if (tab[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

#define N(t) (sizeof(t) / sizeof((t)[0]))

const struct sc_info *
syscall_lookup(uint32_t arch, long nr)
{
	switch (arch) {
	case SC_ARCH_X86_64:
		return find_nr(tab_x86_64, N(tab_x86_64), nr);
	case SC_ARCH_I386:
		return find_nr(tab_i386, N(tab_i386), nr);
	case SC_ARCH_AARCH64:
		return find_nr(tab_aarch64, N(tab_aarch64), nr);
	default:
		return NULL;
	}
}

const struct sc_info *
syscall_lookup_name(const char *name, size_t len)
{
	static const struct {
		const struct sc_entry *tab;
		size_t n;
	} tabs[] = {
		{ tab_x86_64, N(tab_x86_64) }, { tab_i386, N(tab_i386) },
		{ tab_aarch64, N(tab_aarch64) },
	};
	size_t t, i;

	for (t = 0; t < N(tabs); t++)
		for (i = 0; i < tabs[t].n; i++) {
			const char *s = tabs[t].tab[i].info.name;

			if (strlen(s) == len && memcmp(s, name, len) == 0)
				return &tabs[t].tab[i].info;
		}
	return NULL;
}

const char *
syscall_arch_name(uint32_t arch)
{
	switch (arch) {
	case SC_ARCH_X86_64:
		return "x86_64";
	case SC_ARCH_I386:
		return "i386";
	case SC_ARCH_AARCH64:
		return "aarch64";
	default:
		return NULL;
	}
}
