/* SPDX-License-Identifier: BSD-2-Clause */
/* A QR code of the verification link, drawn for a terminal with Unicode half blocks. */
#ifndef OIDC_QR_H
#define OIDC_QR_H

#include <stdbool.h>
#include <stddef.h>

struct oidc_err;

/* Longest text we encode; a longer link is shown as text only. */
#define QR_MAX_TEXT 512
/* Widest drawing in terminal columns (symbol plus quiet zone). */
#define QR_MAX_COLUMNS 80

/*
 * Draw text as a QR code: one terminal line per two module rows, light
 * modules and a two-module quiet zone as filled blocks (readable on the
 * usual dark terminal background), lines ended by '\n'.  On success
 * *ret is a NUL-terminated string the caller frees.  Returns 0, -EFBIG
 * when the text or the drawing is too large for a terminal, -EINVAL for
 * text the encoder refuses, -ENOMEM.
 */
int qr_render(const char *text, char **ret, struct oidc_err *err);

/*
 * The rule of qr=auto, given the locale in effect (the first set of
 * LC_ALL, LC_CTYPE, LANG; NULL when none is set): true when no locale is
 * set (sshd authenticates before the client's locale is known, and
 * terminals today are UTF-8) or the locale names the UTF-8 codeset
 * ("UTF-8" or "utf8", any case); false for "C", "POSIX" and every other
 * codeset, where half blocks would print as garbage.
 */
bool qr_auto_wanted(const char *locale);

#endif
