/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the strict JSON layer (pam_oidc/jose/json_strict.c). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json_strict.h"
#include "oidc_err.h"

#define MAXLEN (1024 * 1024)

/* Parse n bytes of s; returns the errno, keeps the tree in *ret if asked. */
static int
parse_n(const char *s, size_t n, bool obj, json_object **ret, struct oidc_err *err)
{
	json_object *o = NULL;
	struct oidc_err e;
	int r;

	oidc_err_clear(&e);
	r = json_strict_parse(s, n, MAXLEN, JSON_STRICT_MAX_DEPTH, obj, &o, &e);
	if (r == 0) {
		/* json-c represents a top-level null as NULL. */
		if (n < 4 || memcmp(s + n - 4, "null", 4) != 0)
			assert_non_null(o);
		assert_int_equal(e.reason, OIDC_R_NONE);
	} else {
		assert_null(o);
		assert_int_not_equal(e.reason, OIDC_R_NONE);
		assert_true(e.msg[0] != '\0');
	}
	if (err != NULL)
		*err = e;
	if (ret != NULL)
		*ret = o;
	else
		json_object_put(o);
	return r;
}

static int
parse(const char *s)
{
	return parse_n(s, strlen(s), false, NULL, NULL);
}

static void
assert_malformed(const char *s, size_t n)
{
	struct oidc_err e;

	assert_int_equal(parse_n(s, n, false, NULL, &e), -EINVAL);
	assert_int_equal(e.reason, OIDC_R_MALFORMED);
}

#define REJECT(s) assert_malformed((s), sizeof(s) - 1)

static void
test_accepts_rfc8259(void **state)
{
	static const char esc[] =
		"{\"s\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}";
	json_object *o, *v;

	assert_int_equal(parse("{}"), 0);
	assert_int_equal(parse(" \t\r\n{ \"a\" : [ 1 , -2.5e+3 , 0 , -0 , 0.0 , 1E-2 ] , \"b\" : "
			       "{ \"c\" : null , \"d\" : true , \"e\" : false } } \n"), 0);
	assert_int_equal(parse("[]"), 0);
	assert_int_equal(parse("\"x\""), 0);
	assert_int_equal(parse("123"), 0);
	assert_int_equal(parse("true"), 0);
	assert_int_equal(parse("null"), 0);
	assert_int_equal(parse("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""), 0);
	/* Escapes decode as json-c does; a surrogate pair is one code point. */
	assert_int_equal(parse_n(esc, strlen(esc), true, &o, NULL), 0);
	assert_true(json_object_object_get_ex(o, "s", &v));
	assert_string_equal(json_object_get_string(v), "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
	json_object_put(o);
	/* Same name in different objects is not a duplicate. */
	assert_int_equal(parse("{\"a\":{\"a\":1},\"b\":{\"a\":2}}"), 0);
}

static void
test_require_object(void **state)
{
	struct oidc_err e;

	assert_int_equal(parse_n("[]", 2, true, NULL, &e), -EINVAL);
	assert_int_equal(e.reason, OIDC_R_MALFORMED);
	assert_int_equal(parse_n("\"x\"", 3, true, NULL, NULL), -EINVAL);
	assert_int_equal(parse_n("1", 1, true, NULL, NULL), -EINVAL);
	assert_int_equal(parse_n("", 0, true, NULL, NULL), -EINVAL);
	assert_int_equal(parse_n(" {} ", 4, true, NULL, NULL), 0);
}

static void
test_duplicate_members(void **state)
{
	REJECT("{\"a\":1,\"a\":2}");
	REJECT("{\"a\":1,\"b\":2,\"a\":1}");
	/* Names are compared decoded. */
	REJECT("{\"a\":1,\"\\u0061\":2}");
	REJECT("{\"\\u00e9\":1,\"\xc3\xa9\":2}");
	REJECT("{\"\\/\":1,\"/\":2}");
	/* In a nested object, and in an object inside an array. */
	REJECT("{\"x\":{\"sub\":\"a\",\"sub\":\"b\"}}");
	REJECT("[{\"k\":1,\"k\":1}]");
	/* Large objects (past the inline name table) are checked as well. */
	{
		char big[1024];
		size_t n = 0;
		int i;

		n += (size_t)snprintf(big + n, sizeof(big) - n, "{");
		for (i = 0; i < 40; i++)
			n += (size_t)snprintf(big + n, sizeof(big) - n, "\"k%d\":%d,", i, i);
		snprintf(big + n, sizeof(big) - n, "\"k40\":0}");
		assert_int_equal(parse(big), 0);
		snprintf(big + n, sizeof(big) - n, "\"k7\":0}");
		assert_malformed(big, strlen(big));
		snprintf(big + n, sizeof(big) - n, "\"\\u006b39\":0}");
		assert_malformed(big, strlen(big));
		snprintf(big + n, sizeof(big) - n, "\"k0\":0}");
		assert_malformed(big, strlen(big));
	}
	/* Near-duplicates are fine. */
	assert_int_equal(parse("{\"a\":1,\"A\":2,\"a \":3,\"\":4}"), 0);
}

static void
test_nul_in_strings(void **state)
{
	REJECT("{\"sub\":\"root\\u0000x\"}");
	REJECT("{\"sub\\u0000\":1}");
	REJECT("{\"sub\":\"root\0x\"}");
	REJECT("{\"a\":1}\0");
	REJECT("\0{\"a\":1}");
}

static void
test_bad_strings(void **state)
{
	REJECT("\"a\x01\"");
	REJECT("\"tab\there\"");
	REJECT("\"\\x41\"");
	REJECT("\"\\u00G1\"");
	REJECT("\"\\u00\"");
	REJECT("\"unterminated");
	REJECT("\"trailing backslash\\");
	REJECT("'single'");
	REJECT("\"\\U0041\"");
	REJECT("\"\\uqqqq\"");
	REJECT("\"\\ud800\\u\"");
	REJECT("\"\\ud800\\u12\"");
	REJECT("\"\\a\"");
	REJECT("\"\\\t\"");		/* backslash then a raw tab */
	REJECT("\"\\'\"");
}

static void
test_bad_utf8(void **state)
{
	REJECT("\"\xc0\x80\"");		/* overlong NUL */
	REJECT("\"\xc1\xbf\"");		/* overlong */
	REJECT("\"\xe0\x80\xaf\"");	/* overlong '/' */
	REJECT("\"\xed\xa0\x80\"");	/* encoded surrogate */
	REJECT("\"\xf4\x90\x80\x80\"");	/* above U+10FFFF */
	REJECT("\"\xf5\x80\x80\x80\"");
	REJECT("\"\xe2\x82\"");		/* truncated */
	REJECT("\"\x80\"");		/* lone continuation */
	REJECT("\"\xff\"");
	REJECT("{\"\xc3\":1}");		/* in a name */
}

static void
test_lone_surrogates(void **state)
{
	REJECT("\"\\ud800\"");
	REJECT("\"\\udc00\"");
	REJECT("\"\\ud800\\u0041\"");
	REJECT("\"\\ud800x\"");
	REJECT("\"\\ude00\\ud83d\"");
	assert_int_equal(parse("\"\\uD83D\\uDE00\""), 0);
}

static void
test_non_numbers(void **state)
{
	REJECT("NaN");
	REJECT("{\"exp\":NaN}");
	REJECT("{\"exp\":Infinity}");
	REJECT("{\"exp\":-Infinity}");
	REJECT("{\"exp\":+1}");
	REJECT("{\"exp\":0x10}");
	REJECT("{\"exp\":01}");
	REJECT("{\"exp\":-01}");
	REJECT("{\"exp\":00}");
	REJECT("{\"exp\":.5}");
	REJECT("{\"exp\":-.5}");
	REJECT("{\"exp\":1.}");
	REJECT("{\"exp\":1e}");
	REJECT("{\"exp\":1e+}");
	REJECT("{\"exp\":-}");
	REJECT("{\"exp\":True}");
	REJECT("{\"exp\":nul}");
	REJECT("{\"exp\":undefined}");
	REJECT("[-NaN]");
	REJECT("[1_000]");
	REJECT("[1.2.3]");
	REJECT("[1eE2]");
	REJECT("[- 1]");
	REJECT("[0x1F]");
	REJECT("[\xef\xbc\x91]");	/* fullwidth digit one */
	REJECT("[1e1.5]");
	REJECT("[2.e3]");
}

static void
test_syntax(void **state)
{
	REJECT("{\"a\":1,}");
	REJECT("[1,]");
	REJECT("{\"a\" 1}");
	REJECT("{a:1}");
	REJECT("{\"a\":1");
	REJECT("[1 2]");
	REJECT("");
	REJECT("   ");
	REJECT("\xef\xbb\xbf{}");	/* BOM */
	REJECT("{} /* comment */");
	REJECT("{\"a\":1 # note\n}");
	/* Only space, tab, LF and CR are whitespace. */
	REJECT("[\f1]");
	REJECT("[\v1]");
	REJECT("\f");
	REJECT("[\xe2\x81\xa0" "1]");	/* U+2060 word joiner */
	REJECT("[\xc2\xa0" "1]");	/* no-break space */
	REJECT("[1,,2]");
	REJECT("[,1]");
	REJECT("[1:2]");
	REJECT("[1;2]");
	REJECT("]");
	REJECT("}");
	REJECT("[1]]");
	REJECT("{\"a\" \"b\"}");
	REJECT("{\"a\"::1}");
	REJECT("{1:1}");
	REJECT("{null:null}");
	REJECT("[\\u0041]");		/* escape outside a string */
	REJECT("[abc]");
	REJECT("[\xc3\xa9]");		/* a bare non-ASCII character */
}

static void
test_trailing_data(void **state)
{
	REJECT("{} x");
	REJECT("{}{}");
	REJECT("{\"a\":1}}");
	REJECT("{\"a\":1},");
	REJECT("1 2");
	REJECT("true false");
	assert_int_equal(parse("{} \t\r\n"), 0);
}

static char *
nest(unsigned depth, size_t *ret_len)
{
	char *s = malloc(2 * (size_t)depth + 2);
	size_t i;

	assert_non_null(s);
	for (i = 0; i < depth; i++)
		s[i] = '[';
	for (i = 0; i < depth; i++)
		s[depth + i] = ']';
	s[2 * depth] = '\0';
	*ret_len = 2 * (size_t)depth;
	return s;
}

static void
test_depth_cap(void **state)
{
	struct oidc_err e;
	size_t n;
	char *s;

	s = nest(JSON_STRICT_MAX_DEPTH, &n);
	assert_int_equal(parse_n(s, n, false, NULL, NULL), 0);
	free(s);
	s = nest(JSON_STRICT_MAX_DEPTH + 1, &n);
	assert_int_equal(parse_n(s, n, false, NULL, &e), -EINVAL);
	assert_int_equal(e.reason, OIDC_R_MALFORMED);
	assert_non_null(strstr(e.msg, "deep"));
	free(s);
	/* A depth bomb: 200000 open brackets fail fast, without recursion blow-up. */
	s = nest(200000, &n);
	assert_int_equal(parse_n(s, n / 2, false, NULL, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "deep"));
	free(s);
	/* A caller asking for more than the ceiling still gets a bound. */
	s = nest(200000, &n);
	assert_int_equal(json_strict_parse(s, n, n, 1000000, false, &(json_object *){ NULL }, &e),
			 -EINVAL);
	free(s);
	/* Objects count too. */
	assert_int_equal(json_strict_parse("{\"a\":{\"b\":{}}}", 14, 100, 2, true, &(json_object *){ NULL }, NULL), -EINVAL);
}

static void
test_depth_exact(void **state)
{
	json_object *o = NULL;

	assert_int_equal(json_strict_parse("{\"a\":{\"b\":{}}}", 14, 100, 3, true, &o, NULL), 0);
	json_object_put(o);
}

static void
test_size_cap(void **state)
{
	json_object *o = NULL;
	struct oidc_err e;

	oidc_err_clear(&e);
	assert_int_equal(json_strict_parse("{\"a\":1}", 7, 6, 4, true, &o, &e), -EFBIG);
	assert_null(o);
	assert_int_equal(e.reason, OIDC_R_TOO_LARGE);
	assert_int_equal(json_strict_parse("{\"a\":1}", 7, 7, 4, true, &o, NULL), 0);
	json_object_put(o);
}

static json_object *
obj(const char *s)
{
	json_object *o = NULL;

	assert_int_equal(parse_n(s, strlen(s), true, &o, NULL), 0);
	return o;
}

static void
test_get_number(void **state)
{
	json_object *o = obj("{\"i\":1700000000,\"f\":1.9,\"n\":-0.5,\"neg\":-3,"
			     "\"e\":1e3,\"max\":9223372036854775807,"
			     "\"big\":9223372036854775808,\"huge\":1e300,\"s\":\"123\","
			     "\"t\":true,\"z\":null,\"a\":[1],\"min\":-9223372036854775809,"
			     "\"over\":1e400,\"nover\":-1e400,"
			     "\"digits\":111111111111111111111111111111111111111111}");
	int64_t v = 99;

	assert_int_equal(json_get_number(o, "i", 0, INT64_MAX, &v), 0);
	assert_true(v == 1700000000);
	assert_int_equal(json_get_number(o, "f", 0, 10, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(json_get_number(o, "n", -10, 10, &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(json_get_number(o, "neg", -3, -3, &v), 0);
	assert_int_equal(v, -3);
	assert_int_equal(json_get_number(o, "e", 1000, 1000, &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(json_get_number(o, "max", 0, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	v = 99;
	/* json-c clamps these; the range check must still see them. */
	assert_int_equal(json_get_number(o, "big", 0, INT64_MAX, &v), -ERANGE);
	assert_int_equal(json_get_number(o, "min", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(json_get_number(o, "huge", 0, INT64_MAX, &v), -ERANGE);
	assert_int_equal(json_get_number(o, "over", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(json_get_number(o, "nover", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(json_get_number(o, "digits", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(json_get_number(o, "i", 0, 1699999999, &v), -ERANGE);
	assert_int_equal(json_get_number(o, "neg", 0, 10, &v), -ERANGE);
	assert_int_equal(json_get_number(o, "s", 0, INT64_MAX, &v), -EINVAL);
	assert_int_equal(json_get_number(o, "t", 0, INT64_MAX, &v), -EINVAL);
	assert_int_equal(json_get_number(o, "z", 0, INT64_MAX, &v), -EINVAL);
	assert_int_equal(json_get_number(o, "a", 0, INT64_MAX, &v), -EINVAL);
	assert_int_equal(json_get_number(o, "nope", 0, INT64_MAX, &v), -ENOENT);
	assert_int_equal(v, 99);
	json_object_put(o);
}

/* NaN cannot come through the parser; a tree built by hand still fails. */
static void
test_get_number_nan(void **state)
{
	json_object *o = json_object_new_object();
	int64_t v = 5;

	json_object_object_add(o, "nan", json_object_new_double(NAN));
	json_object_object_add(o, "inf", json_object_new_double(INFINITY));
	json_object_object_add(o, "ninf", json_object_new_double(-INFINITY));
	assert_int_equal(json_get_number(o, "nan", INT64_MIN, INT64_MAX, &v), -EINVAL);
	assert_int_equal(json_get_number(o, "inf", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(json_get_number(o, "ninf", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(v, 5);
	json_object_put(o);
}

static void
test_get_string(void **state)
{
	json_object *o = obj("{\"s\":\"hello\",\"n\":1,\"e\":\"\"}");
	const char *s = NULL;

	assert_int_equal(json_get_string(o, "s", &s), 0);
	assert_string_equal(s, "hello");
	assert_int_equal(json_get_string(o, "e", &s), 0);
	assert_string_equal(s, "");
	assert_int_equal(json_get_string(o, "n", &s), -EINVAL);
	assert_int_equal(json_get_string(o, "x", &s), -ENOENT);
	json_object_put(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_rfc8259),
		cmocka_unit_test(test_require_object),
		cmocka_unit_test(test_duplicate_members),
		cmocka_unit_test(test_nul_in_strings),
		cmocka_unit_test(test_bad_strings),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_lone_surrogates),
		cmocka_unit_test(test_non_numbers),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_trailing_data),
		cmocka_unit_test(test_depth_cap),
		cmocka_unit_test(test_depth_exact),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_get_number),
		cmocka_unit_test(test_get_number_nan),
		cmocka_unit_test(test_get_string),
	};

	return cmocka_run_group_tests_name("json_strict", tests, NULL, NULL);
}
