/* SPDX-License-Identifier: BSD-2-Clause */
/* Safe files; see safefile.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "safefile.h"
#include "text.h"

/* Record what failed (fail may be NULL) and hand r back. */
static int
sf_failed(enum sf_fail *fail, enum sf_fail what, int r)
{
	if (fail != NULL)
		*fail = what;
	return r;
}

static bool
sf_owner_ok(enum sf_owner owner, uid_t uid)
{
	switch (owner) {
	case SF_OWNER_ANY:
		return true;
	case SF_OWNER_ROOT:
		return uid == 0;
	case SF_OWNER_EUID:
		return uid == geteuid();
	case SF_OWNER_ROOT_OR_EUID:
		return uid == 0 || uid == geteuid();
	}
	return false;
}

/* Check fstat()'s answer against the policy; see safefile.h. */
int
sf_check_stat(const struct stat *st, mode_t type, const struct sf_policy *pol, enum sf_fail *fail)
{
	if (type != 0 && (st->st_mode & S_IFMT) != type)
		return sf_failed(fail, SF_FAIL_TYPE, type == S_IFDIR ? -ENOTDIR : -EINVAL);
	if (!sf_owner_ok(pol->owner, st->st_uid))
		return sf_failed(fail, SF_FAIL_OWNER, -EPERM);
	if ((st->st_mode & pol->forbidden) != 0 || (st->st_mode & pol->required) != pol->required)
		return sf_failed(fail, SF_FAIL_MODE, -EPERM);
	if ((pol->flags & SF_ONE_LINK) && st->st_nlink != 1)
		return sf_failed(fail, SF_FAIL_LINKS, -EPERM);
	if (pol->max_size > 0 && S_ISREG(st->st_mode) &&
	    (st->st_size < 0 || (uint64_t)st->st_size > pol->max_size))
		return sf_failed(fail, SF_FAIL_SIZE, -EFBIG);
	return 0;
}

/* openat, then fstat and check what was opened: the descriptor or a negative errno. */
static int
sf_open_checked(int dfd, const char *name, int oflags, mode_t type, const struct sf_policy *pol,
		struct stat *ret_st, enum sf_fail *fail)
{
	struct stat st;
	int fd, r;

	fd = openat(dfd, name, oflags);
	if (fd < 0) {
		r = sf_failed(fail, SF_FAIL_OPEN, -errno);
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		r = sf_failed(fail, SF_FAIL_STAT, -errno);
		goto out;
	}
	r = sf_check_stat(&st, type, pol, fail);
	if (r < 0)
		goto out;
	if (ret_st != NULL)
		*ret_st = st;
	r = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	return r;
}

/* Open a file that passes the policy; see safefile.h. */
int
sf_open(int dfd, const char *name, const struct sf_policy *pol, struct stat *ret_st,
	enum sf_fail *fail)
{
	int oflags = O_CLOEXEC, fd, fl;

	if (pol->flags & SF_PATH_ONLY)
		oflags |= O_PATH;
	else
		oflags |= O_RDONLY | O_NONBLOCK | O_NOCTTY;
	if (!(pol->flags & SF_FOLLOW))
		oflags |= O_NOFOLLOW;
	fd = sf_open_checked(dfd, name, oflags, (pol->flags & SF_ANY_TYPE) ? 0 : S_IFREG, pol,
			     ret_st, fail);
	if (fd < 0 || !(pol->flags & SF_ANY_TYPE) || (pol->flags & SF_PATH_ONLY))
		return fd;
	/* O_NONBLOCK only kept open() of a FIFO from hanging; a pipe is read blocking */
	if ((fl = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		fl = sf_failed(fail, SF_FAIL_STAT, -errno);
		close(fd);
		return fl;
	}
	return fd;
}

/* Read fd to its end into b, within b's maximum; see safefile.h. */
int
sf_read_fd(int fd, struct buf *b, enum sf_fail *fail)
{
	char chunk[4096];
	ssize_t n;
	int r;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = sf_failed(fail, SF_FAIL_READ, -errno);
			goto out;
		}
		if (n == 0)
			break;
		r = buf_append(b, chunk, (size_t)n);
		if (r < 0) {
			r = sf_failed(fail, r == -EFBIG ? SF_FAIL_SIZE : SF_FAIL_READ, r);
			goto out;
		}
	}
	/* an empty file still gives a NUL-terminated string */
	r = buf_append(b, "", 0);
	if (r < 0)
		r = sf_failed(fail, SF_FAIL_READ, r);
out:
	explicit_bzero(chunk, sizeof(chunk));
	return r;
}

/* Open and read a whole file that passes the policy; see safefile.h. */
int
sf_read_file(int dfd, const char *name, const struct sf_policy *pol, struct buf *ret,
	     struct stat *ret_st, enum sf_fail *fail)
{
	struct stat st;
	struct buf b;
	int fd = -1, r;

	buf_init(&b, pol->max_size);
	if (pol->max_size == 0 || (pol->flags & SF_PATH_ONLY)) {
		r = sf_failed(fail, SF_FAIL_OPEN, -EINVAL);
		goto out;
	}
	fd = sf_open(dfd, name, pol, &st, fail);
	if (fd < 0) {
		r = fd;
		goto out;
	}
	r = sf_read_fd(fd, &b, fail);
	if (r < 0)
		goto out;
	if ((pol->flags & SF_NO_NUL) && memchr(b.data, '\0', b.len) != NULL) {
		r = sf_failed(fail, SF_FAIL_NUL, -EBADMSG);
		goto out;
	}
	*ret = b;
	buf_init(&b, 0);
	if (ret_st != NULL)
		*ret_st = st;
	r = 0;
out:
	buf_free(&b);
	if (fd >= 0)
		close(fd);
	return r;
}

/* mkdir path 0700 (and with parents, every missing component first). */
static int
sf_mkdirs(const char *path, bool parents)
{
	char p[PATH_MAX];
	size_t len = strlen(path), i;

	if (len >= sizeof(p))
		return -ENAMETOOLONG;
	memcpy(p, path, len + 1);
	for (i = parents ? 1 : len; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			return -errno;
		p[i] = path[i];
	}
	return 0;
}

/* Open (and create) a directory that passes the policy; see safefile.h. */
int
sf_dir_open(const char *path, const struct sf_policy *pol, enum sf_fail *fail)
{
	const int oflags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	enum sf_fail why = SF_FAIL_NONE;
	int fd;

	if (path == NULL || path[0] != '/')
		return sf_failed(fail, SF_FAIL_OPEN, -EINVAL);
	fd = sf_open_checked(AT_FDCWD, path, oflags, S_IFDIR, pol, NULL, &why);
	if (fd == -ENOENT && why == SF_FAIL_OPEN && (pol->flags & (SF_MKDIR | SF_MKDIR_PARENTS))) {
		fd = sf_mkdirs(path, (pol->flags & SF_MKDIR_PARENTS) != 0);
		if (fd < 0)
			return sf_failed(fail, SF_FAIL_MKDIR, fd);
		fd = sf_open_checked(AT_FDCWD, path, oflags, S_IFDIR, pol, NULL, &why);
	}
	return fd < 0 ? sf_failed(fail, why, fd) : fd;
}

static int
sf_write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Create name exclusively, write, (fsync,) close; remove it again on failure. */
static int
sf_create(int dfd, const char *name, const void *data, size_t len, bool sync, enum sf_fail *fail)
{
	int fd, r;

	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return sf_failed(fail, SF_FAIL_CREATE, -errno);
	r = sf_write_all(fd, data, len);
	if (r == 0 && sync && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0) {
		(void)unlinkat(dfd, name, 0);
		return sf_failed(fail, SF_FAIL_WRITE, r);
	}
	return 0;
}

/* Create a new file exclusively; see safefile.h. */
int
sf_write_new(int dfd, const char *name, const void *data, size_t len, enum sf_fail *fail)
{
	return sf_create(dfd, name, data, len, false, fail);
}

/* Replace a file atomically; see safefile.h. */
int
sf_write_atomic(int dfd, const char *name, const void *data, size_t len, enum sf_fail *fail)
{
	return sf_write_replace(dfd, name, data, len, true, fail);
}

/* Replace a file atomically, durably only with sync; see safefile.h. */
int
sf_write_replace(int dfd, const char *name, const void *data, size_t len, bool sync,
		 enum sf_fail *fail)
{
	char tmp[NAME_MAX + 1], hex[17];
	unsigned char rnd[8];
	int r;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return sf_failed(fail, SF_FAIL_CREATE, -EIO);
	(void)text_hex_encode(rnd, sizeof(rnd), hex, sizeof(hex));
	if ((size_t)snprintf(tmp, sizeof(tmp), ".%s.%s.tmp", name, hex) >= sizeof(tmp))
		return sf_failed(fail, SF_FAIL_CREATE, -ENAMETOOLONG);
	r = sf_create(dfd, tmp, data, len, sync, fail);
	if (r < 0)
		return r;
	if (renameat(dfd, tmp, dfd, name) < 0) {
		r = sf_failed(fail, SF_FAIL_RENAME, -errno);
		(void)unlinkat(dfd, tmp, 0);
		return r;
	}
	/* the rename itself is on disk once the directory is */
	if (sync)
		(void)fsync(dfd);
	return 0;
}
