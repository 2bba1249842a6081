/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz the JWKS parser (JWK -> EVP_PKEY for every key type), and the
 * lookup of every kid it kept or skipped.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "jwks.h"
#include "oidc_err.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jwks *set = NULL;
	struct oidc_err err;

	oidc_err_clear(&err);
	if (jwks_parse((const char *)data, size, &set, &err) != 0)
		return 0;
	/* a parsed set has a usable key, and every key of the document is kept or skipped */
	if (set->n == 0 || set->n + set->n_skipped > JWKS_MAX_KEYS)
		abort();
	for (size_t i = 0; i < set->n_skipped; i++) {
		const struct jwk *k;

		if (set->skipped[i].why == NULL)
			abort();
		/* a skipped kid is never selected */
		if (set->skipped[i].kid != NULL &&
		    jwks_find_key(set, set->skipped[i].kid, JOSE_ALG_ES256, &k, &err) == 0)
			abort();
	}
	jwks_free(set);
	return 0;
}
