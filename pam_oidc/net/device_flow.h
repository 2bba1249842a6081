/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OAuth 2.0 Device Authorization Grant (RFC 8628): the device authorization
 * request and the polling of the token endpoint.  Responses are strict
 * JSON, size-capped, with checked types.  The device code, the client
 * secret and every response body are wiped after use; none of them ever
 * reaches an error message.
 */
#ifndef OIDC_DEVICE_FLOW_H
#define OIDC_DEVICE_FLOW_H

#include <stddef.h>
#include <stdint.h>


struct oidc_err;
struct oidc_conf;
struct oidc_provider;

/* Bounds on what we accept from the provider. */
#define DEVICE_MAX_BODY (32 * 1024)
#define DEVICE_CODE_MAX 2048
#define DEVICE_USER_CODE_MAX 64
#define DEVICE_URI_MAX 2048
#define DEVICE_EXPIRES_MAX 86400
#define DEVICE_INTERVAL_MIN 1
#define DEVICE_INTERVAL_MAX 60
#define DEVICE_SLOW_DOWN_STEP 5
#define DEVICE_CLIENT_SECRET_MAX 4096

struct device_client {
	const char *client_id;
	const char *
		secret; /* NULL: public client; else HTTP Basic (client_id in the form either way) */
};

struct device_auth {
	char *device_code;		/* secret: wiped on free */
	char *user_code;		/* printable ASCII */
	char *verification_uri;		/* https, printable ASCII */
	char *verification_uri_complete;	/* NULL when the provider sent none */
	int64_t expires_in;		/* seconds, 1..DEVICE_EXPIRES_MAX */
	int64_t interval;		/* seconds, clamped to DEVICE_INTERVAL_MIN..MAX */
};

/* Outcome of one token request (device_token_parse). */
enum device_poll_result {
	DEVICE_POLL_TOKEN = 0,		/* *ret_id_token set */
	DEVICE_POLL_PENDING,		/* authorization_pending */
	DEVICE_POLL_SLOW_DOWN,		/* slow_down: interval += 5 s */
};

/*
 * Wait callback of the polling loop: wait up to ms milliseconds (less is
 * fine), return 0 to go on polling or a negative errno to abandon the flow
 * (the module cancelled).  err is filled when it abandons.
 */
typedef int (*device_wait_fn)(void *ctx, int64_t ms, struct oidc_err *err);

/* Free a device authorization (wiping the device code); NULL-safe. */
void device_auth_free(struct device_auth *da);

/*
 * Read the client secret from path: a regular file (O_NOFOLLOW), owned by
 * root, mode 0600 or 0400 (nothing for group or others), at most
 * DEVICE_CLIENT_SECRET_MAX bytes; one line, trailing newline stripped,
 * no control characters.  Returns 0 and *ret (free with secure_free_str).
 */
int device_read_client_secret(const char *path, char **ret, struct oidc_err *err);

/*
 * Parse the answer to the device authorization request (status and body).
 * The link is verification_uri, or Google's verification_url when
 * verification_uri is absent (same checks).  default_interval is used when the provider gives no interval; both are
 * clamped to DEVICE_INTERVAL_MIN..MAX.  Returns 0 and *ret.
 */
int device_auth_parse(long status, const char *body, size_t len, int64_t default_interval,
		      struct device_auth **ret, struct oidc_err *err);

/*
 * Parse one answer of the token endpoint.  Any 4xx whose body is strict
 * JSON with a string "error" is judged by that error, whatever the status
 * (Auth0 and Google answer pending and slow_down with 403, 428 or 429).
 * Returns a non-negative enum device_poll_result (DEVICE_POLL_TOKEN with
 * *ret_id_token, free with secure_free_str), or a negative errno with err
 * filled: access_denied and authorization_declined -> OIDC_R_DENIED
 * (-EACCES), expired_token -> OIDC_R_TIMEOUT, any other error, a 5xx or
 * another 4xx without such a body -> OIDC_R_HTTP, a 400/401 that is not
 * JSON with a string error or a 200 without id_token -> OIDC_R_MALFORMED.
 */
int device_token_parse(long status, const char *body, size_t len, char **ret_id_token,
		       struct oidc_err *err);

/*
 * POST the device authorization request (client_id in the form, and HTTP
 * Basic with the secret for a confidential client; scope conf->scopes) to p->device_authorization_endpoint, giving
 * the request at most timeout_ms.  Returns 0 and *ret.
 */
int device_authorize(const struct oidc_conf *conf, const struct oidc_provider *p,
		     const struct device_client *client, int64_t timeout_ms,
		     struct device_auth **ret, struct oidc_err *err);

/*
 * Poll the token endpoint until it hands out an ID token, per RFC 8628:
 * wait da->interval between requests (slow_down adds 5 s for every later
 * poll), stop at once on access_denied or expired_token, and never run
 * past deadline_ms (milliseconds on clock_mono_ms) nor
 * past the device code's expiry: each request is given only the remaining
 * time as its timeout.  *ret_polls (optional) counts the requests made.
 * Returns 0 and *ret_id_token (free with secure_free_str), or a negative
 * errno with err filled (OIDC_R_TIMEOUT when a deadline passed).
 */
int device_poll(const struct oidc_conf *conf, const struct oidc_provider *p,
		const struct device_client *client, const struct device_auth *da,
		int64_t deadline_ms, device_wait_fn wait, void *wait_ctx,
		char **ret_id_token, unsigned *ret_polls, struct oidc_err *err);

#endif
