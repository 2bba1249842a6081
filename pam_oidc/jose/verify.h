/* SPDX-License-Identifier: BSD-2-Clause */
/* Whole ID-token verification: JWS parse, key selection, signature, claims. */
#ifndef OIDC_VERIFY_H
#define OIDC_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "claims.h"
#include "jwks.h"
#include "jws.h"

struct oidc_err;
struct jws;

/*
 * The signature primitive under verify_token(), for the JOSE test vectors;
 * no front end calls it (tests/arch/include_graph.sh checks).
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
 * Where verify_token() gets the key set.  load hands out a set that stays
 * owned by the source (valid until the next load or the source's own
 * cleanup).  refresh is true when a fresh copy is wanted because the
 * cached one had no fitting key or its key did not verify the signature;
 * a source that cannot refetch (a fixed set, a file) leaves can_refresh
 * false and is never asked to.  A set with ->fetched true came from the
 * provider just now: a bad signature against it asks for no refetch.
 * load returns 0 or a negative errno with err filled.
 */
struct jwks_source {
	int (*load)(void *ctx, bool refresh, const struct jwks **ret, struct oidc_err *err);
	void *ctx;
	bool can_refresh;
	const struct jwks *fixed;	/* used instead of load when non-NULL */
};

/* A source that always hands out set (borrowed; never refetched). */
struct jwks_source jwks_source_fixed(const struct jwks *set);

/* What verify_token() checks beyond the signature. */
struct verify_policy {
	unsigned allowed_mask;			/* JOSE_ALG_BIT()s */
	/*
	 * The claims rules.  NULL means "signature only" (pam-oidc verify
	 * --signature-only, for test vectors): the payload may be any bytes,
	 * typ is not looked at and no claim is checked.
	 */
	const struct claims_policy *claims;
};

/* The stage a verification reached (for step lines and reports). */
enum verify_stage {
	VERIFY_STAGE_SIGNATURE = 0,	/* parse, typ, algorithm, key set, key, signature */
	VERIFY_STAGE_CLAIMS,		/* the claim rules */
	VERIFY_STAGE_DONE,
};

struct verify_result {
	enum verify_stage stage;	/* DONE on success, else the stage that failed */
	json_object *claims;		/* success: the verified claims (owned), or NULL for a
					 * non-JSON payload in signature-only mode */
	char alg[16];			/* the token's alg, "" before the header parsed */
	char kid[JWS_MAX_KID + 1];	/* the token's kid, "" when absent */
	bool refetched;			/* the key set was refetched once */
	const char *refetch_why;	/* static text: why it was, or NULL */
};

/*
 * The one ID-token verdict of the project: oidc-child, pam-oidc login and
 * pam-oidc verify all call this and nothing else.  Strict parse; explicit
 * typing (a JWT typed as an access or logout token is refused, RFC 8725
 * 3.11); the algorithm allow-list and key rules; the signature against
 * the set from src, with one refetch (src->can_refresh) when no key of
 * the set fits the token's kid, or when the key the kid names does not
 * verify the signature and the set was not fetched just now (a key
 * replaced under the same kid); the token is admitted only if the fresh
 * set verifies it.  Then the claims.
 * Returns 0 with *ret filled (release with verify_result_free), or a
 * negative errno with err filled and ret->stage naming where it failed.
 */
int verify_token(const char *token, size_t len, const struct jwks_source *src,
		 const struct verify_policy *policy, struct verify_result *ret,
		 struct oidc_err *err);

/* Release what verify_token() put into r (NULL-safe); r can be reused. */
void verify_result_free(struct verify_result *r);

#endif
