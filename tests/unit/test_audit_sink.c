/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of oidc-audit's enrichment, event fields, JSON sink (golden
 * output), configuration and replay file order.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "journal_names.h"
#include "oidc_audit.h"
#include "oidc_err.h"
#include "testhelp.h"

static char tmpdir[64];

static void
rm_rf(const char *dir)
{
	pid_t pid;
	int st;

	if (strncmp(dir, "/tmp/test_audit_sink.", 21) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		execl("/bin/rm", "rm", "-rf", "--", dir, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

static int
group_setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_audit_sink.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
group_teardown(void **state)
{
	rm_rf(tmpdir);
	return 0;
}

static void
entry(struct registry_entry *e, uint32_t ses, const char *sub)
{
	memset(e, 0, sizeof(*e));
	e->boot_id = strdup("0123456789abcdef0123456789abcdef");
	e->session = ses;
	e->loginuid = 4242;
	e->user = strdup("alice");
	e->issuer = strdup("https://idp.example");
	e->subject = strdup(sub);
	e->username = strdup("alice@example.com");
	e->email = strdup("alice@example.com");
	e->login_id = strdup("fedcba9876543210fedcba9876543210");
	e->service = strdup("sshd");
	e->rhost = strdup("192.0.2.7");
	e->opened = 1764100000000000ULL;
}

/* An event of session ses by login uid auid at time t (µs), in the input's first boot. */
static struct audit_event
ev_at(uint32_t ses, uint32_t auid, uint64_t t)
{
	struct audit_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = AUDIT_EV_EXEC;
	ev.session = ses;
	ev.loginuid = auid;
	ev.time_us = t;
	return ev;
}

#define T0     1764100000000000ULL		  /* entry()'s opened */
#define BOOT_A "0123456789abcdef0123456789abcdef" /* entry()'s boot_id */
#define BOOT_B "fedcba9876543210fedcba9876543210"

static void
write_entry(const char *dir, uint32_t ses, const char *sub, const char *boot, uint64_t opened,
	    uint64_t closed)
{
	struct registry_entry e;
	struct oidc_err err = { 0 };

	entry(&e, ses, sub);
	free(e.boot_id);
	e.boot_id = strdup(boot);
	e.opened = opened;
	e.closed = closed;
	assert_int_equal(registry_write(dir, &e, &err), 0);
	registry_entry_free(&e);
}

static const char *
subject_of(struct enricher *en, const struct audit_event *ev, enum enrich_miss *why)
{
	const struct registry_entry *r = enrich_lookup(en, ev, why);

	assert_true((r != NULL) == (*why == ENRICH_FOUND));
	return r != NULL ? r->subject : NULL;
}

/* A live enricher of boot A over a registry tmpdir/name holding one entry of boot A. */
static struct enricher *
live_enricher(const char *name, uint32_t ses, const char *sub, uint64_t closed)
{
	struct enricher *en;
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/%s", tmpdir, name);
	write_entry(dir, ses, sub, BOOT_A, T0, closed);
	assert_int_equal(enrich_new(dir, &en), 0);
	assert_int_equal(enrich_set_boot_id(en, BOOT_A), 0);
	return en;
}

/* ev has an entry of its session number, which is not its own. */
static void
assert_unattributable(struct enricher *en, const struct audit_event *ev)
{
	enum enrich_miss why;

	assert_null(subject_of(en, ev, &why));
	assert_int_equal(why, ENRICH_MISMATCH);
}

static void
test_enrich(void **state)
{
	struct oidc_err err = { 0 };
	struct enricher *en;
	struct enrich_stats st;
	struct audit_event ev = ev_at(10, 4242, T0 + 5000000);
	enum enrich_miss why;
	char dir[128], dir2[128];

	snprintf(dir, sizeof(dir), "%s/reg", tmpdir);
	snprintf(dir2, sizeof(dir2), "%s/reg2", tmpdir);
	write_entry(dir, 10, "sub-ten", BOOT_A, T0, 0);

	assert_int_equal(enrich_new(dir, &en), 0);
	assert_int_equal(enrich_set_boot_id(en, "not-hex"), -EINVAL);
	assert_int_equal(enrich_set_boot_id(en, BOOT_A), 0);
	assert_string_equal(subject_of(en, &ev, &why), "sub-ten");
	assert_string_equal(subject_of(en, &ev, &why), "sub-ten");
	/* unset session and unknown sessions: nothing, and no entry to blame */
	ev.session = UINT32_MAX;
	assert_null(subject_of(en, &ev, &why));
	assert_int_equal(why, ENRICH_NO_ENTRY);
	ev.session = 11;
	assert_null(subject_of(en, &ev, &why));
	assert_int_equal(why, ENRICH_NO_ENTRY);
	enrich_get_stats(en, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.reads, 2);

	/*
	 * the entry of 11 appears: found at once, absence is never cached
	 * (the first commands of a session must not be dropped)
	 */
	write_entry(dir, 11, "sub-eleven", BOOT_A, T0, 0);
	assert_string_equal(subject_of(en, &ev, &why), "sub-eleven");

	/* a closed session stays known, even once its file is gone */
	assert_int_equal(registry_close(dir, 10, T0 + 9000000, &err), 0);
	{
		char p[160];

		snprintf(p, sizeof(p), "%s/10", dir);
		assert_int_equal(unlink(p), 0);
	}
	ev.session = 10;
	ev.time_us = T0 + 8000000;
	assert_string_equal(subject_of(en, &ev, &why), "sub-ten");

	/* another directory: cache dropped, 10 unknown there */
	write_entry(dir2, 12, "sub-twelve", BOOT_A, T0, 0);
	assert_int_equal(enrich_set_dir(en, dir2), 0);
	assert_null(subject_of(en, &ev, &why));
	ev.session = 12;
	assert_string_equal(subject_of(en, &ev, &why), "sub-twelve");
	enrich_free(en);
	enrich_free(NULL);
}

/*
 * Audit session ids start again at every boot: an entry written in
 * another boot (its boot_id is not this boot's) lends no identity to an
 * event of the same session number, even with the same login uid and in
 * its time window.
 */
static void
test_enrich_other_boot_not_attributed(void **state)
{
	struct enricher *en = live_enricher("reg-boot", 20, "sub-boot-a", 0);
	struct enrich_stats st;
	struct audit_event ev = ev_at(20, 4242, T0 + 1000000);
	enum enrich_miss why;

	assert_int_equal(enrich_set_boot_id(en, BOOT_B), 0);
	assert_unattributable(en, &ev);
	enrich_get_stats(en, &st);
	assert_int_equal(st.mismatched, 1);
	/* this boot's own entry for the number is attributed */
	assert_int_equal(enrich_set_boot_id(en, BOOT_A), 0);
	assert_string_equal(subject_of(en, &ev, &why), "sub-boot-a");
	enrich_free(en);
}

/* An event of another login uid with the session's number is not the session's. */
static void
test_enrich_other_loginuid_not_attributed(void **state)
{
	struct enricher *en = live_enricher("reg-auid", 21, "sub-auid", 0);
	struct audit_event ev = ev_at(21, 4243, T0 + 1000000);
	enum enrich_miss why;

	assert_unattributable(en, &ev);
	ev.loginuid = UINT32_MAX;
	assert_unattributable(en, &ev);
	ev.loginuid = 4242;
	assert_string_equal(subject_of(en, &ev, &why), "sub-auid");
	enrich_free(en);
}

/*
 * Only events inside [opened, closed], ENRICH_SLACK_US either side, are
 * the session's: an event ten weeks before the entry was opened, or one
 * well after the logout, gets no identity.
 */
static void
test_enrich_outside_window_not_attributed(void **state)
{
	static const struct {
		int64_t dt; /* event time - opened, µs */
		bool found;
	} cases[] = {
		{ -70LL * 86400 * 1000000, false }, /* ten weeks before */
		{ -ENRICH_SLACK_US - 1, false },
		{ -ENRICH_SLACK_US, true }, /* the slack: coarse kernel clock */
		{ 0, true },
		{ 60000000, true }, /* closed at +60 s */
		{ 60000000 + ENRICH_SLACK_US, true },
		{ 60000000 + ENRICH_SLACK_US + 1, false },
		{ 3600000000LL, false }, /* an hour after the logout */
	};
	struct enricher *en = live_enricher("reg-window", 22, "sub-window", T0 + 60000000);
	enum enrich_miss why;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct audit_event ev = ev_at(22, 4242, (uint64_t)((int64_t)T0 + cases[i].dt));

		if (cases[i].found)
			assert_string_equal(subject_of(en, &ev, &why), "sub-window");
		else
			assert_unattributable(en, &ev);
	}
	enrich_free(en);
}

/*
 * Live, an open entry is cached; the logout that closes it later is seen
 * once events have moved on, so a process left running after the logout
 * no longer carries the login's identity.
 */
static void
test_enrich_sees_logout(void **state)
{
	struct oidc_err err = { 0 };
	struct enricher *en = live_enricher("reg-logout", 23, "sub-logout", 0);
	struct audit_event ev = ev_at(23, 4242, T0 + 1000000);
	enum enrich_miss why;
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/reg-logout", tmpdir);
	assert_string_equal(subject_of(en, &ev, &why), "sub-logout");
	assert_int_equal(registry_close(dir, 23, T0 + 2000000, &err), 0);
	ev.time_us = T0 + 2500000;
	assert_string_equal(subject_of(en, &ev, &why), "sub-logout");
	ev.time_us = T0 + 10000000;
	assert_unattributable(en, &ev);
	enrich_free(en);
}

/*
 * A replay's registries may hold the same session number in several
 * boots: each event takes the entry of its own boot (as the assembler told
 * the boots apart), never one opened before its boot began, and a boot id
 * once seen in one boot of the input is not taken for another.
 */
static void
test_replay_keyed_by_boot_and_session(void **state)
{
	const char *dirs[2];
	struct oidc_err err = { 0 };
	struct enricher *en;
	struct enrich_stats st;
	struct audit_event ev;
	enum enrich_miss why;
	char d1[128], d2[128];
	const uint64_t t1 = T0 + 86400000000ULL; /* the second boot began a day later */

	snprintf(d1, sizeof(d1), "%s/replay-a", tmpdir);
	snprintf(d2, sizeof(d2), "%s/replay-b", tmpdir);
	write_entry(d1, 7, "sub-boot-a", BOOT_A, T0, 0); /* never closed: boot A crashed */
	write_entry(d2, 7, "sub-boot-b", BOOT_B, t1 + 60000000, 0);
	dirs[0] = d1;
	dirs[1] = d2;
	assert_int_equal(enrich_new_replay(dirs, 2, &en, &err), 0);
	enrich_get_stats(en, &st);
	assert_int_equal(st.cached, 2);

	/* the first boot of the input: boot A's login */
	ev = ev_at(7, 4242, T0 + 1000000);
	assert_string_equal(subject_of(en, &ev, &why), "sub-boot-a");
	/* the second boot, before B's login opened: A's entry is open but of an earlier boot */
	ev = ev_at(7, 4242, t1 + 1000000);
	ev.boot = 1;
	ev.boot_start_us = t1;
	assert_unattributable(en, &ev);
	/* then B's login */
	ev.time_us = t1 + 120000000;
	assert_string_equal(subject_of(en, &ev, &why), "sub-boot-b");
	/* another session number in neither registry */
	ev.session = 8;
	assert_null(subject_of(en, &ev, &why));
	assert_int_equal(why, ENRICH_NO_ENTRY);
	enrich_free(en);

	/*
	 * Without the boot start (the input begins inside the boot), B's
	 * boot id, once bound to the first boot of the input, is not taken
	 * for another: an event of a later boot whose start the input does
	 * not show, in B's window, stays unattributed.
	 */
	assert_int_equal(enrich_new_replay(dirs + 1, 1, &en, &err), 0);
	ev = ev_at(7, 4242, t1 + 120000000);
	assert_string_equal(subject_of(en, &ev, &why), "sub-boot-b");
	ev.boot = 1;
	ev.time_us = t1 + 130000000;
	assert_unattributable(en, &ev);
	enrich_free(en);

	/* a directory that cannot be read is an error that names it */
	dirs[0] = "/nonexistent/registry";
	assert_true(enrich_new_replay(dirs, 1, &en, &err) < 0);
	assert_non_null(strstr(err.msg, "/nonexistent/registry"));
}

static void
test_quote_argv(void **state)
{
	static const char *const src[] = { "ls", "-l", "/tmp/a b", "it's", "", "x\ny" };
	char *argv1[6];
	char *out = NULL;
	size_t len = 0, cap = 0, i;

	for (i = 0; i < 6; i++)
		argv1[i] = strdup(src[i]);

	assert_int_equal(fields_quote_argv(&out, &len, &cap, argv1, 6), 0);
	assert_string_equal(out, "ls -l '/tmp/a b' 'it'\\''s' '' 'x\ny'");
	assert_int_equal(len, strlen(out));
	free(out);
	for (i = 0; i < 6; i++)
		free(argv1[i]);
	out = NULL;
	len = cap = 0;
	assert_int_equal(fields_quote_argv(&out, &len, &cap, NULL, 0), 0);
	assert_string_equal(out, "");
	free(out);
}

static struct audit_event *
make_exec(void)
{
	struct audit_event *ev = calloc(1, sizeof(*ev));

	ev->kind = AUDIT_EV_EXEC;
	ev->time_us = 1764100001123000ULL;
	ev->serial = 777;
	ev->session = 10;
	ev->loginuid = 4242;
	ev->key = strdup("oidc-exec");
	ev->syscall = strdup("execve");
	ev->success = true;
	ev->pid = 100;
	ev->ppid = 99;
	ev->uid = 4242;
	ev->euid = 4242;
	ev->tty = strdup("pts0");
	ev->comm = strdup("cat");
	ev->exe = strdup("/usr/bin/cat");
	ev->cwd = strdup("/home/alice");
	ev->argc = 2;
	ev->argv = calloc(2, sizeof(char *));
	ev->argv[0] = strdup("cat");
	ev->argv[1] = strdup("x\" ses=1 \"\n\xff");
	ev->npaths = 1;
	ev->paths[0] = strdup("/usr/bin/cat");
	return ev;
}

static struct audit_event *
make_file(void)
{
	struct audit_event *ev = calloc(1, sizeof(*ev));

	ev->kind = AUDIT_EV_FILE;
	ev->time_us = 1764100002000000ULL;
	ev->serial = 778;
	ev->session = 10;
	ev->loginuid = 4242;
	ev->key = strdup("oidc-file");
	ev->syscall = strdup("renameat2");
	ev->success = false;
	ev->exit = -13;
	ev->pid = 101;
	ev->ppid = 99;
	ev->uid = 4242;
	ev->euid = 0;
	ev->exe = strdup("/usr/bin/mv");
	ev->cwd = strdup("/srv");
	ev->operation = strdup("rename");
	ev->npaths = 2;
	ev->paths[0] = strdup("/srv/secret/x\" ses=1 \"");
	ev->paths[1] = strdup("/srv/secret/new\nline");
	return ev;
}

static void
test_fields_exec(void **state)
{
	struct registry_entry e;
	struct audit_event *ev = make_exec();
	struct jfields f;
	const char *v;
	size_t vl;

	entry(&e, 10, "248163264128");
	jf_init(&f, 1 << 20);
	assert_int_equal(fields_from_event(&f, ev, &e, 0), 0);
	v = jf_find(&f, "OIDC_EVENT", &vl);
	assert_memory_equal(v, "exec", vl);
	v = jf_find(&f, "MESSAGE_ID", &vl);
	assert_memory_equal(v, OIDC_MESSAGE_ID_EXEC, 32);
	v = jf_find(&f, "OIDC_SUBJECT", &vl);
	assert_memory_equal(v, "248163264128", vl);
	v = jf_find(&f, "OIDC_EVENT_TIME", &vl);
	assert_memory_equal(v, "1764100001123000", vl);
	/* the argument is verbatim (quoted) in OIDC_ARGV, escaped in MESSAGE */
	v = jf_find(&f, "OIDC_ARGV", &vl);
	assert_int_equal(vl, strlen("cat 'x\" ses=1 \"\n\xff'"));
	assert_memory_equal(v, "cat 'x\" ses=1 \"\n\xff'", vl);
	v = jf_find(&f, "MESSAGE", &vl);
	assert_memory_equal(v, "alice@example.com (sub 248163264128) ran cat 'x\" ses=1 \"\\n\\xff'", vl);
	assert_null(memchr(v, '\n', vl));
	/* without an identity: no OIDC_SUBJECT, a message that says so */
	jf_reset(&f);
	assert_int_equal(fields_from_event(&f, ev, NULL, 0), 0);
	assert_null(jf_find(&f, "OIDC_SUBJECT", NULL));
	v = jf_find(&f, "MESSAGE", &vl);
	assert_non_null(strstr(v, "no OIDC identity"));
	/* other kinds are refused */
	ev->kind = AUDIT_EV_LOGIN;
	jf_reset(&f);
	assert_int_equal(fields_from_event(&f, ev, &e, 0), -EINVAL);
	jf_free(&f);
	audit_event_free(ev);
	registry_entry_free(&e);
}

/*
 * A file named with a right-to-left override reads as another name; a CSI
 * (U+009B) in an argument or a provider's subject steers a terminal.  All
 * three stay verbatim in their fields and are escaped in MESSAGE.
 */
static void
test_fields_message_escapes_invisible(void **state)
{
	struct registry_entry e;
	struct audit_event *ev = make_file(), *ex = make_exec();
	struct jfields f;
	const char *v;
	size_t vl;

	entry(&e, 10,
	      "\xe2\x81\xa6"
	      "evil\xc2\x9b"
	      "2J");
	free(ev->paths[0]);
	ev->paths[0] = strdup("/srv/secret/\xe2\x80\xaetxt.yralas");
	ev->npaths = 1;
	ev->success = true;
	jf_init(&f, 1 << 20);
	assert_int_equal(fields_from_event(&f, ev, &e, 0), 0);
	v = jf_find(&f, "MESSAGE", &vl);
	assert_int_equal(
		vl,
		strlen("alice@example.com (sub \\u2066evil\\u009b2J) renamed /srv/secret/\\u202etxt.yralas"));
	assert_memory_equal(
		v,
		"alice@example.com (sub \\u2066evil\\u009b2J) renamed /srv/secret/\\u202etxt.yralas",
		vl);
	v = jf_find(&f, "OIDC_PATH", &vl);
	assert_int_equal(vl, strlen("/srv/secret/\xe2\x80\xaetxt.yralas"));
	assert_memory_equal(v, "/srv/secret/\xe2\x80\xaetxt.yralas", vl);
	v = jf_find(&f, "OIDC_SUBJECT", &vl);
	assert_int_equal(vl, strlen("\xe2\x81\xa6"
				    "evil\xc2\x9b"
				    "2J"));
	assert_memory_equal(v,
			    "\xe2\x81\xa6"
			    "evil\xc2\x9b"
			    "2J",
			    vl);

	free(ex->argv[1]);
	ex->argv[1] = strdup("\xc2\x9b"
			     "31m\xef\xbb\xbf");
	jf_reset(&f);
	assert_int_equal(fields_from_event(&f, ex, NULL, 0), 0);
	v = jf_find(&f, "MESSAGE", &vl);
	assert_non_null(memmem(v, vl, "ran cat '\\u009b31m\\ufeff'",
			       strlen("ran cat '\\u009b31m\\ufeff'")));
	v = jf_find(&f, "OIDC_ARGV", &vl);
	assert_int_equal(vl, strlen("cat '\xc2\x9b"
				    "31m\xef\xbb\xbf'"));
	assert_memory_equal(v,
			    "cat '\xc2\x9b"
			    "31m\xef\xbb\xbf'",
			    vl);
	jf_free(&f);
	audit_event_free(ev);
	audit_event_free(ex);
	registry_entry_free(&e);
}

static void
test_fields_message_cap(void **state)
{
	struct registry_entry e;
	struct audit_event *ev = make_exec();
	struct jfields f;
	const char *v;
	size_t vl;

	free(ev->argv[1]);
	ev->argv[1] = calloc(1, 10000);
	memset(ev->argv[1], 'a', 9999);
	entry(&e, 10, "a-very-long-subject-identifier");
	jf_init(&f, 1 << 20);
	assert_int_equal(fields_from_event(&f, ev, &e, 100), 0);
	v = jf_find(&f, "MESSAGE", &vl);
	assert_true(vl < 100);
	assert_memory_equal(v + vl - 3, "...", 3);
	/* the subject is shortened in MESSAGE, whole in its field */
	assert_non_null(strstr(v, "(sub a-very-long-\xe2\x80\xa6)"));
	v = jf_find(&f, "OIDC_ARGV", &vl);
	assert_int_equal(vl, 4 + 9999);
	jf_free(&f);
	audit_event_free(ev);
	registry_entry_free(&e);
}

static void
test_json_golden(void **state)
{
	struct registry_entry e;
	struct audit_event *ev1 = make_exec(), *ev2 = make_file();
	struct jfields f;
	char path[128], *golden_path, *golden, *got;
	size_t glen, len;
	FILE *out;

	snprintf(path, sizeof(path), "%s/out.json", tmpdir);
	out = fopen(path, "w");
	assert_non_null(out);
	entry(&e, 10, "248163264128");
	jf_init(&f, 1 << 20);
	assert_int_equal(fields_from_event(&f, ev1, &e, 0), 0);
	assert_int_equal(sink_json_write(out, &f), 0);
	jf_reset(&f);
	assert_int_equal(fields_from_event(&f, ev2, &e, 0), 0);
	assert_int_equal(sink_json_write(out, &f), 0);
	jf_reset(&f);
	assert_int_equal(fields_from_event(&f, ev2, NULL, 0), 0);
	assert_int_equal(sink_json_write(out, &f), 0);
	jf_reset(&f);
	assert_int_equal(fields_loss(&f, "serial-gap", 3, 10, "audit serial numbers were skipped"), 0);
	assert_int_equal(sink_json_write(out, &f), 0);
	assert_int_equal(fclose(out), 0);

	got = th_read_file(path, &len);
	golden_path = th_srcpath("tests/unit/data/audit_sink.golden");
	golden = th_read_file(golden_path, &glen);
	if (len != glen || memcmp(got, golden, len) != 0) {
		/* leave the output beside the test for a diff */
		FILE *keep = fopen("audit_sink.out", "w");

		if (keep != NULL) {
			fwrite(got, 1, len, keep);
			fclose(keep);
		}
		fail_msg("JSON output differs from %s (see audit_sink.out)", golden_path);
	}
	free(got);
	free(golden);
	free(golden_path);
	jf_free(&f);
	audit_event_free(ev1);
	audit_event_free(ev2);
	registry_entry_free(&e);
}

/* sink_ocsf_write of f, parsed back; NULL when it wrote nothing (returned 1). */
static json_object *
ocsf_of(const struct jfields *f, const char *host, uint64_t entry_time_us)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	json_object *o = NULL;
	int r;

	assert_non_null(out);
	r = sink_ocsf_write(out, f, host, entry_time_us);
	assert_int_equal(fclose(out), 0);
	assert_true(r == 0 || r == 1);
	if (r == 1) {
		assert_int_equal(len, 0);
	} else {
		/* one object on one line */
		assert_true(len > 2 && buf[len - 1] == '\n' && memchr(buf, '\n', len - 1) == NULL);
		o = json_tokener_parse(buf);
		assert_non_null(o);
	}
	free(buf);
	return o;
}

/* The value at a dotted path of o ("actor.user.uid"), or NULL. */
static json_object *
at(json_object *o, const char *path)
{
	char tmp[128], *save = NULL, *k;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (k = strtok_r(tmp, ".", &save); k != NULL && o != NULL; k = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, k, &o))
			o = NULL;
	return o;
}

static int64_t
at_int(json_object *o, const char *path)
{
	json_object *v = at(o, path);

	if (v == NULL || !json_object_is_type(v, json_type_int))
		fail_msg("%s: no integer", path);
	return json_object_get_int64(v);
}

static const char *
at_str(json_object *o, const char *path)
{
	json_object *v = at(o, path);

	if (v == NULL || !json_object_is_type(v, json_type_string))
		fail_msg("%s: no string", path);
	return json_object_get_string(v);
}

/* A warning is no evidence of anyone's doing: no OCSF event, nothing written. */
static void
test_ocsf_warning_writes_nothing(void **state)
{
	struct jfields f;

	(void)state;
	jf_init(&f, 1 << 16);
	assert_int_equal(fields_warning(&f, "io_uring is not restricted"), 0);
	assert_null(ocsf_of(&f, "h", 1));
	jf_free(&f);
}

/*
 * The module's login entry (no OIDC_EVENT_TIME): Authentication Logon at
 * the journal's time, the identity as user and actor.user, the host given;
 * a MESSAGE with quotes, a newline and ESC comes back byte for byte.
 */
static void
test_ocsf_login_entry(void **state)
{
	static const char msg[] = "alice \"x\"\n\x1b[2J logged in";
	struct jfields f;
	json_object *o;

	(void)state;
	jf_init(&f, 1 << 16);
	assert_int_equal(jf_add(&f, JF_MESSAGE, msg, sizeof(msg) - 1), 0);
	assert_int_equal(jf_add_str(&f, OIDC_F_EVENT, OIDC_EV_LOGIN), 0);
	assert_int_equal(jf_add_str(&f, OIDC_F_ISSUER, "https://idp.example"), 0);
	assert_int_equal(jf_add_str(&f, OIDC_F_SUBJECT, "2481"), 0);
	assert_int_equal(jf_add_str(&f, OIDC_F_USERNAME, "alice"), 0);
	assert_int_equal(jf_add_str(&f, OIDC_F_REMOTE_HOST, "2001:db8::7"), 0);
	o = ocsf_of(&f, "web1", 1764100000123456ull);
	assert_int_equal(at_int(o, "class_uid"), 3002);
	assert_int_equal(at_int(o, "category_uid"), 3);
	assert_int_equal(at_int(o, "type_uid"), 300201);
	assert_int_equal(at_int(o, "status_id"), 1);
	assert_int_equal(at_int(o, "time"), 1764100000123);
	assert_string_equal(at_str(o, "message"), msg);
	assert_string_equal(at_str(o, "user.uid"), "2481");
	assert_string_equal(at_str(o, "user.domain"), "https://idp.example");
	assert_string_equal(at_str(o, "actor.user.name"), "alice");
	assert_string_equal(at_str(o, "device.hostname"), "web1");
	assert_string_equal(at_str(o, "src_endpoint.ip"), "2001:db8::7");
	assert_string_equal(at_str(o, "metadata.version"), OCSF_VERSION);
	assert_string_equal(at_str(o, "unmapped.OIDC_SUBJECT"), "2481");
	json_object_put(o);
	jf_free(&f);
}

/* A forwarded record's node= names the device, not the host that reads it. */
static void
test_ocsf_node_names_device(void **state)
{
	struct audit_event *ev = make_file();
	struct registry_entry e;
	struct jfields f;
	json_object *o;

	(void)state;
	entry(&e, 10, "248163264128");
	jf_init(&f, 1 << 20);
	assert_int_equal(fields_from_event(&f, ev, &e, 0), 0);
	assert_int_equal(jf_add_str(&f, OIDC_F_AUDIT_NODE, "db7"), 0);
	o = ocsf_of(&f, "collector", 1);
	assert_int_equal(at_int(o, "class_uid"), 1001);
	assert_string_equal(at_str(o, "device.hostname"), "db7");
	assert_int_equal(at_int(o, "time"), (int64_t)(ev->time_us / 1000));
	json_object_put(o);
	jf_free(&f);
	audit_event_free(ev);
	registry_entry_free(&e);
}

/* An operation the mapping does not know is Other (99), named, not guessed. */
static void
test_ocsf_unknown_operation_is_other(void **state)
{
	struct jfields f;
	json_object *o;

	(void)state;
	jf_init(&f, 1 << 16);
	assert_int_equal(jf_add_str(&f, OIDC_F_EVENT, OIDC_EV_FILE), 0);
	assert_int_equal(jf_add_str(&f, OIDC_F_PATH, "/srv/x"), 0);
	assert_int_equal(jf_add_str(&f, OIDC_F_OPERATION, "frobnicate"), 0);
	o = ocsf_of(&f, NULL, 1000);
	assert_int_equal(at_int(o, "activity_id"), 99);
	assert_int_equal(at_int(o, "type_uid"), 100199);
	assert_string_equal(at_str(o, "activity_name"), "frobnicate");
	assert_null(at(o, "device.hostname"));
	assert_int_equal(at_int(o, "status_id"), 0);
	json_object_put(o);
	jf_free(&f);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void
test_conf(void **state)
{
	struct audit_conf c;
	struct oidc_err err = { 0 };
	char path[128];

	snprintf(path, sizeof(path), "%s/oidc-audit.conf", tmpdir);
	audit_conf_init(&c);
	assert_int_equal(audit_conf_load(&c, "/nonexistent/oidc-audit.conf", &err), -ENOENT);
	write_file(path, "# comment\n registry_dir = /tmp/reg \nall_sessions=yes\noutput = json # trailing\n"
		   "kernel_status_interval = 0\nwindow_ms=500\nbackfill = no\naudit_log=/tmp/a.log\n", 0644);
	assert_int_equal(audit_conf_load(&c, path, &err), 0);
	assert_string_equal(c.registry_dir, "/tmp/reg");
	assert_true(c.all_sessions);
	assert_int_equal(c.output, AUDIT_OUTPUT_JSON);
	assert_int_equal(c.status_interval, 0);
	assert_int_equal(c.window_ms, 500);
	assert_false(c.backfill);
	assert_string_equal(c.audit_log, "/tmp/a.log");

	/* errors name the line; a bad file changes nothing */
	write_file(path, "all_sessions = no\nbogus = 1\n", 0644);
	oidc_err_clear(&err);
	assert_int_equal(audit_conf_load(&c, path, &err), -EINVAL);
	assert_non_null(strstr(err.msg, ":2:"));
	assert_non_null(strstr(err.msg, "bogus"));
	assert_true(c.all_sessions);
	write_file(path, "window_ms = 99999999\n", 0644);
	oidc_err_clear(&err);
	assert_int_equal(audit_conf_load(&c, path, &err), -EINVAL);
	assert_int_equal(c.window_ms, 500);
	write_file(path, "registry_dir = relative/path\n", 0644);
	assert_int_equal(audit_conf_load(&c, path, &err), -EINVAL);
	write_file(path, "all_sessions\n", 0644);
	assert_int_equal(audit_conf_load(&c, path, &err), -EINVAL);
	write_file(path, "all_sessions = maybe\n", 0644);
	assert_int_equal(audit_conf_load(&c, path, &err), -EINVAL);
	/* world-writable file refused */
	write_file(path, "all_sessions = no\n", 0666);
	assert_true(audit_conf_load(&c, path, &err) < 0);
	assert_true(c.all_sessions);
	audit_conf_free(&c);
	audit_conf_free(&c);
}

/*
 * oidc-audit.conf must be owned by root even when the reader is not root
 * (the policy of pam_oidc.conf): its audit_log decides what a root
 * back-fill writes as _UID=0.  The reader here is uid 65534, owning it.
 */
static void
test_conf_owned_by_reader_not_root_refused(void **state)
{
	char dir[128], path[160];
	pid_t pid;
	int st;

	if (geteuid() != 0)
		skip();
	snprintf(dir, sizeof(dir), "%s/byuser", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chmod(tmpdir, 0755), 0);
	snprintf(path, sizeof(path), "%s/oidc-audit.conf", dir);
	write_file(path, "audit_log = /tmp/forged.log\n", 0644);
	assert_int_equal(chown(path, 65534, 65534), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct audit_conf c;
		struct oidc_err err = { 0 };
		int r;

		if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
			_exit(3);
		audit_conf_init(&c);
		r = audit_conf_load(&c, path, &err);
		if (r != -EPERM || c.audit_log != NULL || strstr(err.msg, "root") == NULL)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(chmod(tmpdir, 0700), 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * As root, an audit log is replayed only when root owns it, nobody else
 * may write it and it is no symbolic link: otherwise its writer's lines
 * would reach the journal as _UID=0 evidence.
 */
static void
test_audit_log_root_replays_only_root_owned(void **state)
{
	char good[128], path[128], link[128];
	const char *why = NULL;
	int fd;

	if (geteuid() != 0)
		skip();
	snprintf(good, sizeof(good), "%s/good.log", tmpdir);
	write_file(good, "", 0600);
	fd = audit_log_open(good, &why);
	assert_true(fd >= 0);
	close(fd);

	snprintf(path, sizeof(path), "%s/user.log", tmpdir);
	write_file(path, "", 0600);
	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_int_equal(audit_log_open(path, &why), -EPERM);
	assert_string_equal(why, "not owned by root");

	snprintf(path, sizeof(path), "%s/groupw.log", tmpdir);
	write_file(path, "", 0620);
	assert_int_equal(audit_log_open(path, &why), -EPERM);
	assert_string_equal(why, "writable by group or others");

	snprintf(link, sizeof(link), "%s/link.log", tmpdir);
	assert_int_equal(symlink(good, link), 0);
	assert_int_equal(audit_log_open(link, &why), -ELOOP);
	assert_string_equal(why, "a symbolic link");
	assert_int_equal(audit_log_open(tmpdir, &why), -EINVAL);
}

static void
test_replay_order(void **state)
{
	static const char *const fs[] = { "audit.log", "audit.log.1", "other.log", "audit.log.3",
					  "audit.log.2", "x.10", "x.9" };
	static const char *const ls[] = { "/var/log/audit/audit.log", "/var/log/audit/audit.log.2",
					  "/var/log/audit/audit.log.1" };
	char *f[7], *l[3];
	size_t i;

	for (i = 0; i < 7; i++)
		f[i] = strdup(fs[i]);
	for (i = 0; i < 3; i++)
		l[i] = strdup(ls[i]);

	replay_sort_files(f, 7);
	assert_string_equal(f[0], "audit.log.3");
	assert_string_equal(f[1], "audit.log.2");
	assert_string_equal(f[2], "audit.log.1");
	assert_string_equal(f[3], "audit.log");
	assert_string_equal(f[4], "other.log");
	assert_string_equal(f[5], "x.10");
	assert_string_equal(f[6], "x.9");
	replay_sort_files(l, 3);
	assert_string_equal(l[0], "/var/log/audit/audit.log.2");
	assert_string_equal(l[2], "/var/log/audit/audit.log");
	for (i = 0; i < 7; i++)
		free(f[i]);
	for (i = 0; i < 3; i++)
		free(l[i]);
}

static void
test_list_logs(void **state)
{
	char base[128], p[160], **v = NULL;
	size_t n = 0, i;

	snprintf(base, sizeof(base), "%s/audit.log", tmpdir);
	assert_int_equal(backfill_list_logs(base, &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);
	write_file(base, "", 0600);
	for (i = 1; i <= 3; i++) {
		snprintf(p, sizeof(p), "%s.%zu", base, i);
		write_file(p, "", 0600);
	}
	snprintf(p, sizeof(p), "%s.5", base);	/* after a gap: not auditd's */
	write_file(p, "", 0600);
	assert_int_equal(backfill_list_logs(base, &v, &n), 0);
	assert_int_equal(n, 4);
	assert_non_null(strstr(v[0], "audit.log.3"));
	assert_non_null(strstr(v[2], "audit.log.1"));
	assert_string_equal(v[3], base);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enrich),
		cmocka_unit_test(test_enrich_other_boot_not_attributed),
		cmocka_unit_test(test_enrich_other_loginuid_not_attributed),
		cmocka_unit_test(test_enrich_outside_window_not_attributed),
		cmocka_unit_test(test_enrich_sees_logout),
		cmocka_unit_test(test_replay_keyed_by_boot_and_session),
		cmocka_unit_test(test_quote_argv),
		cmocka_unit_test(test_fields_exec),
		cmocka_unit_test(test_fields_message_escapes_invisible),
		cmocka_unit_test(test_fields_message_cap),
		cmocka_unit_test(test_json_golden),
		cmocka_unit_test(test_ocsf_warning_writes_nothing),
		cmocka_unit_test(test_ocsf_login_entry),
		cmocka_unit_test(test_ocsf_node_names_device),
		cmocka_unit_test(test_ocsf_unknown_operation_is_other),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_conf_owned_by_reader_not_root_refused),
		cmocka_unit_test(test_audit_log_root_replays_only_root_owned),
		cmocka_unit_test(test_replay_order),
		cmocka_unit_test(test_list_logs),
	};

	return cmocka_run_group_tests_name("audit_sink", tests, group_setup, group_teardown);
}
