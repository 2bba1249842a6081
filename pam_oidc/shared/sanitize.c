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
#include "text.h"

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
	size_t o = 0, i = 0, len, n;
	uint32_t cp;
	int sl;

	if (in == NULL || out == NULL || outsz == 0)
		return -EINVAL;
	len = strlen(in);
	while (i < len) {
		sl = text_utf8_decode(in + i, len - i, &cp);
		if (sl < 0) {
			i++;
			continue;
		}
		n = (size_t)sl;
		if (ascii_word ? (cp < 0x21 || cp > 0x7e) : !printable_cp(cp)) {
			i += n;
			continue;
		}
		if (o + n >= outsz) {
			out[o] = '\0';
			return -EFBIG;
		}
		memcpy(out + o, in + i, n);
		o += n;
		i += n;
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
