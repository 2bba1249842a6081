/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the assembler (auditd-helper/assemble.c) and the event
 * builder (event.c) on generated record streams.
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
#include <cmocka.h>

#include "assemble.h"
#include "oidc_err.h"

#define MAX_EVENTS 64

struct sink {
	struct audit_event *ev[MAX_EVENTS];
	size_t n;
	size_t total;		/* all delivered, also those not kept */
	size_t groups;
	size_t group_records;
};

static void
on_event(struct audit_event *ev, void *arg)
{
	struct sink *s = arg;

	s->total++;
	if (s->n < MAX_EVENTS)
		s->ev[s->n++] = ev;
	else
		audit_event_free(ev);
}

static void
on_group(const struct audit_record *const *recs, size_t n, bool incomplete, void *arg)
{
	struct sink *s = arg;

	(void)recs;
	(void)incomplete;
	s->groups++;
	s->group_records += n;
}

/* An assembler feeding s; boots: tell the boots of the input apart (cfg.boots). */
static struct assembler *
mk_boots(struct sink *s, enum assembler_mode mode, unsigned window_records, size_t max_pending,
	 bool boots)
{
	struct assembler_config cfg = {
		.mode = mode,
		.window_records = window_records,
		.max_pending = max_pending,
		.boots = boots,
		.on_event = on_event,
		.on_group = on_group,
		.arg = s,
	};
	struct assembler *a = NULL;
	struct oidc_err err;

	memset(s, 0, sizeof(*s));
	oidc_err_clear(&err);
	assert_int_equal(assembler_new(&cfg, &a, &err), 0);
	return a;
}

static struct assembler *
mk(struct sink *s, enum assembler_mode mode, unsigned window_records, size_t max_pending)
{
	return mk_boots(s, mode, window_records, max_pending, false);
}

static void
sink_clear(struct sink *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		audit_event_free(s->ev[i]);
	s->n = 0;
}

static void
done(struct assembler *a, struct sink *s)
{
	assembler_free(a);
	sink_clear(s);
}

static void
feed(struct assembler *a, const char *fmt, ...)
{
	char line[AUDIT_MAX_RECORD_LEN + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(line));
	assert_int_equal(assembler_feed_line(a, line, (size_t)n, 0), 0);
}

static struct audit_event *
find(struct sink *s, uint64_t serial, const char *node)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->ev[i]->serial == serial &&
		    (node == NULL ? s->ev[i]->node == NULL
				  : s->ev[i]->node != NULL && strcmp(s->ev[i]->node, node) == 0))
			return s->ev[i];
	fail_msg("no event %llu", (unsigned long long)serial);
	abort();	/* not reached: fail_msg does not return */
}

static void
hex(char *out, size_t outlen, const char *s, size_t n)
{
	size_t i;

	assert_true(outlen > n * 2);
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02X", (unsigned char)s[i]);
	out[2 * n] = '\0';
}

#define SC_EXEC(serial, extra) \
	"type=SYSCALL msg=audit(1700000000.123:" #serial "): arch=c000003e syscall=59 " \
	"success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=99 pid=100 auid=1001 " \
	"uid=1001 gid=1001 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=7 " \
	"comm=\"cat\" exe=\"/usr/bin/cat\" key=\"oidc-exec\"" extra

static void
feed_exec(struct assembler *a, unsigned serial, bool eoe)
{
	feed(a, "type=SYSCALL msg=audit(1700000000.123:%u): arch=c000003e syscall=59 success=yes "
	     "exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=99 pid=100 auid=1001 uid=1001 "
	     "gid=1001 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=7 comm=\"cat\" "
	     "exe=\"/usr/bin/cat\" key=\"oidc-exec\"\x1d" "ARCH=x86_64 SYSCALL=execve AUID=\"alice\"",
	     serial);
	feed(a, "type=EXECVE msg=audit(1700000000.123:%u): argc=2 a0=\"cat\" a1=\"/etc/shadow\"", serial);
	feed(a, "type=CWD msg=audit(1700000000.123:%u): cwd=\"/home/alice\"", serial);
	feed(a, "type=PATH msg=audit(1700000000.123:%u): item=0 name=\"/usr/bin/cat\" inode=1 "
	     "dev=fe:00 mode=0100755 nametype=NORMAL", serial);
	feed(a, "type=PATH msg=audit(1700000000.123:%u): item=1 name=\"/lib64/ld-linux-x86-64.so.2\" "
	     "inode=2 dev=fe:00 mode=0100755 nametype=NORMAL", serial);
	feed(a, "type=PROCTITLE msg=audit(1700000000.123:%u): proctitle=636174002F6574632F736861646F77",
	     serial);
	if (eoe)
		feed(a, "type=EOE msg=audit(1700000000.123:%u): ", serial);
}

static void
check_exec(const struct audit_event *e, uint64_t serial)
{
	assert_int_equal(e->kind, AUDIT_EV_EXEC);
	assert_int_equal(e->serial, serial);
	assert_true(e->time_us == 1700000000123000ull);
	assert_string_equal(e->syscall, "execve");
	assert_int_equal(e->syscall_nr, 59);
	assert_int_equal(e->arch, 0xc000003e);
	assert_true(e->success);
	assert_int_equal(e->exit, 0);
	assert_int_equal(e->pid, 100);
	assert_int_equal(e->ppid, 99);
	assert_int_equal(e->uid, 1001);
	assert_int_equal(e->euid, 0);
	assert_int_equal(e->session, 7);
	assert_int_equal(e->loginuid, 1001);
	assert_string_equal(e->tty, "pts1");
	assert_string_equal(e->comm, "cat");
	assert_string_equal(e->exe, "/usr/bin/cat");
	assert_string_equal(e->key, "oidc-exec");
	assert_string_equal(e->cwd, "/home/alice");
	assert_int_equal(e->argc, 2);
	assert_string_equal(e->argv[0], "cat");
	assert_string_equal(e->argv[1], "/etc/shadow");
	assert_false(e->argv_truncated);
	assert_string_equal(e->operation, "exec");
	assert_int_equal(e->npaths, 2);
	assert_string_equal(e->paths[0], "/usr/bin/cat");
	assert_string_equal(e->paths[1], "/lib64/ld-linux-x86-64.so.2");
	assert_string_equal(e->path_nametype[0], "NORMAL");
	assert_int_equal(e->first_type, AUDIT_T_SYSCALL);
}

static void
test_eoe_exec(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_EOE, 0, 0);
	struct assembler_stats st;

	(void)state;
	feed_exec(a, 500, false);
	/* plugin mode waits for EOE: PROCTITLE does not end the event */
	assert_int_equal(s.n, 0);
	feed(a, "type=EOE msg=audit(1700000000.123:500): ");
	assert_int_equal(s.n, 1);
	check_exec(s.ev[0], 500);
	assert_false(s.ev[0]->incomplete);
	assert_int_equal(s.ev[0]->nrecords, 6);
	assembler_get_stats(a, &st);
	assert_int_equal(st.records, 7);
	assert_int_equal(st.events, 1);
	assert_int_equal(st.incomplete, 0);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.pending_bytes, 0);
	/* an EOE nobody waits for is counted */
	feed(a, "type=EOE msg=audit(1700000000.123:500): ");
	assembler_get_stats(a, &st);
	assert_int_equal(st.orphan_eoe, 1);
	assert_int_equal(s.n, 1);
	done(a, &s);
}

static void
test_window_proctitle(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_WINDOW, 0, 0);

	(void)state;
	feed_exec(a, 501, false);
	assert_int_equal(s.n, 1);	/* PROCTITLE closes it in replay mode */
	check_exec(s.ev[0], 501);
	assert_false(s.ev[0]->incomplete);
	done(a, &s);
}

static void
test_split_args(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_EOE, 0, 0);
	char *big = malloc(24001), *h0 = malloc(24000 + 1), *h1 = malloc(24000 + 1);
	const char *spaced = "a \"quoted\" arg\nwith newline\tand \xc3\xa9";
	char hs[256];
	size_t i;
	struct audit_event *e;

	(void)state;
	assert_non_null(big);
	assert_non_null(h0);
	assert_non_null(h1);
	for (i = 0; i < 24000; i++)
		big[i] = (char)('a' + i % 26);
	big[24000] = '\0';
	hex(h0, 24001, big, 12000);
	hex(h1, 24001, big + 12000, 12000);
	hex(hs, sizeof(hs), spaced, strlen(spaced));

	feed(a, SC_EXEC(600, ""));
	feed(a, "type=EXECVE msg=audit(1700000000.123:600): argc=4 a0=\"/bin/echo\" a1_len=48000 a1[0]=%s", h0);
	feed(a, "type=EXECVE msg=audit(1700000000.123:600):  a1[1]=%s", h1);
	feed(a, "type=EXECVE msg=audit(1700000000.123:600): a2=%s a3=\"\"", hs);
	feed(a, "type=EOE msg=audit(1700000000.123:600): ");
	assert_int_equal(s.n, 1);
	e = s.ev[0];
	assert_int_equal(e->argc, 4);
	assert_string_equal(e->argv[0], "/bin/echo");
	assert_int_equal(strlen(e->argv[1]), 24000);
	assert_string_equal(e->argv[1], big);
	assert_string_equal(e->argv[2], spaced);
	assert_string_equal(e->argv[3], "");
	assert_false(e->argv_truncated);
	sink_clear(&s);

	/* a lost EXECVE record: the missing argument is empty and flagged */
	feed(a, SC_EXEC(601, ""));
	feed(a, "type=EXECVE msg=audit(1700000000.123:601): argc=3 a0=\"ls\" a2=\"-l\"");
	feed(a, "type=EOE msg=audit(1700000000.123:601): ");
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0]->argc, 3);
	assert_string_equal(s.ev[0]->argv[1], "");
	assert_string_equal(s.ev[0]->argv[2], "-l");
	assert_true(s.ev[0]->argv_truncated);
	sink_clear(&s);

	/* argc over the cap, and indexes beyond argc */
	feed(a, SC_EXEC(602, ""));
	feed(a, "type=EXECVE msg=audit(1700000000.123:602): argc=99999 a0=\"x\"");
	feed(a, "type=EXECVE msg=audit(1700000000.123:602): a99998=\"y\"");
	feed(a, "type=EOE msg=audit(1700000000.123:602): ");
	assert_int_equal(s.ev[0]->argc, AUDIT_MAX_ARGC);
	assert_true(s.ev[0]->argv_truncated);
	assert_string_equal(s.ev[0]->argv[0], "x");
	done(a, &s);
	free(big);
	free(h0);
	free(h1);
}

static void
test_hostile_names(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_WINDOW, 0, 0);
	const char *evil = "x\" ses=1 \"";
	const char *nl = "line1\nline2";
	char h1[64], h2[64];

	(void)state;
	hex(h1, sizeof(h1), evil, strlen(evil));
	hex(h2, sizeof(h2), nl, strlen(nl));
	feed(a, "type=SYSCALL msg=audit(1.000:700): arch=c000003e syscall=257 success=yes exit=3 "
	     "a0=ffffff9c a1=1 a2=0 a3=0 items=1 ppid=1 pid=2 auid=1001 uid=1001 euid=1001 "
	     "tty=(none) ses=7 comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)");
	feed(a, "type=CWD msg=audit(1.000:700): cwd=%s", h2);
	feed(a, "type=PATH msg=audit(1.000:700): item=0 name=%s nametype=NORMAL", h1);
	feed(a, "type=PROCTITLE msg=audit(1.000:700): proctitle=00");
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0]->kind, AUDIT_EV_FILE);
	assert_int_equal(s.ev[0]->session, 7);		/* not the 1 inside the name */
	assert_null(s.ev[0]->tty);
	assert_null(s.ev[0]->key);
	assert_string_equal(s.ev[0]->cwd, nl);
	/* relative name joined to a cwd that is not absolute: kept as is */
	assert_string_equal(s.ev[0]->paths[0], evil);
	assert_string_equal(s.ev[0]->operation, "read");
	done(a, &s);
}

/* One file event; name and nametype per PATH item, NULL-terminated pairs. */
static struct audit_event *
file_event(struct sink *s, struct assembler *a, unsigned serial, int nr, const char *args,
	   bool success, const char *extra_record, ...)
{
	va_list ap;
	const char *name, *type;
	int item = 0;

	feed(a, "type=SYSCALL msg=audit(1.000:%u): arch=c000003e syscall=%d success=%s exit=%d "
	     "%s items=2 ppid=1 pid=2 auid=1001 uid=1001 euid=1001 tty=(none) ses=7 comm=\"t\" "
	     "exe=\"/usr/bin/t\" key=\"k\"", serial, nr, success ? "yes" : "no", success ? 0 : -2,
	     args);
	feed(a, "type=CWD msg=audit(1.000:%u): cwd=\"/srv/data/\"", serial);
	if (extra_record != NULL)
		feed(a, "type=%s", extra_record);
	va_start(ap, extra_record);
	while ((name = va_arg(ap, const char *)) != NULL) {
		type = va_arg(ap, const char *);
		feed(a, "type=PATH msg=audit(1.000:%u): item=%d name=%s nametype=%s", serial, item++,
		     name, type);
	}
	va_end(ap);
	feed(a, "type=PROCTITLE msg=audit(1.000:%u): proctitle=74", serial);
	assert_int_equal(s->n, 1);
	return s->ev[0];
}

static void
test_file_ops(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_WINDOW, 0, 0);
	struct audit_event *e;

	(void)state;
	/* openat(AT_FDCWD, "new", O_WRONLY|O_CREAT|O_TRUNC): created */
	e = file_event(&s, a, 800, 257, "a0=ffffff9c a1=1 a2=241 a3=1b6", true, NULL,
		       "\"/srv/data/\"", "PARENT", "\"new\"", "CREATE", NULL);
	assert_int_equal(e->kind, AUDIT_EV_FILE);
	assert_string_equal(e->syscall, "openat");
	assert_string_equal(e->operation, "create");
	assert_int_equal(e->npaths, 1);
	assert_string_equal(e->paths[0], "/srv/data/new");	/* no double slash */
	assert_string_equal(e->path_nametype[0], "CREATE");
	sink_clear(&s);
	/* O_CREAT on a file that exists, read-only: a read */
	e = file_event(&s, a, 801, 257, "a0=ffffff9c a1=1 a2=40 a3=1b6", true, NULL,
		       "\"/etc/passwd\"", "NORMAL", NULL);
	assert_string_equal(e->operation, "read");
	sink_clear(&s);
	/* O_CREAT that failed: the intent was to create; only the PARENT item */
	e = file_event(&s, a, 802, 257, "a0=ffffff9c a1=1 a2=41 a3=1b6", false, NULL,
		       "\"/srv/secret/\"", "PARENT", NULL);
	assert_string_equal(e->operation, "create");
	assert_false(e->success);
	assert_int_equal(e->exit, -2);
	assert_string_equal(e->paths[0], "/srv/secret/");
	sink_clear(&s);
	/* O_RDWR via open(2): flags in a1 */
	e = file_event(&s, a, 803, 2, "a0=7ff a1=2 a2=0 a3=0", true, NULL,
		       "\"rel/f\"", "NORMAL", NULL);
	assert_string_equal(e->syscall, "open");
	assert_string_equal(e->operation, "write");
	assert_string_equal(e->paths[0], "/srv/data/rel/f");
	sink_clear(&s);
	/* O_TRUNC alone is a write */
	e = file_event(&s, a, 804, 257, "a0=ffffff9c a1=1 a2=200 a3=0", true, NULL,
		       "\"/f\"", "NORMAL", NULL);
	assert_string_equal(e->operation, "write");
	sink_clear(&s);
	/* openat2: flags from the OPENAT2 record (octal) */
	e = file_event(&s, a, 805, 437, "a0=ffffff9c a1=1 a2=7ffc a3=18", true,
		       "OPENAT2 msg=audit(1.000:805): oflag=01 mode=0 resolve=0x0",
		       "\"/f\"", "NORMAL", NULL);
	assert_string_equal(e->syscall, "openat2");
	assert_string_equal(e->operation, "write");
	sink_clear(&s);
	/* a name relative to another directory fd cannot be resolved */
	e = file_event(&s, a, 806, 257, "a0=3 a1=1 a2=0 a3=0", true, NULL,
		       "\"f\"", "NORMAL", NULL);
	assert_string_equal(e->paths[0], "f");
	sink_clear(&s);
	/* unlinkat: the DELETE item, not the PARENT */
	e = file_event(&s, a, 807, 263, "a0=ffffff9c a1=1 a2=0 a3=0", true, NULL,
		       "\"/srv/data\"", "PARENT", "\"g1\"", "DELETE", NULL);
	assert_string_equal(e->operation, "delete");
	assert_int_equal(e->npaths, 1);
	assert_string_equal(e->paths[0], "/srv/data/g1");
	sink_clear(&s);
	/* renameat2(AT_FDCWD, "f1", 3, "g1"): source resolved, destination relative to fd 3 */
	e = file_event(&s, a, 808, 316, "a0=ffffff9c a1=1 a2=3 a3=2", true, NULL,
		       "\"/srv/data\"", "PARENT", "\"/srv/data\"", "PARENT", "\"f1\"", "DELETE",
		       "\"g1\"", "CREATE", "\"/srv/x/g1\"", "DELETE", NULL);
	assert_string_equal(e->operation, "rename");
	assert_int_equal(e->npaths, 3);
	assert_string_equal(e->paths[0], "/srv/data/f1");
	assert_string_equal(e->paths[1], "g1");
	assert_string_equal(e->paths[2], "/srv/x/g1");
	sink_clear(&s);
	/* chmod, fchownat, truncate, mkdir, unknown syscall */
	e = file_event(&s, a, 809, 90, "a0=1 a1=1ed a2=0 a3=0", true, NULL, "\"/f\"", "NORMAL", NULL);
	assert_string_equal(e->operation, "chmod");
	sink_clear(&s);
	e = file_event(&s, a, 810, 260, "a0=ffffff9c a1=1 a2=0 a3=0", true, NULL, "\"/f\"", "NORMAL", NULL);
	assert_string_equal(e->operation, "chown");
	sink_clear(&s);
	e = file_event(&s, a, 811, 76, "a0=1 a1=0 a2=0 a3=0", true, NULL, "\"/f\"", "NORMAL", NULL);
	assert_string_equal(e->operation, "truncate");
	sink_clear(&s);
	e = file_event(&s, a, 812, 83, "a0=1 a1=0 a2=0 a3=0", true, NULL,
		       "\"/\"", "PARENT", "\"/d\"", "CREATE", NULL);
	assert_string_equal(e->operation, "mkdir");
	assert_string_equal(e->paths[0], "/d");
	sink_clear(&s);
	/* cwd without a trailing slash gets one */
	feed(a, "type=SYSCALL msg=audit(1.000:814): arch=c000003e syscall=87 success=yes exit=0 "
	     "a0=1 ses=7 auid=1001");
	feed(a, "type=CWD msg=audit(1.000:814): cwd=\"/srv/bench\"");
	feed(a, "type=PATH msg=audit(1.000:814): item=0 name=\"/srv/bench\" nametype=PARENT");
	feed(a, "type=PATH msg=audit(1.000:814): item=1 name=\"./x y\" nametype=DELETE");
	feed(a, "type=PROCTITLE msg=audit(1.000:814): proctitle=74");
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ev[0]->paths[0], "/srv/bench/./x y");
	assert_int_equal(s.ev[0]->npaths, 1);
	sink_clear(&s);
	/* execveat(fd, "", AT_EMPTY_PATH): an empty name is not joined to the cwd */
	e = file_event(&s, a, 815, 322, "a0=3 a1=1 a2=0 a3=1000", true, NULL, "\"\"", "NORMAL", NULL);
	assert_int_equal(e->kind, AUDIT_EV_EXEC);
	assert_string_equal(e->paths[0], "");
	sink_clear(&s);
	e = file_event(&s, a, 816, 59, "a0=1 a1=1 a2=0 a3=0", true, NULL, "\"\"", "NORMAL", NULL);
	assert_string_equal(e->paths[0], "");
	sink_clear(&s);
	e = file_event(&s, a, 813, 44, "a0=1 a1=0 a2=0 a3=0", true, NULL, NULL);
	assert_int_equal(e->kind, AUDIT_EV_OTHER);
	assert_null(e->operation);
	done(a, &s);
}

/*
 * The i386 ABI (arch=40000003, also int $0x80 from a 64-bit process) has
 * numbers of its own: each call must be the same kind of event, with the
 * same operation, as its x86_64 twin.  Records as the kernel writes them
 * without ENRICHED names, so only the table can tell.
 */
static void
test_i386_file_ops(void **state)
{
	static const struct {
		int nr;
		const char *args, *name, *nametype, *syscall, *operation;
		enum audit_event_kind kind;
	} cases[] = {
		/* open(name, O_RDONLY|O_LARGEFILE|O_CLOEXEC), relative to the cwd */
		{ 5, "a0=40dd3000 a1=88000 a2=0 a3=0", "\"sshd_config\"", "NORMAL", "open", "read",
		  AUDIT_EV_FILE },
		{ 5, "a0=40dd3000 a1=8241 a2=1b6 a3=0", "\"new\"", "CREATE", "open", "create",
		  AUDIT_EV_FILE },
		{ 295, "a0=ffffff9c a1=40dd3000 a2=8002 a3=0", "\"sshd_config\"", "NORMAL",
		  "openat", "write", AUDIT_EV_FILE },
		{ 8, "a0=40dd3000 a1=1b6 a2=0 a3=0", "\"new\"", "CREATE", "creat", "create",
		  AUDIT_EV_FILE },
		{ 437, "a0=ffffff9c a1=40dd3000 a2=ffd0 a3=18", "\"sshd_config\"", "NORMAL",
		  "openat2", "read", AUDIT_EV_FILE },
		{ 193, "a0=40dd3000 a1=0 a2=0 a3=0", "\"sshd_config\"", "NORMAL", "truncate64",
		  "truncate", AUDIT_EV_FILE },
		{ 10, "a0=40dd3000 a1=0 a2=0 a3=0", "\"old\"", "DELETE", "unlink", "delete",
		  AUDIT_EV_FILE },
		{ 15, "a0=40dd3000 a1=1ff a2=0 a3=0", "\"sshd_config\"", "NORMAL", "chmod", "chmod",
		  AUDIT_EV_FILE },
		{ 452, "a0=ffffff9c a1=40dd3000 a2=1ff a3=0", "\"sshd_config\"", "NORMAL",
		  "fchmodat2", "chmod", AUDIT_EV_FILE },
		{ 212, "a0=40dd3000 a1=0 a2=0 a3=0", "\"sshd_config\"", "NORMAL", "chown32",
		  "chown", AUDIT_EV_FILE },
		{ 11, "a0=40dd3000 a1=40dd4000 a2=0 a3=0", "\"/bin/cat\"", "NORMAL", "execve",
		  "exec", AUDIT_EV_EXEC },
		/* 2 is fork there, not open: passed over */
		{ 2, "a0=0 a1=0 a2=0 a3=0", "\"sshd_config\"", "NORMAL", NULL, NULL,
		  AUDIT_EV_OTHER },
	};
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_WINDOW, 0, 0);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned serial = 950 + (unsigned)i;
		struct audit_event *e;

		feed(a,
		     "type=SYSCALL msg=audit(1.000:%u): arch=40000003 syscall=%d success=yes exit=3 "
		     "%s items=1 ppid=1 pid=2 auid=1001 uid=65534 euid=65534 tty=(none) ses=9 "
		     "comm=\"br\" exe=\"/usr/bin/br\" key=\"oidc-file\"",
		     serial, cases[i].nr, cases[i].args);
		feed(a, "type=CWD msg=audit(1.000:%u): cwd=\"/etc/ssh\"", serial);
		feed(a, "type=PATH msg=audit(1.000:%u): item=0 name=%s nametype=%s", serial,
		     cases[i].name, cases[i].nametype);
		feed(a, "type=PROCTITLE msg=audit(1.000:%u): proctitle=6272", serial);
		assert_int_equal(s.n, 1);
		e = s.ev[0];
		assert_int_equal(e->arch, 0x40000003u);
		assert_int_equal(e->syscall_nr, cases[i].nr);
		assert_int_equal(e->kind, cases[i].kind);
		if (cases[i].syscall == NULL) {
			assert_null(e->syscall);
			assert_null(e->operation);
		} else {
			assert_string_equal(e->syscall, cases[i].syscall);
			assert_string_equal(e->operation, cases[i].operation);
			assert_int_equal(e->session, 9);
			assert_string_equal(e->key, "oidc-file");
			assert_non_null(e->paths[0]);
			assert_true(strncmp(e->paths[0], "/", 1) == 0);
		}
		sink_clear(&s);
	}
	done(a, &s);
}

static void
test_enriched_syscall(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_WINDOW, 0, 0);

	(void)state;
	/* an arch without a table: the ENRICHED name classifies the call */
	feed(a, "type=SYSCALL msg=audit(1.000:900): arch=deadbeef syscall=9999 success=yes exit=0 "
	     "a0=ffffff9c a1=1 a2=0 ses=3 auid=5\x1d" "ARCH=mystery SYSCALL=unlinkat AUID=\"x\"");
	feed(a, "type=PATH msg=audit(1.000:900): item=0 name=\"/a/b\" nametype=DELETE");
	feed(a, "type=PROCTITLE msg=audit(1.000:900): proctitle=74");
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0]->kind, AUDIT_EV_FILE);
	assert_string_equal(s.ev[0]->syscall, "unlinkat");
	assert_string_equal(s.ev[0]->operation, "delete");
	sink_clear(&s);
	/* the ENRICHED name never overrides the number on a known arch */
	feed(a, "type=SYSCALL msg=audit(1.000:901): arch=c000003e syscall=44 success=yes exit=0 "
	     "ses=3 auid=5\x1d" "ARCH=x86_64 SYSCALL=execve");
	feed(a, "type=PROCTITLE msg=audit(1.000:901): proctitle=74");
	assert_int_equal(s.ev[0]->kind, AUDIT_EV_OTHER);
	assert_int_equal(s.ev[0]->syscall_nr, 44);
	done(a, &s);
}

static void
test_login(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_WINDOW, 0, 0);
	struct audit_event *e;

	(void)state;
	feed(a, "type=LOGIN msg=audit(1795639440.075:11117): pid=16406 uid=0 old-auid=4294967295 "
	     "auid=1001 tty=(none) old-ses=4294967295 ses=2 res=1\x1dUID=\"root\"");
	assert_int_equal(s.n, 0);	/* waits for its SYSCALL */
	feed(a, "type=SYSCALL msg=audit(1795639440.075:11117): arch=c000003e syscall=1 success=yes "
	     "exit=5 a0=1 a1=5609 a2=5 a3=0 items=0 ppid=16405 pid=16406 auid=1001 uid=0 gid=0 "
	     "euid=0 tty=(none) ses=2 comm=\"sh\" exe=\"/usr/bin/dash\" key=(null)");
	feed(a, "type=PROCTITLE msg=audit(1795639440.075:11117): proctitle=7368");
	assert_int_equal(s.n, 1);
	e = s.ev[0];
	assert_int_equal(e->kind, AUDIT_EV_LOGIN);
	assert_int_equal(e->nrecords, 3);
	assert_int_equal(e->first_type, AUDIT_T_LOGIN);
	assert_int_equal(e->session, 2);
	assert_int_equal(e->loginuid, 1001);
	assert_int_equal(e->old_session, UINT32_MAX);
	assert_int_equal(e->old_loginuid, UINT32_MAX);
	assert_int_equal(e->pid, 16406);
	assert_true(e->success);
	assert_null(e->syscall);	/* write(2): not in our table, no ENRICHED name */
	assert_int_equal(e->syscall_nr, 1);
	done(a, &s);
}

static void
test_interleave_nodes(void **state)
{
	struct sink s;
	struct assembler *a;
	int mode;

	(void)state;
	for (mode = 0; mode < 2; mode++) {
		a = mk(&s, mode == 0 ? ASSEMBLER_MODE_EOE : ASSEMBLER_MODE_WINDOW, 0, 0);
		/* two events with the same serial on two nodes, a third without node, interleaved */
		feed(a, "node=alpha " SC_EXEC(42, ""));
		feed(a, "node=beta type=SYSCALL msg=audit(2.000:42): arch=c000003e syscall=87 "
		     "success=no exit=-13 a0=1 items=1 ppid=1 pid=7 auid=1002 uid=1002 euid=1002 "
		     "tty=(none) ses=9 comm=\"rm\" exe=\"/usr/bin/rm\" key=(null)");
		feed(a, SC_EXEC(43, ""));
		feed(a, "node=alpha type=EXECVE msg=audit(1700000000.123:42): argc=1 a0=\"alpha\"");
		feed(a, "type=EXECVE msg=audit(1700000000.123:43): argc=1 a0=\"plain\"");
		feed(a, "node=beta type=PATH msg=audit(2.000:42): item=0 name=\"/x/y\" nametype=NORMAL");
		feed(a, "node=alpha type=CWD msg=audit(1700000000.123:42): cwd=\"/a\"");
		assert_int_equal(s.n, 0);
		feed(a, "node=beta type=PROCTITLE msg=audit(2.000:42): proctitle=726D");
		feed(a, "type=PROCTITLE msg=audit(1700000000.123:43): proctitle=6C73");
		feed(a, "node=alpha type=PROCTITLE msg=audit(1700000000.123:42): proctitle=6C73");
		if (mode == 0) {
			assert_int_equal(s.n, 0);
			feed(a, "type=EOE msg=audit(1700000000.123:43): ");
			feed(a, "node=beta type=EOE msg=audit(2.000:42): ");
			feed(a, "node=alpha type=EOE msg=audit(1700000000.123:42): ");
		}
		assert_int_equal(s.n, 3);
		assert_string_equal(find(&s, 42, "alpha")->argv[0], "alpha");
		assert_string_equal(find(&s, 42, "alpha")->cwd, "/a");
		assert_int_equal(find(&s, 42, "alpha")->nrecords, 4);
		assert_int_equal(find(&s, 42, "beta")->kind, AUDIT_EV_FILE);
		assert_string_equal(find(&s, 42, "beta")->operation, "delete");
		assert_string_equal(find(&s, 42, "beta")->paths[0], "/x/y");
		assert_int_equal(find(&s, 42, "beta")->exit, -13);
		assert_int_equal(find(&s, 42, "beta")->session, 9);
		assert_string_equal(find(&s, 43, NULL)->argv[0], "plain");
		assert_null(find(&s, 43, NULL)->node);
		assert_false(find(&s, 43, NULL)->incomplete);
		done(a, &s);
	}
}

static void
test_window(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_WINDOW, 4, 0);
	struct assembler_stats st;
	unsigned i;

	(void)state;
	/* no PROCTITLE: the event closes once more than 4 foreign records followed it */
	feed(a, SC_EXEC(1000, ""));
	for (i = 0; i < 4; i++)
		feed(a, "type=USER_CMD msg=audit(1.000:%u): pid=1 msg='cmd=6C73 res=success'", 2000 + i);
	assert_int_equal(s.n, 4);	/* the single-record user messages only */
	feed(a, "type=CWD msg=audit(1.000:3000): cwd=\"/\"");
	assert_int_equal(s.n, 5);
	assert_int_equal(s.ev[4]->serial, 1000);
	assert_true(s.ev[4]->incomplete);
	/* a late record of a closed event starts another, and is counted */
	feed(a, "type=EXECVE msg=audit(1700000000.123:1000): argc=1 a0=\"late\"");
	assembler_get_stats(a, &st);
	assert_int_equal(st.late_records, 1);
	assert_int_equal(st.pending, 2);
	sink_clear(&s);
	/* time window: tick closes what has been quiet too long */
	assembler_flush(a);
	sink_clear(&s);
	assert_int_equal(assembler_feed_line(a, SC_EXEC(1001, ""), strlen(SC_EXEC(1001, "")), 10000), 0);
	assembler_tick(a, 10000 + ASSEMBLER_DEFAULT_WINDOW_MS);
	assert_int_equal(s.n, 0);
	assembler_tick(a, 10000 + ASSEMBLER_DEFAULT_WINDOW_MS + 1);
	assert_int_equal(s.n, 1);
	assert_true(s.ev[0]->incomplete);
	assert_string_equal(s.ev[0]->exe, "/usr/bin/cat");
	/* flush closes everything */
	sink_clear(&s);
	feed(a, SC_EXEC(1002, ""));
	feed(a, SC_EXEC(1003, ""));
	assembler_flush(a);
	assert_int_equal(s.n, 2);
	assembler_get_stats(a, &st);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.pending_bytes, 0);
	done(a, &s);
}

static void
test_garbage_lines(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_EOE, 0, 0);
	struct assembler_stats st;
	char *huge = malloc(AUDIT_MAX_RECORD_LEN + 100);
	static const char junk[] = "\x00\x01\xff garbage \x1d type= msg=audit(";

	(void)state;
	assert_non_null(huge);
	memset(huge, 'A', AUDIT_MAX_RECORD_LEN + 99);
	memcpy(huge, "type=PATH msg=audit(1.000:5): name=", 35);
	assert_int_equal(assembler_feed_line(a, huge, AUDIT_MAX_RECORD_LEN + 99, 0), 0);
	assert_int_equal(assembler_feed_line(a, junk, sizeof(junk) - 1, 0), 0);
	feed(a, "hello");
	feed(a, "type=PATH msg=audit(1.000:5): item=0 name=\"/cut");
	assert_int_equal(assembler_feed_line(a, "\n", 1, 0), 0);	/* empty: ignored */
	assembler_get_stats(a, &st);
	assert_int_equal(st.lines, 4);
	assert_int_equal(st.garbage, 2);
	assert_int_equal(st.truncated, 2);	/* the over-long line and the cut record */
	assert_int_equal(st.records, 1);
	assembler_flush(a);
	assert_int_equal(s.n, 1);
	assert_true(s.ev[0]->incomplete);
	assert_string_equal(s.ev[0]->paths[0], "/cut");

	/* the same through the byte stream, with a long line split over chunks */
	sink_clear(&s);
	assert_int_equal(assembler_feed_bytes(a, huge, AUDIT_MAX_RECORD_LEN + 99, 0), 0);
	{
		const char *rest = "more of it\ntype=EOE msg=audit(1.000:77): \n";

		assert_int_equal(assembler_feed_bytes(a, rest, strlen(rest), 0), 0);
	}
	assembler_get_stats(a, &st);
	assert_int_equal(st.truncated, 3);
	assert_int_equal(st.orphan_eoe, 1);	/* the line after the long one was seen */
	done(a, &s);
	free(huge);
}

static void
test_feed_bytes(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_EOE, 0, 0);
	char stream[4096];
	int n;
	size_t i;

	(void)state;
	n = snprintf(stream, sizeof(stream),
		     SC_EXEC(1100, "\n")
		     "type=EXECVE msg=audit(1700000000.123:1100): argc=2 a0=\"cat\" a1=\"/etc/shadow\"\n"
		     "type=CWD msg=audit(1700000000.123:1100): cwd=\"/home/alice\"\r\n"
		     "type=PATH msg=audit(1700000000.123:1100): item=0 name=\"/usr/bin/cat\" nametype=NORMAL\n"
		     "type=PATH msg=audit(1700000000.123:1100): item=1 name=\"/lib64/ld-linux-x86-64.so.2\" nametype=NORMAL\n"
		     "type=EOE msg=audit(1700000000.123:1100): \n");
	assert_true(n > 0 && (size_t)n < sizeof(stream));
	/* one byte at a time: every line crosses chunk boundaries */
	for (i = 0; i < (size_t)n; i++)
		assert_int_equal(assembler_feed_bytes(a, stream + i, 1, 0), 0);
	assert_int_equal(s.n, 1);
	check_exec(s.ev[0], 1100);
	/* a last line without newline is fed by flush */
	sink_clear(&s);
	assert_int_equal(assembler_feed_bytes(a, stream, (size_t)n - 1, 0), 0);
	assert_int_equal(s.n, 0);
	assembler_flush(a);
	assert_int_equal(s.n, 1);
	assert_false(s.ev[0]->incomplete);
	done(a, &s);
}

static void
test_bounded_flood(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_EOE, 1000000, 100);
	struct assembler_stats st;
	unsigned i;

	(void)state;
	/* 100,000 distinct serials, none ever completed by EOE or window */
	for (i = 0; i < 100000; i++) {
		feed(a, "type=CWD msg=audit(1.000:%u): cwd=\"/\"", 5000000 + (i * 7919u) % 100000);
		if (i % 1000 == 0) {
			assembler_get_stats(a, &st);
			assert_true(st.pending <= 100);
			assert_true(st.pending_bytes <= 100 * 64);
		}
	}
	assembler_get_stats(a, &st);
	assert_int_equal(st.pending, 100);
	assert_int_equal(st.evicted, 100000 - 100);
	assert_int_equal(st.events, 100000 - 100);
	assert_int_equal(s.total, 100000 - 100);
	assembler_flush(a);
	assembler_get_stats(a, &st);
	assert_int_equal(st.events, 100000);
	assert_int_equal(st.incomplete, 100000);
	assert_int_equal(s.groups, 100000);
	done(a, &s);

	/* records per event are capped too */
	a = mk(&s, ASSEMBLER_MODE_EOE, 0, 0);
	for (i = 0; i < ASSEMBLER_DEFAULT_MAX_RECORDS + 50; i++)
		feed(a, "type=PATH msg=audit(1.000:9): item=%u name=\"/p\" nametype=NORMAL", i);
	feed(a, "type=EOE msg=audit(1.000:9): ");
	assembler_get_stats(a, &st);
	assert_int_equal(st.records_dropped, 50);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0]->nrecords, ASSEMBLER_DEFAULT_MAX_RECORDS);
	assert_true(s.ev[0]->incomplete);
	assert_int_equal(s.ev[0]->npaths, AUDIT_MAX_PATHS);
	done(a, &s);
}

static void
test_skip_other_and_user(void **state)
{
	struct sink s;
	struct assembler_config cfg = {
		.mode = ASSEMBLER_MODE_EOE, .skip_other = true, .on_event = on_event, .arg = &s,
	};
	struct assembler *a = NULL;
	struct assembler_stats st;
	struct oidc_err err;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(assembler_new(&cfg, &a, &err), 0);
	/* user-space single records complete at once, even in EOE mode */
	feed(a, "type=USER_LOGIN msg=audit(1.000:1): pid=1 uid=0 auid=1001 ses=4 msg='op=login "
	     "acct=\"alice\" res=success'");
	feed(a, "type=DAEMON_START msg=audit(1.000:2): op=start ver=3.0.9 res=success");
	feed_exec(a, 3, true);
	assembler_get_stats(a, &st);
	assert_int_equal(st.events, 3);
	assert_int_equal(st.events_skipped, 2);
	assert_int_equal(st.pending, 0);
	assert_int_equal(s.n, 1);
	check_exec(s.ev[0], 3);
	done(a, &s);

	/* without skip_other they arrive as OTHER with their header */
	a = mk(&s, ASSEMBLER_MODE_EOE, 0, 0);
	feed(a, "type=USER_LOGIN msg=audit(1.000:1): pid=1 uid=0 auid=1001 ses=4 msg='op=login "
	     "acct=\"alice\" res=success'");
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0]->kind, AUDIT_EV_OTHER);
	assert_int_equal(s.ev[0]->first_type, 1112);
	assert_int_equal(s.ev[0]->session, 4);
	assert_int_equal(s.ev[0]->loginuid, 1001);
	assert_true(s.ev[0]->success);
	assert_false(s.ev[0]->incomplete);
	done(a, &s);

	/* no callback: refused */
	cfg.on_event = NULL;
	oidc_err_clear(&err);
	assert_int_equal(assembler_new(&cfg, &a, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_USAGE);
	assembler_free(NULL);
	audit_event_free(NULL);
}

static void
test_serial_gaps(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_WINDOW, 0, 0);
	struct assembler_stats st;

	(void)state;
	/* auditd numbers its DAEMON_* records itself: no gap from 1184 to 11111 */
	feed(a, "type=DAEMON_START msg=audit(1.000:1184): op=start ver=3.0.9 res=success");
	feed(a, "type=CWD msg=audit(1.000:11111): cwd=\"/\"");
	feed(a, "type=CWD msg=audit(1.000:11112): cwd=\"/\"");
	assembler_get_stats(a, &st);
	assert_int_equal(st.serial_gaps, 0);
	/* 11113..11115 missing */
	feed(a, "type=CWD msg=audit(1.000:11116): cwd=\"/\"");
	assembler_get_stats(a, &st);
	assert_int_equal(st.serial_gaps, 3);
	/* one of them arrives late (interleaving): one fewer */
	feed(a, "type=CWD msg=audit(1.000:11114): cwd=\"/\"");
	assembler_get_stats(a, &st);
	assert_int_equal(st.serial_gaps, 2);
	/* another node counts on its own */
	feed(a, "node=b type=CWD msg=audit(1.000:5): cwd=\"/\"");
	feed(a, "node=b type=CWD msg=audit(1.000:7): cwd=\"/\"");
	assembler_get_stats(a, &st);
	assert_int_equal(st.serial_gaps, 3);
	done(a, &s);
}

/*
 * audit.log spans boots and the kernel's serials start again at each: the
 * first kernel record after a DAEMON_START whose serial is lower than the
 * boot's highest, or after a DAEMON_START older than the newest kernel
 * record (the clock went back), begins a new boot; an auditd restart
 * within a boot does not.  Each event carries its boot and that boot's
 * start, per node.
 */
static void
test_boots_split_at_daemon_start(void **state)
{
	static const char *const stream[] = {
		"type=CWD msg=audit(100.000:1000): cwd=\"/\"",
		"type=CWD msg=audit(101.000:1001): cwd=\"/\"",
		/* auditd restarts, the kernel counts on: the same boot */
		"type=DAEMON_START msg=audit(102.000:5000): op=start ver=3.0.9 res=success",
		"type=CWD msg=audit(102.010:1002): cwd=\"/\"",
		/* a reboot: the counter starts again, a held record is older than auditd's start */
		"type=DAEMON_START msg=audit(200.000:7): op=start ver=3.0.9 res=success",
		"type=CWD msg=audit(199.500:3): cwd=\"/\"",
		"type=CWD msg=audit(200.100:4): cwd=\"/\"",
		/* a reboot with the clock set back, more records before auditd than the last boot had */
		"type=DAEMON_START msg=audit(150.000:8): op=start ver=3.0.9 res=success",
		"type=CWD msg=audit(150.010:10): cwd=\"/\"",
		/* another node is a machine of its own */
		"node=b type=CWD msg=audit(300.000:2): cwd=\"/\"",
	};
	static const struct {
		uint64_t serial;
		const char *node;
		uint32_t boot;
		uint64_t start_us;
	} want[] = {
		/* the first boot: its start is not in the input */
		{ 1000, NULL, 0, 0 },
		{ 1001, NULL, 0, 0 },
		{ 1002, NULL, 0, 0 },
		/* the second begins with its oldest record */
		{ 3, NULL, 1, 199500000 },
		{ 4, NULL, 1, 199500000 },
		/* the third with auditd's start */
		{ 10, NULL, 2, 150000000 },
		{ 2, "b", 0, 0 },
	};
	struct assembler_stats st;
	struct assembler *a;
	struct sink s;
	size_t i;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		a = mk_boots(&s, ASSEMBLER_MODE_WINDOW, 0, 0, pass == 0);
		for (i = 0; i < sizeof(stream) / sizeof(stream[0]); i++)
			feed(a, "%s", stream[i]);
		assembler_flush(a);
		assembler_get_stats(a, &st);
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			const struct audit_event *e = find(&s, want[i].serial, want[i].node);

			/* without cfg.boots (the live stream) everything is one boot */
			assert_int_equal(e->boot, pass == 0 ? want[i].boot : 0);
			assert_true(e->boot_start_us == (pass == 0 ? want[i].start_us : 0));
		}
		assert_int_equal(st.boots, pass == 0 ? 2 : 0);
		/* each boot counts serial gaps from its own start */
		if (pass == 0)
			assert_int_equal(st.serial_gaps, 0);
		done(a, &s);
	}
}

static void
test_key_multi(void **state)
{
	struct sink s;
	struct assembler *a = mk(&s, ASSEMBLER_MODE_WINDOW, 0, 0);

	(void)state;
	/* two keys: hex "k1\x01k2" */
	feed(a, "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=59 success=yes exit=0 "
	     "ses=1 auid=1 key=6B31016B32");
	feed(a, "type=PROCTITLE msg=audit(1.000:1): proctitle=74");
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ev[0]->key, "k1,k2");
	assert_int_equal(s.ev[0]->argc, 0);
	assert_null(s.ev[0]->argv);
	done(a, &s);
}

/* Every string an event holds is readable to its NUL and within the caps. */
static void
check_sane(const struct audit_event *e)
{
	size_t i;

	assert_true(e->nrecords >= 1);
	assert_true(e->npaths <= AUDIT_MAX_PATHS);
	assert_true(e->argc <= AUDIT_MAX_ARGC);
	for (i = 0; i < e->argc; i++)
		assert_true(strlen(e->argv[i]) <= AUDIT_MAX_ARGV_BYTES);
	for (i = 0; i < e->npaths; i++)
		if (e->paths[i] != NULL)
			assert_true(strlen(e->paths[i]) < 2 * AUDIT_MAX_RECORD_LEN);
	if (e->exe != NULL)
		assert_true(strlen(e->exe) < AUDIT_MAX_RECORD_LEN);
	if (e->cwd != NULL)
		assert_true(strlen(e->cwd) < AUDIT_MAX_RECORD_LEN);
	if (e->node != NULL)
		assert_true(strlen(e->node) < AUDIT_MAX_RECORD_LEN);
}

static void
on_event_check(struct audit_event *ev, void *arg)
{
	struct sink *s = arg;

	check_sane(ev);
	s->total++;
	audit_event_free(ev);
}

static void
test_random_mutations(void **state)
{
	static const char *const seeds[] = {
		SC_EXEC(10, "\x1d" "ARCH=x86_64 SYSCALL=execve AUID=\"alice\""),
		"type=EXECVE msg=audit(1700000000.123:10): argc=3 a0=\"echo\" a1_len=8 a1[0]=41424344 a1[1]=45464748 a2=6869",
		"type=CWD msg=audit(1700000000.123:10): cwd=\"/srv/bench\"",
		"type=PATH msg=audit(1700000000.123:10): item=0 name=\"f1\" inode=1 nametype=DELETE\x1dOUID=\"alice\"",
		"type=PATH msg=audit(1700000000.123:10): item=1 name=2F6574632F736861646F77 nametype=CREATE",
		"type=PROCTITLE msg=audit(1700000000.123:10): proctitle=6D76006631006731",
		"type=EOE msg=audit(1700000000.123:10): ",
		"node=h1 type=LOGIN msg=audit(1.000:11): pid=1 uid=0 old-auid=4294967295 auid=1001 tty=(none) old-ses=4294967295 ses=2 res=1",
		"type=USER_LOGIN msg=audit(1.000:12): pid=1 uid=0 auid=1001 ses=4 msg='op=login acct=\"alice\" res=success'",
		"type=SYSCALL msg=audit(1.000:13): arch=c000003e syscall=316 success=yes exit=0 a0=ffffff9c a1=1 a2=ffffff9c a3=2 ses=2 auid=1001",
		"type=OPENAT2 msg=audit(1.000:14): oflag=0101 mode=0 resolve=0x0",
		"type=SOCKADDR msg=audit(1.000:15): saddr=1000\x1dSADDR={ saddr_fam=netlink nlnk-fam=16 }",
	};
	static const char interesting[] = "\"' =()\x1d{}:.0123456789abcdefABCDEF[]_\n\r\t\\\x00\xff";
	struct assembler_config cfg = {
		.mode = ASSEMBLER_MODE_WINDOW, .window_records = 32, .max_pending = 16,
		.max_records = 8, .on_event = on_event_check,
	};
	struct assembler *a = NULL;
	struct assembler_stats st;
	struct oidc_err err;
	struct sink s;
	unsigned long long x = 12345;
	char line[1024];
	unsigned iter;
	int mode;

	(void)state;
	for (mode = 0; mode < 2; mode++) {
		memset(&s, 0, sizeof(s));
		cfg.arg = &s;
		cfg.mode = mode ? ASSEMBLER_MODE_EOE : ASSEMBLER_MODE_WINDOW;
		assert_int_equal(assembler_new(&cfg, &a, &err), 0);
		for (iter = 0; iter < 40000; iter++) {
			const char *seed;
			size_t len, k, nmut;

			x = x * 6364136223846793005ull + 1442695040888963407ull;
			seed = seeds[(x >> 33) % (sizeof(seeds) / sizeof(seeds[0]))];
			len = strlen(seed);
			memcpy(line, seed, len);
			nmut = 1 + (x >> 40) % 4;
			for (k = 0; k < nmut && len > 0; k++) {
				size_t pos, n;

				x = x * 6364136223846793005ull + 1442695040888963407ull;
				pos = (size_t)(x >> 33) % len;
				switch ((x >> 20) % 5) {
				case 0:	/* replace a byte */
					line[pos] = interesting[(x >> 45) % (sizeof(interesting) - 1)];
					break;
				case 1:	/* truncate */
					len = pos;
					break;
				case 2:	/* delete a range */
					n = (size_t)((x >> 50) % 16);
					if (pos + n > len)
						n = len - pos;
					memmove(line + pos, line + pos + n, len - pos - n);
					len -= n;
					break;
				case 3:	/* duplicate a range */
					n = (size_t)((x >> 50) % 32);
					if (pos + n > len)
						n = len - pos;
					if (len + n < sizeof(line)) {
						memmove(line + pos + n, line + pos, len - pos);
						len += n;
					}
					break;
				default:	/* another serial */
					if (len > 40 && memchr(line, ':', len) != NULL)
						line[(x >> 45) % len] = (char)('0' + (x >> 55) % 10);
					break;
				}
			}
			if (iter % 3 == 0)
				assert_int_equal(assembler_feed_bytes(a, line, len, iter), 0);
			else
				assert_int_equal(assembler_feed_line(a, line, len, iter), 0);
			if (iter % 1000 == 0)
				assembler_tick(a, iter);
			assembler_get_stats(a, &st);
			assert_true(st.pending <= 16);
			assert_true(st.records + st.garbage <= st.lines);
		}
		assembler_flush(a);
		assembler_get_stats(a, &st);
		assert_int_equal(st.pending, 0);
		assert_int_equal(st.pending_bytes, 0);
		assert_int_equal(st.events, s.total + st.build_errors);
		assert_int_equal(st.build_errors, 0);
		assert_true(st.garbage > 1000);		/* the mutations did break headers */
		assert_true(st.events > 100);		/* and many records still made events */
		print_message("# mutations (%s): lines %llu records %llu garbage %llu truncated "
			      "%llu events %llu evicted %llu dropped %llu\n", mode ? "eoe" : "window",
			      (unsigned long long)st.lines, (unsigned long long)st.records,
			      (unsigned long long)st.garbage, (unsigned long long)st.truncated,
			      (unsigned long long)st.events, (unsigned long long)st.evicted,
			      (unsigned long long)st.records_dropped);
		assembler_free(a);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eoe_exec),
		cmocka_unit_test(test_window_proctitle),
		cmocka_unit_test(test_split_args),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_file_ops),
		cmocka_unit_test(test_enriched_syscall),
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_interleave_nodes),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_garbage_lines),
		cmocka_unit_test(test_feed_bytes),
		cmocka_unit_test(test_bounded_flood),
		cmocka_unit_test(test_skip_other_and_user),
		cmocka_unit_test(test_serial_gaps),
		cmocka_unit_test(test_boots_split_at_daemon_start),
		cmocka_unit_test(test_key_multi),
		cmocka_unit_test(test_random_mutations),
		cmocka_unit_test(test_i386_file_ops),
	};

	return cmocka_run_group_tests_name("audit_assemble", tests, NULL, NULL);
}
