/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * --output json: the journal fields of each entry as one JSON object per
 * line, in the order they are added.  A value that is not valid UTF-8 is
 * written as an array of byte values, as `journalctl -o json` does, so the
 * two outputs are read the same way.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oidc_audit.h"

/* See oidc_audit.h. */
int
sink_json_write(FILE *out, struct jfields *f)
{
	static __thread char *line;
	static __thread size_t cap;
	const char *name, *val;
	size_t nl, vl, len = 0, i;
	int r;

	if (jf_json_value(&line, &len, &cap, "", 0) < 0)	/* ensure a buffer */
		return -ENOMEM;
	len = 0;
	line[len++] = '{';
	for (i = 0; i < f->n; i++) {
		jf_get(f, i, &name, &nl, &val, &vl);
		/* Names are [A-Z0-9_] (checked on add): no escaping needed. */
		if (len + nl + 8 > cap) {
			size_t ncap = cap * 2 + nl + 8;
			char *nd = realloc(line, ncap);

			if (nd == NULL)
				return -ENOMEM;
			line = nd;
			cap = ncap;
		}
		if (i > 0)
			line[len++] = ',';
		line[len++] = '"';
		memcpy(line + len, name, nl);
		len += nl;
		line[len++] = '"';
		line[len++] = ':';
		r = jf_json_value(&line, &len, &cap, val, vl);
		if (r < 0)
			return r;
	}
	if (len + 3 > cap) {
		char *nd = realloc(line, cap + 3);

		if (nd == NULL)
			return -ENOMEM;
		line = nd;
		cap += 3;
	}
	line[len++] = '}';
	line[len++] = '\n';
	if (fwrite(line, 1, len, out) != len)
		return -EIO;
	return 0;
}
