/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam-oidc check: lint a configuration and try the provider it names.
 *
 *   pam-oidc check [--config FILE]
 *
 * Reads and validates the file with the module's own parser, then fetches
 * the discovery document and the key set exactly as a login would, and
 * prints what it found.  Exit 0 when all of it works, 1 when the provider
 * cannot be used, 2 when the configuration is wrong.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "conf.h"
#include "discovery.h"
#include "jwks_fetch.h"
#include "http.h"
#include "oidc_err.h"

static const char *
kty_name(enum jwk_kty kty)
{
	switch (kty) {
	case JWK_KTY_RSA:
		return "RSA";
	case JWK_KTY_EC_P256:
		return "EC P-256";
	case JWK_KTY_EC_P384:
		return "EC P-384";
	case JWK_KTY_EC_P521:
		return "EC P-521";
	case JWK_KTY_OKP_ED25519:
		return "OKP Ed25519";
	}
	return "?";
}

static void
put_clean(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		putchar((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?');
}

static void
print_endpoint(const char *name, const char *url)
{
	printf("  %-30s ", name);
	put_clean(url != NULL ? url : "(none)");
	putchar('\n');
}

/*
 * The likely fixes for what check meets at real providers, one line each,
 * after the line that says what is wrong.
 */
static void
hint_no_device(const char *issuer)
{
	size_t n = strlen(issuer);

	if (n > 0 && issuer[n - 1] == '/')
		n--;
	fprintf(stderr,
		"pam-oidc check: hint: the provider's discovery names no device endpoint; "
		"GitLab 17.1+: set device_authorization_endpoint = %.*s/oauth/authorize_device; "
		"elsewhere enable the device authorization grant for the client "
		"(see pam_oidc-providers(7))\n",
		(int)n, issuer);
}

static void
hint_hmac_only(const struct oidc_provider *p)
{
	if (!p->id_token_hmac_only)
		return;
	fprintf(stderr, "pam-oidc check: the provider signs ID tokens with HMAC (HS256) only; "
			"HS256 is never accepted: select an asymmetric signing key at the provider "
			"(authentik: the provider's Signing Key; see pam_oidc-providers(7))\n");
}

int
cli_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = OIDC_CONF_DEFAULT_PATH;
	struct oidc_conf conf;
	struct oidc_err err;
	struct http_opts http;
	struct oidc_provider *p = NULL;
	struct jwks *set = NULL;
	int64_t now = (int64_t)time(NULL);
	int c, r, rc = 2;
	bool curl_ready = false;

	memset(&conf, 0, sizeof(conf));
	oidc_err_clear(&err);
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			printf("usage: pam-oidc check [--config FILE]\n");
			return 0;
		default:
			fprintf(stderr, "usage: pam-oidc check [--config FILE]\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: pam-oidc check [--config FILE]\n");
		return 2;
	}
	/* the module's loader; the file may belong to the invoking user */
	r = conf_load(&conf, path, 0, NULL, 0, &err);
	if (r < 0) {
		fprintf(stderr, "pam-oidc check: %s\n",
			err.msg[0] != '\0' ? err.msg : strerror(-r));
		goto out;
	}
	printf("configuration %s: ok\n", path);

	rc = 1;
	if (http_global_init() < 0) {
		fprintf(stderr, "pam-oidc check: cannot initialise libcurl\n");
		goto out;
	}
	curl_ready = true;
	http_opts_from_conf(&conf, 0, 0, &http);
	r = discovery_load(&conf, &http, now, &p, &err);
	if (r < 0) {
		fprintf(stderr, "pam-oidc check: discovery: %s: %s\n", oidc_reason_name(err.reason), err.msg);
		goto out;
	}
	printf("discovery: ok\n");
	print_endpoint("issuer", p->issuer);
	print_endpoint("device_authorization_endpoint", p->device_authorization_endpoint);
	if (p->device_endpoint_option_ignored)
		printf("  note: option device_authorization_endpoint is ignored: discovery names one\n");
	else if (p->device_endpoint_from_conf)
		printf("  note: device_authorization_endpoint from the configuration (discovery names none)\n");
	print_endpoint("token_endpoint", p->token_endpoint);
	print_endpoint("jwks_uri", p->jwks_uri);
	r = jwks_load(&conf, &http, p, now, false, &set, &err);
	if (r < 0) {
		fprintf(stderr, "pam-oidc check: JWKS: %s: %s\n", oidc_reason_name(err.reason), err.msg);
		hint_hmac_only(p);
		goto out;
	}
	printf("keys: %zu usable, %zu skipped\n", set->n, set->n_skipped);
	for (size_t i = 0; i < set->n; i++) {
		printf("  %-12s kid ", kty_name(set->keys[i].kty));
		put_clean(set->keys[i].kid != NULL ? set->keys[i].kid : "(none)");
		if (set->keys[i].alg != JOSE_ALG_UNKNOWN)
			printf(" alg %s", jose_alg_name(set->keys[i].alg));
		putchar('\n');
	}
	/* a token naming one of these is refused with the reason given here */
	for (size_t i = 0; i < set->n_skipped; i++) {
		printf("  %-12s kid ", "skipped");
		put_clean(set->skipped[i].kid != NULL ? set->skipped[i].kid : "(none)");
		printf(" (key %zu): ", set->skipped[i].index);
		put_clean(set->skipped[i].why);
		putchar('\n');
	}
	if (p->device_authorization_endpoint == NULL) {
		fprintf(stderr, "pam-oidc check: the provider announces no device_authorization_endpoint: "
				"the device flow cannot be used\n");
		hint_no_device(conf.issuer);
		goto out;
	}
	if (set->n == 0 || p->id_token_hmac_only) {
		if (set->n == 0)
			fprintf(stderr,
				"pam-oidc check: the provider publishes no key pam_oidc can use\n");
		hint_hmac_only(p);
		goto out;
	}
	rc = 0;
out:
	jwks_free(set);
	oidc_provider_free(p);
	conf_free(&conf);
	if (curl_ready)
		http_global_cleanup();
	return rc;
}
