/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz the strict JSON layer that guards every untrusted document. */
#include "config.h"

#include "fuzz.h"
#include "json_strict.h"
#include "oidc_err.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *obj = NULL;
	struct oidc_err err;

	oidc_err_clear(&err);
	if (json_strict_parse((const char *)data, size, 1 << 20, JSON_STRICT_MAX_DEPTH, false, &obj,
			      &err) == 0)
		json_object_put(obj);
	return 0;
}
