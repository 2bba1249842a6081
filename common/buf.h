/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bounded dynamic buffer.  Every buffer has a maximum; appending past it
 * fails with -EFBIG and leaves the buffer as it was.  The contents are
 * always NUL-terminated (the terminator is not counted in len).  buf_free
 * wipes the memory before releasing it, so a buffer may hold secrets.
 */
#ifndef OIDC_BUF_H
#define OIDC_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

/* Initialise an empty buffer that may grow to max bytes (max > 0). */
void buf_init(struct buf *b, size_t max);

/* Append n bytes; returns 0, -EFBIG over the maximum, -ENOMEM. */
int buf_append(struct buf *b, const void *p, size_t n);

/* Append a NUL-terminated string. */
int buf_append_str(struct buf *b, const char *s);

/* Wipe and free the contents; the buffer is empty and reusable after. NULL-safe. */
void buf_free(struct buf *b);

/*
 * Hand the contents to the caller (NUL-terminated, caller frees with
 * secure_free); the buffer is empty afterwards.  Returns NULL if empty and
 * nothing was ever allocated; in that case it returns a fresh "" string.
 */
char *buf_steal(struct buf *b, size_t *ret_len);

/* Wipe n bytes of p and free it.  NULL-safe. */
void secure_free(void *p, size_t n);

/* Wipe a NUL-terminated string and free it.  NULL-safe. */
void secure_free_str(char *s);

#endif
