/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The on-disk cache that discovery and the JWKS share (cache.h): keys,
 * and the cache's file policy on common/safefile.h.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "buf.h"
#include "cache.h"
#include "http.h"
#include "oidc_err.h"
#include "safefile.h"
#include "text.h"

/* Hex SHA-256 of a "\n" b; see cache.h. */
int
cache_key(const char *a, const char *b, char ret[CACHE_KEY_LEN])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int ok;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, a, strlen(a)) == 1 &&
	     (b == NULL || (EVP_DigestUpdate(ctx, "\n", 1) == 1 &&
			    EVP_DigestUpdate(ctx, b, strlen(b)) == 1)) &&
	     EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == sizeof(md);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -EIO;
	return text_hex_encode(md, sizeof(md), ret, CACHE_KEY_LEN) < 0 ? -EIO : 0;
}

/* One length-prefixed part (NULL distinct from ""); 1 or 0 from OpenSSL. */
static int
cache_digest_part(EVP_MD_CTX *ctx, const char *s)
{
	unsigned char hdr[9];
	uint64_t n = s != NULL ? strlen(s) : 0;
	size_t i;

	hdr[0] = s != NULL;
	for (i = 0; i < 8; i++)
		hdr[1 + i] = (unsigned char)(n >> (8 * (7 - i)));
	return EVP_DigestUpdate(ctx, hdr, sizeof(hdr)) == 1 &&
	       (n == 0 || EVP_DigestUpdate(ctx, s, (size_t)n) == 1);
}

/* Hex SHA-256 over a document's kind, origin and trust settings; see cache.h. */
int
cache_doc_key(const char *kind, const char *issuer, const char *url, const char *client_id,
	      const struct http_opts *http, char ret[CACHE_KEY_LEN])
{
	/* "" and NULL both mean no proxy (http.h): one key for both */
	const char *proxy = http->proxy != NULL && http->proxy[0] != '\0' ? http->proxy : NULL;
	const char *const parts[] = { kind, issuer, url, client_id, http->ca_file, proxy };
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	size_t i;
	int ok;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	for (i = 0; ok && i < sizeof(parts) / sizeof(parts[0]); i++)
		ok = cache_digest_part(ctx, parts[i]);
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == sizeof(md);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -EIO;
	return text_hex_encode(md, sizeof(md), ret, CACHE_KEY_LEN) < 0 ? -EIO : 0;
}

/* The cache's policy (cache.h): root or the euid, not group/other-writable. */
static const struct sf_policy cache_policy = {
	.owner = SF_OWNER_ROOT_OR_EUID,
	.forbidden = S_IWGRP | S_IWOTH,
	.flags = SF_MKDIR,
};

/* Open (and create) the cache directory; see cache.h. */
int
cache_dir_open(const char *path)
{
	return sf_dir_open(path, &cache_policy, NULL);
}

/* Read a cache file that passes the ownership checks; see cache.h. */
int
cache_read(int dfd, const char *name, size_t max, char **ret, size_t *ret_len,
	   int64_t *ret_mtime)
{
	struct sf_policy pol = cache_policy;
	struct stat st;
	struct buf b;
	int r;

	pol.max_size = max;
	r = sf_read_file(dfd, name, &pol, &b, &st, NULL);
	if (r < 0)
		return r;
	*ret = buf_steal(&b, ret_len);
	buf_free(&b);
	if (*ret == NULL)
		return -ENOMEM;
	*ret_mtime = (int64_t)st.st_mtime;
	return 0;
}

/* Atomically replace a cache file; see cache.h. */
int
cache_write(int dfd, const char *name, const void *data, size_t len)
{
	return sf_write_atomic(dfd, name, data, len, NULL);
}
