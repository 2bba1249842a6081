/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * JWK and JWKS parsing, key selection and single-key signature checks:
 * jwk_parse, jwks_parse, jwks_find_key, jws_verify_with_key.
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

#include <json-c/json.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "jwks.h"
#include "keyhelp.h"
#include "oidc_err.h"

static EVP_PKEY *rsa, *rsa1024, *p256, *p384, *p521, *ed;

static int
setup(void **state)
{
	(void)state;
	rsa = kh_keygen("RSA", 2048);
	rsa1024 = kh_keygen("RSA", 1024);
	p256 = kh_keygen("P-256", 0);
	p384 = kh_keygen("P-384", 0);
	p521 = kh_keygen("P-521", 0);
	ed = kh_keygen("ED25519", 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(rsa1024);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(p384);
	EVP_PKEY_free(p521);
	EVP_PKEY_free(ed);
	return 0;
}

/* jwk_parse on JSON text; returns its result, *key filled on success. */
static int
parse_one(const char *text, struct jwk *key, struct oidc_err *err)
{
	json_object *o = json_tokener_parse(text);
	int r;

	assert_non_null(o);
	oidc_err_clear(err);
	memset(key, 0, sizeof(*key));
	r = jwk_parse(o, key, err);
	json_object_put(o);
	return r;
}

static void
jwk_clear(struct jwk *key)
{
	free(key->kid);
	EVP_PKEY_free(key->pkey);
	memset(key, 0, sizeof(*key));
}

static void
expect_key_rejected(const char *text, int rc, enum oidc_reason reason)
{
	struct oidc_err err;
	struct jwk key;
	int r = parse_one(text, &key, &err);

	if (r != rc || err.reason != reason)
		fail_msg("expected %d/%s, got %d/%s (%s) for %.200s", rc, oidc_reason_name(reason),
			 r, oidc_reason_name(err.reason), err.msg, text);
	assert_null(key.pkey);
}

static void
expect_key_ok(const char *text, enum jwk_kty kty)
{
	struct oidc_err err;
	struct jwk key;

	if (parse_one(text, &key, &err) != 0)
		fail_msg("key rejected: %s (%.200s)", err.msg, text);
	assert_int_equal(key.kty, kty);
	assert_non_null(key.pkey);
	jwk_clear(&key);
}

/* The string member `name` of the JWK text (copied). */
static char *
member(const char *jwk, const char *name)
{
	json_object *o = json_tokener_parse(jwk), *v;
	char *s;

	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, name, &v));
	s = strdup(json_object_get_string(v));
	assert_non_null(s);
	json_object_put(o);
	return s;
}

/* base64url of (prefix bytes || decoded b64 value || suffix), for size games. */
static char *
b64_reshape(const char *b64, size_t prefix_zeros, int drop_first, int drop_last)
{
	unsigned char buf[1200];
	size_t n = 0, i, bits = 0;
	unsigned acc = 0;
	const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char raw[1100];
	size_t rn = 0;

	for (i = 0; b64[i] != '\0'; i++) {
		acc = (acc << 6) | (unsigned)(strchr(tab, b64[i]) - tab);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			raw[rn++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	for (i = 0; i < prefix_zeros; i++)
		buf[n++] = 0;
	memcpy(buf + n, raw + (drop_first ? 1 : 0), rn - (size_t)drop_first - (size_t)drop_last);
	n += rn - (size_t)drop_first - (size_t)drop_last;
	return kh_b64(buf, n);
}

static char *
rsa_jwk_text(const char *n, const char *e)
{
	size_t len = strlen(n) + strlen(e) + 64;
	char *s = malloc(len);

	assert_non_null(s);
	snprintf(s, len, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"%s\"}", n, e);
	return s;
}

static void
test_rsa_ok(void **state)
{
	struct oidc_err err;
	struct jwk key;
	char *t = kh_jwk(rsa, "r1", "RS256", "\"use\":\"sig\",\"key_ops\":[\"verify\"]");

	(void)state;
	assert_int_equal(parse_one(t, &key, &err), 0);
	assert_int_equal(key.kty, JWK_KTY_RSA);
	assert_string_equal(key.kid, "r1");
	assert_int_equal(key.alg, JOSE_ALG_RS256);
	assert_true(EVP_PKEY_is_a(key.pkey, "RSA"));
	assert_int_equal(EVP_PKEY_get_bits(key.pkey), 2048);
	jwk_clear(&key);
	free(t);
}

static void
test_rsa_1024_rejected(void **state)
{
	char *t = kh_jwk(rsa1024, "weak", NULL, NULL), *n, *padded, *u;

	(void)state;
	expect_key_rejected(t, -EINVAL, OIDC_R_BAD_KEY);
	/* padding the modulus with zero octets to 256 bytes does not make it 2048 bits */
	n = member(t, "n");
	padded = b64_reshape(n, 128, 0, 0);
	u = rsa_jwk_text(padded, "AQAB");
	expect_key_rejected(u, -EINVAL, OIDC_R_BAD_KEY);
	free(u);
	free(padded);
	free(n);
	free(t);
}

static void
test_rsa_exponent(void **state)
{
	static const struct {
		const char *e;
		int ok;
	} cases[] = {
		{ "AQ", 0 },		/* 1 */
		{ "AA", 0 },		/* 0 */
		{ "Ag", 0 },		/* 2: even */
		{ "AQAA", 0 },		/* 65536: even */
		{ "Aw", 1 },		/* 3 */
		{ "AQAB", 1 },		/* 65537 */
		{ "AAEAAQ", 1 },	/* 65537 with a leading zero octet */
		{ "_____w", 1 },	/* 2^32 - 1 */
		{ "AQAAAAE", 0 },	/* 2^32 + 1: above the bound */
		{ "AQAAAAAAAAAB", 0 },	/* 2^64 + 1 */
		{ "", 0 },		/* empty */
		{ "AQAB=", 0 },		/* padded base64 */
	};
	char *t = kh_jwk(rsa, NULL, NULL, NULL), *n = member(t, "n"), *u;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u = rsa_jwk_text(n, cases[i].e);
		if (cases[i].ok)
			expect_key_ok(u, JWK_KTY_RSA);
		else
			expect_key_rejected(u, -EINVAL, OIDC_R_BAD_KEY);
		free(u);
	}
	free(n);
	free(t);
}

static void
test_rsa_modulus_shapes(void **state)
{
	char *t = kh_jwk(rsa, NULL, NULL, NULL), *n = member(t, "n"), *x, *u;
	unsigned char buf[256];

	(void)state;
	/* one leading zero octet (what some libraries emit) is tolerated */
	x = b64_reshape(n, 1, 0, 0);
	u = rsa_jwk_text(x, "AQAB");
	expect_key_ok(u, JWK_KTY_RSA);
	free(u);
	free(x);
	/* an even modulus is never a product of two large primes */
	memset(buf, 0xff, sizeof(buf));
	buf[255] = 0xfe;
	x = kh_b64(buf, sizeof(buf));
	u = rsa_jwk_text(x, "AQAB");
	expect_key_rejected(u, -EINVAL, OIDC_R_BAD_KEY);
	free(u);
	free(x);
	/* 2^2048 - 1 = 3 * ... has a small factor */
	buf[255] = 0xff;
	x = kh_b64(buf, sizeof(buf));
	u = rsa_jwk_text(x, "AQAB");
	expect_key_rejected(u, -EINVAL, OIDC_R_BAD_KEY);
	free(u);
	free(x);
	/* n missing, n not a string, n not base64url */
	expect_key_rejected("{\"kty\":\"RSA\",\"e\":\"AQAB\"}", -EINVAL, OIDC_R_BAD_KEY);
	expect_key_rejected("{\"kty\":\"RSA\",\"n\":5,\"e\":\"AQAB\"}", -EINVAL, OIDC_R_BAD_KEY);
	expect_key_rejected("{\"kty\":\"RSA\",\"n\":\"a+b/\",\"e\":\"AQAB\"}", -EINVAL,
			    OIDC_R_BAD_KEY);
	free(n);
	free(t);
}

static char *
ec_jwk_text(const char *crv, const char *x, const char *y)
{
	size_t len = strlen(x) + strlen(y) + 80;
	char *s = malloc(len);

	assert_non_null(s);
	snprintf(s, len, "{\"kty\":\"EC\",\"crv\":\"%s\",\"x\":\"%s\",\"y\":\"%s\"}", crv, x, y);
	return s;
}

static void
test_ec_ok(void **state)
{
	char *t;

	(void)state;
	t = kh_jwk(p256, "a", "ES256", NULL);
	expect_key_ok(t, JWK_KTY_EC_P256);
	free(t);
	t = kh_jwk(p384, "b", NULL, NULL);
	expect_key_ok(t, JWK_KTY_EC_P384);
	free(t);
	t = kh_jwk(p521, "c", "ES512", NULL);
	expect_key_ok(t, JWK_KTY_EC_P521);
	free(t);
}

static void
test_ec_sizes_and_curve(void **state)
{
	char *t = kh_jwk(p256, NULL, NULL, NULL), *x = member(t, "x"), *y = member(t, "y");
	char *a, *u;
	size_t i;

	(void)state;
	/* x one byte short */
	a = b64_reshape(x, 0, 1, 0);
	u = ec_jwk_text("P-256", a, y);
	expect_key_rejected(u, -EINVAL, OIDC_R_BAD_KEY);
	free(u);
	free(a);
	/* y with an extra leading zero: 33 bytes */
	a = b64_reshape(y, 1, 0, 0);
	u = ec_jwk_text("P-256", x, a);
	expect_key_rejected(u, -EINVAL, OIDC_R_BAD_KEY);
	free(u);
	free(a);
	/* P-256 coordinates labelled P-384 */
	u = ec_jwk_text("P-384", x, y);
	expect_key_rejected(u, -EINVAL, OIDC_R_BAD_KEY);
	free(u);
	/* a point off the curve: flip a bit of y */
	a = strdup(y);
	assert_non_null(a);
	i = strlen(a) / 2;
	a[i] = a[i] == 'A' ? 'B' : 'A';
	u = ec_jwk_text("P-256", x, a);
	expect_key_rejected(u, -EINVAL, OIDC_R_BAD_KEY);
	free(u);
	free(a);
	/* curves we do not verify with are skipped, not errors */
	u = ec_jwk_text("secp256k1", x, y);
	expect_key_rejected(u, -EOPNOTSUPP, OIDC_R_BAD_KEY);
	free(u);
	/* missing y */
	expect_key_rejected("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\"}", -EINVAL,
			    OIDC_R_BAD_KEY);
	/* missing crv */
	expect_key_rejected("{\"kty\":\"EC\",\"x\":\"AAAA\",\"y\":\"AAAA\"}", -EINVAL,
			    OIDC_R_BAD_KEY);
	free(x);
	free(y);
	free(t);
}

static void
test_ed25519(void **state)
{
	char *t = kh_jwk(ed, "e", "EdDSA", NULL), *x = member(t, "x"), *a, u[256];

	(void)state;
	expect_key_ok(t, JWK_KTY_OKP_ED25519);
	a = b64_reshape(x, 0, 0, 1);
	snprintf(u, sizeof(u), "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"%s\"}", a);
	expect_key_rejected(u, -EINVAL, OIDC_R_BAD_KEY);
	free(a);
	a = b64_reshape(x, 1, 0, 0);
	snprintf(u, sizeof(u), "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"%s\"}", a);
	expect_key_rejected(u, -EINVAL, OIDC_R_BAD_KEY);
	free(a);
	snprintf(u, sizeof(u), "{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"x\":\"%s\"}", x);
	expect_key_rejected(u, -EOPNOTSUPP, OIDC_R_BAD_KEY);
	snprintf(u, sizeof(u), "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"%s\"}", x);
	expect_key_rejected(u, -EOPNOTSUPP, OIDC_R_BAD_KEY);
	/* an Ed25519 key bound to another algorithm cannot be used */
	free(t);
	t = kh_jwk(ed, "e", "ES256", NULL);
	expect_key_rejected(t, -EOPNOTSUPP, OIDC_R_BAD_KEY);
	free(t);
	free(x);
}

static void
test_private_members_rejected(void **state)
{
	static const char *const priv[] = { "d", "p", "q", "dp", "dq", "qi", "oth", "k" };
	char extra[64], *t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(priv) / sizeof(priv[0]); i++) {
		snprintf(extra, sizeof(extra), "\"%s\":\"AQAB\"", priv[i]);
		t = kh_jwk(p256, "x", NULL, extra);
		expect_key_rejected(t, -EPERM, OIDC_R_BAD_KEY);
		free(t);
	}
	/* even on a key type we would otherwise skip */
	expect_key_rejected("{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ\"}",
			    -EPERM, OIDC_R_BAD_KEY);
	expect_key_rejected("{\"kty\":\"XYZ\",\"d\":\"AQAB\"}", -EPERM, OIDC_R_BAD_KEY);
}

/* jwks_parse on text; returns its result. */
static int
parse_set(const char *text, struct jwks **set, struct oidc_err *err)
{
	oidc_err_clear(err);
	*set = NULL;
	return jwks_parse(text, strlen(text), set, err);
}

static void
test_jwks_private_key_rejects_set(void **state)
{
	struct oidc_err err;
	struct jwks *set;
	char *good = kh_jwk(rsa, "r", NULL, NULL), *bad = kh_jwk(p256, "p", NULL, "\"d\":\"AQAB\"");
	char *text = kh_jwks(good, bad, NULL);

	(void)state;
	assert_int_equal(parse_set(text, &set, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_BAD_KEY);
	assert_null(set);
	free(text);
	/* a symmetric key anywhere in the set */
	text = kh_jwks(good, "{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"c2VjcmV0\"}", NULL);
	assert_int_equal(parse_set(text, &set, &err), -EINVAL);
	assert_null(set);
	free(text);
	free(good);
	free(bad);
}

static void
test_jwks_duplicate_kids(void **state)
{
	struct oidc_err err;
	struct jwks *set;
	char *a = kh_jwk(rsa, "same", NULL, NULL), *b = kh_jwk(p256, "same", NULL, NULL);
	char *c = kh_jwk(p384, "same", NULL, "\"use\":\"enc\"");
	char *text = kh_jwks(a, b, NULL);

	(void)state;
	assert_int_equal(parse_set(text, &set, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_BAD_KEY);
	assert_null(set);
	free(text);
	/* also when one of the two would be skipped */
	text = kh_jwks(a, c, NULL);
	assert_int_equal(parse_set(text, &set, &err), -EINVAL);
	free(text);
	free(a);
	free(b);
	free(c);
}

static void
test_jwks_skips_unusable_keys(void **state)
{
	struct oidc_err err;
	struct jwks *set;
	char *good = kh_jwk(p256, "good", NULL, NULL);
	char *enc = kh_jwk(rsa, "enc", NULL, "\"use\":\"enc\"");
	char *ops = kh_jwk(rsa, "ops", NULL, "\"key_ops\":[\"encrypt\",\"wrapKey\"]");
	char *oaep = kh_jwk(rsa, "oaep", "RSA-OAEP", NULL);
	char *hs = kh_jwk(rsa, "hs", "HS256", NULL);
	char *wrongcurve = kh_jwk(p256, "wc", "ES384", NULL);
	char *typo = kh_jwk(p521, "typo", "ES521", NULL);
	char *verify = kh_jwk(ed, "verify", NULL, "\"key_ops\":[\"sign\",\"verify\"]");
	char *text = kh_jwks(good, enc, ops, oaep, hs, wrongcurve, typo, verify,
			     "{\"kty\":\"XYZ\",\"kid\":\"x\"}",
			     "{\"kty\":\"OKP\",\"crv\":\"X448\",\"kid\":\"y\",\"x\":\"AAAA\"}", NULL);

	(void)state;
	if (parse_set(text, &set, &err) != 0)
		fail_msg("set rejected: %s", err.msg);
	assert_int_equal(set->n, 2);
	assert_string_equal(set->keys[0].kid, "good");
	assert_string_equal(set->keys[1].kid, "verify");
	/* each skipped key is remembered with its place, kid and reason */
	assert_int_equal(set->n_skipped, 8);
	assert_int_equal(set->skipped[0].index, 1);
	assert_string_equal(set->skipped[0].kid, "enc");
	assert_non_null(strstr(set->skipped[0].why, "not a signature key"));
	assert_string_equal(set->skipped[6].kid, "x");
	assert_non_null(strstr(set->skipped[6].why, "key type not supported"));
	jwks_free(set);
	free(text);
	/* a set with no usable key at all is refused, with the reason of the first */
	text = kh_jwks(enc, NULL);
	assert_int_equal(parse_set(text, &set, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_NO_KEY);
	assert_null(set);
	if (strstr(err.msg,
		   "no usable key (1 skipped; key 0, kid enc: JWK is not a signature key") == NULL)
		fail_msg("message: %s", err.msg);
	free(text);
	free(good);
	free(enc);
	free(ops);
	free(oaep);
	free(hs);
	free(wrongcurve);
	free(typo);
	free(verify);
}

/* The set of keys that a parse must skip, each with the reason it names. */
static void
expect_skipped(const char *bad, const char *kid, const char *why)
{
	struct oidc_err err;
	struct jwks *set;
	const struct jwk *k;
	char *good = kh_jwk(p256, "good", NULL, NULL), *text = kh_jwks(good, bad, NULL);

	if (parse_set(text, &set, &err) != 0)
		fail_msg("set refused for one bad key (%s): %.200s", err.msg, bad);
	assert_int_equal(set->n, 1);
	assert_string_equal(set->keys[0].kid, "good");
	assert_int_equal(set->n_skipped, 1);
	assert_int_equal(set->skipped[0].index, 1);
	if (strstr(set->skipped[0].why, why) == NULL)
		fail_msg("skip reason '%s' lacks '%s'", set->skipped[0].why, why);
	if (kid == NULL) {
		assert_null(set->skipped[0].kid);
	} else {
		assert_string_equal(set->skipped[0].kid, kid);
		oidc_err_clear(&err);
		assert_int_equal(jwks_find_key(set, kid, JOSE_ALG_ES256, &k, &err), -EINVAL);
		assert_int_equal(err.reason, OIDC_R_BAD_KEY);
		if (strncmp(err.msg, "key ", 4) != 0 || strstr(err.msg, " was skipped: ") == NULL ||
		    strstr(err.msg, why) == NULL)
			fail_msg("lookup of a skipped kid says: %s", err.msg);
	}
	/* the good key is still found */
	assert_int_equal(jwks_find_key(set, "good", JOSE_ALG_ES256, &k, NULL), 0);
	jwks_free(set);
	free(text);
	free(good);
}

/*
 * RFC 7517 section 5: a key whose values are out of the supported range,
 * or that is missing members or has them of the wrong type, is ignored;
 * the good keys beside it stay usable.  (The code before this skipped only
 * unknown types and refused the whole set for any of these.)
 */
static void
test_jwks_broken_key_is_skipped_not_fatal(void **state)
{
	static const char *const extras[][2] = {
		{ "\"use\":5", "\"use\" is not a string" },
		{ "\"key_ops\":\"verify\"", "\"key_ops\" is not an array" },
		{ "\"key_ops\":[1]", "\"key_ops\" holds a non-string" },
		{ "\"alg\":7", "\"alg\" is not a string" },
	};
	char *bad, *text, *x, *n, *nb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
		bad = kh_jwk(p384, "bad", NULL, extras[i][0]);
		expect_skipped(bad, "bad", extras[i][1]);
		free(bad);
	}
	/* RSA under 2048 bits, with its kid */
	bad = kh_jwk(rsa1024, "weak", NULL, NULL);
	expect_skipped(bad, "weak", "RSA modulus of 1024 bits");
	free(bad);
	/* a bad exponent */
	bad = kh_jwk(rsa, "e", NULL, NULL);
	n = member(bad, "n");
	free(bad);
	nb = rsa_jwk_text(n, "Ag");
	text = malloc(strlen(nb) + 16);
	assert_non_null(text);
	snprintf(text, strlen(nb) + 16, "{\"kid\":\"e2\",%s", nb + 1);
	expect_skipped(text, "e2", "exponent");
	free(text);
	free(nb);
	free(n);
	/* a P-256 point off the curve (y = x) */
	bad = kh_jwk(p256, "p", NULL, NULL);
	x = member(bad, "x");
	free(bad);
	text = malloc(strlen(x) * 2 + 96);
	assert_non_null(text);
	snprintf(
		text, strlen(x) * 2 + 96,
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"offcurve\",\"x\":\"%s\",\"y\":\"%s\"}",
		x, x);
	expect_skipped(text, "offcurve", "P-256");
	free(text);
	free(x);
	/* a usable-looking RSA key without e */
	expect_skipped("{\"kty\":\"RSA\",\"kid\":\"noe\",\"n\":\"AQAB\"}", "noe", "\"e\" missing");
	/* kids we would not compare against: the key is skipped and has no kid */
	expect_skipped("{\"kty\":\"EC\",\"kid\":5}", NULL, "kid");
	bad = kh_jwk(p384, "", NULL, NULL);
	expect_skipped(bad, NULL, "kid");
	free(bad);
	bad = kh_jwk(p384, "a\\tb", NULL, NULL);
	expect_skipped(bad, NULL, "kid");
	free(bad);
}

/*
 * The set: RSA-1024 beside good RSA-2048, P-256 and Ed25519 keys.
 * The set is accepted, the good keys are found, the weak one is named.
 */
static void
test_jwks_weak_rsa_beside_good_keys(void **state)
{
	struct oidc_err err;
	struct jwks *set;
	const struct jwk *k;
	char *a = kh_jwk(rsa, "rsa", NULL, NULL), *b = kh_jwk(p256, "ec", NULL, NULL);
	char *c = kh_jwk(ed, "ed", NULL, NULL), *d = kh_jwk(rsa1024, "weak", "RS256", NULL);
	char *text = kh_jwks(a, b, c, d, NULL);

	(void)state;
	if (parse_set(text, &set, &err) != 0)
		fail_msg("set refused: %s", err.msg);
	assert_int_equal(set->n, 3);
	assert_int_equal(set->n_skipped, 1);
	assert_int_equal(jwks_find_key(set, "rsa", JOSE_ALG_RS256, &k, NULL), 0);
	assert_int_equal(jwks_find_key(set, "ec", JOSE_ALG_ES256, &k, NULL), 0);
	assert_int_equal(jwks_find_key(set, "ed", JOSE_ALG_EDDSA, &k, NULL), 0);
	/* no kid: the only RSA key that fits is the good one */
	assert_int_equal(jwks_find_key(set, NULL, JOSE_ALG_RS256, &k, NULL), 0);
	assert_string_equal(k->kid, "rsa");
	oidc_err_clear(&err);
	assert_int_equal(jwks_find_key(set, "weak", JOSE_ALG_RS256, &k, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_BAD_KEY);
	assert_string_equal(
		err.msg, "key weak was skipped: RSA modulus of 1024 bits (allowed: 2048 to 16384)");
	jwks_free(set);
	free(text);
	/* still refused as a whole: a private member, or a duplicate kid, anywhere */
	free(d);
	d = kh_jwk(rsa1024, "weak", NULL, "\"d\":\"AQAB\"");
	text = kh_jwks(a, b, c, d, NULL);
	assert_int_equal(parse_set(text, &set, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_BAD_KEY);
	assert_null(set);
	free(text);
	free(d);
	d = kh_jwk(rsa1024, "ec", NULL, NULL);
	text = kh_jwks(a, b, c, d, NULL);
	assert_int_equal(parse_set(text, &set, &err), -EINVAL);
	assert_null(set);
	free(text);
	free(a);
	free(b);
	free(c);
	free(d);
}

static void
test_jwks_document_shape_and_caps(void **state)
{
	struct oidc_err err;
	struct jwks *set;
	char *one = kh_jwk(p256, NULL, NULL, NULL), *big;
	size_t len = strlen(one), cap, i, off;

	(void)state;
	assert_int_equal(parse_set("[]", &set, &err), -EINVAL);
	assert_int_equal(parse_set("{}", &set, &err), -EINVAL);
	assert_int_equal(parse_set("{\"keys\":{}}", &set, &err), -EINVAL);
	assert_int_equal(parse_set("{\"keys\":[1]}", &set, &err), -EINVAL);
	assert_int_equal(parse_set("{\"keys\":[]} x", &set, &err), -EINVAL);
	assert_int_equal(parse_set("{\"keys\":[],\"keys\":[]}", &set, &err), -EINVAL);
	/* no key at all: refused, there is nothing to verify with */
	oidc_err_clear(&err);
	assert_int_equal(parse_set("{\"keys\":[]}", &set, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_NO_KEY);
	assert_null(set);

	/* JWKS_MAX_KEYS keys are fine, one more is not */
	cap = (JWKS_MAX_KEYS + 1) * (len + 32) + 32;
	big = malloc(cap);
	assert_non_null(big);
	for (int count = JWKS_MAX_KEYS; count <= JWKS_MAX_KEYS + 1; count++) {
		off = (size_t)snprintf(big, cap, "{\"keys\":[");
		for (i = 0; i < (size_t)count; i++)
			off += (size_t)snprintf(big + off, cap - off, "%s{\"kid\":\"k%zu\",%s",
						i ? "," : "", i, one + 1);
		snprintf(big + off, cap - off, "]}");
		if (count == JWKS_MAX_KEYS) {
			assert_int_equal(parse_set(big, &set, &err), 0);
			assert_int_equal(set->n, JWKS_MAX_KEYS);
			jwks_free(set);
		} else {
			assert_true(parse_set(big, &set, &err) < 0);
			assert_int_equal(err.reason, OIDC_R_TOO_LARGE);
			assert_null(set);
		}
	}
	free(big);
	/* a document over JWKS_MAX_SIZE, even if it is only whitespace */
	big = malloc(JWKS_MAX_SIZE + 64);
	assert_non_null(big);
	memset(big, ' ', JWKS_MAX_SIZE + 63);
	memcpy(big, "{\"keys\":[]", 10);
	big[JWKS_MAX_SIZE + 62] = '}';
	big[JWKS_MAX_SIZE + 63] = '\0';
	assert_true(parse_set(big, &set, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_TOO_LARGE);
	free(big);
	free(one);
}

static void
test_find_key(void **state)
{
	struct oidc_err err;
	struct jwks *set;
	const struct jwk *k;
	char *a = kh_jwk(rsa, "kid-1", NULL, NULL), *b = kh_jwk(p256, "kid-10", "ES256", NULL);
	char *c = kh_jwk(p384, NULL, NULL, NULL), *d = kh_jwk(ed, "ed", NULL, NULL);
	char *text = kh_jwks(a, b, c, d, NULL);

	(void)state;
	assert_int_equal(parse_set(text, &set, &err), 0);
	assert_int_equal(set->n, 4);
	/* exact kid */
	assert_int_equal(jwks_find_key(set, "kid-1", JOSE_ALG_PS256, &k, &err), 0);
	assert_string_equal(k->kid, "kid-1");
	assert_int_equal(jwks_find_key(set, "kid-10", JOSE_ALG_ES256, &k, &err), 0);
	assert_string_equal(k->kid, "kid-10");
	/* no prefix or case games */
	oidc_err_clear(&err);
	assert_int_equal(jwks_find_key(set, "kid-", JOSE_ALG_RS256, &k, &err), -ENOENT);
	assert_int_equal(err.reason, OIDC_R_NO_KEY);
	assert_int_equal(jwks_find_key(set, "KID-1", JOSE_ALG_RS256, &k, NULL), -ENOENT);
	/* kid found but alg does not fit it */
	oidc_err_clear(&err);
	assert_int_equal(jwks_find_key(set, "kid-1", JOSE_ALG_ES256, &k, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_ALGORITHM);
	assert_int_equal(jwks_find_key(set, "kid-10", JOSE_ALG_ES384, &k, NULL), -EINVAL);
	assert_int_equal(jwks_find_key(set, "ed", JOSE_ALG_ES256, &k, NULL), -EINVAL);
	/* no kid: exactly one fits */
	assert_int_equal(jwks_find_key(set, NULL, JOSE_ALG_ES384, &k, NULL), 0);
	assert_int_equal(k->kty, JWK_KTY_EC_P384);
	assert_int_equal(jwks_find_key(set, NULL, JOSE_ALG_EDDSA, &k, NULL), 0);
	assert_int_equal(jwks_find_key(set, NULL, JOSE_ALG_RS512, &k, NULL), 0);
	assert_string_equal(k->kid, "kid-1");
	/* no kid, none fits */
	assert_int_equal(jwks_find_key(set, NULL, JOSE_ALG_ES512, &k, NULL), -ENOENT);
	/* unknown alg never selects anything */
	assert_int_equal(jwks_find_key(set, "kid-1", JOSE_ALG_UNKNOWN, &k, NULL), -EINVAL);
	jwks_free(set);
	free(text);
	/* no kid, two fit */
	text = kh_jwks(a, c, b, d, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"\",\"y\":\"\",\"use\":\"enc\"}",
		       NULL);
	assert_int_equal(parse_set(text, &set, &err), 0);
	free(text);
	jwks_free(set);
	free(d);
	d = kh_jwk(p256, "other", NULL, NULL);
	text = kh_jwks(a, b, d, NULL);
	assert_int_equal(parse_set(text, &set, &err), 0);
	oidc_err_clear(&err);
	assert_int_equal(jwks_find_key(set, NULL, JOSE_ALG_ES256, &k, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_NO_KEY);
	jwks_free(set);
	free(text);
	free(a);
	free(b);
	free(c);
	free(d);
}

/* Parse a single key from its JWK into *key. */
static void
load_key(EVP_PKEY *pkey, const char *alg, struct jwk *key)
{
	struct oidc_err err;
	char *t = kh_jwk(pkey, "k", alg, NULL);

	if (parse_one(t, key, &err) != 0)
		fail_msg("key rejected: %s", err.msg);
	free(t);
}

static int
vwk(enum jose_alg alg, unsigned mask, const struct jwk *key, const void *msg,
    const unsigned char *sig, size_t slen, struct oidc_err *err)
{
	oidc_err_clear(err);
	return jws_verify_with_key(alg, mask, key, msg, strlen(msg), sig, slen, err);
}

static void
test_verify_with_key_rules(void **state)
{
	const char *msg = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0";
	struct oidc_err err;
	struct jwk kr, ke, kd, kbound;
	unsigned char *sig, buf[600];
	size_t slen;

	(void)state;
	load_key(rsa, NULL, &kr);
	load_key(p256, NULL, &ke);
	load_key(ed, NULL, &kd);
	load_key(rsa, "RS256", &kbound);

	/* valid cases, and each alg outside the mask refused */
	sig = kh_sign(p256, JOSE_ALG_ES256, msg, strlen(msg), &slen);
	assert_int_equal(vwk(JOSE_ALG_ES256, JOSE_ALG_ALL_MASK, &ke, msg, sig, slen, &err), 0);
	assert_int_equal(vwk(JOSE_ALG_ES256, JOSE_ALG_ALL_MASK & ~JOSE_ALG_BIT(JOSE_ALG_ES256),
			     &ke, msg, sig, slen, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_ALGORITHM);
	assert_int_equal(vwk(JOSE_ALG_UNKNOWN, ~0u, &ke, msg, sig, slen, &err), -EINVAL);
	assert_int_equal(vwk(JOSE__ALG_MAX, ~0u, &ke, msg, sig, slen, &err), -EINVAL);
	/* ES256 signature checked with the Ed25519 / RSA key: refused before OpenSSL */
	assert_int_equal(vwk(JOSE_ALG_ES256, JOSE_ALG_ALL_MASK, &kd, msg, sig, slen, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_ALGORITHM);
	assert_int_equal(vwk(JOSE_ALG_ES256, JOSE_ALG_ALL_MASK, &kr, msg, sig, slen, &err), -EINVAL);
	free(sig);

	/* RSA: length must equal the modulus length */
	sig = kh_sign(rsa, JOSE_ALG_RS256, msg, strlen(msg), &slen);
	assert_int_equal(slen, 256);
	assert_int_equal(vwk(JOSE_ALG_RS256, JOSE_ALG_ALL_MASK, &kr, msg, sig, slen, &err), 0);
	assert_int_equal(vwk(JOSE_ALG_RS256, JOSE_ALG_ALL_MASK, &kr, msg, sig, slen - 1, &err),
			 -EBADMSG);
	buf[0] = 0;
	memcpy(buf + 1, sig, slen);
	assert_int_equal(vwk(JOSE_ALG_RS256, JOSE_ALG_ALL_MASK, &kr, msg, buf, slen + 1, &err),
			 -EBADMSG);
	/* a key bound to RS256 does not verify RS384 or PS256 */
	assert_int_equal(vwk(JOSE_ALG_RS256, JOSE_ALG_ALL_MASK, &kbound, msg, sig, slen, &err), 0);
	assert_int_equal(vwk(JOSE_ALG_PS256, JOSE_ALG_ALL_MASK, &kbound, msg, sig, slen, &err),
			 -EINVAL);
	assert_int_equal(vwk(JOSE_ALG_RS384, JOSE_ALG_ALL_MASK, &kbound, msg, sig, slen, &err),
			 -EINVAL);
	/* RS256 signature under RS384 (hash substitution) */
	assert_int_equal(vwk(JOSE_ALG_RS384, JOSE_ALG_ALL_MASK, &kr, msg, sig, slen, &err),
			 -EBADMSG);
	assert_int_equal(err.reason, OIDC_R_SIGNATURE);
	free(sig);

	/* Ed25519: exactly 64 bytes */
	sig = kh_sign(ed, JOSE_ALG_EDDSA, msg, strlen(msg), &slen);
	assert_int_equal(vwk(JOSE_ALG_EDDSA, JOSE_ALG_ALL_MASK, &kd, msg, sig, slen, &err), 0);
	assert_int_equal(vwk(JOSE_ALG_EDDSA, JOSE_ALG_ALL_MASK, &kd, msg, sig, 63, &err), -EBADMSG);
	memcpy(buf, sig, 64);
	buf[64] = 0;
	assert_int_equal(vwk(JOSE_ALG_EDDSA, JOSE_ALG_ALL_MASK, &kd, msg, buf, 65, &err), -EBADMSG);
	buf[0] ^= 1;
	assert_int_equal(vwk(JOSE_ALG_EDDSA, JOSE_ALG_ALL_MASK, &kd, msg, buf, 64, &err), -EBADMSG);
	free(sig);

	/* no key */
	assert_int_equal(vwk(JOSE_ALG_EDDSA, JOSE_ALG_ALL_MASK, NULL, msg, buf, 64, &err), -EINVAL);
	jwk_clear(&kr);
	jwk_clear(&ke);
	jwk_clear(&kd);
	jwk_clear(&kbound);
}

/*
 * The range check on r and s sits exactly at the group order: r = n is
 * refused by our check ("out of range"), r = n - 1 reaches OpenSSL and is a
 * plain bad signature.  This pins our order tables to OpenSSL's curves.
 */
static void
test_ecdsa_range_at_order(void **state)
{
	static const struct {
		const char *curve;
		int nid;
		enum jose_alg alg;
		size_t size;
	} curves[] = {
		{ "P-256", NID_X9_62_prime256v1, JOSE_ALG_ES256, 32 },
		{ "P-384", NID_secp384r1, JOSE_ALG_ES384, 48 },
		{ "P-521", NID_secp521r1, JOSE_ALG_ES512, 66 },
	};
	const char *msg = "header.payload";
	struct oidc_err err;
	size_t i, slen;

	(void)state;
	for (i = 0; i < 3; i++) {
		EVP_PKEY *pk = curves[i].nid == NID_X9_62_prime256v1 ? p256 :
			       curves[i].nid == NID_secp384r1 ? p384 : p521;
		EC_GROUP *g = EC_GROUP_new_by_curve_name(curves[i].nid);
		BIGNUM *nm1 = BN_new();
		unsigned char *sig, buf[132], order[66];
		struct jwk key;
		size_t sz = curves[i].size;

		assert_non_null(g);
		assert_non_null(nm1);
		load_key(pk, NULL, &key);
		sig = kh_sign(pk, curves[i].alg, msg, strlen(msg), &slen);
		assert_int_equal(slen, 2 * sz);
		assert_int_equal(vwk(curves[i].alg, JOSE_ALG_ALL_MASK, &key, msg, sig, slen, &err), 0);
		assert_int_equal(BN_bn2binpad(EC_GROUP_get0_order(g), order, (int)sz), (int)sz);
		/* r = n */
		memcpy(buf, sig, slen);
		memcpy(buf, order, sz);
		assert_int_equal(vwk(curves[i].alg, JOSE_ALG_ALL_MASK, &key, msg, buf, slen, &err),
				 -EBADMSG);
		assert_non_null(strstr(err.msg, "range"));
		/* s = n */
		memcpy(buf, sig, slen);
		memcpy(buf + sz, order, sz);
		assert_int_equal(vwk(curves[i].alg, JOSE_ALG_ALL_MASK, &key, msg, buf, slen, &err),
				 -EBADMSG);
		assert_non_null(strstr(err.msg, "range"));
		/* s = 0xff..ff */
		memset(buf + sz, 0xff, sz);
		assert_int_equal(vwk(curves[i].alg, JOSE_ALG_ALL_MASK, &key, msg, buf, slen, &err),
				 -EBADMSG);
		/* r = n - 1: in range, so OpenSSL decides, and says no */
		assert_int_equal(BN_sub(nm1, EC_GROUP_get0_order(g), BN_value_one()), 1);
		memcpy(buf, sig, slen);
		assert_int_equal(BN_bn2binpad(nm1, buf, (int)sz), (int)sz);
		assert_int_equal(vwk(curves[i].alg, JOSE_ALG_ALL_MASK, &key, msg, buf, slen, &err),
				 -EBADMSG);
		assert_null(strstr(err.msg, "range"));
		/* r = 0 and s = 0 */
		memcpy(buf, sig, slen);
		memset(buf, 0, sz);
		assert_int_equal(vwk(curves[i].alg, JOSE_ALG_ALL_MASK, &key, msg, buf, slen, &err),
				 -EBADMSG);
		memcpy(buf, sig, slen);
		memset(buf + sz, 0, sz);
		assert_int_equal(vwk(curves[i].alg, JOSE_ALG_ALL_MASK, &key, msg, buf, slen, &err),
				 -EBADMSG);
		free(sig);
		BN_free(nm1);
		EC_GROUP_free(g);
		jwk_clear(&key);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsa_ok),
		cmocka_unit_test(test_rsa_1024_rejected),
		cmocka_unit_test(test_rsa_exponent),
		cmocka_unit_test(test_rsa_modulus_shapes),
		cmocka_unit_test(test_ec_ok),
		cmocka_unit_test(test_ec_sizes_and_curve),
		cmocka_unit_test(test_ed25519),
		cmocka_unit_test(test_private_members_rejected),
		cmocka_unit_test(test_jwks_private_key_rejects_set),
		cmocka_unit_test(test_jwks_duplicate_kids),
		cmocka_unit_test(test_jwks_skips_unusable_keys),
		cmocka_unit_test(test_jwks_broken_key_is_skipped_not_fatal),
		cmocka_unit_test(test_jwks_weak_rsa_beside_good_keys),
		cmocka_unit_test(test_jwks_document_shape_and_caps),
		cmocka_unit_test(test_find_key),
		cmocka_unit_test(test_verify_with_key_rules),
		cmocka_unit_test(test_ecdsa_range_at_order),
	};

	return cmocka_run_group_tests_name("jwk", tests, setup, teardown);
}
