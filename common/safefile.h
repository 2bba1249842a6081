/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Safe files: the one way this project opens what it trusts (the
 * configuration, the client secret, the user map, the disk cache, the
 * pending record, the session registry, the oidc-audit configuration).
 *
 * A policy says who must own the file, which mode bits must be clear (or
 * set) and how large it may be.  The last component of a name is never
 * followed through a symbolic link (O_NOFOLLOW) unless the policy says
 * so, every check is made on the descriptor that was opened (fstat, never
 * stat and then open), every descriptor is O_CLOEXEC, reads are bounded
 * and land in a struct buf (wiped when freed), writes are exclusive
 * (O_CREAT|O_EXCL|O_NOFOLLOW) or atomic (a temporary file, fsync, rename).
 * Nothing here logs: a failure is a negative errno and, for the caller's
 * own message, the step or check that failed (enum sf_fail).
 */
#ifndef OIDC_SAFEFILE_H
#define OIDC_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct buf;

/* Who must own a file or directory. */
enum sf_owner {
	SF_OWNER_ANY = 0,
	SF_OWNER_ROOT,	       /* uid 0 */
	SF_OWNER_EUID,	       /* the effective uid (root for a root process) */
	SF_OWNER_ROOT_OR_EUID, /* either: a user's own tool may read the user's files */
};

/* Policy flags. */
#define SF_FOLLOW	 0x01u /* follow a symbolic link in the last component */
#define SF_ANY_TYPE	 0x02u /* sf_open, sf_read_file: any type (a pipe), not only a regular file */
#define SF_PATH_ONLY	 0x04u /* sf_open: O_PATH, to look at a file without reading it */
#define SF_ONE_LINK	 0x08u /* the file must have exactly one hard link */
#define SF_NO_NUL	 0x10u /* sf_read_file: content with a NUL byte is refused */
#define SF_MKDIR	 0x20u /* sf_dir_open: create the directory (0700) when missing */
#define SF_MKDIR_PARENTS 0x40u /* sf_dir_open: ... and every missing parent (0700) */

struct sf_policy {
	enum sf_owner owner;
	mode_t forbidden; /* mode bits that must all be clear (022: not group/other-writable) */
	mode_t required;  /* mode bits that must all be set (S_IXUSR) */
	size_t max_size;  /* regular files: larger is -EFBIG; sf_read_file needs one */
	unsigned flags;	  /* SF_* */
};

/* The step or check that failed, for the caller's message. */
enum sf_fail {
	SF_FAIL_NONE = 0,
	SF_FAIL_OPEN,	/* open(2) failed: its errno (-ENOENT; -ELOOP for a symlink) */
	SF_FAIL_STAT,	/* fstat(2) failed */
	SF_FAIL_TYPE,	/* not a regular file (-EINVAL) or not a directory (-ENOTDIR) */
	SF_FAIL_OWNER,	/* -EPERM */
	SF_FAIL_MODE,	/* -EPERM: a forbidden mode bit set or a required one missing */
	SF_FAIL_LINKS,	/* -EPERM: more than one hard link */
	SF_FAIL_SIZE,	/* -EFBIG: over max_size (by fstat, or by what was read) */
	SF_FAIL_NUL,	/* -EBADMSG: a NUL byte in the content */
	SF_FAIL_READ,	/* read(2) failed, or -ENOMEM */
	SF_FAIL_MKDIR,	/* a directory could not be created */
	SF_FAIL_CREATE, /* the new or temporary file could not be created (-EEXIST ...) */
	SF_FAIL_WRITE,	/* write(2), fsync(2) or close(2) failed; the file is removed */
	SF_FAIL_RENAME, /* renameat(2) failed; the temporary file is removed */
};

/*
 * Check what fstat() said against pol: type is S_IFREG, S_IFDIR or 0 (any),
 * then owner, mode bits, links and (regular files) size.  Returns 0 or a
 * negative errno with *fail set (fail may be NULL, as everywhere here).
 */
int sf_check_stat(const struct stat *st, mode_t type, const struct sf_policy *pol,
		  enum sf_fail *fail);

/*
 * Open name (relative to dfd, or absolute; dfd may be AT_FDCWD) read-only,
 * O_NOFOLLOW|O_NONBLOCK|O_NOCTTY|O_CLOEXEC, and check it as a regular file
 * (any type with SF_ANY_TYPE).  Returns the descriptor and, when ret_st is
 * not NULL, what fstat() said; or a negative errno with *fail set.
 */
int sf_open(int dfd, const char *name, const struct sf_policy *pol, struct stat *ret_st,
	    enum sf_fail *fail);

/*
 * Append everything fd holds up to end of file to b; b's own maximum is
 * the cap (-EFBIG past it).  b->data is never NULL afterwards.  Returns 0
 * or a negative errno with *fail set.
 */
int sf_read_fd(int fd, struct buf *b, enum sf_fail *fail);

/*
 * sf_open() and read the whole file, at most pol->max_size bytes (one
 * more is -EFBIG, even when the file grew after fstat).  Returns 0 with
 * *ret (NUL-terminated, free with buf_free, which wipes it) and, when
 * ret_st is not NULL, what fstat() said; or a negative errno with *fail.
 */
int sf_read_file(int dfd, const char *name, const struct sf_policy *pol, struct buf *ret,
		 struct stat *ret_st, enum sf_fail *fail);

/*
 * Open the absolute path as a directory (O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC;
 * a symlink is -ENOTDIR), creating it 0700 with SF_MKDIR (and its missing
 * parents 0700 with SF_MKDIR_PARENTS), then check it against pol.  Returns
 * the descriptor or a negative errno (-EINVAL for a relative path).
 */
int sf_dir_open(const char *path, const struct sf_policy *pol, enum sf_fail *fail);

/*
 * Create name under dfd exclusively (O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC,
 * mode 0600; an existing name, even a dangling symlink, is -EEXIST), write
 * data and close it.  Not fsync'd.  On a write error the file is removed.
 * Returns 0 or a negative errno with *fail set.
 */
int sf_write_new(int dfd, const char *name, const void *data, size_t len, enum sf_fail *fail);

/*
 * Replace name under dfd atomically: data goes to a fresh temporary
 * ".NAME.RANDOM.tmp" (as sf_write_new), which is fsync'd and renamed over
 * name; then the directory is fsync'd.  Readers see the old file or the
 * new one, never a part.  Returns 0 or a negative errno with *fail set.
 */
int sf_write_atomic(int dfd, const char *name, const void *data, size_t len, enum sf_fail *fail);

/*
 * sf_write_atomic without either fsync when sync is false: readers still
 * see the old file or the new one (the rename), but a crash may lose the
 * replacement.  For state that a reboot makes void anyway (the session
 * registry: per-boot audit session ids under /run), where the two
 * flushes would only delay a login on a disk-backed /run.
 */
int sf_write_replace(int dfd, const char *name, const void *data, size_t len, bool sync,
		     enum sf_fail *fail);

#endif
