/* SPDX-License-Identifier: BSD-2-Clause */
/* JWS compact serialisation (RFC 7515 section 7.1), parsed strictly. */
#ifndef OIDC_JWS_H
#define OIDC_JWS_H

#include <stddef.h>
#include <json-c/json.h>

#include "jose_alg.h"

struct oidc_err;

/* Longest token accepted, in bytes. */
#define JWS_MAX_TOKEN (64 * 1024)
/* Longest kid accepted. */
#define JWS_MAX_KID 256

struct jws {
	json_object *header;		/* the protected header (strict JSON object) */
	json_object *payload;		/* the claims (strict JSON object), NULL if payload not JSON */
	unsigned char *payload_raw;	/* decoded payload bytes */
	size_t payload_raw_len;
	char *signing_input;		/* "<b64 header>.<b64 payload>" as received */
	size_t signing_input_len;
	unsigned char *signature;	/* decoded signature bytes */
	size_t signature_len;
	enum jose_alg alg;		/* JOSE_ALG_UNKNOWN when the header names one we refuse */
	const char *alg_name;		/* borrowed from header */
	const char *kid;		/* borrowed from header, NULL when absent */
	const char *typ;		/* borrowed from header, NULL when absent */
};

/*
 * Parse a compact JWS.  Rules: exactly three parts; each strict base64url;
 * the header a strict JSON object with a string "alg"; "crit" present in
 * any form -> OIDC_R_CRIT; "alg" none (any case) or HS* -> OIDC_R_ALGORITHM;
 * "kid", if present, a string of 1..JWS_MAX_KID bytes without NUL/control
 * characters; "jwk", "jku", "x5u", "x5c" are ignored (never used or
 * fetched).  When require_json_payload is true the payload must be a strict
 * JSON object (ID tokens); otherwise payload may be any bytes (test vectors).
 * Returns 0 and *ret, or a negative errno with err filled.
 */
int jws_parse(const char *token, size_t len, int require_json_payload,
	      struct jws **ret, struct oidc_err *err);

/* Free a parsed JWS; NULL-safe. */
void jws_free(struct jws *jws);

#endif
