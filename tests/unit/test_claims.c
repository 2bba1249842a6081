/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of ID token claim validation (pam_oidc/jose/claims.c).  Claim sets
 * go through json_strict_parse first, as they do in the verifier, so the
 * JSON-level rules (duplicates, \u0000, NaN) are covered on the same path.
 */
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

#include "claims.h"
#include "json_strict.h"
#include "oidc_err.h"

#define NOW INT64_C(1700000000)
#define LEEWAY 60

#define ISS "\"iss\":\"https://idp.example.com\""
#define AUD "\"aud\":\"client-1\""
#define SUB "\"sub\":\"alice\""
#define EXP "\"exp\":1700000300"
#define IAT "\"iat\":1699999990"

static struct claims_policy
policy(void)
{
	struct claims_policy p = {
		.issuer = "https://idp.example.com",
		.client_id = "client-1",
		.now = NOW,
		.leeway = LEEWAY,
		.max_age = -1,
		.acr_values = NULL,
	};

	return p;
}

/* Marker put into untrusted values: it must never reach a message. */
#define TAINT "T41NT"

static enum oidc_reason
check_obj(json_object *o, const struct claims_policy *p)
{
	struct oidc_err e;
	int r;

	oidc_err_clear(&e);
	r = claims_check(o, p, &e);
	if (r == 0) {
		assert_int_equal(e.reason, OIDC_R_NONE);
	} else {
		assert_true(r < 0);
		assert_int_not_equal(e.reason, OIDC_R_NONE);
		assert_true(e.msg[0] != '\0');
		if (strstr(e.msg, TAINT) != NULL)
			fail_msg("message repeats a token value: %s", e.msg);
	}
	return e.reason;
}

/* Parse strictly, then check; MALFORMED when the JSON layer refuses. */
static enum oidc_reason
check_p(const char *json, const struct claims_policy *p)
{
	json_object *o = NULL;
	struct oidc_err e;
	enum oidc_reason reason;

	oidc_err_clear(&e);
	if (json_strict_parse(json, strlen(json), 65536, JSON_STRICT_MAX_DEPTH, true, &o, &e) < 0) {
		assert_int_equal(e.reason, OIDC_R_MALFORMED);
		return OIDC_R_MALFORMED;
	}
	reason = check_obj(o, p);
	json_object_put(o);
	return reason;
}

static enum oidc_reason
check(const char *json)
{
	struct claims_policy p = policy();

	return check_p(json, &p);
}

#define EXPECT(reason, json) do { \
	enum oidc_reason got_ = check(json); \
	if (got_ != (reason)) \
		fail_msg("%s: got '%s', expected '%s'", json, oidc_reason_name(got_), \
			 oidc_reason_name(reason)); \
} while (0)

#define OK(json) EXPECT(OIDC_R_NONE, json)

static void
test_valid(void **state)
{
	OK("{" ISS "," AUD "," SUB "," EXP "," IAT "}");
	OK("{" ISS ",\"aud\":[\"client-1\"]," SUB "," EXP "," IAT ",\"nbf\":1699999990,"
	   "\"name\":\"Alice\",\"extra\":{\"nested\":[1,2,3]}}");
	OK("{" ISS ",\"aud\":[\"other\",\"client-1\"],\"azp\":\"client-1\"," SUB "," EXP "," IAT "}");
	/* Fractions are JSON numbers like any other. */
	OK("{" ISS "," AUD "," SUB ",\"exp\":1700000300.25,\"iat\":1699999990.5}");
	OK("{" ISS "," AUD "," SUB ",\"exp\":1.7000003e9,\"iat\":1699999990}");
	/* The far edge of the time range. */
	OK("{" ISS "," AUD "," SUB ",\"exp\":253402300799," IAT "}");
}

static void
test_iss_trailing_slash(void **state)
{
	EXPECT(OIDC_R_ISSUER, "{\"iss\":\"https://idp.example.com/\"," AUD "," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_ISSUER, "{\"iss\":\"https://idp.example.com\\/\"," AUD "," SUB "," EXP "," IAT "}");
}

static void
test_iss_case(void **state)
{
	EXPECT(OIDC_R_ISSUER, "{\"iss\":\"https://IDP.example.com\"," AUD "," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_ISSUER, "{\"iss\":\"HTTPS://idp.example.com\"," AUD "," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_ISSUER, "{\"iss\":\"https://idp.Example.com\"," AUD "," SUB "," EXP "," IAT "}");
}

static void
test_iss_other_mismatch(void **state)
{
	EXPECT(OIDC_R_ISSUER, "{\"iss\":\"https://idp.example.co\"," AUD "," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_ISSUER, "{\"iss\":\"https://idp.example.com \"," AUD "," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_ISSUER, "{\"iss\":\"https://" TAINT ".example\"," AUD "," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_ISSUER, "{\"iss\":\"\"," AUD "," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_ISSUER, "{\"iss\":null," AUD "," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_ISSUER, "{\"iss\":[\"https://idp.example.com\"]," AUD "," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_ISSUER, "{" AUD "," SUB "," EXP "," IAT "}");
}

/* A tree built by hand can hold a NUL that the strict parser never lets in. */
static void
test_issuer_embedded_nul(void **state)
{
	static const char iss[] = "https://idp.example.com\0.evil";
	struct claims_policy p = policy();
	json_object *o;

	assert_int_equal(json_strict_parse("{" AUD "," SUB "," EXP "," IAT "}",
					   strlen("{" AUD "," SUB "," EXP "," IAT "}"), 4096, 4,
					   true, &o, NULL), 0);
	json_object_object_add(o, "iss", json_object_new_string_len(iss, sizeof(iss) - 1));
	assert_int_equal(check_obj(o, &p), OIDC_R_ISSUER);
	json_object_object_add(o, "iss", json_object_new_string(p.issuer));
	assert_int_equal(check_obj(o, &p), OIDC_R_NONE);
	json_object_object_add(o, "sub", json_object_new_string_len("root\0x", 6));
	assert_int_equal(check_obj(o, &p), OIDC_R_SUBJECT);
	json_object_put(o);
}

static void
test_aud_string_mismatch(void **state)
{
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":\"client-2\"," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":\"Client-1\"," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":\"client-1x\"," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":\"client-\"," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":\"" TAINT "\"," SUB "," EXP "," IAT "}");
}

static void
test_aud_array_without_client(void **state)
{
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":[\"a\",\"b\"],\"azp\":\"client-1\"," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":[\"client-2\"]," SUB "," EXP "," IAT "}");
}

static void
test_aud_empty_array(void **state)
{
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":[]," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":[],\"azp\":\"client-1\"," SUB "," EXP "," IAT "}");
}

static void
test_aud_non_string_member(void **state)
{
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":[\"client-1\",1],\"azp\":\"client-1\"," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":[[\"client-1\"]]," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":[null]," SUB "," EXP "," IAT "}");
}

static void
test_aud_missing_or_wrong_type(void **state)
{
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":null," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":{\"client-1\":true}," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS ",\"aud\":1," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AUDIENCE, "{" ISS "," SUB "," EXP "," IAT "}");
}

/* Several audiences need azp. */
static void
test_aud_several_without_azp(void **state)
{
	EXPECT(OIDC_R_AZP, "{" ISS ",\"aud\":[\"client-1\",\"other\"]," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AZP, "{" ISS ",\"aud\":[\"other\",\"client-1\"]," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AZP, "{" ISS ",\"aud\":[\"client-1\",\"client-1\"]," SUB "," EXP "," IAT "}");
	OK("{" ISS ",\"aud\":[\"client-1\",\"other\"],\"azp\":\"client-1\"," SUB "," EXP "," IAT "}");
}

/* azp, when present, is the client. */
static void
test_azp_different(void **state)
{
	EXPECT(OIDC_R_AZP, "{" ISS ",\"aud\":[\"client-1\",\"other\"],\"azp\":\"other\"," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AZP, "{" ISS "," AUD ",\"azp\":\"" TAINT "\"," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AZP, "{" ISS "," AUD ",\"azp\":\"Client-1\"," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AZP, "{" ISS "," AUD ",\"azp\":[\"client-1\"]," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_AZP, "{" ISS "," AUD ",\"azp\":null," SUB "," EXP "," IAT "}");
	OK("{" ISS "," AUD ",\"azp\":\"client-1\"," SUB "," EXP "," IAT "}");
	OK("{" ISS ",\"aud\":[\"client-1\"]," SUB "," EXP "," IAT "}");
}

static void
test_duplicate_sub(void **state)
{
	EXPECT(OIDC_R_MALFORMED, "{" ISS "," AUD "," SUB ",\"sub\":\"root\"," EXP "," IAT "}");
	EXPECT(OIDC_R_MALFORMED, "{" ISS "," AUD "," SUB ",\"\\u0073ub\":\"root\"," EXP "," IAT "}");
}

static void
test_duplicate_aud(void **state)
{
	EXPECT(OIDC_R_MALFORMED, "{" ISS "," AUD ",\"aud\":\"client-1\"," SUB "," EXP "," IAT "}");
	EXPECT(OIDC_R_MALFORMED, "{" ISS "," AUD ",\"aud\":[\"evil\"]," SUB "," EXP "," IAT "}");
}

static void
test_sub_nul(void **state)
{
	EXPECT(OIDC_R_MALFORMED, "{" ISS "," AUD ",\"sub\":\"root\\u0000x\"," EXP "," IAT "}");
	EXPECT(OIDC_R_MALFORMED, "{" ISS "," AUD "," SUB "," EXP "," IAT ",\"\\u0069at\":1}");
}

static void
test_exp_1e300(void **state)
{
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":1e300," IAT "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":1e400," IAT "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":253402300800," IAT "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":-1," IAT "}");
}

/* 2^63: json-c clamps it to INT64_MAX, which must still be out of range. */
static void
test_exp_2pow63(void **state)
{
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":9223372036854775808," IAT "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":9223372036854775807," IAT "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":18446744073709551616," IAT "}");
}

static void
test_exp_string(void **state)
{
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":\"123\"," IAT "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":\"1700000300\"," IAT "}");
}

static void
test_exp_nan(void **state)
{
	struct claims_policy p = policy();
	json_object *o;

	/* NaN is not JSON: the strict parser refuses it... */
	EXPECT(OIDC_R_MALFORMED, "{" ISS "," AUD "," SUB ",\"exp\":NaN," IAT "}");
	EXPECT(OIDC_R_MALFORMED, "{" ISS "," AUD "," SUB ",\"exp\":Infinity," IAT "}");
	/* ...and a tree that holds one anyway is refused by the claim check. */
	assert_int_equal(json_strict_parse("{" ISS "," AUD "," SUB "," IAT "}",
					   strlen("{" ISS "," AUD "," SUB "," IAT "}"), 4096, 4,
					   true, &o, NULL), 0);
	json_object_object_add(o, "exp", json_object_new_double(NAN));
	assert_int_equal(check_obj(o, &p), OIDC_R_CLAIM);
	json_object_object_add(o, "exp", json_object_new_double(INFINITY));
	assert_int_equal(check_obj(o, &p), OIDC_R_CLAIM);
	json_object_object_add(o, "exp", json_object_new_int64(INT64_MAX));
	assert_int_equal(check_obj(o, &p), OIDC_R_CLAIM);
	json_object_object_add(o, "exp", json_object_new_int64(NOW + 300));
	assert_int_equal(check_obj(o, &p), OIDC_R_NONE);
	json_object_put(o);
}

static void
test_exp_bool(void **state)
{
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":true," IAT "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":false," IAT "}");
}

static void
test_exp_missing_or_other_type(void **state)
{
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":null," IAT "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":[1700000300]," IAT "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB ",\"exp\":{}," IAT "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB "," IAT "}");
}

static void
test_other_time_types(void **state)
{
	EXPECT(OIDC_R_IAT, "{" ISS "," AUD "," SUB "," EXP "}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB "," EXP ",\"iat\":\"1699999990\"}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB "," EXP ",\"iat\":false}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB "," EXP "," IAT ",\"nbf\":\"0\"}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB "," EXP "," IAT ",\"nbf\":1e300}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB "," EXP "," IAT ",\"nbf\":null}");
	EXPECT(OIDC_R_CLAIM, "{" ISS "," AUD "," SUB "," EXP "," IAT ",\"auth_time\":\"x\"}");
}

static char *
with_time(const char *name, const char *value)
{
	static char buf[512];
	const char *exp = strcmp(name, "exp") == 0 ? "" : "," EXP;
	const char *iat = strcmp(name, "iat") == 0 ? "" : "," IAT;

	snprintf(buf, sizeof(buf), "{" ISS "," AUD "," SUB "%s%s,\"%s\":%s}", exp, iat, name, value);
	return buf;
}

/* now >= exp + leeway is expired: one second either side of the edge. */
static void
test_exp_leeway(void **state)
{
	EXPECT(OIDC_R_EXPIRED, with_time("exp", "1699999940"));	/* NOW - 60 */
	OK(with_time("exp", "1699999941"));				/* NOW - 59 */
	EXPECT(OIDC_R_EXPIRED, with_time("exp", "1699999939"));
	EXPECT(OIDC_R_EXPIRED, with_time("exp", "1699999940.9"));	/* rounds down */
	EXPECT(OIDC_R_EXPIRED, with_time("exp", "0"));
}

/* nbf > now + leeway is not yet valid. */
static void
test_nbf_leeway(void **state)
{
	EXPECT(OIDC_R_NOT_YET_VALID, with_time("nbf", "1700000061"));	/* NOW + 61 */
	OK(with_time("nbf", "1700000060"));				/* NOW + 60 */
	EXPECT(OIDC_R_NOT_YET_VALID, with_time("nbf", "1700000060.1"));	/* rounds up */
	OK(with_time("nbf", "0"));
}

/* iat > now + leeway is issued in the future. */
static void
test_iat_leeway(void **state)
{
	EXPECT(OIDC_R_IAT, with_time("iat", "1700000061"));
	OK(with_time("iat", "1700000060"));
	EXPECT(OIDC_R_IAT, with_time("iat", "1700000060.5"));
	OK(with_time("iat", "1600000000"));
}

/* The leeway is the policy's, not a constant. */
static void
test_leeway_configurable(void **state)
{
	struct claims_policy p = policy();
	char json[256];

	p.leeway = 0;
	snprintf(json, sizeof(json), "{" ISS "," AUD "," SUB ",\"exp\":%lld," IAT "}", (long long)NOW);
	assert_int_equal(check_p(json, &p), OIDC_R_EXPIRED);
	snprintf(json, sizeof(json), "{" ISS "," AUD "," SUB ",\"exp\":%lld," IAT "}", (long long)NOW + 1);
	assert_int_equal(check_p(json, &p), OIDC_R_NONE);
	snprintf(json, sizeof(json), "{" ISS "," AUD "," SUB "," EXP ",\"iat\":%lld}", (long long)NOW + 1);
	assert_int_equal(check_p(json, &p), OIDC_R_IAT);
	p.leeway = 300;
	snprintf(json, sizeof(json), "{" ISS "," AUD "," SUB ",\"exp\":%lld," IAT "}", (long long)NOW - 299);
	assert_int_equal(check_p(json, &p), OIDC_R_NONE);
	snprintf(json, sizeof(json), "{" ISS "," AUD "," SUB ",\"exp\":%lld," IAT "}", (long long)NOW - 300);
	assert_int_equal(check_p(json, &p), OIDC_R_EXPIRED);
	p.leeway = -1;
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT "}", &p), OIDC_R_CONFIG);
}

static void
test_subject(void **state)
{
	char json[1024], sub[300];

	EXPECT(OIDC_R_SUBJECT, "{" ISS "," AUD "," EXP "," IAT "}");
	EXPECT(OIDC_R_SUBJECT, "{" ISS "," AUD ",\"sub\":\"\"," EXP "," IAT "}");
	EXPECT(OIDC_R_SUBJECT, "{" ISS "," AUD ",\"sub\":42," EXP "," IAT "}");
	EXPECT(OIDC_R_SUBJECT, "{" ISS "," AUD ",\"sub\":null," EXP "," IAT "}");
	EXPECT(OIDC_R_SUBJECT, "{" ISS "," AUD ",\"sub\":[\"alice\"]," EXP "," IAT "}");
	EXPECT(OIDC_R_SUBJECT, "{" ISS "," AUD ",\"sub\":\"" TAINT "\\u0001\"," EXP "," IAT "}");
	EXPECT(OIDC_R_SUBJECT, "{" ISS "," AUD ",\"sub\":\"alice\\n\"," EXP "," IAT "}");
	EXPECT(OIDC_R_SUBJECT, "{" ISS "," AUD ",\"sub\":\"\\u001b[31malice\"," EXP "," IAT "}");
	EXPECT(OIDC_R_SUBJECT, "{" ISS "," AUD ",\"sub\":\"alice\\u007f\"," EXP "," IAT "}");
	OK("{" ISS "," AUD ",\"sub\":\"248289761001 \\u00e9\"," EXP "," IAT "}");

	memset(sub, 'x', sizeof(sub));
	sub[CLAIM_SUB_MAX] = '\0';
	snprintf(json, sizeof(json), "{" ISS "," AUD ",\"sub\":\"%s\"," EXP "," IAT "}", sub);
	OK(json);
	sub[CLAIM_SUB_MAX] = 'x';
	sub[CLAIM_SUB_MAX + 1] = '\0';
	snprintf(json, sizeof(json), "{" ISS "," AUD ",\"sub\":\"%s\"," EXP "," IAT "}", sub);
	EXPECT(OIDC_R_SUBJECT, json);
}

static void
test_max_age(void **state)
{
	struct claims_policy p = policy();
	char json[256];

	p.max_age = 300;
	/* auth_time required once max_age is set. */
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT "}", &p), OIDC_R_AUTH_TIME);
	/* now - auth_time > max_age + leeway rejects: edge at 360 s. */
	snprintf(json, sizeof(json), "{" ISS "," AUD "," SUB "," EXP "," IAT ",\"auth_time\":%lld}",
		 (long long)NOW - 360);
	assert_int_equal(check_p(json, &p), OIDC_R_NONE);
	snprintf(json, sizeof(json), "{" ISS "," AUD "," SUB "," EXP "," IAT ",\"auth_time\":%lld}",
		 (long long)NOW - 361);
	assert_int_equal(check_p(json, &p), OIDC_R_AUTH_TIME);
	/* auth_time in the future beyond the leeway is refused as well. */
	snprintf(json, sizeof(json), "{" ISS "," AUD "," SUB "," EXP "," IAT ",\"auth_time\":%lld}",
		 (long long)NOW + 61);
	assert_int_equal(check_p(json, &p), OIDC_R_AUTH_TIME);
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT ",\"auth_time\":\"1\"}", &p),
			 OIDC_R_CLAIM);
	/* Without max_age, an old auth_time is fine and its absence too. */
	p.max_age = -1;
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT ",\"auth_time\":1}", &p),
			 OIDC_R_NONE);
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT "}", &p), OIDC_R_NONE);
	/* max_age 0 still allows the leeway. */
	p.max_age = 0;
	snprintf(json, sizeof(json), "{" ISS "," AUD "," SUB "," EXP "," IAT ",\"auth_time\":%lld}",
		 (long long)NOW - 60);
	assert_int_equal(check_p(json, &p), OIDC_R_NONE);
}

static void
test_acr(void **state)
{
	static const char *const mfa[] = { "urn:mfa", "phr", NULL };
	static const char *const nothing[] = { NULL };
	struct claims_policy p = policy();

	p.acr_values = mfa;
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT ",\"acr\":\"urn:mfa\"}", &p),
			 OIDC_R_NONE);
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT ",\"acr\":\"phr\"}", &p),
			 OIDC_R_NONE);
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT ",\"acr\":\"urn:pwd\"}", &p),
			 OIDC_R_ACR);
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT ",\"acr\":\"URN:MFA\"}", &p),
			 OIDC_R_ACR);
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT ",\"acr\":\"" TAINT "\"}", &p),
			 OIDC_R_ACR);
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT ",\"acr\":[\"urn:mfa\"]}", &p),
			 OIDC_R_ACR);
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT "}", &p), OIDC_R_ACR);
	p.acr_values = nothing;
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT ",\"acr\":\"urn:mfa\"}", &p),
			 OIDC_R_ACR);
	p.acr_values = NULL;
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT ",\"acr\":\"anything\"}", &p),
			 OIDC_R_NONE);
}

/*
 * required_claims: Google Workspace's hd.  A consumer account on a
 * Workspace domain's address has that email but no hd; it must not pass.
 */
static void
test_required_claims(void **state)
{
	static const char *const hd[] = { "hd", "example.com", NULL };
	static const char *const two[] = { "hd", "example.com", "tid", "t-1", NULL };
	struct claims_policy p = policy();
	struct oidc_err e;
	json_object *o = NULL;

#define BASE "{" ISS "," AUD "," SUB "," EXP "," IAT ",\"email\":\"a@example.com\""
	p.required = hd;
	assert_int_equal(check_p(BASE ",\"hd\":\"example.com\"}", &p), OIDC_R_NONE);
	/* the consumer account: same email, no hd */
	assert_int_equal(check_p(BASE "}", &p), OIDC_R_CLAIM);
	/* another Workspace, a near miss, other case, a prefix, a suffix */
	assert_int_equal(check_p(BASE ",\"hd\":\"" TAINT ".com\"}", &p), OIDC_R_CLAIM);
	assert_int_equal(check_p(BASE ",\"hd\":\"Example.com\"}", &p), OIDC_R_CLAIM);
	assert_int_equal(check_p(BASE ",\"hd\":\"example.co\"}", &p), OIDC_R_CLAIM);
	assert_int_equal(check_p(BASE ",\"hd\":\"example.com.\"}", &p), OIDC_R_CLAIM);
	assert_int_equal(check_p(BASE ",\"hd\":\"example.com\\u0000" TAINT "\"}", &p),
			 OIDC_R_MALFORMED);
	/* only a JSON string counts */
	assert_int_equal(check_p(BASE ",\"hd\":[\"example.com\"]}", &p), OIDC_R_CLAIM);
	assert_int_equal(check_p(BASE ",\"hd\":null}", &p), OIDC_R_CLAIM);
	assert_int_equal(check_p(BASE ",\"hd\":{\"v\":\"example.com\"}}", &p), OIDC_R_CLAIM);
	/* every pair is required */
	p.required = two;
	assert_int_equal(check_p(BASE ",\"hd\":\"example.com\",\"tid\":\"t-1\"}", &p), OIDC_R_NONE);
	assert_int_equal(check_p(BASE ",\"hd\":\"example.com\"}", &p), OIDC_R_CLAIM);
	assert_int_equal(check_p(BASE ",\"hd\":\"example.com\",\"tid\":\"t-2\"}", &p),
			 OIDC_R_CLAIM);
	/* without the option, hd is not looked at */
	p.required = NULL;
	assert_int_equal(check_p(BASE "}", &p), OIDC_R_NONE);

	/* the messages name the claim and say what is wrong, never the token's value */
	p.required = hd;
	oidc_err_clear(&e);
	assert_int_equal(json_strict_parse(BASE "}", strlen(BASE "}"), 65536, JSON_STRICT_MAX_DEPTH,
					   true, &o, &e),
			 0);
	assert_int_equal(claims_check(o, &p, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "claim hd is required (required_claims) but missing"));
	json_object_put(o);
	o = NULL;
	oidc_err_clear(&e);
	assert_int_equal(json_strict_parse(BASE ",\"hd\":\"" TAINT "\"}",
					   strlen(BASE ",\"hd\":\"" TAINT "\"}"), 65536,
					   JSON_STRICT_MAX_DEPTH, true, &o, &e),
			 0);
	assert_int_equal(claims_check(o, &p, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "claim hd is not the required value 'example.com'"));
	json_object_put(o);
#undef BASE
}

static void
test_bad_policy_and_input(void **state)
{
	struct claims_policy p = policy();
	json_object *arr = json_object_new_array();
	struct oidc_err e;

	p.issuer = NULL;
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT "}", &p), OIDC_R_CONFIG);
	p = policy();
	p.client_id = "";
	assert_int_equal(check_p("{" ISS "," AUD "," SUB "," EXP "," IAT "}", &p), OIDC_R_CONFIG);
	p = policy();
	oidc_err_clear(&e);
	assert_int_equal(claims_check(NULL, &p, &e), -EINVAL);
	assert_int_equal(e.reason, OIDC_R_MALFORMED);
	oidc_err_clear(&e);
	assert_int_equal(claims_check(arr, &p, &e), -EINVAL);
	assert_int_equal(e.reason, OIDC_R_MALFORMED);
	oidc_err_clear(&e);
	assert_int_equal(claims_check(arr, NULL, &e), -EINVAL);
	assert_int_equal(e.reason, OIDC_R_CONFIG);
	json_object_put(arr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_iss_trailing_slash),
		cmocka_unit_test(test_iss_case),
		cmocka_unit_test(test_iss_other_mismatch),
		cmocka_unit_test(test_issuer_embedded_nul),
		cmocka_unit_test(test_aud_string_mismatch),
		cmocka_unit_test(test_aud_array_without_client),
		cmocka_unit_test(test_aud_empty_array),
		cmocka_unit_test(test_aud_non_string_member),
		cmocka_unit_test(test_aud_missing_or_wrong_type),
		cmocka_unit_test(test_aud_several_without_azp),
		cmocka_unit_test(test_azp_different),
		cmocka_unit_test(test_duplicate_sub),
		cmocka_unit_test(test_duplicate_aud),
		cmocka_unit_test(test_sub_nul),
		cmocka_unit_test(test_exp_1e300),
		cmocka_unit_test(test_exp_2pow63),
		cmocka_unit_test(test_exp_string),
		cmocka_unit_test(test_exp_nan),
		cmocka_unit_test(test_exp_bool),
		cmocka_unit_test(test_exp_missing_or_other_type),
		cmocka_unit_test(test_other_time_types),
		cmocka_unit_test(test_exp_leeway),
		cmocka_unit_test(test_nbf_leeway),
		cmocka_unit_test(test_iat_leeway),
		cmocka_unit_test(test_leeway_configurable),
		cmocka_unit_test(test_subject),
		cmocka_unit_test(test_max_age),
		cmocka_unit_test(test_acr),
		cmocka_unit_test(test_required_claims),
		cmocka_unit_test(test_bad_policy_and_input),
	};

	return cmocka_run_group_tests_name("claims", tests, NULL, NULL);
}
