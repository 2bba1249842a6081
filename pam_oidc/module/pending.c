/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Record format, a file format of its own (not the child protocol's):
 *
 *     pam_oidc-pending 2
 *     created=<clock_mono_ms() in microseconds>
 *     issuer=<value>
 *     ...                 the identity's fields as name=value, by its codec
 *
 * Every line ends in '\n'; values are stored as they are, which is safe
 * because the identity codec admits no control bytes (so no newline) in
 * any value, and a name never holds '='.  Each line appears exactly once
 * and all are required, so a truncated record always lacks a field or
 * its last newline and is refused.  "created" is clock_mono_ms (in µs,
 * the unit the format always had): CLOCK_BOOTTIME, which a clock change
 * cannot move; /run does not outlive the boot either.
 */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "buf.h"
#include "clock.h"
#include "numparse.h"
#include "oidc_err.h"
#include "pending.h"
#include "safefile.h"
#include "text.h"

#define PENDING_HEADER	  "pam_oidc-pending 2"
#define PENDING_SWEEP_MAX 4096

static bool
handle_valid(const char *h)
{
	return h != NULL && strlen(h) == PENDING_HANDLE_LEN &&
	       text_hex_is_lower(h, PENDING_HANDLE_LEN);
}

/* Directory and records: ours (the euid), closed to group and others. */
static const struct sf_policy pending_dir_policy = {
	.owner = SF_OWNER_EUID,
	.forbidden = 077,
};

/* ... and a record has one link and fits the cap. */
static const struct sf_policy pending_policy = {
	.owner = SF_OWNER_EUID,
	.forbidden = 077,
	.max_size = PENDING_MAX_FILE,
	.flags = SF_ONE_LINK,
};

/* Open dir (creating it and its missing parents 0700), check it is ours and closed. */
static int
dir_open(const char *dir, bool create, struct oidc_err *err)
{
	struct sf_policy pol = pending_dir_policy;
	enum sf_fail fail = SF_FAIL_NONE;
	int dfd;

	if (dir == NULL || dir[0] != '/')
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "pending directory must be an absolute path");
	if (create)
		pol.flags |= SF_MKDIR_PARENTS;
	dfd = sf_dir_open(dir, &pol, &fail);
	if (dfd >= 0)
		return dfd;
	switch (fail) {
	case SF_FAIL_MKDIR:
		return oidc_err_set(err, OIDC_R_INTERNAL, -dfd, "cannot create %s: %s", dir,
				    strerror(-dfd));
	case SF_FAIL_OPEN:
		return oidc_err_set(err, dfd == -ENOENT ? OIDC_R_NONE : OIDC_R_INTERNAL, -dfd,
				    "cannot open %s: %s", dir, strerror(-dfd));
	case SF_FAIL_STAT:
		return oidc_err_set(err, OIDC_R_INTERNAL, -dfd, "cannot stat %s: %s", dir,
				    strerror(-dfd));
	default:
		return oidc_err_set(err, OIDC_R_CONFIG, EPERM,
				    "%s must be a directory owned by uid %u with mode 0700",
				    dir, (unsigned)geteuid());
	}
}

/* Remove records left over by logins whose session never opened. */
static void
sweep_stale(int dfd)
{
	struct dirent *de;
	struct stat st;
	int64_t now_s;
	unsigned n = 0;
	DIR *d;
	int fd;

	fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return;
	}
	now_s = (int64_t)(clock_real_us() / 1000000u);	/* file times are wall-clock */
	while ((de = readdir(d)) != NULL && n++ < PENDING_SWEEP_MAX) {
		if (!handle_valid(de->d_name))
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (st.st_mtim.tv_sec + 2 * PENDING_MAX_AGE_S < now_s)
			(void)unlinkat(dfd, de->d_name, 0);
	}
	closedir(d);
}

/* One "name=value" line of a record. */
static int
record_line(void *ctx, const char *name, const char *value)
{
	struct buf *b = ctx;
	int r;

	r = buf_append_str(b, name);
	if (r >= 0)
		r = buf_append(b, "=", 1);
	if (r >= 0)
		r = buf_append_str(b, value);
	if (r >= 0)
		r = buf_append(b, "\n", 1);
	return r < 0 ? r : 0;
}

/* The whole record: header, creation time, the identity's fields. */
static int
record_format(struct buf *b, const char *created, const struct oidc_identity *id)
{
	int r;

	r = buf_append_str(b, PENDING_HEADER "\n");
	if (r >= 0)
		r = record_line(b, "created", created);
	if (r >= 0)
		r = oidc_identity_encode(id, record_line, b);
	return r < 0 ? r : 0;
}

/* Why record_format failed: too large, out of memory, or an identity the codec refuses. */
static enum oidc_reason
record_failure(int r)
{
	if (r == -EFBIG)
		return OIDC_R_TOO_LARGE;
	return r == -ENOMEM ? OIDC_R_INTERNAL : OIDC_R_MALFORMED;
}

/* See pending.h. */
int
pending_write(const char *dir, const struct oidc_identity *id,
	      char ret_handle[PENDING_HANDLE_LEN + 1], struct oidc_err *err)
{
	unsigned char rnd[PENDING_HANDLE_LEN / 2];
	char handle[PENDING_HANDLE_LEN + 1];
	char num[32];
	enum sf_fail fail = SF_FAIL_NONE;
	struct buf b;
	int dfd = -1, r;

	buf_init(&b, PENDING_MAX_FILE);
	if ((dfd = dir_open(dir, true, err)) < 0) {
		r = dfd;
		goto out;
	}
	sweep_stale(dfd);
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, EIO, "no random bytes for the handle");
		goto out;
	}
	(void)text_hex_encode(rnd, sizeof(rnd), handle, sizeof(handle));
	handle[PENDING_HANDLE_LEN] = '\0';

	snprintf(num, sizeof(num), "%" PRId64, clock_mono_ms() * 1000);
	r = record_format(&b, num, id);
	if (r < 0) {
		r = oidc_err_set(err, record_failure(r), -r,
				 "cannot put this identity into a pending record");
		goto out;
	}
	r = sf_write_new(dfd, handle, b.data, b.len, &fail);
	if (r < 0) {
		if (fail == SF_FAIL_CREATE)
			r = oidc_err_set(err, OIDC_R_INTERNAL, -r,
					 "cannot create a pending record in %s: %s", dir,
					 strerror(-r));
		else
			r = oidc_err_set(err, OIDC_R_INTERNAL, -r,
					 "cannot write the pending record: %s", strerror(-r));
		goto out;
	}
	memcpy(ret_handle, handle, sizeof(handle));
	r = 0;
out:
	if (dfd >= 0)
		close(dfd);
	buf_free(&b);
	explicit_bzero(rnd, sizeof(rnd));
	explicit_bzero(handle, sizeof(handle));
	return r;
}

/* Parse a record (NUL-terminated text, changed in place) into id and its creation time. */
static int
parse_record(char *text, struct oidc_identity *id, int64_t *ret_created)
{
	struct oidc_identity_decoder dec;
	char *line, *next, *eq;
	bool have_created = false;
	int64_t created = 0;
	int r;

	oidc_identity_decoder_init(&dec);
	next = strchr(text, '\n');
	if (next == NULL) {
		r = -EPROTO;
		goto out;
	}
	*next++ = '\0';
	if (strcmp(text, PENDING_HEADER) != 0) {
		r = -EPROTO;
		goto out;
	}
	for (line = next; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		eq = strchr(line, '=');
		/* a line cut short has no newline */
		if (next == NULL || eq == NULL || eq > next) {
			r = -EPROTO;
			goto out;
		}
		*next++ = '\0';
		*eq++ = '\0';
		if (strcmp(line, "created") == 0) {
			if (have_created || num_parse_i64(eq, 0, INT64_MAX, &created) < 0) {
				r = -EPROTO;
				goto out;
			}
			have_created = true;
			continue;
		}
		r = oidc_identity_decode(&dec, line, eq);
		if (r < 0) {
			r = r == -ENOMEM ? -ENOMEM : -EPROTO;
			goto out;
		}
	}
	if (!have_created || oidc_identity_decode_finish(&dec, id) < 0) {
		r = -EPROTO;
		goto out;
	}
	*ret_created = created;
	r = 0;
out:
	oidc_identity_decoder_clear(&dec);
	return r;
}

/* See pending.h. */
int
pending_consume(const char *dir, const char *handle, const char *user,
		struct oidc_identity *ret, struct oidc_err *err)
{
	static const struct sf_policy any = { .flags = SF_ANY_TYPE };
	struct oidc_identity id = { 0 };
	enum sf_fail fail = SF_FAIL_NONE;
	struct buf rec;
	struct stat st;
	char *data;
	size_t len;
	int64_t created = 0, age;
	int dfd = -1, fd = -1, r;

	buf_init(&rec, PENDING_MAX_FILE);
	if (!handle_valid(handle)) {
		r = oidc_err_set(err, OIDC_R_USAGE, EINVAL, "malformed session handle");
		goto out;
	}
	if ((dfd = dir_open(dir, false, err)) < 0) {
		r = dfd == -ENOENT ? -ENOENT : dfd;
		goto out;
	}
	/* the checks come after the unlink, on what fstat said before it */
	fd = sf_open(dfd, handle, &any, &st, &fail);
	if (fd < 0) {
		if (fail == SF_FAIL_OPEN)
			r = oidc_err_set(err, OIDC_R_USAGE, -fd,
					 "no pending login for this handle");
		else
			r = oidc_err_set(err, OIDC_R_INTERNAL, -fd,
					 "cannot stat a pending record: %s", strerror(-fd));
		goto out;
	}
	/* consume first: whatever happens next, the handle is spent */
	if (unlinkat(dfd, handle, 0) < 0) {
		r = oidc_err_set(err, OIDC_R_USAGE, errno == ENOENT ? ENOENT : errno,
				 "pending login already used");
		goto out;
	}
	if (sf_check_stat(&st, S_IFREG, &pending_policy, NULL) < 0) {
		r = oidc_err_set(err, OIDC_R_USAGE, EPERM, "pending record with wrong owner or mode");
		goto out;
	}
	if ((r = sf_read_fd(fd, &rec, NULL)) < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, -r, "cannot read a pending record: %s",
				 strerror(-r));
		goto out;
	}
	data = rec.data;
	len = rec.len;
	r = -EPROTO;
	if (memchr(data, '\0', len) != NULL || (r = parse_record(data, &id, &created)) < 0) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, r == -ENOMEM ? ENOMEM : EPROTO,
				 "malformed pending record");
		goto out;
	}
	if (user == NULL || strcmp(id.user, user) != 0) {
		r = oidc_err_set(err, OIDC_R_USER, EPERM,
				 "pending login belongs to another user");
		goto out;
	}
	age = clock_mono_ms() - created / 1000;
	if (age < 0 || age >= (int64_t)PENDING_MAX_AGE_S * 1000) {
		r = oidc_err_set(err, OIDC_R_EXPIRED, EPERM,
				 "pending login is older than %d seconds", PENDING_MAX_AGE_S);
		goto out;
	}
	*ret = id;
	memset(&id, 0, sizeof(id));
	r = 0;
out:
	oidc_identity_clear(&id);
	buf_free(&rec);
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	return r;
}

/* Whether one record, by name in dfd, is ours, fresh and names user. */
static bool
record_fresh_for(int dfd, const char *name, const char *user)
{
	struct oidc_identity id = { 0 };
	struct buf rec;
	int64_t created = 0, age;
	bool fresh = false;

	buf_init(&rec, PENDING_MAX_FILE);
	if (sf_read_file(dfd, name, &pending_policy, &rec, NULL, NULL) < 0 || rec.len == 0 ||
	    memchr(rec.data, '\0', rec.len) != NULL || parse_record(rec.data, &id, &created) < 0)
		goto out;
	age = clock_mono_ms() - created / 1000;
	fresh = strcmp(id.user, user) == 0 && age >= 0 && age < (int64_t)PENDING_MAX_AGE_S * 1000;
out:
	oidc_identity_clear(&id);
	buf_free(&rec);
	return fresh;
}

/* See pending.h. */
int
pending_fresh_for_user(const char *dir, const char *user, struct oidc_err *err)
{
	struct dirent *de;
	unsigned n = 0;
	DIR *d = NULL;
	int dfd, fd = -1, r = 0;

	if (user == NULL)
		return 0;
	if ((dfd = dir_open(dir, false, err)) < 0)
		return dfd == -ENOENT ? 0 : dfd;
	fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, errno, "cannot list %s: %s", dir,
				 strerror(errno));
		goto out;
	}
	fd = -1;
	while ((de = readdir(d)) != NULL) {
		/* more records than a sweep keeps: fail closed rather than guess */
		if (n++ >= PENDING_SWEEP_MAX) {
			r = 1;
			goto out;
		}
		if (handle_valid(de->d_name) && record_fresh_for(dfd, de->d_name, user)) {
			r = 1;
			goto out;
		}
	}
out:
	if (d != NULL)
		closedir(d);
	if (fd >= 0)
		close(fd);
	close(dfd);
	return r;
}
