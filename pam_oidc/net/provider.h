/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What discovery learnt about a provider: the type discovery.c fills and
 * jwks_fetch / device_flow read, so that neither needs the other.
 */
#ifndef OIDC_PROVIDER_H
#define OIDC_PROVIDER_H

#include <stdbool.h>

struct oidc_provider {
	char *issuer;
	char *authorization_endpoint;		/* may be NULL */
	char *token_endpoint;
	char *device_authorization_endpoint;	/* may be NULL */
	char *jwks_uri;
	char *userinfo_endpoint;		/* may be NULL */
	bool id_token_hmac_only; /* id_token_signing_alg_values_supported: HS* only */
	/* the device_authorization_endpoint option: used (discovery named none), or ignored */
	bool device_endpoint_from_conf;
	bool device_endpoint_option_ignored;
};

/* Free a provider description (NULL-safe). */
void oidc_provider_free(struct oidc_provider *p);

#endif
