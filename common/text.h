/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Text at the byte level, one copy of each: the UTF-8 decoder and encoder
 * that decide what "valid UTF-8" means everywhere (JSON, terminal
 * sanitising, journald values), and hex digits in both directions (audit
 * values, percent-encoding, random handles and ids).
 */
#ifndef OIDC_TEXT_H
#define OIDC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest UTF-8 sequence. */
#define TEXT_UTF8_MAX 4

/*
 * Decode the UTF-8 sequence at the start of s[0..len), well-formed as RFC
 * 3629 defines it: no overlong form, no surrogate (U+D800..U+DFFF), nothing
 * above U+10FFFF, every continuation byte present.  Bytes below 0x80,
 * NUL included, are one-byte sequences.  Returns the sequence's length
 * (1..4) and sets *ret_cp (which may be NULL); -EILSEQ when s starts with
 * anything else (a continuation byte without a lead, a lead byte that
 * cannot start a sequence, a truncated or ill-formed sequence); -EINVAL
 * when len is 0.
 */
int text_utf8_decode(const char *s, size_t len, uint32_t *ret_cp);

/*
 * Write the UTF-8 encoding of cp to out.  Returns its length (1..4), or
 * -EINVAL for a surrogate or a value above U+10FFFF (out untouched).
 */
int text_utf8_encode(uint32_t cp, char out[TEXT_UTF8_MAX]);

/*
 * True when code point cp must not reach a person's screen as it is: the
 * C0 controls, DEL and the C1 controls U+0080..U+009F (ESC and CSI start
 * terminal escape sequences), and the marks that reorder or hide text
 * without showing themselves: LRM and RLM (U+200E, U+200F), the Arabic
 * letter mark (U+061C), the bidi embeddings and overrides
 * (U+202A..U+202E), the bidi isolates (U+2066..U+2069) and the byte order
 * mark / zero-width no-break space (U+FEFF).  The one classification that
 * the login prompt's sanitiser drops and the journal's MESSAGE and
 * `oidc-audit search` escape.
 */
bool text_cp_unsafe(uint32_t cp);

/* The value (0..15) of one hex digit, 0-9, a-f or A-F; -EINVAL for any other byte. */
int text_hex_digit(char c);

/*
 * Write the two hex digits of b to out[0], out[1] (no NUL): lowercase, or
 * uppercase when upper is true (percent-encoding, RFC 3986 2.1).
 */
void text_hex_byte(unsigned char b, bool upper, char out[2]);

/*
 * Encode n bytes as 2n lowercase hex digits and a NUL into out.  Returns 0,
 * or -ENOBUFS when outsz < 2n + 1 (out untouched).
 */
int text_hex_encode(const void *data, size_t n, char *out, size_t outsz);

/*
 * Decode len hex digits (either case) into len / 2 bytes at out; nothing
 * else is written (no NUL).  Returns 0; -EINVAL for an odd length or a
 * byte that is not a hex digit; -ENOBUFS when outsz < len / 2.  On failure
 * out is untouched.
 */
int text_hex_decode(const char *s, size_t len, void *out, size_t outsz);

/*
 * True when s[0..len) is not empty and only lowercase hex digits: the form
 * text_hex_encode writes, which names and ids made with it must keep.
 */
bool text_hex_is_lower(const char *s, size_t len);

#endif
