/* SPDX-License-Identifier: BSD-2-Clause */
/* HTTP client against tests/lib/httpsd.js: TLS, caps, timeouts, redirects, proxies. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "buf.h"
#include "http.h"
#include "net_testlib.h"
#include "oidc_err.h"

static struct nt_server srv;

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

static void
opts_init(struct http_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ca_file = srv.ca_file;
	o->connect_timeout_ms = 2000;
	o->timeout_ms = 5000;
}

static void
url_of(char *url, size_t n, const char *path)
{
	snprintf(url, n, "%s%s", srv.base, path);
}

static void
test_get_ok(void **state)
{
	struct http_opts o;
	struct http_response r;
	struct oidc_err err;
	char url[128];

	opts_init(&o);
	oidc_err_clear(&err);
	url_of(url, sizeof(url), "/json");
	assert_int_equal(http_get(&o, url, &r, &err), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"hello\":\"world\"}");
	assert_int_equal(r.body_len, strlen(r.body));
	assert_string_equal(r.content_type, "application/json");
	http_response_free(&r);
	assert_null(r.body);
	http_response_free(NULL);

	/* Content type: parameters dropped, lower case. */
	url_of(url, sizeof(url), "/text");
	assert_int_equal(http_get(&o, url, &r, &err), 0);
	assert_string_equal(r.content_type, "text/html");
	http_response_free(&r);
}

static void
test_unknown_ca(void **state)
{
	struct http_opts o;
	struct http_response r;
	struct oidc_err err;
	char url[128];
	int64_t before = nt_count(&srv, "/json");

	opts_init(&o);
	o.ca_file = NULL;	/* default trust store: does not know the test CA */
	oidc_err_clear(&err);
	url_of(url, sizeof(url), "/json");
	assert_true(http_get(&o, url, &r, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_NETWORK);
	assert_null(r.body);
	assert_int_equal(nt_count(&srv, "/json"), before);

	/* A CA file that is not the signer fails too. */
	opts_init(&o);
	o.ca_file = "/etc/ssl/certs/ca-certificates.crt";
	oidc_err_clear(&err);
	assert_true(http_get(&o, url, &r, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_NETWORK);
}

static void
test_url_allowed(void **state)
{
	assert_int_equal(http_url_allowed("https://idp.example/"), 0);
	assert_int_equal(http_url_allowed("https://idp.example:8443/realms/x?y=1"), 0);
#ifndef OIDC_ALLOW_INSECURE_HTTP
	assert_int_equal(http_url_allowed("http://idp.example/"), -EINVAL);
#endif
	assert_int_equal(http_url_allowed("HTTPS://idp.example/"), -EINVAL);
	assert_int_equal(http_url_allowed("ftp://idp.example/"), -EINVAL);
	assert_int_equal(http_url_allowed("file:///etc/passwd"), -EINVAL);
	assert_int_equal(http_url_allowed("https://"), -EINVAL);
	assert_int_equal(http_url_allowed("https:///path"), -EINVAL);
	assert_int_equal(http_url_allowed("https://user@evil.example/"), -EINVAL);
	assert_int_equal(http_url_allowed("https://idp.example/a b"), -EINVAL);
	assert_int_equal(http_url_allowed("https://idp.example/\n"), -EINVAL);
	assert_int_equal(http_url_allowed("https://idp.example/#frag"), -EINVAL);
	assert_int_equal(http_url_allowed(NULL), -EINVAL);
	assert_int_equal(http_url_allowed(""), -EINVAL);
}

static void
test_http_refused(void **state)
{
	struct http_opts o;
	struct http_response r;
	struct oidc_err err;
	char url[128];

	opts_init(&o);
	oidc_err_clear(&err);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/json", srv.port);
#ifndef OIDC_ALLOW_INSECURE_HTTP
	assert_true(http_get(&o, url, &r, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_CONFIG);
	assert_null(r.body);
#else
	skip();
#endif
}

static void
test_redirect_not_followed(void **state)
{
	struct http_opts o;
	struct http_response r;
	struct oidc_err err;
	char url[128];
	int64_t before = nt_count(&srv, "/json");

	opts_init(&o);
	oidc_err_clear(&err);
	url_of(url, sizeof(url), "/redirect");
	assert_int_equal(http_get(&o, url, &r, &err), 0);
	assert_int_equal(r.status, 302);
	http_response_free(&r);
	assert_int_equal(nt_count(&srv, "/json"), before);
}

static void
test_oversize(void **state)
{
	struct http_opts o;
	struct http_response r;
	struct oidc_err err;
	char url[128];

	opts_init(&o);
	oidc_err_clear(&err);
	url_of(url, sizeof(url), "/big");	/* chunked: cut by the write callback */
	assert_int_equal(http_get(&o, url, &r, &err), -EFBIG);
	assert_int_equal(err.reason, OIDC_R_TOO_LARGE);
	assert_null(r.body);

	oidc_err_clear(&err);
	url_of(url, sizeof(url), "/big-cl");	/* Content-Length over the cap */
	assert_int_equal(http_get(&o, url, &r, &err), -EFBIG);
	assert_int_equal(err.reason, OIDC_R_TOO_LARGE);

	/* A smaller cap applies to an ordinary answer too; a bigger one lets it through. */
	o.max_body = 8;
	oidc_err_clear(&err);
	url_of(url, sizeof(url), "/json");
	assert_int_equal(http_get(&o, url, &r, &err), -EFBIG);
	o.max_body = 17;
	assert_int_equal(http_get(&o, url, &r, &err), 0);
	assert_int_equal(r.body_len, 17);
	http_response_free(&r);
}

static void
test_slow_timeout(void **state)
{
	struct http_opts o;
	struct http_response r;
	struct oidc_err err;
	char url[128];
	int64_t t0, elapsed;

	opts_init(&o);
	o.timeout_ms = 1500;
	oidc_err_clear(&err);
	url_of(url, sizeof(url), "/slow");
	t0 = nt_now_ms();
	assert_true(http_get(&o, url, &r, &err) < 0);
	elapsed = nt_now_ms() - t0;
	printf("# slow body, timeout 1500 ms: failed after %lld ms\n", (long long)elapsed);
	assert_int_equal(err.reason, OIDC_R_NETWORK);
	assert_true(elapsed >= 1400);
	assert_true(elapsed < 1500 + 1000);
}

static void
test_status_500(void **state)
{
	struct http_opts o;
	struct http_response r;
	struct oidc_err err;
	char url[128];

	opts_init(&o);
	oidc_err_clear(&err);
	url_of(url, sizeof(url), "/500");
	assert_int_equal(http_get(&o, url, &r, &err), 0);
	assert_int_equal(r.status, 500);
	assert_non_null(strstr(r.body, "server_error"));
	http_response_free(&r);

	url_of(url, sizeof(url), "/no-such-path");
	assert_int_equal(http_get(&o, url, &r, &err), 0);
	assert_int_equal(r.status, 404);
	http_response_free(&r);
}

/* A listening TCP socket on 127.0.0.1 (port in *port); never answers. */
static int
listener(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void
test_closed_port(void **state)
{
	struct http_opts o;
	struct http_response r;
	struct oidc_err err;
	char url[128];
	int fd, port;
	int64_t t0;

	fd = listener(&port);
	close(fd);	/* now nobody listens there */
	opts_init(&o);
	oidc_err_clear(&err);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/json", port);
	t0 = nt_now_ms();
	assert_true(http_get(&o, url, &r, &err) < 0);
	printf("# closed port: failed after %lld ms\n", (long long)(nt_now_ms() - t0));
	assert_int_equal(err.reason, OIDC_R_NETWORK);
	assert_true(nt_now_ms() - t0 < 1000);
}

static void
test_env_proxy_ignored(void **state)
{
	static const char *const vars[] = { "https_proxy", "HTTPS_PROXY", "ALL_PROXY",
					    "all_proxy", "http_proxy" };
	struct http_opts o;
	struct http_response r;
	struct oidc_err err;
	char url[128], proxy[64];
	int fd, port, c;
	size_t i;

	fd = listener(&port);
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", port);
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		assert_int_equal(setenv(vars[i], proxy, 1), 0);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");

	opts_init(&o);
	oidc_err_clear(&err);
	url_of(url, sizeof(url), "/json");
	assert_int_equal(http_get(&o, url, &r, &err), 0);
	assert_int_equal(r.status, 200);
	http_response_free(&r);
	c = accept(fd, NULL, NULL);
	assert_int_equal(c, -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);

	/*
	 * Control: the configured proxy IS used, so the socket sees the
	 * connection, and no_proxy from the environment cannot bypass it.
	 */
	assert_int_equal(setenv("no_proxy", "*", 1), 0);
	assert_int_equal(setenv("NO_PROXY", "127.0.0.1", 1), 0);
	o.proxy = proxy;
	o.timeout_ms = 700;
	oidc_err_clear(&err);
	assert_true(http_get(&o, url, &r, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_NETWORK);
	c = accept(fd, NULL, NULL);
	assert_true(c >= 0);
	close(c);

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	close(fd);
}

static void
test_form_encoding(void **state)
{
	struct buf form;

	buf_init(&form, 64);
	assert_int_equal(http_form_append(&form, "grant_type", "urn:x"), 0);
	assert_int_equal(http_form_append(&form, "a b", "c&d=e+f~._-"), 0);
	assert_string_equal(form.data, "grant_type=urn%3Ax&a+b=c%26d%3De%2Bf~._-");
	/* Over the cap: fails and leaves the form as it was. */
	assert_int_equal(http_form_append(&form, "k", "0123456789012345678901234567890123"),
			 -EFBIG);
	assert_string_equal(form.data, "grant_type=urn%3Ax&a+b=c%26d%3De%2Bf~._-");
	buf_free(&form);
}

static void
test_post_basic_auth(void **state)
{
	struct http_opts o;
	struct http_response r;
	struct oidc_err err;
	struct buf form;
	json_object *doc, *v;
	char url[128];

	opts_init(&o);
	oidc_err_clear(&err);
	buf_init(&form, 1024);
	assert_int_equal(http_form_append(&form, "client_id", "my client"), 0);
	assert_int_equal(http_form_append(&form, "scope", "openid email"), 0);
	url_of(url, sizeof(url), "/echo");
	/* RFC 6749 2.3.1: id and secret form-urlencoded before base64. */
	assert_int_equal(http_post_form(&o, url, form.data, "my client", "s:e/c", &r, &err), 0);
	assert_int_equal(r.status, 200);
	doc = json_tokener_parse(r.body);
	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "method", &v));
	assert_string_equal(json_object_get_string(v), "POST");
	assert_true(json_object_object_get_ex(doc, "authorization", &v));
	/* base64("my+client:s%3Ae%2Fc") */
	assert_string_equal(json_object_get_string(v), "Basic bXkrY2xpZW50OnMlM0FlJTJGYw==");
	assert_true(json_object_object_get_ex(doc, "content_type", &v));
	assert_string_equal(json_object_get_string(v), "application/x-www-form-urlencoded");
	assert_true(json_object_object_get_ex(doc, "accept", &v));
	assert_string_equal(json_object_get_string(v), "application/json");
	assert_true(json_object_object_get_ex(doc, "body", &v));
	assert_string_equal(json_object_get_string(v), "client_id=my+client&scope=openid+email");
	json_object_put(doc);
	http_response_free(&r);

	/* Without credentials no Authorization header is sent. */
	assert_int_equal(http_post_form(&o, url, form.data, NULL, NULL, &r, &err), 0);
	doc = json_tokener_parse(r.body);
	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "authorization", &v));
	assert_null(v);
	json_object_put(doc);
	http_response_free(&r);
	buf_free(&form);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_ok),
		cmocka_unit_test(test_unknown_ca),
		cmocka_unit_test(test_url_allowed),
		cmocka_unit_test(test_http_refused),
		cmocka_unit_test(test_redirect_not_followed),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_slow_timeout),
		cmocka_unit_test(test_status_500),
		cmocka_unit_test(test_closed_port),
		cmocka_unit_test(test_env_proxy_ignored),
		cmocka_unit_test(test_form_encoding),
		cmocka_unit_test(test_post_basic_auth),
	};

	return cmocka_run_group_tests_name("http", tests, setup, teardown);
}
