/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ID token claim validation (OpenID Connect Core 1.0, section 3.1.3.7).
 *
 * Every comparison is exact, byte for byte: an issuer with a trailing slash
 * or in another case is another issuer.  Each rule fails with its own
 * reason so an administrator can tell "clock skew" from "wrong client".
 * Messages never repeat claim values from the token (they are untrusted
 * text); they name the claim and, for times, the numbers involved.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "claims.h"
#include "json_strict.h"
#include "oidc_err.h"

/* A string member's bytes and length, refusing embedded NULs. */
static int
claims_string(json_object *v, const char **ret, size_t *ret_len)
{
	const char *s;
	int n;

	if (v == NULL || !json_object_is_type(v, json_type_string))
		return -EINVAL;
	s = json_object_get_string(v);
	n = json_object_get_string_len(v);
	if (s == NULL || n < 0 || strlen(s) != (size_t)n)
		return -EINVAL;
	*ret = s;
	*ret_len = (size_t)n;
	return 0;
}

static bool
claims_equal(json_object *v, const char *want)
{
	const char *s;
	size_t n;

	if (claims_string(v, &s, &n) < 0)
		return false;
	return n == strlen(want) && memcmp(s, want, n) == 0;
}

/*
 * A time claim: a JSON number within 0..CLAIM_TIME_MAX.  Fractions are
 * rounded in the direction that makes the check stricter: down for exp
 * and auth_time (earlier), up (ceil) for nbf and iat (later).
 */
static int
claims_time(json_object *claims, const char *key, enum oidc_reason missing,
	    bool round_up, int64_t *ret, struct oidc_err *err)
{
	json_object *v;
	int64_t t;
	int r;

	r = json_get_number(claims, key, 0, CLAIM_TIME_MAX, &t);
	if (r == 0 && round_up && json_object_object_get_ex(claims, key, &v) &&
	    json_object_is_type(v, json_type_double) &&
	    json_object_get_double(v) > (double)t) {
		if (t == CLAIM_TIME_MAX)
			r = -ERANGE;
		else
			t++;
	}
	switch (r) {
	case 0:
		*ret = t;
		return 0;
	case -ENOENT:
		return oidc_err_set(err, missing, EINVAL, "required claim %s is missing", key);
	case -ERANGE:
		return oidc_err_set(err, OIDC_R_CLAIM, EINVAL,
				    "claim %s is out of range (0..%" PRId64 ")", key,
				    CLAIM_TIME_MAX);
	default:
		return oidc_err_set(err, OIDC_R_CLAIM, EINVAL,
				    "claim %s is not a JSON number", key);
	}
}

static int
claims_check_audience(json_object *claims, const char *client_id, struct oidc_err *err)
{
	json_object *aud, *azp, *m;
	size_t i, n, nvalues;
	bool found = false;

	if (!json_object_object_get_ex(claims, "aud", &aud))
		return oidc_err_set(err, OIDC_R_AUDIENCE, EINVAL, "required claim aud is missing");
	if (json_object_is_type(aud, json_type_string)) {
		nvalues = 1;
		found = claims_equal(aud, client_id);
	} else if (json_object_is_type(aud, json_type_array)) {
		n = json_object_array_length(aud);
		if (n == 0)
			return oidc_err_set(err, OIDC_R_AUDIENCE, EINVAL, "claim aud is an empty array");
		for (i = 0; i < n; i++) {
			const char *s;
			size_t slen;

			m = json_object_array_get_idx(aud, i);
			if (claims_string(m, &s, &slen) < 0)
				return oidc_err_set(err, OIDC_R_AUDIENCE, EINVAL,
						    "claim aud has a member that is not a string");
			if (claims_equal(m, client_id))
				found = true;
		}
		nvalues = n;
	} else {
		return oidc_err_set(err, OIDC_R_AUDIENCE, EINVAL,
				    "claim aud is neither a string nor an array of strings");
	}
	if (!found)
		return oidc_err_set(err, OIDC_R_AUDIENCE, EINVAL,
				    "claim aud does not contain the client id %s", client_id);

	if (json_object_object_get_ex(claims, "azp", &azp)) {
		if (!claims_equal(azp, client_id))
			return oidc_err_set(err, OIDC_R_AZP, EINVAL,
					    "claim azp is not the client id %s", client_id);
	} else if (nvalues > 1) {
		return oidc_err_set(err, OIDC_R_AZP, EINVAL,
				    "claim azp is required when aud has %zu values", nvalues);
	}
	return 0;
}

static int
claims_check_subject(json_object *claims, struct oidc_err *err)
{
	json_object *v;
	const char *s;
	size_t n, i;

	if (!json_object_object_get_ex(claims, "sub", &v))
		return oidc_err_set(err, OIDC_R_SUBJECT, EINVAL, "required claim sub is missing");
	if (claims_string(v, &s, &n) < 0)
		return oidc_err_set(err, OIDC_R_SUBJECT, EINVAL,
				    "claim sub is not a string without NUL bytes");
	if (n == 0 || n > CLAIM_SUB_MAX)
		return oidc_err_set(err, OIDC_R_SUBJECT, EINVAL,
				    "claim sub has %zu bytes, allowed 1..%d", n, CLAIM_SUB_MAX);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return oidc_err_set(err, OIDC_R_SUBJECT, EINVAL,
					    "claim sub contains a control character");
	}
	return 0;
}

static int
claims_check_acr(json_object *claims, const char *const *allowed, struct oidc_err *err)
{
	json_object *v;
	size_t i;

	if (allowed == NULL)
		return 0;
	if (!json_object_object_get_ex(claims, "acr", &v))
		return oidc_err_set(err, OIDC_R_ACR, EINVAL,
				    "claim acr is required by the acr allow-list but missing");
	for (i = 0; allowed[i] != NULL; i++)
		if (claims_equal(v, allowed[i]))
			return 0;
	return oidc_err_set(err, OIDC_R_ACR, EINVAL, "claim acr is not in the allow-list");
}

/*
 * The claims the configuration requires by value (required_claims), such
 * as Google's hd: a consumer account registered on a Workspace domain's
 * address carries that domain's email but no hd.
 */
static int
claims_check_required(json_object *claims, const char *const *required, struct oidc_err *err)
{
	json_object *v;
	const char *s;
	size_t i, n;

	for (i = 0; required != NULL && required[i] != NULL && required[i + 1] != NULL; i += 2) {
		if (!json_object_object_get_ex(claims, required[i], &v))
			return oidc_err_set(err, OIDC_R_CLAIM, EINVAL,
					    "claim %.64s is required (required_claims) but missing",
					    required[i]);
		if (claims_string(v, &s, &n) < 0)
			return oidc_err_set(err, OIDC_R_CLAIM, EINVAL,
					    "claim %.64s is not a string (required_claims)",
					    required[i]);
		if (!claims_equal(v, required[i + 1]))
			return oidc_err_set(err, OIDC_R_CLAIM, EINVAL,
					    "claim %.64s is not the required value '%.128s'",
					    required[i], required[i + 1]);
	}
	return 0;
}

/*
 * Check an ID token's claim set against policy; see claims.h for the
 * rules.  Returns 0, or -EINVAL with err naming the first rule broken.
 */
int
claims_check(json_object *claims, const struct claims_policy *policy, struct oidc_err *err)
{
	int64_t now, leeway, exp, iat, nbf, auth_time;
	json_object *iss;
	int r;

	if (policy == NULL || policy->issuer == NULL || policy->client_id == NULL ||
	    policy->issuer[0] == '\0' || policy->client_id[0] == '\0')
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "claims policy needs an issuer and a client id");
	now = policy->now;
	leeway = policy->leeway;
	if (now < 0 || now > CLAIM_TIME_MAX || leeway < 0 || leeway > CLAIM_TIME_MAX)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "claims policy has an invalid clock or leeway");
	if (policy->max_age > CLAIM_TIME_MAX)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "claims policy max_age out of range");
	if (claims == NULL || !json_object_is_type(claims, json_type_object))
		return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL, "claims are not a JSON object");

	if (!json_object_object_get_ex(claims, "iss", &iss))
		return oidc_err_set(err, OIDC_R_ISSUER, EINVAL, "required claim iss is missing");
	if (!claims_equal(iss, policy->issuer))
		return oidc_err_set(err, OIDC_R_ISSUER, EINVAL,
				    "claim iss is not exactly the configured issuer %s",
				    policy->issuer);

	if ((r = claims_check_audience(claims, policy->client_id, err)) < 0)
		return r;

	if ((r = claims_time(claims, "exp", OIDC_R_CLAIM, false, &exp, err)) < 0)
		return r;
	if (now >= exp + leeway)
		return oidc_err_set(err, OIDC_R_EXPIRED, EINVAL,
				    "token expired at %" PRId64 " (now %" PRId64 ", leeway %" PRId64 " s)",
				    exp, now, leeway);

	if (json_object_object_get_ex(claims, "nbf", NULL)) {
		if ((r = claims_time(claims, "nbf", OIDC_R_CLAIM, true, &nbf, err)) < 0)
			return r;
		if (nbf > now + leeway)
			return oidc_err_set(err, OIDC_R_NOT_YET_VALID, EINVAL,
					    "token not valid before %" PRId64 " (now %" PRId64
					    ", leeway %" PRId64 " s)", nbf, now, leeway);
	}

	if ((r = claims_time(claims, "iat", OIDC_R_IAT, true, &iat, err)) < 0)
		return r;
	if (iat > now + leeway)
		return oidc_err_set(err, OIDC_R_IAT, EINVAL,
				    "token issued in the future at %" PRId64 " (now %" PRId64
				    ", leeway %" PRId64 " s)", iat, now, leeway);

	if ((r = claims_check_subject(claims, err)) < 0)
		return r;

	if (policy->max_age >= 0 || json_object_object_get_ex(claims, "auth_time", NULL)) {
		r = claims_time(claims, "auth_time", OIDC_R_AUTH_TIME, false, &auth_time, err);
		if (r < 0)
			return r;
		if (auth_time > now + leeway)
			return oidc_err_set(err, OIDC_R_AUTH_TIME, EINVAL,
					    "auth_time %" PRId64 " is in the future (now %" PRId64
					    ", leeway %" PRId64 " s)", auth_time, now, leeway);
		if (policy->max_age >= 0 && now - auth_time > policy->max_age + leeway)
			return oidc_err_set(err, OIDC_R_AUTH_TIME, EINVAL,
					    "authentication at %" PRId64 " is older than max_age %"
					    PRId64 " s (now %" PRId64 ", leeway %" PRId64 " s)",
					    auth_time, policy->max_age, now, leeway);
	}

	if ((r = claims_check_acr(claims, policy->acr_values, err)) < 0)
		return r;
	return claims_check_required(claims, policy->required, err);
}
