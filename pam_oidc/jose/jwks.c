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
 *  - a key we cannot use is skipped, not fatal for the set (RFC 7517
 *    section 5: keys of types not understood, missing required members or
 *    with values out of the supported ranges SHOULD be ignored): unknown
 *    kty or crv, "use" other than "sig", "key_ops" without "verify", an
 *    "alg" that is not an asymmetric signature algorithm we accept or does
 *    not fit the key type, and keys of our kind whose values are broken
 *    (RSA under JWK_RSA_MIN_BITS, a bad exponent, a point off the curve,
 *    wrong sizes, bad base64url, a member of the wrong JSON type, a bad
 *    kid).  One such key next to good ones must not lock every login
 *    out; its reason is kept, so that a token naming it is refused with
 *    that reason rather than as an unknown kid;
 *  - a set left with no usable key is refused, naming why.
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
	for (i = 0; i < set->n_skipped; i++) {
		free(set->skipped[i].kid);
		free(set->skipped[i].why);
	}
	free(set->keys);
	free(set->skipped);
	free(set);
}

/*
 * Record that key number index of the document was skipped for why.  Its
 * kid is kept only when it is one jwk_parse() would have accepted.
 * Returns 0 or -ENOMEM.
 */
static int
jwks_note_skipped(struct jwks *set, json_object *jwk, size_t index, const char *why)
{
	struct jwk_skipped *s = &set->skipped[set->n_skipped];
	json_object *kid;

	s->index = index;
	s->kid = NULL;
	s->why = strdup(why[0] != '\0' ? why : "unusable key");
	if (s->why == NULL)
		return -ENOMEM;
	if (json_object_is_type(jwk, json_type_object) &&
	    json_object_object_get_ex(jwk, "kid", &kid) &&
	    json_object_is_type(kid, json_type_string) &&
	    jwk_kid_is_sane(json_object_get_string(kid), (size_t)json_object_get_string_len(kid))) {
		s->kid = strdup(json_object_get_string(kid));
		if (s->kid == NULL) {
			free(s->why);
			return -ENOMEM;
		}
	}
	set->n_skipped++;
	return 0;
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
	if (set == NULL || (n > 0 && ((set->keys = calloc(n, sizeof(*set->keys))) == NULL ||
				      (set->skipped = calloc(n, sizeof(*set->skipped))) == NULL))) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		json_object *jwk = json_object_array_get_idx(keys, i);
		struct oidc_err kerr;

		/* "keys" holds JWK objects (RFC 7517 section 5): anything else is a broken document */
		if (!json_object_is_type(jwk, json_type_object)) {
			r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
					 "JWKS key %zu is not a JSON object", i);
			goto out;
		}
		oidc_err_clear(&kerr);
		r = jwk_parse(jwk, &set->keys[set->n], &kerr);
		if (r == -EOPNOTSUPP || r == -EINVAL) {
			if (jwks_note_skipped(set, jwk, i, kerr.msg) < 0) {
				r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
				goto out;
			}
			continue;
		}
		if (r < 0) {
			/* private material (-EPERM, the set is refused: -EINVAL), or out of memory */
			r = oidc_err_set(err, kerr.reason, r == -EPERM ? EINVAL : -r,
					 "JWKS key %zu: %s", i, kerr.msg);
			goto out;
		}
		set->n++;
	}
	if (set->n == 0) {
		if (set->n_skipped == 0)
			r = oidc_err_set(err, OIDC_R_NO_KEY, EINVAL, "the JWKS holds no key");
		else
			r = oidc_err_set(
				err, OIDC_R_NO_KEY, EINVAL,
				"the JWKS holds no usable key (%zu skipped; key %zu%s%.64s: %.120s)",
				set->n_skipped, set->skipped[0].index,
				set->skipped[0].kid != NULL ? ", kid " : "",
				set->skipped[0].kid != NULL ? set->skipped[0].kid : "",
				set->skipped[0].why);
		goto out;
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
		if (found == NULL) {
			for (i = 0; i < set->n_skipped; i++)
				if (set->skipped[i].kid != NULL &&
				    strcmp(set->skipped[i].kid, kid) == 0)
					return oidc_err_set(err, OIDC_R_BAD_KEY, EINVAL,
							    "key %.64s was skipped: %.160s", kid,
							    set->skipped[i].why);
			return oidc_err_set(err, OIDC_R_NO_KEY, ENOENT, "no key in the JWKS has the token's kid");
		}
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
