/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz the strict base64url decoder; anything it accepts must round-trip. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "b64url.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *out = NULL;
	char *again = NULL;
	size_t outlen = 0, againlen = 0;

	if (b64url_decode((const char *)data, size, 1 << 20, &out, &outlen) == 0) {
		/* Strict decoding means the encoding is canonical: it must re-encode identically. */
		if (b64url_encode(out, outlen, &again, &againlen) != 0 || againlen != size ||
		    memcmp(again, data, size) != 0)
			abort();
	}
	free(out);
	free(again);
	return 0;
}
