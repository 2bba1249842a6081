/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of common/safefile.c and common/kv.c: what a policy refuses
 * (symlinks, group-writable files, other owners, oversized files,
 * directories, FIFOs, names that exist) and how the key = value reader
 * reports a bad line.  Compiled with common/ alone on the include path.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "kv.h"
#include "oidc_err.h"
#include "safefile.h"

static char dir[64];
static char path[256];

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pam_oidc-safefile.XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* dir/name (static buffer). */
static const char *
at(const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* Write dir/name with mode and return its path. */
static const char *
put(const char *name, const void *text, size_t len, mode_t mode)
{
	int fd;

	unlink(at(name));
	fd = open(at(name), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return at(name);
}

static const struct sf_policy conf_like = {
	.owner = SF_OWNER_ROOT_OR_EUID,
	.forbidden = S_IWGRP | S_IWOTH,
	.max_size = 16,
	.flags = SF_NO_NUL,
};

/* sf_read_file of dir/name under pol: the errno, with what failed in *fail. */
static int
read_as(const char *name, const struct sf_policy *pol, enum sf_fail *fail, struct buf *ret)
{
	struct buf b;
	int r;

	*fail = SF_FAIL_NONE;
	buf_init(&b, 1);
	r = sf_read_file(AT_FDCWD, at(name), pol, &b, NULL, fail);
	if (ret != NULL)
		*ret = b;
	else
		buf_free(&b);
	return r;
}

static void
test_read_ok(void **state)
{
	enum sf_fail fail;
	struct stat st;
	struct buf b;
	int dfd;

	(void)state;
	put("ok", "hello\n", 6, 0644);
	assert_int_equal(read_as("ok", &conf_like, &fail, &b), 0);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.data, "hello\n");
	buf_free(&b);
	/* exactly max_size is fine, relative to a directory descriptor too */
	put("max", "0123456789abcdef", 16, 0600);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	buf_init(&b, 1);
	assert_int_equal(sf_read_file(dfd, "max", &conf_like, &b, &st, &fail), 0);
	assert_int_equal(b.len, 16);
	assert_int_equal(st.st_size, 16);
	buf_free(&b);
	close(dfd);
	/* an empty file is an empty string, not NULL */
	put("empty", "", 0, 0600);
	assert_int_equal(read_as("empty", &conf_like, &fail, &b), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void
test_read_refused(void **state)
{
	const struct sf_policy secret = { .owner = SF_OWNER_ROOT,
					  .forbidden = 0177,
					  .max_size = 64 };
	enum sf_fail fail;

	(void)state;
	put("target", "x = 1\n", 6, 0600);

	/* a symlink is not followed, unless the policy says so */
	assert_int_equal(symlink("target", at("link")), 0);
	assert_int_equal(read_as("link", &conf_like, &fail, NULL), -ELOOP);
	assert_int_equal(fail, SF_FAIL_OPEN);
	{
		struct sf_policy follow = conf_like;

		follow.flags |= SF_FOLLOW;
		assert_int_equal(read_as("link", &follow, &fail, NULL), 0);
	}

	/* missing */
	assert_int_equal(read_as("absent", &conf_like, &fail, NULL), -ENOENT);
	assert_int_equal(fail, SF_FAIL_OPEN);

	/* group- or other-writable */
	put("gw", "x\n", 2, 0620);
	assert_int_equal(read_as("gw", &conf_like, &fail, NULL), -EPERM);
	assert_int_equal(fail, SF_FAIL_MODE);
	put("ow", "x\n", 2, 0602);
	assert_int_equal(read_as("ow", &conf_like, &fail, NULL), -EPERM);
	assert_int_equal(fail, SF_FAIL_MODE);
	/* a secret must not even be readable by others, nor executable */
	put("secret", "s\n", 2, 0640);
	if (geteuid() == 0) {
		assert_int_equal(read_as("secret", &secret, &fail, NULL), -EPERM);
		assert_int_equal(fail, SF_FAIL_MODE);
		assert_int_equal(chmod(at("secret"), 0700), 0);
		assert_int_equal(read_as("secret", &secret, &fail, NULL), -EPERM);
		assert_int_equal(fail, SF_FAIL_MODE);
		assert_int_equal(chmod(at("secret"), 0400), 0);
		assert_int_equal(read_as("secret", &secret, &fail, NULL), 0);
	}

	/* too large: by its size, and by what a pipe delivers */
	put("big", "0123456789abcdefX", 17, 0600);
	assert_int_equal(read_as("big", &conf_like, &fail, NULL), -EFBIG);
	assert_int_equal(fail, SF_FAIL_SIZE);
	{
		struct buf b;
		int p[2];

		assert_int_equal(pipe2(p, O_CLOEXEC), 0);
		assert_int_equal(write(p[1], "0123456789abcdefX", 17), 17);
		close(p[1]);
		buf_init(&b, 16);
		fail = SF_FAIL_NONE;
		assert_int_equal(sf_read_fd(p[0], &b, &fail), -EFBIG);
		assert_int_equal(fail, SF_FAIL_SIZE);
		buf_free(&b);
		close(p[0]);
	}

	/* a directory or a FIFO instead of a file (the FIFO must not block) */
	assert_int_equal(mkdir(at("sub"), 0700), 0);
	assert_int_equal(read_as("sub", &conf_like, &fail, NULL), -EINVAL);
	assert_int_equal(fail, SF_FAIL_TYPE);
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	assert_int_equal(read_as("fifo", &conf_like, &fail, NULL), -EINVAL);
	assert_int_equal(fail, SF_FAIL_TYPE);

	/* a NUL byte hides the rest from C string code */
	put("nul", "a = b\0c\n", 8, 0600);
	assert_int_equal(read_as("nul", &conf_like, &fail, NULL), -EBADMSG);
	assert_int_equal(fail, SF_FAIL_NUL);

	/* a second hard link, when the policy wants one */
	{
		struct sf_policy one = conf_like;
		char target[256];

		one.flags |= SF_ONE_LINK;
		assert_int_equal(read_as("target", &one, &fail, NULL), 0);
		snprintf(target, sizeof(target), "%s", at("target"));
		assert_int_equal(link(target, at("hard")), 0);
		assert_int_equal(read_as("target", &one, &fail, NULL), -EPERM);
		assert_int_equal(fail, SF_FAIL_LINKS);
	}
}

static void
test_wrong_owner(void **state)
{
	const struct sf_policy root = { .owner = SF_OWNER_ROOT, .max_size = 64 };
	const struct sf_policy euid = { .owner = SF_OWNER_EUID, .max_size = 64 };
	const struct sf_policy dirpol = { .owner = SF_OWNER_ROOT_OR_EUID };
	struct passwd *nobody;
	enum sf_fail fail;

	(void)state;
	if (geteuid() != 0)
		skip();
	nobody = getpwnam("nobody");
	assert_non_null(nobody);
	put("theirs", "x = 1\n", 6, 0600);
	assert_int_equal(chown(at("theirs"), nobody->pw_uid, nobody->pw_gid), 0);
	assert_int_equal(read_as("theirs", &conf_like, &fail, NULL), -EPERM);
	assert_int_equal(fail, SF_FAIL_OWNER);
	assert_int_equal(read_as("theirs", &root, &fail, NULL), -EPERM);
	assert_int_equal(fail, SF_FAIL_OWNER);
	assert_int_equal(read_as("theirs", &euid, &fail, NULL), -EPERM);
	assert_int_equal(fail, SF_FAIL_OWNER);
	assert_int_equal(chown(at("theirs"), 0, 0), 0);
	assert_int_equal(read_as("theirs", &root, &fail, NULL), 0);

	/* the same for a directory */
	assert_int_equal(mkdir(at("theirdir"), 0700), 0);
	assert_int_equal(chown(at("theirdir"), nobody->pw_uid, nobody->pw_gid), 0);
	fail = SF_FAIL_NONE;
	assert_int_equal(sf_dir_open(at("theirdir"), &dirpol, &fail), -EPERM);
	assert_int_equal(fail, SF_FAIL_OWNER);
}

static void
test_path_only(void **state)
{
	const struct sf_policy exe = { .required = S_IXUSR, .flags = SF_PATH_ONLY | SF_FOLLOW };
	enum sf_fail fail = SF_FAIL_NONE;
	struct stat st;
	int fd;

	(void)state;
	/* an executable need not be readable to be looked at */
	put("prog", "#!/bin/sh\n", 10, 0111);
	fd = sf_open(AT_FDCWD, at("prog"), &exe, &st, &fail);
	assert_true(fd >= 0);
	assert_true(S_ISREG(st.st_mode));
	close(fd);
	put("data", "x", 1, 0644);
	assert_int_equal(sf_open(AT_FDCWD, at("data"), &exe, &st, &fail), -EPERM);
	assert_int_equal(fail, SF_FAIL_MODE);
}

static void
test_dir_open(void **state)
{
	const struct sf_policy mine = { .owner = SF_OWNER_EUID,
					.forbidden = 077,
					.flags = SF_MKDIR_PARENTS };
	const struct sf_policy leaf = { .owner = SF_OWNER_EUID,
					.forbidden = 022,
					.flags = SF_MKDIR };
	const struct sf_policy plain = { .owner = SF_OWNER_EUID, .forbidden = 022 };
	enum sf_fail fail = SF_FAIL_NONE;
	struct stat st;
	int fd;

	(void)state;
	/* created with every missing parent, all 0700 */
	fd = sf_dir_open(at("a/b/c"), &mine, &fail);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	close(fd);
	assert_int_equal(stat(at("a"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* without SF_MKDIR_PARENTS the parent must exist */
	assert_int_equal(sf_dir_open(at("x/y"), &leaf, &fail), -ENOENT);
	assert_int_equal(fail, SF_FAIL_MKDIR);
	fd = sf_dir_open(at("x"), &leaf, &fail);
	assert_true(fd >= 0);
	close(fd);
	/* without SF_MKDIR nothing is created */
	assert_int_equal(sf_dir_open(at("none"), &plain, &fail), -ENOENT);
	assert_int_equal(fail, SF_FAIL_OPEN);
	/* group-writable, or open to others where the policy closes it */
	assert_int_equal(chmod(at("x"), 0770), 0);
	assert_int_equal(sf_dir_open(at("x"), &leaf, &fail), -EPERM);
	assert_int_equal(fail, SF_FAIL_MODE);
	assert_int_equal(chmod(at("x"), 0755), 0);
	fd = sf_dir_open(at("x"), &leaf, &fail);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sf_dir_open(at("x"), &mine, &fail), -EPERM);
	/* a symlink to a good directory, a file, a relative path */
	assert_int_equal(symlink("a", at("alink")), 0);
	assert_int_equal(sf_dir_open(at("alink"), &plain, &fail), -ENOTDIR);
	assert_int_equal(fail, SF_FAIL_OPEN);
	put("file", "x", 1, 0600);
	assert_int_equal(sf_dir_open(at("file"), &plain, &fail), -ENOTDIR);
	assert_int_equal(sf_dir_open("tmp", &plain, &fail), -EINVAL);
}

/* No ".NAME.*.tmp" left in dir. */
static void
assert_no_temp(void)
{
	struct dirent *de;
	size_t n;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n > 4 && strcmp(de->d_name + n - 4, ".tmp") == 0)
			fail_msg("temporary file %s left", de->d_name);
	}
	closedir(d);
}

static void
test_write(void **state)
{
	const struct sf_policy any = { .max_size = 64 };
	enum sf_fail fail = SF_FAIL_NONE;
	struct stat st;
	struct buf b;
	int dfd;

	(void)state;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	/* exclusive create: a new file 0600; an existing name is refused */
	assert_int_equal(sf_write_new(dfd, "new", "one", 3, &fail), 0);
	assert_int_equal(stat(at("new"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(sf_write_new(dfd, "new", "two", 3, &fail), -EEXIST);
	assert_int_equal(fail, SF_FAIL_CREATE);
	assert_int_equal(read_as("new", &any, &fail, &b), 0);
	assert_string_equal(b.data, "one");
	buf_free(&b);
	/* ... also a dangling symlink: nothing is created through it */
	assert_int_equal(symlink("elsewhere", at("dangling")), 0);
	assert_int_equal(sf_write_new(dfd, "dangling", "x", 1, &fail), -EEXIST);
	assert_int_not_equal(access(at("elsewhere"), F_OK), 0);

	/* atomic replace: the new content, 0600, no temporary file left */
	put("over", "old", 3, 0644);
	assert_int_equal(sf_write_atomic(dfd, "over", "newer", 5, &fail), 0);
	assert_int_equal(read_as("over", &any, &fail, &b), 0);
	assert_string_equal(b.data, "newer");
	buf_free(&b);
	assert_int_equal(stat(at("over"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_no_temp();
	/* the same without the flushes (the registry's): same result */
	assert_int_equal(sf_write_replace(dfd, "over", "newest", 6, false, &fail), 0);
	assert_int_equal(read_as("over", &any, &fail, &b), 0);
	assert_string_equal(b.data, "newest");
	buf_free(&b);
	assert_int_equal(stat(at("over"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_no_temp();
	/* a symlink in its place is replaced, its target left alone */
	put("victim", "keep", 4, 0600);
	assert_int_equal(symlink("victim", at("swap")), 0);
	assert_int_equal(sf_write_atomic(dfd, "swap", "mine", 4, &fail), 0);
	assert_int_equal(lstat(at("swap"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(read_as("victim", &any, &fail, &b), 0);
	assert_string_equal(b.data, "keep");
	buf_free(&b);
	/* a directory in its place: the rename fails and cleans up */
	assert_int_equal(mkdir(at("busy"), 0700), 0);
	assert_int_equal(mkdir(at("busy/inner"), 0700), 0);
	assert_true(sf_write_atomic(dfd, "busy", "x", 1, &fail) < 0);
	assert_int_equal(fail, SF_FAIL_RENAME);
	assert_no_temp();
	close(dfd);
}

/* ---------------------------------------------------------------- kv */

struct seen {
	char text[512];
	unsigned calls;
	const char *refuse; /* a key the callback refuses */
};

static int
record(void *ctx, const char *key, const char *value, unsigned line, struct oidc_err *err)
{
	struct seen *s = ctx;
	size_t n = strlen(s->text);

	if (s->refuse != NULL && strcmp(key, s->refuse) == 0)
		return oidc_err_set(err, OIDC_R_CONFIG, ERANGE, "option '%s': no", key);
	snprintf(s->text + n, sizeof(s->text) - n, "%u:%s=%s|", line, key, value);
	s->calls++;
	return 0;
}

/* kv_parse a copy of text; the errno, with the message in err. */
static int
parse(const char *text, unsigned flags, struct seen *s, struct oidc_err *err)
{
	char *copy = strdup(text);
	int r;

	assert_non_null(copy);
	memset(s->text, 0, sizeof(s->text));
	s->calls = 0;
	oidc_err_clear(err);
	r = kv_parse("t.conf", copy, strlen(copy), flags, record, s, err);
	free(copy);
	return r;
}

static void
test_kv_lines(void **state)
{
	struct seen s = { .refuse = NULL };
	struct oidc_err err;

	(void)state;
	assert_int_equal(parse("# comment\n\n  a = 1  \nb=two words\r\n\t  # indented\n"
			       "c =\nd = x # y\ne = =\n",
			       0, &s, &err),
			 0);
	assert_string_equal(s.text, "3:a=1|4:b=two words|6:c=|7:d=x # y|8:e==|");
	/* a '#' anywhere starts a comment when asked */
	assert_int_equal(parse("d = x # y\n  # z\nf=g#h\n", KV_INLINE_COMMENT, &s, &err), 0);
	assert_string_equal(s.text, "1:d=x|3:f=g|");
	/* no final newline */
	assert_int_equal(parse("k = v", 0, &s, &err), 0);
	assert_string_equal(s.text, "1:k=v|");
}

static void
test_kv_errors(void **state)
{
	struct seen s = { .refuse = NULL };
	struct oidc_err err;
	char *text;
	size_t i;

	(void)state;
	/* missing '=' */
	assert_int_equal(parse("a = 1\n\njust words\n", 0, &s, &err), -EINVAL);
	assert_string_equal(err.msg, "t.conf:3: expected 'key = value'");
	assert_int_equal(err.reason, OIDC_R_CONFIG);
	assert_int_equal(s.calls, 1);
	/* missing key */
	assert_int_equal(parse("# x\n = 1\n", 0, &s, &err), -EINVAL);
	assert_string_equal(err.msg, "t.conf:2: missing option name");
	/* the callback's refusal, with its errno and the line */
	s.refuse = "b";
	assert_int_equal(parse("a = 1\nb = 2\nc = 3\n", 0, &s, &err), -ERANGE);
	assert_string_equal(err.msg, "t.conf:2: option 'b': no");
	assert_int_equal(s.calls, 1);
	s.refuse = NULL;

	/* a setting longer than KV_LINE_MAX; a comment line that long is fine */
	text = malloc(KV_LINE_MAX + 32);
	assert_non_null(text);
	memcpy(text, "a = 1\nk = ", 10);
	for (i = 10; i < KV_LINE_MAX + 10; i++)
		text[i] = 'v';
	text[i++] = '\n';
	text[i] = '\0';
	assert_int_equal(parse(text, 0, &s, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "t.conf:2: line longer than"));
	text[6] = '#';
	assert_int_equal(parse(text, 0, &s, &err), 0);
	assert_int_equal(s.calls, 1);
	free(text);
}

static void
test_kv_file(void **state)
{
	struct seen s = { .refuse = NULL };
	struct oidc_err err;

	(void)state;
	memset(s.text, 0, sizeof(s.text));
	put("good.conf", "a = 1\n", 6, 0644);
	oidc_err_clear(&err);
	assert_int_equal(kv_read_file(at("good.conf"), 64, 0, record, &s, &err), 0);
	assert_string_equal(s.text, "1:a=1|");
	/* the file's own errors name the file */
	put("gw.conf", "a = 1\n", 6, 0664);
	oidc_err_clear(&err);
	assert_int_equal(kv_read_file(at("gw.conf"), 64, 0, record, &s, &err), -EPERM);
	assert_non_null(strstr(err.msg, "gw.conf: writable by group or others"));
	put("nul.conf", "a = 1\0\n", 7, 0600);
	oidc_err_clear(&err);
	assert_int_equal(kv_read_file(at("nul.conf"), 64, 0, record, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "NUL"));
	oidc_err_clear(&err);
	assert_int_equal(kv_read_file(at("good.conf"), 4, 0, record, &s, &err), -EFBIG);
	assert_non_null(strstr(err.msg, "larger than 4 bytes"));
	oidc_err_clear(&err);
	assert_int_equal(kv_read_file(at("none.conf"), 64, 0, record, &s, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "none.conf: no such file"));
	/* and a bad line names the file and the line */
	put("bad.conf", "a = 1\nb\n", 8, 0600);
	oidc_err_clear(&err);
	assert_int_equal(kv_read_file(at("bad.conf"), 64, 0, record, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "bad.conf:2: expected 'key = value'"));
}

static void
test_kv_bool(void **state)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	bool b;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		b = false;
		assert_int_equal(kv_parse_bool(yes[i], &b), 0);
		assert_true(b);
		assert_int_equal(kv_parse_bool(no[i], &b), 0);
		assert_false(b);
	}
	b = true;
	assert_int_equal(kv_parse_bool("YES", &b), -EINVAL);
	assert_int_equal(kv_parse_bool("", &b), -EINVAL);
	assert_true(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write, setup, teardown),
		cmocka_unit_test(test_kv_lines),
		cmocka_unit_test(test_kv_errors),
		cmocka_unit_test_setup_teardown(test_kv_file, setup, teardown),
		cmocka_unit_test(test_kv_bool),
	};

	return cmocka_run_group_tests_name("safefile", tests, NULL, NULL);
}
