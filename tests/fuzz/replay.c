/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Replays a fuzz target's seed corpus as an ordinary test (make check):
 * the program named replay_NAME runs every file of
 * $top_srcdir/tests/fuzz/corpus/NAME through LLVMFuzzerTestOneInput and
 * prints one TAP line per file.  A crash or an abort() in the target fails
 * the test.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned char *
slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rbe");
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			unsigned char *nd;

			cap = cap ? cap * 2 : 8192;
			nd = realloc(data, cap);
			if (nd == NULL) {
				free(data);
				fclose(f);
				return NULL;
			}
			data = nd;
		}
		n = fread(data + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	*ret_len = len;
	return data;
}

int
main(int argc, char **argv)
{
	const char *top = secure_getenv("top_srcdir");
	const char *name = strrchr(argv[0], '/');
	char dir[4096], path[8192];
	char **files = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d;
	int failed = 0;

	name = name != NULL ? name + 1 : argv[0];
	if (strncmp(name, "lt-", 3) == 0)
		name += 3;
	if (strncmp(name, "replay_", 7) != 0) {
		printf("1..0 # SKIP cannot tell the corpus from the name %s\n", name);
		return 1;
	}
	name += 7;
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", top != NULL ? top : ".", name);
	d = opendir(dir);
	if (d == NULL) {
		printf("Bail out! no corpus at %s\n", dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		char **nf;

		if (de->d_name[0] == '.')
			continue;
		nf = realloc(files, (n + 1) * sizeof(*files));
		if (nf == NULL || (nf[n] = strdup(de->d_name)) == NULL) {
			printf("Bail out! out of memory\n");
			return 1;
		}
		files = nf;
		n++;
	}
	closedir(d);
	if (n == 0) {
		printf("Bail out! empty corpus at %s\n", dir);
		return 1;
	}
	qsort(files, n, sizeof(*files), cmp);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		unsigned char *data;
		size_t len = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		data = slurp(path, &len);
		if (data == NULL) {
			printf("not ok %zu - %s/%s (unreadable)\n", i + 1, name, files[i]);
			failed = 1;
			continue;
		}
		fflush(stdout);
		LLVMFuzzerTestOneInput(data, len);
		printf("ok %zu - %s/%s\n", i + 1, name, files[i]);
		free(data);
		free(files[i]);
	}
	free(files);
	return failed;
}
