/* SPDX-License-Identifier: BSD-2-Clause */
/* The provider's JWKS with the on-disk cache (cache.h) and a refetch throttle. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "clock.h"
#include "conf.h"
#include "jwks_fetch.h"
#include "http.h"
#include "jwks.h"
#include "numparse.h"
#include "oidc_err.h"
#include "safefile.h"

static bool
jwks_is_json(const char *ct)
{
	return strcmp(ct, "application/json") == 0 || strcmp(ct, "application/jwk-set+json") == 0;
}

/* Fetch and parse the JWKS; the caller keeps resp (the body, for the cache) and frees it. */
static int
jwks_fetch(const struct http_opts *http, const struct oidc_provider *p, struct jwks **ret,
	   struct http_response *resp, struct oidc_err *err)
{
	struct http_opts opts = *http;
	int r;

	opts.max_body = JWKS_MAX_SIZE;
	r = http_get(&opts, p->jwks_uri, resp, err);
	if (r < 0)
		return r;
	if (resp->status != 200)
		return oidc_err_set(err, OIDC_R_HTTP, EPROTO, "JWKS at %.128s: HTTP status %ld",
				    p->jwks_uri, resp->status);
	if (!jwks_is_json(resp->content_type))
		return oidc_err_set(err, OIDC_R_MALFORMED, EPROTO,
				    "JWKS at %.128s: content type '%.64s' is not JSON", p->jwks_uri,
				    resp->content_type);
	return jwks_parse(resp->body, resp->body_len, ret, err);
}

/*
 * Lock the cache directory, waiting no longer than wait_ms: a holder that
 * was stopped (a sudo caller may signal his own login's child) must not
 * hold a login past its deadline.  Returns 0 or -errno (-ETIMEDOUT).
 */
static int
jwks_lock(int dfd, int64_t wait_ms)
{
	const struct timespec pause = { 0, 20 * 1000 * 1000 };
	int64_t deadline = clock_mono_ms() + wait_ms;

	for (;;) {
		if (flock(dfd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		if (clock_mono_ms() >= deadline)
			return -ETIMEDOUT;
		(void)nanosleep(&pause, NULL);
	}
}

/*
 * Claim the right to refetch now: at most once per jwks_refresh_interval,
 * recorded in a stamp file before the fetch.  Any doubt refuses (the
 * throttle fails closed), and so does a lock not had within wait_ms.
 * Returns 0 or -EAGAIN with err filled.
 */
static int
jwks_throttle(const struct oidc_conf *conf, int dfd, const char *stamp, int64_t now,
	      int64_t wait_ms, struct oidc_err *err)
{
	char *text = NULL, buf[32];
	size_t len = 0;
	int64_t mtime, last;
	int r, n;

	if (dfd < 0)
		return oidc_err_set(err, OIDC_R_THROTTLED, EAGAIN,
				    "JWKS refresh refused: no usable cache directory to record it");
	if (jwks_lock(dfd, wait_ms) < 0)
		return oidc_err_set(err, OIDC_R_THROTTLED, EAGAIN,
				    "JWKS refresh refused: the cache directory stayed locked");
	r = cache_read(dfd, stamp, 32, &text, &len, &mtime);
	if (r == 0 && num_parse_i64(text, 0, INT64_MAX, &last) < 0)
		last = INT64_MAX;	/* unreadable content: treat as "just now", below */
	if (r == 0) {
		if (last <= now && now - last < conf->jwks_refresh_interval) {
			r = oidc_err_set(err, OIDC_R_THROTTLED, EAGAIN,
					 "JWKS refresh refused: last one %" PRId64
					 " s ago, interval %" PRId64 " s",
					 now - last, conf->jwks_refresh_interval);
			goto out;
		}
		if (last > now) {
			/*
			 * The clock stepped back, or the stamp is garbled:
			 * refuse now and restart the interval from the
			 * current time.
			 */
			n = snprintf(buf, sizeof(buf), "%" PRId64, now);
			if (n > 0 && (size_t)n < sizeof(buf))
				(void)cache_write(dfd, stamp, buf, (size_t)n);
			r = oidc_err_set(err, OIDC_R_THROTTLED, EAGAIN,
					 "JWKS refresh refused: refresh stamp is in the future or unreadable");
			goto out;
		}
	} else if (r != -ENOENT) {
		r = oidc_err_set(err, OIDC_R_THROTTLED, EAGAIN,
				 "JWKS refresh refused: cannot read the refresh stamp");
		goto out;
	}
	n = snprintf(buf, sizeof(buf), "%" PRId64, now);
	if (n < 0 || (size_t)n >= sizeof(buf) || cache_write(dfd, stamp, buf, (size_t)n) < 0) {
		r = oidc_err_set(err, OIDC_R_THROTTLED, EAGAIN,
				 "JWKS refresh refused: cannot write the refresh stamp");
		goto out;
	}
	r = 0;
out:
	if (text != NULL)
		secure_free(text, len + 1);
	(void)flock(dfd, LOCK_UN);
	return r;
}

/* Get the provider's JWKS from the cache or the network; see jwks_fetch.h. */
int
jwks_load(const struct oidc_conf *conf, const struct http_opts *http, const struct oidc_provider *p,
	  int64_t now, bool force_refresh, struct jwks **ret, struct oidc_err *err)
{
	struct http_response resp = { 0 };
	char key[CACHE_KEY_LEN], name[CACHE_KEY_LEN + 16], stamp[CACHE_KEY_LEN + 16];
	char *cached = NULL;
	size_t cached_len = 0;
	int64_t mtime;
	int dfd = -1, r;

	if (p == NULL || p->jwks_uri == NULL || p->issuer == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "no jwks_uri");
	/*
	 * The set is keyed by every setting that decides trust; the refetch
	 * stamp by the provider's key set alone, so that several
	 * configurations cannot multiply the refetches the throttle allows.
	 */
	/*
	 * The key set is the provider's, not a client's: keyed by where it
	 * came from and the transport that decided trust, never by client_id,
	 * so that clients sharing a cache see one rotation, as they share
	 * one refetch throttle.
	 */
	if (cache_doc_key("jwks", p->issuer, p->jwks_uri, NULL, http, key) < 0)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "cannot hash the cache key");
	snprintf(name, sizeof(name), "jwks-%s.json", key);
	if (cache_key(p->issuer, p->jwks_uri, key) < 0)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "cannot hash the JWKS URI");
	snprintf(stamp, sizeof(stamp), "jwks-%s.stamp", key);

	if (conf->cache_dir != NULL)
		dfd = cache_dir_open(conf->cache_dir);

	if (force_refresh) {
		/* the lock waits no longer than the request may take */
		r = jwks_throttle(conf, dfd, stamp, now, http->timeout_ms, err);
		if (r < 0)
			goto out;
	} else if (dfd >= 0 && conf->jwks_ttl > 0 &&
		   cache_read(dfd, name, JWKS_MAX_SIZE, &cached, &cached_len, &mtime) == 0 &&
		   now >= mtime && now - mtime < conf->jwks_ttl) {
		struct oidc_err cerr;

		oidc_err_clear(&cerr);
		if (jwks_parse(cached, cached_len, ret, &cerr) == 0) {
			r = 0;
			goto out;
		}
		/* An unusable cached copy is replaced by a fresh fetch. */
	}

	r = jwks_fetch(http, p, ret, &resp, err);
	if (r < 0)
		goto out;
	(*ret)->fetched = true; /* not worth a refetch for a bad signature (verify_token) */
	if (dfd >= 0 && conf->jwks_ttl > 0)
		(void)cache_write(dfd, name, resp.body, resp.body_len);	/* best effort */
out:
	if (cached != NULL)
		secure_free(cached, cached_len + 1);
	http_response_free(&resp);
	if (dfd >= 0)
		close(dfd);
	return r;
}

/* jwks_load() as a verify_token() key source (see jwks_fetch.h). */
int
jwks_net_load(void *ctx, bool refresh, const struct jwks **ret, struct oidc_err *err)
{
	struct jwks_net *n = ctx;
	struct jwks *set = NULL;
	int r;

	r = jwks_load(n->conf, &n->http, n->prov, n->now, refresh, &set, err);
	if (r < 0)
		return r;
	jwks_free(n->set);
	n->set = set;
	*ret = set;
	return 0;
}
