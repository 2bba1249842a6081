/* SPDX-License-Identifier: BSD-2-Clause */
/* Small helpers shared by the cmocka tests. */
#ifndef OIDC_TESTHELP_H
#define OIDC_TESTHELP_H

#include <stddef.h>

/* Read a whole file; aborts the test on failure.  Result NUL-terminated. */
char *th_read_file(const char *path, size_t *ret_len);

/* $top_srcdir/rel (top_srcdir from the environment, else "."). Caller frees. */
char *th_srcpath(const char *rel);

/* $SHARED_DIR/rel, the shared/ directory beside the checkout. Caller frees. */
char *th_sharedpath(const char *rel);

#endif
