/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target for the audit record parser and the assembler: the input is
 * a byte stream as auditd would hand it to the plugin (or audit.log for a
 * replay).  It is fed in both modes with small caps, every field of every
 * parsed line is decoded, and every event is checked; a broken invariant
 * aborts.  make check replays tests/fuzz/corpus/audit.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "assemble.h"
#include "fuzz.h"
#include "oidc_err.h"

static struct audit_field fields[AUDIT_REC_MAX_FIELDS];

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
on_event(struct audit_event *e, void *arg)
{
	size_t i, *n = arg;

	check(e->nrecords >= 1 && e->npaths <= AUDIT_MAX_PATHS && e->argc <= AUDIT_MAX_ARGC);
	check(e->argc == 0 || e->argv != NULL);
	for (i = 0; i < e->argc; i++)
		check(e->argv[i] != NULL && strlen(e->argv[i]) <= AUDIT_MAX_ARGV_BYTES);
	for (i = 0; i < e->npaths; i++)
		check(e->paths[i] == NULL || strlen(e->paths[i]) < 2 * AUDIT_MAX_RECORD_LEN);
	check(e->exe == NULL || strlen(e->exe) < AUDIT_MAX_RECORD_LEN);
	check(e->kind != AUDIT_EV_OTHER || e->operation == NULL);
	(*n)++;
	audit_event_free(e);
}

static void
parse_lines(const char *data, size_t size)
{
	while (size > 0) {
		const char *nl = memchr(data, '\n', size);
		size_t n = nl ? (size_t)(nl - data) : size;
		struct audit_record rec;
		uint32_t i;

		if (record_parse(data, n, fields, AUDIT_REC_MAX_FIELDS, &rec) == 0) {
			check(rec.nfields <= AUDIT_REC_MAX_FIELDS);
			for (i = 0; i < rec.nfields; i++) {
				const struct audit_field *f = &rec.fields[i];
				char *s = NULL;

				check(f->key_off + f->key_len <= rec.len);
				check(f->val_off + f->val_len <= rec.len);
				if (record_val_string(&rec, f, true, &s) == 0 && s != NULL) {
					check(strlen(s) <= f->val_len);
					free(s);
				}
			}
		}
		if (nl == NULL)
			break;
		size -= n + 1;
		data = nl + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int mode;

	parse_lines((const char *)data, size);
	for (mode = 0; mode < 2; mode++) {
		size_t delivered = 0;
		struct assembler_config cfg = {
			.mode = mode ? ASSEMBLER_MODE_EOE : ASSEMBLER_MODE_WINDOW,
			.window_records = 8, .max_pending = 4, .max_records = 16,
			.on_event = on_event, .arg = &delivered,
		};
		struct assembler *a = NULL;
		struct assembler_stats st;
		struct oidc_err err;

		if (assembler_new(&cfg, &a, &err) < 0)
			abort();
		/* in two pieces, so lines also cross a chunk boundary */
		if (assembler_feed_bytes(a, (const char *)data, size / 2, 0) < 0 ||
		    assembler_feed_bytes(a, (const char *)data + size / 2, size - size / 2, 1) < 0)
			abort();
		assembler_tick(a, 100000);
		assembler_flush(a);
		assembler_get_stats(a, &st);
		check(st.pending == 0 && st.pending_bytes == 0);
		check(st.events == delivered + st.build_errors);
		check(st.records + st.garbage <= st.lines);
		assembler_free(a);
	}
	return 0;
}
