/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef OIDC_B64URL_H
#define OIDC_B64URL_H

#include <stddef.h>

/*
 * Strict base64url decoding (RFC 4648 section 5, RFC 7515 section 2): no
 * padding, no characters outside [A-Za-z0-9_-], no length of 1 mod 4, and
 * the unused low bits of the last character must be zero (canonical).
 * The output is NUL-terminated for convenience (not counted in *ret_len).
 * Returns 0, -EINVAL for bad input, -EFBIG when inlen > max_in, -ENOMEM.
 */
int b64url_decode(const char *in, size_t inlen, size_t max_in,
		  unsigned char **ret, size_t *ret_len);

/* Encode without padding; the result is NUL-terminated. 0 or -ENOMEM. */
int b64url_encode(const unsigned char *in, size_t inlen, char **ret, size_t *ret_len);

#endif
