/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test-only helpers for the key and signature tests: generate keys with
 * OpenSSL, write them as JWKs, sign tokens the way a provider would (and
 * the ways an attacker would).  Every helper aborts the running cmocka
 * test on failure.  Results are malloc'ed; the caller frees them.
 */
#ifndef OIDC_KEYHELP_H
#define OIDC_KEYHELP_H

#include <stddef.h>
#include <openssl/evp.h>

#include "jose_alg.h"

/* "RSA" (bits), "P-256", "P-384", "P-521", "ED25519". */
EVP_PKEY *kh_keygen(const char *type, unsigned rsa_bits);

/* base64url without padding, NUL-terminated. */
char *kh_b64(const void *data, size_t len);

/*
 * The public JWK of pkey as JSON object text.  kid and alg may be NULL
 * (member left out); extra, when non-NULL, is raw JSON members appended
 * inside the object (e.g. "\"use\":\"enc\"").
 */
char *kh_jwk(EVP_PKEY *pkey, const char *kid, const char *alg, const char *extra);

/* {"keys":[a, b, ...]} from JWK texts; NULL ends the list. */
char *kh_jwks(const char *first, ...);

/*
 * Sign msg as alg would with pkey; the JOSE form (raw R||S for ECDSA).
 * alg must fit the key; the test fails otherwise.
 */
unsigned char *kh_sign(EVP_PKEY *pkey, enum jose_alg alg, const void *msg, size_t len,
		       size_t *ret_len);

/* ECDSA in DER form (what a JWS must NOT carry). */
unsigned char *kh_sign_der(EVP_PKEY *pkey, enum jose_alg alg, const void *msg, size_t len,
			   size_t *ret_len);

/* b64(header) "." b64(payload), the JWS signing input. */
char *kh_signing_input(const char *header_json, const void *payload, size_t payload_len);

/* signing_input "." b64(sig). */
char *kh_token_with_sig(const char *signing_input, const unsigned char *sig, size_t sig_len);

/* A whole compact JWS signed with pkey under alg. */
char *kh_token(EVP_PKEY *pkey, enum jose_alg alg, const char *header_json, const char *payload);

#endif
