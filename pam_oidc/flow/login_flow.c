/* SPDX-License-Identifier: BSD-2-Clause */
/* The login flow shared by oidc-child and pam-oidc login. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "claims.h"
#include "clock.h"
#include "conf.h"
#include "device_flow.h"
#include "discovery.h"
#include "jwks_fetch.h"
#include "http.h"
#include "login_flow.h"
#include "oidc_err.h"
#include "policy.h"
#include "usermap.h"
#include "verify.h"

/* The printable name of a step. */
const char *
login_step_name(enum login_step step)
{
	static const char *const names[LOGIN_STEP__MAX] = {
		[LOGIN_STEP_DISCOVERY] = "discovery",
		[LOGIN_STEP_DEVICE_CODE] = "device code",
		[LOGIN_STEP_WAITING] = "waiting",
		[LOGIN_STEP_TOKEN] = "token",
		[LOGIN_STEP_SIGNATURE] = "signature",
		[LOGIN_STEP_CLAIMS] = "claims",
		[LOGIN_STEP_MAPPING] = "mapping",
	};

	if ((unsigned)step >= LOGIN_STEP__MAX)
		return "?";
	return names[step];
}

struct flow {
	const struct oidc_conf *conf;
	const struct login_flow_ops *ops;
	void *ctx;
	int64_t start_ms;
	int64_t deadline_ms;
};

static void
step_done(struct flow *f, enum login_step step, int r, const char *detail,
	  const struct oidc_err *err)
{
	if (f->ops->step != NULL)
		f->ops->step(f->ctx, step, r, clock_mono_ms() - f->start_ms,
			     detail != NULL ? detail : "", err);
}

/*
 * The HTTP options for one request of the flow: the configuration's, each
 * timeout ending at the deadline.  Returns 0, or -ETIMEDOUT with err
 * filled when the deadline has passed.
 */
static int
flow_http(const struct flow *f, struct http_opts *ret, struct oidc_err *err)
{
	int64_t remaining = f->deadline_ms - clock_mono_ms();

	if (remaining <= 0)
		return oidc_err_set(err, OIDC_R_TIMEOUT, ETIMEDOUT, "deadline passed");
	http_opts_from_conf(f->conf, remaining, 0, ret);
	return 0;
}

/*
 * A request failed with lerr: when the deadline has passed meanwhile the
 * cause is the deadline (the request only had the time that was left),
 * else lerr's own reason.  Returns r.
 */
static int
request_failed(const struct flow *f, int r, const struct oidc_err *lerr, const char *what,
	       struct oidc_err *err)
{
	if (clock_mono_ms() >= f->deadline_ms)
		oidc_err_set(err, OIDC_R_TIMEOUT, ETIMEDOUT, "deadline passed during %s", what);
	else
		oidc_err_set(err, lerr->reason != OIDC_R_NONE ? lerr->reason : OIDC_R_INTERNAL, -r,
			     "%s", lerr->msg);
	return r;
}

/* The flow's key set: the provider's JWKS, each fetch bounded by the deadline. */
struct flow_keys {
	struct flow *flow;
	struct jwks_net net;
};

static int
flow_keys_load(void *ctx, bool refresh, const struct jwks **ret, struct oidc_err *err)
{
	struct flow_keys *k = ctx;
	struct oidc_err lerr;
	int r;

	if ((r = flow_http(k->flow, &k->net.http, err)) < 0)
		return r;
	k->net.now = time(NULL);
	oidc_err_clear(&lerr);
	r = jwks_net_load(&k->net, refresh, ret, &lerr);
	if (r < 0)
		return request_failed(k->flow, r, &lerr,
				      refresh ? "the JWKS refetch" : "the JWKS request", err);
	return 0;
}

/*
 * The ID token through verify_token(), the verdict pam-oidc verify gives
 * too, reported as the signature and claims steps.
 */
static int
flow_verify(struct flow *f, const struct oidc_provider *prov, const char *token,
	    json_object **ret_claims, struct oidc_err *err)
{
	const struct oidc_conf *conf = f->conf;
	struct flow_keys keys = { .flow = f, .net = { .conf = conf, .prov = prov } };
	struct jwks_source src = { .load = flow_keys_load, .ctx = &keys, .can_refresh = true };
	struct verify_result res = { 0 };
	struct verify_policy vp;
	struct policy pol = { 0 };
	char detail[256];
	int r;

	r = policy_from_conf(conf, time(NULL), &pol, err);
	if (r < 0) {
		step_done(f, LOGIN_STEP_CLAIMS, r, NULL, err);
		return r;
	}
	vp = (struct verify_policy){ .allowed_mask = conf->algorithms, .claims = &pol.claims };
	r = verify_token(token, strlen(token), &src, &vp, &res, err);
	if (res.stage == VERIFY_STAGE_SIGNATURE) {
		step_done(f, LOGIN_STEP_SIGNATURE, r, NULL, err);
		goto out;
	}
	/* a refetch is worth a line in the log: the provider rotated its keys */
	snprintf(detail, sizeof(detail), "%s%s%.64s%s%s", res.alg[0] ? res.alg : "?",
		 res.kid[0] ? ", kid " : "", res.kid, res.refetched ? "; key set refetched: " : "",
		 res.refetched && res.refetch_why != NULL ? res.refetch_why : "");
	step_done(f, LOGIN_STEP_SIGNATURE, 0, detail, NULL);
	if (r < 0) {
		step_done(f, LOGIN_STEP_CLAIMS, r, NULL, err);
		goto out;
	}
	snprintf(detail, sizeof(detail), "iss, aud, azp, exp, iat, nbf%s%s%s",
		 conf->max_age >= 0 ? ", auth_time (max_age)" : "",
		 pol.claims.acr_values != NULL ? ", acr" : "",
		 pol.claims.required != NULL ? ", required_claims" : "");
	step_done(f, LOGIN_STEP_CLAIMS, 0, detail, NULL);
	*ret_claims = res.claims;
	res.claims = NULL;
out:
	verify_result_free(&res);
	policy_free(&pol);
	jwks_free(keys.net.set);
	return r;
}

/* Run the whole login for want_user; 0 and the verified identity, or -errno (see login_flow.h). */
int
login_flow_run(const struct oidc_conf *conf, const char *want_user,
	       const struct login_flow_ops *ops, void *ctx, struct oidc_identity **ret,
	       struct oidc_err *err)
{
	struct flow f = { .conf = conf, .ops = ops, .ctx = ctx };
	struct oidc_provider *prov = NULL;
	struct device_auth *da = NULL;
	struct device_client client = { .client_id = conf->client_id };
	struct oidc_identity *id = NULL;
	struct http_opts http;
	struct oidc_err lerr;
	json_object *claims = NULL;
	char *secret = NULL, *token = NULL, detail[200];
	const char *note = "";
	unsigned polls = 0;
	int r;

	f.start_ms = clock_mono_ms();
	f.deadline_ms = f.start_ms + (conf->timeout > 0 ? conf->timeout : 100) * 1000;
	if (want_user == NULL || ops == NULL || ops->show == NULL || ops->wait == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, EINVAL, "login_flow_run: bad arguments");
		goto out;
	}
	/* fail on a local problem before the provider is contacted */
	if (!usermap_name_valid(want_user)) {
		r = oidc_err_set(err, OIDC_R_USER, EINVAL, "the requested user name is not valid");
		goto out;
	}
	if (conf->client_secret_file != NULL) {
		r = device_read_client_secret(conf->client_secret_file, &secret, err);
		if (r < 0)
			goto out;
		client.secret = secret;
	}

	if ((r = flow_http(&f, &http, err)) == 0) {
		oidc_err_clear(&lerr);
		r = discovery_load(conf, &http, time(NULL), &prov, &lerr);
		if (r < 0)
			request_failed(&f, r, &lerr, "discovery", err);
	}
	if (r == 0 && prov->device_authorization_endpoint == NULL)
		r = oidc_err_set(err, OIDC_R_DISCOVERY, EOPNOTSUPP,
				 "the provider announces no device_authorization_endpoint (if it "
				 "supports the grant anyway, as GitLab does, set the option "
				 "device_authorization_endpoint)");
	if (r == 0 && prov->device_endpoint_option_ignored)
		note = " (option device_authorization_endpoint ignored: discovery names one)";
	else if (r == 0 && prov->device_endpoint_from_conf)
		note = " (device endpoint from the configuration)";
	if (r == 0)
		snprintf(detail, sizeof(detail), "%.128s%s", prov->issuer, note);
	step_done(&f, LOGIN_STEP_DISCOVERY, r, r == 0 ? detail : NULL, err);
	if (r < 0)
		goto out;

	oidc_err_clear(&lerr);
	r = device_authorize(conf, prov, &client, f.deadline_ms - clock_mono_ms(), &da, &lerr);
	if (r < 0)
		request_failed(&f, r, &lerr, "the device authorization request", err);
	if (r == 0)
		snprintf(detail, sizeof(detail), "expires in %lld s, polling every %lld s",
			 (long long)da->expires_in, (long long)da->interval);
	step_done(&f, LOGIN_STEP_DEVICE_CODE, r, r == 0 ? detail : NULL, err);
	if (r < 0)
		goto out;
	r = ops->show(ctx, da, err);
	if (r < 0) {
		oidc_err_set(err, OIDC_R_INTERNAL, -r, "cannot show the code");
		goto out;
	}

	r = device_poll(conf, prov, &client, da, f.deadline_ms, ops->wait, ctx, &token, &polls,
			err);
	snprintf(detail, sizeof(detail), "%u token request%s", polls, polls == 1 ? "" : "s");
	step_done(&f, LOGIN_STEP_WAITING, r, detail, err);
	if (r < 0)
		goto out;
	snprintf(detail, sizeof(detail), "id_token of %zu bytes", strlen(token));
	step_done(&f, LOGIN_STEP_TOKEN, 0, detail, NULL);

	r = flow_verify(&f, prov, token, &claims, err);
	if (r < 0)
		goto out;

	r = usermap_map(conf, claims, want_user, &id, err);
	if (r == 0)
		snprintf(detail, sizeof(detail), "%s -> local user %s", id->username, id->user);
	step_done(&f, LOGIN_STEP_MAPPING, r, r == 0 ? detail : NULL, err);
	if (r < 0)
		goto out;
	*ret = id;
	id = NULL;
	r = 0;
out:
	oidc_identity_free(id);
	if (claims != NULL)
		json_object_put(claims);
	secure_free_str(token);
	secure_free_str(secret);
	device_auth_free(da);
	oidc_provider_free(prov);
	return r;
}
