/* SPDX-License-Identifier: BSD-2-Clause */
/* ID token claim validation (OpenID Connect Core 1.0, section 3.1.3.7). */
#ifndef OIDC_CLAIMS_H
#define OIDC_CLAIMS_H

#include <stdint.h>
#include <json-c/json.h>

struct oidc_err;

/* Bounds for a time claim: 0 .. year 9999. */
#define CLAIM_TIME_MAX INT64_C(253402300799)
#define CLAIM_SUB_MAX 255

struct claims_policy {
	const char *issuer;		/* required: compared byte for byte */
	const char *client_id;		/* required */
	int64_t now;			/* seconds since the epoch */
	int64_t leeway;			/* seconds, default 60 */
	int64_t max_age;		/* < 0: not checked; else auth_time required, now - auth_time <= max_age + leeway */
	const char *const *acr_values;	/* NULL: any acr; else NULL-terminated allow-list, acr required */
	const char *const *required;	/* NULL, or NULL-terminated NAME, VALUE, ... pairs */
};

/*
 * Check a claim set: iss equals issuer exactly; aud (string or non-empty
 * array of strings) contains client_id; azp, when present or when aud
 * has more than one value, equals client_id; exp required, now < exp +
 * leeway; iat required, iat <= now + leeway; nbf optional, nbf <= now +
 * leeway; exp/iat/nbf/auth_time JSON numbers within 0..CLAIM_TIME_MAX;
 * sub a non-empty string of at most CLAIM_SUB_MAX bytes without control
 * characters; max_age and acr as described above; each NAME of required
 * present as a JSON string (without NUL bytes) equal to its VALUE byte for
 * byte (OIDC_R_CLAIM otherwise, the message names the claim, never the
 * token's value).
 * Returns 0 or a negative errno with err filled.
 */
int claims_check(json_object *claims, const struct claims_policy *policy, struct oidc_err *err);

#endif
