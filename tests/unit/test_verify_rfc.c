/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Signature verification end to end through verify_signature(): the
 * published JWS examples (RFC 7515 appendix A, RFC 7520 section 4, RFC 8037
 * appendix A) and one named test per attack on JWS verification, with keys
 * generated at test time.
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
#include <sys/socket.h>
#include <netdb.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "jwks.h"
#include "jws.h"
#include "keyhelp.h"
#include "oidc_err.h"
#include "testhelp.h"
#include "verify.h"

/*
 * The verifier must never reach the network, whatever the token's header
 * says (jku, x5u).  These definitions interpose on the C library for the
 * whole test program, so any attempt is counted and fails.
 */
static unsigned net_attempts;

int
connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	(void)fd;
	(void)addr;
	(void)len;
	net_attempts++;
	errno = EACCES;
	return -1;
}

int
getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
	    struct addrinfo **res)
{
	(void)node;
	(void)service;
	(void)hints;
	(void)res;
	net_attempts++;
	return EAI_FAIL;
}

/* ---- published vectors ---- */

static json_object *rfc_doc;

static int
load_rfc(void **state)
{
	char *path = th_srcpath("tests/unit/vectors/rfc_jws.json");
	char *text = th_read_file(path, NULL);

	(void)state;
	rfc_doc = json_tokener_parse(text);
	free(text);
	free(path);
	return rfc_doc == NULL ? -1 : 0;
}

static json_object *
rfc_case(const char *name_prefix)
{
	json_object *cases, *c, *name;
	size_t i;

	assert_true(json_object_object_get_ex(rfc_doc, "cases", &cases));
	for (i = 0; i < json_object_array_length(cases); i++) {
		c = json_object_array_get_idx(cases, i);
		assert_true(json_object_object_get_ex(c, "name", &name));
		if (strncmp(json_object_get_string(name), name_prefix, strlen(name_prefix)) == 0)
			return c;
	}
	fail_msg("vector %s missing", name_prefix);
	return NULL;
}

static struct jwks *
parse_set(const char *text)
{
	struct oidc_err err;
	struct jwks *set = NULL;

	oidc_err_clear(&err);
	if (jwks_parse(text, strlen(text), &set, &err) != 0)
		fail_msg("JWKS rejected: %s", err.msg);
	return set;
}

/* Flip one bit in the middle of the payload part, keeping base64url valid. */
static char *
tamper_payload(const char *token)
{
	char *t = strdup(token), *d1, *d2, *p;

	assert_non_null(t);
	d1 = strchr(t, '.');
	d2 = strchr(d1 + 1, '.');
	p = d1 + 1 + (size_t)(d2 - d1 - 1) / 2;
	/* swap between two letters that both decode to full 6-bit groups */
	*p = (*p == 'A') ? 'B' : 'A';
	return t;
}

static void
run_rfc(const char *prefix)
{
	json_object *c = rfc_case(prefix), *v;
	struct oidc_err err;
	struct jwks *set;
	struct jws *jws = NULL;
	const char *token;
	char *bad;
	int valid, json_payload = 0, r;

	assert_true(json_object_object_get_ex(c, "jwks", &v));
	set = parse_set(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	assert_true(json_object_object_get_ex(c, "token", &v));
	token = json_object_get_string(v);
	assert_true(json_object_object_get_ex(c, "valid", &v));
	valid = json_object_get_boolean(v);
	if (json_object_object_get_ex(c, "json_payload", &v))
		json_payload = json_object_get_boolean(v);

	oidc_err_clear(&err);
	r = verify_signature(token, strlen(token), set, JOSE_ALG_ALL_MASK, json_payload, &jws, &err);
	if (valid) {
		if (r != 0)
			fail_msg("%s rejected: %s", prefix, err.msg);
		assert_non_null(jws);
		assert_true(jws->payload_raw_len > 0);
		if (json_payload)
			assert_non_null(jws->payload);
		jws_free(jws);
		/* the same token with its payload changed must fail */
		bad = tamper_payload(token);
		oidc_err_clear(&err);
		assert_int_equal(verify_signature(bad, strlen(bad), set, JOSE_ALG_ALL_MASK, 0,
						  NULL, &err), -EBADMSG);
		assert_int_equal(err.reason, OIDC_R_SIGNATURE);
		free(bad);
		/* and so must the token under an allow-list that omits its alg */
		oidc_err_clear(&err);
		r = verify_signature(token, strlen(token), set, 0, json_payload, NULL, &err);
		assert_true(r < 0);
		assert_int_equal(err.reason, OIDC_R_ALGORITHM);
	} else {
		assert_true(r < 0);
		assert_null(jws);
		assert_int_equal(err.reason, OIDC_R_ALGORITHM);
	}
	jwks_free(set);
}

static void test_rfc7515_a1_hs256_rejected(void **s) { (void)s; run_rfc("RFC 7515 A.1"); }
static void test_rfc7515_a2_rs256(void **s) { (void)s; run_rfc("RFC 7515 A.2"); }
static void test_rfc7515_a3_es256(void **s) { (void)s; run_rfc("RFC 7515 A.3"); }
static void test_rfc7515_a4_es512(void **s) { (void)s; run_rfc("RFC 7515 A.4"); }
static void test_rfc7520_4_1_rs256(void **s) { (void)s; run_rfc("RFC 7520 4.1"); }
static void test_rfc7520_4_2_ps384(void **s) { (void)s; run_rfc("RFC 7520 4.2"); }
static void test_rfc7520_4_3_es512(void **s) { (void)s; run_rfc("RFC 7520 4.3"); }
static void test_rfc7520_4_4_hs256_rejected(void **s) { (void)s; run_rfc("RFC 7520 4.4"); }
static void test_rfc8037_ed25519(void **s) { (void)s; run_rfc("RFC 8037"); }

/* ---- generated keys ---- */

static EVP_PKEY *rsa1, *rsa2, *ec1, *ec2, *ec384, *ec521, *ed1, *att_ec, *att_rsa;
static char *jwk_rsa1, *jwk_rsa2, *jwk_ec1, *jwk_ec2, *jwk_ec384, *jwk_ec521, *jwk_ed1;
static struct jwks *set_all;	/* rsa1, ec1, ec384, ec521, ed1; all with kids */

static const char payload[] = "{\"iss\":\"https://idp.example\",\"sub\":\"alice\"}";

static int
setup_keys(void **state)
{
	char *all;

	if (load_rfc(state) != 0)
		return -1;
	rsa1 = kh_keygen("RSA", 2048);
	rsa2 = kh_keygen("RSA", 2048);
	ec1 = kh_keygen("P-256", 0);
	ec2 = kh_keygen("P-256", 0);
	ec384 = kh_keygen("P-384", 0);
	ec521 = kh_keygen("P-521", 0);
	ed1 = kh_keygen("ED25519", 0);
	att_ec = kh_keygen("P-256", 0);
	att_rsa = kh_keygen("RSA", 2048);
	jwk_rsa1 = kh_jwk(rsa1, "rsa1", NULL, "\"use\":\"sig\"");
	jwk_rsa2 = kh_jwk(rsa2, "rsa2", NULL, NULL);
	jwk_ec1 = kh_jwk(ec1, "ec1", "ES256", NULL);
	jwk_ec2 = kh_jwk(ec2, "ec2", NULL, NULL);
	jwk_ec384 = kh_jwk(ec384, "ec384", NULL, NULL);
	jwk_ec521 = kh_jwk(ec521, "ec521", NULL, NULL);
	jwk_ed1 = kh_jwk(ed1, "ed1", NULL, NULL);
	all = kh_jwks(jwk_rsa1, jwk_ec1, jwk_ec384, jwk_ec521, jwk_ed1, NULL);
	set_all = parse_set(all);
	free(all);
	assert_int_equal(set_all->n, 5);
	return 0;
}

static int
teardown_keys(void **state)
{
	(void)state;
	jwks_free(set_all);
	EVP_PKEY_free(rsa1);
	EVP_PKEY_free(rsa2);
	EVP_PKEY_free(ec1);
	EVP_PKEY_free(ec2);
	EVP_PKEY_free(ec384);
	EVP_PKEY_free(ec521);
	EVP_PKEY_free(ed1);
	EVP_PKEY_free(att_ec);
	EVP_PKEY_free(att_rsa);
	free(jwk_rsa1);
	free(jwk_rsa2);
	free(jwk_ec1);
	free(jwk_ec2);
	free(jwk_ec384);
	free(jwk_ec521);
	free(jwk_ed1);
	json_object_put(rfc_doc);
	return 0;
}

/* verify_signature over the generated set; returns its result, err filled. */
static int
verify_all(const char *token, unsigned mask, struct oidc_err *err)
{
	oidc_err_clear(err);
	return verify_signature(token, strlen(token), set_all, mask, 1, NULL, err);
}

static void
expect_ok(EVP_PKEY *key, enum jose_alg alg, const char *header)
{
	struct oidc_err err;
	char *tok = kh_token(key, alg, header, payload);

	if (verify_all(tok, JOSE_ALG_ALL_MASK, &err) != 0)
		fail_msg("%s rejected: %s", header, err.msg);
	free(tok);
}

static void
expect_fail(const char *tok, int rc, enum oidc_reason reason)
{
	struct oidc_err err;
	int r = verify_all(tok, JOSE_ALG_ALL_MASK, &err);

	if (r != rc || err.reason != reason)
		fail_msg("expected %d/%s, got %d/%s (%s)", rc, oidc_reason_name(reason), r,
			 oidc_reason_name(err.reason), err.msg);
}

static void
test_every_algorithm_round_trip(void **state)
{
	(void)state;
	expect_ok(rsa1, JOSE_ALG_RS256, "{\"alg\":\"RS256\",\"kid\":\"rsa1\"}");
	expect_ok(rsa1, JOSE_ALG_RS384, "{\"alg\":\"RS384\",\"kid\":\"rsa1\"}");
	expect_ok(rsa1, JOSE_ALG_RS512, "{\"alg\":\"RS512\",\"kid\":\"rsa1\"}");
	expect_ok(rsa1, JOSE_ALG_PS256, "{\"alg\":\"PS256\",\"kid\":\"rsa1\"}");
	expect_ok(rsa1, JOSE_ALG_PS384, "{\"alg\":\"PS384\",\"kid\":\"rsa1\"}");
	expect_ok(rsa1, JOSE_ALG_PS512, "{\"alg\":\"PS512\",\"kid\":\"rsa1\"}");
	expect_ok(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec1\"}");
	expect_ok(ec384, JOSE_ALG_ES384, "{\"alg\":\"ES384\",\"kid\":\"ec384\"}");
	expect_ok(ec521, JOSE_ALG_ES512, "{\"alg\":\"ES512\",\"kid\":\"ec521\"}");
	expect_ok(ed1, JOSE_ALG_EDDSA, "{\"alg\":\"EdDSA\",\"kid\":\"ed1\"}");
}

/* The classic confusion: the RSA public key used as an HMAC secret. */
static void
test_hs256_signed_with_rsa_public_key(void **state)
{
	const char *header = "{\"alg\":\"HS256\",\"kid\":\"rsa1\",\"typ\":\"JWT\"}";
	unsigned char mac[64], *der = NULL;
	size_t maclen, i;
	char *si, *tok, *pem = NULL;
	BIO *bio;
	long pemlen;
	int derlen;
	const void *secrets[3];
	size_t secret_len[3];

	(void)state;
	bio = BIO_new(BIO_s_mem());
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PUBKEY(bio, rsa1), 1);
	pemlen = BIO_get_mem_data(bio, &pem);
	derlen = i2d_PUBKEY(rsa1, &der);
	assert_true(derlen > 0);
	secrets[0] = pem;
	secret_len[0] = (size_t)pemlen;
	secrets[1] = der;
	secret_len[1] = (size_t)derlen;
	secrets[2] = jwk_rsa1;
	secret_len[2] = strlen(jwk_rsa1);
	si = kh_signing_input(header, payload, strlen(payload));
	for (i = 0; i < 3; i++) {
		assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, secrets[i],
					  secret_len[i], (const unsigned char *)si, strlen(si),
					  mac, sizeof(mac), &maclen));
		tok = kh_token_with_sig(si, mac, maclen);
		expect_fail(tok, -EINVAL, OIDC_R_ALGORITHM);
		free(tok);
	}
	free(si);
	OPENSSL_free(der);
	BIO_free(bio);
}

static void
test_alg_key_type_mismatch(void **state)
{
	char *tok;

	(void)state;
	/* RS256 header naming the EC key (signed with RSA, as an attacker would try) */
	tok = kh_token(rsa1, JOSE_ALG_RS256, "{\"alg\":\"RS256\",\"kid\":\"ec1\"}", payload);
	expect_fail(tok, -EINVAL, OIDC_R_ALGORITHM);
	free(tok);
	/* ES256 header naming the RSA key */
	tok = kh_token(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"rsa1\"}", payload);
	expect_fail(tok, -EINVAL, OIDC_R_ALGORITHM);
	free(tok);
	/* PS256 header naming the Ed25519 key */
	tok = kh_token(rsa1, JOSE_ALG_PS256, "{\"alg\":\"PS256\",\"kid\":\"ed1\"}", payload);
	expect_fail(tok, -EINVAL, OIDC_R_ALGORITHM);
	free(tok);
	/* EdDSA header naming the EC key */
	tok = kh_token(ed1, JOSE_ALG_EDDSA, "{\"alg\":\"EdDSA\",\"kid\":\"ec1\"}", payload);
	expect_fail(tok, -EINVAL, OIDC_R_ALGORITHM);
	free(tok);
	/* ES384 header naming the P-256 key: right family, wrong curve */
	tok = kh_token(ec384, JOSE_ALG_ES384, "{\"alg\":\"ES384\",\"kid\":\"ec1\"}", payload);
	expect_fail(tok, -EINVAL, OIDC_R_ALGORITHM);
	free(tok);
	/* ES512 header naming the P-384 key */
	tok = kh_token(ec521, JOSE_ALG_ES512, "{\"alg\":\"ES512\",\"kid\":\"ec384\"}", payload);
	expect_fail(tok, -EINVAL, OIDC_R_ALGORITHM);
	free(tok);
}

/* A PKCS#1 v1.5 signature presented as PSS, and the reverse: both bad. */
static void
test_rsa_padding_confusion(void **state)
{
	char *si, *tok;
	unsigned char *sig;
	size_t slen;

	(void)state;
	si = kh_signing_input("{\"alg\":\"PS256\",\"kid\":\"rsa1\"}", payload, strlen(payload));
	sig = kh_sign(rsa1, JOSE_ALG_RS256, si, strlen(si), &slen);
	tok = kh_token_with_sig(si, sig, slen);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	free(sig);
	free(si);
	si = kh_signing_input("{\"alg\":\"RS256\",\"kid\":\"rsa1\"}", payload, strlen(payload));
	sig = kh_sign(rsa1, JOSE_ALG_PS256, si, strlen(si), &slen);
	tok = kh_token_with_sig(si, sig, slen);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	free(sig);
	free(si);
}

/*
 * A header that carries the attacker's own key (jwk) or points at it
 * (jku, x5u) and is signed with that key: the verifier uses only its
 * JWKS, so the signature is bad or no key is found, and nothing is fetched.
 */
static void
test_embedded_jwk_and_jku_ignored(void **state)
{
	char *att_jwk = kh_jwk(att_ec, "ec1", "ES256", NULL);
	char *att_rsa_jwk = kh_jwk(att_rsa, "rsa1", NULL, NULL);
	char header[2048];
	char *tok;

	(void)state;
	net_attempts = 0;
	/* embedded jwk, kid of a real key: the real key is used, signature bad */
	snprintf(header, sizeof(header), "{\"alg\":\"ES256\",\"kid\":\"ec1\",\"jwk\":%s}", att_jwk);
	tok = kh_token(att_ec, JOSE_ALG_ES256, header, payload);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	/* embedded jwk and no kid: the one P-256 key of the set is used */
	snprintf(header, sizeof(header), "{\"alg\":\"ES256\",\"jwk\":%s}", att_jwk);
	tok = kh_token(att_ec, JOSE_ALG_ES256, header, payload);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	/* embedded jwk with a kid the set does not have: no key, never the embedded one */
	snprintf(header, sizeof(header), "{\"alg\":\"ES256\",\"kid\":\"attacker\",\"jwk\":%s}",
		 att_jwk);
	tok = kh_token(att_ec, JOSE_ALG_ES256, header, payload);
	expect_fail(tok, -ENOENT, OIDC_R_NO_KEY);
	free(tok);
	/* jku pointing at the attacker's JWKS */
	tok = kh_token(att_rsa, JOSE_ALG_RS256,
		       "{\"alg\":\"RS256\",\"kid\":\"rsa1\",\"jku\":\"https://127.0.0.1:9/jwks\"}",
		       payload);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	tok = kh_token(att_rsa, JOSE_ALG_RS256,
		       "{\"alg\":\"RS256\",\"kid\":\"evil\",\"jku\":\"https://127.0.0.1:9/jwks\","
		       "\"x5u\":\"https://127.0.0.1:9/cert.pem\"}", payload);
	expect_fail(tok, -ENOENT, OIDC_R_NO_KEY);
	free(tok);
	/* embedded RSA jwk with the kid of the real RSA key */
	snprintf(header, sizeof(header), "{\"alg\":\"RS256\",\"kid\":\"rsa1\",\"jwk\":%s}",
		 att_rsa_jwk);
	tok = kh_token(att_rsa, JOSE_ALG_RS256, header, payload);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	assert_int_equal(net_attempts, 0);
	free(att_jwk);
	free(att_rsa_jwk);
}

static void
test_ecdsa_signature_forms(void **state)
{
	const char *header = "{\"alg\":\"ES256\",\"kid\":\"ec1\"}";
	char *si = kh_signing_input(header, payload, strlen(payload)), *tok;
	unsigned char *sig, *der, buf[80];
	size_t slen, dlen;

	(void)state;
	sig = kh_sign(ec1, JOSE_ALG_ES256, si, strlen(si), &slen);
	assert_int_equal(slen, 64);
	/* baseline: the raw form verifies */
	tok = kh_token_with_sig(si, sig, slen);
	expect_ok(ec1, JOSE_ALG_ES256, header);
	assert_int_equal(verify_signature(tok, strlen(tok), set_all, JOSE_ALG_ALL_MASK, 1, NULL,
					  NULL), 0);
	free(tok);
	/* r = 0 */
	memcpy(buf, sig, 64);
	memset(buf, 0, 32);
	tok = kh_token_with_sig(si, buf, 64);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	/* s = 0 */
	memcpy(buf, sig, 64);
	memset(buf + 32, 0, 32);
	tok = kh_token_with_sig(si, buf, 64);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	/* one byte short */
	tok = kh_token_with_sig(si, sig, 63);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	/* one byte long (a trailing zero) */
	memcpy(buf, sig, 64);
	buf[64] = 0;
	tok = kh_token_with_sig(si, buf, 65);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	/* one byte long (a leading zero, as a careless DER-to-raw converter makes) */
	buf[0] = 0;
	memcpy(buf + 1, sig, 64);
	tok = kh_token_with_sig(si, buf, 65);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	/* the DER form of a valid signature */
	der = kh_sign_der(ec1, JOSE_ALG_ES256, si, strlen(si), &dlen);
	tok = kh_token_with_sig(si, der, dlen);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	free(der);
	free(sig);
	free(si);
}

/* A valid signature moved onto another (well-formed) claim set. */
static void
swap_payload(EVP_PKEY *key, enum jose_alg alg, const char *header)
{
	static const char other[] = "{\"iss\":\"https://idp.example\",\"sub\":\"root\"}";
	char *si = kh_signing_input(header, payload, strlen(payload));
	char *si2 = kh_signing_input(header, other, strlen(other));
	unsigned char *sig;
	size_t slen;
	char *tok;

	sig = kh_sign(key, alg, si, strlen(si), &slen);
	tok = kh_token_with_sig(si2, sig, slen);
	expect_fail(tok, -EBADMSG, OIDC_R_SIGNATURE);
	free(tok);
	/* and the untouched token verifies, so the failure above is the payload's */
	tok = kh_token_with_sig(si, sig, slen);
	assert_int_equal(verify_signature(tok, strlen(tok), set_all, JOSE_ALG_ALL_MASK, 1, NULL,
					  NULL), 0);
	free(tok);
	free(sig);
	free(si);
	free(si2);
}

static void
test_tampered_payload(void **state)
{
	(void)state;
	swap_payload(ed1, JOSE_ALG_EDDSA, "{\"alg\":\"EdDSA\",\"kid\":\"ed1\"}");
	swap_payload(rsa1, JOSE_ALG_RS256, "{\"alg\":\"RS256\",\"kid\":\"rsa1\"}");
	swap_payload(rsa1, JOSE_ALG_PS512, "{\"alg\":\"PS512\",\"kid\":\"rsa1\"}");
	swap_payload(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec1\"}");
	swap_payload(ec521, JOSE_ALG_ES512, "{\"alg\":\"ES512\",\"kid\":\"ec521\"}");
}

static void
test_kid_not_found_is_enoent(void **state)
{
	char *tok;

	(void)state;
	tok = kh_token(rsa2, JOSE_ALG_RS256, "{\"alg\":\"RS256\",\"kid\":\"rsa2\"}", payload);
	expect_fail(tok, -ENOENT, OIDC_R_NO_KEY);
	free(tok);
	/* a prefix of a kid is not that kid */
	tok = kh_token(rsa1, JOSE_ALG_RS256, "{\"alg\":\"RS256\",\"kid\":\"rsa\"}", payload);
	expect_fail(tok, -ENOENT, OIDC_R_NO_KEY);
	free(tok);
	tok = kh_token(rsa1, JOSE_ALG_RS256, "{\"alg\":\"RS256\",\"kid\":\"rsa1 \"}", payload);
	expect_fail(tok, -ENOENT, OIDC_R_NO_KEY);
	free(tok);
}

static void
test_no_kid_selection(void **state)
{
	struct oidc_err err;
	struct jwks *two;
	char *text, *tok;

	(void)state;
	/* exactly one key of the set fits ES256: accepted without a kid */
	expect_ok(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\"}");
	expect_ok(ed1, JOSE_ALG_EDDSA, "{\"alg\":\"EdDSA\"}");
	/* two P-256 keys fit: ambiguous, rejected even though ec1 signed */
	text = kh_jwks(jwk_ec1, jwk_ec2, jwk_rsa1, NULL);
	two = parse_set(text);
	tok = kh_token(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\"}", payload);
	oidc_err_clear(&err);
	assert_int_equal(verify_signature(tok, strlen(tok), two, JOSE_ALG_ALL_MASK, 1, NULL, &err),
			 -EINVAL);
	assert_int_equal(err.reason, OIDC_R_NO_KEY);
	/* ... while with its kid it verifies */
	free(tok);
	tok = kh_token(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec1\"}", payload);
	assert_int_equal(verify_signature(tok, strlen(tok), two, JOSE_ALG_ALL_MASK, 1, NULL, NULL), 0);
	free(tok);
	/* no key fits at all: -ENOENT, the caller may refetch */
	tok = kh_token(ec384, JOSE_ALG_ES384, "{\"alg\":\"ES384\"}", payload);
	oidc_err_clear(&err);
	assert_int_equal(verify_signature(tok, strlen(tok), two, JOSE_ALG_ALL_MASK, 1, NULL, &err),
			 -ENOENT);
	free(tok);
	jwks_free(two);
	free(text);
}

/* A key whose own "alg" differs from the header's is not used. */
static void
test_key_alg_must_match_header(void **state)
{
	struct jwks *set;
	char *jwk, *text, *tok;

	(void)state;
	jwk = kh_jwk(rsa1, "k", "RS256", NULL);
	text = kh_jwks(jwk, NULL);
	set = parse_set(text);
	tok = kh_token(rsa1, JOSE_ALG_PS256, "{\"alg\":\"PS256\",\"kid\":\"k\"}", payload);
	assert_true(verify_signature(tok, strlen(tok), set, JOSE_ALG_ALL_MASK, 1, NULL, NULL) < 0);
	free(tok);
	/* without a kid the RS256-only key does not fit PS256 at all */
	tok = kh_token(rsa1, JOSE_ALG_PS256, "{\"alg\":\"PS256\"}", payload);
	assert_int_equal(verify_signature(tok, strlen(tok), set, JOSE_ALG_ALL_MASK, 1, NULL, NULL),
			 -ENOENT);
	free(tok);
	tok = kh_token(rsa1, JOSE_ALG_RS256, "{\"alg\":\"RS256\"}", payload);
	assert_int_equal(verify_signature(tok, strlen(tok), set, JOSE_ALG_ALL_MASK, 1, NULL, NULL), 0);
	free(tok);
	jwks_free(set);
	free(text);
	free(jwk);
}

static void
test_allow_list(void **state)
{
	struct oidc_err err;
	char *tok;

	(void)state;
	tok = kh_token(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec1\"}", payload);
	assert_int_equal(verify_all(tok, JOSE_ALG_BIT(JOSE_ALG_ES256), &err), 0);
	assert_true(verify_all(tok, JOSE_ALG_BIT(JOSE_ALG_RS256) | JOSE_ALG_BIT(JOSE_ALG_EDDSA),
			       &err) < 0);
	assert_int_equal(err.reason, OIDC_R_ALGORITHM);
	free(tok);
	/* a disallowed alg with an unknown kid must not look like "refetch the JWKS" */
	tok = kh_token(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"unknown\"}", payload);
	assert_int_equal(verify_all(tok, JOSE_ALG_BIT(JOSE_ALG_RS256), &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_ALGORITHM);
	free(tok);
}

static void
test_alg_none_rejected(void **state)
{
	char *si = kh_signing_input("{\"alg\":\"none\",\"kid\":\"rsa1\"}", payload, strlen(payload));
	size_t n = strlen(si);
	char *tok = malloc(n + 2);
	struct oidc_err err;

	(void)state;
	assert_non_null(tok);
	memcpy(tok, si, n);
	tok[n] = '.';
	tok[n + 1] = '\0';
	assert_true(verify_all(tok, JOSE_ALG_ALL_MASK, &err) < 0);
	free(tok);
	free(si);
}

/*
 * verify_token() over a fixed set with the ID-token rules, the shape the
 * old verify_id_token() had: 0 and *ret_claims, or the negative errno.
 */
static int
vid(const char *tok, const struct jwks *set, const struct claims_policy *pol,
    json_object **ret_claims, struct oidc_err *err)
{
	struct jwks_source src = jwks_source_fixed(set);
	struct verify_policy vp = { .allowed_mask = JOSE_ALG_ALL_MASK, .claims = pol };
	struct verify_result res;
	int r;

	r = verify_token(tok, strlen(tok), &src, &vp, &res, err);
	if (r == 0) {
		*ret_claims = res.claims;
		res.claims = NULL;
	}
	verify_result_free(&res);
	return r;
}

/* verify_id_token: the signature first, then the claims, and the claims handed out. */
static void
test_verify_id_token_glue(void **state)
{
	static const char good[] = "{\"iss\":\"https://idp.example\",\"aud\":\"pam\","
				   "\"sub\":\"alice\",\"iat\":1000000000,\"exp\":1000000300}";
	static const char expired[] = "{\"iss\":\"https://idp.example\",\"aud\":\"pam\","
				      "\"sub\":\"alice\",\"iat\":900000000,\"exp\":900000300}";
	struct claims_policy pol = {
		.issuer = "https://idp.example", .client_id = "pam", .now = 1000000100,
		.leeway = 60, .max_age = -1, .acr_values = NULL,
	};
	json_object *claims = NULL, *sub;
	struct oidc_err err;
	char *tok, *si, *bad;
	unsigned char *sig;
	size_t slen;

	(void)state;
	tok = kh_token(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec1\"}", good);
	oidc_err_clear(&err);
	if (vid(tok, set_all, &pol, &claims, &err) != 0)
		fail_msg("ID token rejected: %s", err.msg);
	assert_non_null(claims);
	assert_true(json_object_object_get_ex(claims, "sub", &sub));
	assert_string_equal(json_object_get_string(sub), "alice");
	json_object_put(claims);
	claims = NULL;
	/* the claims are checked: an expired token with a good signature fails */
	free(tok);
	tok = kh_token(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec1\"}", expired);
	oidc_err_clear(&err);
	assert_true(vid(tok, set_all, &pol, &claims,
				    &err) < 0);
	assert_int_equal(err.reason, OIDC_R_EXPIRED);
	assert_null(claims);
	free(tok);
	/* the signature is checked before the claims: good claims, signature of others */
	si = kh_signing_input("{\"alg\":\"ES256\",\"kid\":\"ec1\"}", expired, strlen(expired));
	sig = kh_sign(ec1, JOSE_ALG_ES256, si, strlen(si), &slen);
	free(si);
	si = kh_signing_input("{\"alg\":\"ES256\",\"kid\":\"ec1\"}", good, strlen(good));
	bad = kh_token_with_sig(si, sig, slen);
	oidc_err_clear(&err);
	assert_int_equal(vid(bad, set_all, &pol, &claims,
					 &err), -EBADMSG);
	assert_int_equal(err.reason, OIDC_R_SIGNATURE);
	assert_null(claims);
	free(bad);
	free(si);
	free(sig);
	/* an ID token must carry a JSON claim set, even with a valid signature */
	tok = kh_token(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec1\"}", "not json");
	assert_true(vid(tok, set_all, &pol, &claims,
				    NULL) < 0);
	assert_null(claims);
	free(tok);
	/* explicit typing: an access token or a logout token is not an ID token */
	{
		static const char *const typed[] = {
			"{\"alg\":\"ES256\",\"kid\":\"ec1\",\"typ\":\"at+jwt\"}",
			"{\"alg\":\"ES256\",\"kid\":\"ec1\",\"typ\":\"application/AT+JWT\"}",
			"{\"alg\":\"ES256\",\"kid\":\"ec1\",\"typ\":\"logout+jwt\"}",
		};

		for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
			tok = kh_token(ec1, JOSE_ALG_ES256, typed[i], good);
			oidc_err_clear(&err);
			assert_int_equal(vid(tok, set_all,
							 &pol, &claims, &err), -EINVAL);
			assert_int_equal(err.reason, OIDC_R_MALFORMED);
			assert_null(claims);
			free(tok);
		}
		/* typ JWT (any case) stays an ID token */
		tok = kh_token(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec1\",\"typ\":\"jwt\"}", good);
		oidc_err_clear(&err);
		if (vid(tok, set_all, &pol, &claims, &err) != 0)
			fail_msg("typ jwt rejected: %s", err.msg);
		json_object_put(claims);
		claims = NULL;
		free(tok);
	}
	/* unknown kid surfaces as -ENOENT for the caller's one refetch */
	tok = kh_token(ec2, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec2\"}", good);
	assert_int_equal(vid(tok, set_all, &pol, &claims,
					 NULL), -ENOENT);
	free(tok);
}

/* A key source that counts its loads and hands out sets[0], then sets[1] on refresh. */
struct counting_source {
	const struct jwks *sets[2];
	int loads, refreshes;
	int refresh_fails;	/* refresh answers throttled */
};

static int
counting_load(void *ctx, bool refresh, const struct jwks **ret, struct oidc_err *err)
{
	struct counting_source *c = ctx;

	c->loads++;
	if (refresh) {
		c->refreshes++;
		if (c->refresh_fails)
			return oidc_err_set(err, OIDC_R_THROTTLED, EAGAIN, "refetch throttled");
	}
	*ret = c->sets[refresh ? 1 : 0];
	return 0;
}

/* verify_token's refetch policy: once, on an unknown kid only, and never for a typed token. */
static void
test_verify_token_refetch(void **state)
{
	static const char good[] = "{\"iss\":\"https://idp.example\",\"aud\":\"pam\","
				   "\"sub\":\"alice\",\"iat\":1000000000,\"exp\":1000000300}";
	struct claims_policy pol = {
		.issuer = "https://idp.example", .client_id = "pam", .now = 1000000100,
		.leeway = 60, .max_age = -1, .acr_values = NULL,
	};
	struct counting_source cs = { 0 };
	struct jwks_source src = { .load = counting_load, .ctx = &cs, .can_refresh = true };
	struct verify_policy vp = { .allowed_mask = JOSE_ALG_ALL_MASK, .claims = &pol };
	struct verify_result res;
	struct jwks *with_ec2;
	struct oidc_err err;
	char *all2, *tok;

	(void)state;
	all2 = kh_jwks(jwk_rsa1, jwk_ec1, jwk_ec2, NULL);
	with_ec2 = parse_set(all2);
	cs.sets[0] = set_all;
	cs.sets[1] = with_ec2;

	/* a kid only the fresh set has: one refetch, then admitted */
	tok = kh_token(ec2, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec2\"}", good);
	oidc_err_clear(&err);
	if (verify_token(tok, strlen(tok), &src, &vp, &res, &err) != 0)
		fail_msg("rotated key refused: %s", err.msg);
	assert_int_equal(res.stage, VERIFY_STAGE_DONE);
	assert_true(res.refetched);
	assert_string_equal(res.alg, "ES256");
	assert_string_equal(res.kid, "ec2");
	assert_non_null(res.claims);
	assert_int_equal(cs.loads, 2);
	assert_int_equal(cs.refreshes, 1);
	verify_result_free(&res);

	/* the refetch refused: the login fails closed with the throttle's reason */
	cs = (struct counting_source){ .sets = { set_all, with_ec2 }, .refresh_fails = 1 };
	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok, strlen(tok), &src, &vp, &res, &err), -EAGAIN);
	assert_int_equal(err.reason, OIDC_R_THROTTLED);
	assert_int_equal(res.stage, VERIFY_STAGE_SIGNATURE);
	assert_null(res.claims);
	verify_result_free(&res);
	free(tok);

	/* typed as an access token: refused before any key set is loaded */
	cs = (struct counting_source){ .sets = { set_all, with_ec2 } };
	tok = kh_token(ec2, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec2\",\"typ\":\"at+jwt\"}", good);
	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok, strlen(tok), &src, &vp, &res, &err), -EINVAL);
	assert_int_equal(err.reason, OIDC_R_MALFORMED);
	assert_int_equal(cs.loads, 0);
	verify_result_free(&res);
	free(tok);

	/* an algorithm outside the allow-list never asks for a refetch */
	vp.allowed_mask = JOSE_ALG_BIT(JOSE_ALG_RS256);
	tok = kh_token(ec2, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec2\"}", good);
	oidc_err_clear(&err);
	assert_true(verify_token(tok, strlen(tok), &src, &vp, &res, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_ALGORITHM);
	assert_int_equal(cs.refreshes, 0);
	verify_result_free(&res);
	free(tok);

	/* a failed claim is reported at the claims stage, after a good signature */
	vp.allowed_mask = JOSE_ALG_ALL_MASK;
	pol.client_id = "another";
	cs = (struct counting_source){ .sets = { set_all, with_ec2 } };
	tok = kh_token(ec1, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"ec1\"}", good);
	oidc_err_clear(&err);
	assert_true(verify_token(tok, strlen(tok), &src, &vp, &res, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_AUDIENCE);
	assert_int_equal(res.stage, VERIFY_STAGE_CLAIMS);
	assert_int_equal(cs.refreshes, 0);
	assert_null(res.claims);
	verify_result_free(&res);
	free(tok);

	jwks_free(with_ec2);
	free(all2);
}

/*
 * A key replaced under the same kid (a restored realm, ephemeral development
 * keys): a signature that fails against a cached set makes one refetch, and
 * only the fresh set's verdict counts.  Before, the failure was final until
 * the cached set expired (jwks_ttl).
 */
static void
test_verify_token_refetch_on_bad_signature(void **state)
{
	static const char good[] = "{\"iss\":\"https://idp.example\",\"aud\":\"pam\","
				   "\"sub\":\"alice\",\"iat\":1000000000,\"exp\":1000000300}";
	static const char hdr[] = "{\"alg\":\"ES256\",\"kid\":\"k\"}";
	struct claims_policy pol = {
		.issuer = "https://idp.example",
		.client_id = "pam",
		.now = 1000000100,
		.leeway = 60,
		.max_age = -1,
		.acr_values = NULL,
	};
	struct counting_source cs = { 0 };
	struct jwks_source src = { .load = counting_load, .ctx = &cs, .can_refresh = true };
	struct jwks_source fixed;
	struct verify_policy vp = { .allowed_mask = JOSE_ALG_ALL_MASK, .claims = &pol };
	struct verify_result res;
	struct jwks *before, *after;
	struct oidc_err err;
	char *ja = kh_jwk(ec1, "k", "ES256", NULL), *jb = kh_jwk(ec2, "k", "ES256", NULL);
	char *ta = kh_jwks(ja, NULL), *tb = kh_jwks(jb, NULL), *tok_new, *tok_old, *bad;

	(void)state;
	before = parse_set(ta); /* the cached set: kid k is ec1 */
	after = parse_set(tb);	/* the provider's now: kid k is ec2 */
	tok_new = kh_token(ec2, JOSE_ALG_ES256, hdr, good);
	tok_old = kh_token(ec1, JOSE_ALG_ES256, hdr, good);

	/* the first login after the change: one refetch, admitted */
	cs = (struct counting_source){ .sets = { before, after } };
	oidc_err_clear(&err);
	if (verify_token(tok_new, strlen(tok_new), &src, &vp, &res, &err) != 0)
		fail_msg("key replaced under its kid refused: %s", err.msg);
	assert_int_equal(res.stage, VERIFY_STAGE_DONE);
	assert_true(res.refetched);
	assert_non_null(res.refetch_why);
	assert_non_null(strstr(res.refetch_why, "signature did not verify"));
	assert_int_equal(cs.loads, 2);
	assert_int_equal(cs.refreshes, 1);
	verify_result_free(&res);

	/* the removed key verifies from the cache until a refetch, then never again */
	cs = (struct counting_source){ .sets = { before, after } };
	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok_old, strlen(tok_old), &src, &vp, &res, &err), 0);
	assert_false(res.refetched);
	verify_result_free(&res);
	cs = (struct counting_source){ .sets = { after, after } };
	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok_old, strlen(tok_old), &src, &vp, &res, &err), -EBADMSG);
	assert_int_equal(err.reason, OIDC_R_SIGNATURE);
	assert_true(res.refetched);
	assert_int_equal(cs.refreshes, 1);
	assert_null(res.claims);
	assert_string_equal(err.msg, "bad signature (also with the key set fetched again because "
				     "the signature did not verify with the cached key set)");
	verify_result_free(&res);

	/* a set fetched just now: a bad signature is final, no second fetch */
	after->fetched = true;
	cs = (struct counting_source){ .sets = { after, after } };
	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok_old, strlen(tok_old), &src, &vp, &res, &err), -EBADMSG);
	assert_int_equal(err.reason, OIDC_R_SIGNATURE);
	assert_false(res.refetched);
	assert_null(res.refetch_why);
	assert_int_equal(cs.loads, 1);
	assert_int_equal(cs.refreshes, 0);
	verify_result_free(&res);
	after->fetched = false;

	/* signed by a key the provider never had: one refetch at most, then refused */
	bad = kh_token(att_ec, JOSE_ALG_ES256, hdr, good);
	cs = (struct counting_source){ .sets = { before, after } };
	oidc_err_clear(&err);
	assert_int_equal(verify_token(bad, strlen(bad), &src, &vp, &res, &err), -EBADMSG);
	assert_int_equal(err.reason, OIDC_R_SIGNATURE);
	assert_int_equal(cs.refreshes, 1);
	assert_int_equal(cs.loads, 2);
	assert_null(res.claims);
	verify_result_free(&res);
	free(bad);

	/*
	 * the refetch refused by the throttle: fails closed as the bad
	 * signature it is (a denial, not an outage), saying why no fresh set
	 */
	cs = (struct counting_source){ .sets = { before, after }, .refresh_fails = 1 };
	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok_new, strlen(tok_new), &src, &vp, &res, &err), -EBADMSG);
	assert_int_equal(err.reason, OIDC_R_SIGNATURE);
	assert_true(res.refetched);
	assert_int_equal(cs.refreshes, 1);
	assert_string_equal(err.msg, "bad signature (the key set could not be fetched again: "
				     "refetch throttled)");
	assert_null(res.claims);
	verify_result_free(&res);

	/* a fixed set (pam-oidc verify --jwks FILE) is never refetched */
	fixed = jwks_source_fixed(before);
	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok_new, strlen(tok_new), &fixed, &vp, &res, &err), -EBADMSG);
	assert_false(res.refetched);
	verify_result_free(&res);

	/* a kid that names a key the parse skipped: refused with its reason, no refetch */
	{
		char *je = kh_jwk(ec2, "enc", NULL, "\"use\":\"enc\""), *te = kh_jwks(ja, je, NULL);
		struct jwks *with_enc = parse_set(te);

		cs = (struct counting_source){ .sets = { with_enc, with_enc } };
		bad = kh_token(ec2, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"enc\"}", good);
		oidc_err_clear(&err);
		assert_int_equal(verify_token(bad, strlen(bad), &src, &vp, &res, &err), -EINVAL);
		assert_int_equal(err.reason, OIDC_R_BAD_KEY);
		assert_string_equal(err.msg,
				    "key enc was skipped: JWK is not a signature key (use is "
				    "not \"sig\")");
		assert_int_equal(cs.refreshes, 0);
		verify_result_free(&res);
		free(bad);
		jwks_free(with_enc);
		free(te);
		free(je);
	}

	/* an algorithm that does not fit the kid's key is no rotation: no refetch */
	cs = (struct counting_source){ .sets = { before, after } };
	bad = kh_token(rsa1, JOSE_ALG_RS256, "{\"alg\":\"RS256\",\"kid\":\"k\"}", good);
	oidc_err_clear(&err);
	assert_true(verify_token(bad, strlen(bad), &src, &vp, &res, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_ALGORITHM);
	assert_int_equal(cs.refreshes, 0);
	verify_result_free(&res);
	free(bad);

	jwks_free(before);
	jwks_free(after);
	free(tok_new);
	free(tok_old);
	free(ta);
	free(tb);
	free(ja);
	free(jb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7515_a1_hs256_rejected),
		cmocka_unit_test(test_rfc7515_a2_rs256),
		cmocka_unit_test(test_rfc7515_a3_es256),
		cmocka_unit_test(test_rfc7515_a4_es512),
		cmocka_unit_test(test_rfc7520_4_1_rs256),
		cmocka_unit_test(test_rfc7520_4_2_ps384),
		cmocka_unit_test(test_rfc7520_4_3_es512),
		cmocka_unit_test(test_rfc7520_4_4_hs256_rejected),
		cmocka_unit_test(test_rfc8037_ed25519),
		cmocka_unit_test(test_every_algorithm_round_trip),
		cmocka_unit_test(test_hs256_signed_with_rsa_public_key),
		cmocka_unit_test(test_alg_key_type_mismatch),
		cmocka_unit_test(test_rsa_padding_confusion),
		cmocka_unit_test(test_embedded_jwk_and_jku_ignored),
		cmocka_unit_test(test_ecdsa_signature_forms),
		cmocka_unit_test(test_tampered_payload),
		cmocka_unit_test(test_kid_not_found_is_enoent),
		cmocka_unit_test(test_no_kid_selection),
		cmocka_unit_test(test_key_alg_must_match_header),
		cmocka_unit_test(test_allow_list),
		cmocka_unit_test(test_alg_none_rejected),
		cmocka_unit_test(test_verify_id_token_glue),
		cmocka_unit_test(test_verify_token_refetch),
		cmocka_unit_test(test_verify_token_refetch_on_bad_signature),
	};

	return cmocka_run_group_tests_name("verify_rfc", tests, setup_keys, teardown_keys);
}
