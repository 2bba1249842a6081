/* SPDX-License-Identifier: BSD-2-Clause */
/* The claims policy that a configuration implies; shared by every front end. */
#ifndef OIDC_POLICY_H
#define OIDC_POLICY_H

#include <stdint.h>

#include "claims.h"
#include "conf.h"

struct oidc_err;

/* A claims policy plus the storage it borrows (the split acr and required_claims lists). */
struct policy {
	struct claims_policy claims;
	char **acr;		/* NULL-terminated, owned; NULL when any acr is accepted */
	char **required;	/* NAME, VALUE, ... NULL, owned; NULL when none is required */
};

/*
 * Build the claims policy of conf at time now: issuer, client_id, leeway,
 * max_age, the acr allow-list (acr_values split at commas and white
 * space) and the claims required by value (required_claims, split by
 * conf_required_claims()).  The policy borrows conf's strings: conf must outlive it.
 * Returns 0 or -ENOMEM / -EINVAL with err filled.
 */
int policy_from_conf(const struct oidc_conf *conf, int64_t now, struct policy *ret,
		     struct oidc_err *err);

/* Free what policy_from_conf allocated; NULL-safe. */
void policy_free(struct policy *p);

#endif
