/* SPDX-License-Identifier: BSD-2-Clause */
/* Whole ID-token verification: JWS parse, key selection, signature, claims. */
#ifndef OIDC_VERIFY_H
#define OIDC_VERIFY_H

#include <stddef.h>
#include <json-c/json.h>

#include "claims.h"
#include "jwks.h"

struct oidc_err;
struct jws;

/*
 * Verify the signature of a compact JWS against set: parse, choose the key
 * (jwks_find_key), check alg against allowed_mask and the key type, verify.
 * When ret_jws is non-NULL the parsed JWS is handed out on success.
 * require_json_payload as in jws_parse.
 * Returns 0, -ENOENT when no key matched (unknown kid, or no kid and no
 * key fits the alg: the caller may refetch the JWKS once), or another
 * negative errno; err is filled.  An alg outside allowed_mask fails with
 * -EINVAL before any key lookup, so it never asks for a refetch.
 */
int verify_signature(const char *token, size_t len, const struct jwks *set,
		     unsigned allowed_mask, int require_json_payload,
		     struct jws **ret_jws, struct oidc_err *err);

/*
 * verify_signature, then claims_check.  On success *ret_claims is a new
 * reference to the verified claim set (caller json_object_put()s it).
 */
int verify_id_token(const char *token, size_t len, const struct jwks *set,
		    unsigned allowed_mask, const struct claims_policy *policy,
		    json_object **ret_claims, struct oidc_err *err);

#endif
