/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of `oidc-audit search`: arguments, times, text lines, the order of hits. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "oidc_audit.h"
#include "oidc_err.h"

#define NOW 1764100000000000ULL	/* 2025-11-25T19:46:40Z */

/* Parse a NULL-terminated list of literals through a writable argv copy. */
static int
parse(struct search_opts *o, struct oidc_err *err, ...)
{
	static char *argv[32];
	static char store[32][256];
	va_list ap;
	const char *a;
	int argc = 0;

	va_start(ap, err);
	snprintf(store[argc], sizeof(store[0]), "search");
	argv[argc] = store[argc];
	argc++;
	while ((a = va_arg(ap, const char *)) != NULL && argc < 31) {
		snprintf(store[argc], sizeof(store[0]), "%s", a);
		argv[argc] = store[argc];
		argc++;
	}
	va_end(ap);
	argv[argc] = NULL;
	oidc_err_clear(err);
	return search_parse_args(argc, argv, NOW, o, err);
}

static void
test_defaults(void **state)
{
	struct search_opts o;
	struct oidc_err err;

	assert_int_equal(parse(&o, &err, NULL), 0);
	assert_null(o.subject);
	assert_null(o.user);
	assert_null(o.email);
	assert_null(o.path_glob);
	assert_true(o.since_us == 0);
	assert_true(o.until_us == UINT64_MAX);
	assert_false(o.has_session);
	assert_int_equal(o.output, AUDIT_OUTPUT_JOURNAL);
}

static void
test_good(void **state)
{
	struct search_opts o;
	struct oidc_err err;

	assert_int_equal(parse(&o, &err, "--subject", "248163", "--path", "/etc/*", "--since", "@1764000000",
			       "--until", "@1764100000.5", "--session", "42", "--output", "json", NULL), 0);
	assert_string_equal(o.subject, "248163");
	assert_string_equal(o.path_glob, "/etc/*");
	assert_true(o.since_us == 1764000000000000ULL);
	assert_true(o.until_us == 1764100000500000ULL);
	assert_true(o.has_session);
	assert_int_equal(o.session, 42);
	assert_int_equal(o.output, AUDIT_OUTPUT_JSON);

	assert_int_equal(parse(&o, &err, "--user=alice", "--output=text", NULL), 0);
	assert_string_equal(o.user, "alice");
	assert_int_equal(o.output, AUDIT_OUTPUT_JOURNAL);
	assert_int_equal(parse(&o, &err, "--output=ocsf", NULL), 0);
	assert_int_equal(o.output, AUDIT_OUTPUT_OCSF);
	assert_int_equal(parse(&o, &err, "--email", "a@example.com", "--since", "-2h", NULL), 0);
	assert_string_equal(o.email, "a@example.com");
	assert_true(o.since_us == NOW - 7200000000ULL);
}

static void
test_bad(void **state)
{
	struct search_opts o;
	struct oidc_err err;

	/* identities exclude each other */
	assert_int_equal(parse(&o, &err, "--subject", "a", "--user", "b", NULL), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_USAGE);
	assert_int_equal(parse(&o, &err, "--subject", "a", "--subject", "b", NULL), -EINVAL);
	/* bad values */
	assert_int_equal(parse(&o, &err, "--session", "-1", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "--session", "4294967295", NULL), -EINVAL);	/* "unset" */
	assert_int_equal(parse(&o, &err, "--session", "12x", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "--output", "xml", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "--since", "yesterday-ish", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "--since", "@1764100001", "--until", "@1764100000", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "--subject", "", NULL), -EINVAL);
	/* unknown options, missing values, stray arguments */
	assert_int_equal(parse(&o, &err, "--bogus", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "--subject", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "alice", NULL), -EINVAL);
	assert_non_null(strstr(err.msg, "unexpected"));
}

static void
test_times(void **state)
{
	uint64_t t;

	assert_int_equal(search_parse_time("now", NOW, &t), 0);
	assert_true(t == NOW);
	assert_int_equal(search_parse_time("@0", NOW, &t), 0);
	assert_true(t == 0);
	assert_int_equal(search_parse_time("@1.000001", NOW, &t), 0);
	assert_true(t == 1000001);
	assert_int_equal(search_parse_time("2025-11-25 19:46:40Z", NOW, &t), 0);
	assert_true(t == NOW);
	assert_int_equal(search_parse_time("2025-11-25T19:46:40Z", NOW, &t), 0);
	assert_true(t == NOW);
	assert_int_equal(search_parse_time("2025-11-25Z", NOW, &t), 0);
	assert_true(t == 1764028800000000ULL);
	assert_int_equal(search_parse_time("-30s", NOW, &t), 0);
	assert_true(t == NOW - 30000000ULL);
	assert_int_equal(search_parse_time("-1d", NOW, &t), 0);
	assert_true(t == NOW - 86400000000ULL);

	assert_int_equal(search_parse_time("", NOW, &t), -EINVAL);
	assert_int_equal(search_parse_time("@", NOW, &t), -EINVAL);
	assert_int_equal(search_parse_time("@1.", NOW, &t), -EINVAL);
	assert_int_equal(search_parse_time("@1.1234567", NOW, &t), -EINVAL);
	assert_int_equal(search_parse_time("@-5", NOW, &t), -EINVAL);
	assert_int_equal(search_parse_time("-5x", NOW, &t), -EINVAL);
	assert_int_equal(search_parse_time("-99999999d", NOW, &t), -ERANGE);
	assert_int_equal(search_parse_time("2025-13-45", NOW, &t), -EINVAL);
	assert_int_equal(search_parse_time("2025-11-25 19:46:40 junk", NOW, &t), -EINVAL);
	assert_int_equal(search_parse_time("@99999999999999999999", NOW, &t), -EINVAL);
}

/* Print one text line of search into a string (caller frees). */
static char *
text_line(const struct search_line *line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	search_print_text(f, line);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/*
 * A MESSAGE that reached the journal raw (an older writer, another
 * program) still shows escaped: no C1 control, bidi override, isolate or
 * BOM reaches the terminal, while what our writers escaped already shows
 * as it was written.
 */
static void
test_text_output_escapes_invisible(void **state)
{
	static const char msg[] = "alice read /srv/secret/\xe2\x80\xaetxt.yralas \xc2\x9b"
				  "2J\x1b[0m"
				  "\xe2\x81\xa6\xef\xbb\xbf \\u202e \\\\ \xc3\xa9";
	struct search_line line = {
		.t_us = NOW + 123456,
		.event = "file",
		.event_len = 4,
		.session = "7\n",
		.session_len = 2,
		.message = msg,
		.message_len = sizeof(msg) - 1,
	};
	char *got;

	setenv("TZ", "UTC0", 1);
	tzset();
	got = text_line(&line);
	assert_string_equal(got, "2025-11-25 19:46:40.123456 ? file   ses=7\\n alice read "
				 "/srv/secret/\\u202etxt.yralas \\u009b2J\\x1b[0m\\u2066\\ufeff "
				 "\\u202e \\\\ \xc3\xa9\n");
	free(got);
	line.event = NULL;
	line.session = NULL;
	line.message = NULL;
	got = text_line(&line);
	assert_string_equal(got, "2025-11-25 19:46:40.123456 ? ?     \n");
	free(got);
}

/*
 * Entries `oidc-audit replay --output journal` wrote are not live
 * evidence: search leaves them out unless --include-replayed is given, and
 * then marks each in its text line.
 */
static void
test_replayed_left_out_unless_asked(void **state)
{
	struct search_opts o;
	struct oidc_err err;
	struct search_line line = {
		.t_us = NOW,
		.event = "exec",
		.event_len = 4,
		.session = "7",
		.session_len = 1,
		.message = "alice ran id",
		.message_len = 12,
		.replayed = true,
	};
	char *got;

	assert_int_equal(parse(&o, &err, "--subject", "2481", NULL), 0);
	assert_false(o.include_replayed);
	assert_int_equal(parse(&o, &err, "--subject", "2481", "--include-replayed", NULL), 0);
	assert_true(o.include_replayed);
	assert_int_equal(parse(&o, &err, "--include-replayed=yes", NULL), -EINVAL);

	setenv("TZ", "UTC0", 1);
	tzset();
	got = text_line(&line);
	assert_string_equal(got,
			    "2025-11-25 19:46:40.000000 ? exec   ses=7 [replay] alice ran id\n");
	free(got);
	line.replayed = false;
	got = text_line(&line);
	assert_string_equal(got, "2025-11-25 19:46:40.000000 ? exec   ses=7 alice ran id\n");
	free(got);
}

/*
 * Every text line names the host whose journal the entry came from
 * (_HOSTNAME; on journal-remote's side, the host that sent it), escaped
 * like every other field: a host name cannot smuggle a newline or an
 * escape sequence onto the terminal.
 */
static void
test_text_line_names_the_host(void **state)
{
	struct search_line line = {
		.t_us = NOW,
		.event = "exec",
		.event_len = 4,
		.session = "7",
		.session_len = 1,
		.message = "alice ran id",
		.message_len = 12,
		.host = "web-2.example.com",
		.host_len = 17,
	};
	char *got;

	setenv("TZ", "UTC0", 1);
	tzset();
	got = text_line(&line);
	assert_string_equal(
		got, "2025-11-25 19:46:40.000000 web-2.example.com exec   ses=7 alice ran id\n");
	free(got);
	line.host = "evil\n2025-01-01 \x1b[2J";
	line.host_len = strlen(line.host);
	got = text_line(&line);
	assert_string_equal(
		got,
		"2025-11-25 19:46:40.000000 evil\\n2025-01-01 \\x1b[2J exec   ses=7 alice ran id\n");
	free(got);
}

/*
 * --host NAME is an exact name, repeatable (any of them matches), at most
 * SEARCH_MAX_HOSTS times; an empty name is refused rather than matching
 * nothing or everything.
 */
static void
test_host_option(void **state)
{
	struct search_opts o;
	struct oidc_err err;
	char *argv[SEARCH_MAX_HOSTS * 2 + 4];
	char names[SEARCH_MAX_HOSTS + 1][16], cmd[] = "search", opt[] = "--host";
	int argc = 0, i;

	assert_int_equal(parse(&o, &err, NULL), 0);
	assert_int_equal(o.n_hosts, 0);
	assert_int_equal(parse(&o, &err, "--host", "alpha", "--subject", "2481", "--host=beta",
			       NULL),
			 0);
	assert_int_equal(o.n_hosts, 2);
	assert_string_equal(o.hosts[0], "alpha");
	assert_string_equal(o.hosts[1], "beta");
	assert_string_equal(o.subject, "2481");
	assert_int_equal(parse(&o, &err, "--host", "", NULL), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_USAGE);
	assert_int_equal(parse(&o, &err, "--host", NULL), -EINVAL);

	argv[argc++] = cmd;
	for (i = 0; i <= SEARCH_MAX_HOSTS; i++) {
		snprintf(names[i], sizeof(names[i]), "h%d", i);
		argv[argc++] = opt;
		argv[argc++] = names[i];
	}
	argv[argc] = NULL;
	oidc_err_clear(&err);
	assert_int_equal(search_parse_args(argc, argv, NOW, &o, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "--host"));
	oidc_err_clear(&err);
	assert_int_equal(search_parse_args(argc - 2, argv, NOW, &o, &err), 0);
	assert_int_equal(o.n_hosts, SEARCH_MAX_HOSTS);
}

/* What a sorter emitted, one line per hit. */
struct sink {
	char *buf;
	size_t len;
	FILE *f;
};

static int
sink_emit(void *ud, const void *data, size_t len)
{
	struct sink *k = ud;

	return fwrite(data, 1, len, k->f) == len ? 0 : -EIO;
}

/* Sort hits (time, key, label) with budget; returns what was emitted (caller frees). */
static char *
sorted(size_t budget, const uint64_t *t, const char *const *keys, size_t n, size_t *ret_dups,
       size_t *ret_runs)
{
	struct search_sorter *s;
	struct sink k = { 0 };
	char line[64];
	size_t i;

	assert_int_equal(search_sorter_new(budget, &s), 0);
	for (i = 0; i < n; i++) {
		int l = snprintf(line, sizeof(line), "%zu\n", i);

		assert_int_equal(search_sorter_add(s, t[i], keys ? keys[i] : NULL, line, (size_t)l),
				 0);
	}
	k.f = open_memstream(&k.buf, &k.len);
	assert_non_null(k.f);
	assert_int_equal(search_sorter_finish(s, sink_emit, &k, ret_dups), 0);
	*ret_runs = search_sorter_runs(s);
	search_sorter_free(s);
	assert_int_equal(fclose(k.f), 0);
	return k.buf;
}

/*
 * Hits print in the kernel's event time order, whatever order they had in
 * the journal (three hosts' batches, a late back-fill); equal times keep
 * their journal order, so the sort is deterministic.
 */
static void
test_hits_sorted_by_event_time(void **state)
{
	/* journal order: host a's batch, then b's, then c's, then a back-fill */
	static const uint64_t t[] = { 100, 400, 700, 200, 500, 800, 300, 600, 900, 50, 400 };
	size_t dups, runs;
	char *got;

	got = sorted(SEARCH_SORT_BUDGET, t, NULL, sizeof(t) / sizeof(t[0]), &dups, &runs);
	assert_string_equal(got, "9\n0\n3\n6\n1\n10\n4\n7\n2\n5\n8\n");
	assert_int_equal(dups, 0);
	assert_int_equal(runs, 0);
	free(got);
	got = sorted(SEARCH_SORT_BUDGET, t, NULL, 0, &dups, &runs);
	assert_string_equal(got, "");
	free(got);
}

/*
 * The same entry twice (journal-upload re-sends one after a restart) is
 * listed once: a later hit of the same time and key is left out, another
 * host's or boot's event of the same time and serial is not, nor a hit
 * without a key, nor one of another time.
 */
static void
test_duplicates_left_out_once(void **state)
{
	static const uint64_t t[] = { 1, 1, 1, 1, 2, 2, 3 };
	static const char *const keys[] = { "L1 5:web-1 0: s42", "L1 5:web-2 0: s42", NULL,
					    "L1 5:web-1 0: s42", "L1 5:web-1 0: s43", NULL,
					    "L1 5:web-1 0: s42" };
	size_t dups, runs;
	char *got;

	got = sorted(SEARCH_SORT_BUDGET, t, keys, sizeof(t) / sizeof(t[0]), &dups, &runs);
	assert_string_equal(got, "0\n1\n2\n4\n5\n6\n");
	assert_int_equal(dups, 1);
	free(got);
}

/*
 * Memory stays bounded whatever the match count: with a budget of a few
 * hits, 20,000 hits (each event re-sent once, the copy far later in the
 * journal's order) take hundreds of runs, more than one merge reads at
 * once, and still come out exactly as an in-memory sort gives them, each
 * event once.
 */
static void
test_many_runs_same_order(void **state)
{
	enum { N = 20000 };
	static uint64_t t[2 * N];
	static char kb[2 * N][24];
	static const char *keys[2 * N];
	size_t i, dups, runs, dups1, runs1;
	char *small, *big;

	for (i = 0; i < N; i++) {
		/* scrambled times, many equal (milliseconds of audit) */
		t[i] = NOW + (i * 7919) % (N / 4) * 1000;
		snprintf(kb[i], sizeof(kb[i]), "L1 4:host 0: s%zu", i);
		keys[i] = kb[i];
		t[N + i] = t[i];
		keys[N + i] = kb[i];
	}
	small = sorted(SEARCH_SORT_MIN_BUDGET, t, keys, 2 * N, &dups, &runs);
	big = sorted(SEARCH_SORT_BUDGET, t, keys, 2 * N, &dups1, &runs1);
	assert_true(runs > 64);
	assert_int_equal(runs1, 0);
	assert_int_equal(dups, N);
	assert_int_equal(dups1, N);
	assert_string_equal(small, big);
	/* the originals are kept (the first of equal times), the copies left out */
	{
		const char *p = small;
		size_t lines = 0;

		while (*p) {
			assert_true(strtoul(p, NULL, 10) < N);
			p = strchr(p, '\n') + 1;
			lines++;
		}
		assert_int_equal(lines, N);
	}
	free(small);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_text_output_escapes_invisible),
		cmocka_unit_test(test_replayed_left_out_unless_asked),
		cmocka_unit_test(test_text_line_names_the_host),
		cmocka_unit_test(test_host_option),
		cmocka_unit_test(test_hits_sorted_by_event_time),
		cmocka_unit_test(test_duplicates_left_out_once),
		cmocka_unit_test(test_many_runs_same_order),
	};

	return cmocka_run_group_tests_name("audit_search", tests, NULL, NULL);
}
