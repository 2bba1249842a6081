/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OpenID Provider discovery (OpenID Connect Discovery 1.0, section 4),
 * cached on disk.  A document from the cache is validated exactly like a
 * fetched one.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "conf.h"
#include "discovery.h"
#include "http.h"
#include "json_strict.h"
#include "oidc_err.h"
#include "url.h"

#define DISCOVERY_MAX_SIZE (128 * 1024)

/* Free a provider description; NULL-safe. */
void
oidc_provider_free(struct oidc_provider *p)
{
	if (p == NULL)
		return;
	free(p->issuer);
	free(p->authorization_endpoint);
	free(p->token_endpoint);
	free(p->device_authorization_endpoint);
	free(p->jwks_uri);
	free(p->userinfo_endpoint);
	free(p);
}

/* Is a response's content type one of ours (application/json or any +json)? */
static bool
discovery_is_json(const char *ct)
{
	size_t n = strlen(ct);

	return strcmp(ct, "application/json") == 0 ||
	       (strncmp(ct, "application/", 12) == 0 && n > 17 &&
		strcmp(ct + n - 5, "+json") == 0);
}

/* Copy an endpoint member: must be an allowed URL; absent is -ENOENT. */
static int
discovery_endpoint(json_object *doc, const char *key, bool required, char **ret,
		   struct oidc_err *err)
{
	const char *v;
	int r;

	r = json_get_string(doc, key, &v);
	if (r == -ENOENT && !required)
		return 0;
	if (r == -ENOENT)
		return oidc_err_set(err, OIDC_R_DISCOVERY, ENOENT,
				    "discovery document has no %s", key);
	if (r < 0)
		return oidc_err_set(err, OIDC_R_DISCOVERY, EINVAL,
				    "discovery document: %s is not a string", key);
	if (http_url_allowed(v) < 0)
		return oidc_err_set(err, OIDC_R_DISCOVERY, EINVAL,
				    "discovery document: %s is not an https URL", key);
	*ret = strdup(v);
	if (*ret == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	return 0;
}

/*
 * Does id_token_signing_alg_values_supported list only HMAC algorithms
 * (authentik without a signing key signs HS256 with the client secret)?
 * Such tokens are never accepted; pam-oidc check says why.
 */
static bool
discovery_hmac_only(json_object *doc)
{
	json_object *algs, *a;
	size_t i, n;

	if (!json_object_object_get_ex(doc, "id_token_signing_alg_values_supported", &algs) ||
	    !json_object_is_type(algs, json_type_array))
		return false;
	n = json_object_array_length(algs);
	for (i = 0; i < n; i++) {
		a = json_object_array_get_idx(algs, i);
		if (!json_object_is_type(a, json_type_string) ||
		    strncmp(json_object_get_string(a), "HS", 2) != 0)
			return false;
	}
	return n > 0;
}

/*
 * The document's issuer iss is not the configured one.  When they differ
 * only by a trailing '/' (Auth0 and authentik publish one, most others
 * none), say which setting fixes it; the issuer shown is built from the
 * configured one, so no provider text reaches the log.
 */
static int
discovery_issuer_mismatch(const char *configured, const char *iss, struct oidc_err *err)
{
	size_t c = strlen(configured), n = strlen(iss);

	if (n == c + 1 && iss[c] == '/' && memcmp(iss, configured, c) == 0)
		return oidc_err_set(err, OIDC_R_DISCOVERY, EINVAL,
				    "discovery document names the issuer with a trailing slash: "
				    "set issuer = %.160s/ (with the trailing slash)",
				    configured);
	if (c == n + 1 && configured[n] == '/' && memcmp(iss, configured, n) == 0)
		return oidc_err_set(err, OIDC_R_DISCOVERY, EINVAL,
				    "discovery document names the issuer without a trailing slash: "
				    "set issuer = %.*s (without the trailing slash)",
				    (int)(n > 160 ? 160 : n), configured);
	return oidc_err_set(err, OIDC_R_DISCOVERY, EINVAL,
			    "discovery document names another issuer than the configured '%.128s'",
			    configured);
}

/* Validate a document's text against the configuration; see discovery.h. */
static int
discovery_parse(const struct oidc_conf *conf, const char *text, size_t len,
		struct oidc_provider **ret, struct oidc_err *err)
{
	struct oidc_provider *p = NULL;
	json_object *doc = NULL;
	const char *iss;
	int r;

	r = json_strict_parse(text, len, DISCOVERY_MAX_SIZE, JSON_STRICT_MAX_DEPTH, true, &doc,
			      err);
	if (r < 0) {
		oidc_err_set(err, OIDC_R_DISCOVERY, -r, "discovery document is not valid JSON");
		goto out;
	}
	r = json_get_string(doc, "issuer", &iss);
	if (r < 0) {
		r = oidc_err_set(err, OIDC_R_DISCOVERY, EINVAL,
				 "discovery document has no issuer string");
		goto out;
	}
	/*
	 * Byte for byte: no case folding, no trailing-slash leniency.  A
	 * mismatch here is a configuration or provider fault, not a verdict
	 * on anyone's token: OIDC_R_DISCOVERY, which pam_code() makes
	 * PAM_AUTHINFO_UNAVAIL, so that pam_faillock does not count it
	 * against every user who tries.
	 */
	if (strcmp(iss, conf->issuer) != 0) {
		r = discovery_issuer_mismatch(conf->issuer, iss, err);
		goto out;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL || (p->issuer = strdup(iss)) == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	p->id_token_hmac_only = discovery_hmac_only(doc);
	if ((r = discovery_endpoint(doc, "token_endpoint", true, &p->token_endpoint, err)) < 0 ||
	    (r = discovery_endpoint(doc, "jwks_uri", true, &p->jwks_uri, err)) < 0 ||
	    (r = discovery_endpoint(doc, "device_authorization_endpoint", false,
				    &p->device_authorization_endpoint, err)) < 0 ||
	    (r = discovery_endpoint(doc, "authorization_endpoint", false,
				    &p->authorization_endpoint, err)) < 0 ||
	    (r = discovery_endpoint(doc, "userinfo_endpoint", false, &p->userinfo_endpoint,
				    err)) < 0)
		goto out;
	/*
	 * device_authorization_endpoint (the option) fills the gap of a
	 * provider that supports the grant but leaves it out of discovery
	 * (GitLab); when discovery names one, discovery wins.
	 */
	if (conf->device_authorization_endpoint != NULL &&
	    p->device_authorization_endpoint != NULL) {
		p->device_endpoint_option_ignored = true;
	} else if (conf->device_authorization_endpoint != NULL) {
		p->device_authorization_endpoint = strdup(conf->device_authorization_endpoint);
		if (p->device_authorization_endpoint == NULL) {
			r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
			goto out;
		}
		p->device_endpoint_from_conf = true;
	}
	*ret = p;
	p = NULL;
	r = 0;
out:
	oidc_provider_free(p);
	if (doc != NULL)
		json_object_put(doc);
	return r;
}

/* Load the provider's metadata, from the cache when fresh; see discovery.h. */
int
discovery_load(const struct oidc_conf *conf, const struct http_opts *http, int64_t now,
	       struct oidc_provider **ret, struct oidc_err *err)
{
	struct http_opts opts = *http;
	struct http_response resp = { 0 };
	char key[CACHE_KEY_LEN], name[CACHE_KEY_LEN + 16];
	char *url = NULL, *cached = NULL;
	size_t cached_len = 0;
	int64_t mtime;
	int dfd = -1, r;

	if (conf->issuer == NULL)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "no issuer configured");
	/* discovery_url differs from the standard one by a query at most (conf_validate) */
	url = conf->discovery_url != NULL ? strdup(conf->discovery_url)
					  : url_discovery_default(conf->issuer);
	if (url == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	/* keyed by every setting that decides trust, not by the issuer alone */
	if (cache_doc_key("discovery", conf->issuer, url, conf->client_id, http, key) < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "cannot hash the cache key");
		goto out;
	}
	snprintf(name, sizeof(name), "disc-%s.json", key);

	if (conf->cache_dir != NULL && conf->discovery_ttl > 0)
		dfd = cache_dir_open(conf->cache_dir);
	if (dfd >= 0 &&
	    cache_read(dfd, name, DISCOVERY_MAX_SIZE, &cached, &cached_len, &mtime) == 0 &&
	    now >= mtime && now - mtime < conf->discovery_ttl) {
		struct oidc_err cerr;

		oidc_err_clear(&cerr);
		if (discovery_parse(conf, cached, cached_len, ret, &cerr) == 0) {
			r = 0;
			goto out;
		}
		/* An unusable cached copy is replaced by a fresh fetch. */
	}

	opts.max_body = DISCOVERY_MAX_SIZE;
	r = http_get(&opts, url, &resp, err);
	if (r < 0)
		goto out;
	if (resp.status != 200) {
		r = oidc_err_set(err, OIDC_R_HTTP, EPROTO, "discovery at %.128s: HTTP status %ld",
				 url, resp.status);
		goto out;
	}
	if (!discovery_is_json(resp.content_type)) {
		r = oidc_err_set(err, OIDC_R_DISCOVERY, EPROTO,
				 "discovery at %.128s: content type '%.64s' is not JSON", url,
				 resp.content_type);
		goto out;
	}
	r = discovery_parse(conf, resp.body, resp.body_len, ret, err);
	if (r < 0)
		goto out;
	if (dfd >= 0)
		(void)cache_write(dfd, name, resp.body, resp.body_len);	/* best effort */
out:
	if (cached != NULL)
		secure_free(cached, cached_len + 1);
	http_response_free(&resp);
	free(url);
	if (dfd >= 0)
		close(dfd);
	return r;
}
