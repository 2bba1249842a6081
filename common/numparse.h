/* SPDX-License-Identifier: BSD-2-Clause */
/* Checked number parsing: the only way this project turns text into numbers. */
#ifndef OIDC_NUMPARSE_H
#define OIDC_NUMPARSE_H

#include <stdint.h>
#include <stddef.h>

/*
 * Parse a whole decimal integer (optional leading '-', no spaces, no '+',
 * no trailing characters) within [min, max].  Returns 0 and sets *ret on
 * success, -EINVAL for bad syntax, -ERANGE when out of range.
 */
int num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *ret);

/* As num_parse_i64 for a counted string (not NUL-terminated). */
int num_parse_i64n(const char *s, size_t len, int64_t min, int64_t max, int64_t *ret);

/* Unsigned variant; accepts base 10 only. */
int num_parse_u64(const char *s, uint64_t max, uint64_t *ret);

/* Hexadecimal unsigned (no 0x prefix) within max. */
int num_parse_hex_u64(const char *s, size_t len, uint64_t max, uint64_t *ret);

/*
 * Read a kernel setting such as /proc/self/loginuid: a small file (not
 * through a symbolic link) holding one decimal integer within [min, max]
 * and a newline.  0 and *ret on success, -errno from open or read, or the
 * parse errors above (an empty file is -EINVAL).
 */
int num_read_file(const char *path, int64_t min, int64_t max, int64_t *ret);

#endif
