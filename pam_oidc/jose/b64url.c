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

/*
 * 1 + the 6-bit value of each byte of the alphabet; 0 for every other
 * byte, so lookups minus one are negative exactly for invalid input.
 */
static const unsigned char b64url_values[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7,
	['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14,
	['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21,
	['V'] = 22, ['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28,
	['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35,
	['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49,
	['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
	['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['-'] = 63,
	['_'] = 64,
};

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
	/* Whole quads: OR-ing the values catches any -1 in one test. */
	for (i = 0; i + 4 <= inlen; i += 4) {
		const unsigned char *q = (const unsigned char *)in + i;
		int a = b64url_values[q[0]] - 1, b = b64url_values[q[1]] - 1;
		int c = b64url_values[q[2]] - 1, d = b64url_values[q[3]] - 1;

		if ((a | b | c | d) < 0) {
			r = -EINVAL;
			goto out;
		}
		acc = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
		out[o++] = (unsigned char)(acc >> 16);
		out[o++] = (unsigned char)(acc >> 8);
		out[o++] = (unsigned char)acc;
	}
	/* A tail of 2 or 3 characters carries 1 or 2 bytes. */
	acc = 0;
	nbits = 0;
	for (; i < inlen; i++) {
		v = b64url_values[(unsigned char)in[i]] - 1;
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
