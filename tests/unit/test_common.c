/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of common/: checked number parsing, bounded buffers, errors,
 * clocks, text, the journal names.
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "clock.h"
#include "journal_fields.h"
#include "journal_names.h"
#include "numparse.h"
#include "oidc_err.h"
#include "text.h"

static void
test_i64_ok(void **state)
{
	int64_t v;

	assert_int_equal(num_parse_i64("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(num_parse_i64("-42", -100, 100, &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(num_parse_i64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(num_parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
}

static void
test_i64_bad(void **state)
{
	int64_t v = 7;

	assert_int_equal(num_parse_i64("", 0, 10, &v), -EINVAL);
	assert_int_equal(num_parse_i64("-", -10, 10, &v), -EINVAL);
	assert_int_equal(num_parse_i64("+1", 0, 10, &v), -EINVAL);
	assert_int_equal(num_parse_i64(" 1", 0, 10, &v), -EINVAL);
	assert_int_equal(num_parse_i64("1 ", 0, 10, &v), -EINVAL);
	assert_int_equal(num_parse_i64("0x10", 0, 100, &v), -EINVAL);
	assert_int_equal(num_parse_i64("11", 0, 10, &v), -ERANGE);
	assert_int_equal(num_parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(num_parse_i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(v, 7);
}

static void
test_u64_hex(void **state)
{
	uint64_t v;

	assert_int_equal(num_parse_u64("18446744073709551615", UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(num_parse_u64("18446744073709551616", UINT64_MAX, &v), -ERANGE);
	assert_int_equal(num_parse_hex_u64("fF", 2, 255, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(num_parse_hex_u64("100", 3, 255, &v), -ERANGE);
	assert_int_equal(num_parse_hex_u64("g", 1, 255, &v), -EINVAL);
}

/* The kernel's own number files, as the module and oidc-audit read them. */
static void
test_num_read_file(void **state)
{
	char dir[] = "/tmp/test_common.XXXXXX", link[64];
	int64_t v = -5;

	(void)state;
	/* no newline at the end of loginuid; 4294967295 when unset */
	assert_int_equal(num_read_file("/proc/self/loginuid", 0, UINT32_MAX, &v), 0);
	assert_true(v >= 0 && v <= UINT32_MAX);
	/* a newline at the end of a sysctl */
	assert_int_equal(num_read_file("/proc/sys/kernel/pid_max", 1, INT32_MAX, &v), 0);
	assert_true(v > 1);
	assert_int_equal(num_read_file("/proc/sys/kernel/pid_max", 1, 1, &v), -ERANGE);
	/* not a number, no file, a symbolic link */
	assert_int_equal(num_read_file("/proc/sys/kernel/ostype", 0, 1, &v), -EINVAL);
	assert_int_equal(num_read_file("/proc/sys/kernel/no-such-setting", 0, 1, &v), -ENOENT);
	/* (a link of our own: valgrind answers opens of /proc/self/exe itself) */
	assert_non_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/pid_max", dir);
	assert_int_equal(symlink("/proc/sys/kernel/pid_max", link), 0);
	assert_int_equal(num_read_file(link, 1, INT32_MAX, &v), -ELOOP);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_buf_bounded(void **state)
{
	struct buf b;
	char *s;
	size_t n;

	buf_init(&b, 8);
	assert_int_equal(buf_append_str(&b, "abcd"), 0);
	assert_int_equal(buf_append_str(&b, "efgh"), 0);
	assert_int_equal(buf_append_str(&b, "i"), -EFBIG);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "abcdefgh");
	s = buf_steal(&b, &n);
	assert_int_equal(n, 8);
	assert_string_equal(s, "abcdefgh");
	assert_null(b.data);
	secure_free_str(s);
	buf_free(&b);
	buf_free(NULL);
}

static void
test_err_first_wins(void **state)
{
	struct oidc_err e;

	oidc_err_clear(&e);
	assert_int_equal(oidc_err_set(&e, OIDC_R_SIGNATURE, EBADMSG, "inner %d", 1), -EBADMSG);
	assert_int_equal(oidc_err_set(&e, OIDC_R_MALFORMED, 0, "outer"), -EINVAL);
	assert_int_equal(e.reason, OIDC_R_SIGNATURE);
	assert_string_equal(e.msg, "inner 1");
	assert_string_equal(oidc_reason_name(OIDC_R_SIGNATURE), "bad signature");
	assert_string_equal(oidc_reason_name(OIDC__R_MAX), "unknown error");
	assert_int_equal(oidc_err_set(NULL, OIDC_R_INTERNAL, ENOMEM, "x"), -ENOMEM);
}

static int64_t
ts_ms(clockid_t id)
{
	struct timespec ts;

	assert_int_equal(clock_gettime(id, &ts), 0);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
test_clock_mono(void **state)
{
	struct timespec nap = { 0, 30 * 1000 * 1000 };
	int64_t boot0, t0, t1, mono;

	/* CLOCK_BOOTTIME: between two readings of it, and never behind CLOCK_MONOTONIC */
	mono = ts_ms(CLOCK_MONOTONIC);
	boot0 = ts_ms(CLOCK_BOOTTIME);
	t0 = clock_mono_ms();
	assert_true(t0 >= boot0);
	assert_true(t0 <= ts_ms(CLOCK_BOOTTIME));
	assert_true(t0 >= mono);
	/* it advances by at least the time slept, and in milliseconds */
	assert_int_equal(nanosleep(&nap, NULL), 0);
	t1 = clock_mono_ms();
	assert_true(t1 - t0 >= 30);
	assert_true(t1 - t0 < 10000);
	assert_true(clock_mono_ms() >= t1);
}

static void
test_clock_real(void **state)
{
	time_t before = time(NULL);
	uint64_t us = clock_real_us();
	time_t after = time(NULL);

	/* µs since the epoch: the same second as time(), give or take one tick */
	assert_true(us / 1000000u + 1 >= (uint64_t)before);
	assert_true(us / 1000000u <= (uint64_t)after + 1);
	assert_true(us > 1500000000ull * 1000000u);	/* not seconds or ms by mistake */
}

/* Decode s (len bytes) and expect length want and code point cp. */
static void
utf8_ok(const char *s, size_t len, int want, uint32_t cp)
{
	uint32_t got = 0xffffffff;

	assert_int_equal(text_utf8_decode(s, len, &got), want);
	assert_int_equal(got, cp);
}

/* Expect -EILSEQ, with *ret_cp untouched. */
static void
utf8_bad(const char *s, size_t len)
{
	uint32_t got = 0xdeadbeef;

	assert_int_equal(text_utf8_decode(s, len, &got), -EILSEQ);
	assert_int_equal(got, 0xdeadbeef);
}

static void
test_utf8_decode_ok(void **state)
{
	utf8_ok("A", 1, 1, 'A');
	utf8_ok("\0x", 2, 1, 0);			/* NUL is a one-byte sequence */
	utf8_ok("\x7f", 1, 1, 0x7f);
	utf8_ok("\xc2\x80", 2, 2, 0x80);		/* smallest two-byte */
	utf8_ok("\xc3\xa9llo", 5, 2, 0xe9);	/* only the first sequence */
	utf8_ok("\xdf\xbf", 2, 2, 0x7ff);
	utf8_ok("\xe0\xa0\x80", 3, 3, 0x800);	/* smallest three-byte */
	utf8_ok("\xed\x9f\xbf", 3, 3, 0xd7ff);	/* just below the surrogates */
	utf8_ok("\xee\x80\x80", 3, 3, 0xe000);	/* just above them */
	utf8_ok("\xef\xbf\xbf", 3, 3, 0xffff);
	utf8_ok("\xf0\x90\x80\x80", 4, 4, 0x10000);	/* smallest four-byte */
	utf8_ok("\xf0\x9f\x98\x80", 4, 4, 0x1f600);
	utf8_ok("\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff);	/* the last code point */
	assert_int_equal(text_utf8_decode("\xe2\x82\xac", 3, NULL), 3);	/* cp optional */
}

static void
test_utf8_decode_bad(void **state)
{
	uint32_t cp = 7;
	unsigned b;

	/* overlong forms: of '/', of U+007F, of U+07FF, of U+FFFF, of NUL */
	utf8_bad("\xc0\xaf", 2);
	utf8_bad("\xc1\xbf", 2);
	utf8_bad("\xe0\x9f\xbf", 3);
	utf8_bad("\xf0\x8f\xbf\xbf", 4);
	utf8_bad("\xe0\x80\x80", 3);
	/* surrogates: first high, last low, and CESU-8's pair for U+1F600 */
	utf8_bad("\xed\xa0\x80", 3);
	utf8_bad("\xed\xbf\xbf", 3);
	utf8_bad("\xed\xa0\xbd\xed\xb8\x80", 6);
	/* beyond U+10FFFF, and lead bytes that never start a sequence */
	utf8_bad("\xf4\x90\x80\x80", 4);
	utf8_bad("\xf5\x80\x80\x80", 4);
	utf8_bad("\xf7\xbf\xbf\xbf", 4);
	utf8_bad("\xf8\x88\x80\x80\x80", 5);
	utf8_bad("\xfe", 1);
	utf8_bad("\xff", 1);
	/* a continuation byte without a lead: every one of them */
	for (b = 0x80; b <= 0xbf; b++) {
		char c = (char)b;

		utf8_bad(&c, 1);
	}
	/* truncated: by the length, and by a byte that does not continue */
	utf8_bad("\xc3", 1);
	utf8_bad("\xe2\x82", 2);
	utf8_bad("\xf0\x9f\x98", 3);
	utf8_bad("\xe2\x82\xac", 2);			/* the third byte is beyond len */
	utf8_bad("\xc3\0", 2);
	utf8_bad("\xe2\x82" "A", 3);
	utf8_bad("\xf0\x9f\x98\xc0", 4);
	utf8_bad("\xc3\xc3\xa9", 3);			/* a new lead is no continuation */
	/* nothing to decode */
	assert_int_equal(text_utf8_decode("A", 0, &cp), -EINVAL);
	assert_int_equal(text_utf8_decode(NULL, 1, &cp), -EINVAL);
	assert_int_equal(cp, 7);
}

static void
test_utf8_encode(void **state)
{
	static const uint32_t cps[] = { 0, 'A', 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000,
					0xfffd, 0xffff, 0x10000, 0x10ffff };
	char out[TEXT_UTF8_MAX] = "zzz";
	uint32_t back;
	size_t i;
	int n;

	assert_int_equal(text_utf8_encode(0xe9, out), 2);
	assert_memory_equal(out, "\xc3\xa9", 2);
	assert_int_equal(text_utf8_encode(0x1f600, out), 4);
	assert_memory_equal(out, "\xf0\x9f\x98\x80", 4);
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = text_utf8_encode(cps[i], out);
		assert_true(n >= 1 && n <= TEXT_UTF8_MAX);
		assert_int_equal(text_utf8_decode(out, (size_t)n, &back), n);
		assert_int_equal(back, cps[i]);
	}
	memcpy(out, "zzzz", 4);
	assert_int_equal(text_utf8_encode(0xd800, out), -EINVAL);
	assert_int_equal(text_utf8_encode(0xdfff, out), -EINVAL);
	assert_int_equal(text_utf8_encode(0x110000, out), -EINVAL);
	assert_int_equal(text_utf8_encode(UINT32_MAX, out), -EINVAL);
	assert_memory_equal(out, "zzzz", 4);
}

/* The one classification of characters a screen must not get raw, range by range. */
static void
test_text_cp_unsafe(void **state)
{
	static const uint32_t unsafe[] = {
		0x00,	0x1b,	0x1f,	0x7f,	0x80,	0x9b,	0x9f,	0x061c,
		0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069, 0xfeff,
	};
	static const uint32_t safe[] = {
		0x20,	'~',	0xa0,	0xe9,	0x061b, 0x061d, 0x200d,	 0x2010,
		0x2029, 0x202f, 0x2065, 0x206a, 0xfefe, 0xff00, 0x1f600,
	};
	size_t i;

	for (i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		assert_true(text_cp_unsafe(unsafe[i]));
	for (i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		assert_false(text_cp_unsafe(safe[i]));
}

static void
test_hex_digits(void **state)
{
	char two[3] = "??";
	unsigned c;

	assert_int_equal(text_hex_digit('0'), 0);
	assert_int_equal(text_hex_digit('9'), 9);
	assert_int_equal(text_hex_digit('a'), 10);
	assert_int_equal(text_hex_digit('F'), 15);
	/* every other byte is no digit, the neighbours of the ranges among them */
	for (c = 0; c < 256; c++) {
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
			continue;
		assert_int_equal(text_hex_digit((char)c), -EINVAL);
	}
	text_hex_byte(0xa5, false, two);
	assert_string_equal(two, "a5");
	text_hex_byte(0xa5, true, two);
	assert_string_equal(two, "A5");
	text_hex_byte(0x0f, false, two);
	assert_string_equal(two, "0f");
}

static void
test_hex_encode(void **state)
{
	static const unsigned char bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char out[16];

	assert_int_equal(text_hex_encode(bytes, sizeof(bytes), out, 13), 0);
	assert_string_equal(out, "00017f80abff");
	assert_int_equal(text_hex_encode(bytes, 0, out, 1), 0);
	assert_string_equal(out, "");
	/* no room for the NUL, or for a digit: nothing written */
	memcpy(out, "untouched", 10);
	assert_int_equal(text_hex_encode(bytes, sizeof(bytes), out, 12), -ENOBUFS);
	assert_int_equal(text_hex_encode(bytes, 1, out, 2), -ENOBUFS);
	assert_int_equal(text_hex_encode(bytes, 0, out, 0), -ENOBUFS);
	assert_int_equal(text_hex_encode(bytes, SIZE_MAX / 2 + 1, out, SIZE_MAX), -ENOBUFS);
	assert_string_equal(out, "untouched");
}

static void
test_hex_decode(void **state)
{
	unsigned char out[8];

	assert_int_equal(text_hex_decode("00017f80ABff", 12, out, 6), 0);
	assert_memory_equal(out, "\x00\x01\x7f\x80\xab\xff", 6);
	assert_int_equal(text_hex_decode("", 0, out, 0), 0);
	memcpy(out, "abcdefgh", 8);
	/* odd length */
	assert_int_equal(text_hex_decode("abc", 3, out, sizeof(out)), -EINVAL);
	assert_int_equal(text_hex_decode("a", 1, out, sizeof(out)), -EINVAL);
	/* bad digits: past 'f', a space, a sign, a 0x prefix, a NUL, a high byte */
	assert_int_equal(text_hex_decode("0g", 2, out, sizeof(out)), -EINVAL);
	assert_int_equal(text_hex_decode("G0", 2, out, sizeof(out)), -EINVAL);
	assert_int_equal(text_hex_decode("0 ", 2, out, sizeof(out)), -EINVAL);
	assert_int_equal(text_hex_decode("-1", 2, out, sizeof(out)), -EINVAL);
	assert_int_equal(text_hex_decode("0x10", 4, out, sizeof(out)), -EINVAL);
	assert_int_equal(text_hex_decode("00\0" "0", 4, out, sizeof(out)), -EINVAL);
	assert_int_equal(text_hex_decode("a\xe9", 2, out, sizeof(out)), -EINVAL);
	/* a bad digit at the very end still leaves out untouched */
	assert_int_equal(text_hex_decode("414243z4", 8, out, sizeof(out)), -EINVAL);
	/* too small */
	assert_int_equal(text_hex_decode("414243", 6, out, 2), -ENOBUFS);
	assert_memory_equal(out, "abcdefgh", 8);
}

static void
test_hex_is_lower(void **state)
{
	assert_true(text_hex_is_lower("0123456789abcdef", 16));
	assert_true(text_hex_is_lower("0a", 2));
	assert_false(text_hex_is_lower("", 0));
	assert_false(text_hex_is_lower("0A", 2));
	assert_false(text_hex_is_lower("0g", 2));
	assert_false(text_hex_is_lower("0a/", 3));
	assert_true(text_hex_is_lower("0a/", 2));	/* only len bytes count */
}

static void
test_journal_names(void **state)
{
	static const char *const journald[] = {
		JF_MESSAGE, JF_MESSAGE_ID, JF_PRIORITY, JF_SYSLOG_IDENTIFIER,
	};
	static const char *const ours[] = {
		OIDC_F_ISSUER, OIDC_F_SUBJECT, OIDC_F_USERNAME, OIDC_F_EMAIL, OIDC_F_LOGIN_ID,
		OIDC_F_EVENT, OIDC_F_AUDIT_SESSION, OIDC_F_AUDIT_LOGINUID, OIDC_F_AUDIT_SERIAL,
		OIDC_F_AUDIT_KEY, OIDC_F_AUDIT_NODE, OIDC_F_AUDIT_SOURCE,
		OIDC_F_AUDIT_INCOMPLETE, OIDC_F_EVENT_TIME, OIDC_F_EXE, OIDC_F_ARGV,
		OIDC_F_ARGC, OIDC_F_ARGV_TRUNCATED, OIDC_F_CWD, OIDC_F_PID, OIDC_F_PPID,
		OIDC_F_UID, OIDC_F_EUID, OIDC_F_TTY, OIDC_F_COMM, OIDC_F_PATH, OIDC_F_PATH2,
		OIDC_F_OPERATION, OIDC_F_SYSCALL, OIDC_F_SUCCESS, OIDC_F_EXIT, OIDC_F_SERVICE,
		OIDC_F_REMOTE_HOST, OIDC_F_LOCAL_USER, OIDC_F_REASON, OIDC_F_LOSS_REASON,
		OIDC_F_LOSS_COUNT, OIDC_F_LOSS_TOTAL, OIDC_F_LOSS_DETAIL,
	};
	static const char *const ids[] = {
		OIDC_MESSAGE_ID_LOGIN, OIDC_MESSAGE_ID_LOGOUT, OIDC_MESSAGE_ID_LOGIN_FAILED,
		OIDC_MESSAGE_ID_EXEC, OIDC_MESSAGE_ID_FILE, OIDC_MESSAGE_ID_LOSS,
	};
	size_t i, j;

	/* names journald accepts from us; ours under our prefix, each once */
	for (i = 0; i < sizeof(journald) / sizeof(journald[0]); i++)
		assert_true(jf_name_valid(journald[i]));
	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		assert_true(jf_name_valid(ours[i]));
		assert_int_equal(strncmp(ours[i], OIDC_F_PREFIX, strlen(OIDC_F_PREFIX)), 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(ours[i], ours[j]);
	}
	assert_string_equal(OIDC_F_EVENT "=" OIDC_EV_EXEC, "OIDC_EVENT=exec");
	/* MESSAGE_IDs: 32 lowercase hex digits, each once */
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_int_equal(strlen(ids[i]), 32);
		assert_true(text_hex_is_lower(ids[i], 32));
		for (j = 0; j < i; j++)
			assert_string_not_equal(ids[i], ids[j]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_i64_ok),
		cmocka_unit_test(test_i64_bad),
		cmocka_unit_test(test_u64_hex),
		cmocka_unit_test(test_buf_bounded),
		cmocka_unit_test(test_err_first_wins),
		cmocka_unit_test(test_clock_mono),
		cmocka_unit_test(test_clock_real),
		cmocka_unit_test(test_utf8_decode_ok),
		cmocka_unit_test(test_utf8_decode_bad),
		cmocka_unit_test(test_utf8_encode),
		/* the rule the sanitiser and the MESSAGE escaping share */
		cmocka_unit_test(test_text_cp_unsafe),
		cmocka_unit_test(test_hex_digits),
		cmocka_unit_test(test_hex_encode),
		cmocka_unit_test(test_hex_decode),
		cmocka_unit_test(test_hex_is_lower),
		cmocka_unit_test(test_journal_names),
		cmocka_unit_test(test_num_read_file), /* needs /proc */
	};

	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
