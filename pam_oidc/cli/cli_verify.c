/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam-oidc verify: the administrator's check of an ID token, and the way
 * anything outside the library can exercise the verifier.
 *
 *   pam-oidc verify [--config FILE] [--jwks FILE] [--now EPOCH] [--signature-only] [TOKEN | -]
 *
 * Exit 0: valid, the verified claims printed as JSON on stdout.
 * Exit 1: invalid, one line on stderr naming the reason.
 * Exit 2: usage or configuration error.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "conf.h"
#include "discovery.h"
#include "jwks_fetch.h"
#include "http.h"
#include "jws.h"
#include "numparse.h"
#include "oidc_err.h"
#include "policy.h"
#include "safefile.h"
#include "verify.h"

#define EXIT_INVALID 1
#define EXIT_USAGE 2

static void
verify_usage(void)
{
	fprintf(stderr, "usage: pam-oidc verify [--config FILE] [--jwks FILE] [--now EPOCH] "
			"[--signature-only] [TOKEN | -]\n");
}

/* Trim ASCII white space at both ends, in place; returns the start. */
static char *
trim(char *s, size_t *len)
{
	size_t n = *len;

	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		s[--n] = '\0';
	while (n > 0 && strchr(" \t\r\n", *s) != NULL) {
		s++;
		n--;
	}
	*len = n;
	return s;
}

static int
fail(const struct oidc_err *err)
{
	const char *msg = err->msg[0] != '\0' ? err->msg : "verification failed";

	fprintf(stderr, "pam-oidc: %s: %s\n", oidc_reason_name(err->reason), msg);
	return EXIT_INVALID;
}

int
cli_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "jwks", required_argument, NULL, 'j' },
		{ "now", required_argument, NULL, 'n' },
		{ "signature-only", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct sf_policy jwks_file = { .max_size = JWKS_MAX_SIZE,
						    .flags = SF_FOLLOW | SF_ANY_TYPE };
	const char *config_path = NULL, *jwks_path = NULL, *token_arg = "-";
	bool signature_only = false, curl_ready = false;
	int64_t now = (int64_t)time(NULL);
	struct oidc_conf conf;
	struct oidc_err err;
	struct buf tokbuf, jwksbuf;
	struct jwks *set = NULL;
	struct oidc_provider *provider = NULL;
	struct policy pol;
	struct jwks_net net = { 0 };
	struct jwks_source src = { 0 };
	struct verify_policy vp = { 0 };
	struct verify_result res = { 0 };
	json_object *claims = NULL;
	char *token;
	size_t toklen;
	unsigned mask = JOSE_ALG_DEFAULT_MASK;
	int c, r, rc = EXIT_USAGE;

	memset(&pol, 0, sizeof(pol));
	memset(&conf, 0, sizeof(conf));
	oidc_err_clear(&err);
	buf_init(&tokbuf, JWS_MAX_TOKEN + 2);
	buf_init(&jwksbuf, JWKS_MAX_SIZE);

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:j:n:sh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'j':
			jwks_path = optarg;
			break;
		case 'n':
			if (num_parse_i64(optarg, 0, CLAIM_TIME_MAX, &now) < 0) {
				fprintf(stderr, "pam-oidc verify: --now: not a time in seconds since the epoch: '%s'\n",
					optarg);
				goto out;
			}
			break;
		case 's':
			signature_only = true;
			break;
		case 'h':
			verify_usage();
			rc = 0;
			goto out;
		default:
			verify_usage();
			goto out;
		}
	}
	if (argc - optind > 1) {
		verify_usage();
		goto out;
	}
	if (argc - optind == 1)
		token_arg = argv[optind];

	/*
	 * The module's loader (the file may belong to the invoking user);
	 * without --signature-only the claims need issuer and client_id.
	 */
	if (config_path != NULL || !signature_only || jwks_path == NULL) {
		r = conf_load(&conf, config_path, 0, NULL,
			      !signature_only || jwks_path == NULL ? 0 : CONF_LOAD_NO_VALIDATE,
			      &err);
		if (r < 0) {
			fprintf(stderr, "pam-oidc verify: %s\n",
				err.msg[0] != '\0' ? err.msg : strerror(-r));
			goto out;
		}
		mask = conf.algorithms;
	} else if (conf_init(&conf) < 0) {
		fprintf(stderr, "pam-oidc verify: out of memory\n");
		goto out;
	}

	if (strcmp(token_arg, "-") == 0)
		r = sf_read_fd(STDIN_FILENO, &tokbuf, NULL);
	else
		r = buf_append_str(&tokbuf, token_arg);
	if (r < 0) {
		oidc_err_set(&err, r == -EFBIG ? OIDC_R_TOO_LARGE : OIDC_R_MALFORMED, -r,
			     "cannot read the token: %s", strerror(-r));
		rc = fail(&err);
		goto out;
	}
	toklen = tokbuf.len;
	if (tokbuf.data == NULL || (token = trim(tokbuf.data, &toklen), toklen == 0)) {
		fprintf(stderr, "pam-oidc verify: no token given\n");
		goto out;
	}

	if (jwks_path != NULL) {
		/* the administrator's own file: any owner, a symlink or a pipe will do */
		r = sf_read_file(AT_FDCWD, jwks_path, &jwks_file, &jwksbuf, NULL, NULL);
		if (r < 0) {
			fprintf(stderr, "pam-oidc verify: %s: %s\n", jwks_path,
				r == -EFBIG ? "JWKS larger than the limit" : strerror(-r));
			goto out;
		}
		r = jwks_parse(jwksbuf.data != NULL ? jwksbuf.data : "", jwksbuf.len, &set, &err);
		if (r < 0) {
			fprintf(stderr, "pam-oidc verify: %s: %s\n", jwks_path, err.msg);
			goto out;
		}
		src = jwks_source_fixed(set);
	} else {
		r = http_global_init();
		if (r < 0) {
			fprintf(stderr, "pam-oidc verify: cannot initialise libcurl\n");
			goto out;
		}
		curl_ready = true;
		http_opts_from_conf(&conf, 0, 0, &net.http);
		r = discovery_load(&conf, &net.http, now, &provider, &err);
		if (r < 0) {
			rc = fail(&err);
			goto out;
		}
		net.conf = &conf;
		net.prov = provider;
		net.now = now;
		src = (struct jwks_source){ .load = jwks_net_load, .ctx = &net, .can_refresh = true };
	}

	if (!signature_only) {
		r = policy_from_conf(&conf, now, &pol, &err);
		if (r < 0) {
			fprintf(stderr, "pam-oidc verify: %s\n", err.msg);
			goto out;
		}
		vp.claims = &pol.claims;
	}
	vp.allowed_mask = mask;
	r = verify_token(token, toklen, &src, &vp, &res, &err);
	if (r < 0) {
		rc = fail(&err);
		goto out;
	}
	claims = res.claims;
	res.claims = NULL;

	if (claims != NULL)
		printf("%s\n", json_object_to_json_string_ext(claims, JSON_C_TO_STRING_PRETTY |
								       JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		printf("{}\n");
	rc = fflush(stdout) == 0 ? 0 : EXIT_INVALID;
out:
	json_object_put(claims);
	verify_result_free(&res);
	jwks_free(net.set);
	jwks_free(set);
	oidc_provider_free(provider);
	policy_free(&pol);
	conf_free(&conf);
	buf_free(&tokbuf);
	buf_free(&jwksbuf);
	if (curl_ready)
		http_global_cleanup();
	return rc;
}
