/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The URL rule, apart from the libcurl client so that pam_oidc.so can check
 * a configuration (conf_validate) without linking libcurl.
 */
#ifndef OIDC_URL_H
#define OIDC_URL_H

/*
 * Is url acceptable: https:// (or http:// when built for tests), at most
 * 2048 bytes, printable ASCII, a host, no user info, no fragment?
 * Returns 0 when it is, -EINVAL when it is not.
 */
int http_url_allowed(const char *url);

/*
 * The discovery URL of an issuer (OpenID Connect Discovery 1.0, section
 * 4): issuer without one trailing '/', then
 * "/.well-known/openid-configuration".  Returns a string to free(), or
 * NULL when out of memory.
 */
char *url_discovery_default(const char *issuer);

#endif
