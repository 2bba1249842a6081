/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "identity.h"

/* See identity.h. */
void
oidc_identity_clear(struct oidc_identity *id)
{
	if (id == NULL)
		return;
	secure_free_str(id->user);
	secure_free_str(id->issuer);
	secure_free_str(id->subject);
	secure_free_str(id->username);
	secure_free_str(id->email);
	secure_free_str(id->acr);
	memset(id, 0, sizeof(*id));
}

/* See identity.h. */
void
oidc_identity_free(struct oidc_identity *id)
{
	if (id == NULL)
		return;
	oidc_identity_clear(id);
	free(id);
}
