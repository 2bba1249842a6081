/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Strict base64url (RFC 4648 section 5) as JWS uses it (RFC 7515 section 2):
 * no padding, nothing outside the alphabet, and only the canonical encoding
 * of each byte string is accepted, so one token has exactly one spelling.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "b64url.h"
#include "buf.h"

static const char b64url_alphabet[64] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The 6-bit value of c, or -1 when c is not in the base64url alphabet. */
static int
b64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/*
 * Decode in[0..inlen) strictly into a fresh NUL-terminated buffer.
 * Returns 0, -EINVAL (bad character, length 1 mod 4, non-zero unused
 * bits), -EFBIG (inlen > max_in) or -ENOMEM.
 */
int
b64url_decode(const char *in, size_t inlen, size_t max_in,
	      unsigned char **ret, size_t *ret_len)
{
	unsigned char *out = NULL;
	size_t outcap, o = 0, i;
	uint32_t acc = 0;
	unsigned nbits = 0;
	int v, r;

	if (in == NULL && inlen > 0)
		return -EINVAL;
	if (inlen > max_in)
		return -EFBIG;
	if (inlen % 4 == 1)
		return -EINVAL;
	outcap = inlen / 4 * 3 + (inlen % 4 ? inlen % 4 - 1 : 0);
	out = malloc(outcap + 1);
	if (out == NULL)
		return -ENOMEM;
	for (i = 0; i < inlen; i++) {
		v = b64url_value((unsigned char)in[i]);
		if (v < 0) {
			r = -EINVAL;
			goto out;
		}
		acc = (acc << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			out[o++] = (unsigned char)(acc >> nbits);
			acc &= (1u << nbits) - 1;
		}
	}
	/* Left-over bits (2 or 4) must be zero in the canonical encoding. */
	if (acc != 0) {
		r = -EINVAL;
		goto out;
	}
	out[o] = '\0';
	*ret = out;
	*ret_len = o;
	out = NULL;
	r = 0;
out:
	if (out != NULL)
		secure_free(out, outcap + 1);
	return r;
}

/*
 * Encode in[0..inlen) as unpadded base64url into a fresh NUL-terminated
 * string.  Returns 0 or -ENOMEM.
 */
int
b64url_encode(const unsigned char *in, size_t inlen, char **ret, size_t *ret_len)
{
	char *out;
	size_t olen, i, o = 0;
	uint32_t v;

	if (inlen > (SIZE_MAX - 4) / 4 * 3)
		return -ENOMEM;
	olen = inlen / 3 * 4 + (inlen % 3 ? inlen % 3 + 1 : 0);
	out = malloc(olen + 1);
	if (out == NULL)
		return -ENOMEM;
	for (i = 0; i + 3 <= inlen; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64url_alphabet[(v >> 18) & 63];
		out[o++] = b64url_alphabet[(v >> 12) & 63];
		out[o++] = b64url_alphabet[(v >> 6) & 63];
		out[o++] = b64url_alphabet[v & 63];
	}
	if (inlen - i == 1) {
		v = (uint32_t)in[i] << 16;
		out[o++] = b64url_alphabet[(v >> 18) & 63];
		out[o++] = b64url_alphabet[(v >> 12) & 63];
	} else if (inlen - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64url_alphabet[(v >> 18) & 63];
		out[o++] = b64url_alphabet[(v >> 12) & 63];
		out[o++] = b64url_alphabet[(v >> 6) & 63];
	}
	out[o] = '\0';
	*ret = out;
	if (ret_len != NULL)
		*ret_len = o;
	return 0;
}
