/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Make a string from the identity provider safe to show on a terminal:
 * no control characters, no escape sequences, no invalid UTF-8, no
 * bidirectional overrides that could make a link read differently from
 * what it is.
 */
#ifndef OIDC_SANITIZE_H
#define OIDC_SANITIZE_H

#include <stddef.h>

/*
 * Copy in to out (NUL-terminated, at most outsz bytes including the NUL),
 * dropping C0 and C1 control characters (ESC and so every escape sequence
 * introducer among them), DEL, Unicode bidi controls and invalid or overlong
 * UTF-8.  Returns the number of bytes written (without the NUL), or
 * -EFBIG when the result would not fit (out then holds a truncated copy that
 * never ends in a partial character), -EINVAL for a NULL argument or outsz 0.
 */
int sanitize_text(const char *in, char *out, size_t outsz);

/*
 * Stricter form for values that must be a single word, such as a link or a
 * user code: only printable ASCII 0x21..0x7e is kept.  Same returns.
 */
int sanitize_word(const char *in, char *out, size_t outsz);

#endif
