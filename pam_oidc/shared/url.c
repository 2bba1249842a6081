/* SPDX-License-Identifier: BSD-2-Clause */
/* The URL rule (url.h): no libcurl, so that the module can use it too. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

#define HTTP_MAX_URL 2048

/* Is url acceptable?  Returns 0 when it is, -EINVAL when it is not. */
int
http_url_allowed(const char *url)
{
	const char *host, *p;
	size_t len, hlen;

	if (url == NULL)
		return -EINVAL;
	len = strnlen(url, HTTP_MAX_URL + 1);
	if (len > HTTP_MAX_URL)
		return -EINVAL;
	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
#ifdef OIDC_ALLOW_INSECURE_HTTP
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
#endif
	else
		return -EINVAL;
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '\\')
			return -EINVAL;
	hlen = strcspn(host, "/?#");
	if (hlen == 0)
		return -EINVAL;
	/* No user info: "https://idp.example@evil.example/" must not pass. */
	if (memchr(host, '@', hlen) != NULL)
		return -EINVAL;
	if (strchr(url, '#') != NULL)
		return -EINVAL;
	return 0;
}

#define DISCOVERY_SUFFIX "/.well-known/openid-configuration"

/* <issuer without one trailing '/'>/.well-known/openid-configuration (url.h). */
char *
url_discovery_default(const char *issuer)
{
	size_t n = strlen(issuer);
	char *url;

	if (n > 0 && issuer[n - 1] == '/')
		n--;
	url = malloc(n + sizeof(DISCOVERY_SUFFIX));
	if (url == NULL)
		return NULL;
	memcpy(url, issuer, n);
	memcpy(url + n, DISCOVERY_SUFFIX, sizeof(DISCOVERY_SUFFIX));
	return url;
}
