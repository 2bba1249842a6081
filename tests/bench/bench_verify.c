/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark: verification of an ID token with a cached key (JWS parse,
 * strict JSON, key selection, signature, claims) against the bare OpenSSL
 * signature check on the same bytes with the same key, measured in the
 * same run.  Prints the medians and the ratio ours / bare per algorithm.
 *
 *     tests/bench/bench_verify [BATCHES [ITERATIONS]]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "b64url.h"
#include "jwks.h"
#include "oidc_err.h"
#include "verify.h"

#define NOW 1700000000

struct algcase {
	const char *alg;
	const EVP_MD *(*md)(void);
	EVP_PKEY *pkey;
	char *jwks;
	char *token;
	unsigned char *sig;	/* as OpenSSL wants it (DER for ECDSA) */
	size_t siglen;
	const char *signing_input;
	size_t signing_input_len;
};

static void
die(const char *what)
{
	fprintf(stderr, "bench_verify: %s\n", what);
	exit(1);
}

static char *
b64(const unsigned char *p, size_t n)
{
	char *s;
	size_t len;

	if (b64url_encode(p, n, &s, &len) != 0)
		die("b64url_encode");
	return s;
}

static char *
bn_b64(EVP_PKEY *pkey, const char *name)
{
	BIGNUM *bn = NULL;
	unsigned char buf[1024];
	int n;

	if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1)
		die("get_bn_param");
	n = BN_bn2bin(bn, buf);
	BN_free(bn);
	return b64(buf, (size_t)n);
}

static char *
make_jwks(EVP_PKEY *pkey, const char *alg)
{
	char *out = malloc(4096);

	if (out == NULL)
		die("oom");
	if (strncmp(alg, "RS", 2) == 0) {
		char *n = bn_b64(pkey, OSSL_PKEY_PARAM_RSA_N), *e = bn_b64(pkey, OSSL_PKEY_PARAM_RSA_E);

		snprintf(out, 4096, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"%s\",\"e\":\"%s\"}]}", n, e);
		free(n);
		free(e);
	} else if (strcmp(alg, "ES256") == 0) {
		unsigned char pub[65];
		size_t len = 0;
		char *x, *y;

		if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &len) != 1 ||
		    len != 65)
			die("ec pub");
		x = b64(pub + 1, 32);
		y = b64(pub + 33, 32);
		snprintf(out, 4096, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k1\",\"x\":\"%s\",\"y\":\"%s\"}]}", x, y);
		free(x);
		free(y);
	} else {
		unsigned char pub[32];
		size_t len = sizeof(pub);
		char *x;

		if (EVP_PKEY_get_raw_public_key(pkey, pub, &len) != 1)
			die("ed pub");
		x = b64(pub, len);
		snprintf(out, 4096, "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k1\",\"x\":\"%s\"}]}", x);
		free(x);
	}
	return out;
}

static void
setup(struct algcase *c)
{
	char header[128], claims[512], *h, *p, *s, *input;
	unsigned char sig[1024], raw[64];
	size_t siglen = sizeof(sig), inlen;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (strncmp(c->alg, "RS", 2) == 0)
		c->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	else if (strcmp(c->alg, "ES256") == 0)
		c->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else
		c->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (c->pkey == NULL || ctx == NULL)
		die("keygen");
	c->jwks = make_jwks(c->pkey, c->alg);
	snprintf(header, sizeof(header), "{\"alg\":\"%s\",\"kid\":\"k1\",\"typ\":\"JWT\"}", c->alg);
	snprintf(claims, sizeof(claims),
		 "{\"iss\":\"https://idp.example.test\",\"sub\":\"248289761001\",\"aud\":\"pam-oidc\","
		 "\"exp\":%d,\"iat\":%d,\"auth_time\":%d,\"preferred_username\":\"alice\","
		 "\"email\":\"alice@example.test\",\"email_verified\":true,\"groups\":[\"admins\",\"dev\"]}",
		 NOW + 300, NOW - 10, NOW - 20);
	h = b64((const unsigned char *)header, strlen(header));
	p = b64((const unsigned char *)claims, strlen(claims));
	inlen = strlen(h) + 1 + strlen(p);
	input = malloc(inlen + 1);
	if (input == NULL)
		die("oom");
	snprintf(input, inlen + 1, "%s.%s", h, p);
	if (EVP_DigestSignInit(ctx, NULL, c->md ? c->md() : NULL, NULL, c->pkey) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, (unsigned char *)input, inlen) != 1)
		die("sign");
	c->sig = malloc(siglen);
	memcpy(c->sig, sig, siglen);
	c->siglen = siglen;
	if (strcmp(c->alg, "ES256") == 0) {
		const unsigned char *q = sig;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &q, (long)siglen);
		const BIGNUM *r, *sv;

		if (es == NULL)
			die("d2i");
		ECDSA_SIG_get0(es, &r, &sv);
		BN_bn2binpad(r, raw, 32);
		BN_bn2binpad(sv, raw + 32, 32);
		ECDSA_SIG_free(es);
		s = b64(raw, 64);
	} else {
		s = b64(sig, siglen);
	}
	c->token = malloc(inlen + 2 + strlen(s));
	snprintf(c->token, inlen + 2 + strlen(s), "%s.%s", input, s);
	c->signing_input = input;
	c->signing_input_len = inlen;
	free(h);
	free(p);
	free(s);
	EVP_MD_CTX_free(ctx);
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
bare_once(const struct algcase *c)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx == NULL || EVP_DigestVerifyInit(ctx, NULL, c->md ? c->md() : NULL, NULL, c->pkey) != 1 ||
	    EVP_DigestVerify(ctx, c->sig, c->siglen, (const unsigned char *)c->signing_input,
			     c->signing_input_len) != 1)
		die("bare verify failed");
	EVP_MD_CTX_free(ctx);
}

static void
ours_once(const struct algcase *c, const struct jwks *set)
{
	struct claims_policy pol = {
		.issuer = "https://idp.example.test",
		.client_id = "pam-oidc",
		.now = NOW,
		.leeway = 60,
		.max_age = -1,
	};
	struct jwks_source src = jwks_source_fixed(set);
	struct verify_policy vp = { .allowed_mask = JOSE_ALG_ALL_MASK, .claims = &pol };
	struct verify_result res;
	struct oidc_err err;

	oidc_err_clear(&err);
	if (verify_token(c->token, strlen(c->token), &src, &vp, &res, &err) != 0) {
		fprintf(stderr, "bench_verify: %s: %s\n", c->alg, err.msg);
		exit(1);
	}
	verify_result_free(&res);
}

int
main(int argc, char **argv)
{
	struct algcase cases[] = {
		{ .alg = "RS256", .md = EVP_sha256 },
		{ .alg = "ES256", .md = EVP_sha256 },
		{ .alg = "EdDSA", .md = NULL },
	};
	int batches = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 21;
	int iters = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 200;
	int worst_ok = 1;

	if (batches < 1 || batches > 1000 || iters < 1 || iters > 100000)
		die("usage: bench_verify [BATCHES(1..1000) [ITERATIONS(1..100000)]]");
	printf("# batches=%d iterations=%d; median per-operation time; ratio = ours / bare\n", batches, iters);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct algcase *c = &cases[i];
		struct jwks *set = NULL;
		struct oidc_err err;
		double *ours = calloc((size_t)batches, sizeof(double));
		double *bare = calloc((size_t)batches, sizeof(double));
		double mo, mb;

		setup(c);
		oidc_err_clear(&err);
		if (jwks_parse(c->jwks, strlen(c->jwks), &set, &err) != 0)
			die(err.msg);
		ours_once(c, set);	/* warm up, and prove the token verifies */
		bare_once(c);
		/* Interleave the two so drift on a noisy machine hits both alike. */
		for (int b = 0; b < batches; b++) {
			double t0 = now_ns();

			for (int k = 0; k < iters; k++)
				ours_once(c, set);
			double t1 = now_ns();

			for (int k = 0; k < iters; k++)
				bare_once(c);
			double t2 = now_ns();

			ours[b] = (t1 - t0) / iters;
			bare[b] = (t2 - t1) / iters;
		}
		mo = median(ours, batches);
		mb = median(bare, batches);
		printf("%-6s ours %8.1f us   bare %8.1f us   ratio %.3f\n", c->alg, mo / 1000, mb / 1000, mo / mb);
		if (mo / mb > 1.5)
			worst_ok = 0;
		jwks_free(set);
		free(ours);
		free(bare);
	}
	printf("# goal: ratio <= 1.5 for each algorithm: %s\n", worst_ok ? "met" : "NOT met");
	return 0;
}
