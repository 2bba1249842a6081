/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The journald ceiling for oidc-audit's benchmark: read entries as JSON
 * lines (the output of `oidc-audit replay --output json`), build every
 * entry's iovec in memory first, then time only the sd_journal_sendv
 * calls.  The entries are the very ones oidc-audit sends, so the rate is
 * the most any sender can reach for them on this machine.
 *
 * usage: sendv_ceiling FILE.jsonl   prints "entries seconds entries_per_s"
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
/* the very fields oidc-audit sends, without CODE_FILE/LINE/FUNC */
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-journal.h>

#include "journal_fields.h"

int
main(int argc, char **argv)
{
	struct jfields *e = NULL;
	size_t n = 0, cap = 0, i;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	struct timespec t0, t1;
	double secs;
	FILE *f;
	int errors = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: sendv_ceiling FILE.jsonl\n");
		return 2;
	}
	f = fopen(argv[1], "re");
	if (f == NULL) {
		perror(argv[1]);
		return 2;
	}
	while ((len = getline(&line, &lcap, f)) > 0) {
		struct json_object *o = json_tokener_parse(line);

		if (o == NULL || !json_object_is_type(o, json_type_object)) {
			json_object_put(o);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			e = realloc(e, cap * sizeof(*e));
			if (e == NULL)
				return 1;
		}
		jf_init(&e[n], 4u << 20);
		json_object_object_foreach(o, key, val) {
			if (json_object_is_type(val, json_type_string)) {
				jf_add(&e[n], key, json_object_get_string(val),
				       (size_t)json_object_get_string_len(val));
			} else if (json_object_is_type(val, json_type_array)) {
				size_t k, an = json_object_array_length(val);
				char *b = malloc(an + 1);

				if (b == NULL)
					return 1;
				for (k = 0; k < an; k++)
					b[k] = (char)json_object_get_int(json_object_array_get_idx(val, k));
				jf_add(&e[n], key, b, an);
				free(b);
			}
		}
		json_object_put(o);
		n++;
	}
	fclose(f);
	free(line);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		const struct iovec *iov;
		size_t k;

		iov = jf_iovec(&e[i], &k);
		if (sd_journal_sendv(iov, (int)k) < 0)
			errors++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%zu %.6f %.0f\n", n, secs, secs > 0 ? (double)n / secs : 0.0);
	for (i = 0; i < n; i++)
		jf_free(&e[i]);
	free(e);
	return errors ? 1 : 0;
}
