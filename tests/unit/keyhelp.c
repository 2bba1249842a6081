/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test-only key and token factory.  It deliberately does not use the
 * project's own base64url encoder or JWK code: the tests must not trust
 * the code they test to produce their inputs.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "keyhelp.h"

EVP_PKEY *
kh_keygen(const char *type, unsigned rsa_bits)
{
	EVP_PKEY *pkey;

	if (strcmp(type, "RSA") == 0)
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)rsa_bits);
	else if (strcmp(type, "ED25519") == 0)
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	else
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", type);
	assert_non_null(pkey);
	return pkey;
}

char *
kh_b64(const void *data, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *p = data;
	char *out = malloc(len * 4 / 3 + 4), *o = out;
	size_t i;

	assert_non_null(out);
	for (i = 0; i + 2 < len; i += 3) {
		*o++ = tab[p[i] >> 2];
		*o++ = tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		*o++ = tab[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		*o++ = tab[p[i + 2] & 63];
	}
	if (len - i == 1) {
		*o++ = tab[p[i] >> 2];
		*o++ = tab[(p[i] & 3) << 4];
	} else if (len - i == 2) {
		*o++ = tab[p[i] >> 2];
		*o++ = tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		*o++ = tab[(p[i + 1] & 15) << 2];
	}
	*o = '\0';
	return out;
}

static char *
bn_param_b64(EVP_PKEY *pkey, const char *name, size_t pad)
{
	BIGNUM *bn = NULL;
	unsigned char buf[1100];
	size_t n;
	char *s;

	assert_int_equal(EVP_PKEY_get_bn_param(pkey, name, &bn), 1);
	n = pad ? pad : (size_t)BN_num_bytes(bn);
	assert_true(n <= sizeof(buf));
	assert_int_equal(BN_bn2binpad(bn, buf, (int)n), (int)n);
	BN_free(bn);
	s = kh_b64(buf, n);
	return s;
}

static size_t
ec_size(EVP_PKEY *pkey)
{
	int bits = EVP_PKEY_get_bits(pkey);

	return ((size_t)bits + 7) / 8;
}

char *
kh_jwk(EVP_PKEY *pkey, const char *kid, const char *alg, const char *extra)
{
	char head[600] = "", *a = NULL, *b = NULL, *out;
	size_t n;

	if (kid != NULL)
		snprintf(head, sizeof(head), "\"kid\":\"%s\",", kid);
	if (alg != NULL) {
		n = strlen(head);
		snprintf(head + n, sizeof(head) - n, "\"alg\":\"%s\",", alg);
	}
	if (extra != NULL) {
		n = strlen(head);
		snprintf(head + n, sizeof(head) - n, "%s,", extra);
	}
	if (EVP_PKEY_is_a(pkey, "RSA")) {
		a = bn_param_b64(pkey, OSSL_PKEY_PARAM_RSA_N, 0);
		b = bn_param_b64(pkey, OSSL_PKEY_PARAM_RSA_E, 0);
		n = strlen(head) + strlen(a) + strlen(b) + 64;
		out = malloc(n);
		assert_non_null(out);
		snprintf(out, n, "{%s\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"%s\"}", head, a, b);
	} else if (EVP_PKEY_is_a(pkey, "EC")) {
		char crv[32];
		size_t sz = ec_size(pkey);

		assert_int_equal(EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
								crv, sizeof(crv), NULL), 1);
		a = bn_param_b64(pkey, OSSL_PKEY_PARAM_EC_PUB_X, sz);
		b = bn_param_b64(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, sz);
		n = strlen(head) + strlen(a) + strlen(b) + 80;
		out = malloc(n);
		assert_non_null(out);
		snprintf(out, n, "{%s\"kty\":\"EC\",\"crv\":\"%s\",\"x\":\"%s\",\"y\":\"%s\"}", head,
			 sz == 32 ? "P-256" : sz == 48 ? "P-384" : "P-521", a, b);
	} else {
		unsigned char raw[32];
		size_t rl = sizeof(raw);

		assert_true(EVP_PKEY_is_a(pkey, "ED25519"));
		assert_int_equal(EVP_PKEY_get_raw_public_key(pkey, raw, &rl), 1);
		a = kh_b64(raw, rl);
		n = strlen(head) + strlen(a) + 64;
		out = malloc(n);
		assert_non_null(out);
		snprintf(out, n, "{%s\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"%s\"}", head, a);
	}
	free(a);
	free(b);
	return out;
}

char *
kh_jwks(const char *first, ...)
{
	va_list ap;
	const char *k;
	size_t n = 32;
	char *out;

	va_start(ap, first);
	for (k = first; k != NULL; k = va_arg(ap, const char *))
		n += strlen(k) + 1;
	va_end(ap);
	out = malloc(n);
	assert_non_null(out);
	strncpy(out, "{\"keys\":[", n);
	va_start(ap, first);
	for (k = first; k != NULL; k = va_arg(ap, const char *)) {
		if (k != first)
			strncat(out, ",", n - strlen(out) - 1);
		strncat(out, k, n - strlen(out) - 1);
	}
	va_end(ap);
	strncat(out, "]}", n - strlen(out) - 1);
	return out;
}

static const char *
alg_md(enum jose_alg alg)
{
	switch (alg) {
	case JOSE_ALG_RS256: case JOSE_ALG_PS256: case JOSE_ALG_ES256:
		return "SHA256";
	case JOSE_ALG_RS384: case JOSE_ALG_PS384: case JOSE_ALG_ES384:
		return "SHA384";
	case JOSE_ALG_RS512: case JOSE_ALG_PS512: case JOSE_ALG_ES512:
		return "SHA512";
	default:
		return NULL;
	}
}

unsigned char *
kh_sign_der(EVP_PKEY *pkey, enum jose_alg alg, const void *msg, size_t len, size_t *ret_len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *sig;
	size_t slen = 0;

	assert_non_null(md);
	assert_int_equal(EVP_DigestSignInit_ex(md, &pctx, alg_md(alg), NULL, NULL, pkey, NULL), 1);
	if (alg == JOSE_ALG_PS256 || alg == JOSE_ALG_PS384 || alg == JOSE_ALG_PS512) {
		assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, alg_md(alg), NULL), 1);
	}
	assert_int_equal(EVP_DigestSign(md, NULL, &slen, msg, len), 1);
	sig = malloc(slen);
	assert_non_null(sig);
	assert_int_equal(EVP_DigestSign(md, sig, &slen, msg, len), 1);
	EVP_MD_CTX_free(md);
	*ret_len = slen;
	return sig;
}

unsigned char *
kh_sign(EVP_PKEY *pkey, enum jose_alg alg, const void *msg, size_t len, size_t *ret_len)
{
	unsigned char *der, *raw;
	const unsigned char *p;
	const BIGNUM *r, *s;
	ECDSA_SIG *es;
	size_t dlen, sz;

	der = kh_sign_der(pkey, alg, msg, len, &dlen);
	if (!EVP_PKEY_is_a(pkey, "EC")) {
		*ret_len = dlen;
		return der;
	}
	sz = ec_size(pkey);
	p = der;
	es = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
	assert_non_null(es);
	ECDSA_SIG_get0(es, &r, &s);
	raw = malloc(2 * sz);
	assert_non_null(raw);
	assert_int_equal(BN_bn2binpad(r, raw, (int)sz), (int)sz);
	assert_int_equal(BN_bn2binpad(s, raw + sz, (int)sz), (int)sz);
	ECDSA_SIG_free(es);
	free(der);
	*ret_len = 2 * sz;
	return raw;
}

char *
kh_signing_input(const char *header_json, const void *payload, size_t payload_len)
{
	char *h = kh_b64(header_json, strlen(header_json));
	char *p = kh_b64(payload, payload_len);
	size_t n = strlen(h) + strlen(p) + 2;
	char *out = malloc(n);

	assert_non_null(out);
	snprintf(out, n, "%s.%s", h, p);
	free(h);
	free(p);
	return out;
}

char *
kh_token_with_sig(const char *signing_input, const unsigned char *sig, size_t sig_len)
{
	char *s = kh_b64(sig, sig_len);
	size_t n = strlen(signing_input) + strlen(s) + 2;
	char *out = malloc(n);

	assert_non_null(out);
	snprintf(out, n, "%s.%s", signing_input, s);
	free(s);
	return out;
}

char *
kh_token(EVP_PKEY *pkey, enum jose_alg alg, const char *header_json, const char *payload)
{
	char *si = kh_signing_input(header_json, payload, strlen(payload)), *tok;
	unsigned char *sig;
	size_t slen;

	sig = kh_sign(pkey, alg, si, strlen(si), &slen);
	tok = kh_token_with_sig(si, sig, slen);
	free(sig);
	free(si);
	return tok;
}
