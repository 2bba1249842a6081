/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A verified identity: what oidc-child answers and what the module hands
 * from the authentication to the session phase.  One type for both sides
 * of the child protocol.
 */
#ifndef OIDC_IDENTITY_H
#define OIDC_IDENTITY_H

#include <stdint.h>

struct oidc_identity {
	char *user;		/* the local account; equals PAM_USER */
	char *issuer;
	char *subject;
	char *username;		/* the mapping claim's value, or the subject with a map file */
	char *email;		/* "" when absent */
	char *acr;		/* "" when absent */
	int64_t auth_time;	/* 0 when absent */
};

/* Wipe and free the members; NULL-safe; the struct is zeroed after. */
void oidc_identity_clear(struct oidc_identity *id);

/* oidc_identity_clear, then free the struct itself; NULL-safe. */
void oidc_identity_free(struct oidc_identity *id);

#endif
