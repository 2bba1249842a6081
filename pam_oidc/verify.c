/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The whole of "is this ID token genuine": parse the JWS, pick the key
 * from the JWKS we were given (never from the token: jwk, jku, x5u and x5c
 * are not looked at, and this file has no network at all), check the
 * algorithm against the allow-list and the key, verify the signature, then
 * the claims.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <strings.h>

#include "jws.h"
#include "oidc_err.h"
#include "verify.h"

/* Verify the signature of a compact JWS against set (see verify.h). */
int
verify_signature(const char *token, size_t len, const struct jwks *set,
		 unsigned allowed_mask, int require_json_payload,
		 struct jws **ret_jws, struct oidc_err *err)
{
	struct jws *jws = NULL;
	const struct jwk *key;
	int r;

	if (token == NULL || set == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "no token or no key set");
	r = jws_parse(token, len, require_json_payload, &jws, err);
	if (r < 0)
		goto out;
	/*
	 * The allow-list first: a token whose alg we would refuse anyway must
	 * not make the caller refetch the JWKS for an unknown kid.
	 */
	if (jws->alg <= JOSE_ALG_UNKNOWN || jws->alg >= JOSE__ALG_MAX ||
	    (allowed_mask & JOSE_ALG_BIT(jws->alg)) == 0) {
		r = oidc_err_set(err, OIDC_R_ALGORITHM, EINVAL, "the token's algorithm is not allowed");
		goto out;
	}
	r = jwks_find_key(set, jws->kid, jws->alg, &key, err);
	if (r < 0)
		goto out;
	r = jws_verify_with_key(jws->alg, allowed_mask, key,
				(const unsigned char *)jws->signing_input, jws->signing_input_len,
				jws->signature, jws->signature_len, err);
	if (r < 0)
		goto out;
	if (ret_jws != NULL) {
		*ret_jws = jws;
		jws = NULL;
	}
out:
	jws_free(jws);
	return r;
}

/* typ values that name another kind of JWT; compared case-insensitively (RFC 7515 4.1.9). */
static bool
typ_is_not_id_token(const char *typ)
{
	static const char *const others[] = {
		"at+jwt", "application/at+jwt", "logout+jwt", "application/logout+jwt",
	};

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (strcasecmp(typ, others[i]) == 0)
			return true;
	return false;
}

/* verify_signature, then claims_check (see verify.h). */
int
verify_id_token(const char *token, size_t len, const struct jwks *set,
		unsigned allowed_mask, const struct claims_policy *policy,
		json_object **ret_claims, struct oidc_err *err)
{
	struct jws *jws = NULL;
	int r;

	if (policy == NULL || ret_claims == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "no claims policy");
	r = verify_signature(token, len, set, allowed_mask, 1, &jws, err);
	if (r < 0)
		goto out;
	if (jws->payload == NULL) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL, "ID token payload is not a JSON object");
		goto out;
	}
	/*
	 * Explicit typing (RFC 8725 section 3.11): a JWT the provider typed as
	 * an access token (RFC 9068) or a logout token is never an ID token,
	 * even when it is signed with the same key and carries the same claims.
	 */
	if (jws->typ != NULL && typ_is_not_id_token(jws->typ)) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				 "the token is typed as something other than an ID token (typ %s)",
				 jws->typ);
		goto out;
	}
	r = claims_check(jws->payload, policy, err);
	if (r < 0)
		goto out;
	*ret_claims = json_object_get(jws->payload);
out:
	jws_free(jws);
	return r;
}
