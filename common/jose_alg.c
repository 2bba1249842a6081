/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The JWS algorithm names pam_oidc accepts.  "none" and the HMAC family
 * are absent on purpose: a public key must never double as a MAC secret.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "jose_alg.h"
#include "oidc_err.h"

static const char *const jose_alg_names[JOSE__ALG_MAX] = {
	[JOSE_ALG_RS256] = "RS256",
	[JOSE_ALG_RS384] = "RS384",
	[JOSE_ALG_RS512] = "RS512",
	[JOSE_ALG_PS256] = "PS256",
	[JOSE_ALG_PS384] = "PS384",
	[JOSE_ALG_PS512] = "PS512",
	[JOSE_ALG_ES256] = "ES256",
	[JOSE_ALG_ES384] = "ES384",
	[JOSE_ALG_ES512] = "ES512",
	[JOSE_ALG_EDDSA] = "EdDSA",
};

/*
 * Map an exact, case-sensitive JWS name to its enum; JOSE_ALG_UNKNOWN for
 * NULL, unknown names, "none" and HS* in any case.
 */
enum jose_alg
jose_alg_from_name(const char *name)
{
	int a;

	if (name == NULL)
		return JOSE_ALG_UNKNOWN;
	for (a = JOSE_ALG_UNKNOWN + 1; a < JOSE__ALG_MAX; a++)
		if (strcmp(name, jose_alg_names[a]) == 0)
			return (enum jose_alg)a;
	return JOSE_ALG_UNKNOWN;
}

/* The JWS name of alg, or NULL for JOSE_ALG_UNKNOWN and out-of-range values. */
const char *
jose_alg_name(enum jose_alg alg)
{
	if ((int)alg <= JOSE_ALG_UNKNOWN || alg >= JOSE__ALG_MAX)
		return NULL;
	return jose_alg_names[alg];
}

/*
 * Parse "RS256,ES256" (commas and/or blanks between entries) into a bit
 * mask of JOSE_ALG_BIT()s.  An empty list, "none", HS* and unknown names
 * are errors.  Returns 0 and *ret_mask, or -EINVAL with err naming the
 * offending entry.
 */
int
jose_alg_parse_list(const char *list, unsigned *ret_mask, struct oidc_err *err)
{
	char name[16];
	unsigned mask = 0;
	const char *p, *e;
	enum jose_alg a;
	size_t n;

	if (list == NULL)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "empty algorithm list");
	p = list;
	for (;;) {
		p += strspn(p, ", \t");
		if (*p == '\0')
			break;
		n = strcspn(p, ", \t");
		e = p + n;
		if (n >= sizeof(name))
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "unknown algorithm '%.*s...' in list",
					    (int)(sizeof(name) - 1), p);
		memcpy(name, p, n);
		name[n] = '\0';
		a = jose_alg_from_name(name);
		if (a == JOSE_ALG_UNKNOWN) {
			if (strcasecmp(name, "none") == 0 || strncasecmp(name, "HS", 2) == 0)
				return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
						    "algorithm '%s' is never allowed", name);
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "unknown algorithm '%s' in list", name);
		}
		mask |= JOSE_ALG_BIT(a);
		p = e;
	}
	if (mask == 0)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "empty algorithm list");
	*ret_mask = mask;
	return 0;
}
