/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HTTP client for the identity provider, on libcurl.  https only (unless
 * built with --enable-insecure-http), peer and host verified, optional CA
 * file, an explicit proxy (default none: environment proxies are ignored),
 * connect and total timeouts, no redirects, response bodies capped in the
 * write callback.  Never logs bodies.
 */
#ifndef OIDC_HTTP_H
#define OIDC_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "url.h"

struct oidc_err;

#define HTTP_DEFAULT_MAX_BODY (256 * 1024)

struct http_opts {
	const char *ca_file;		/* NULL: system store */
	const char *proxy;		/* NULL or "": no proxy at all */
	long connect_timeout_ms;	/* > 0 */
	long timeout_ms;		/* > 0, whole transfer */
	size_t max_body;		/* 0: HTTP_DEFAULT_MAX_BODY */
};

struct http_response {
	long status;
	char *body;		/* NUL-terminated; wiped on free */
	size_t body_len;
	char content_type[128];	/* without parameters, lower case; "" when absent */
};

/*
 * The request options of a configuration: its CA file and proxy, its
 * connect and transfer timeouts, each shortened to left_ms when left_ms is
 * positive (the time left before a login's deadline), and max_body (0:
 * HTTP_DEFAULT_MAX_BODY).  The one place conf turns into HTTP options.
 */
struct oidc_conf;
void http_opts_from_conf(const struct oidc_conf *conf, int64_t left_ms, size_t max_body,
			 struct http_opts *ret);

/* GET url.  Any status is returned; transport failures are errors (OIDC_R_NETWORK, OIDC_R_TOO_LARGE). */
int http_get(const struct http_opts *opts, const char *url, struct http_response *ret,
	     struct oidc_err *err);

/*
 * POST application/x-www-form-urlencoded.  form is already encoded (see
 * http_form_append); it is wiped by the caller.  basic_user/basic_pass,
 * when non-NULL, add HTTP Basic authentication (client_secret_basic).
 */
int http_post_form(const struct http_opts *opts, const char *url, const char *form,
		   const char *basic_user, const char *basic_pass,
		   struct http_response *ret, struct oidc_err *err);

/* Append "name=value" (URL-encoded, '&' separated) to a struct buf. */
struct buf;
int http_form_append(struct buf *form, const char *name, const char *value);

/* Wipe and free a response's body; NULL-safe. */
void http_response_free(struct http_response *resp);

/* Global init/cleanup of libcurl (call once per process, not in the PAM module). */
int http_global_init(void);
void http_global_cleanup(void);

#endif
