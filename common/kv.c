/* SPDX-License-Identifier: BSD-2-Clause */
/* "key = value" files; see kv.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "kv.h"
#include "oidc_err.h"
#include "safefile.h"

static bool
kv_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trim spaces, tabs and CRs at both ends of [*s, *e). */
static void
kv_trim(char **s, char **e)
{
	while (*s < *e && kv_is_space(**s))
		(*s)++;
	while (*e > *s && kv_is_space((*e)[-1]))
		(*e)--;
}

/* Parse "key = value" lines; see kv.h. */
int
kv_parse(const char *name, char *text, size_t len, unsigned flags, kv_fn fn, void *ctx,
	 struct oidc_err *err)
{
	struct oidc_err e;
	char *line = text, *end = text + len, *nl, *eq, *ks, *ke, *vs, *ve;
	unsigned lineno = 0;
	int r;

	for (; line < end; line = nl + 1) {
		lineno++;
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		ks = line;
		ke = nl;
		if ((flags & KV_INLINE_COMMENT) &&
		    (eq = memchr(ks, '#', (size_t)(ke - ks))) != NULL)
			ke = eq;
		kv_trim(&ks, &ke);
		if (ks == ke || *ks == '#')
			continue;
		if (ke - ks > KV_LINE_MAX)
			return oidc_err_set(err, OIDC_R_CONFIG, E2BIG,
					    "%s:%u: line longer than %d bytes", name, lineno,
					    KV_LINE_MAX);
		eq = memchr(ks, '=', (size_t)(ke - ks));
		if (eq == NULL)
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "%s:%u: expected 'key = value'", name, lineno);
		vs = eq + 1;
		ve = ke;
		ke = eq;
		kv_trim(&ks, &ke);
		kv_trim(&vs, &ve);
		if (ks == ke)
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "%s:%u: missing option name", name, lineno);
		*ke = '\0';
		*ve = '\0';
		oidc_err_clear(&e);
		r = fn(ctx, ks, vs, lineno, &e);
		if (r < 0)
			return oidc_err_set(err, e.reason != OIDC_R_NONE ? e.reason : OIDC_R_CONFIG,
					    -r, "%s:%u: %s", name, lineno,
					    e.msg[0] != '\0' ? e.msg : strerror(-r));
	}
	return 0;
}

/* The message for a file that safefile.h refused. */
static int
kv_file_error(const char *path, const struct sf_policy *pol, int r, enum sf_fail fail,
	      struct oidc_err *err)
{
	switch (fail) {
	case SF_FAIL_OPEN:
		if (r == -ENOENT)
			return oidc_err_set(err, OIDC_R_CONFIG, ENOENT, "%s: no such file", path);
		if (r == -ELOOP)
			return oidc_err_set(err, OIDC_R_CONFIG, ELOOP, "%s: is a symbolic link",
					    path);
		return oidc_err_set(err, OIDC_R_CONFIG, -r, "%s: cannot open: %s", path,
				    strerror(-r));
	case SF_FAIL_STAT:
		return oidc_err_set(err, OIDC_R_CONFIG, -r, "%s: cannot stat", path);
	case SF_FAIL_TYPE:
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "%s: not a regular file", path);
	case SF_FAIL_OWNER:
		if (pol->owner == SF_OWNER_ROOT_OR_EUID && geteuid() != 0)
			return oidc_err_set(err, OIDC_R_CONFIG, EPERM,
					    "%s: not owned by root or uid %u", path,
					    (unsigned)geteuid());
		return oidc_err_set(err, OIDC_R_CONFIG, EPERM, "%s: not owned by root", path);
	case SF_FAIL_MODE:
		return oidc_err_set(err, OIDC_R_CONFIG, EPERM, "%s: writable by group or others",
				    path);
	case SF_FAIL_SIZE:
		return oidc_err_set(err, OIDC_R_CONFIG, EFBIG, "%s: larger than %zu bytes", path,
				    pol->max_size);
	case SF_FAIL_NUL:
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "%s: contains a NUL byte", path);
	default:
		if (r == -ENOMEM)
			return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		return oidc_err_set(err, OIDC_R_CONFIG, -r, "%s: read error", path);
	}
}

/* Read a configuration file safely and parse it; see kv.h. */
int
kv_read_file(const char *path, size_t max_size, unsigned flags, kv_fn fn, void *ctx,
	     struct oidc_err *err)
{
	const struct sf_policy pol = {
		.owner = (flags & KV_ROOT_OWNED) ? SF_OWNER_ROOT : SF_OWNER_ROOT_OR_EUID,
		.forbidden = S_IWGRP | S_IWOTH,
		.max_size = max_size,
		.flags = SF_NO_NUL,
	};
	enum sf_fail fail = SF_FAIL_NONE;
	struct buf text;
	int r;

	buf_init(&text, max_size);
	r = sf_read_file(AT_FDCWD, path, &pol, &text, NULL, &fail);
	if (r < 0) {
		r = kv_file_error(path, &pol, r, fail, err);
		goto out;
	}
	r = kv_parse(path, text.data, text.len, flags, fn, ctx, err);
out:
	buf_free(&text);
	return r;
}

/* Parse a boolean word; see kv.h. */
int
kv_parse_bool(const char *v, bool *ret)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
	    strcmp(v, "on") == 0)
		*ret = true;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
		 strcmp(v, "off") == 0)
		*ret = false;
	else
		return -EINVAL;
	return 0;
}
