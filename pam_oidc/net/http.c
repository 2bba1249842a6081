/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libcurl client for the identity provider.  Every transfer is configured
 * from scratch with the same hardened settings; see http.h.  Transfers of
 * one process share libcurl's connection cache, TLS sessions and DNS
 * (http_global_init): a login's device request and polls go over one TLS
 * connection while the provider keeps it open, instead of a handshake per
 * request.  libcurl reuses a connection only for the same host, port,
 * proxy and TLS settings (CA file, verification), and opens a new one
 * when the provider has closed it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <openssl/evp.h>

#include "buf.h"
#include "conf.h"
#include "http.h"
#include "oidc_err.h"
#include "text.h"

#define HTTP_DEFAULT_CONNECT_MS 5000L
#define HTTP_DEFAULT_TIMEOUT_MS 10000L

#ifdef OIDC_ALLOW_INSECURE_HTTP
#define HTTP_PROTOCOLS "https,http"
#else
#define HTTP_PROTOCOLS "https"
#endif

/* The transfers' shared state; NULL before http_global_init or when it failed. */
static CURLSH *http_share;

struct http_sink {
	struct buf body;
	bool too_large;
	bool no_memory;
};

static size_t
http_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct http_sink *sink = userdata;
	size_t n;
	int r;

	if (size != 0 && nmemb > SIZE_MAX / size) {
		sink->too_large = true;
		return 0;
	}
	n = size * nmemb;
	r = buf_append(&sink->body, ptr, n);
	if (r < 0) {
		if (r == -EFBIG)
			sink->too_large = true;
		else
			sink->no_memory = true;
		return 0;	/* aborts the transfer: CURLE_WRITE_ERROR */
	}
	return n;
}

/* Content type without parameters, lower case, bounded. */
static void
http_set_content_type(CURL *c, struct http_response *resp)
{
	char *ct = NULL;
	size_t i, n;

	resp->content_type[0] = '\0';
	if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) != CURLE_OK || ct == NULL)
		return;
	n = strcspn(ct, "; \t");
	if (n >= sizeof(resp->content_type))
		return;	/* longer than any type we accept: treat as absent */
	for (i = 0; i < n; i++)
		resp->content_type[i] = (char)tolower((unsigned char)ct[i]);
	resp->content_type[n] = '\0';
}

/* Wipe every header string we handed to libcurl (it may hold a credential), then free. */
static void
http_headers_free(struct curl_slist *headers)
{
	struct curl_slist *h;

	for (h = headers; h != NULL; h = h->next)
		if (h->data != NULL)
			explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(headers);
}

#define SETOPT(c, opt, val)						\
	do {								\
		if (curl_easy_setopt((c), (opt), (val)) != CURLE_OK) {	\
			r = oidc_err_set(err, OIDC_R_INTERNAL, EINVAL,	\
					 "libcurl refused option " #opt); \
			goto out;					\
		}							\
	} while (0)

/*
 * One transfer: GET when form is NULL, else POST of the form.
 * auth_header, when non-NULL, is an extra "Authorization: ..." line.
 */
static int
http_perform(const struct http_opts *opts, const char *url, const char *form,
	     const char *auth_header, struct http_response *ret, struct oidc_err *err)
{
	struct http_sink sink;
	struct curl_slist *headers = NULL, *h;
	char errbuf[CURL_ERROR_SIZE];
	size_t max_body = opts->max_body ? opts->max_body : HTTP_DEFAULT_MAX_BODY;
	CURL *c = NULL;
	CURLcode cc;
	long status = 0;
	int r;

	memset(ret, 0, sizeof(*ret));
	buf_init(&sink.body, max_body);
	sink.too_large = false;
	sink.no_memory = false;
	errbuf[0] = '\0';

	if (http_url_allowed(url) < 0) {
		r = oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "URL not allowed (https only)");
		goto out;
	}
	c = curl_easy_init();
	if (c == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "cannot initialise libcurl");
		goto out;
	}
	h = curl_slist_append(headers, "Accept: application/json");
	if (h == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	headers = h;
	if (auth_header != NULL) {
		h = curl_slist_append(headers, auth_header);
		if (h == NULL) {
			r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
			goto out;
		}
		headers = h;
	}

	SETOPT(c, CURLOPT_URL, url);
	SETOPT(c, CURLOPT_PROTOCOLS_STR, HTTP_PROTOCOLS);
	SETOPT(c, CURLOPT_REDIR_PROTOCOLS_STR, HTTP_PROTOCOLS);
	SETOPT(c, CURLOPT_FOLLOWLOCATION, 0L);
	SETOPT(c, CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (opts->ca_file != NULL && opts->ca_file[0] != '\0')
		SETOPT(c, CURLOPT_CAINFO, opts->ca_file);
	/* An explicit proxy, or "" which also disables the environment's proxies. */
	SETOPT(c, CURLOPT_PROXY, opts->proxy != NULL ? opts->proxy : "");
	/* "" also stops no_proxy/NO_PROXY from the environment bypassing a configured proxy. */
	SETOPT(c, CURLOPT_NOPROXY, "");
	SETOPT(c, CURLOPT_CONNECTTIMEOUT_MS,
	       opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : HTTP_DEFAULT_CONNECT_MS);
	SETOPT(c, CURLOPT_TIMEOUT_MS, opts->timeout_ms > 0 ? opts->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS);
	/* sshd owns SIGALRM; never let libcurl install signal handlers. */
	SETOPT(c, CURLOPT_NOSIGNAL, 1L);
	SETOPT(c, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	SETOPT(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_body);
	SETOPT(c, CURLOPT_HTTPHEADER, headers);
	SETOPT(c, CURLOPT_USERAGENT, "pam_oidc/" PACKAGE_VERSION);
	SETOPT(c, CURLOPT_WRITEFUNCTION, http_write_cb);
	SETOPT(c, CURLOPT_WRITEDATA, &sink);
	SETOPT(c, CURLOPT_ERRORBUFFER, errbuf);
	SETOPT(c, CURLOPT_ACCEPT_ENCODING, NULL);
	if (http_share != NULL)
		SETOPT(c, CURLOPT_SHARE, http_share);
	if (form != NULL) {
		SETOPT(c, CURLOPT_POST, 1L);
		SETOPT(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(form));
		SETOPT(c, CURLOPT_POSTFIELDS, form);
	} else {
		SETOPT(c, CURLOPT_HTTPGET, 1L);
	}

	cc = curl_easy_perform(c);
	if (sink.too_large || cc == CURLE_FILESIZE_EXCEEDED) {
		r = oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG,
				 "response from %.128s larger than %zu bytes", url, max_body);
		goto out;
	}
	if (sink.no_memory) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	if (cc != CURLE_OK) {
		r = oidc_err_set(err, OIDC_R_NETWORK,
				 cc == CURLE_OPERATION_TIMEDOUT ? ETIMEDOUT : ECONNREFUSED,
				 "request to %.128s failed: %.96s", url,
				 errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
		goto out;
	}
	if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, EINVAL, "no HTTP status");
		goto out;
	}
	ret->status = status;
	http_set_content_type(c, ret);
	ret->body = buf_steal(&sink.body, &ret->body_len);
	if (ret->body == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	r = 0;
out:
	if (c != NULL)
		curl_easy_cleanup(c);
	http_headers_free(headers);
	buf_free(&sink.body);
	if (r < 0)
		http_response_free(ret);
	return r;
}

/* GET url; any HTTP status is a success here, transport failures are errors. */
int
http_get(const struct http_opts *opts, const char *url, struct http_response *ret,
	 struct oidc_err *err)
{
	return http_perform(opts, url, NULL, NULL, ret, err);
}

/* Append the form-urlencoding (RFC 6749 appendix B) of s. */
static int
http_urlencode_append(struct buf *b, const char *s)
{
	const unsigned char *p;
	char enc[3];
	int r;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			r = buf_append(b, p, 1);
		} else if (*p == ' ') {
			r = buf_append(b, "+", 1);
		} else {
			enc[0] = '%';
			text_hex_byte(*p, true, enc + 1);
			r = buf_append(b, enc, 3);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* Append "name=value" form-urlencoded, '&'-separated; see http.h. */
int
http_form_append(struct buf *form, const char *name, const char *value)
{
	size_t old = form->len;
	int r;

	if (form->len > 0 && (r = buf_append(form, "&", 1)) < 0)
		goto fail;
	if ((r = http_urlencode_append(form, name)) < 0)
		goto fail;
	if ((r = buf_append(form, "=", 1)) < 0)
		goto fail;
	if ((r = http_urlencode_append(form, value)) < 0)
		goto fail;
	return 0;
fail:
	/* Leave the form as it was; wipe the partial tail (it may hold a secret). */
	if (form->data != NULL && form->len > old) {
		explicit_bzero(form->data + old, form->len - old);
		form->len = old;
		form->data[old] = '\0';
	}
	return r;
}

/* "Authorization: Basic base64(urlenc(user) ":" urlenc(pass))" (RFC 6749 2.3.1). */
static int
http_basic_header(const char *user, const char *pass, char **ret)
{
	static const char prefix[] = "Authorization: Basic ";
	struct buf cred;
	char *hdr = NULL;
	size_t n;
	int r;

	buf_init(&cred, 8192);
	if ((r = http_urlencode_append(&cred, user)) < 0 ||
	    (r = buf_append(&cred, ":", 1)) < 0 ||
	    (r = http_urlencode_append(&cred, pass)) < 0)
		goto out;
	n = sizeof(prefix) + 4 * ((cred.len + 2) / 3) + 1;
	hdr = malloc(n);
	if (hdr == NULL) {
		r = -ENOMEM;
		goto out;
	}
	memcpy(hdr, prefix, sizeof(prefix) - 1);
	EVP_EncodeBlock((unsigned char *)hdr + sizeof(prefix) - 1,
			(const unsigned char *)cred.data, (int)cred.len);
	*ret = hdr;
	hdr = NULL;
	r = 0;
out:
	buf_free(&cred);
	secure_free_str(hdr);
	return r;
}

/* POST an encoded form, optionally with client_secret_basic; see http.h. */
int
http_post_form(const struct http_opts *opts, const char *url, const char *form,
	       const char *basic_user, const char *basic_pass,
	       struct http_response *ret, struct oidc_err *err)
{
	char *auth = NULL;
	int r;

	if (form == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "no form to post");
	if (basic_user != NULL) {
		r = http_basic_header(basic_user, basic_pass != NULL ? basic_pass : "", &auth);
		if (r < 0) {
			memset(ret, 0, sizeof(*ret));
			return oidc_err_set(err, OIDC_R_INTERNAL, -r, "cannot build client credentials");
		}
	}
	r = http_perform(opts, url, form, auth, ret, err);
	secure_free_str(auth);
	return r;
}

/* Wipe and free a response's body; NULL-safe. */
void
http_response_free(struct http_response *resp)
{
	if (resp == NULL)
		return;
	secure_free(resp->body, resp->body_len + 1);
	resp->body = NULL;
	resp->body_len = 0;
	resp->status = 0;
	resp->content_type[0] = '\0';
}

/*
 * Initialise libcurl once per process (not in the PAM module), with the
 * share of connections, TLS sessions and DNS answers every transfer uses.
 * The processes that call it are single-threaded, so the share needs no
 * lock callbacks.  Without a share (libcurl refused it) every transfer
 * connects on its own, as before.  Returns 0 or -EIO.
 */
int
http_global_init(void)
{
	CURLSH *sh;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -EIO;
	sh = curl_share_init();
	if (sh != NULL &&
	    (curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK ||
	     curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK ||
	     curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) != CURLSHE_OK)) {
		curl_share_cleanup(sh);
		sh = NULL;
	}
	http_share = sh;
	return 0;
}

/* Close the shared connections and release libcurl's global state. */
void
http_global_cleanup(void)
{
	if (http_share != NULL) {
		curl_share_cleanup(http_share);
		http_share = NULL;
	}
	curl_global_cleanup();
}

/* Request options from a configuration, bounded by left_ms (see http.h). */
void
http_opts_from_conf(const struct oidc_conf *conf, int64_t left_ms, size_t max_body,
		    struct http_opts *ret)
{
	*ret = (struct http_opts){
		.ca_file = conf->ca_file,
		.proxy = conf->proxy,
		.connect_timeout_ms = (long)conf->connect_timeout * 1000,
		.timeout_ms = (long)conf->http_timeout * 1000,
		.max_body = max_body,
	};
	if (left_ms > 0) {
		if (ret->timeout_ms <= 0 || ret->timeout_ms > left_ms)
			ret->timeout_ms = (long)left_ms;
		if (ret->connect_timeout_ms <= 0 || ret->connect_timeout_ms > left_ms)
			ret->connect_timeout_ms = (long)left_ms;
	}
	if (ret->timeout_ms < 1)
		ret->timeout_ms = 1;
	if (ret->connect_timeout_ms < 1)
		ret->connect_timeout_ms = 1;
}
