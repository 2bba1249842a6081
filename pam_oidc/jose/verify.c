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
#include <stdio.h>
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

/* A source over a fixed set (see verify.h). */
struct jwks_source
jwks_source_fixed(const struct jwks *set)
{
	return (struct jwks_source){ .fixed = set };
}

/* Copy what the header says about itself into the result, for reports. */
static void
result_note_header(struct verify_result *res, const char *token, size_t len)
{
	struct jws *jws = NULL;
	struct oidc_err ignored;

	oidc_err_clear(&ignored);
	if (jws_parse(token, len, 0, &jws, &ignored) < 0)
		return;
	snprintf(res->alg, sizeof(res->alg), "%s", jws->alg_name != NULL ? jws->alg_name : "");
	snprintf(res->kid, sizeof(res->kid), "%s", jws->kid != NULL ? jws->kid : "");
	jws_free(jws);
}

/*
 * Why the key set from src is worth fetching once more after verifying
 * against set gave r (err): the provider may have rotated its keys.  A new
 * kid is unknown to a cached set (-ENOENT); a key replaced under the same
 * kid (a restored or re-created realm, a provider with ephemeral keys)
 * fails the signature, and that is worth a refetch only when the set did
 * not just come from the provider.  Returns a static sentence, or NULL.
 */
static const char *
refetch_cause(int r, const struct oidc_err *err, const struct jwks *set,
	      const struct jwks_source *src)
{
	if (src->fixed != NULL || !src->can_refresh || src->load == NULL)
		return NULL;
	if (r == -ENOENT)
		return "no key of the cached set fits the token's kid";
	if (r == -EBADMSG && err->reason == OIDC_R_SIGNATURE && set != NULL && !set->fetched)
		return "the signature did not verify with the cached key set";
	return NULL;
}

/*
 * The one refetch: a fresh set from src (through its throttle), and the
 * signature against it; only that verdict counts.  first is the failure
 * against the cached set.  When the fresh set cannot be had, an unknown kid
 * fails with the load's reason (nothing else is known), a bad signature
 * with its own: the cached key did not verify the token, and a provider
 * that is down or a throttle must not turn that denial into an outage.
 * Returns what verify_signature() or the load returns.
 */
static int
refetch_and_verify(const char *token, size_t len, const struct jwks_source *src,
		   unsigned allowed_mask, bool id_token, int first_r, const struct oidc_err *first,
		   const char *why, struct jws **ret_jws, struct oidc_err *err)
{
	const struct jwks *set = NULL;
	struct oidc_err lerr;
	int r;

	oidc_err_clear(&lerr);
	r = src->load(src->ctx, true, &set, &lerr);
	if (r < 0 && first_r == -EBADMSG)
		return oidc_err_set(err, first->reason, -first_r,
				    "%.100s (the key set could not be fetched again: %.120s)",
				    first->msg, lerr.msg);
	if (r < 0)
		return oidc_err_set(err, lerr.reason != OIDC_R_NONE ? lerr.reason : OIDC_R_INTERNAL,
				    -r, "%.150s (on refetching the key set because %s)", lerr.msg,
				    why);
	r = verify_signature(token, len, set, allowed_mask, id_token, ret_jws, &lerr);
	if (r < 0)
		oidc_err_set(err, lerr.reason != OIDC_R_NONE ? lerr.reason : OIDC_R_INTERNAL, -r,
			     "%.150s (also with the key set fetched again because %s)", lerr.msg,
			     why);
	return r;
}

/* The one ID-token verdict (see verify.h). */
int
verify_token(const char *token, size_t len, const struct jwks_source *src,
	     const struct verify_policy *policy, struct verify_result *ret,
	     struct oidc_err *err)
{
	const bool id_token = policy != NULL && policy->claims != NULL;
	const struct jwks *set = NULL;
	struct jws *jws = NULL;
	struct oidc_err first;
	int r;

	if (ret == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "no result");
	*ret = (struct verify_result){ .stage = VERIFY_STAGE_SIGNATURE };
	if (token == NULL || src == NULL || (src->load == NULL && src->fixed == NULL) || policy == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "no token, key source or policy");
	result_note_header(ret, token, len);

	if (id_token) {
		/*
		 * Explicit typing (RFC 8725 section 3.11), before any key is
		 * looked up: a JWT the provider typed as an access token (RFC
		 * 9068) or a logout token is never an ID token, even when it
		 * is signed with the same key and carries the same claims, and
		 * it must not make us refetch the key set either.
		 */
		r = jws_parse(token, len, 1, &jws, err);
		if (r < 0)
			goto out;
		if (jws->typ != NULL && typ_is_not_id_token(jws->typ)) {
			r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
					 "the token is typed as something other than an ID token (typ %s)",
					 jws->typ);
			goto out;
		}
		jws_free(jws);
		jws = NULL;
	}

	if (src->fixed != NULL)
		set = src->fixed;
	else if ((r = src->load(src->ctx, false, &set, err)) < 0)
		goto out;
	oidc_err_clear(&first);
	r = verify_signature(token, len, set, policy->allowed_mask, id_token, &jws, &first);
	ret->refetch_why = refetch_cause(r, &first, set, src);
	if (ret->refetch_why != NULL) {
		ret->refetched = true;
		r = refetch_and_verify(token, len, src, policy->allowed_mask, id_token, r, &first,
				       ret->refetch_why, &jws, err);
	} else if (r < 0) {
		oidc_err_set(err, first.reason, -r, "%s", first.msg);
	}
	if (r < 0)
		goto out;

	ret->stage = VERIFY_STAGE_CLAIMS;
	if (id_token) {
		r = claims_check(jws->payload, policy->claims, err);
		if (r < 0)
			goto out;
	}
	if (jws->payload != NULL)
		ret->claims = json_object_get(jws->payload);
	ret->stage = VERIFY_STAGE_DONE;
	r = 0;
out:
	jws_free(jws);
	return r;
}

/* Release a verify_result (see verify.h). */
void
verify_result_free(struct verify_result *r)
{
	if (r == NULL)
		return;
	if (r->claims != NULL)
		json_object_put(r->claims);
	r->claims = NULL;
}
