/* SPDX-License-Identifier: BSD-2-Clause */
/* UTF-8 and hex, one copy of each; see text.h. */
#include "config.h"

#include <errno.h>

#include "text.h"

/*
 * The second byte's range decides overlongs, surrogates and the top of
 * Unicode at once (RFC 3629, section 4, the table of well-formed
 * sequences), so the code point is never checked after the fact.
 */

/* See text.h. */
int
text_utf8_decode(const char *s, size_t len, uint32_t *ret_cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	uint32_t cp;
	size_t n, i;

	if (s == NULL || len == 0)
		return -EINVAL;
	if (p[0] < 0x80) {
		if (ret_cp != NULL)
			*ret_cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* below: overlong forms of U+0000..U+07FF */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* above: the surrogates U+D800..U+DFFF */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;	/* below: overlong forms of U+0000..U+FFFF */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above: beyond U+10FFFF */
	} else {
		/*
		 * 0x80..0xbf continue a sequence and cannot start one; 0xc0 and
		 * 0xc1 only start overlong forms; 0xf5..0xff start nothing.
		 */
		return -EILSEQ;
	}
	if (len < n || p[1] < lo || p[1] > hi)
		return -EILSEQ;
	cp = cp << 6 | (p[1] & 0x3f);
	for (i = 2; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return -EILSEQ;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (ret_cp != NULL)
		*ret_cp = cp;
	return (int)n;
}

/* See text.h. */
int
text_utf8_encode(uint32_t cp, char out[TEXT_UTF8_MAX])
{
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return -EINVAL;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* See text.h. */
bool
text_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f ||
	       (cp >= 0x80 && cp <= 0x9f) ||	 /* C1 controls, CSI among them */
	       cp == 0x061c ||			 /* Arabic letter mark */
	       (cp >= 0x200e && cp <= 0x200f) || /* LRM, RLM */
	       (cp >= 0x202a && cp <= 0x202e) || /* embeddings, overrides */
	       (cp >= 0x2066 && cp <= 0x2069) || /* isolates */
	       cp == 0xfeff;			 /* BOM, zero-width no-break space */
}

/* See text.h. */
int
text_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -EINVAL;
}

/* See text.h. */
void
text_hex_byte(unsigned char b, bool upper, char out[2])
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	out[0] = digits[b >> 4];
	out[1] = digits[b & 0xf];
}

/* See text.h. */
int
text_hex_encode(const void *data, size_t n, char *out, size_t outsz)
{
	const unsigned char *p = data;
	size_t i;

	if (outsz == 0 || n > (outsz - 1) / 2)
		return -ENOBUFS;
	for (i = 0; i < n; i++)
		text_hex_byte(p[i], false, out + 2 * i);
	out[2 * n] = '\0';
	return 0;
}

/* See text.h. */
int
text_hex_decode(const char *s, size_t len, void *out, size_t outsz)
{
	unsigned char *o = out;
	size_t i;

	if (len % 2 != 0)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (text_hex_digit(s[i]) < 0)
			return -EINVAL;
	if (outsz < len / 2)
		return -ENOBUFS;
	for (i = 0; i < len; i += 2)
		o[i / 2] = (unsigned char)(text_hex_digit(s[i]) << 4 | text_hex_digit(s[i + 1]));
	return 0;
}

/* See text.h. */
bool
text_hex_is_lower(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}
