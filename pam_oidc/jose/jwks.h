/* SPDX-License-Identifier: BSD-2-Clause */
/* JWK and JWKS (RFC 7517) to OpenSSL 3 EVP_PKEY. */
#ifndef OIDC_JWKS_H
#define OIDC_JWKS_H

#include <stdbool.h>
#include <stddef.h>
#include <openssl/evp.h>
#include <json-c/json.h>

#include "jose_alg.h"

struct oidc_err;

#define JWKS_MAX_SIZE (256 * 1024)
#define JWKS_MAX_KEYS 64
#define JWK_RSA_MIN_BITS 2048
#define JWK_RSA_MAX_BITS 16384

enum jwk_kty {
	JWK_KTY_RSA = 1,
	JWK_KTY_EC_P256,
	JWK_KTY_EC_P384,
	JWK_KTY_EC_P521,
	JWK_KTY_OKP_ED25519,
};

struct jwk {
	char *kid;		/* NULL when the key has none */
	enum jose_alg alg;	/* JOSE_ALG_UNKNOWN when the key has no "alg" */
	enum jwk_kty kty;
	EVP_PKEY *pkey;
};

/* A key of the document that jwks_parse() left out, and why (for lookups and reports). */
struct jwk_skipped {
	size_t index; /* its place in the document's "keys" */
	char *kid;    /* NULL when it has no usable kid */
	char *why;    /* one printable sentence */
};

struct jwks {
	size_t n;
	struct jwk *keys;
	size_t n_skipped;
	struct jwk_skipped *skipped;
	/*
	 * Set by jwks_load() when the set was fetched from the provider just
	 * now rather than read from the cache: a signature that fails against
	 * it is not worth a refetch (verify_token).
	 */
	bool fetched;
};

/*
 * Turn one JWK object into a key.  RSA: n, e (e odd, >= 3, at most 2^32;
 * modulus JWK_RSA_MIN_BITS..JWK_RSA_MAX_BITS counted on the value, so
 * leading zero octets are tolerated but never add bits; odd, no factor
 * below 2000, no ROCA fingerprint); EC: crv P-256/384/521 with x, y of
 * exactly the field size and on the curve (EVP_PKEY_public_check); OKP:
 * crv Ed25519 with 32-byte x.  Returns 0; -EPERM when the key carries a
 * private member (d, p, q, dp, dq, qi, oth, k), whatever its type;
 * -EOPNOTSUPP for a key we do not verify with (unknown kty/crv, "use" other
 * than "sig", "key_ops" without "verify", an "alg" that is not one of ours
 * or does not fit the key type); -ENOMEM; or -EINVAL for a key of our kind
 * whose values are broken or out of range (weak RSA, bad exponent, a point
 * off the curve, wrong sizes, bad base64url, a member of the wrong type, a
 * bad kid).  err is filled with a sentence naming the fault.
 */
int jwk_parse(json_object *jwk, struct jwk *ret, struct oidc_err *err);

/*
 * Parse a JWKS document (strict JSON, at most JWKS_MAX_SIZE bytes, at most
 * JWKS_MAX_KEYS keys, else -EFBIG).  A key jwk_parse() cannot use
 * (-EOPNOTSUPP or -EINVAL) is skipped and recorded in set->skipped with its
 * reason (RFC 7517 section 5); a set with private parameters in any key or
 * two keys with the same kid (usable or not) is rejected as a whole
 * (-EINVAL, OIDC_R_BAD_KEY), and so is a set left without any usable key
 * (-EINVAL, OIDC_R_NO_KEY, naming the first skipped key's reason).
 */
int jwks_parse(const char *text, size_t len, struct jwks **ret, struct oidc_err *err);

/* A kid we are willing to compare against: 1..JWS_MAX_KID bytes, no NUL or control character. */
bool jwk_kid_is_sane(const char *kid, size_t len);

/* Free a key set; NULL-safe. */
void jwks_free(struct jwks *set);

/* Does the key's type fit the algorithm? (RSA for RS/PS, curve for ES, Ed25519 for EdDSA) */
int jwk_fits_alg(const struct jwk *key, enum jose_alg alg);

/*
 * Select the key for a JWS: kid non-NULL -> the key with exactly that kid
 * (which must fit alg); kid NULL -> accepted only when exactly one key fits
 * alg.  Keys with their own "alg" must name the same alg.
 * Returns 0 and *ret (borrowed); -ENOENT (OIDC_R_NO_KEY) when the kid is
 * unknown or, without a kid, no key fits (a refetch may help); -EINVAL with
 * OIDC_R_BAD_KEY when the kid names a key the parse skipped ("key K was
 * skipped: why"; the same document would skip it again); -EINVAL with
 * OIDC_R_NO_KEY when several keys fit and there is no kid, with
 * OIDC_R_ALGORITHM when the kid's key does not fit alg.
 */
int jwks_find_key(const struct jwks *set, const char *kid, enum jose_alg alg,
		  const struct jwk **ret, struct oidc_err *err);

/*
 * Verify a JWS signature with one key: alg must be in allowed_mask and fit
 * the key; ES* signatures must be exactly 2*curve size (raw R||S) and are
 * converted to DER only after that check; only OpenSSL's return of exactly
 * 1 is success.  Returns 0 or -EBADMSG (OIDC_R_SIGNATURE) / -EINVAL.
 */
int jws_verify_with_key(enum jose_alg alg, unsigned allowed_mask, const struct jwk *key,
			const unsigned char *msg, size_t msg_len,
			const unsigned char *sig, size_t sig_len, struct oidc_err *err);

#endif
