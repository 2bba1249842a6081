/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System call numbers -> names and what they do to a file, for the calls
 * the audit rules of this project watch, on x86_64, i386 and aarch64.
 * The SYSCALL record gives arch= (AUDIT_ARCH_*) and syscall= (number); the
 * number means nothing without the arch.
 */
#ifndef OIDC_AUDIT_SYSCALLS_H
#define OIDC_AUDIT_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>

#define SC_ARCH_X86_64	0xc000003eu
#define SC_ARCH_I386	0x40000003u
#define SC_ARCH_AARCH64	0xc00000b7u

enum sc_class {
	SC_OTHER = 0,
	SC_EXEC,	/* execve, execveat */
	SC_OPEN,	/* open: flags in a1 */
	SC_OPENAT,	/* openat: flags in a2 */
	SC_OPENAT2,	/* openat2: flags in the OPENAT2 record's oflag= */
	SC_CREAT,	/* creat: O_CREAT|O_WRONLY|O_TRUNC */
	SC_DELETE,	/* unlink, unlinkat, rmdir */
	SC_RENAME,	/* rename, renameat, renameat2 */
	SC_CHMOD,	/* chmod, fchmod, fchmodat, fchmodat2 */
	SC_CHOWN,	/* chown, fchown, lchown, fchownat (and the 32-bit variants) */
	SC_TRUNCATE,	/* truncate, ftruncate */
	SC_MKDIR,	/* mkdir, mkdirat */
	SC_LINK,	/* link, linkat */
	SC_SYMLINK,	/* symlink, symlinkat */
	SC_MKNOD,	/* mknod, mknodat */
	SC_XATTR,	/* setxattr, removexattr and friends */
};

struct sc_info {
	const char *name;
	enum sc_class cls;
	/*
	 * Which argument (a0..a3) holds the directory fd that a relative
	 * name is resolved against, -1 when the call has none (relative
	 * names are then relative to the cwd).  dirfd2: the same for the
	 * second name (rename and link destinations).
	 */
	signed char dirfd, dirfd2;
};

/* The call number nr on arch; NULL when not in the table (a call we do not classify). */
const struct sc_info *syscall_lookup(uint32_t arch, long nr);

/* The call named name[0..len) (any arch); NULL when not in the table. */
const struct sc_info *syscall_lookup_name(const char *name, size_t len);

/* Short arch name ("x86_64", "i386", "aarch64"); NULL for others. */
const char *syscall_arch_name(uint32_t arch);

#endif
