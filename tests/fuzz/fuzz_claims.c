/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz claim validation: strict JSON, then the claims rules. */
#include "config.h"

#include "claims.h"
#include "fuzz.h"
#include "json_strict.h"
#include "oidc_err.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const acr[] = { "urn:mace:incommon:iap:silver", NULL };
	static const char *const required[] = { "hd", "example.com", "tid", "t-1", NULL };
	struct claims_policy pol = {
		.issuer = "https://idp.example.test",
		.client_id = "pam-oidc",
		.now = 1700000000,
		.leeway = 60,
		.max_age = 3600,
		.acr_values = acr,
		.required = required,
	};
	json_object *obj = NULL;
	struct oidc_err err;

	oidc_err_clear(&err);
	if (json_strict_parse((const char *)data, size, 1 << 16, JSON_STRICT_MAX_DEPTH, true, &obj,
			      &err) != 0)
		return 0;
	oidc_err_clear(&err);
	(void)claims_check(obj, &pol, &err);
	pol.max_age = -1;
	pol.acr_values = NULL;
	pol.required = NULL;
	oidc_err_clear(&err);
	(void)claims_check(obj, &pol, &err);
	json_object_put(obj);
	return 0;
}
