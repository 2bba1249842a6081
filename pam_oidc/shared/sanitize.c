/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Provider strings reach a person's terminal.  A hostile or broken provider
 * must not be able to move the cursor, retitle the window, hide part of a
 * link or reorder it with bidi controls, so everything that is not plainly
 * printable is dropped rather than escaped.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "sanitize.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t
utf8_seq(const unsigned char *s, uint32_t *ret_cp)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80) {
		*ret_cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	*ret_cp = cp;
	return n;
}

static int
printable_cp(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return 0;
	if (cp >= 0x80 && cp <= 0x9f)		/* C1 controls, CSI among them */
		return 0;
	if ((cp >= 0x200e && cp <= 0x200f) ||	/* LRM, RLM */
	    (cp >= 0x202a && cp <= 0x202e) ||	/* embeddings, overrides */
	    (cp >= 0x2066 && cp <= 0x2069) ||	/* isolates */
	    cp == 0x061c ||			/* Arabic letter mark */
	    cp == 0xfeff)			/* BOM / zero-width no-break space */
		return 0;
	return 1;
}

static int
sanitize(const char *in, char *out, size_t outsz, int ascii_word)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, n;
	uint32_t cp;

	if (in == NULL || out == NULL || outsz == 0)
		return -EINVAL;
	while (*s != '\0') {
		n = utf8_seq(s, &cp);
		if (n == 0) {
			s++;
			continue;
		}
		if (ascii_word ? (cp < 0x21 || cp > 0x7e) : !printable_cp(cp)) {
			s += n;
			continue;
		}
		if (o + n >= outsz) {
			out[o] = '\0';
			return -EFBIG;
		}
		memcpy(out + o, s, n);
		o += n;
		s += n;
	}
	out[o] = '\0';
	return (int)o;
}

/* See sanitize.h. */
int
sanitize_text(const char *in, char *out, size_t outsz)
{
	return sanitize(in, out, outsz, 0);
}

/* See sanitize.h. */
int
sanitize_word(const char *in, char *out, size_t outsz)
{
	return sanitize(in, out, outsz, 1);
}
