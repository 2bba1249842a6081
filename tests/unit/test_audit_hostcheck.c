/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the host check of oidc-audit (auditd-helper/hostcheck.c):
 * kernel.io_uring_disabled, read from a file that stands in for /proc.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "oidc_audit.h"

struct dir {
	char path[64];
	char file[96];
};

static int
setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return -1;
	snprintf(d->path, sizeof(d->path), "/tmp/test_hostcheck.XXXXXX");
	if (mkdtemp(d->path) == NULL) {
		free(d);
		return -1;
	}
	snprintf(d->file, sizeof(d->file), "%s/io_uring_disabled", d->path);
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	struct dir *d = *state;
	char link[128];

	snprintf(link, sizeof(link), "%s/link", d->path);
	unlink(link);
	unlink(d->file);
	rmdir(d->path);
	free(d);
	return 0;
}

static int
check(const struct dir *d, const char *content)
{
	FILE *f = fopen(d->file, "w");

	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
	return hostcheck_io_uring(d->file);
}

static void
test_values(void **state)
{
	struct dir *d = *state;
	const char *w;

	/* 0: io_uring open to everyone, the warning names the setting */
	assert_int_equal(check(d, "0\n"), 0);
	w = hostcheck_io_uring_warning(0);
	assert_non_null(w);
	assert_non_null(strstr(w, "kernel.io_uring_disabled is 0"));
	/* 1 (with kernel.io_uring_group) and 2 restrict it: nothing to say */
	assert_int_equal(check(d, "1\n"), 1);
	assert_null(hostcheck_io_uring_warning(1));
	assert_int_equal(check(d, "2"), 2);
	assert_null(hostcheck_io_uring_warning(2));
}

static void
test_unusable(void **state)
{
	struct dir *d = *state;
	char link[128];
	int r;

	/* values the kernel never writes: an error, and the warning says so */
	assert_int_equal(check(d, "3\n"), -ERANGE);
	assert_int_equal(check(d, ""), -EINVAL);
	assert_int_equal(check(d, "-1\n"), -ERANGE);
	assert_int_equal(check(d, "2 \n"), -EINVAL);
	r = check(d, "zero\n");
	assert_int_equal(r, -EINVAL);
	assert_non_null(strstr(hostcheck_io_uring_warning(r), "cannot be read"));
	/* a kernel before 6.6 has no such file */
	unlink(d->file);
	r = hostcheck_io_uring(d->file);
	assert_int_equal(r, -ENOENT);
	assert_non_null(strstr(hostcheck_io_uring_warning(r), "cannot restrict io_uring"));
	/* not through a symbolic link */
	snprintf(link, sizeof(link), "%s/link", d->path);
	assert_int_equal(check(d, "2\n"), 2);
	assert_int_equal(symlink(d->file, link), 0);
	assert_int_equal(hostcheck_io_uring(link), -ELOOP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unusable, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
