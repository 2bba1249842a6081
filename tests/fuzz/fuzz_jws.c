/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz JWS compact parsing and signature verification against a fixed
 * one-key JWKS (the RFC 7515 A.3 P-256 key): nothing the fuzzer makes up
 * may ever verify.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "jws.h"
#include "jwks.h"
#include "oidc_err.h"
#include "verify.h"

static const char jwks_text[] =
	"{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"a3\","
	"\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
	"\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct jwks *set;
	struct jws *jws = NULL;
	struct oidc_err err;

	oidc_err_clear(&err);
	if (set == NULL && jwks_parse(jwks_text, strlen(jwks_text), &set, &err) != 0)
		abort();
	if (jws_parse((const char *)data, size, 0, &jws, &err) == 0)
		jws_free(jws);
	jws = NULL;
	oidc_err_clear(&err);
	/* The corpus may hold the genuine RFC token; anything else must fail. */
	if (verify_signature((const char *)data, size, set, JOSE_ALG_ALL_MASK, 0, &jws, &err) == 0) {
		static const char a3[] = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";

		if (size < sizeof(a3) - 1 || memcmp(data, a3, sizeof(a3) - 1) != 0)
			abort();
		jws_free(jws);
	}
	return 0;
}
