/* SPDX-License-Identifier: BSD-2-Clause */
/* OpenID Provider discovery and the JWKS, with an on-disk cache. */
#ifndef OIDC_DISCOVERY_H
#define OIDC_DISCOVERY_H

#include <stdbool.h>
#include <stdint.h>

#include "http.h"
#include "jwks.h"

struct oidc_err;
struct oidc_conf;
struct http_opts;

struct oidc_provider {
	char *issuer;
	char *authorization_endpoint;		/* may be NULL */
	char *token_endpoint;
	char *device_authorization_endpoint;	/* may be NULL */
	char *jwks_uri;
	char *userinfo_endpoint;		/* may be NULL */
};

/*
 * Fetch <issuer>/.well-known/openid-configuration (or take it from the
 * cache in conf->cache_dir when younger than conf->discovery_ttl).  Its
 * "issuer" must equal conf->issuer byte for byte; every endpoint must be
 * an allowed (https) URL.  now is the current time in seconds.  http
 * carries the transport (CA, proxy, timeouts; max_body is set here).
 */
int discovery_load(const struct oidc_conf *conf, const struct http_opts *http, int64_t now,
		   struct oidc_provider **ret, struct oidc_err *err);

void oidc_provider_free(struct oidc_provider *p);

/*
 * Get the provider's JWKS: from the cache when younger than jwks_ttl,
 * else fetched from jwks_uri and cached.  With force_refresh (a kid was
 * unknown) it refetches, but at most once per jwks_refresh_interval: the
 * throttle is kept in a stamp file and, when that cannot be written, the
 * refetch is refused (fails closed, OIDC_R_THROTTLED).
 */
int jwks_load(const struct oidc_conf *conf, const struct http_opts *http,
	      const struct oidc_provider *p, int64_t now, bool force_refresh, struct jwks **ret,
	      struct oidc_err *err);

/*
 * The provider's JWKS as a key source for verify_token() (verify.h):
 * jwks_net_load() calls jwks_load() with conf, http, prov and now, keeps the
 * set it got in set (free it with jwks_free when done) and hands it out.
 */
struct jwks_net {
	const struct oidc_conf *conf;
	struct http_opts http;
	const struct oidc_provider *prov;
	int64_t now;
	struct jwks *set;
};
int jwks_net_load(void *ctx, bool refresh, const struct jwks **ret, struct oidc_err *err);

#endif
