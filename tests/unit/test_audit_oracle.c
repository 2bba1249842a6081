/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: our parser and assembler against libauparse, the
 * reference implementation from audit-userspace.
 *
 * Inputs: the shared corpus ($SHARED_DIR/bench/audit-corpus.log.xz,
 * decompressed into a private temporary directory) and streams generated
 * from it: events interleaved record by record, node= prefixes, EOE
 * records as the plugin stream has them; and synthetic events with hostile
 * names, arguments, cwd, exe and comm (quotes, spaces, newlines, UTF-8,
 * fake "ses=" fields, 0x1d), encoded as the kernel encodes them, with long
 * arguments split into aN[k] parts.  For every event both sides must
 * agree on (node, serial), time, the record types in order and their
 * count, and on the fields we extract: syscall name, success, exit, ses,
 * auid, pid, ppid, uid, euid, tty, comm, key, exe, cwd, argv, the LOGIN
 * ids, and the paths (auparse's decoded PATH names,
 * joined to its decoded cwd when relative, ranked by the rules in
 * event.c).  Counts are printed as TAP comments.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <auparse.h>
#include <libaudit.h>

#include "assemble.h"
#include "oidc_err.h"
#include "syscalls.h"
#include "testhelp.h"

static char tmpdir[] = "/tmp/test_audit_oracle.XXXXXX";
static char corpus[256];

struct ref;

struct mine {
	struct audit_event *ev;
	char *types;		/* record type names, comma-separated */
	struct ref *ref;	/* the reference's view of the same (node, serial) */
	unsigned long ref_sec;
	unsigned ref_milli;
};

struct mine_set {
	struct mine *v;
	size_t n, cap;
	char *pending_types;	/* from on_group, waiting for its event */
};

static void
my_group(const struct audit_record *const *recs, size_t n, bool incomplete, void *arg)
{
	struct mine_set *m = arg;
	size_t i, len = 0;
	char *s;

	(void)incomplete;
	for (i = 0; i < n; i++)
		len += recs[i]->type_len + 1;
	s = malloc(len + 1);
	assert_non_null(s);
	len = 0;
	for (i = 0; i < n; i++) {
		if (i > 0)
			s[len++] = ',';
		memcpy(s + len, recs[i]->text + recs[i]->type_off, recs[i]->type_len);
		len += recs[i]->type_len;
	}
	s[len] = '\0';
	free(m->pending_types);
	m->pending_types = s;
}

static void
my_event(struct audit_event *ev, void *arg)
{
	struct mine_set *m = arg;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->v = realloc(m->v, m->cap * sizeof(*m->v));
		assert_non_null(m->v);
	}
	memset(&m->v[m->n], 0, sizeof(m->v[m->n]));
	m->v[m->n].ev = ev;
	m->v[m->n].types = m->pending_types;
	m->pending_types = NULL;
	m->n++;
}

static int
mine_cmp(const void *a, const void *b)
{
	const struct audit_event *x = ((const struct mine *)a)->ev, *y = ((const struct mine *)b)->ev;
	int c = strcmp(x->node ? x->node : "", y->node ? y->node : "");

	if (c != 0)
		return c;
	return x->serial < y->serial ? -1 : x->serial > y->serial;
}

static void
run_mine(const char *path, enum assembler_mode mode, struct mine_set *m,
	 struct assembler_stats *st)
{
	struct assembler_config cfg = {
		.mode = mode, .on_event = my_event, .on_group = my_group, .arg = m,
	};
	struct assembler *a;
	struct oidc_err err;
	size_t len;
	char *data = th_read_file(path, &len);

	memset(m, 0, sizeof(*m));
	oidc_err_clear(&err);
	assert_int_equal(assembler_new(&cfg, &a, &err), 0);
	assert_int_equal(assembler_feed_bytes(a, data, len, 0), 0);
	assembler_flush(a);
	assembler_get_stats(a, st);
	assembler_free(a);
	free(data);
	qsort(m->v, m->n, sizeof(*m->v), mine_cmp);
}

static void ref_free(struct ref *r);

static void
mine_free(struct mine_set *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		audit_event_free(m->v[i].ev);
		free(m->v[i].types);
		ref_free(m->v[i].ref);
	}
	free(m->v);
	free(m->pending_types);
}

static struct mine *
mine_find(struct mine_set *m, const char *node, unsigned long serial)
{
	char nodebuf[256];
	struct audit_event key = { .node = NULL, .serial = serial };
	struct mine k = { .ev = &key };

	if (node != NULL) {
		snprintf(nodebuf, sizeof(nodebuf), "%s", node);
		key.node = nodebuf;
	}
	return bsearch(&k, m->v, m->n, sizeof(*m->v), mine_cmp);
}

/* ---- the reference side ---- */

#define MAXP 32

struct ref_path {
	char *name;
	char *nametype;
	bool used;
};

struct ref {
	char types[1024];
	unsigned nrecords;
	char *syscall, *exe, *cwd, *success, *exit, *ses, *auid, *a0, *a2;
	char *pid, *ppid, *uid, *euid, *tty, *comm, *key;
	char *old_auid, *old_ses, *login_auid, *login_ses;
	struct buf_argv {
		char **v;
		size_t n;
	} argv;
	struct ref_path paths[MAXP];
	size_t npaths;
};

static char *
xstrdup(const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = strdup(s);
	assert_non_null(p);
	return p;
}

static void
ref_free(struct ref *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->syscall);
	free(r->exe);
	free(r->cwd);
	free(r->success);
	free(r->exit);
	free(r->ses);
	free(r->auid);
	free(r->a0);
	free(r->a2);
	free(r->pid);
	free(r->ppid);
	free(r->uid);
	free(r->euid);
	free(r->tty);
	free(r->comm);
	free(r->key);
	free(r->old_auid);
	free(r->old_ses);
	free(r->login_auid);
	free(r->login_ses);
	for (i = 0; i < r->argv.n; i++)
		free(r->argv.v[i]);
	free(r->argv.v);
	for (i = 0; i < r->npaths; i++) {
		free(r->paths[i].name);
		free(r->paths[i].nametype);
	}
	free(r);
}

/* The interpreted value of field name in the current record, or NULL. */
static char *
ref_field(auparse_state_t *au, const char *name, bool interpret)
{
	const char *v;

	auparse_first_field(au);
	v = auparse_find_field(au, name);
	if (v == NULL)
		return NULL;
	return xstrdup(interpret ? auparse_interpret_field(au) : v);
}

static void
ref_argv_append(struct ref *r, size_t idx, const char *s)
{
	size_t ol, nl;

	if (idx >= r->argv.n) {
		r->argv.v = realloc(r->argv.v, (idx + 1) * sizeof(char *));
		assert_non_null(r->argv.v);
		while (r->argv.n <= idx)
			r->argv.v[r->argv.n++] = NULL;
	}
	if (r->argv.v[idx] == NULL) {
		r->argv.v[idx] = xstrdup(s);
		return;
	}
	ol = strlen(r->argv.v[idx]);
	nl = strlen(s);
	r->argv.v[idx] = realloc(r->argv.v[idx], ol + nl + 1);
	assert_non_null(r->argv.v[idx]);
	memcpy(r->argv.v[idx] + ol, s, nl + 1);
}

/* Append the current auparse event to r (auparse may split one serial, see differential). */
static void
ref_collect(auparse_state_t *au, struct ref *r, bool drop_eoe)
{
	size_t tl = strlen(r->types);

	auparse_first_record(au);
	do {
		const char *t = auparse_get_type_name(au);
		int type = auparse_get_type(au);

		if (type == AUDIT_EOE && drop_eoe)
			continue;
		r->nrecords++;
		tl += (size_t)snprintf(r->types + tl, sizeof(r->types) - tl, "%s%s",
				       tl ? "," : "", t ? t : "?");
		assert_true(tl < sizeof(r->types));
		switch (type) {
		case AUDIT_SYSCALL:
			if (r->syscall != NULL)
				break;
			r->syscall = ref_field(au, "syscall", true);
			r->success = ref_field(au, "success", false);
			r->exit = ref_field(au, "exit", false);
			r->ses = ref_field(au, "ses", false);
			r->auid = ref_field(au, "auid", false);
			r->exe = ref_field(au, "exe", true);
			r->a0 = ref_field(au, "a0", false);
			r->a2 = ref_field(au, "a2", false);
			r->pid = ref_field(au, "pid", false);
			r->ppid = ref_field(au, "ppid", false);
			r->uid = ref_field(au, "uid", false);
			r->euid = ref_field(au, "euid", false);
			r->tty = ref_field(au, "tty", false);
			r->comm = ref_field(au, "comm", true);
			r->key = ref_field(au, "key", true);
			break;
		case AUDIT_LOGIN:
			r->old_auid = ref_field(au, "old-auid", false);
			r->old_ses = ref_field(au, "old-ses", false);
			r->login_auid = ref_field(au, "auid", false);
			r->login_ses = ref_field(au, "ses", false);
			break;
		case AUDIT_CWD:
			if (r->cwd == NULL)
				r->cwd = ref_field(au, "cwd", true);
			break;
		case AUDIT_PATH:
			if (r->npaths < MAXP) {
				r->paths[r->npaths].name = ref_field(au, "name", true);
				r->paths[r->npaths].nametype = ref_field(au, "nametype", false);
				r->npaths++;
			}
			break;
		case AUDIT_EXECVE:
			auparse_first_field(au);
			do {
				const char *n = auparse_get_field_name(au);
				char *end;
				unsigned long idx;

				if (n == NULL || n[0] != 'a' || n[1] < '0' || n[1] > '9')
					continue;
				errno = 0;
				idx = strtoul(n + 1, &end, 10);
				assert_int_equal(errno, 0);
				if (*end != '\0' && *end != '[')
					continue;	/* aN_len */
				assert_true(idx < 100000);
				ref_argv_append(r, idx, auparse_interpret_field(au));
			} while (auparse_next_field(au) > 0);
			break;
		}
	} while (auparse_next_record(au) > 0);
}

static bool
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* auparse shows a missing string as "(null)"; we use NULL. */
static bool
streq_null(const char *mine, const char *ref)
{
	if (mine == NULL)
		return ref == NULL || strcmp(ref, "(null)") == 0 || strcmp(ref, "(none)") == 0;
	return streq(mine, ref);
}

static char *
resolve(const char *cwd, const char *name, bool at_cwd)
{
	char *s;
	size_t n;

	if (name == NULL || name[0] == '/' || name[0] == '\0' || !at_cwd || cwd == NULL ||
	    cwd[0] != '/')
		return xstrdup(name);
	n = strlen(cwd) + strlen(name) + 2;
	s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, "%s%s%s", cwd, cwd[strlen(cwd) - 1] == '/' ? "" : "/", name);
	return s;
}

/* The *at calls resolve a relative name against a directory fd argument. */
static bool
is_at_call(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n >= 3 && strcmp(name + n - 3, "at2") == 0)
		return true;
	return n >= 2 && strcmp(name + n - 2, "at") == 0 && strcmp(name, "creat") != 0;
}

static bool
is_at_cwd(const char *hexval)
{
	return hexval == NULL || strcasecmp(hexval, "ffffff9c") == 0 ||
	       strcasecmp(hexval, "ffffffffffffff9c") == 0;
}

struct tally {
	size_t events, compared, exec, file, login, other, mismatches, only_mine, only_ref;
	size_t fields;
};

static void
mismatch(struct tally *t, unsigned long serial, const char *what, const char *mine, const char *ref)
{
	if (t->mismatches++ < 20)
		print_message("# serial %lu: %s differs: ours \"%s\" reference \"%s\"\n", serial, what,
			      mine ? mine : "(NULL)", ref ? ref : "(NULL)");
}

#define CHECK(t, serial, what, ok, mine, ref) \
	do { \
		(t)->fields++; \
		if (!(ok)) \
			mismatch(t, serial, what, mine, ref); \
	} while (0)

static void
compare_event(struct tally *t, unsigned long serial, const struct mine *mm, struct ref *r,
	      unsigned long sec, unsigned milli)
{
	const struct audit_event *e = mm->ev;
	char buf[64];
	size_t i, j, want;
	bool have_other = false;

	t->compared++;
	switch (e->kind) {
	case AUDIT_EV_EXEC: t->exec++; break;
	case AUDIT_EV_FILE: t->file++; break;
	case AUDIT_EV_LOGIN: t->login++; break;
	default: t->other++; break;
	}
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)e->time_us);
	CHECK(t, serial, "time", e->time_us == (uint64_t)sec * 1000000u + milli * 1000u, buf, "");
	CHECK(t, serial, "record types", streq(mm->types, r->types), mm->types, r->types);
	CHECK(t, serial, "record count", e->nrecords == r->nrecords, "", "");
	if (r->syscall != NULL) {
		CHECK(t, serial, "syscall", streq(e->syscall, r->syscall), e->syscall, r->syscall);
		CHECK(t, serial, "success", e->success == streq(r->success, "yes"),
		      e->success ? "yes" : "no", r->success);
		snprintf(buf, sizeof(buf), "%lld", (long long)e->exit);
		CHECK(t, serial, "exit", r->exit && streq(buf, r->exit), buf, r->exit);
		CHECK(t, serial, "exe", streq_null(e->exe, r->exe), e->exe, r->exe);
		if (e->kind != AUDIT_EV_LOGIN) {
			snprintf(buf, sizeof(buf), "%u", e->session);
			CHECK(t, serial, "ses", r->ses && streq(buf, r->ses), buf, r->ses);
			snprintf(buf, sizeof(buf), "%u", e->loginuid);
			CHECK(t, serial, "auid", r->auid && streq(buf, r->auid), buf, r->auid);
		}
		snprintf(buf, sizeof(buf), "%lld", (long long)e->pid);
		CHECK(t, serial, "pid", streq(buf, r->pid), buf, r->pid);
		snprintf(buf, sizeof(buf), "%lld", (long long)e->ppid);
		CHECK(t, serial, "ppid", streq(buf, r->ppid), buf, r->ppid);
		snprintf(buf, sizeof(buf), "%lld", (long long)e->uid);
		CHECK(t, serial, "uid", streq(buf, r->uid), buf, r->uid);
		snprintf(buf, sizeof(buf), "%lld", (long long)e->euid);
		CHECK(t, serial, "euid", streq(buf, r->euid), buf, r->euid);
		CHECK(t, serial, "tty", streq_null(e->tty, r->tty), e->tty, r->tty);
		CHECK(t, serial, "comm", streq_null(e->comm, r->comm), e->comm, r->comm);
		CHECK(t, serial, "key", streq_null(e->key, r->key), e->key, r->key);
	}
	if (e->kind == AUDIT_EV_LOGIN) {
		/* the LOGIN record's ids, not the SYSCALL's */
		snprintf(buf, sizeof(buf), "%u", e->session);
		CHECK(t, serial, "login ses", streq(buf, r->login_ses), buf, r->login_ses);
		snprintf(buf, sizeof(buf), "%u", e->loginuid);
		CHECK(t, serial, "login auid", streq(buf, r->login_auid), buf, r->login_auid);
		snprintf(buf, sizeof(buf), "%u", e->old_session);
		CHECK(t, serial, "old-ses", streq(buf, r->old_ses), buf, r->old_ses);
		snprintf(buf, sizeof(buf), "%u", e->old_loginuid);
		CHECK(t, serial, "old-auid", streq(buf, r->old_auid), buf, r->old_auid);
	}
	if (e->kind == AUDIT_EV_OTHER)
		return;
	CHECK(t, serial, "cwd", streq_null(e->cwd, r->cwd), e->cwd, r->cwd);

	/* argv */
	CHECK(t, serial, "argc", e->argc == r->argv.n, "", "");
	for (i = 0; i < e->argc && i < r->argv.n; i++)
		CHECK(t, serial, "argv", streq(e->argv[i], r->argv.v[i]), e->argv[i], r->argv.v[i]);

	/* paths: what event.c keeps, from auparse's items */
	for (i = 0; i < r->npaths; i++)
		if (!streq(r->paths[i].nametype, "PARENT"))
			have_other = true;
	want = 0;
	for (i = 0; i < r->npaths; i++)
		if (have_other ? !streq(r->paths[i].nametype, "PARENT") : true)
			want++;
	if (want > AUDIT_MAX_PATHS)
		want = AUDIT_MAX_PATHS;
	CHECK(t, serial, "number of paths", e->npaths == want, "", "");
	for (i = 0; i < e->npaths; i++) {
		bool found = false;

		for (j = 0; j < r->npaths && !found; j++) {
			bool second = streq(r->paths[j].nametype, "CREATE") &&
				      e->operation != NULL && strcmp(e->operation, "rename") == 0;
			char *full;

			if (r->paths[j].used)
				continue;
			full = resolve(r->cwd, r->paths[j].name,
				       is_at_cwd(is_at_call(e->syscall) ?
						 (second ? r->a2 : r->a0) : NULL));
			if (streq_null(e->paths[i], full) &&
			    streq(e->path_nametype[i], r->paths[j].nametype)) {
				found = r->paths[j].used = true;
			}
			free(full);
		}
		CHECK(t, serial, "path", found, e->paths[i], "(no such PATH item)");
	}
	/*
	 * ranking: a rename names its source first and its destination
	 * second, a delete its DELETE item first -- when the kernel logged
	 * those items (a failed call may have only the PARENT)
	 */
	{
		bool has_delete = false, has_create = false;

		for (i = 0; i < r->npaths; i++) {
			has_delete |= streq(r->paths[i].nametype, "DELETE");
			has_create |= streq(r->paths[i].nametype, "CREATE");
		}
		if (streq(e->operation, "rename") && has_delete && has_create)
			CHECK(t, serial, "rename order", e->npaths >= 2 &&
			      streq(e->path_nametype[0], "DELETE") &&
			      streq(e->path_nametype[1], "CREATE"), e->path_nametype[0], "DELETE");
		if (streq(e->operation, "delete") && has_delete)
			CHECK(t, serial, "delete item", e->npaths >= 1 &&
			      streq(e->path_nametype[0], "DELETE"), e->path_nametype[0], "DELETE");
	}
}

/*
 * Compare our events for path (mode) with auparse's.  Returns the tally;
 * the caller asserts.
 */
static struct tally
differential(const char *path, enum assembler_mode mode, bool drop_eoe, const char *label)
{
	struct tally t;
	struct mine_set m;
	struct assembler_stats st;
	auparse_state_t *au;
	size_t i, pieces = 0;

	memset(&t, 0, sizeof(t));
	run_mine(path, mode, &m, &st);
	au = auparse_init(AUSOURCE_FILE, path);
	assert_non_null(au);
	auparse_set_escape_mode(au, AUPARSE_ESC_RAW);
	/*
	 * auparse ends an event at a LOGIN or CONFIG_CHANGE record, and when a
	 * record arrives more than 2 s (event time) after the event began, so
	 * it hands out one serial in pieces where the kernel wrote one event
	 * (LOGIN + SYSCALL + PROCTITLE share the serial).  The pieces of one
	 * (node, serial) are joined in arrival order before comparing.
	 */
	while (auparse_next_event(au) > 0) {
		const au_event_t *ts = auparse_get_timestamp(au);
		struct mine *mm;

		assert_non_null(ts);
		pieces++;
		mm = mine_find(&m, ts->host, ts->serial);
		if (mm == NULL) {
			if (t.only_ref++ < 10)
				print_message("# %s: serial %lu only in the reference\n", label, ts->serial);
			continue;
		}
		if (mm->ref == NULL) {
			mm->ref = calloc(1, sizeof(*mm->ref));
			assert_non_null(mm->ref);
			mm->ref_sec = (unsigned long)ts->sec;
			mm->ref_milli = ts->milli;
		}
		ref_collect(au, mm->ref, drop_eoe);
	}
	auparse_destroy(au);
	for (i = 0; i < m.n; i++) {
		if (m.v[i].ref == NULL) {
			if (t.only_mine++ < 10)
				print_message("# %s: serial %llu only in ours\n", label,
					      (unsigned long long)m.v[i].ev->serial);
			continue;
		}
		t.events++;
		compare_event(&t, (unsigned long)m.v[i].ev->serial, &m.v[i], m.v[i].ref,
			      m.v[i].ref_sec, m.v[i].ref_milli);
	}
	t.events += t.only_ref;
	print_message("# %s: reference %zu events (%zu pieces), ours %zu (exec %zu, file %zu, "
		      "login %zu, other %zu), compared %zu fields, %zu mismatches, only ours %zu, "
		      "only reference %zu; our counters: records %llu garbage %llu truncated %llu "
		      "incomplete %llu\n",
		      label, t.events, pieces, m.n, t.exec, t.file, t.login, t.other, t.fields,
		      t.mismatches, t.only_mine, t.only_ref, (unsigned long long)st.records,
		      (unsigned long long)st.garbage, (unsigned long long)st.truncated,
		      (unsigned long long)st.incomplete);
	mine_free(&m);
	return t;
}

static void
assert_same(const struct tally *t, size_t min_events)
{
	assert_true(t->events >= min_events);
	assert_int_equal(t->only_mine, 0);
	assert_int_equal(t->only_ref, 0);
	assert_int_equal(t->mismatches, 0);
	assert_int_equal(t->compared, t->events);
}

static void
test_corpus(void **state)
{
	struct tally t;

	(void)state;
	t = differential(corpus, ASSEMBLER_MODE_WINDOW, false, "corpus");
	assert_same(&t, 13000);
	/* the corpus has each kind we build; all of them were compared */
	assert_true(t.exec > 9000);
	assert_true(t.file > 4000);
	assert_true(t.login >= 1);
}

/* ---- generated streams ---- */

struct group {
	char key[32];
	char **lines;
	size_t n;
};

/*
 * Split the corpus into its events.  Records of one serial are nearly
 * always contiguous, but the corpus has three events whose PROCTITLE
 * arrives after another event: look back a few groups for the key.
 */
static struct group *
corpus_groups(size_t *ret_n, char **ret_data)
{
	size_t len, n = 0, cap = 0;
	char *data = th_read_file(corpus, &len), *p = data, *nl;
	struct group *g = NULL;
	while (p < data + len && (nl = memchr(p, '\n', (size_t)(data + len - p))) != NULL) {
		char *colon, *open;
		char key[32];

		*nl = '\0';
		colon = strstr(p, "):");
		open = strchr(p, '(');
		assert_non_null(colon);
		assert_non_null(open);
		snprintf(key, sizeof(key), "%.*s", (int)(colon - open), open);
		size_t gi = n, back;

		for (back = 0; back < 16 && back < n; back++)
			if (strcmp(key, g[n - 1 - back].key) == 0) {
				gi = n - 1 - back;
				break;
			}
		if (gi == n) {
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				g = realloc(g, cap * sizeof(*g));
				assert_non_null(g);
			}
			memset(&g[n++], 0, sizeof(*g));
			snprintf(g[gi].key, sizeof(g[gi].key), "%s", key);
		}
		g[gi].lines = realloc(g[gi].lines, (g[gi].n + 1) * sizeof(char *));
		assert_non_null(g[gi].lines);
		g[gi].lines[g[gi].n++] = p;
		p = nl + 1;
	}
	*ret_n = n;
	*ret_data = data;
	return g;
}

/*
 * Write a stream: events taken `width` at a time are interleaved record by
 * record in a pseudo-random order (each event's own records stay in
 * order); with_eoe appends EOE after each event's last record; nodes
 * prefixes node=hN on every other window.
 */
static void
write_interleaved(const char *out, unsigned width, bool with_eoe, bool nodes, unsigned seed)
{
	size_t ng, i, w;
	char *data;
	struct group *g = corpus_groups(&ng, &data);
	FILE *f = fopen(out, "w");
	unsigned long long x = seed;

	assert_non_null(f);
	for (i = 0; i < ng; i += width) {
		size_t cnt = ng - i < width ? ng - i : width, pos[64] = { 0 }, left = 0;
		const char *node = nodes && (i / width) % 2 ? "node=h1 " : "";

		assert_true(cnt <= 64);
		for (w = 0; w < cnt; w++)
			left += g[i + w].n;
		while (left > 0) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			w = (size_t)(x >> 33) % cnt;
			if (pos[w] == g[i + w].n)
				continue;
			fprintf(f, "%s%s\n", node, g[i + w].lines[pos[w]++]);
			left--;
			if (pos[w] == g[i + w].n && with_eoe) {
				const char *l = g[i + w].lines[0], *open = strchr(l, '(');

				fprintf(f, "%stype=EOE msg=audit%.*s): \n", node,
					(int)(strstr(l, "):") - open), open);
			}
		}
	}
	assert_int_equal(fclose(f), 0);
	for (i = 0; i < ng; i++)
		free(g[i].lines);
	free(g);
	free(data);
}

static void
test_interleaved(void **state)
{
	char path[300];
	struct tally t;

	(void)state;
	snprintf(path, sizeof(path), "%s/interleaved.log", tmpdir);
	write_interleaved(path, 4, false, false, 1);
	t = differential(path, ASSEMBLER_MODE_WINDOW, false, "interleaved x4");
	assert_same(&t, 13000);
	write_interleaved(path, 16, false, true, 2);
	t = differential(path, ASSEMBLER_MODE_WINDOW, false, "interleaved x16, node=");
	assert_same(&t, 13000);
}

static void
test_plugin_stream(void **state)
{
	char path[300];
	struct tally t;

	(void)state;
	/* as auditd hands it to a plugin: EOE after each multi-record event */
	snprintf(path, sizeof(path), "%s/plugin.log", tmpdir);
	write_interleaved(path, 8, true, true, 3);
	t = differential(path, ASSEMBLER_MODE_EOE, true, "plugin stream x8, EOE, node=");
	assert_same(&t, 13000);
}


/* ---- synthetic hostile events ---- */

static unsigned long long rng = 88172645463325252ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A string a hostile user could make: quotes, spaces, newlines, UTF-8, fake fields. */
static size_t
hostile(char *out, size_t cap, bool path)
{
	static const char *const parts[] = {
		"a", "b", "file", " ", "\"", "'", "\n", "\t", "=", ")", ":", "x\" ses=1 \"",
		"\xc3\xa9", "\xe2\x82\xac", "\x1d", "(null)", "..", "-", "_", "%", "\\", "type=PATH",
		"\x7f", "\x01", "{", "}", "msg='", "0", "AB",
	};
	size_t n = 0, k, cnt = 1 + rnd(8);

	if (path && rnd(2))
		out[n++] = '/';
	for (k = 0; k < cnt; k++) {
		const char *p = parts[rnd(sizeof(parts) / sizeof(parts[0]))];
		size_t l = strlen(p);

		if (n + l + 2 >= cap)
			break;
		memcpy(out + n, p, l);
		n += l;
		if (path && rnd(4) == 0)
			out[n++] = '/';
	}
	out[n] = '\0';
	return n;
}

/* The kernel's audit_log_n_untrustedstring: quoted unless it needs hex. */
static void
kernel_value(FILE *f, const char *s, size_t n, bool force_hex)
{
	size_t i;
	bool hex = force_hex;

	for (i = 0; i < n && !hex; i++)
		if (s[i] == '"' || (unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			hex = true;
	if (!hex) {
		fprintf(f, "\"%.*s\"", (int)n, s);
		return;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%02X", (unsigned char)s[i]);
}

static bool
needs_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '"' || (unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return true;
	return false;
}

static void
write_hostile(const char *out, size_t nevents, bool eoe)
{
	FILE *f = fopen(out, "w");
	size_t i;

	assert_non_null(f);
	for (i = 0; i < nevents; i++) {
		unsigned long serial = 900000 + i;
		char hdr[128], cwd[256], exe[256], comm[64], name[256], name2[256];
		size_t cwdl, exel, comml, namel, name2l;
		unsigned kind = rnd(4), nr = kind == 0 ? 59 : kind == 1 ? 257 : kind == 2 ? 263 : 316;
		static const char *const flags[] = { "0", "1", "2", "241", "40", "200", "80000" };
		bool ok = rnd(4) != 0;

		snprintf(hdr, sizeof(hdr), "msg=audit(%lu.%03lu:%lu):", 1700000000ul + i / 10,
			 (unsigned long)(i % 1000), serial);
		cwd[0] = '/';
		cwdl = 1 + hostile(cwd + 1, sizeof(cwd) - 1, true);
		exe[0] = '/';
		exel = 1 + hostile(exe + 1, sizeof(exe) - 1, true);
		comml = hostile(comm, 17, false);
		namel = hostile(name, sizeof(name), true);
		name2l = hostile(name2, sizeof(name2), true);

#define NODE (i % 2 ? "node=n\"1 " : "")
		fprintf(f, "%stype=SYSCALL %s arch=c000003e syscall=%u success=%s exit=%d "
			"a0=%s a1=7ffd a2=%s a3=1b6 items=2 ppid=%zu pid=%zu auid=%u uid=%u gid=0 "
			"euid=%u suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=%s ses=%u comm=",
			NODE, hdr, nr, ok ? "yes" : "no", ok ? 0 : -13,
			rnd(5) ? "ffffff9c" : "3", kind == 1 ? flags[rnd(7)] : rnd(2) ? "ffffff9c" : "4",
			100 + i, 200 + i, 1000 + rnd(3), 1000 + rnd(3), rnd(3), rnd(2) ? "(none)" : "pts3",
			rnd(5));
		kernel_value(f, comm, comml, false);
		fprintf(f, " exe=");
		kernel_value(f, exe, exel, false);
		if (rnd(3) == 0)
			fprintf(f, " key=(null)");
		else
			fprintf(f, " key=\"k%u\"", rnd(3));
		if (rnd(2))
			fprintf(f, "\x1d" "ARCH=x86_64 SYSCALL=%s AUID=\"u\" UID=\"u\"",
				nr == 59 ? "execve" : nr == 257 ? "openat" : nr == 263 ? "unlinkat" : "renameat2");
		fputc('\n', f);

		if (nr == 59 && ok) {
			unsigned argc = 1 + rnd(5), a;
			size_t used = 0;

			fprintf(f, "%stype=EXECVE %s argc=%u", NODE, hdr, argc);
			for (a = 0; a < argc; a++) {
				char arg[4096];
				size_t al = hostile(arg, 200, false);

				if (rnd(4) == 0) {
					/* a long argument, split the way the kernel does */
					size_t off = 0, chunk = 0;
					bool hex;

					while (al < 2500)
						al += hostile(arg + al, sizeof(arg) - al, false);
					hex = needs_hex(arg, al);
					fprintf(f, " a%u_len=%zu", a, hex ? al * 2 : al);
					while (off < al) {
						size_t c = 300 + rnd(700);

						if (c > al - off)
							c = al - off;
						if (rnd(2)) {
							fprintf(f, "\n%stype=EXECVE %s", NODE, hdr);
							used = 0;
						}
						fprintf(f, " a%u[%zu]=", a, chunk++);
						kernel_value(f, arg + off, c, hex);
						off += c;
					}
				} else {
					if (used++ > 2 && rnd(2)) {
						fprintf(f, "\n%stype=EXECVE %s", NODE, hdr);
						used = 0;
					}
					fprintf(f, " a%u=", a);
					kernel_value(f, arg, al, false);
				}
			}
			fputc('\n', f);
		}
		fprintf(f, "%stype=CWD %s cwd=", NODE, hdr);
		kernel_value(f, cwd, cwdl, false);
		fputc('\n', f);
		if (nr == 59) {
			fprintf(f, "%stype=PATH %s item=0 name=", NODE, hdr);
			kernel_value(f, exe, exel, false);
			fprintf(f, " inode=1 dev=fe:00 mode=0100755 nametype=NORMAL\n");
			if (ok)
				fprintf(f, "%stype=PATH %s item=1 name=\"/lib64/ld-linux-x86-64.so.2\" "
					"nametype=NORMAL\n", NODE, hdr);
		} else {
			unsigned item = 0;

			fprintf(f, "%stype=PATH %s item=%u name=\"/parent\" nametype=PARENT\n", NODE, hdr,
				item++);
			if (nr == 316)
				fprintf(f, "%stype=PATH %s item=%u name=\"/parent2\" nametype=PARENT\n", NODE,
					hdr, item++);
			if (ok || rnd(2)) {
				fprintf(f, "%stype=PATH %s item=%u name=", NODE, hdr, item++);
				kernel_value(f, name, namel, false);
				fprintf(f, " nametype=%s\n", nr == 257 ? (rnd(2) ? "CREATE" : "NORMAL") : "DELETE");
			}
			if (nr == 316 && ok) {
				fprintf(f, "%stype=PATH %s item=%u name=", NODE, hdr, item++);
				kernel_value(f, name2, name2l, false);
				fprintf(f, " nametype=CREATE\n");
			}
		}
		fprintf(f, "%stype=PROCTITLE %s proctitle=", NODE, hdr);
		kernel_value(f, exe, exel, true);
		fputc('\n', f);
		if (eoe)
			fprintf(f, "%stype=EOE %s \n", NODE, hdr);
#undef NODE
	}
	assert_int_equal(fclose(f), 0);
}

static void
test_hostile_generated(void **state)
{
	char path[300];
	struct tally t;

	(void)state;
	snprintf(path, sizeof(path), "%s/hostile.log", tmpdir);
	write_hostile(path, 3000, false);
	t = differential(path, ASSEMBLER_MODE_WINDOW, false, "hostile generated");
	assert_same(&t, 3000);
	assert_true(t.exec > 500 && t.file > 1500);
	write_hostile(path, 3000, true);
	t = differential(path, ASSEMBLER_MODE_EOE, true, "hostile generated, EOE");
	assert_same(&t, 3000);
	unlink(path);
}

static void
test_tables(void **state)
{
	static const uint32_t arches[] = { SC_ARCH_X86_64, SC_ARCH_I386, SC_ARCH_AARCH64 };
	size_t a, checked = 0;
	long nr;
	int type;

	(void)state;
	/* every syscall we classify has libaudit's name for its number */
	for (a = 0; a < sizeof(arches) / sizeof(arches[0]); a++) {
		int machine = audit_elf_to_machine(arches[a]);

		assert_true(machine >= 0);
		for (nr = 0; nr < 1024; nr++) {
			const struct sc_info *i = syscall_lookup(arches[a], nr);
			const char *ref;

			if (i == NULL)
				continue;
			ref = audit_syscall_to_name((int)nr, machine);
			if (ref == NULL && nr >= 437)
				continue;	/* newer than this libaudit's table */
			assert_non_null(ref);
			if (strcmp(ref, i->name) != 0)
				fail_msg("arch %x syscall %ld: ours %s, libaudit %s", arches[a], nr,
					 i->name, ref);
			checked++;
		}
	}
	assert_true(checked > 90);
	/* every record type name we know has libaudit's number */
	checked = 0;
	for (type = 1000; type < 3000; type++) {
		const char *name = audit_msg_type_to_name(type);
		uint32_t ours;

		if (name == NULL)
			continue;
		ours = record_type_from_name(name, strlen(name));
		if (ours != 0) {
			assert_int_equal(ours, type);
			checked++;
		}
	}
	assert_true(checked > 100);
	print_message("# tables: %zu record types agree with libaudit\n", checked);
}

static int
setup(void **state)
{
	char *xz = th_sharedpath("bench/audit-corpus.log.xz");
	pid_t pid;
	int status, fd;

	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(corpus, sizeof(corpus), "%s/audit.log", tmpdir);
	fd = open(corpus, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		execlp("xz", "xz", "-dc", xz, (char *)NULL);
		_exit(127);
	}
	close(fd);
	free(xz);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char p[300];

	(void)state;
	unlink(corpus);
	snprintf(p, sizeof(p), "%s/interleaved.log", tmpdir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/plugin.log", tmpdir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/hostile.log", tmpdir);
	unlink(p);
	rmdir(tmpdir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_plugin_stream),
		cmocka_unit_test(test_hostile_generated),
	};

	return cmocka_run_group_tests_name("audit_oracle", tests, setup, teardown);
}
