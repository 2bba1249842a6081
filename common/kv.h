/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * "key = value" files, the format of pam_oidc.conf and oidc-audit.conf.
 * One setting a line; blank lines and lines whose first non-blank is '#'
 * are skipped (with KV_INLINE_COMMENT a '#' anywhere starts a comment);
 * spaces, tabs and a CR around keys and values are trimmed; the value is
 * everything after the first '='.  A file is read through safefile.h as a
 * configuration file must be: a regular file, not a symbolic link, owned
 * by root (or the effective uid), not group- or other-writable, no NUL
 * byte, at most max_size bytes.  Every error names the file, and the line
 * where there is one ("FILE:LINE: message").
 */
#ifndef OIDC_KV_H
#define OIDC_KV_H

#include <stdbool.h>
#include <stddef.h>

struct oidc_err;

/* Longest setting on a line (blanks and comments around it not counted). */
#define KV_LINE_MAX 8192

#define KV_INLINE_COMMENT 0x1u /* '#' anywhere on a line starts a comment */
#define KV_ROOT_OWNED	  0x2u /* kv_read_file: the file must be owned by root, not by the euid */

/*
 * Called for each setting with the trimmed key and value and the line
 * number (from 1).  Returns 0, or a negative errno with err filled; the
 * reader then fails with that errno and "FILE:LINE: " before the message.
 */
typedef int (*kv_fn)(void *ctx, const char *key, const char *value, unsigned line,
		     struct oidc_err *err);

/*
 * Parse text (len bytes, NUL-terminated, no NUL inside; changed in place)
 * line by line, calling fn for each setting.  name is the file name for
 * the messages.  Returns 0 or the first negative errno with err filled.
 */
int kv_parse(const char *name, char *text, size_t len, unsigned flags, kv_fn fn, void *ctx,
	     struct oidc_err *err);

/*
 * Read the file at path safely (see above) and kv_parse() it.  Returns 0
 * or a negative errno with err filled: -ENOENT (missing), -ELOOP (a
 * symbolic link), -EINVAL (not a regular file, a NUL byte, a syntax
 * error), -EPERM (owner or mode), -EFBIG (over max_size), or what open(2),
 * read(2) or fn returned.
 */
int kv_read_file(const char *path, size_t max_size, unsigned flags, kv_fn fn, void *ctx,
		 struct oidc_err *err);

/* yes/true/on/1 or no/false/off/0 into *ret; returns 0 or -EINVAL (*ret untouched). */
int kv_parse_bool(const char *value, bool *ret);

#endif
