/* SPDX-License-Identifier: BSD-2-Clause */
/* JWS algorithms pam_oidc knows.  HMAC and "none" are deliberately absent. */
#ifndef OIDC_JOSE_ALG_H
#define OIDC_JOSE_ALG_H

enum jose_alg {
	JOSE_ALG_UNKNOWN = 0,
	JOSE_ALG_RS256,
	JOSE_ALG_RS384,
	JOSE_ALG_RS512,
	JOSE_ALG_PS256,
	JOSE_ALG_PS384,
	JOSE_ALG_PS512,
	JOSE_ALG_ES256,
	JOSE_ALG_ES384,
	JOSE_ALG_ES512,
	JOSE_ALG_EDDSA,
	JOSE__ALG_MAX
};

#define JOSE_ALG_BIT(a) (1u << (a))
/* Every algorithm we can verify. */
#define JOSE_ALG_ALL_MASK (((1u << JOSE__ALG_MAX) - 1) & ~1u)
/* The default allow-list. */
#define JOSE_ALG_DEFAULT_MASK JOSE_ALG_ALL_MASK

/*
 * Look up an algorithm by its exact (case-sensitive) JWS name.  Returns
 * JOSE_ALG_UNKNOWN for anything else, including "none", "None" and HS*.
 */
enum jose_alg jose_alg_from_name(const char *name);

/* The JWS name of an algorithm, or NULL. */
const char *jose_alg_name(enum jose_alg alg);

/*
 * Parse a comma/space separated allow-list ("RS256,ES256") into a mask.
 * Returns 0, or -EINVAL naming the offending entry in err (none, HS*,
 * unknown names are all errors).
 */
struct oidc_err;
int jose_alg_parse_list(const char *list, unsigned *ret_mask, struct oidc_err *err);

#endif
