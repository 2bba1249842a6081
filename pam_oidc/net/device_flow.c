/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 8628 device authorization request and token polling. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "conf.h"
#include "device_flow.h"
#include "provider.h"
#include "http.h"
#include "json_strict.h"
#include "oidc_err.h"
#include "safefile.h"

#define GRANT_DEVICE_CODE "urn:ietf:params:oauth:grant-type:device_code"
#define FORM_MAX (16 * 1024)

/* Free a device authorization, wiping the device code; NULL-safe. */
void
device_auth_free(struct device_auth *da)
{
	if (da == NULL)
		return;
	secure_free_str(da->device_code);
	free(da->user_code);
	free(da->verification_uri);
	free(da->verification_uri_complete);
	explicit_bzero(da, sizeof(*da));
	free(da);
}

/* Read the client secret from its root-only file; 0 and *ret, or -errno (see device_flow.h). */
int
device_read_client_secret(const char *path, char **ret, struct oidc_err *err)
{
	static const struct sf_policy secret = {
		.owner = SF_OWNER_ROOT,
		.forbidden = 0177,
		.max_size = DEVICE_CLIENT_SECRET_MAX,
	};
	enum sf_fail fail = SF_FAIL_NONE;
	struct buf b;
	size_t len, i;
	int r;

	buf_init(&b, DEVICE_CLIENT_SECRET_MAX);
	if (path == NULL || ret == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, EINVAL, "no client secret file");
	r = sf_read_file(AT_FDCWD, path, &secret, &b, NULL, &fail);
	switch (r < 0 ? fail : SF_FAIL_NONE) {
	case SF_FAIL_NONE:
		break;
	case SF_FAIL_OPEN:
		r = oidc_err_set(err, OIDC_R_CONFIG, -r, "cannot open client_secret_file %s: %s",
				 path, strerror(-r));
		goto out;
	case SF_FAIL_STAT:
		r = oidc_err_set(err, OIDC_R_CONFIG, -r, "cannot stat client_secret_file %s", path);
		goto out;
	case SF_FAIL_TYPE:
	case SF_FAIL_OWNER:
	case SF_FAIL_MODE:
		r = oidc_err_set(err, OIDC_R_CONFIG, EPERM,
				 "client_secret_file %s must be a regular file owned by root with mode 0600 or 0400",
				 path);
		goto out;
	case SF_FAIL_SIZE:
		r = oidc_err_set(err, OIDC_R_CONFIG, EFBIG, "client_secret_file %s is empty or too large",
				 path);
		goto out;
	default:
		if (r == -ENOMEM)
			r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		else
			r = oidc_err_set(err, OIDC_R_CONFIG, -r,
					 "cannot read client_secret_file %s", path);
		goto out;
	}
	if (b.len == 0) {
		r = oidc_err_set(err, OIDC_R_CONFIG, EFBIG,
				 "client_secret_file %s is empty or too large", path);
		goto out;
	}
	len = b.len;
	while (len > 0 && (b.data[len - 1] == '\n' || b.data[len - 1] == '\r'))
		b.data[--len] = '\0';
	if (len == 0) {
		r = oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "client_secret_file %s is empty", path);
		goto out;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7f) {
			r = oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					 "client_secret_file %s must hold one line without control characters",
					 path);
			goto out;
		}
	}
	*ret = buf_steal(&b, NULL);
	r = *ret != NULL ? 0 : oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
out:
	buf_free(&b);
	return r;
}

/* Printable ASCII only (space allowed when allow_space), 1..max bytes. */
static bool
printable(const char *s, size_t max, bool allow_space)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= max)
			return false;
		if (c > 0x7e || c < 0x20 || (c == ' ' && !allow_space))
			return false;
	}
	return i > 0;
}

static int
check_uri(const char *name, const char *uri, struct oidc_err *err)
{
	if (!printable(uri, DEVICE_URI_MAX, false))
		return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				    "device authorization: %s is empty, too long or has control characters",
				    name);
	if (strncmp(uri, "https://", 8) != 0 || uri[8] == '\0')
		return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				    "device authorization: %s is not an https URL", name);
	return 0;
}

static int64_t
clamp_interval(int64_t v)
{
	if (v < DEVICE_INTERVAL_MIN)
		return DEVICE_INTERVAL_MIN;
	if (v > DEVICE_INTERVAL_MAX)
		return DEVICE_INTERVAL_MAX;
	return v;
}

/* A provider's "error" value, safe to quote: [a-z_] only, else a placeholder. */
static const char *
error_token(const char *e)
{
	size_t i;

	if (e == NULL)
		return "(none)";
	for (i = 0; e[i] != '\0'; i++)
		if (i >= 48 || !((e[i] >= 'a' && e[i] <= 'z') || e[i] == '_'))
			return "(unprintable)";
	return i > 0 ? e : "(empty)";
}

static int
dup_field(json_object *o, const char *key, bool required, char **ret, struct oidc_err *err)
{
	const char *v;
	int r;

	*ret = NULL;
	r = json_get_string(o, key, &v);
	if (r == -ENOENT && !required)
		return 0;
	if (r == -ENOENT)
		return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				    "device authorization: \"%s\" missing", key);
	if (r < 0)
		return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				    "device authorization: \"%s\" is not a string", key);
	*ret = strdup(v);
	if (*ret == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	return 0;
}

/* Parse and check the device authorization response; 0 and *ret, or -errno. */
int
device_auth_parse(long status, const char *body, size_t len, int64_t default_interval,
		  struct device_auth **ret, struct oidc_err *err)
{
	struct device_auth *da = NULL;
	json_object *o = NULL;
	const char *e = NULL, *uri_name;
	int64_t v;
	int r;

	if (status != 200) {
		if (body != NULL &&
		    json_strict_parse(body, len, DEVICE_MAX_BODY, JSON_STRICT_MAX_DEPTH, true, &o,
				      NULL) == 0)
			(void)json_get_string(o, "error", &e);
		r = oidc_err_set(err, OIDC_R_HTTP, EPROTO,
				 "device authorization endpoint answered HTTP %ld (error %s)", status,
				 error_token(e));
		goto out;
	}
	r = json_strict_parse(body, len, DEVICE_MAX_BODY, JSON_STRICT_MAX_DEPTH, true, &o, err);
	if (r < 0) {
		oidc_err_set(err, OIDC_R_MALFORMED, EINVAL, "device authorization: malformed JSON");
		goto out;
	}
	da = calloc(1, sizeof(*da));
	if (da == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	/*
	 * RFC 8628 names it verification_uri; Google's device endpoint sends
	 * verification_url instead.  That one spelling is taken, only when the
	 * standard member is absent, and checked the same way.
	 */
	uri_name = "verification_uri";
	if (json_get_string(o, "verification_uri", &e) == -ENOENT &&
	    json_get_string(o, "verification_url", &e) != -ENOENT)
		uri_name = "verification_url";
	if ((r = dup_field(o, "device_code", true, &da->device_code, err)) < 0 ||
	    (r = dup_field(o, "user_code", true, &da->user_code, err)) < 0 ||
	    (r = dup_field(o, uri_name, true, &da->verification_uri, err)) < 0 ||
	    (r = dup_field(o, "verification_uri_complete", false, &da->verification_uri_complete,
			   err)) < 0)
		goto out;
	if (!printable(da->device_code, DEVICE_CODE_MAX, false)) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				 "device authorization: device_code is empty, too long or not printable");
		goto out;
	}
	if (!printable(da->user_code, DEVICE_USER_CODE_MAX, true)) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				 "device authorization: user_code is empty, too long or has control characters");
		goto out;
	}
	if ((r = check_uri(uri_name, da->verification_uri, err)) < 0)
		goto out;
	if (da->verification_uri_complete != NULL &&
	    (r = check_uri("verification_uri_complete", da->verification_uri_complete, err)) < 0)
		goto out;
	r = json_get_number(o, "expires_in", 1, DEVICE_EXPIRES_MAX, &da->expires_in);
	if (r < 0) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				 "device authorization: expires_in missing or not a number in 1..%d",
				 DEVICE_EXPIRES_MAX);
		goto out;
	}
	r = json_get_number(o, "interval", 0, INT32_MAX, &v);
	if (r == -ENOENT) {
		v = default_interval;
	} else if (r < 0) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				 "device authorization: interval is not a non-negative number");
		goto out;
	}
	da->interval = clamp_interval(v);
	*ret = da;
	da = NULL;
	r = 0;
out:
	device_auth_free(da);
	if (o != NULL)
		json_object_put(o);
	return r;
}

/* The RFC 8628 section 3.5 answers (and Entra's denial), by their error code alone. */
static int
token_error(long status, const char *e, struct oidc_err *err)
{
	if (strcmp(e, "authorization_pending") == 0)
		return DEVICE_POLL_PENDING;
	if (strcmp(e, "slow_down") == 0)
		return DEVICE_POLL_SLOW_DOWN;
	/* Entra ID says authorization_declined where RFC 8628 says access_denied */
	if (strcmp(e, "access_denied") == 0 || strcmp(e, "authorization_declined") == 0)
		return oidc_err_set(err, OIDC_R_DENIED, EACCES,
				    "the sign-in was denied at the provider");
	if (strcmp(e, "expired_token") == 0)
		return oidc_err_set(err, OIDC_R_TIMEOUT, ETIMEDOUT,
				    "the device code expired before the sign-in");
	return oidc_err_set(err, OIDC_R_HTTP, EPROTO, "token endpoint refused (HTTP %ld): %s",
			    status, error_token(e));
}

/* Classify one token endpoint answer; a device_poll_result, or -errno with err filled. */
int
device_token_parse(long status, const char *body, size_t len, char **ret_id_token,
		   struct oidc_err *err)
{
	json_object *o = NULL;
	const char *e = NULL, *tok;
	/* 400 and 401 are RFC 6749's error statuses; any other 4xx must prove it is one */
	bool rfc_status = status == 400 || status == 401;
	int r;

	if (status != 200 && (status < 400 || status > 499)) {
		r = oidc_err_set(err, OIDC_R_HTTP, EPROTO, "token endpoint answered HTTP %ld", status);
		goto out;
	}
	/* the parser's own message only where a malformed body is the verdict */
	r = json_strict_parse(body, len, HTTP_DEFAULT_MAX_BODY, JSON_STRICT_MAX_DEPTH, true, &o,
			      status == 200 || rfc_status ? err : NULL);
	if (r < 0 && status != 200 && !rfc_status) {
		r = oidc_err_set(err, OIDC_R_HTTP, EPROTO, "token endpoint answered HTTP %ld",
				 status);
		goto out;
	}
	if (r < 0) {
		oidc_err_set(err, OIDC_R_MALFORMED, EINVAL, "token endpoint: malformed JSON");
		goto out;
	}
	if (status != 200) {
		/*
		 * Providers differ in the status of the same answer (Auth0:
		 * 403 pending, 429 slow_down; Google: 428 pending, 403
		 * slow_down and denial): the error member decides.
		 */
		r = json_get_string(o, "error", &e);
		if (r < 0 && !rfc_status)
			r = oidc_err_set(
				err, OIDC_R_HTTP, EPROTO,
				"token endpoint answered HTTP %ld without a string \"error\"",
				status);
		else if (r < 0)
			r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
					 "token endpoint: HTTP %ld without a string \"error\"", status);
		else
			r = token_error(status, e, err);
		goto out;
	}
	r = json_get_string(o, "id_token", &tok);
	if (r < 0) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				 "token endpoint: the response has no id_token (is \"openid\" in scopes?)");
		goto out;
	}
	if (tok[0] == '\0') {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL, "token endpoint: empty id_token");
		goto out;
	}
	*ret_id_token = strdup(tok);
	if (*ret_id_token == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	r = DEVICE_POLL_TOKEN;
out:
	/* the tree holds the tokens: wipe the strings before json-c frees them */
	if (o != NULL) {
		json_object_object_foreach(o, k, val) {
			(void)k;
			if (json_object_is_type(val, json_type_string)) {
				/* json-c owns a copy of each token: wipe it in place */
				char *sp = (char *)(uintptr_t)json_object_get_string(val);

				explicit_bzero(sp, (size_t)json_object_get_string_len(val));
			}
		}
		json_object_put(o);
	}
	return r;
}

/*
 * client_id goes into every form, also when a confidential client
 * authenticates with HTTP Basic: RFC 6749 section 3.2.1 allows it, and
 * authentik's device endpoint reads the client only from the body.  The
 * secret itself never goes into the form.
 */
static int
client_form(const struct device_client *client, struct buf *form)
{
	return http_form_append(form, "client_id", client->client_id);
}

/* Send the device authorization request; 0 and *ret, or -errno with err filled. */
int
device_authorize(const struct oidc_conf *conf, const struct oidc_provider *p,
		 const struct device_client *client, int64_t timeout_ms,
		 struct device_auth **ret, struct oidc_err *err)
{
	struct http_response resp = { 0 };
	struct http_opts opts;
	struct buf form;
	int r;

	buf_init(&form, FORM_MAX);
	if (p->device_authorization_endpoint == NULL) {
		r = oidc_err_set(err, OIDC_R_DISCOVERY, EOPNOTSUPP,
				 "the provider announces no device_authorization_endpoint");
		goto out;
	}
	if (timeout_ms <= 0) {
		r = oidc_err_set(err, OIDC_R_TIMEOUT, ETIMEDOUT,
				 "deadline passed before the device authorization request");
		goto out;
	}
	if (client_form(client, &form) < 0 ||
	    http_form_append(&form, "scope",
			     conf->scopes != NULL ? conf->scopes : "openid profile email") < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "cannot build the request");
		goto out;
	}
	http_opts_from_conf(conf, timeout_ms, DEVICE_MAX_BODY, &opts);
	r = http_post_form(&opts, p->device_authorization_endpoint, form.data ? form.data : "",
			   client->secret != NULL ? client->client_id : NULL, client->secret, &resp,
			   err);
	if (r < 0)
		goto out;
	r = device_auth_parse(resp.status, resp.body, resp.body_len, conf->poll_interval, ret, err);
out:
	http_response_free(&resp);
	buf_free(&form);
	return r;
}

/* Poll the token endpoint per RFC 8628 until an ID token, a refusal or a deadline; 0 or -errno. */
int
device_poll(const struct oidc_conf *conf, const struct oidc_provider *p,
	    const struct device_client *client, const struct device_auth *da,
	    int64_t deadline_ms, device_wait_fn wait, void *wait_ctx,
	    char **ret_id_token, unsigned *ret_polls, struct oidc_err *err)
{
	struct http_response resp = { 0 };
	struct http_opts opts;
	struct oidc_err lerr;
	struct buf form;
	int64_t interval_ms, expiry_ms, now, remaining;
	unsigned polls = 0;
	int r;

	buf_init(&form, FORM_MAX);
	interval_ms = clamp_interval(da->interval) * 1000;
	expiry_ms = clock_mono_ms() + da->expires_in * 1000;
	if (expiry_ms < deadline_ms)
		deadline_ms = expiry_ms;
	if (http_form_append(&form, "grant_type", GRANT_DEVICE_CODE) < 0 ||
	    http_form_append(&form, "device_code", da->device_code) < 0 ||
	    client_form(client, &form) < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "cannot build the request");
		goto out;
	}
	for (;;) {
		now = clock_mono_ms();
		remaining = deadline_ms - now;
		if (remaining <= 0)
			goto timeout;
		r = wait(wait_ctx, interval_ms < remaining ? interval_ms : remaining, err);
		if (r < 0)
			goto out;
		now = clock_mono_ms();
		remaining = deadline_ms - now;
		if (remaining <= 0)
			goto timeout;
		http_opts_from_conf(conf, remaining, HTTP_DEFAULT_MAX_BODY, &opts);
		oidc_err_clear(&lerr);
		polls++;
		r = http_post_form(&opts, p->token_endpoint, form.data,
				   client->secret != NULL ? client->client_id : NULL,
				   client->secret, &resp, &lerr);
		if (r < 0) {
			if (clock_mono_ms() >= deadline_ms)
				goto timeout;
			oidc_err_set(err, lerr.reason, -r, "%s", lerr.msg);
			goto out;
		}
		r = device_token_parse(resp.status, resp.body, resp.body_len, ret_id_token, err);
		http_response_free(&resp);
		if (r < 0 || r == DEVICE_POLL_TOKEN)
			goto out;
		if (r == DEVICE_POLL_SLOW_DOWN)
			interval_ms += DEVICE_SLOW_DOWN_STEP * 1000;
	}
timeout:
	r = oidc_err_set(err, OIDC_R_TIMEOUT, ETIMEDOUT,
			 "no sign-in before the deadline (%u token requests)", polls);
out:
	if (ret_polls != NULL)
		*ret_polls = polls;
	http_response_free(&resp);
	buf_free(&form);
	return r < 0 ? r : 0;
}
