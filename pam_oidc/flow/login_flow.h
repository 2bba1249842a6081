/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The whole login of DESIGN.md steps 2-7 as one library call, shared by
 * oidc-child (for the module) and `pam-oidc login` (the administrator's dry
 * run), so that what an administrator tests is what the module does:
 * discovery -> device authorization -> show -> poll -> ID token signature
 * (one JWKS refetch on an unknown kid) -> claims -> user mapping.
 */
#ifndef OIDC_LOGIN_FLOW_H
#define OIDC_LOGIN_FLOW_H

#include <stdint.h>

#include "device_flow.h"
#include "usermap.h"

struct oidc_conf;
struct oidc_err;

enum login_step {
	LOGIN_STEP_DISCOVERY = 0,
	LOGIN_STEP_DEVICE_CODE,
	LOGIN_STEP_WAITING,
	LOGIN_STEP_TOKEN,
	LOGIN_STEP_SIGNATURE,
	LOGIN_STEP_CLAIMS,
	LOGIN_STEP_MAPPING,
	LOGIN_STEP__MAX
};

struct login_flow_ops {
	/* Show the link and code (required).  Non-zero ends the flow (err filled). */
	int (*show)(void *ctx, const struct device_auth *da, struct oidc_err *err);
	/* Wait between polls (required); see device_wait_fn. */
	device_wait_fn wait;
	/*
	 * Optional: a step ended; r is 0 or its negative errno, elapsed_ms since
	 * the flow began, detail a short line without secrets (may be "").
	 */
	void (*step)(void *ctx, enum login_step step, int r, int64_t elapsed_ms,
		     const char *detail, const struct oidc_err *err);
};

/* Name of a step ("discovery", "device code", ...). */
const char *login_step_name(enum login_step step);

/*
 * Run the login for local user want_user under conf (already validated),
 * never past conf->timeout seconds from the call.  Returns 0 and *ret, the
 * verified identity for exactly want_user, or a negative errno with err
 * filled with the precise reason.
 */
int login_flow_run(const struct oidc_conf *conf, const char *want_user,
		   const struct login_flow_ops *ops, void *ctx, struct oidc_identity **ret,
		   struct oidc_err *err);

#endif
