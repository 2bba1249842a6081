/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of JWS compact parsing (pam_oidc/jose/jws.c) and the algorithm
 * table (common/jose_alg.c).  Tokens are built here with b64url_encode;
 * the signature bytes are arbitrary because parsing checks no signature.
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

#include "b64url.h"
#include "jose_alg.h"
#include "jwks.h"
#include "jws.h"
#include "oidc_err.h"

#define PAYLOAD "{\"iss\":\"https://idp.example\",\"sub\":\"alice\",\"exp\":1700000000}"

static char *
enc(const void *p, size_t n)
{
	char *s;
	size_t len;

	assert_int_equal(b64url_encode(p, n, &s, &len), 0);
	return s;
}

static char *
enc_str(const char *s)
{
	return enc(s, strlen(s));
}

/* "a.b.c" from three already-encoded parts. */
static char *
join3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
	char *t = malloc(n);

	assert_non_null(t);
	assert_int_equal(snprintf(t, n, "%s.%s.%s", a, b, c), (int)n - 1);
	return t;
}

/* A token from a header text, a payload text and signature bytes. */
static char *
mk_sig(const char *hdr, const char *payload, const void *sig, size_t siglen)
{
	char *h = enc_str(hdr), *p = enc_str(payload), *s = enc(sig, siglen), *t;

	t = join3(h, p, s);
	free(h);
	free(p);
	free(s);
	return t;
}

static char *
mk(const char *hdr, const char *payload)
{
	static const unsigned char sig[64] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	return mk_sig(hdr, payload, sig, sizeof(sig));
}

/* Parse; on success returns the jws, on failure checks err and returns NULL. */
static struct jws *
parse_tok(const char *t, size_t len, int json_payload, int *ret_r, struct oidc_err *e)
{
	struct jws *jws = NULL;

	oidc_err_clear(e);
	*ret_r = jws_parse(t, len, json_payload, &jws, e);
	if (*ret_r == 0) {
		assert_non_null(jws);
		assert_int_equal(e->reason, OIDC_R_NONE);
	} else {
		assert_true(*ret_r < 0);
		assert_null(jws);
		assert_int_not_equal(e->reason, OIDC_R_NONE);
		assert_true(e->msg[0] != '\0');
	}
	return jws;
}

/* Expect the token to be refused with `reason`; returns the message. */
static void
expect_reject(const char *t, size_t len, enum oidc_reason reason, const char *msg_part)
{
	struct oidc_err e;
	int r;

	assert_null(parse_tok(t, len, 1, &r, &e));
	if (e.reason != reason)
		fail_msg("reason %s, expected %s (%s)", oidc_reason_name(e.reason),
			 oidc_reason_name(reason), e.msg);
	if (msg_part != NULL && strstr(e.msg, msg_part) == NULL)
		fail_msg("message '%s' does not mention '%s'", e.msg, msg_part);
}

static void
reject_hdr(const char *hdr, enum oidc_reason reason, const char *msg_part)
{
	char *t = mk(hdr, PAYLOAD);

	expect_reject(t, strlen(t), reason, msg_part);
	free(t);
}

static void
reject_payload(const char *payload, enum oidc_reason reason, const char *msg_part)
{
	char *t = mk("{\"alg\":\"RS256\"}", payload);

	expect_reject(t, strlen(t), reason, msg_part);
	free(t);
}

static struct jws *
accept_hdr(const char *hdr)
{
	struct oidc_err e;
	struct jws *jws;
	char *t = mk(hdr, PAYLOAD);
	int r;

	jws = parse_tok(t, strlen(t), 1, &r, &e);
	if (r != 0)
		fail_msg("rejected: %s", e.msg);
	free(t);
	return jws;
}

static void
test_parse_ok(void **state)
{
	static const unsigned char sig[5] = { 0xde, 0xad, 0xbe, 0xef, 0x00 };
	const char *hdr = "{\"alg\":\"ES256\",\"kid\":\"key-1\",\"typ\":\"JWT\"}";
	char *t = mk_sig(hdr, PAYLOAD, sig, sizeof(sig));
	char *h = enc_str(hdr), *p = enc_str(PAYLOAD);
	struct oidc_err e;
	struct jws *jws;
	json_object *v;
	int r;

	jws = parse_tok(t, strlen(t), 1, &r, &e);
	assert_int_equal(r, 0);
	assert_int_equal(jws->alg, JOSE_ALG_ES256);
	assert_string_equal(jws->alg_name, "ES256");
	assert_string_equal(jws->kid, "key-1");
	assert_string_equal(jws->typ, "JWT");
	assert_int_equal(jws->signature_len, sizeof(sig));
	assert_memory_equal(jws->signature, sig, sizeof(sig));
	assert_int_equal(jws->payload_raw_len, strlen(PAYLOAD));
	assert_memory_equal(jws->payload_raw, PAYLOAD, strlen(PAYLOAD));
	assert_int_equal(jws->signing_input_len, strlen(h) + 1 + strlen(p));
	assert_memory_equal(jws->signing_input, h, strlen(h));
	assert_int_equal(jws->signing_input[strlen(h)], '.');
	assert_memory_equal(jws->signing_input + strlen(h) + 1, p, strlen(p));
	assert_non_null(jws->payload);
	assert_true(json_object_object_get_ex(jws->payload, "sub", &v));
	assert_string_equal(json_object_get_string(v), "alice");
	jws_free(jws);
	jws_free(NULL);

	/* No kid, no typ. */
	jws = accept_hdr("{\"alg\":\"RS256\"}");
	assert_int_equal(jws->alg, JOSE_ALG_RS256);
	assert_null(jws->kid);
	assert_null(jws->typ);
	jws_free(jws);
	free(t);
	free(h);
	free(p);
}

static void
test_alg_none_any_case(void **state)
{
	static const char *const names[] = { "none", "None", "NONE", "nOnE", "NoNe", "nonE" };
	char hdr[64];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\"}", names[i]);
		reject_hdr(hdr, OIDC_R_ALGORITHM, NULL);
	}
	/* An empty signature, as real "none" tokens carry, is refused as well. */
	{
		char *h = enc_str("{\"alg\":\"none\"}"), *p = enc_str(PAYLOAD), *t = join3(h, p, "");

		expect_reject(t, strlen(t), OIDC_R_ALGORITHM, NULL);
		free(h);
		free(p);
		free(t);
	}
}

/* An HMAC alg in several letter cases, with a kid as a real token has. */
static void
check_hmac(const char *const names[3])
{
	char hdr[64];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\",\"kid\":\"k\"}", names[i]);
		reject_hdr(hdr, OIDC_R_ALGORITHM, NULL);
	}
}

static void
test_alg_hs256(void **state)
{
	static const char *const names[3] = { "HS256", "hs256", "Hs256" };

	check_hmac(names);
}

static void
test_alg_hs384(void **state)
{
	static const char *const names[3] = { "HS384", "hs384", "hS384" };

	check_hmac(names);
}

static void
test_alg_hs512(void **state)
{
	static const char *const names[3] = { "HS512", "hs512", "Hs512" };

	check_hmac(names);
}

/* Unknown and wrong-case names parse but map to JOSE_ALG_UNKNOWN. */
static void
test_alg_unknown(void **state)
{
	struct jws *jws;

	jws = accept_hdr("{\"alg\":\"rs256\"}");
	assert_int_equal(jws->alg, JOSE_ALG_UNKNOWN);
	assert_string_equal(jws->alg_name, "rs256");
	jws_free(jws);
	jws = accept_hdr("{\"alg\":\"RSA-OAEP\"}");
	assert_int_equal(jws->alg, JOSE_ALG_UNKNOWN);
	jws_free(jws);
	reject_hdr("{}", OIDC_R_MALFORMED, "alg");
	reject_hdr("{\"typ\":\"JWT\"}", OIDC_R_MALFORMED, "alg");
	reject_hdr("{\"alg\":256}", OIDC_R_MALFORMED, "alg");
	reject_hdr("{\"alg\":null}", OIDC_R_MALFORMED, "alg");
	reject_hdr("{\"alg\":[\"RS256\"]}", OIDC_R_MALFORMED, "alg");
	reject_hdr("{\"alg\":\"RS256\",\"typ\":1}", OIDC_R_MALFORMED, "typ");
}

static void
test_crit_rejects(void **state)
{
	reject_hdr("{\"alg\":\"RS256\",\"crit\":[\"exp\"],\"exp\":1}", OIDC_R_CRIT, NULL);
	reject_hdr("{\"alg\":\"RS256\",\"crit\":[\"b64\"],\"b64\":false}", OIDC_R_CRIT, NULL);
	reject_hdr("{\"alg\":\"RS256\",\"crit\":[]}", OIDC_R_CRIT, NULL);
	reject_hdr("{\"alg\":\"RS256\",\"crit\":null}", OIDC_R_CRIT, NULL);
	reject_hdr("{\"alg\":\"RS256\",\"crit\":\"kid\"}", OIDC_R_CRIT, NULL);
	reject_hdr("{\"crit\":{},\"alg\":\"ES256\"}", OIDC_R_CRIT, NULL);
}

static void
test_part_count(void **state)
{
	char *h = enc_str("{\"alg\":\"RS256\"}"), *p = enc_str(PAYLOAD), *t;
	char buf[512];

	snprintf(buf, sizeof(buf), "%s.%s", h, p);
	expect_reject(buf, strlen(buf), OIDC_R_MALFORMED, "three parts");
	snprintf(buf, sizeof(buf), "%s.%s.AQID.AQID", h, p);
	expect_reject(buf, strlen(buf), OIDC_R_MALFORMED, "three parts");
	snprintf(buf, sizeof(buf), "%s.%s.AQID.", h, p);
	expect_reject(buf, strlen(buf), OIDC_R_MALFORMED, "three parts");
	expect_reject("", 0, OIDC_R_MALFORMED, "three parts");
	expect_reject("abc", 3, OIDC_R_MALFORMED, "three parts");
	expect_reject("..", 2, OIDC_R_MALFORMED, "header");
	/* A NUL before the real end: the length decides, and NUL is not base64url. */
	t = join3(h, p, "AQID");
	t[3] = '\0';
	expect_reject(t, strlen(t + 4) + 4, OIDC_R_MALFORMED, "header");
	free(t);
	/* Empty signature. */
	t = join3(h, p, "");
	expect_reject(t, strlen(t), OIDC_R_MALFORMED, "signature");
	free(t);
	free(h);
	free(p);
}

/* Pad a JSON text with spaces until its length is ≡ rem (mod 3). */
static char *
pad3(const char *json, size_t rem)
{
	size_t n = strlen(json);
	char *s = malloc(n + 3);

	assert_non_null(s);
	memcpy(s, json, n);
	while (n % 3 != rem)
		s[n++] = ' ';
	s[n] = '\0';
	return s;
}

static int
b64val(char c)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	return (int)(strchr(a, c) - a);
}

enum corruption { C_PAD, C_PLUS, C_SLASH, C_SPACE, C_NEWLINE, C_MOD4, C_NONCANON, C__MAX };
static const char *const corruption_names[C__MAX] = {
	"padding", "plus", "slash", "space", "newline", "1 mod 4", "non-canonical bits",
};

/* A corrupted copy of the encoded part e (whose length suits the corruption). */
static char *
corrupt(const char *e, enum corruption c)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t n = strlen(e);
	char *s = malloc(n + 4);

	assert_non_null(s);
	memcpy(s, e, n + 1);
	switch (c) {
	case C_PAD:
		/* What a standard encoder would append. */
		assert_true(n % 4 != 0);
		while (n % 4 != 0)
			s[n++] = '=';
		s[n] = '\0';
		break;
	case C_PLUS:
		s[n / 2] = '+';
		break;
	case C_SLASH:
		s[n / 2] = '/';
		break;
	case C_SPACE:
		memmove(s + n / 2 + 1, s + n / 2, n - n / 2 + 1);
		s[n / 2] = ' ';
		break;
	case C_NEWLINE:
		s[n] = '\n';
		s[n + 1] = '\0';
		break;
	case C_MOD4:
		assert_int_equal(n % 4, 0);
		s[n] = 'A';
		s[n + 1] = '\0';
		break;
	case C_NONCANON:
		assert_true(n % 4 == 2 || n % 4 == 3);
		assert_int_equal(b64val(s[n - 1]) & 1, 0);
		s[n - 1] = a[b64val(s[n - 1]) | 1];
		break;
	default:
		fail();
	}
	return s;
}

/* One kind of broken base64url, in each of the three parts in turn. */
static void
check_corruption_each_part(enum corruption c)
{
	static const char *const part_names[3] = { "header", "payload", "signature" };
	/* Raw lengths: ≡0 mod 3 gives no spare bits, ≡1 leaves four. */
	size_t rem = (c == C_MOD4) ? 0 : 1;
	char *hj = pad3("{\"alg\":\"RS256\"}", rem), *pj = pad3(PAYLOAD, rem);
	char *parts[3], *bad[3], *t;
	unsigned char sig[67];
	struct oidc_err e;
	struct jws *jws;
	int part, r;

	memset(sig, 0x5a, sizeof(sig));
	parts[0] = enc_str(hj);
	parts[1] = enc_str(pj);
	parts[2] = enc(sig, rem == 0 ? 66 : 64);
	/* The uncorrupted token parses, so each rejection is the corruption's. */
	t = join3(parts[0], parts[1], parts[2]);
	jws = parse_tok(t, strlen(t), 1, &r, &e);
	assert_int_equal(r, 0);
	jws_free(jws);
	free(t);
	for (part = 0; part < 3; part++) {
		memcpy(bad, parts, sizeof(bad));
		bad[part] = corrupt(parts[part], c);
		t = join3(bad[0], bad[1], bad[2]);
		assert_null(parse_tok(t, strlen(t), 1, &r, &e));
		if (e.reason != OIDC_R_MALFORMED || strstr(e.msg, part_names[part]) == NULL ||
		    strstr(e.msg, "base64url") == NULL)
			fail_msg("%s in %s: %s", corruption_names[c], part_names[part], e.msg);
		free(bad[part]);
		free(t);
	}
	free(parts[0]);
	free(parts[1]);
	free(parts[2]);
	free(hj);
	free(pj);
}

static void
test_b64url_padding(void **state)
{
	check_corruption_each_part(C_PAD);
}

static void
test_b64url_plus(void **state)
{
	check_corruption_each_part(C_PLUS);
}

static void
test_b64url_slash(void **state)
{
	check_corruption_each_part(C_SLASH);
}

static void
test_b64url_whitespace(void **state)
{
	check_corruption_each_part(C_SPACE);
	check_corruption_each_part(C_NEWLINE);
}

static void
test_b64url_length_1_mod_4(void **state)
{
	check_corruption_each_part(C_MOD4);
}

static void
test_b64url_noncanonical_bits(void **state)
{
	check_corruption_each_part(C_NONCANON);
}

static void
test_duplicate_alg(void **state)
{
	reject_hdr("{\"alg\":\"RS256\",\"alg\":\"RS256\"}", OIDC_R_MALFORMED, "duplicate");
	reject_hdr("{\"alg\":\"none\",\"alg\":\"RS256\"}", OIDC_R_MALFORMED, "duplicate");
	reject_hdr("{\"alg\":\"RS256\",\"\\u0061lg\":\"none\"}", OIDC_R_MALFORMED, "duplicate");
	reject_hdr("{\"alg\":\"RS256\",\"kid\":\"a\",\"kid\":\"b\"}", OIDC_R_MALFORMED, "duplicate");
}

static void
test_duplicate_sub(void **state)
{
	reject_payload("{\"sub\":\"alice\",\"sub\":\"root\"}", OIDC_R_MALFORMED, "payload");
	reject_payload("{\"sub\":\"alice\",\"\\u0073ub\":\"root\"}", OIDC_R_MALFORMED, "duplicate");
}

static void
test_duplicate_aud(void **state)
{
	reject_payload("{\"aud\":\"a\",\"sub\":\"x\",\"aud\":\"b\"}", OIDC_R_MALFORMED, "duplicate");
	reject_payload("{\"aud\":[\"a\"],\"\\u0061ud\":\"b\"}", OIDC_R_MALFORMED, "duplicate");
}

static void
test_sub_nul(void **state)
{
	reject_payload("{\"sub\":\"root\\u0000x\"}", OIDC_R_MALFORMED, "payload");
	reject_payload("{\"sub\":\"root\\u0000\"}", OIDC_R_MALFORMED, "\\u0000");
}

static void
test_payload_json_rules(void **state)
{
	reject_payload("{\"sub\":\"a\"} x", OIDC_R_MALFORMED, "trailing");
	reject_payload("{\"sub\":\"a\"}{}", OIDC_R_MALFORMED, "trailing");
	reject_payload("[\"sub\"]", OIDC_R_MALFORMED, "object");
	reject_payload("{\"exp\":NaN}", OIDC_R_MALFORMED, "payload");
	reject_payload("not json", OIDC_R_MALFORMED, "payload");
}

/* Header trailing whitespace is fine, trailing data is not. */
static void
test_trailing_data(void **state)
{
	struct jws *jws = accept_hdr("{\"alg\":\"RS256\"}\n ");

	assert_int_equal(jws->alg, JOSE_ALG_RS256);
	jws_free(jws);
	reject_hdr("{\"alg\":\"RS256\"}x", OIDC_R_MALFORMED, "trailing");
	reject_hdr("{\"alg\":\"RS256\"}{\"alg\":\"none\"}", OIDC_R_MALFORMED, "trailing");
	reject_hdr("[{\"alg\":\"RS256\"}]", OIDC_R_MALFORMED, "header");
}

static void
test_depth_bomb(void **state)
{
	char payload[4096];
	size_t i, n = 0;

	n += (size_t)snprintf(payload, sizeof(payload), "{\"sub\":\"a\",\"x\":");
	for (i = 0; i < 1000; i++)
		payload[n++] = '[';
	for (i = 0; i < 1000; i++)
		payload[n++] = ']';
	payload[n++] = '}';
	payload[n] = '\0';
	reject_payload(payload, OIDC_R_MALFORMED, "deep");
	/* The same in the header. */
	n = (size_t)snprintf(payload, sizeof(payload), "{\"alg\":\"RS256\",\"x\":");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(payload + n, sizeof(payload) - n, "{\"a\":");
	payload[n++] = '1';
	for (i = 0; i < 101; i++)
		payload[n++] = '}';
	payload[n] = '\0';
	reject_hdr(payload, OIDC_R_MALFORMED, "deep");
}

static void
test_kid_dotdot(void **state)
{
	struct jws *jws = accept_hdr("{\"alg\":\"RS256\",\"kid\":\"../x\"}");

	/* Kept exactly as bytes: it is only ever compared, never a path. */
	assert_string_equal(jws->kid, "../x");
	assert_int_not_equal(strcmp(jws->kid, "x"), 0);
	jws_free(jws);
	jws = accept_hdr("{\"alg\":\"RS256\",\"kid\":\"..\\/..\\/etc\\/passwd\"}");
	assert_string_equal(jws->kid, "../../etc/passwd");
	jws_free(jws);
}

/*
 * The kid "../x" finds no key: in a JWKS holding "x" and "../y" (the same
 * RFC 7515 A.3 P-256 key twice) the lookup is an exact comparison.
 */
static void
test_kid_dotdot_matches_nothing(void **state)
{
	static const char jwks_text[] =
		"{\"keys\":["
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"x\","
		"\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
		"\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"},"
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"../y\","
		"\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
		"\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}";
	const struct jwk *key = NULL;
	struct jwks *set = NULL;
	struct oidc_err e;
	struct jws *jws;

	oidc_err_clear(&e);
	assert_int_equal(jwks_parse(jwks_text, strlen(jwks_text), &set, &e), 0);
	jws = accept_hdr("{\"alg\":\"ES256\",\"kid\":\"../x\"}");
	assert_int_equal(jwks_find_key(set, jws->kid, jws->alg, &key, &e), -ENOENT);
	assert_int_equal(e.reason, OIDC_R_NO_KEY);
	assert_null(key);
	jws_free(jws);
	/* The exact kids do match, so the refusal above is the kid's. */
	oidc_err_clear(&e);
	jws = accept_hdr("{\"alg\":\"ES256\",\"kid\":\"x\"}");
	assert_int_equal(jwks_find_key(set, jws->kid, jws->alg, &key, &e), 0);
	assert_string_equal(key->kid, "x");
	jws_free(jws);
	jws = accept_hdr("{\"alg\":\"ES256\",\"kid\":\"../y\"}");
	assert_int_equal(jwks_find_key(set, jws->kid, jws->alg, &key, &e), 0);
	assert_string_equal(key->kid, "../y");
	jws_free(jws);
	jwks_free(set);
}

static void
test_kid_nul(void **state)
{
	reject_hdr("{\"alg\":\"RS256\",\"kid\":\"k\\u0000x\"}", OIDC_R_MALFORMED, NULL);
	reject_hdr("{\"alg\":\"RS256\",\"kid\":\"\\u0000\"}", OIDC_R_MALFORMED, NULL);
	/* A raw NUL byte inside the kid string (explicit length, not strlen). */
	{
		static const char raw[] = "{\"alg\":\"RS256\",\"kid\":\"k\0x\"}";
		char *h = enc(raw, sizeof(raw) - 1), *p = enc_str(PAYLOAD), *t = join3(h, p, "AQID");

		expect_reject(t, strlen(t), OIDC_R_MALFORMED, "NUL");
		free(h);
		free(p);
		free(t);
	}
}

static void
test_kid_control_and_type(void **state)
{
	reject_hdr("{\"alg\":\"RS256\",\"kid\":\"k\\u0001\"}", OIDC_R_MALFORMED, "kid");
	reject_hdr("{\"alg\":\"RS256\",\"kid\":\"k\\n\"}", OIDC_R_MALFORMED, "kid");
	reject_hdr("{\"alg\":\"RS256\",\"kid\":\"k\\u007f\"}", OIDC_R_MALFORMED, "kid");
	reject_hdr("{\"alg\":\"RS256\",\"kid\":\"\"}", OIDC_R_MALFORMED, "kid");
	reject_hdr("{\"alg\":\"RS256\",\"kid\":42}", OIDC_R_MALFORMED, "kid");
	reject_hdr("{\"alg\":\"RS256\",\"kid\":null}", OIDC_R_MALFORMED, "kid");
}

static char *
kid_header(size_t kidlen)
{
	size_t n = kidlen + 64;
	char *h = malloc(n);
	int off;

	assert_non_null(h);
	off = snprintf(h, n, "{\"alg\":\"RS256\",\"kid\":\"");
	memset(h + off, 'k', kidlen);
	snprintf(h + off + kidlen, n - off - kidlen, "\"}");
	return h;
}

static void
test_kid_length(void **state)
{
	struct jws *jws;
	char *h;

	h = kid_header(JWS_MAX_KID);
	jws = accept_hdr(h);
	assert_int_equal(strlen(jws->kid), JWS_MAX_KID);
	jws_free(jws);
	free(h);
	h = kid_header(JWS_MAX_KID + 1);
	reject_hdr(h, OIDC_R_MALFORMED, "kid");
	free(h);
	/* Long enough to hit the kid rule while the token stays under its cap. */
	h = kid_header(40000);
	reject_hdr(h, OIDC_R_MALFORMED, "kid");
	free(h);
}

/* A 64 KiB kid: the token cap trips first; refused either way. */
static void
test_kid_64k(void **state)
{
	char *h = kid_header(64 * 1024);

	reject_hdr(h, OIDC_R_TOO_LARGE, NULL);
	free(h);
}

/* A token of exactly `total` bytes (payload padded with spaces). */
static char *
token_of_length(size_t total)
{
	static const unsigned char sig64[65] = { 9 };
	char *h = enc_str("{\"alg\":\"RS256\"}"), *s = enc(sig64, 64), *p, *pj, *t;
	size_t l, raw;

	l = total - strlen(h) - strlen(s) - 2;
	if (l % 4 == 1) {
		free(s);
		s = enc(sig64, 65);
		l--;
	}
	raw = l / 4 * 3 + (l % 4 ? l % 4 - 1 : 0);
	pj = malloc(raw + 1);
	assert_non_null(pj);
	memset(pj, ' ', raw);
	memcpy(pj, "{}", 2);
	pj[raw] = '\0';
	p = enc_str(pj);
	assert_int_equal(strlen(p), l);
	t = join3(h, p, s);
	assert_int_equal(strlen(t), total);
	free(h);
	free(s);
	free(p);
	free(pj);
	return t;
}

static void
test_token_too_long(void **state)
{
	struct oidc_err e;
	struct jws *jws;
	char *t;
	int r;

	t = token_of_length(JWS_MAX_TOKEN);
	jws = parse_tok(t, strlen(t), 1, &r, &e);
	assert_int_equal(r, 0);
	jws_free(jws);
	free(t);
	t = token_of_length(JWS_MAX_TOKEN + 1);
	assert_null(parse_tok(t, strlen(t), 1, &r, &e));
	assert_int_equal(r, -EFBIG);
	assert_int_equal(e.reason, OIDC_R_TOO_LARGE);
	free(t);
	t = token_of_length(1024 * 1024);
	assert_null(parse_tok(t, strlen(t), 1, &r, &e));
	assert_int_equal(e.reason, OIDC_R_TOO_LARGE);
	free(t);
}

/* Header members after kid/typ change nothing about the parse. */
static void
check_header_ignored(const char *extra)
{
	struct jws *plain, *jws;
	char hdr[512];

	plain = accept_hdr("{\"alg\":\"ES256\",\"kid\":\"k1\",\"typ\":\"JWT\"}");
	snprintf(hdr, sizeof(hdr), "{\"alg\":\"ES256\",\"kid\":\"k1\",\"typ\":\"JWT\"%s}", extra);
	jws = accept_hdr(hdr);
	assert_int_equal(jws->alg, plain->alg);
	assert_string_equal(jws->alg_name, plain->alg_name);
	assert_string_equal(jws->kid, plain->kid);
	assert_string_equal(jws->typ, plain->typ);
	assert_int_equal(jws->signature_len, plain->signature_len);
	assert_memory_equal(jws->signature, plain->signature, plain->signature_len);
	assert_int_equal(jws->payload_raw_len, plain->payload_raw_len);
	assert_memory_equal(jws->payload_raw, plain->payload_raw, plain->payload_raw_len);
	assert_string_equal(json_object_to_json_string(jws->payload),
			    json_object_to_json_string(plain->payload));
	jws_free(jws);
	jws_free(plain);
}

static void
test_header_jwk_ignored(void **state)
{
	check_header_ignored(",\"jwk\":{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}");
	check_header_ignored(",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\","
			     "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
			     "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}");
	/* It does not rescue a forbidden alg either. */
	reject_hdr("{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}}",
		   OIDC_R_ALGORITHM, NULL);
}

static void
test_header_jku_ignored(void **state)
{
	check_header_ignored(",\"jku\":\"https://attacker.example/jwks.json\"");
	check_header_ignored(",\"jku\":\"file:///etc/shadow\"");
}

static void
test_header_x5u_ignored(void **state)
{
	check_header_ignored(",\"x5u\":\"https://attacker.example/cert.pem\"");
}

static void
test_header_x5c_ignored(void **state)
{
	check_header_ignored(",\"x5c\":[\"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\"]");
	check_header_ignored(",\"jwk\":{\"kty\":\"EC\"},\"jku\":\"x\",\"x5u\":\"x\",\"x5c\":[]");
}

static void
test_opaque_payload(void **state)
{
	char *t = mk("{\"alg\":\"EdDSA\"}", "Example of Ed25519 signing");
	struct oidc_err e;
	struct jws *jws;
	int r;

	jws = parse_tok(t, strlen(t), 0, &r, &e);
	assert_int_equal(r, 0);
	assert_int_equal(jws->alg, JOSE_ALG_EDDSA);
	assert_null(jws->payload);
	assert_string_equal((char *)jws->payload_raw, "Example of Ed25519 signing");
	jws_free(jws);
	assert_null(parse_tok(t, strlen(t), 1, &r, &e));
	assert_int_equal(e.reason, OIDC_R_MALFORMED);
	free(t);
	/* A JSON payload is still parsed when not required. */
	t = mk("{\"alg\":\"EdDSA\"}", PAYLOAD);
	jws = parse_tok(t, strlen(t), 0, &r, &e);
	assert_int_equal(r, 0);
	assert_non_null(jws->payload);
	jws_free(jws);
	free(t);
}

static void
test_alg_table(void **state)
{
	int a;

	for (a = JOSE_ALG_UNKNOWN + 1; a < JOSE__ALG_MAX; a++) {
		assert_non_null(jose_alg_name((enum jose_alg)a));
		assert_int_equal(jose_alg_from_name(jose_alg_name((enum jose_alg)a)), a);
	}
	assert_null(jose_alg_name(JOSE_ALG_UNKNOWN));
	assert_null(jose_alg_name(JOSE__ALG_MAX));
	assert_int_equal(jose_alg_from_name("RS256"), JOSE_ALG_RS256);
	assert_int_equal(jose_alg_from_name("EdDSA"), JOSE_ALG_EDDSA);
	assert_int_equal(jose_alg_from_name("EDDSA"), JOSE_ALG_UNKNOWN);
	assert_int_equal(jose_alg_from_name("rs256"), JOSE_ALG_UNKNOWN);
	assert_int_equal(jose_alg_from_name("RS256 "), JOSE_ALG_UNKNOWN);
	assert_int_equal(jose_alg_from_name("none"), JOSE_ALG_UNKNOWN);
	assert_int_equal(jose_alg_from_name("HS256"), JOSE_ALG_UNKNOWN);
	assert_int_equal(jose_alg_from_name(""), JOSE_ALG_UNKNOWN);
	assert_int_equal(jose_alg_from_name(NULL), JOSE_ALG_UNKNOWN);
}

static void
test_alg_list(void **state)
{
	struct oidc_err e;
	unsigned mask = 77;

	oidc_err_clear(&e);
	assert_int_equal(jose_alg_parse_list("RS256,ES256", &mask, &e), 0);
	assert_int_equal(mask, JOSE_ALG_BIT(JOSE_ALG_RS256) | JOSE_ALG_BIT(JOSE_ALG_ES256));
	assert_int_equal(jose_alg_parse_list(" PS512 , EdDSA\tRS256,", &mask, &e), 0);
	assert_int_equal(mask, JOSE_ALG_BIT(JOSE_ALG_PS512) | JOSE_ALG_BIT(JOSE_ALG_EDDSA) |
			       JOSE_ALG_BIT(JOSE_ALG_RS256));
	assert_int_equal(jose_alg_parse_list("RS256,RS384,RS512,PS256,PS384,PS512,ES256,ES384,"
					     "ES512,EdDSA", &mask, &e), 0);
	assert_int_equal(mask, JOSE_ALG_ALL_MASK);
	mask = 77;
	assert_int_equal(jose_alg_parse_list("RS256,none", &mask, &e), -EINVAL);
	assert_int_equal(e.reason, OIDC_R_CONFIG);
	assert_non_null(strstr(e.msg, "none"));
	oidc_err_clear(&e);
	assert_int_equal(jose_alg_parse_list("HS256", &mask, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "HS256"));
	oidc_err_clear(&e);
	assert_int_equal(jose_alg_parse_list("RS256,foo", &mask, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "foo"));
	oidc_err_clear(&e);
	assert_int_equal(jose_alg_parse_list("rs256", &mask, &e), -EINVAL);
	assert_int_equal(jose_alg_parse_list("", &mask, NULL), -EINVAL);
	assert_int_equal(jose_alg_parse_list(" , ", &mask, NULL), -EINVAL);
	assert_int_equal(jose_alg_parse_list(NULL, &mask, NULL), -EINVAL);
	assert_int_equal(jose_alg_parse_list("RS256RS256RS256RS256", &mask, NULL), -EINVAL);
	assert_int_equal(mask, 77);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_alg_none_any_case),
		cmocka_unit_test(test_alg_hs256),
		cmocka_unit_test(test_alg_hs384),
		cmocka_unit_test(test_alg_hs512),
		cmocka_unit_test(test_alg_unknown),
		cmocka_unit_test(test_crit_rejects),
		cmocka_unit_test(test_part_count),
		cmocka_unit_test(test_b64url_padding),
		cmocka_unit_test(test_b64url_plus),
		cmocka_unit_test(test_b64url_slash),
		cmocka_unit_test(test_b64url_whitespace),
		cmocka_unit_test(test_b64url_length_1_mod_4),
		cmocka_unit_test(test_b64url_noncanonical_bits),
		cmocka_unit_test(test_duplicate_alg),
		cmocka_unit_test(test_duplicate_sub),
		cmocka_unit_test(test_duplicate_aud),
		cmocka_unit_test(test_sub_nul),
		cmocka_unit_test(test_payload_json_rules),
		cmocka_unit_test(test_trailing_data),
		cmocka_unit_test(test_depth_bomb),
		cmocka_unit_test(test_kid_dotdot),
		cmocka_unit_test(test_kid_dotdot_matches_nothing),
		cmocka_unit_test(test_kid_nul),
		cmocka_unit_test(test_kid_control_and_type),
		cmocka_unit_test(test_kid_length),
		cmocka_unit_test(test_kid_64k),
		cmocka_unit_test(test_token_too_long),
		cmocka_unit_test(test_header_jwk_ignored),
		cmocka_unit_test(test_header_jku_ignored),
		cmocka_unit_test(test_header_x5u_ignored),
		cmocka_unit_test(test_header_x5c_ignored),
		cmocka_unit_test(test_opaque_payload),
		cmocka_unit_test(test_alg_table),
		cmocka_unit_test(test_alg_list),
	};

	return cmocka_run_group_tests_name("jws", tests, NULL, NULL);
}
