/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * JWK Set parsing and key selection.
 *
 * Policy, in one place:
 *  - the document is strict JSON of at most JWKS_MAX_SIZE bytes, an object
 *    whose "keys" is an array of at most JWKS_MAX_KEYS objects;
 *  - any key carrying private or symmetric material (d, p, q, dp, dq, qi,
 *    oth, k) rejects the whole set: a provider that publishes its private
 *    key is compromised, and a symmetric key in a verification set invites
 *    algorithm confusion;
 *  - two keys with the same kid reject the whole set (ambiguous selection),
 *    whether or not we could use them;
 *  - a key we cannot use is skipped: unknown kty or crv, "use" other than
 *    "sig", "key_ops" without "verify", an "alg" that is not an asymmetric
 *    signature algorithm we accept or does not fit the key type;
 *  - a key we could use but that is broken (weak RSA, point off the curve,
 *    wrong sizes, bad base64url, a member of the wrong JSON type) rejects
 *    the whole set: a provider serving it is misconfigured or attacked.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_strict.h"
#include "jwks.h"
#include "oidc_err.h"

static void
jwk_clear(struct jwk *key)
{
	free(key->kid);
	EVP_PKEY_free(key->pkey);
	key->kid = NULL;
	key->pkey = NULL;
}

/* Free a key set; NULL-safe. */
void
jwks_free(struct jwks *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		jwk_clear(&set->keys[i]);
	free(set->keys);
	free(set);
}

/* Reject the set when two members of "keys" carry the same kid. */
static int
check_duplicate_kids(json_object *keys, size_t n, struct oidc_err *err)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		json_object *a, *b;

		if (!json_object_object_get_ex(json_object_array_get_idx(keys, i), "kid", &a) ||
		    !json_object_is_type(a, json_type_string))
			continue;
		for (j = i + 1; j < n; j++) {
			if (!json_object_object_get_ex(json_object_array_get_idx(keys, j), "kid", &b) ||
			    !json_object_is_type(b, json_type_string))
				continue;
			if (json_object_get_string_len(a) == json_object_get_string_len(b) &&
			    memcmp(json_object_get_string(a), json_object_get_string(b),
				   (size_t)json_object_get_string_len(a)) == 0)
				return oidc_err_set(err, OIDC_R_BAD_KEY, EINVAL,
						    "JWKS has two keys with the same kid");
		}
	}
	return 0;
}

/* Parse a JWKS document (see jwks.h for the contract, the top of this file for the policy). */
int
jwks_parse(const char *text, size_t len, struct jwks **ret, struct oidc_err *err)
{
	json_object *root = NULL, *keys;
	struct jwks *set = NULL;
	size_t n, i;
	int r;

	if (text == NULL || ret == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "no JWKS given");
	if (len > JWKS_MAX_SIZE)
		return oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG, "JWKS larger than %d bytes",
				    JWKS_MAX_SIZE);
	r = json_strict_parse(text, len, JWKS_MAX_SIZE, JSON_STRICT_MAX_DEPTH, true, &root, err);
	if (r < 0)
		goto out;
	if (!json_object_object_get_ex(root, "keys", &keys) ||
	    !json_object_is_type(keys, json_type_array)) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL, "JWKS has no \"keys\" array");
		goto out;
	}
	n = json_object_array_length(keys);
	if (n > JWKS_MAX_KEYS) {
		r = oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG, "JWKS has more than %d keys",
				 JWKS_MAX_KEYS);
		goto out;
	}
	r = check_duplicate_kids(keys, n, err);
	if (r < 0)
		goto out;

	set = calloc(1, sizeof(*set));
	if (set == NULL || (n > 0 && (set->keys = calloc(n, sizeof(*set->keys))) == NULL)) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct oidc_err kerr;

		oidc_err_clear(&kerr);
		r = jwk_parse(json_object_array_get_idx(keys, i), &set->keys[set->n], &kerr);
		if (r == -EOPNOTSUPP)
			continue;
		if (r < 0) {
			r = oidc_err_set(err, kerr.reason, -r, "JWKS key %zu: %s", i, kerr.msg);
			goto out;
		}
		set->n++;
	}
	*ret = set;
	set = NULL;
	r = 0;
out:
	jwks_free(set);
	json_object_put(root);
	return r;
}

/* A key may sign with alg when its type fits and its own "alg", if any, names alg. */
static int
key_usable_for(const struct jwk *key, enum jose_alg alg)
{
	return jwk_fits_alg(key, alg) && (key->alg == JOSE_ALG_UNKNOWN || key->alg == alg);
}

/* Select the key for a JWS (see jwks.h). */
int
jwks_find_key(const struct jwks *set, const char *kid, enum jose_alg alg,
	      const struct jwk **ret, struct oidc_err *err)
{
	const struct jwk *found = NULL;
	size_t i, fits = 0;

	if (set == NULL || ret == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "no key set");
	if (alg <= JOSE_ALG_UNKNOWN || alg >= JOSE__ALG_MAX)
		return oidc_err_set(err, OIDC_R_ALGORITHM, EINVAL, "algorithm not accepted");
	if (kid != NULL) {
		for (i = 0; i < set->n; i++) {
			if (set->keys[i].kid != NULL && strcmp(set->keys[i].kid, kid) == 0) {
				found = &set->keys[i];
				break;
			}
		}
		if (found == NULL)
			return oidc_err_set(err, OIDC_R_NO_KEY, ENOENT, "no key in the JWKS has the token's kid");
		if (!jwk_fits_alg(found, alg))
			return oidc_err_set(err, OIDC_R_ALGORITHM, EINVAL,
					    "the token's alg does not fit the type of the key its kid names");
		if (found->alg != JOSE_ALG_UNKNOWN && found->alg != alg)
			return oidc_err_set(err, OIDC_R_ALGORITHM, EINVAL,
					    "the token's alg differs from the alg of the key its kid names");
		*ret = found;
		return 0;
	}
	for (i = 0; i < set->n; i++) {
		if (key_usable_for(&set->keys[i], alg)) {
			fits++;
			found = &set->keys[i];
		}
	}
	if (fits == 0)
		return oidc_err_set(err, OIDC_R_NO_KEY, ENOENT, "no key in the JWKS fits the token's alg");
	if (fits > 1)
		return oidc_err_set(err, OIDC_R_NO_KEY, EINVAL,
				    "the token has no kid and several keys fit its alg");
	*ret = found;
	return 0;
}
