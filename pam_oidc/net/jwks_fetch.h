/* SPDX-License-Identifier: BSD-2-Clause */
/* The provider's JWKS: fetched from its jwks_uri, cached on disk, throttled refetch. */
#ifndef OIDC_JWKS_FETCH_H
#define OIDC_JWKS_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "http.h"
#include "jwks.h"
#include "provider.h"

struct oidc_conf;
struct oidc_err;

/*
 * Get the provider's JWKS: from the cache when younger than jwks_ttl,
 * else fetched from jwks_uri and cached (a fetched set has ->fetched set).
 * With force_refresh (a kid was unknown, or a signature did not verify with
 * the cached set) it refetches, but at most once per jwks_refresh_interval: the
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
