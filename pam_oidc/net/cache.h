/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The on-disk cache shared by discovery and the JWKS (private to
 * discovery.c and jwks_fetch.c; cache.c).  The directory must be a real directory
 * (no symlink) owned by root or the effective uid and not writable by
 * group or others; files are read only when they pass the same checks,
 * and written 0600 to a temporary name, then renamed into place (all
 * through common/safefile.h).
 */
#ifndef OIDC_CACHE_H
#define OIDC_CACHE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Hex SHA-256 of a, "\n", b (b may be NULL): 64 characters and a NUL.  The
 * JWKS refetch stamp is named by cache_key(issuer, jwks_uri): one per
 * provider key set, whatever configuration asks.
 */
#define CACHE_KEY_LEN 65
int cache_key(const char *a, const char *b, char ret[CACHE_KEY_LEN]);

struct http_opts;

/*
 * The key of a cached document: hex SHA-256 over its kind ("discovery",
 * "jwks"), the issuer, the URL it was fetched from, the client_id (NULL for the JWKS, which is the provider's) and the
 * transport settings that decided whether the answer was trusted (the CA
 * file and the proxy of http), each length-prefixed so that no two sets of
 * values share a key.  A document fetched under one configuration's trust
 * is so never served to a configuration whose CA or proxy differ.  Returns
 * 0 or a negative errno.
 */
int cache_doc_key(const char *kind, const char *issuer, const char *url, const char *client_id,
		  const struct http_opts *http, char ret[CACHE_KEY_LEN]);

/*
 * Open the cache directory, creating it 0700 when missing (its parent
 * must exist).  Returns an O_DIRECTORY descriptor or a negative errno.
 */
int cache_dir_open(const char *path);

/*
 * Read file name under dfd: a regular file owned by root or the euid, not
 * group/other-writable, at most max bytes.  Returns 0 with *ret
 * (NUL-terminated, caller secure_free()s *ret_len + 1 bytes), *ret_len and
 * *ret_mtime (seconds), or a negative errno (-ENOENT when absent).
 */
int cache_read(int dfd, const char *name, size_t max, char **ret, size_t *ret_len,
	       int64_t *ret_mtime);

/* Replace file name under dfd with data (0600, temp file + rename). Returns 0 or a negative errno. */
int cache_write(int dfd, const char *name, const void *data, size_t len);

#endif
