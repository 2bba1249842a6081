/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Provider strings reach a person's terminal.  A hostile or broken provider
 * must not be able to move the cursor, retitle the window, hide part of a
 * link or reorder it with bidi controls, so everything that is not plainly
 * printable is dropped rather than escaped.  What counts as not printable
 * is text_cp_unsafe() (common/text.h), the classification the journal's
 * MESSAGE escaping shares.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "sanitize.h"
#include "text.h"

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
		if (ascii_word ? (cp < 0x21 || cp > 0x7e) : text_cp_unsafe(cp)) {
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
