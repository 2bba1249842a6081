/* SPDX-License-Identifier: BSD-2-Clause */
/* Discovery and the JWKS cache against tests/lib/httpsd.js. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "cache.h"
#include "conf.h"
#include "device_flow.h"
#include "discovery.h"
#include "jwks_fetch.h"
#include "http.h"
#include "jwks.h"
#include "keyhelp.h"
#include "net_testlib.h"
#include "oidc_err.h"
#include "verify.h"

static struct nt_server srv;
static unsigned cache_seq;

static int
setup(void **state)
{
	(void)state;
	if (http_global_init() < 0)
		return -1;
	nt_server_start(&srv);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	nt_server_stop(&srv);
	http_global_cleanup();
	return 0;
}

/* A configuration for the issuer at base + path, with a fresh cache directory. */
static void
conf_for(struct oidc_conf *c, const char *path)
{
	char v[256];
	struct oidc_err err;

	oidc_err_clear(&err);
	assert_int_equal(conf_init(c), 0);
	snprintf(v, sizeof(v), "%s%s", srv.base, path);
	assert_int_equal(conf_set(c, "issuer", v, &err), 0);
	assert_int_equal(conf_set(c, "client_id", "test", &err), 0);
	assert_int_equal(conf_set(c, "ca_file", srv.ca_file, &err), 0);
	snprintf(v, sizeof(v), "%s/cache%u", srv.dir, ++cache_seq);
	assert_int_equal(conf_set(c, "cache_dir", v, &err), 0);
	assert_int_equal(conf_validate(c, &err), 0);
}

static int
load(const struct oidc_conf *c, int64_t now, struct oidc_provider **p, struct oidc_err *err)
{
	struct http_opts http;

	oidc_err_clear(err);
	*p = NULL;
	http_opts_from_conf(c, 0, 0, &http);
	return discovery_load(c, &http, now, p, err);
}

/* The name under which discovery caches c's document. */
static void
disc_key(const struct oidc_conf *c, char key[CACHE_KEY_LEN])
{
	struct http_opts http;
	char url[512];

	http_opts_from_conf(c, 0, 0, &http);
	snprintf(url, sizeof(url), "%s/.well-known/openid-configuration", c->issuer);
	assert_int_equal(cache_doc_key("discovery", c->issuer, url, c->client_id, &http, key), 0);
}

/* Set one option of an existing configuration. */
static void
conf_change(struct oidc_conf *c, const char *key, const char *value)
{
	struct oidc_err err;

	oidc_err_clear(&err);
	assert_int_equal(conf_set(c, key, value, &err), 0);
}

static void
test_discovery_ok_and_cache(void **state)
{
	const char *wk = "/good/.well-known/openid-configuration";
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	struct stat st;
	char exp[256], key[CACHE_KEY_LEN], path[512];
	int64_t now = time(NULL), n0 = nt_count(&srv, wk), t0, t_fetch;

	conf_for(&c, "/good");
	t0 = nt_now_ms();
	assert_int_equal(load(&c, now, &p, &err), 0);
	t_fetch = nt_now_ms() - t0;
	assert_string_equal(p->issuer, c.issuer);
	snprintf(exp, sizeof(exp), "%s/good/token", srv.base);
	assert_string_equal(p->token_endpoint, exp);
	snprintf(exp, sizeof(exp), "%s/good/jwks", srv.base);
	assert_string_equal(p->jwks_uri, exp);
	snprintf(exp, sizeof(exp), "%s/good/device", srv.base);
	assert_string_equal(p->device_authorization_endpoint, exp);
	assert_null(p->userinfo_endpoint);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 1);

	/* The cache: directory 0700, file 0600, named by the issuer's hash. */
	assert_int_equal(lstat(c.cache_dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	disc_key(&c, key);
	snprintf(path, sizeof(path), "%s/disc-%s.json", c.cache_dir, key);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* Within the TTL: served from the cache, the server is not asked. */
	now = time(NULL);	/* not earlier than the cache file's mtime */
	t0 = nt_now_ms();
	assert_int_equal(load(&c, now + 10, &p, &err), 0);
	printf("# discovery: fetched in %lld ms, from the cache in %lld ms\n",
	       (long long)t_fetch, (long long)(nt_now_ms() - t0));
	assert_string_equal(p->issuer, c.issuer);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 1);

	/* Past the TTL: fetched again. */
	assert_int_equal(load(&c, now + c.discovery_ttl + 1, &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 2);

	/* discovery_ttl = 0: no cache at all. */
	c.discovery_ttl = 0;
	assert_int_equal(load(&c, now, &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 3);
	conf_free(&c);
	oidc_provider_free(NULL);
}

static void
test_cached_document_revalidated(void **state)
{
	const char *wk = "/good/.well-known/openid-configuration";
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	char key[CACHE_KEY_LEN], path[512], doc[1024];
	int64_t now = time(NULL), n0;
	FILE *f;

	conf_for(&c, "/good");
	assert_int_equal(load(&c, now, &p, &err), 0);
	oidc_provider_free(p);
	n0 = nt_count(&srv, wk);

	/* Plant a fresh cached copy with a plain-http token endpoint. */
	disc_key(&c, key);
	snprintf(path, sizeof(path), "%s/disc-%s.json", c.cache_dir, key);
	snprintf(doc, sizeof(doc),
		 "{\"issuer\":\"%s\",\"token_endpoint\":\"http://127.0.0.1:1/t\","
		 "\"jwks_uri\":\"%s/good/jwks\"}", c.issuer, srv.base);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(doc, f);
	fclose(f);
	now = time(NULL);	/* the planted copy is fresh from here */
	assert_int_equal(load(&c, now + 1, &p, &err), 0);
	assert_int_equal(strncmp(p->token_endpoint, "https://", 8), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 1);

	/* A group-writable cache file is not trusted either. */
	assert_int_equal(chmod(path, 0620), 0);
	assert_int_equal(load(&c, now + 2, &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 2);
	conf_free(&c);
}

static void
test_unsafe_cache_dir(void **state)
{
	const char *wk = "/good/.well-known/openid-configuration";
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	char link[512];
	int64_t now = time(NULL), n0;

	/* A group-writable directory is never used, but discovery still works. */
	conf_for(&c, "/good");
	assert_int_equal(mkdir(c.cache_dir, 0700), 0);
	assert_int_equal(chmod(c.cache_dir, 0770), 0);
	n0 = nt_count(&srv, wk);
	assert_int_equal(load(&c, now, &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(load(&c, now, &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 2);

	/* A symlink to a good directory is not followed. */
	assert_int_equal(chmod(c.cache_dir, 0700), 0);
	snprintf(link, sizeof(link), "%s-link", c.cache_dir);
	assert_int_equal(symlink(c.cache_dir, link), 0);
	free(c.cache_dir);
	c.cache_dir = strdup(link);
	assert_int_equal(load(&c, now, &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(load(&c, now, &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 4);
	conf_free(&c);
}

static void
test_issuer_mismatch(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	int64_t now = time(NULL), n0;
	char want[300];

	/* Configured with a trailing slash: the URL has no "//", but the issuer differs. */
	n0 = nt_count(&srv, "/good/.well-known/openid-configuration");
	conf_for(&c, "/good/");
	assert_true(load(&c, now, &p, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_DISCOVERY);
	assert_null(p);
	assert_int_equal(nt_count(&srv, "/good/.well-known/openid-configuration"), n0 + 1);
	assert_int_equal(nt_count(&srv, "/good//.well-known/openid-configuration"), 0);
	/* the message names the fix: the configured issuer without its slash */
	snprintf(want, sizeof(want), "set issuer = %.*s (without the trailing slash)",
		 (int)strlen(c.issuer) - 1, c.issuer);
	if (strstr(err.msg, want) == NULL)
		fail_msg("'%s' lacks '%s'", err.msg, want);
	conf_free(&c);

	/* The document's issuer has a trailing slash the configuration lacks. */
	conf_for(&c, "/slash");
	assert_true(load(&c, now, &p, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_DISCOVERY);
	snprintf(want, sizeof(want), "set issuer = %s/ (with the trailing slash)", c.issuer);
	if (strstr(err.msg, want) == NULL)
		fail_msg("'%s' lacks '%s'", err.msg, want);
	conf_free(&c);

	/* ... and when both have it, it matches byte for byte. */
	conf_for(&c, "/slash/");
	assert_int_equal(load(&c, now, &p, &err), 0);
	assert_string_equal(p->issuer, c.issuer);
	oidc_provider_free(p);
	conf_free(&c);

	/* Letter case counts, and is no trailing-slash case. */
	conf_for(&c, "/case");
	assert_true(load(&c, now, &p, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_DISCOVERY);
	assert_null(strstr(err.msg, "set issuer"));
	assert_non_null(strstr(err.msg, "another issuer than the configured"));
	conf_free(&c);
}

static void
expect_discovery_failure(const char *path, enum oidc_reason reason)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;

	conf_for(&c, path);
	assert_true(load(&c, time(NULL), &p, &err) < 0);
	if (err.reason != reason)
		fail_msg("%s: reason %d (%s), expected %d", path, err.reason, err.msg, reason);
	assert_null(p);
	conf_free(&c);
}

static void
test_bad_documents(void **state)
{
	expect_discovery_failure("/httpep", OIDC_R_DISCOVERY);
	expect_discovery_failure("/httpjwks", OIDC_R_DISCOVERY);
	expect_discovery_failure("/nojwks", OIDC_R_DISCOVERY);
	expect_discovery_failure("/dup", OIDC_R_MALFORMED);
	expect_discovery_failure("/textdisc", OIDC_R_DISCOVERY);
	expect_discovery_failure("/err", OIDC_R_HTTP);
	expect_discovery_failure("/nothing-here", OIDC_R_HTTP);
}

static void
provider_for(struct oidc_conf *c, struct oidc_provider **p, const char *path)
{
	struct oidc_err err;

	conf_for(c, path);
	assert_int_equal(load(c, time(NULL), p, &err), 0);
}

static int
jload(const struct oidc_conf *c, const struct oidc_provider *p, int64_t now, bool force,
      struct oidc_err *err)
{
	struct jwks *set = NULL;
	struct http_opts http;
	int r;

	oidc_err_clear(err);
	http_opts_from_conf(c, 0, 0, &http);
	r = jwks_load(c, &http, p, now, force, &set, err);
	if (r == 0) {
		assert_non_null(set);
		assert_int_equal(set->n, 1);
		assert_string_equal(set->keys[0].kid, "k1");
	} else {
		assert_null(set);
	}
	jwks_free(set);
	return r;
}

static void
test_jwks_ttl(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	int64_t now = time(NULL), n0 = nt_count(&srv, "/good/jwks");

	provider_for(&c, &p, "/good");
	assert_int_equal(jload(&c, p, now, false, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);
	now = time(NULL);	/* no later than the cache file's mtime */
	assert_int_equal(jload(&c, p, now + c.jwks_ttl - 5, false, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);
	assert_int_equal(jload(&c, p, now + c.jwks_ttl + 5, false, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 2);
	oidc_provider_free(p);
	conf_free(&c);
}

static void
test_jwks_force_throttle(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	int64_t now = time(NULL), n0 = nt_count(&srv, "/good/jwks");

	provider_for(&c, &p, "/good");
	assert_int_equal(jload(&c, p, now, false, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);
	/* A kid miss: one refetch even though the cache is fresh. */
	assert_int_equal(jload(&c, p, now + 1, true, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 2);
	/* A second miss within the interval is refused without a request. */
	assert_int_equal(jload(&c, p, now + 2, true, &err), -EAGAIN);
	assert_int_equal(err.reason, OIDC_R_THROTTLED);
	assert_int_equal(jload(&c, p, now + c.jwks_refresh_interval, true, &err), -EAGAIN);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 2);
	/* The throttle does not stop ordinary cached loads. */
	assert_int_equal(jload(&c, p, (int64_t)time(NULL) + 1, false, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 2);
	/* One interval later, one more refetch. */
	assert_int_equal(jload(&c, p, now + 1 + c.jwks_refresh_interval, true, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 3);
	assert_int_equal(jload(&c, p, now + 2 + c.jwks_refresh_interval, true, &err), -EAGAIN);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 3);
	oidc_provider_free(p);
	conf_free(&c);
}

static void
test_jwks_throttle_fails_closed(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	char key[CACHE_KEY_LEN], path[512];
	int64_t now = time(NULL), n0 = nt_count(&srv, "/good/jwks");

	/* The stamp path is a directory: it can be neither read nor replaced. */
	provider_for(&c, &p, "/good");
	assert_int_equal(cache_key(p->issuer, p->jwks_uri, key), 0);
	snprintf(path, sizeof(path), "%s/jwks-%s.stamp", c.cache_dir, key);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(jload(&c, p, now, true, &err), -EAGAIN);
	assert_int_equal(err.reason, OIDC_R_THROTTLED);
	assert_int_equal(jload(&c, p, now + 100000, true, &err), -EAGAIN);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0);
	/* Plain loads still work. */
	assert_int_equal(jload(&c, p, now, false, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);

	/* No usable cache directory at all: every plain load fetches, no forced refetch. */
	free(c.cache_dir);
	c.cache_dir = strdup("/nonexistent-pam_oidc/cache");
	assert_int_equal(jload(&c, p, now, false, &err), 0);
	assert_int_equal(jload(&c, p, now, false, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 3);
	assert_int_equal(jload(&c, p, now, true, &err), -EAGAIN);
	assert_int_equal(err.reason, OIDC_R_THROTTLED);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 3);
	oidc_provider_free(p);
	conf_free(&c);
}

/* A stamp from the future (clock stepped back) or with garbage refuses, then restarts the interval. */
static void
test_jwks_stamp_odd(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	char key[CACHE_KEY_LEN], path[512];
	int64_t now = time(NULL), n0 = nt_count(&srv, "/good/jwks");
	const char *const contents[] = { "99999999999", "garbage", "" };
	size_t i;
	FILE *f;

	provider_for(&c, &p, "/good");
	assert_int_equal(cache_key(p->issuer, p->jwks_uri, key), 0);
	snprintf(path, sizeof(path), "%s/jwks-%s.stamp", c.cache_dir, key);
	for (i = 0; i < sizeof(contents) / sizeof(contents[0]); i++) {
		now += 10 * c.jwks_refresh_interval;
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(contents[i], f);
		fclose(f);
		assert_int_equal(chmod(path, 0600), 0);
		assert_int_equal(jload(&c, p, now, true, &err), -EAGAIN);
		assert_int_equal(err.reason, OIDC_R_THROTTLED);
		assert_int_equal(nt_count(&srv, "/good/jwks"), n0);
		/* Rewritten with the current time: refused within, allowed after the interval. */
		assert_int_equal(jload(&c, p, now + c.jwks_refresh_interval - 1, true, &err),
				 -EAGAIN);
		assert_int_equal(jload(&c, p, now + c.jwks_refresh_interval, true, &err), 0);
		assert_int_equal(nt_count(&srv, "/good/jwks"), ++n0);
	}
	oidc_provider_free(p);
	conf_free(&c);
}

/*
 * The cache directory on a read-only mount: the stamp cannot be written, so
 * a forced refetch is refused; plain loads still work.  Runs in a child in
 * its own mount namespace, so nothing outlives the test.
 */
static void
test_jwks_throttle_readonly_mount(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	struct http_opts http;
	struct jwks *set = NULL;
	int64_t now = time(NULL), n0;
	int status, r;
	pid_t pid;

	provider_for(&c, &p, "/good");
	n0 = nt_count(&srv, "/good/jwks");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount(c.cache_dir, c.cache_dir, "none", MS_BIND, NULL) < 0 ||
		    mount("none", c.cache_dir, "none", MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
			_exit(77);
		oidc_err_clear(&err);
		http_opts_from_conf(&c, 0, 0, &http);
		r = jwks_load(&c, &http, p, now, true, &set, &err);
		if (r != -EAGAIN || err.reason != OIDC_R_THROTTLED || set != NULL)
			_exit(1);
		oidc_err_clear(&err);
		r = jwks_load(&c, &http, p, now, false, &set, &err);
		if (r != 0 || set == NULL)
			_exit(2);
		jwks_free(set);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		oidc_provider_free(p);
		conf_free(&c);
		skip();	/* no mount namespaces here (not root?) */
	}
	assert_int_equal(WEXITSTATUS(status), 0);
	/* Only the plain load reached the server. */
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);
	oidc_provider_free(p);
	conf_free(&c);
}

static void
test_jwks_bad_set(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;

	provider_for(&c, &p, "/badjwks");
	assert_true(jload(&c, p, time(NULL), false, &err) < 0);
	assert_int_not_equal(err.reason, OIDC_R_NONE);
	oidc_provider_free(p);
	conf_free(&c);
}

/*
 * A key replaced under the same kid, through the real cache and throttle
 * (jwks_net_load under verify_token): a bad signature against a set just
 * fetched is final; against the cached set it makes one refetch; a second
 * one at once is throttled; and with a stamp that cannot be written the
 * refetch is refused without a request (the throttle fails closed).  A
 * refetch that cannot be made leaves the verdict a bad signature.
 */
static void
test_jwks_bad_signature_refetch_throttled(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	struct jwks_net net = { 0 };
	struct jwks_source src = { .load = jwks_net_load, .ctx = &net, .can_refresh = true };
	struct verify_policy vp = { .allowed_mask = JOSE_ALG_ALL_MASK, .claims = NULL };
	struct verify_result res;
	EVP_PKEY *other = kh_keygen("P-256", 0);
	char *tok = kh_token(other, JOSE_ALG_ES256, "{\"alg\":\"ES256\",\"kid\":\"k1\"}", "{}");
	char key[CACHE_KEY_LEN], path[512];
	int64_t n0;

	(void)state;
	provider_for(&c, &p, "/good");
	net = (struct jwks_net){ .conf = &c, .prov = p, .now = time(NULL) };
	http_opts_from_conf(&c, 0, 0, &net.http);
	n0 = nt_count(&srv, "/good/jwks");

	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok, strlen(tok), &src, &vp, &res, &err), -EBADMSG);
	assert_int_equal(err.reason, OIDC_R_SIGNATURE);
	assert_false(res.refetched);
	assert_non_null(net.set);
	assert_true(net.set->fetched);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);
	verify_result_free(&res);

	net.now = (int64_t)time(NULL) + 1; /* not before the cache file's mtime */
	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok, strlen(tok), &src, &vp, &res, &err), -EBADMSG);
	assert_int_equal(err.reason, OIDC_R_SIGNATURE);
	assert_true(res.refetched);
	assert_true(net.set->fetched);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 2);
	verify_result_free(&res);

	net.now = (int64_t)time(NULL) + 2;
	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok, strlen(tok), &src, &vp, &res, &err), -EBADMSG);
	assert_int_equal(err.reason, OIDC_R_SIGNATURE);
	assert_non_null(
		strstr(err.msg, "could not be fetched again: JWKS refresh refused: last one"));
	assert_true(res.refetched);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 2);
	verify_result_free(&res);
	jwks_free(net.set);
	oidc_provider_free(p);
	conf_free(&c);

	/* a fresh cache whose refetch stamp is a directory: refused, no request */
	provider_for(&c, &p, "/good");
	net = (struct jwks_net){ .conf = &c, .prov = p, .now = time(NULL) };
	http_opts_from_conf(&c, 0, 0, &net.http);
	assert_int_equal(jload(&c, p, net.now, false, &err), 0);
	assert_int_equal(cache_key(p->issuer, p->jwks_uri, key), 0);
	snprintf(path, sizeof(path), "%s/jwks-%s.stamp", c.cache_dir, key);
	assert_int_equal(mkdir(path, 0700), 0);
	n0 = nt_count(&srv, "/good/jwks");
	net.now = (int64_t)time(NULL) + 1;
	oidc_err_clear(&err);
	assert_int_equal(verify_token(tok, strlen(tok), &src, &vp, &res, &err), -EBADMSG);
	assert_int_equal(err.reason, OIDC_R_SIGNATURE);
	assert_non_null(strstr(err.msg, "cannot read the refresh stamp"));
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0);
	verify_result_free(&res);
	jwks_free(net.set);
	oidc_provider_free(p);
	conf_free(&c);
	EVP_PKEY_free(other);
	free(tok);
}

/*
 * A discovery document cached under one configuration's trust (CA, proxy,
 * client) is not served to a configuration whose CA could not verify the
 * provider, or whose proxy or client differ: each fetches (and fails) on
 * its own.
 */
static void
test_discovery_cache_keyed_by_trust_settings(void **state)
{
	const char *wk = "/good/.well-known/openid-configuration";
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	int64_t n0 = nt_count(&srv, wk);

	conf_for(&c, "/good");
	assert_int_equal(load(&c, time(NULL), &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 1);

	/* Another CA, one that cannot verify the provider: the cached copy is not its. */
	conf_change(&c, "ca_file", "/etc/ssl/certs/ca-certificates.crt");
	assert_true(load(&c, time(NULL), &p, &err) < 0);
	assert_null(p);
	/* A proxy that does not answer. */
	conf_change(&c, "ca_file", srv.ca_file);
	conf_change(&c, "proxy", "http://127.0.0.1:1");
	assert_true(load(&c, time(NULL), &p, &err) < 0);
	assert_null(p);
	free(c.proxy);
	c.proxy = NULL;
	/* Another client: fetched anew, then cached under its own key. */
	conf_change(&c, "client_id", "other");
	assert_int_equal(load(&c, time(NULL), &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 2);
	assert_int_equal(load(&c, time(NULL), &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 2);
	/* The first configuration still finds its own copy. */
	conf_change(&c, "client_id", "test");
	assert_int_equal(load(&c, time(NULL), &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 2);
	conf_free(&c);
}

/*
 * discovery_url: the document is fetched from it (Entra ID's ?appid=), its
 * issuer is still held to issuer byte for byte, and it is cached under a
 * key of its own, apart from the standard URL's.
 */
static void
test_discovery_url_with_query(void **state)
{
	const char *wk = "/appid/.well-known/openid-configuration";
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	struct http_opts http;
	struct stat st;
	char url[256], key[CACHE_KEY_LEN], path[512];
	int64_t n0 = nt_count(&srv, wk);

	/* without the query the provider publishes no document for this app */
	conf_for(&c, "/appid");
	assert_true(load(&c, time(NULL), &p, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_HTTP);
	assert_int_equal(nt_count(&srv, wk), n0 + 1);

	snprintf(url, sizeof(url), "%s/appid/.well-known/openid-configuration?appid=test",
		 srv.base);
	conf_change(&c, "discovery_url", url);
	assert_int_equal(conf_validate(&c, &err), 0);
	assert_int_equal(load(&c, time(NULL), &p, &err), 0);
	assert_string_equal(p->issuer, c.issuer);
	assert_non_null(strstr(p->jwks_uri, "/appid/jwks?appid=test"));
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 2);
	/* cached under the key of the URL it came from */
	http_opts_from_conf(&c, 0, 0, &http);
	assert_int_equal(cache_doc_key("discovery", c.issuer, url, c.client_id, &http, key), 0);
	snprintf(path, sizeof(path), "%s/disc-%s.json", c.cache_dir, key);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(load(&c, time(NULL), &p, &err), 0);
	oidc_provider_free(p);
	assert_int_equal(nt_count(&srv, wk), n0 + 2);
	/* the standard URL does not find that copy: it asks (and gets a 404) */
	free(c.discovery_url);
	c.discovery_url = NULL;
	assert_true(load(&c, time(NULL), &p, &err) < 0);
	assert_int_equal(nt_count(&srv, wk), n0 + 3);
	conf_free(&c);

	/* the issuer is still checked byte for byte */
	conf_for(&c, "/case");
	snprintf(url, sizeof(url), "%s/case/.well-known/openid-configuration?appid=test", srv.base);
	conf_change(&c, "discovery_url", url);
	assert_true(load(&c, time(NULL), &p, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_DISCOVERY);
	assert_null(p);
	conf_free(&c);
}

/*
 * device_authorization_endpoint: used when discovery names none (GitLab),
 * ignored, and said so, when discovery names one.
 */
static void
test_device_endpoint_option_only_fills_a_gap(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	char exp[256];

	conf_for(&c, "/nodev");
	assert_int_equal(load(&c, time(NULL), &p, &err), 0);
	assert_null(p->device_authorization_endpoint);
	assert_false(p->device_endpoint_from_conf);
	assert_false(p->device_endpoint_option_ignored);
	oidc_provider_free(p);
	snprintf(exp, sizeof(exp), "%s/nodev/oauth/authorize_device", srv.base);
	conf_change(&c, "device_authorization_endpoint", exp);
	/* from the cache too: the option is applied to every parse */
	assert_int_equal(load(&c, time(NULL), &p, &err), 0);
	assert_string_equal(p->device_authorization_endpoint, exp);
	assert_true(p->device_endpoint_from_conf);
	assert_false(p->device_endpoint_option_ignored);
	oidc_provider_free(p);
	conf_free(&c);

	conf_for(&c, "/good");
	conf_change(&c, "device_authorization_endpoint", "https://elsewhere.example/device");
	assert_int_equal(load(&c, time(NULL), &p, &err), 0);
	snprintf(exp, sizeof(exp), "%s/good/device", srv.base);
	assert_string_equal(p->device_authorization_endpoint, exp);
	assert_false(p->device_endpoint_from_conf);
	assert_true(p->device_endpoint_option_ignored);
	oidc_provider_free(p);
	conf_free(&c);
}

static int
no_wait(void *ctx, int64_t ms, struct oidc_err *err)
{
	(void)ctx;
	(void)ms;
	(void)err;
	return 0;
}

/*
 * A confidential client (HTTP Basic) also sends client_id in the form of
 * the device authorization request and of the polls: authentik reads it
 * from the body only (the server answers invalid_client without it).
 */
static void
test_client_id_in_body_under_basic(void **state)
{
	struct oidc_conf c;
	struct oidc_provider prov = { 0 };
	struct device_client client = { .client_id = "test", .secret = "s3cret" };
	struct device_auth *da = NULL;
	struct oidc_err err;
	char dev[256], tok[256], *id_token = NULL;
	unsigned polls = 0;

	conf_for(&c, "/good");
	snprintf(dev, sizeof(dev), "%s/basic/device", srv.base);
	snprintf(tok, sizeof(tok), "%s/basic/token", srv.base);
	prov.device_authorization_endpoint = dev;
	prov.token_endpoint = tok;
	oidc_err_clear(&err);
	assert_int_equal(device_authorize(&c, &prov, &client, 5000, &da, &err), 0);
	assert_string_equal(da->user_code, "ABCD-EFGH");
	oidc_err_clear(&err);
	assert_int_equal(device_poll(&c, &prov, &client, da, nt_now_ms() + 5000, no_wait, NULL,
				     &id_token, &polls, &err),
			 0);
	assert_string_equal(id_token, "a.b.c");
	assert_int_equal(polls, 1);
	secure_free_str(id_token);
	device_auth_free(da);
	da = NULL;
	/* and the server does refuse a wrong secret: the check is real */
	client.secret = "wrong";
	oidc_err_clear(&err);
	assert_true(device_authorize(&c, &prov, &client, 5000, &da, &err) < 0);
	assert_null(da);
	conf_free(&c);
}

/* The same for the JWKS: a set cached under one CA is not served under another. */
static void
test_jwks_cache_keyed_by_trust_settings(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	int64_t n0 = nt_count(&srv, "/good/jwks");

	provider_for(&c, &p, "/good");
	assert_int_equal(jload(&c, p, time(NULL), false, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);
	conf_change(&c, "ca_file", "/etc/ssl/certs/ca-certificates.crt");
	assert_true(jload(&c, p, time(NULL), false, &err) < 0);
	conf_change(&c, "ca_file", srv.ca_file);
	conf_change(&c, "proxy", "http://127.0.0.1:1");
	assert_true(jload(&c, p, time(NULL), false, &err) < 0);
	free(c.proxy);
	c.proxy = NULL;
	/* another client of the same provider shares the set (and its rotation) */
	conf_change(&c, "client_id", "other");
	assert_int_equal(jload(&c, p, time(NULL), false, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);
	conf_change(&c, "client_id", "test");
	assert_int_equal(jload(&c, p, time(NULL), false, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);
	oidc_provider_free(p);
	conf_free(&c);
}

/*
 * The refetch stamp stays one per provider key set: a second configuration
 * (another client) sharing the cache cannot refetch within the interval.
 */
static void
test_jwks_throttle_shared_across_configurations(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	struct oidc_err err;
	int64_t now = time(NULL), n0 = nt_count(&srv, "/good/jwks");

	provider_for(&c, &p, "/good");
	assert_int_equal(jload(&c, p, now, true, &err), 0);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);
	conf_change(&c, "client_id", "other");
	assert_int_equal(jload(&c, p, now + 1, true, &err), -EAGAIN);
	assert_int_equal(err.reason, OIDC_R_THROTTLED);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0 + 1);
	oidc_provider_free(p);
	conf_free(&c);
}

/*
 * A holder of the cache directory's lock that never lets go (a process the
 * caller stopped) does not hold a forced refetch past its request's
 * deadline: the throttle waits for the lock at most that long and then
 * refuses (fails closed).  Run in a child with an alarm, so that a wait
 * without bound fails the test instead of hanging it.
 */
static void
test_jwks_throttle_lock_wait_bounded(void **state)
{
	struct oidc_conf c;
	struct oidc_provider *p;
	int64_t n0, t0;
	int status, lfd;
	pid_t pid;

	provider_for(&c, &p, "/good");
	n0 = nt_count(&srv, "/good/jwks");
	lfd = open(c.cache_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(lfd >= 0);
	assert_int_equal(flock(lfd, LOCK_EX), 0);
	c.http_timeout = 1;
	t0 = nt_now_ms();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct http_opts http;
		struct jwks *set = NULL;
		struct oidc_err err;
		int r;

		alarm(10);
		oidc_err_clear(&err);
		http_opts_from_conf(&c, 0, 0, &http);
		r = jwks_load(&c, &http, p, time(NULL), true, &set, &err);
		r = r == -EAGAIN && err.reason == OIDC_R_THROTTLED && set == NULL ? 0 : 1;
		oidc_provider_free(p);
		conf_free(&c);
		_exit(r);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(lfd);
	print_message("# a held lock refused the refetch after %lld ms\n",
		      (long long)(nt_now_ms() - t0));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(nt_now_ms() - t0 < 5000);
	assert_int_equal(nt_count(&srv, "/good/jwks"), n0);
	oidc_provider_free(p);
	conf_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discovery_ok_and_cache),
		cmocka_unit_test(test_cached_document_revalidated),
		cmocka_unit_test(test_unsafe_cache_dir),
		cmocka_unit_test(test_issuer_mismatch),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_jwks_ttl),
		cmocka_unit_test(test_jwks_force_throttle),
		cmocka_unit_test(test_jwks_throttle_fails_closed),
		cmocka_unit_test(test_jwks_stamp_odd),
		cmocka_unit_test(test_jwks_throttle_readonly_mount),
		cmocka_unit_test(test_jwks_bad_set),
		cmocka_unit_test(test_jwks_bad_signature_refetch_throttled),
		cmocka_unit_test(test_discovery_cache_keyed_by_trust_settings),
		cmocka_unit_test(test_jwks_cache_keyed_by_trust_settings),
		cmocka_unit_test(test_jwks_throttle_shared_across_configurations),
		cmocka_unit_test(test_jwks_throttle_lock_wait_bounded),
		cmocka_unit_test(test_discovery_url_with_query),
		cmocka_unit_test(test_device_endpoint_option_only_fills_a_gap),
		cmocka_unit_test(test_client_id_in_body_under_basic),
	};

	return cmocka_run_group_tests_name("discovery", tests, setup, teardown);
}
