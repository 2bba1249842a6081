/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the audit record parser (auditd-helper/record.c) and syscall tables. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "record.h"
#include "syscalls.h"

static struct audit_field fields[AUDIT_REC_MAX_FIELDS];

static int
parse(const char *line, struct audit_record *rec)
{
	return record_parse(line, strlen(line), fields, AUDIT_REC_MAX_FIELDS, rec);
}

/* Decoded value of key (body or ENRICHED), or NULL; caller frees. */
static char *
val(const struct audit_record *rec, const char *key, bool enriched, bool hex)
{
	const struct audit_field *f = record_find(rec, key, enriched);
	char *s = NULL;

	if (f == NULL)
		return NULL;
	assert_int_equal(record_val_string(rec, f, hex, &s), 0);
	return s;
}

static void
assert_val(const struct audit_record *rec, const char *key, bool enriched, bool hex,
	   const char *want)
{
	char *s = val(rec, key, enriched, hex);

	if (want == NULL) {
		assert_null(s);
		return;
	}
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void
test_header(void **state)
{
	struct audit_record r;

	(void)state;
	assert_int_equal(parse("type=SYSCALL msg=audit(1795639440.151:11138): arch=c000003e "
			       "syscall=316 success=yes", &r), 0);
	assert_int_equal(r.type, AUDIT_T_SYSCALL);
	assert_int_equal(r.sec, 1795639440);
	assert_int_equal(r.msec, 151);
	assert_int_equal(r.serial, 11138);
	assert_int_equal(r.node_len, 0);
	assert_int_equal(r.nfields, 3);
	assert_false(r.truncated);
	assert_val(&r, "syscall", false, false, "316");
	assert_val(&r, "success", false, false, "yes");

	/* node= prefix, type known only by number */
	assert_int_equal(parse("node=web-01.example type=UNKNOWN[1334] msg=audit(1.002:3): x=1", &r), 0);
	assert_int_equal(r.node_len, strlen("web-01.example"));
	assert_memory_equal(r.text + r.node_off, "web-01.example", r.node_len);
	assert_int_equal(r.type, 1334);
	assert_int_equal(r.msec, 2);
	assert_int_equal(r.serial, 3);

	/* a name we do not know keeps type 0 but parses */
	assert_int_equal(parse("type=FUTURE_THING msg=audit(1.000:4): a=b", &r), 0);
	assert_int_equal(r.type, 0);
	assert_int_equal(r.type_len, 12);

	/* trailing newline and CR are not part of the record */
	assert_int_equal(parse("type=EOE msg=audit(1.000:5): \r\n", &r), 0);
	assert_int_equal(r.type, AUDIT_T_EOE);
	assert_int_equal(r.nfields, 0);
	assert_int_equal(r.len, strlen("type=EOE msg=audit(1.000:5): "));
}

static void
test_garbage(void **state)
{
	static const char *const bad[] = {
		"",
		"hello world",
		"type=SYSCALL",
		"type= msg=audit(1.000:1): a=1",
		"type=SYSCALL msg=audit(1.000:1) a=1",		/* no ':' after ')' */
		"type=SYSCALL msg=audit(1.000): a=1",		/* no serial */
		"type=SYSCALL msg=audit(1:1): a=1",		/* no msec */
		"type=SYSCALL msg=audit(1.0000:1): a=1",	/* msec too long */
		"type=SYSCALL msg=audit(x.000:1): a=1",
		"type=SYSCALL msg=audit(1.000:-1): a=1",
		"type=SYSCALL msg=audit(1.000:99999999999999999999): a=1",
		"node= type=SYSCALL msg=audit(1.000:1): a=1",
		"node=x",
		"msg=audit(1.000:1): type=SYSCALL",
		"\x1d\x1d\x1d",
	};
	struct audit_record r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], &r), -EINVAL);
	/* a header cut short must not read past len */
	{
		const char *s = "type=SYSCALL msg=audit(1.000:12): a=1";
		size_t n;

		for (n = 0; n < 33; n++)
			assert_int_equal(record_parse(s, n, fields, AUDIT_REC_MAX_FIELDS, &r), -EINVAL);
		assert_int_equal(record_parse(s, 33, fields, AUDIT_REC_MAX_FIELDS, &r), 0);
	}
}

static void
test_values(void **state)
{
	struct audit_record r;

	(void)state;
	assert_int_equal(parse("type=SYSCALL msg=audit(1.000:1): tty=(none) ses=2 comm=\"mv\" "
			       "exe=2F746D702F6D7920657865 key=(null) name=\"\" odd=ABC "
			       "tty2=pts0 cwd=2F746D702F22782220 hexnul=41004243 lower=2f61", &r), 0);
	assert_int_equal(r.nfields, 11);
	assert_val(&r, "tty", false, false, NULL);
	assert_int_equal(record_find(&r, "tty", false)->kind, AUDIT_VAL_NONE);
	assert_int_equal(record_find(&r, "key", false)->kind, AUDIT_VAL_NULL);
	assert_val(&r, "key", false, true, NULL);
	assert_val(&r, "comm", false, true, "mv");
	assert_val(&r, "exe", false, true, "/tmp/my exe");		/* hex with a space */
	assert_val(&r, "exe", false, false, "2F746D702F6D7920657865");	/* not a hex field */
	assert_val(&r, "name", false, true, "");
	assert_val(&r, "odd", false, true, "ABC");			/* odd length: verbatim */
	assert_val(&r, "tty2", false, true, "pts0");			/* not hex: verbatim */
	assert_val(&r, "cwd", false, true, "/tmp/\"x\" ");		/* quotes inside */
	assert_val(&r, "hexnul", false, true, "A");			/* stops at a NUL */
	assert_val(&r, "lower", false, true, "/a");
	assert_null(record_find(&r, "missing", false));
	{
		int64_t v;
		uint64_t u;

		assert_int_equal(record_val_i64(&r, record_find(&r, "ses", false), &v), 0);
		assert_int_equal(v, 2);
		assert_int_equal(record_val_i64(&r, record_find(&r, "comm", false), &v), -EINVAL);
		assert_int_equal(record_val_hex(&r, record_find(&r, "odd", false), &u), 0);
		assert_int_equal(u, 0xabc);
		assert_int_equal(record_val_oct(&r, record_find(&r, "ses", false), &u), 0);
		assert_int_equal(u, 2);
		assert_int_equal(record_val_oct(&r, record_find(&r, "odd", false), &u), -EINVAL);
	}

	/* newline, tab and non-ASCII in a hex-encoded name */
	assert_int_equal(parse("type=PATH msg=audit(1.000:2): item=0 name=610A6209C3A9 nametype=NORMAL", &r), 0);
	assert_val(&r, "name", false, true, "a\nb\t\xc3\xa9");
}

static void
test_enriched(void **state)
{
	struct audit_record r;
	const char *line = "type=SYSCALL msg=audit(1795639440.151:11138): arch=c000003e syscall=316 "
			   "success=yes auid=1001 key=\"oidc-file\"\x1d" "ARCH=x86_64 SYSCALL=renameat2 "
			   "AUID=\"alice\" UID=\"alice\"";

	(void)state;
	assert_int_equal(parse(line, &r), 0);
	assert_int_equal(r.nfields, 9);
	assert_val(&r, "key", false, true, "oidc-file");
	assert_val(&r, "SYSCALL", true, false, "renameat2");
	assert_val(&r, "AUID", true, false, "alice");
	assert_null(record_find(&r, "SYSCALL", false));		/* body and ENRICHED kept apart */
	assert_null(record_find(&r, "auid", true));
	assert_true(record_find(&r, "ARCH", true)->enriched);
	assert_false(record_find(&r, "arch", false)->enriched);

	/* an ENRICHED value with spaces in braces does not break the record */
	assert_int_equal(parse("type=SOCKADDR msg=audit(1.000:3): saddr=1000\x1dSADDR={ saddr_fam=netlink "
			       "nlnk-fam=16 }", &r), 0);
	assert_val(&r, "saddr", false, false, "1000");
	assert_non_null(record_find(&r, "SADDR", true));
}

static void
test_user_msg(void **state)
{
	struct audit_record r;

	(void)state;
	assert_int_equal(parse("type=USER_LOGIN msg=audit(1.000:7): pid=12 uid=0 auid=1001 ses=3 "
			       "msg='op=login id=1001 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 "
			       "terminal=ssh res=success'\x1dUID=\"root\"", &r), 0);
	assert_int_equal(r.type, 1112);
	assert_val(&r, "op", false, false, "login");
	assert_val(&r, "exe", false, true, "/usr/sbin/sshd");
	assert_val(&r, "res", false, false, "success");		/* closing quote dropped */
	assert_val(&r, "UID", true, false, "root");
	assert_false(r.truncated);

	/* the inner quote closes after a quoted value too */
	assert_int_equal(parse("type=USER_CMD msg=audit(1.000:8): pid=1 msg='cwd=\"/root\" "
			       "cmd=6C73 res=failed'", &r), 0);
	assert_val(&r, "cmd", false, true, "ls");
	assert_val(&r, "res", false, false, "failed");
}

static void
test_truncated(void **state)
{
	struct audit_record r;
	const char *full = "type=PATH msg=audit(1.000:2): item=0 name=\"/etc/shadow\" nametype=NORMAL";
	size_t n;

	(void)state;
	/* a value cut inside its quotes is kept as far as it goes, and flagged */
	assert_int_equal(parse("type=PATH msg=audit(1.000:2): item=0 name=\"/etc/sha", &r), 0);
	assert_true(r.truncated);
	assert_val(&r, "name", false, true, "/etc/sha");
	/* every prefix of a valid line parses or is garbage, never more */
	for (n = 0; n <= strlen(full); n++) {
		int rc = record_parse(full, n, fields, AUDIT_REC_MAX_FIELDS, &r);

		assert_true(rc == 0 || rc == -EINVAL);
		if (rc == 0)
			assert_true(r.nfields <= 3);
	}
	/* field cap */
	{
		struct audit_field few[2];

		assert_int_equal(record_parse(full, strlen(full), few, 2, &r), 0);
		assert_true(r.truncated);
		assert_int_equal(r.nfields, 2);
	}
	/* words without '=' are stepped over */
	assert_int_equal(parse("type=PATH msg=audit(1.000:2): junk item=0 == =x name=\"a\"", &r), 0);
	assert_val(&r, "item", false, false, "0");
	assert_val(&r, "name", false, true, "a");
}

static void
test_dup(void **state)
{
	struct audit_record r, *d;
	char line[] = "node=n1 type=CWD msg=audit(1.000:2): cwd=\"/srv/bench\"";

	(void)state;
	assert_int_equal(parse(line, &r), 0);
	d = record_dup(&r);
	assert_non_null(d);
	memset(line, 'X', sizeof(line) - 1);	/* the copy must not borrow */
	assert_int_equal(d->serial, 2);
	assert_int_equal(d->type, AUDIT_T_CWD);
	assert_memory_equal(d->text + d->node_off, "n1", 2);
	assert_val(d, "cwd", false, true, "/srv/bench");
	record_free(d);
	record_free(NULL);
}

static void
test_type_names(void **state)
{
	(void)state;
	assert_int_equal(record_type_from_name("SYSCALL", 7), 1300);
	assert_int_equal(record_type_from_name("SYSCALLX", 8), 0);
	assert_int_equal(record_type_from_name("SYSCAL", 6), 0);
	assert_int_equal(record_type_from_name("LOGIN", 5), AUDIT_T_LOGIN);
	assert_int_equal(record_type_from_name("PROCTITLE", 9), AUDIT_T_PROCTITLE);
	assert_int_equal(record_type_from_name("UNKNOWN[]", 9), 0);
	assert_int_equal(record_type_from_name("EOE\0xxxxxxxxxx", 14), 0);	/* a NUL inside */
	assert_int_equal(record_type_from_name("UNKNOWN[x]", 10), 0);
	assert_int_equal(record_type_from_name("UNKNOWN[99999999999]", 20), 0);
}

static void
test_syscalls(void **state)
{
	const struct sc_info *i;

	(void)state;
	i = syscall_lookup(SC_ARCH_X86_64, 59);
	assert_non_null(i);
	assert_string_equal(i->name, "execve");
	assert_int_equal(i->cls, SC_EXEC);
	i = syscall_lookup(SC_ARCH_X86_64, 316);
	assert_string_equal(i->name, "renameat2");
	assert_int_equal(i->dirfd, 0);
	assert_int_equal(i->dirfd2, 2);
	i = syscall_lookup(SC_ARCH_X86_64, 2);
	assert_int_equal(i->cls, SC_OPEN);
	assert_int_equal(i->dirfd, -1);
	assert_null(syscall_lookup(SC_ARCH_X86_64, 44));	/* sendto: not ours */
	assert_null(syscall_lookup(0x1234, 59));		/* unknown arch */
	assert_string_equal(syscall_lookup(SC_ARCH_I386, 11)->name, "execve");
	assert_string_equal(syscall_lookup(SC_ARCH_AARCH64, 56)->name, "openat");
	assert_int_equal(syscall_lookup(SC_ARCH_X86_64, 266)->dirfd, 1);	/* symlinkat */
	i = syscall_lookup_name("unlinkat", 8);
	assert_non_null(i);
	assert_int_equal(i->cls, SC_DELETE);
	assert_null(syscall_lookup_name("unlinkatx", 9));
	assert_null(syscall_lookup_name("open\0xxxxxxxxxxxx", 16));
	assert_string_equal(syscall_arch_name(SC_ARCH_X86_64), "x86_64");
	assert_null(syscall_arch_name(1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_enriched),
		cmocka_unit_test(test_user_msg),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_syscalls),
	};

	return cmocka_run_group_tests_name("audit_record", tests, NULL, NULL);
}
