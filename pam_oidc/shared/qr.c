/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The QR code is a convenience next to the link and code, never instead
 * of them: any failure here only means no drawing.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <qrencode.h>

#include "buf.h"
#include "oidc_err.h"
#include "qr.h"

#define QR_QUIET 2

static const char BLOCK_FULL[] = "\xe2\x96\x88";	/* U+2588 */
static const char BLOCK_UPPER[] = "\xe2\x96\x80";	/* U+2580 */
static const char BLOCK_LOWER[] = "\xe2\x96\x84";	/* U+2584 */

/* A module counts as light outside the symbol (the quiet zone). */
static bool
module_light(const QRcode *q, int x, int y)
{
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return true;
	return (q->data[y * q->width + x] & 1) == 0;
}

/* See qr.h. */
int
qr_render(const char *text, char **ret, struct oidc_err *err)
{
	QRcode *q = NULL;
	struct buf b;
	int x, y, side, r;
	bool top, bottom;
	const char *cell;

	buf_init(&b, 64 * 1024);
	if (text == NULL || ret == NULL) {
		r = oidc_err_set(err, OIDC_R_USAGE, EINVAL, "no text to encode");
		goto out;
	}
	if (strlen(text) > QR_MAX_TEXT) {
		r = oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG, "link too long for a QR code");
		goto out;
	}
	q = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
	if (q == NULL) {
		r = oidc_err_set(err, errno == ENOMEM ? OIDC_R_INTERNAL : OIDC_R_USAGE,
				 errno == ENOMEM ? ENOMEM : EINVAL, "QR encoding failed");
		goto out;
	}
	side = q->width + 2 * QR_QUIET;
	if (side > QR_MAX_COLUMNS) {
		r = oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG, "QR code wider than a terminal");
		goto out;
	}
	for (y = -QR_QUIET; y < q->width + QR_QUIET; y += 2) {
		for (x = -QR_QUIET; x < q->width + QR_QUIET; x++) {
			top = module_light(q, x, y);
			/* an odd last row has nothing below it: draw it dark */
			bottom = y + 1 < q->width + QR_QUIET && module_light(q, x, y + 1);
			if (top && bottom)
				cell = BLOCK_FULL;
			else if (top)
				cell = BLOCK_UPPER;
			else if (bottom)
				cell = BLOCK_LOWER;
			else
				cell = " ";
			if ((r = buf_append_str(&b, cell)) < 0)
				goto fail;
		}
		if ((r = buf_append(&b, "\n", 1)) < 0)
			goto fail;
	}
	*ret = buf_steal(&b, NULL);
	if (*ret == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	r = 0;
	goto out;
fail:
	oidc_err_set(err, r == -EFBIG ? OIDC_R_TOO_LARGE : OIDC_R_INTERNAL, -r,
		     "QR drawing failed");
out:
	if (q != NULL)
		QRcode_free(q);
	buf_free(&b);
	return r;
}

/* See qr.h. */
bool
qr_auto_wanted(const char *locale)
{
	const char *dot;

	if (locale == NULL || *locale == '\0')
		return true;
	dot = strchr(locale, '.');
	if (dot == NULL)
		return false;
	dot++;
	return strncasecmp(dot, "utf-8", 5) == 0 || strncasecmp(dot, "utf8", 4) == 0;
}
