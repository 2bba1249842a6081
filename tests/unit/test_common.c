/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/: checked number parsing, bounded buffers, errors, clocks. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "buf.h"
#include "clock.h"
#include "numparse.h"
#include "oidc_err.h"

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
	};

	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
