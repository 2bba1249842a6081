/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `oidc-audit search`: the timeline of one identity (or session, or path)
 * from the journal, with the sd-journal API: matches on the OIDC_* fields
 * and the host, time bounds on the kernel's event time, a glob on the
 * paths.  Entries print in the kernel's event time order, not in the order
 * they reached the journal: hosts' entries reach journal-remote in batches
 * and back-filled ones late.  Exit 1 when nothing matched.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-journal.h>

#include "clock.h"
#include "journal_names.h"
#include "numparse.h"
#include "oidc_audit.h"
#include "oidc_err.h"

#define SEARCH_MAX_ARG 1024
#define SEARCH_KEY_MAX 600
#define SEARCH_LATE_US (3600ull * 1000000) /* a live entry is written within this of its event */

static const char *const search_kinds[] = {
	OIDC_EV_LOGIN, OIDC_EV_LOGOUT, OIDC_EV_LOGIN_FAILED, OIDC_EV_EXEC, OIDC_EV_FILE, OIDC_EV_LOSS,
};

/* See oidc_audit.h. */
int
search_parse_time(const char *s, uint64_t now_us, uint64_t *ret_us)
{
	static const char *const fmts[] = { "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
					    "%Y-%m-%dT%H:%M", "%Y-%m-%d" };
	struct tm tm;
	char tmp[64];
	size_t len, i;
	bool utc = false;
	int64_t n;
	time_t t;

	if (s == NULL || (len = strlen(s)) == 0 || len >= sizeof(tmp))
		return -EINVAL;
	if (strcmp(s, "now") == 0) {
		*ret_us = now_us;
		return 0;
	}
	if (s[0] == '@') {
		const char *dot = strchr(s + 1, '.');
		uint64_t sec, frac = 0;
		size_t fl = 0;

		if (dot == NULL) {
			if (num_parse_u64(s + 1, UINT64_MAX / 1000000, &sec) < 0)
				return -EINVAL;
		} else {
			memcpy(tmp, s + 1, (size_t)(dot - s - 1));
			tmp[dot - s - 1] = '\0';
			fl = strlen(dot + 1);
			if (fl == 0 || fl > 6 || num_parse_u64(tmp, UINT64_MAX / 1000000 - 1, &sec) < 0 ||
			    num_parse_u64(dot + 1, 999999, &frac) < 0)
				return -EINVAL;
			for (i = fl; i < 6; i++)
				frac *= 10;
		}
		*ret_us = sec * 1000000 + frac;
		return 0;
	}
	if (s[0] == '-' && len >= 3) {
		uint64_t mult;

		switch (s[len - 1]) {
		case 's': mult = 1000000ull; break;
		case 'm': mult = 60000000ull; break;
		case 'h': mult = 3600000000ull; break;
		case 'd': mult = 86400000000ull; break;
		default: return -EINVAL;
		}
		if (num_parse_i64n(s + 1, len - 2, 0, INT64_MAX / 86400000000ll, &n) < 0)
			return -EINVAL;
		if ((uint64_t)n * mult > now_us)
			return -ERANGE;
		*ret_us = now_us - (uint64_t)n * mult;
		return 0;
	}
	memcpy(tmp, s, len + 1);
	if (tmp[len - 1] == 'Z') {
		utc = true;
		tmp[--len] = '\0';
	}
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		const char *end;

		memset(&tm, 0, sizeof(tm));
		end = strptime(tmp, fmts[i], &tm);
		if (end == NULL || *end != '\0')
			continue;
		tm.tm_isdst = -1;
		t = utc ? timegm(&tm) : mktime(&tm);
		if (t == (time_t)-1 || t < 0)
			return -EINVAL;
		*ret_us = (uint64_t)t * 1000000;
		return 0;
	}
	return -EINVAL;
}

static int
arg_ok(const char *v, const char *opt, struct oidc_err *err)
{
	if (v[0] == '\0' || strlen(v) > SEARCH_MAX_ARG)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "%s: empty or too long", opt);
	return 0;
}

/* See oidc_audit.h. */
int
search_parse_args(int argc, char **argv, uint64_t now_us, struct search_opts *o, struct oidc_err *err)
{
	static const struct option opts[] = {
		{ "subject", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ "email", required_argument, NULL, 'e' },
		{ "path", required_argument, NULL, 'p' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "session", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "directory", required_argument, NULL, 'D' },
		{ "include-replayed", no_argument, NULL, 'R' },
		{ "host", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t u;
	int c, r, identities = 0;

	memset(o, 0, sizeof(*o));
	o->until_us = UINT64_MAX;
	o->session = UINT32_MAX;
	o->output = AUDIT_OUTPUT_JOURNAL;
	optind = 0;	/* full reset: the tests call this several times */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 's': case 'u': case 'e':
			if ((r = arg_ok(optarg, "identity", err)) < 0)
				return r;
			identities++;
			if (c == 's')
				o->subject = optarg;
			else if (c == 'u')
				o->user = optarg;
			else
				o->email = optarg;
			break;
		case 'p':
			if ((r = arg_ok(optarg, "--path", err)) < 0)
				return r;
			o->path_glob = optarg;
			break;
		case 'D':
			if ((r = arg_ok(optarg, "--directory", err)) < 0)
				return r;
			o->journal_dir = optarg;
			break;
		case 'S':
			if (search_parse_time(optarg, now_us, &o->since_us) < 0)
				return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "--since: cannot parse the time");
			break;
		case 'U':
			if (search_parse_time(optarg, now_us, &o->until_us) < 0)
				return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "--until: cannot parse the time");
			break;
		case 'n':
			if (num_parse_u64(optarg, UINT32_MAX - 1, &u) < 0)
				return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "--session: not a session number");
			o->session = (uint32_t)u;
			o->has_session = true;
			break;
		case 'R':
			o->include_replayed = true;
			break;
		case 'H':
			if ((r = arg_ok(optarg, "--host", err)) < 0)
				return r;
			if (o->n_hosts == SEARCH_MAX_HOSTS)
				return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "--host: at most %d",
						    SEARCH_MAX_HOSTS);
			o->hosts[o->n_hosts++] = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "text") == 0)
				o->output = AUDIT_OUTPUT_JOURNAL;
			else if (strcmp(optarg, "json") == 0)
				o->output = AUDIT_OUTPUT_JSON;
			else if (strcmp(optarg, "ocsf") == 0)
				o->output = AUDIT_OUTPUT_OCSF;
			else
				return oidc_err_set(err, OIDC_R_USAGE, EINVAL,
						    "--output: text, json or ocsf");
			break;
		default:
			return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "unknown or incomplete option");
		}
	}
	if (optind < argc)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "unexpected argument");
	if (identities > 1)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "--subject, --user and --email exclude each other");
	if (o->since_us > o->until_us)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "--since is after --until");
	return 0;
}

static int
add_match(sd_journal *j, const char *field, const char *value)
{
	char m[SEARCH_MAX_ARG + 64];
	size_t fl = strlen(field), vl = strlen(value);

	if (fl + 1 + vl > sizeof(m))
		return -E2BIG;
	memcpy(m, field, fl);
	m[fl] = '=';
	memcpy(m + fl + 1, value, vl);
	/* Binary-safe: the match carries its length, the value may hold anything. */
	return sd_journal_add_match(j, m, fl + 1 + vl);
}

/*
 * The fields search reads of an entry, copied in one walk over its data:
 * sd_journal_get_data() walks the entry's items for each name asked, and
 * a dozen names per entry made that walk most of a search's time.
 */
static const char *const entry_names[] = {
	OIDC_F_EVENT,	     OIDC_F_AUDIT_SESSION, JF_MESSAGE,		JF_HOSTNAME,
	OIDC_F_EVENT_TIME,   OIDC_F_PATH,	   OIDC_F_PATH2,	OIDC_F_EXE,
	OIDC_F_AUDIT_SOURCE, OIDC_F_AUDIT_NODE,	   OIDC_F_AUDIT_SERIAL,
};
#define ENTRY_N (sizeof(entry_names) / sizeof(entry_names[0]))

struct entry {
	char *buf; /* the values, each followed by a NUL */
	size_t len, cap;
	size_t off[ENTRY_N], vlen[ENTRY_N];
	bool have[ENTRY_N];
};

/* Copy the fields of entry_names of the current entry into e (the first of a repeated one). */
static int
entry_read(sd_journal *j, struct entry *e)
{
	const void *d;
	size_t l, i;

	memset(e->have, 0, sizeof(e->have));
	e->len = 0;
	SD_JOURNAL_FOREACH_DATA (j, d, l) {
		const char *p = d, *eq = memchr(p, '=', l);
		size_t nl, vl;

		if (eq == NULL)
			continue;
		nl = (size_t)(eq - p);
		for (i = 0; i < ENTRY_N; i++)
			if (!e->have[i] && strncmp(entry_names[i], p, nl) == 0 &&
			    entry_names[i][nl] == '\0')
				break;
		if (i == ENTRY_N)
			continue;
		vl = l - nl - 1;
		if (e->len + vl + 1 > e->cap) {
			size_t nc = e->cap ? e->cap : 4096;
			char *nb;

			while (nc < e->len + vl + 1)
				nc *= 2;
			if ((nb = realloc(e->buf, nc)) == NULL)
				return -ENOMEM;
			e->buf = nb;
			e->cap = nc;
		}
		memcpy(e->buf + e->len, eq + 1, vl);
		e->buf[e->len + vl] = '\0';
		e->off[i] = e->len;
		e->vlen[i] = vl;
		e->have[i] = true;
		e->len += vl + 1;
	}
	return 0;
}

static bool
get_field(const struct entry *e, const char *name, const char **val, size_t *vlen)
{
	size_t i;

	for (i = 0; i < ENTRY_N; i++)
		if (strcmp(entry_names[i], name) == 0)
			break;
	if (i == ENTRY_N || !e->have[i])
		return false;
	*val = e->buf + e->off[i];
	*vlen = e->vlen[i];
	return true;
}

static bool
glob_field(const struct entry *e, const char *name, const char *glob)
{
	const char *v;
	size_t l;

	/* the copy ends in a NUL: a value with a NUL in it is matched up to there */
	return get_field(e, name, &v, &l) && fnmatch(glob, v, 0) == 0;
}

/* See oidc_audit.h. */
void
search_print_text(FILE *out, const struct search_line *line)
{
	char when[64], esc[4096];
	time_t t = (time_t)(line->t_us / 1000000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(out, "%s.%06" PRIu64, when, line->t_us % 1000000);
	jf_escape(esc, 256, line->host ? line->host : "?", line->host ? line->host_len : 1);
	fprintf(out, " %s", esc);
	jf_escape(esc, 16, line->event ? line->event : "?", line->event ? line->event_len : 1);
	fprintf(out, " %-6s", esc);
	if (line->session != NULL) {
		jf_escape(esc, 32, line->session, line->session_len);
		fprintf(out, " ses=%s", esc);
	}
	if (line->replayed)
		fputs(" [replay]", out);
	if (line->message != NULL) {
		/*
		 * Our writers escape MESSAGE already (kept as written); whatever
		 * else an entry holds raw, no control byte and no bidi or
		 * invisible mark reaches the terminal.
		 */
		jf_escape_display(esc, sizeof(esc), line->message, line->message_len);
		fprintf(out, " %s", esc);
	}
	fputc('\n', out);
}

static void
print_text(const struct entry *e, FILE *out, uint64_t t_us, bool replayed)
{
	struct search_line line = { .t_us = t_us, .replayed = replayed };

	if (!get_field(e, OIDC_F_EVENT, &line.event, &line.event_len))
		line.event = NULL;
	if (!get_field(e, OIDC_F_AUDIT_SESSION, &line.session, &line.session_len))
		line.session = NULL;
	if (!get_field(e, JF_MESSAGE, &line.message, &line.message_len))
		line.message = NULL;
	if (!get_field(e, JF_HOSTNAME, &line.host, &line.host_len))
		line.host = NULL;
	search_print_text(out, &line);
}

static void
print_json(sd_journal *j, FILE *out)
{
	char *line = NULL;
	size_t len = 0, cap = 0;
	const void *d;
	size_t l;
	bool first = true;

	fputc('{', out);
	SD_JOURNAL_FOREACH_DATA(j, d, l) {
		const char *p = d, *eq = memchr(p, '=', l);
		size_t nl;

		if (eq == NULL)
			continue;
		nl = (size_t)(eq - p);
		if (!(nl == sizeof(JF_MESSAGE) - 1 && memcmp(p, JF_MESSAGE, nl) == 0) &&
		    !(nl == sizeof(JF_MESSAGE_ID) - 1 && memcmp(p, JF_MESSAGE_ID, nl) == 0) &&
		    !(nl == sizeof(JF_BOOT_ID) - 1 && memcmp(p, JF_BOOT_ID, nl) == 0) &&
		    !(nl == sizeof(JF_HOSTNAME) - 1 && memcmp(p, JF_HOSTNAME, nl) == 0) &&
		    !(nl > sizeof(OIDC_F_PREFIX) - 1 &&
		      memcmp(p, OIDC_F_PREFIX, sizeof(OIDC_F_PREFIX) - 1) == 0))
			continue;
		len = 0;
		if (jf_json_value(&line, &len, &cap, eq + 1, l - nl - 1) < 0)
			break;
		fprintf(out, "%s\"%.*s\":%s", first ? "" : ",", (int)nl, p, line);
		first = false;
	}
	fputs("}\n", out);
	free(line);
}

/*
 * The entry as OCSF: MESSAGE and its OIDC_* fields through the same
 * sink_ocsf_write as a replay's events, on the host that wrote it
 * (_HOSTNAME, which journald sets).
 */
static int
print_ocsf(sd_journal *j, const struct entry *e, FILE *out, uint64_t t_us)
{
	struct jfields f;
	const void *d;
	const char *v;
	char *host = NULL;
	size_t l;
	int r = 0;

	jf_init(&f, 4u << 20);
	SD_JOURNAL_FOREACH_DATA (j, d, l) {
		const char *p = d, *eq = memchr(p, '=', l);
		char name[JF_MAX_NAME + 1];
		size_t nl;

		if (eq == NULL || (nl = (size_t)(eq - p)) > JF_MAX_NAME)
			continue;
		memcpy(name, p, nl);
		name[nl] = '\0';
		if (strcmp(name, JF_MESSAGE) != 0 &&
		    strncmp(name, OIDC_F_PREFIX, sizeof(OIDC_F_PREFIX) - 1) != 0)
			continue;
		if ((r = jf_add(&f, name, eq + 1, l - nl - 1)) < 0)
			break;
	}
	if (r == 0 && get_field(e, JF_HOSTNAME, &v, &l) && (host = strndup(v, l)) == NULL)
		r = -ENOMEM;
	if (r == 0)
		r = sink_ocsf_write(out, &f, host, t_us);
	free(host);
	jf_free(&f);
	return r < 0 ? r : 0;
}

/*
 * What makes the current entry one event, as a string: its host, boot and,
 * for an audit event, node and serial (unique within a boot); for another
 * entry (login, logout) journald's own timestamps, which journal-remote
 * keeps.  A replayed entry is another event than the live one of the
 * same serial (--include-replayed lists both).  The variable parts are length-prefixed, so no bytes in them can
 * make two keys equal.  NULL (never a duplicate) when a part is missing or
 * too long.
 */
static const char *
search_hit_key(sd_journal *j, const struct entry *e, bool replayed, char k[static SEARCH_KEY_MAX])
{
	const char *host = "", *serial = NULL, *node = "";
	size_t hl = 0, sl = 0, nl = 0;
	uint64_t mono, real;
	sd_id128_t boot;
	char bs[SD_ID128_STRING_MAX];
	int m;

	if (sd_journal_get_monotonic_usec(j, &mono, &boot) < 0 ||
	    sd_journal_get_realtime_usec(j, &real) < 0)
		return NULL;
	sd_id128_to_string(boot, bs);
	if (!get_field(e, JF_HOSTNAME, &host, &hl))
		hl = 0;
	if (!get_field(e, OIDC_F_AUDIT_NODE, &node, &nl))
		nl = 0;
	if (!get_field(e, OIDC_F_AUDIT_SERIAL, &serial, &sl))
		serial = NULL;
	if (hl > 255 || nl > 255 || sl > 20)
		return NULL;
	if (serial)
		m = snprintf(k, SEARCH_KEY_MAX, "%c%s %zu:%.*s %zu:%.*s s%.*s",
			     replayed ? 'R' : 'L', bs, hl, (int)hl, host, nl, (int)nl, node,
			     (int)sl, serial);
	else
		m = snprintf(k, SEARCH_KEY_MAX, "%c%s %zu:%.*s m%" PRIu64 " r%" PRIu64,
			     replayed ? 'R' : 'L', bs, hl, (int)hl, host, mono, real);
	if (m < 0 || (size_t)m >= SEARCH_KEY_MAX)
		return NULL;
	return k;
}

/*
 * The journal matches of o.  late: only entries written late on purpose,
 * back-filled (and replayed, when asked for), which is all search reads of
 * the journal after SEARCH_LATE_US past --until.
 */
static int
search_matches(sd_journal *j, const struct search_opts *o, bool late)
{
	char num[16];
	size_t i;
	int r;

	for (i = 0; i < sizeof(search_kinds) / sizeof(search_kinds[0]); i++)
		if ((r = add_match(j, OIDC_F_EVENT, search_kinds[i])) < 0)
			return r;
	/*
	 * Anyone may write OIDC_* fields to the journal (logger, systemd-cat);
	 * only root's entries are evidence.  _UID is set by journald itself.
	 */
	if ((r = add_match(j, JF_UID, "0")) < 0)
		return r;
	if ((o->subject && (r = add_match(j, OIDC_F_SUBJECT, o->subject)) < 0) ||
	    (o->user && (r = add_match(j, OIDC_F_LOCAL_USER, o->user)) < 0) ||
	    (o->email && (r = add_match(j, OIDC_F_EMAIL, o->email)) < 0))
		return r;
	if (o->has_session) {
		snprintf(num, sizeof(num), "%" PRIu32, o->session);
		if ((r = add_match(j, OIDC_F_AUDIT_SESSION, num)) < 0)
			return r;
	}
	/* Matches on one field are alternatives: any of the --host names. */
	for (i = 0; i < o->n_hosts; i++)
		if ((r = add_match(j, JF_HOSTNAME, o->hosts[i])) < 0)
			return r;
	if (late &&
	    ((r = add_match(j, OIDC_F_AUDIT_SOURCE, OIDC_SRC_BACKFILL)) < 0 ||
	     (o->include_replayed && (r = add_match(j, OIDC_F_AUDIT_SOURCE, OIDC_SRC_REPLAY)) < 0)))
		return r;
	return 0;
}

static int
emit_out(void *ud, const void *data, size_t len)
{
	return fwrite(data, 1, len, ud) == len ? 0 : -EIO;
}

/*
 * The run budget: SEARCH_SORT_BUDGET, or OIDC_AUDIT_SEARCH_RUN_BYTES for
 * the tests (oidc-audit(8)), which make a few entries take several runs.
 */
static size_t
search_budget(void)
{
	const char *v = secure_getenv("OIDC_AUDIT_SEARCH_RUN_BYTES");
	uint64_t b;

	if (v != NULL && num_parse_u64(v, SIZE_MAX / 2, &b) == 0)
		return (size_t)b;
	return SEARCH_SORT_BUDGET;
}

/* See oidc_audit.h. */
int
search_run(const struct search_opts *o, FILE *out, size_t *ret_duplicates, struct oidc_err *err)
{
	sd_journal *j = NULL;
	struct search_sorter *sorter = NULL;
	struct entry ent = { 0 };
	FILE *mem = NULL;
	char *mbuf = NULL;
	size_t mlen = 0, n = 0, dups = 0;
	char key[SEARCH_KEY_MAX];
	bool late = false;
	const char *what = "reading the journal failed";
	int r;

	if ((r = search_sorter_new(search_budget(), &sorter)) < 0)
		return oidc_err_set(err, OIDC_R_INTERNAL, -r, "out of memory");
	if (o->journal_dir)
		r = sd_journal_open_directory(&j, o->journal_dir, 0);
	else
		r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
	if (r < 0) {
		search_sorter_free(sorter);
		return oidc_err_set(err, OIDC_R_CONFIG, -r, "cannot open the journal");
	}
	/* each hit is printed here first, and kept with its place in the order */
	if ((mem = open_memstream(&mbuf, &mlen)) == NULL) {
		r = -ENOMEM;
		goto fail;
	}
	if ((r = search_matches(j, o, false)) < 0)
		goto fail;
	/*
	 * An entry is written after its event (seconds later, or much later
	 * when back-filled), never before: start a little before --since on
	 * the journal's clock and filter on the kernel's time.
	 */
	if (o->since_us > 60000000)
		r = sd_journal_seek_realtime_usec(j, o->since_us - 60000000);
	else
		r = sd_journal_seek_head(j);
	if (r < 0)
		goto fail;
	while ((r = sd_journal_next(j)) > 0) {
		uint64_t t = 0, rt;
		const char *v;
		size_t l;
		char tmp[24];
		bool replayed;

		/*
		 * A live entry is written seconds after its event.  Past
		 * SEARCH_LATE_US beyond --until on the journal's clock, only
		 * entries written late on purpose can still be in range: go on
		 * from here with the matches for those alone, which the
		 * journal's index finds without reading the rest.
		 */
		if (!late && o->until_us < UINT64_MAX - SEARCH_LATE_US &&
		    sd_journal_get_realtime_usec(j, &rt) == 0 &&
		    rt > o->until_us + SEARCH_LATE_US) {
			char *c = NULL;

			late = true;
			if ((r = sd_journal_get_cursor(j, &c)) < 0)
				goto fail;
			sd_journal_flush_matches(j);
			if ((r = search_matches(j, o, true)) == 0)
				r = sd_journal_seek_cursor(j, c);
			free(c);
			if (r < 0)
				goto fail;
			continue;
		}
		if ((r = entry_read(j, &ent)) < 0)
			goto fail;
		if (get_field(&ent, OIDC_F_EVENT_TIME, &v, &l) && l < sizeof(tmp)) {
			memcpy(tmp, v, l);
			tmp[l] = '\0';
			if (num_parse_u64(tmp, UINT64_MAX, &t) < 0)
				t = 0;
		}
		if (t == 0 && sd_journal_get_realtime_usec(j, &t) < 0)
			continue;
		if (t < o->since_us)
			continue;
		if (t > o->until_us)
			continue;
		if (o->path_glob && !glob_field(&ent, OIDC_F_PATH, o->path_glob) &&
		    !glob_field(&ent, OIDC_F_PATH2, o->path_glob) &&
		    !glob_field(&ent, OIDC_F_EXE, o->path_glob))
			continue;
		/*
		 * A replay of old or foreign audit logs is not evidence of what
		 * happened on this host (its identities come from a registry
		 * handed to it): left out unless asked for, and marked then.
		 */
		replayed = get_field(&ent, OIDC_F_AUDIT_SOURCE, &v, &l) &&
			   l == sizeof(OIDC_SRC_REPLAY) - 1 && memcmp(v, OIDC_SRC_REPLAY, l) == 0;
		if (replayed && !o->include_replayed)
			continue;
		/*
		 * Journal order is arrival order (per file, merged by the
		 * writers' clocks), not the kernel's: print the entry into
		 * memory now, while the journal is there, and hand the bytes
		 * to the sorter, which keeps its memory bounded whatever the
		 * match count (search_sort.c).
		 */
		rewind(mem);
		if (o->output == AUDIT_OUTPUT_JSON)
			print_json(j, mem);
		else if (o->output == AUDIT_OUTPUT_OCSF) {
			if ((r = print_ocsf(j, &ent, mem, t)) < 0)
				goto fail;
		} else
			print_text(&ent, mem, t, replayed);
		if (fflush(mem) != 0) {
			r = -ENOMEM;
			goto fail;
		}
		if ((r = search_sorter_add(sorter, t, search_hit_key(j, &ent, replayed, key), mbuf,
					   mlen)) < 0) {
			what = "sorting the matches failed (a temporary file in TMPDIR, /tmp by default)";
			goto fail;
		}
		n++;
	}
	if (r < 0)
		goto fail;
	/* the journal's files may be closed now: the sorter holds every hit */
	sd_journal_close(j);
	j = NULL;
	fclose(mem);
	mem = NULL;
	free(mbuf);
	mbuf = NULL;
	free(ent.buf);
	ent.buf = NULL;
	what = "sorting or printing the matches failed";
	if ((r = search_sorter_finish(sorter, emit_out, out, &dups)) < 0)
		goto fail;
	search_sorter_free(sorter);
	*ret_duplicates = dups;
	return (int)(n - dups);
fail:
	free(ent.buf);
	if (mem)
		fclose(mem);
	free(mbuf);
	search_sorter_free(sorter);
	sd_journal_close(j);
	return oidc_err_set(err, OIDC_R_INTERNAL, -r, "%s", what);
}

/* See oidc_audit.h. */
int
search_main(int argc, char **argv)
{
	struct search_opts o;
	struct oidc_err err = { 0 };
	size_t dups = 0;
	int r;

	r = search_parse_args(argc, argv, clock_real_us(), &o, &err);
	if (r < 0) {
		fprintf(stderr, "oidc-audit search: %s\n", err.msg);
		return 2;
	}
	r = search_run(&o, stdout, &dups, &err);
	if (fflush(stdout) != 0)
		return 2;
	if (r < 0) {
		fprintf(stderr, "oidc-audit search: %s\n", err.msg);
		return 2;
	}
	/* not hidden: the journal holds them, journalctl shows them */
	if (dups > 0)
		fprintf(stderr,
			"oidc-audit search: %zu entries were in the journal twice (same host, boot and "
			"audit serial; systemd-journal-upload re-sends after a restart): listed once\n",
			dups);
	return r > 0 ? 0 : 1;
}
