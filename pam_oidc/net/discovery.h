/* SPDX-License-Identifier: BSD-2-Clause */
/* OpenID Provider discovery (OpenID Connect Discovery 1.0), cached on disk. */
#ifndef OIDC_DISCOVERY_H
#define OIDC_DISCOVERY_H

#include <stdint.h>

#include "http.h"
#include "provider.h"

struct oidc_err;
struct oidc_conf;
struct http_opts;

/*
 * Fetch <issuer>/.well-known/openid-configuration, or conf->discovery_url
 * when set (or take it from the cache in conf->cache_dir when younger than
 * conf->discovery_ttl; the cache is keyed by the URL too).  Its "issuer"
 * must equal conf->issuer byte for byte; every endpoint must be an allowed
 * (https) URL.  When the document names no device_authorization_endpoint,
 * conf->device_authorization_endpoint is used (device_endpoint_from_conf);
 * when it names one, the option is ignored (device_endpoint_option_ignored).  now is the current time in seconds.  http
 * carries the transport (CA, proxy, timeouts; max_body is set here).
 */
int discovery_load(const struct oidc_conf *conf, const struct http_opts *http, int64_t now,
		   struct oidc_provider **ret, struct oidc_err *err);

#endif
