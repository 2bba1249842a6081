/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A caller-owned error record.  Internal functions return 0 or a negative
 * errno; when they fail for a protocol reason they also fill one of these
 * with a reason code and a one-line message that is safe to log (it never
 * contains a token, a code or a secret).
 */
#ifndef OIDC_ERR_H
#define OIDC_ERR_H

#include <stddef.h>

enum oidc_reason {
	OIDC_R_NONE = 0,
	OIDC_R_INTERNAL,	/* out of memory, a bug */
	OIDC_R_USAGE,		/* bad arguments */
	OIDC_R_CONFIG,		/* bad configuration */
	OIDC_R_MALFORMED,	/* token, JSON or response not well formed */
	OIDC_R_ALGORITHM,	/* alg not allowed / does not fit the key */
	OIDC_R_NO_KEY,		/* no key in the JWKS fits */
	OIDC_R_BAD_KEY,		/* a key is unusable (weak, private, ...) */
	OIDC_R_SIGNATURE,	/* bad signature */
	OIDC_R_CRIT,		/* unknown critical header */
	OIDC_R_ISSUER,		/* issuer mismatch */
	OIDC_R_AUDIENCE,	/* aud does not contain the client id */
	OIDC_R_AZP,		/* azp mismatch or missing */
	OIDC_R_EXPIRED,		/* exp in the past */
	OIDC_R_NOT_YET_VALID,	/* nbf in the future */
	OIDC_R_IAT,		/* iat in the future or missing */
	OIDC_R_CLAIM,		/* a required claim missing or of the wrong type */
	OIDC_R_SUBJECT,		/* sub missing or invalid */
	OIDC_R_AUTH_TIME,	/* auth_time too old (max_age) or missing */
	OIDC_R_ACR,		/* acr not in the allow-list */
	OIDC_R_NETWORK,		/* connection, TLS, timeout */
	OIDC_R_HTTP,		/* unexpected HTTP status */
	OIDC_R_TOO_LARGE,	/* a response or input over its cap */
	OIDC_R_DISCOVERY,	/* discovery document unusable */
	OIDC_R_THROTTLED,	/* JWKS refetch refused by the throttle */
	OIDC_R_DENIED,		/* access denied by the user or policy */
	OIDC_R_TIMEOUT,		/* deadline passed */
	OIDC_R_USER,		/* identity does not map to the local user */
	OIDC__R_MAX
};

struct oidc_err {
	enum oidc_reason reason;
	char msg[256];
};

/* Reset an error record to "no error". */
void oidc_err_clear(struct oidc_err *err);

/*
 * Record a failure.  NULL err is allowed (nothing is recorded).  The first
 * failure recorded wins: a later call does not overwrite an earlier reason,
 * so the innermost, most precise message survives.  Returns -errnum when
 * errnum > 0, else -EINVAL, so callers can write `return oidc_err_set(...)`.
 */
int oidc_err_set(struct oidc_err *err, enum oidc_reason reason, int errnum,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Short fixed name of a reason: "bad signature", "issuer mismatch", ... */
const char *oidc_reason_name(enum oidc_reason reason);

#endif
