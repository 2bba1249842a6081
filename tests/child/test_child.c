/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the child's pure parts: the line protocol codec, the RFC
 * 8628 response parsers, the client secret file rules and the user mapping.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "buf.h"
#include "child_proto.h"
#include "conf.h"
#include "device_flow.h"
#include "oidc_err.h"
#include "usermap.h"

/* ---- child_proto ---- */

static void
test_proto_roundtrip(void **state)
{
	static const char *const values[] = {
		"plain", "with space", "100%", "new\nline", "tab\tx", "\x1b[2J", "caf\xc3\xa9", "",
		"https://idp.example/device?x=1&y=%20",
	};
	char enc[256], line[512], *key, *value;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		assert_int_equal(child_proto_encode(values[i], enc, sizeof(enc)), 0);
		for (j = 0; enc[j] != '\0'; j++)
			assert_true(enc[j] > 0x20 && enc[j] < 0x7f);
		assert_true(child_proto_format("user_code", values[i], line, sizeof(line)) > 0);
		assert_non_null(strchr(line, '\n'));
		assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
		line[strlen(line) - 1] = '\0';
		assert_int_equal(child_proto_split(line, &key, &value), 0);
		assert_string_equal(key, "user_code");
		assert_string_equal(value, values[i]);
	}
	assert_int_equal(child_proto_format("ok", NULL, line, sizeof(line)), 3);
	assert_string_equal(line, "ok\n");
}

static void
test_proto_bad(void **state)
{
	char buf[64], big[CHILD_PROTO_MAX_LINE + 100];
	char *key, *value;

	(void)state;
	snprintf(buf, sizeof(buf), "%s", "a%00b");	/* encoded NUL */
	assert_int_equal(child_proto_decode(buf), -EINVAL);
	snprintf(buf, sizeof(buf), "%s", "a%4");
	assert_int_equal(child_proto_decode(buf), -EINVAL);
	snprintf(buf, sizeof(buf), "%s", "a%zz");
	assert_int_equal(child_proto_decode(buf), -EINVAL);
	snprintf(buf, sizeof(buf), "%s", "Key value");
	assert_int_equal(child_proto_split(buf, &key, &value), -EINVAL);
	snprintf(buf, sizeof(buf), "%s", "k1 value");
	assert_int_equal(child_proto_split(buf, &key, &value), -EINVAL);
	snprintf(buf, sizeof(buf), "%s", "key two words");
	assert_int_equal(child_proto_split(buf, &key, &value), -EINVAL);
	snprintf(buf, sizeof(buf), "%s", "key a\x01");
	assert_int_equal(child_proto_split(buf, &key, &value), -EINVAL);
	snprintf(buf, sizeof(buf), "%s", " value");
	assert_int_equal(child_proto_split(buf, &key, &value), -EINVAL);
	snprintf(buf, sizeof(buf), "%s", "shown");
	assert_int_equal(child_proto_split(buf, &key, &value), 0);
	assert_string_equal(key, "shown");
	assert_string_equal(value, "");
	/* limits */
	assert_int_equal(child_proto_encode("  ", buf, 6), -EFBIG);
	assert_int_equal(child_proto_format("Bad", "x", buf, sizeof(buf)), -EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(child_proto_format("k", big, big, sizeof(big)), -EFBIG);
	memset(big, 'x', sizeof(big) - 1);
	big[1] = ' ';
	assert_int_equal(child_proto_split(big, &key, &value), -EINVAL);
}

static void
test_proto_reasons(void **state)
{
	unsigned r;

	(void)state;
	for (r = 1; r < OIDC__R_MAX; r++) {
		const char *t = child_proto_reason_token((enum oidc_reason)r);
		size_t i;

		for (i = 0; t[i] != '\0'; i++)
			assert_true((t[i] >= 'a' && t[i] <= 'z') || t[i] == '_');
		assert_int_equal(child_proto_reason_from_token(t), r);
	}
	assert_string_equal(child_proto_reason_token(OIDC_R_DENIED), "denied");
	assert_string_equal(child_proto_reason_token(OIDC_R_USER), "user");
	/* never mistaken for success */
	assert_int_equal(child_proto_reason_from_token("none"), OIDC_R_INTERNAL);
	assert_int_equal(child_proto_reason_from_token("bogus"), OIDC_R_INTERNAL);
	assert_int_equal(child_proto_reason_from_token(""), OIDC_R_INTERNAL);
	assert_int_equal(child_proto_reason_from_token(NULL), OIDC_R_INTERNAL);
	assert_string_equal(child_proto_reason_token((enum oidc_reason)999), "internal");
}

static void
test_proto_step(void **state)
{
	static const char *const bad[] = {
		"",
		"discovery",
		"discovery ok",
		"discovery ok 12x",
		"discovery ok -1",
		"discovery fine 12",
		"discovery OK 12",
		"Discovery ok 12",
		"disc-overy ok 12",
		"discovery  ok 12",
		"discovery ok  12",
		"discovery ok 12 tab\there",
		"discovery ok 12 new\nline",
		"discovery ok 99999999999999999999",
		"abcdefghijklmnopqrstuvwxyzabcdefg ok 1", /* a name of 33 bytes */
	};
	struct child_proto_step st;
	char value[CHILD_PROTO_MAX_STEP_DETAIL + 128], line[CHILD_PROTO_MAX_LINE + 1];
	char detail[CHILD_PROTO_MAX_STEP_DETAIL + 50], *key, *v;
	size_t i;

	(void)state;
	/* through the whole wire: format, frame, split, parse */
	assert_int_equal(child_proto_step_format("device_code", true, 1234,
						 "expires in 60 s, polling every 5 s", value,
						 sizeof(value)),
			 0);
	assert_string_equal(value, "device_code ok 1234 expires in 60 s, polling every 5 s");
	assert_true(child_proto_format("step", value, line, sizeof(line)) > 0);
	line[strlen(line) - 1] = '\0';
	assert_int_equal(child_proto_split(line, &key, &v), 0);
	assert_string_equal(key, "step");
	assert_int_equal(child_proto_step_parse(v, &st), 0);
	assert_string_equal(st.name, "device_code");
	assert_true(st.ok);
	assert_int_equal(st.elapsed_ms, 1234);
	assert_string_equal(st.detail, "expires in 60 s, polling every 5 s");
	/* no detail, a failure */
	assert_int_equal(child_proto_step_format("token", false, 0, NULL, value, sizeof(value)), 0);
	assert_string_equal(value, "token failed 0");
	assert_int_equal(child_proto_step_parse(value, &st), 0);
	assert_false(st.ok);
	assert_string_equal(st.detail, "");
	/* the child cleans what it sends: control bytes become '?', long details are cut */
	assert_int_equal(child_proto_step_format("mapping", true, 5, "a\x1b[2J\nb", value,
						 sizeof(value)),
			 0);
	assert_string_equal(value, "mapping ok 5 a?[2J?b");
	memset(detail, 'x', sizeof(detail) - 1);
	detail[sizeof(detail) - 1] = '\0';
	/* a two-byte character straddling the cut is dropped whole */
	detail[CHILD_PROTO_MAX_STEP_DETAIL - 1] = (char)0xc3;
	detail[CHILD_PROTO_MAX_STEP_DETAIL] = (char)0xa9;
	assert_int_equal(child_proto_step_format("claims", true, 5, detail, value, sizeof(value)),
			 0);
	assert_int_equal(child_proto_step_parse(value, &st), 0);
	assert_int_equal(strlen(st.detail), CHILD_PROTO_MAX_STEP_DETAIL - 1);
	assert_null(strchr(st.detail, (char)0xc3));
	/* what the format refuses */
	assert_int_equal(child_proto_step_format("Bad", true, 1, "", value, sizeof(value)),
			 -EINVAL);
	assert_int_equal(child_proto_step_format("device code", true, 1, "", value, sizeof(value)),
			 -EINVAL);
	assert_int_equal(child_proto_step_format("token", true, -1, "", value, sizeof(value)),
			 -EINVAL);
	assert_int_equal(child_proto_step_format("token", true, 1, "abc", value, 10), -EFBIG);
	/* and what the parse refuses */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(value, sizeof(value), "%s", bad[i]);
		if (child_proto_step_parse(value, &st) != -EINVAL)
			print_error("accepted: \"%s\"\n", bad[i]);
		snprintf(value, sizeof(value), "%s", bad[i]);
		assert_int_equal(child_proto_step_parse(value, &st), -EINVAL);
	}
	memset(detail, 'x', sizeof(detail) - 1);
	detail[sizeof(detail) - 1] = '\0';
	snprintf(line, sizeof(line), "claims ok 1 %s", detail);
	assert_int_equal(child_proto_step_parse(line, &st), -EINVAL);
}

/* ---- device authorization response ---- */

#define DA_GOOD_HEAD \
	"{\"device_code\":\"dc-123\",\"user_code\":\"WDJB-MJHT\"," \
	"\"verification_uri\":\"https://idp.example/device\",\"expires_in\":600"

static int
parse_da(long status, const char *body, int64_t def, struct device_auth **da, struct oidc_err *err)
{
	oidc_err_clear(err);
	*da = NULL;
	return device_auth_parse(status, body, strlen(body), def, da, err);
}

static void
test_device_auth_good(void **state)
{
	struct device_auth *da;
	struct oidc_err err;

	(void)state;
	assert_int_equal(parse_da(200, DA_GOOD_HEAD "}", 5, &da, &err), 0);
	assert_string_equal(da->device_code, "dc-123");
	assert_string_equal(da->user_code, "WDJB-MJHT");
	assert_string_equal(da->verification_uri, "https://idp.example/device");
	assert_null(da->verification_uri_complete);
	assert_int_equal(da->expires_in, 600);
	assert_int_equal(da->interval, 5);
	device_auth_free(da);

	assert_int_equal(parse_da(200, DA_GOOD_HEAD ",\"interval\":7,\"verification_uri_complete\":"
				 "\"https://idp.example/device?c=1\"}", 5, &da, &err), 0);
	assert_int_equal(da->interval, 7);
	assert_string_equal(da->verification_uri_complete, "https://idp.example/device?c=1");
	device_auth_free(da);

	/* clamping: 0 -> 1, 1000 -> 60, default too */
	assert_int_equal(parse_da(200, DA_GOOD_HEAD ",\"interval\":0}", 5, &da, &err), 0);
	assert_int_equal(da->interval, DEVICE_INTERVAL_MIN);
	device_auth_free(da);
	assert_int_equal(parse_da(200, DA_GOOD_HEAD ",\"interval\":1000}", 5, &da, &err), 0);
	assert_int_equal(da->interval, DEVICE_INTERVAL_MAX);
	device_auth_free(da);
	assert_int_equal(parse_da(200, DA_GOOD_HEAD "}", 0, &da, &err), 0);
	assert_int_equal(da->interval, DEVICE_INTERVAL_MIN);
	device_auth_free(da);
	device_auth_free(NULL);
}

static void
test_device_auth_bad(void **state)
{
	static const struct {
		long status;
		const char *body;
		enum oidc_reason reason;
	} cases[] = {
		{ 400, "{\"error\":\"invalid_client\"}", OIDC_R_HTTP },
		{ 500, "oops", OIDC_R_HTTP },
		{ 200, "not json", OIDC_R_MALFORMED },
		{ 200, DA_GOOD_HEAD "", OIDC_R_MALFORMED },
		{ 200, DA_GOOD_HEAD "} trailing", OIDC_R_MALFORMED },
		{ 200, DA_GOOD_HEAD ",\"user_code\":\"X\"}", OIDC_R_MALFORMED },
		{ 200, "{\"user_code\":\"A\",\"verification_uri\":\"https://i/d\",\"expires_in\":5}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"verification_uri\":\"https://i/d\",\"expires_in\":5}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\",\"expires_in\":5}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"https://i/d\"}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"https://i/d\",\"expires_in\":\"5\"}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"https://i/d\",\"expires_in\":0}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\\u001b[2J\",\"verification_uri\":\"https://i/d\",\"expires_in\":5}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"\",\"verification_uri\":\"https://i/d\",\"expires_in\":5}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"http://i/d\",\"expires_in\":5}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"https://i/d e\",\"expires_in\":5}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"https://i/\\u0085\",\"expires_in\":5}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"https://i/d\",\"expires_in\":5,\"verification_uri_complete\":\"javascript:x\"}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"https://i/d\",\"expires_in\":5,\"interval\":\"5\"}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"https://i/d\",\"expires_in\":5,\"interval\":-1}", OIDC_R_MALFORMED },
		{ 200, "{\"device_code\":7,\"user_code\":\"A\",\"verification_uri\":\"https://i/d\",\"expires_in\":5}", OIDC_R_MALFORMED },
		{ 200, "[1]", OIDC_R_MALFORMED },
	};
	struct device_auth *da;
	struct oidc_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = parse_da(cases[i].status, cases[i].body, 5, &da, &err);

		if (r == 0 || err.reason != cases[i].reason)
			fail_msg("case %zu: r=%d reason=%d (%s)", i, r, err.reason, err.msg);
		assert_null(da);
		assert_null(strstr(err.msg, "dc-123"));
	}
}

/* Google's device endpoint says verification_url: taken only without verification_uri. */
static void
test_device_auth_google_verification_url(void **state)
{
	static const char *const bad[] = {
		/* the same checks as verification_uri */
		"{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_url\":\"http://g/d\",\"expires_in\":5}",
		"{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_url\":\"https://g/\\u001b[2J\",\"expires_in\":5}",
		"{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_url\":\"\",\"expires_in\":5}",
		"{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_url\":7,\"expires_in\":5}",
		/* a verification_uri that is no string is not replaced by the other */
		"{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":7,\"verification_url\":\"https://g/d\",\"expires_in\":5}",
		/* no other spelling */
		"{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri_\":\"https://g/d\",\"expires_in\":5}",
		"{\"device_code\":\"d\",\"user_code\":\"A\",\"verificationUri\":\"https://g/d\",\"expires_in\":5}",
		"{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_URL\":\"https://g/d\",\"expires_in\":5}",
	};
	struct device_auth *da;
	struct oidc_err err;
	char big[DEVICE_URI_MAX + 200];
	size_t i;

	(void)state;
	/* Google's answer, as its documentation shows it */
	assert_int_equal(parse_da(200,
				  "{\"device_code\":\"AH-1Ng\",\"user_code\":\"GQVQ-JKEC\","
				  "\"verification_url\":\"https://www.google.com/device\","
				  "\"expires_in\":1800,\"interval\":5}",
				  5, &da, &err),
			 0);
	assert_string_equal(da->verification_uri, "https://www.google.com/device");
	assert_int_equal(da->interval, 5);
	device_auth_free(da);
	/* both: verification_uri wins */
	assert_int_equal(parse_da(200,
				  DA_GOOD_HEAD ",\"verification_url\":\"https://other.example/d\"}",
				  5, &da, &err),
			 0);
	assert_string_equal(da->verification_uri, "https://idp.example/device");
	device_auth_free(da);
	/* ... also when the other one would be refused */
	assert_int_equal(parse_da(200, DA_GOOD_HEAD ",\"verification_url\":\"http://x\"}", 5, &da,
				  &err),
			 0);
	device_auth_free(da);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_da(200, bad[i], 5, &da, &err) == 0 || err.reason != OIDC_R_MALFORMED)
			fail_msg("case %zu accepted or wrong reason (%s)", i, err.msg);
		assert_null(da);
	}
	/* the error names the member the provider sent */
	assert_true(parse_da(200, bad[0], 5, &da, &err) < 0);
	assert_non_null(strstr(err.msg, "verification_url is not an https URL"));
	/* the same length bound */
	snprintf(
		big, sizeof(big),
		"{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_url\":\"https://g/%0*d\",\"expires_in\":5}",
		DEVICE_URI_MAX, 0);
	assert_true(parse_da(200, big, 5, &da, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_MALFORMED);
}

/* ---- token responses ---- */

static int
parse_tok(long status, const char *body, char **tok, struct oidc_err *err)
{
	oidc_err_clear(err);
	*tok = NULL;
	return device_token_parse(status, body, strlen(body), tok, err);
}

static void
test_token_parse(void **state)
{
	struct oidc_err err;
	char *tok;

	(void)state;
	assert_int_equal(parse_tok(200, "{\"access_token\":\"at\",\"id_token\":\"a.b.c\"}", &tok, &err),
			 DEVICE_POLL_TOKEN);
	assert_string_equal(tok, "a.b.c");
	secure_free_str(tok);
	assert_int_equal(parse_tok(400, "{\"error\":\"authorization_pending\"}", &tok, &err),
			 DEVICE_POLL_PENDING);
	assert_int_equal(parse_tok(400, "{\"error\":\"slow_down\",\"error_description\":\"x\"}", &tok,
				   &err), DEVICE_POLL_SLOW_DOWN);
	assert_int_equal(parse_tok(400, "{\"error\":\"access_denied\"}", &tok, &err), -EACCES);
	assert_int_equal(err.reason, OIDC_R_DENIED);
	assert_int_equal(parse_tok(400, "{\"error\":\"expired_token\"}", &tok, &err), -ETIMEDOUT);
	assert_int_equal(err.reason, OIDC_R_TIMEOUT);
	assert_true(parse_tok(400, "{\"error\":\"invalid_grant\"}", &tok, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_HTTP);
	assert_non_null(strstr(err.msg, "invalid_grant"));
	/* a provider's error string is quoted only when it is a plain token */
	assert_true(parse_tok(400, "{\"error\":\"\\u001b]0;pwned\\u0007\"}", &tok, &err) < 0);
	assert_null(strchr(err.msg, '\x1b'));
	assert_true(parse_tok(401, "{\"error\":\"invalid_client\"}", &tok, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_HTTP);
	assert_true(parse_tok(500, "{\"error\":\"authorization_pending\"}", &tok, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_HTTP);
	assert_true(parse_tok(400, "{\"error\":7}", &tok, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_MALFORMED);
	assert_true(parse_tok(200, "{\"access_token\":\"at\"}", &tok, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_MALFORMED);
	assert_true(parse_tok(200, "{\"id_token\":7}", &tok, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_MALFORMED);
	assert_true(parse_tok(200, "{\"id_token\":\"\"}", &tok, &err) < 0);
	assert_true(parse_tok(200, "{\"id_token\":\"a\",\"id_token\":\"b\"}", &tok, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_MALFORMED);
	assert_true(parse_tok(200, "{\"id_token\":\"a.b.c\"", &tok, &err) < 0);
	assert_true(parse_tok(400, "{\"error\":\"authorization_pending\"}x", &tok, &err) < 0);
	assert_null(tok);
}

/*
 * Any 4xx with a strict JSON body and a string "error" is judged by the
 * error: Auth0 (403 pending, 429 slow_down, 403 denied), Google (428
 * pending, 403 slow_down and denied), Entra ID (400 authorization_declined).
 */
static void
test_token_parse_error_by_member(void **state)
{
	static const struct {
		long status;
		const char *body;
		int want;
		enum oidc_reason reason;
	} cases[] = {
		{ 403,
		  "{\"error\":\"authorization_pending\",\"error_description\":\"User has yet to authorize device code.\"}",
		  DEVICE_POLL_PENDING, OIDC_R_NONE },
		{ 429,
		  "{\"error\":\"slow_down\",\"error_description\":\"You are polling faster than the specified interval of 5 seconds.\"}",
		  DEVICE_POLL_SLOW_DOWN, OIDC_R_NONE },
		{ 403,
		  "{\"error\":\"access_denied\",\"error_description\":\"User cancelled the confirmation prompt or consent page.\"}",
		  -EACCES, OIDC_R_DENIED },
		{ 403, "{\"error\":\"expired_token\"}", -ETIMEDOUT, OIDC_R_TIMEOUT },
		{ 428,
		  "{\"error\":\"authorization_pending\",\"error_description\":\"Precondition Required\"}",
		  DEVICE_POLL_PENDING, OIDC_R_NONE },
		{ 403, "{\"error\":\"slow_down\",\"error_description\":\"Forbidden\"}",
		  DEVICE_POLL_SLOW_DOWN, OIDC_R_NONE },
		{ 400, "{\"error\":\"authorization_declined\",\"error_codes\":[70000]}", -EACCES,
		  OIDC_R_DENIED },
		{ 403, "{\"error\":\"authorization_declined\"}", -EACCES, OIDC_R_DENIED },
		{ 401, "{\"error\":\"authorization_pending\"}", DEVICE_POLL_PENDING, OIDC_R_NONE },
		/* other errors, 5xx, non-JSON bodies: fatal as before */
		{ 403, "{\"error\":\"invalid_client\"}", -EPROTO, OIDC_R_HTTP },
		{ 429, "{\"error\":\"rate_limit_exceeded\"}", -EPROTO, OIDC_R_HTTP },
		{ 403, "<html>Forbidden</html>", -EPROTO, OIDC_R_HTTP },
		{ 429, "", -EPROTO, OIDC_R_HTTP },
		{ 428, "{\"error\":\"authorization_pending\"} x", -EPROTO, OIDC_R_HTTP },
		{ 403, "{\"error\":\"slow_down\",\"error\":\"access_denied\"}", -EPROTO,
		  OIDC_R_HTTP },
		{ 403, "{\"error\":5}", -EPROTO, OIDC_R_HTTP },
		{ 403, "[\"authorization_pending\"]", -EPROTO, OIDC_R_HTTP },
		{ 403, "{\"error\":\"Authorization_Pending\"}", -EPROTO, OIDC_R_HTTP },
		{ 500, "{\"error\":\"slow_down\"}", -EPROTO, OIDC_R_HTTP },
		{ 503, "{\"error\":\"access_denied\"}", -EPROTO, OIDC_R_HTTP },
		{ 302, "{\"error\":\"authorization_pending\"}", -EPROTO, OIDC_R_HTTP },
		{ 399, "{\"error\":\"authorization_pending\"}", -EPROTO, OIDC_R_HTTP },
		{ 500, "{\"error\":\"authorization_declined\"}", -EPROTO, OIDC_R_HTTP },
	};
	struct oidc_err err;
	char *tok;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = parse_tok(cases[i].status, cases[i].body, &tok, &err);
		if (r != cases[i].want || err.reason != cases[i].reason)
			fail_msg("case %zu (HTTP %ld %s): r=%d reason=%d (%s)", i, cases[i].status,
				 cases[i].body, r, err.reason, err.msg);
		assert_null(tok);
	}
	/* the status of an unknown error is in the message, for the administrator */
	assert_true(parse_tok(403, "{\"error\":\"invalid_client\"}", &tok, &err) < 0);
	assert_non_null(strstr(err.msg, "HTTP 403"));
	assert_non_null(strstr(err.msg, "invalid_client"));
}

/* ---- client secret file ---- */

static char tmpdir[64];

static int
setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_child.XXXXXX");
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static void
rm_rf(const char *dir)
{
	char cmd[128];
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "%s", dir);
	pid = fork();
	if (pid == 0) {
		execl("/bin/rm", "rm", "-rf", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

static int
teardown_dir(void **state)
{
	(void)state;
	rm_rf(tmpdir);
	return 0;
}

static char *
write_file(const char *name, const char *text, mode_t mode)
{
	char *path = malloc(256);
	int fd;

	assert_non_null(path);
	snprintf(path, 256, "%s/%s", tmpdir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static void
test_client_secret(void **state)
{
	struct oidc_err err;
	char *s = NULL, *p, link[256];

	(void)state;
	if (geteuid() != 0)
		skip();
	p = write_file("secret", "s3cr3t value\n", 0600);
	oidc_err_clear(&err);
	assert_int_equal(device_read_client_secret(p, &s, &err), 0);
	assert_string_equal(s, "s3cr3t value");
	secure_free_str(s);
	assert_int_equal(chmod(p, 0400), 0);
	assert_int_equal(device_read_client_secret(p, &s, &err), 0);
	secure_free_str(s);
	/* readable by the group or others, or executable: refused */
	assert_int_equal(chmod(p, 0640), 0);
	oidc_err_clear(&err);
	assert_int_equal(device_read_client_secret(p, &s, &err), -EPERM);
	assert_int_equal(err.reason, OIDC_R_CONFIG);
	assert_null(strstr(err.msg, "s3cr3t"));
	assert_int_equal(chmod(p, 0700), 0);
	assert_int_equal(device_read_client_secret(p, &s, &err), -EPERM);
	/* not owned by root */
	assert_int_equal(chmod(p, 0600), 0);
	assert_int_equal(chown(p, 1, 1), 0);
	assert_int_equal(device_read_client_secret(p, &s, &err), -EPERM);
	assert_int_equal(chown(p, 0, 0), 0);
	/* a symlink is not followed */
	snprintf(link, sizeof(link), "%s/link", tmpdir);
	assert_int_equal(symlink(p, link), 0);
	assert_true(device_read_client_secret(link, &s, &err) < 0);
	free(p);
	/* empty, two lines, control characters */
	p = write_file("empty", "\n", 0600);
	assert_true(device_read_client_secret(p, &s, &err) < 0);
	free(p);
	p = write_file("two", "a\nb\n", 0600);
	assert_true(device_read_client_secret(p, &s, &err) < 0);
	free(p);
}

/* ---- user mapping ---- */

static void
test_name_valid(void **state)
{
	(void)state;
	assert_true(usermap_name_valid("alice"));
	assert_true(usermap_name_valid("a.b_c-d9"));
	assert_true(usermap_name_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"));	/* 32 */
	assert_false(usermap_name_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"));	/* 33 */
	assert_false(usermap_name_valid(""));
	assert_false(usermap_name_valid(NULL));
	assert_false(usermap_name_valid("-rf"));
	assert_false(usermap_name_valid("."));
	assert_false(usermap_name_valid(".."));
	assert_false(usermap_name_valid("a b"));
	assert_false(usermap_name_valid("a@b"));
	assert_false(usermap_name_valid("a/b"));
	assert_false(usermap_name_valid("al\xc3\xaf" "ce"));
	assert_false(usermap_name_valid("a\nb"));
}

static void
test_list_contains(void **state)
{
	(void)state;
	assert_true(usermap_list_contains("a, b ,c", "b"));
	assert_true(usermap_list_contains("a b\tc", "c"));
	assert_true(usermap_list_contains("admins", "admins"));
	assert_false(usermap_list_contains("admins", "admin"));
	assert_false(usermap_list_contains("admin", "admins"));
	assert_false(usermap_list_contains("Admins", "admins"));
	assert_false(usermap_list_contains("", "a"));
	assert_false(usermap_list_contains(NULL, "a"));
	assert_false(usermap_list_contains("a,,b", ""));
}

static int
map(struct oidc_conf *conf, const char *claims_json, const char *want,
    struct oidc_identity **id, struct oidc_err *err)
{
	json_object *claims = json_tokener_parse(claims_json);
	int r;

	assert_non_null(claims);
	oidc_err_clear(err);
	*id = NULL;
	r = usermap_map(conf, claims, want, id, err);
	json_object_put(claims);
	return r;
}

#define ISS "\"iss\":\"https://idp.example\",\"sub\":\"s-1\""

static void
test_map_claim(void **state)
{
	struct oidc_conf conf;
	struct oidc_identity *id;
	struct oidc_err err;

	(void)state;
	memset(&conf, 0, sizeof(conf));
	/* default claim preferred_username; root always exists */
	assert_int_equal(map(&conf, "{" ISS ",\"preferred_username\":\"root\",\"email\":\"r@x\","
			     "\"auth_time\":1700000000,\"acr\":\"mfa\"}", "root", &id, &err), 0);
	assert_string_equal(id->user, "root");
	assert_string_equal(id->username, "root");
	assert_string_equal(id->issuer, "https://idp.example");
	assert_string_equal(id->subject, "s-1");
	assert_string_equal(id->email, "r@x");
	assert_string_equal(id->acr, "mfa");
	assert_int_equal(id->auth_time, 1700000000);
	oidc_identity_free(id);
	/* absent optional claims */
	assert_int_equal(map(&conf, "{" ISS ",\"preferred_username\":\"root\"}", "root", &id, &err), 0);
	assert_string_equal(id->email, "");
	assert_string_equal(id->acr, "");
	assert_int_equal(id->auth_time, 0);
	oidc_identity_free(id);
	/* exact comparison: no case folding, no prefix */
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"Root\"}", "root", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_USER);
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\"}", "roo", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_USER);
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\"}", NULL, &id, &err) < 0);
	/* missing claim: no fallback to email or sub */
	assert_true(map(&conf, "{" ISS ",\"email\":\"root\",\"email_verified\":true}", "root", &id,
			&err) < 0);
	assert_int_equal(err.reason, OIDC_R_CLAIM);
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":7}", "root", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_CLAIM);
	/* @domain is not stripped unless configured */
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root@corp\"}", "root", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_USER);
	/* a valid name that does not exist */
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"no-such-user-xyz\"}",
			"no-such-user-xyz", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_USER);
	/* an invalid name */
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"../root\"}", "../root", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_USER);
	/* a bad optional claim type is an error, not ignored */
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\",\"email\":[1]}", "root", &id,
			&err) < 0);
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\",\"auth_time\":\"1\"}", "root",
			&id, &err) < 0);
}

static void
test_map_email(void **state)
{
	struct oidc_conf conf;
	struct oidc_identity *id;
	struct oidc_err err;
	char claim[] = "email", dom[] = "corp.example";

	(void)state;
	memset(&conf, 0, sizeof(conf));
	conf.username_claim = claim;
	conf.username_domain = dom;
	assert_int_equal(map(&conf, "{" ISS ",\"email\":\"root@corp.example\",\"email_verified\":true}",
			     "root", &id, &err), 0);
	assert_string_equal(id->user, "root");
	assert_string_equal(id->username, "root@corp.example");
	oidc_identity_free(id);
	/* email_verified must be JSON true */
	assert_true(map(&conf, "{" ISS ",\"email\":\"root@corp.example\",\"email_verified\":\"true\"}",
			"root", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_CLAIM);
	assert_true(map(&conf, "{" ISS ",\"email\":\"root@corp.example\",\"email_verified\":false}",
			"root", &id, &err) < 0);
	assert_true(map(&conf, "{" ISS ",\"email\":\"root@corp.example\",\"email_verified\":1}",
			"root", &id, &err) < 0);
	assert_true(map(&conf, "{" ISS ",\"email\":\"root@corp.example\"}", "root", &id, &err) < 0);
	/* the domain must match exactly */
	assert_true(map(&conf, "{" ISS ",\"email\":\"root@sub.corp.example\",\"email_verified\":true}",
			"root", &id, &err) < 0);
	assert_true(map(&conf, "{" ISS ",\"email\":\"root@CORP.example\",\"email_verified\":true}",
			"root", &id, &err) < 0);
	assert_true(map(&conf, "{" ISS ",\"email\":\"root@corp.example.evil\",\"email_verified\":true}",
			"root", &id, &err) < 0);
	assert_true(map(&conf, "{" ISS ",\"email\":\"root@evil@corp.example\",\"email_verified\":true}",
			"root@evil", &id, &err) < 0);
}

/*
 * With username_domain set, a name without any @domain is not admitted:
 * the domain is the condition, not an optional suffix to strip.
 */
static void
test_map_needs_domain(void **state)
{
	struct oidc_conf conf;
	struct oidc_identity *id = NULL;
	struct oidc_err err;
	char claim[] = "email", dom[] = "corp.example";

	(void)state;
	memset(&conf, 0, sizeof(conf));
	conf.username_domain = dom;
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\"}", "root", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_USER);
	assert_null(id);
	conf.username_claim = claim;
	assert_true(map(&conf, "{" ISS ",\"email\":\"root\",\"email_verified\":true}", "root", &id,
			&err) < 0);
	assert_int_equal(err.reason, OIDC_R_USER);
	assert_null(id);
	/* with the suffix it still maps */
	assert_int_equal(map(&conf,
			     "{" ISS ",\"email\":\"root@corp.example\",\"email_verified\":true}",
			     "root", &id, &err),
			 0);
	oidc_identity_free(id);
}

static void
test_map_lists(void **state)
{
	struct oidc_conf conf;
	struct oidc_identity *id;
	struct oidc_err err;
	char subs[] = "s-0, s-1", nosubs[] = "s-2", groups[] = "admins ops", empty[] = "";

	(void)state;
	memset(&conf, 0, sizeof(conf));
	conf.allowed_subjects = subs;
	assert_int_equal(map(&conf, "{" ISS ",\"preferred_username\":\"root\"}", "root", &id, &err), 0);
	oidc_identity_free(id);
	conf.allowed_subjects = nosubs;
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\"}", "root", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_DENIED);
	conf.allowed_subjects = empty;	/* empty = not configured */
	assert_int_equal(map(&conf, "{" ISS ",\"preferred_username\":\"root\"}", "root", &id, &err), 0);
	oidc_identity_free(id);
	conf.allowed_subjects = NULL;
	conf.allowed_groups = groups;
	assert_int_equal(map(&conf, "{" ISS ",\"preferred_username\":\"root\",\"groups\":[\"dev\",\"ops\"]}",
			     "root", &id, &err), 0);
	oidc_identity_free(id);
	assert_int_equal(map(&conf, "{" ISS ",\"preferred_username\":\"root\",\"groups\":\"admins\"}",
			     "root", &id, &err), 0);
	oidc_identity_free(id);
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\",\"groups\":[\"dev\"]}", "root",
			&id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_DENIED);
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\"}", "root", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_DENIED);
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\",\"groups\":[1,\"admins\"]}",
			"root", &id, &err) < 0);
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\",\"groups\":[\"Admins\"]}",
			"root", &id, &err) < 0);
}

static void
test_map_file(void **state)
{
	struct oidc_conf conf;
	struct oidc_identity *id;
	struct oidc_err err;
	char *p, *user = NULL;

	(void)state;
	memset(&conf, 0, sizeof(conf));
	p = write_file("map", "# comment\n\nhttps://other s-1 daemon\n"
			      "https://idp.example s-1 root\r\n"
			      "https://idp.example s-2\tdaemon\n", 0644);
	conf.user_map_file = p;
	/* the claim is not used at all with a map file */
	assert_int_equal(map(&conf, "{" ISS ",\"preferred_username\":\"daemon\"}", "root", &id, &err), 0);
	assert_string_equal(id->user, "root");
	assert_string_equal(id->username, "s-1");
	oidc_identity_free(id);
	assert_true(map(&conf, "{" ISS ",\"preferred_username\":\"root\"}", "daemon", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_USER);
	assert_true(map(&conf, "{\"iss\":\"https://idp.example\",\"sub\":\"s-9\"}", "root", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_USER);
	/* issuer and subject compared exactly */
	assert_true(map(&conf, "{\"iss\":\"https://idp.example/\",\"sub\":\"s-1\"}", "root", &id, &err) < 0);
	assert_true(map(&conf, "{\"iss\":\"https://idp.example\",\"sub\":\"S-1\"}", "root", &id, &err) < 0);
	oidc_err_clear(&err);
	assert_int_equal(usermap_lookup_file(p, "https://idp.example", "s-2", &user, &err), 0);
	assert_string_equal(user, "daemon");
	free(user);
	/* writable by others: refused */
	assert_int_equal(chmod(p, 0666), 0);
	assert_true(map(&conf, "{" ISS "}", "root", &id, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_CONFIG);
	free(p);
	/* malformed lines and ambiguous maps fail closed */
	p = write_file("map2", "https://idp.example s-1\n", 0600);
	oidc_err_clear(&err);
	assert_true(usermap_lookup_file(p, "https://idp.example", "s-1", &user, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_CONFIG);
	free(p);
	p = write_file("map3", "https://idp.example s-1 root\nhttps://idp.example s-1 daemon\n", 0600);
	oidc_err_clear(&err);
	assert_true(usermap_lookup_file(p, "https://idp.example", "s-1", &user, &err) < 0);
	free(p);
	p = write_file("map4", "https://idp.example s-1 ro\x1bot\n", 0600);
	oidc_err_clear(&err);
	assert_true(usermap_lookup_file(p, "https://idp.example", "s-1", &user, &err) < 0);
	free(p);
	p = write_file("map5", "https://idp.example s-1 -root\n", 0600);
	oidc_err_clear(&err);
	assert_true(usermap_lookup_file(p, "https://idp.example", "s-1", &user, &err) < 0);
	free(p);
	oidc_err_clear(&err);
	assert_true(usermap_lookup_file("/nonexistent/map", "i", "s", &user, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_CONFIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proto_roundtrip),
		cmocka_unit_test(test_proto_bad),
		cmocka_unit_test(test_proto_reasons),
		cmocka_unit_test(test_proto_step),
		cmocka_unit_test(test_device_auth_good),
		cmocka_unit_test(test_device_auth_bad),
		cmocka_unit_test(test_token_parse),
		cmocka_unit_test(test_client_secret),
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test(test_list_contains),
		cmocka_unit_test(test_map_claim),
		cmocka_unit_test(test_map_email),
		cmocka_unit_test(test_map_lists),
		cmocka_unit_test(test_map_file),
		cmocka_unit_test(test_map_needs_domain),
		cmocka_unit_test(test_device_auth_google_verification_url),
		cmocka_unit_test(test_token_parse_error_by_member),
	};

	return cmocka_run_group_tests_name("child", tests, setup_dir, teardown_dir);
}
