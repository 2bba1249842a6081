/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz the JWKS parser (JWK -> EVP_PKEY for every key type). */
#include "config.h"

#include "fuzz.h"
#include "jwks.h"
#include "oidc_err.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jwks *set = NULL;
	struct oidc_err err;

	oidc_err_clear(&err);
	if (jwks_parse((const char *)data, size, &set, &err) == 0)
		jwks_free(set);
	return 0;
}
