/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host settings the audit trail relies on, checked when the daemon starts.
 *
 * io_uring: an IORING_OP_OPENAT and IORING_OP_READ open and read a file
 * without any system call that an exit rule (-S open ...) or a watch (-w)
 * sees.  The kernel audits io_uring operations only through its own filter
 * list (-a always,io_uring), which auditctl 3.0 cannot load, and the
 * URINGOP records it then writes carry no audit session.  So the setting
 * that closes the blind spot is kernel.io_uring_disabled (Linux 6.6): 2
 * refuses io_uring to everyone, 1 to everyone without CAP_SYS_ADMIN who is
 * not in kernel.io_uring_group.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "numparse.h"
#include "oidc_audit.h"

/* See oidc_audit.h. */
int
hostcheck_io_uring(const char *path)
{
	int64_t v;
	int r = num_read_file(path, 0, 2, &v);

	return r < 0 ? r : (int)v;
}

/* See oidc_audit.h. */
const char *
hostcheck_io_uring_warning(int r)
{
	if (r == -ENOENT)
		return "this kernel cannot restrict io_uring (no kernel.io_uring_disabled, "
		       "before Linux 6.6): files opened through io_uring leave no audit record "
		       "(oidc-audit(8), io_uring)";
	if (r < 0)
		return "kernel.io_uring_disabled cannot be read: io_uring may open files "
		       "without an audit record (oidc-audit(8), io_uring)";
	if (r == 0)
		return "kernel.io_uring_disabled is 0: any user's io_uring can open and read "
		       "files without an audit record; set it to 2 "
		       "(sysctl.d/60-oidc-audit.conf, oidc-audit(8), io_uring)";
	return NULL;
}
