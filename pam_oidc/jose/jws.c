/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * JWS compact serialisation (RFC 7515 section 7.1), parsed strictly.
 *
 * This only takes the token apart; it decides nothing about keys.  What it
 * refuses here is refused for every caller: "none" and HMAC (a verifier
 * must never be talked into treating a public key as a MAC secret), any
 * "crit" (we implement no extension, RFC 7515 section 4.1.11), malformed
 * kids.  Header keys ("jwk", "jku", "x5u", "x5c") are left in the header
 * object but never read: trusting a key the token brings itself would let
 * anybody sign.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "b64url.h"
#include "buf.h"
#include "json_strict.h"
#include "jws.h"
#include "oidc_err.h"

/* "none" in any letter case, or any HMAC name (HS256, hs512, Hs384, ...). */
static bool
jws_alg_forbidden(const char *alg)
{
	return strcasecmp(alg, "none") == 0 || strncasecmp(alg, "HS", 2) == 0;
}

static int
jws_check_kid(json_object *header, const char **ret, struct oidc_err *err)
{
	json_object *v;
	const char *kid;
	size_t n, i;

	*ret = NULL;
	if (!json_object_object_get_ex(header, "kid", &v))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				    "JWS header kid is not a string");
	kid = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (n == 0 || n > JWS_MAX_KID)
		return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				    "JWS header kid length %zu outside 1..%d", n, JWS_MAX_KID);
	/* An embedded NUL would make the C string shorter than the JSON one. */
	if (strlen(kid) != n)
		return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				    "JWS header kid contains a NUL byte");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)kid[i];

		if (c < 0x20 || c == 0x7f)
			return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
					    "JWS header kid contains a control character");
	}
	*ret = kid;
	return 0;
}

static int
jws_check_header(struct jws *jws, struct oidc_err *err)
{
	json_object *v;
	int r;

	if (json_object_object_get_ex(jws->header, "crit", NULL))
		return oidc_err_set(err, OIDC_R_CRIT, EINVAL,
				    "JWS header has a crit member; no extension is supported");
	if (!json_object_object_get_ex(jws->header, "alg", &v))
		return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL, "JWS header has no alg");
	if (!json_object_is_type(v, json_type_string))
		return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL, "JWS header alg is not a string");
	jws->alg_name = json_object_get_string(v);
	if (jws_alg_forbidden(jws->alg_name))
		return oidc_err_set(err, OIDC_R_ALGORITHM, EINVAL,
				    "JWS alg 'none' and HMAC algorithms are never accepted");
	jws->alg = jose_alg_from_name(jws->alg_name);
	if ((r = jws_check_kid(jws->header, &jws->kid, err)) < 0)
		return r;
	if (json_object_object_get_ex(jws->header, "typ", &v)) {
		if (!json_object_is_type(v, json_type_string))
			return oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
					    "JWS header typ is not a string");
		jws->typ = json_object_get_string(v);
	}
	return 0;
}

/*
 * Take a compact JWS apart; see jws.h for the rules.  Returns 0 and *ret
 * (free with jws_free), or a negative errno with err filled.
 */
int
jws_parse(const char *token, size_t len, int require_json_payload,
	  struct jws **ret, struct oidc_err *err)
{
	struct jws *jws = NULL;
	unsigned char *hdr = NULL;
	size_t hdr_len = 0, plen, slen;
	const char *d1, *d2;
	struct oidc_err perr;
	int r;

	if (token == NULL || ret == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, EINVAL, "JWS: no token");
		goto out;
	}
	if (len > JWS_MAX_TOKEN) {
		r = oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG,
				 "token of %zu bytes exceeds the limit of %d", len, JWS_MAX_TOKEN);
		goto out;
	}
	d1 = memchr(token, '.', len);
	d2 = d1 ? memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - token)) : NULL;
	if (d1 == NULL || d2 == NULL ||
	    memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - token)) != NULL) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				 "token is not a compact JWS of exactly three parts");
		goto out;
	}
	jws = calloc(1, sizeof(*jws));
	if (jws == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}

	r = b64url_decode(token, (size_t)(d1 - token), JWS_MAX_TOKEN, &hdr, &hdr_len);
	if (r < 0) {
		r = oidc_err_set(err, r == -ENOMEM ? OIDC_R_INTERNAL : OIDC_R_MALFORMED, -r,
				 "JWS header is not valid base64url");
		goto out;
	}
	oidc_err_clear(&perr);
	r = json_strict_parse((const char *)hdr, hdr_len, JWS_MAX_TOKEN,
			      JSON_STRICT_MAX_DEPTH, true, &jws->header, &perr);
	if (r < 0) {
		oidc_err_set(err, perr.reason, -r, "JWS header: %s", perr.msg);
		goto out;
	}
	if ((r = jws_check_header(jws, err)) < 0)
		goto out;

	plen = (size_t)(d2 - (d1 + 1));
	r = b64url_decode(d1 + 1, plen, JWS_MAX_TOKEN, &jws->payload_raw, &jws->payload_raw_len);
	if (r < 0) {
		r = oidc_err_set(err, r == -ENOMEM ? OIDC_R_INTERNAL : OIDC_R_MALFORMED, -r,
				 "JWS payload is not valid base64url");
		goto out;
	}
	slen = len - (size_t)(d2 + 1 - token);
	r = b64url_decode(d2 + 1, slen, JWS_MAX_TOKEN, &jws->signature, &jws->signature_len);
	if (r < 0) {
		r = oidc_err_set(err, r == -ENOMEM ? OIDC_R_INTERNAL : OIDC_R_MALFORMED, -r,
				 "JWS signature is not valid base64url");
		goto out;
	}
	if (jws->signature_len == 0) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL, "JWS signature is empty");
		goto out;
	}

	if (require_json_payload) {
		oidc_err_clear(&perr);
		r = json_strict_parse((const char *)jws->payload_raw, jws->payload_raw_len,
				      JWS_MAX_TOKEN, JSON_STRICT_MAX_DEPTH, true,
				      &jws->payload, &perr);
		if (r < 0) {
			oidc_err_set(err, perr.reason, -r, "JWS payload: %s", perr.msg);
			goto out;
		}
	} else {
		/* Opaque payloads are fine here; keep the tree when it is JSON. */
		oidc_err_clear(&perr);
		if (json_strict_parse((const char *)jws->payload_raw, jws->payload_raw_len,
				      JWS_MAX_TOKEN, JSON_STRICT_MAX_DEPTH, true,
				      &jws->payload, &perr) < 0)
			jws->payload = NULL;
	}

	jws->signing_input_len = (size_t)(d2 - token);
	jws->signing_input = malloc(jws->signing_input_len + 1);
	if (jws->signing_input == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	memcpy(jws->signing_input, token, jws->signing_input_len);
	jws->signing_input[jws->signing_input_len] = '\0';

	*ret = jws;
	jws = NULL;
	r = 0;
out:
	secure_free(hdr, hdr_len + 1);
	jws_free(jws);
	return r;
}

/* Free a parsed JWS, wiping its buffers.  NULL-safe. */
void
jws_free(struct jws *jws)
{
	if (jws == NULL)
		return;
	json_object_put(jws->header);
	json_object_put(jws->payload);
	if (jws->payload_raw != NULL)
		secure_free(jws->payload_raw, jws->payload_raw_len + 1);
	if (jws->signing_input != NULL)
		secure_free(jws->signing_input, jws->signing_input_len + 1);
	if (jws->signature != NULL)
		secure_free(jws->signature, jws->signature_len + 1);
	free(jws);
}
