/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testhelp.h"

char *
th_read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 131072;
			data = realloc(data, cap + 1);
			assert_non_null(data);
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	data[len] = '\0';
	if (ret_len != NULL)
		*ret_len = len;
	return data;
}

static char *
join(const char *base, const char *rel)
{
	size_t n = strlen(base) + strlen(rel) + 2;
	char *p = malloc(n);

	assert_non_null(p);
	snprintf(p, n, "%s/%s", base, rel);
	return p;
}

char *
th_srcpath(const char *rel)
{
	const char *top = secure_getenv("top_srcdir");

	return join(top != NULL ? top : ".", rel);
}

char *
th_sharedpath(const char *rel)
{
	const char *shared = secure_getenv("SHARED_DIR");
	char *p, *r;

	if (shared != NULL)
		return join(shared, rel);
	p = th_srcpath("../shared");
	r = join(p, rel);
	free(p);
	return r;
}
