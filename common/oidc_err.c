/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "oidc_err.h"

void
oidc_err_clear(struct oidc_err *err)
{
	if (err == NULL)
		return;
	err->reason = OIDC_R_NONE;
	err->msg[0] = '\0';
}

int
oidc_err_set(struct oidc_err *err, enum oidc_reason reason, int errnum,
	     const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && err->reason == OIDC_R_NONE) {
		err->reason = reason;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return errnum > 0 ? -errnum : -EINVAL;
}

const char *
oidc_reason_name(enum oidc_reason reason)
{
	static const char *const names[OIDC__R_MAX] = {
		[OIDC_R_NONE] = "ok",
		[OIDC_R_INTERNAL] = "internal error",
		[OIDC_R_USAGE] = "usage error",
		[OIDC_R_CONFIG] = "configuration error",
		[OIDC_R_MALFORMED] = "malformed",
		[OIDC_R_ALGORITHM] = "algorithm rejected",
		[OIDC_R_NO_KEY] = "no matching key",
		[OIDC_R_BAD_KEY] = "unusable key",
		[OIDC_R_SIGNATURE] = "bad signature",
		[OIDC_R_CRIT] = "unsupported critical header",
		[OIDC_R_ISSUER] = "issuer mismatch",
		[OIDC_R_AUDIENCE] = "audience mismatch",
		[OIDC_R_AZP] = "azp mismatch",
		[OIDC_R_EXPIRED] = "expired",
		[OIDC_R_NOT_YET_VALID] = "not yet valid",
		[OIDC_R_IAT] = "issued in the future",
		[OIDC_R_CLAIM] = "bad claim",
		[OIDC_R_SUBJECT] = "bad subject",
		[OIDC_R_AUTH_TIME] = "authentication too old",
		[OIDC_R_ACR] = "acr not allowed",
		[OIDC_R_NETWORK] = "network error",
		[OIDC_R_HTTP] = "HTTP error",
		[OIDC_R_TOO_LARGE] = "too large",
		[OIDC_R_DISCOVERY] = "discovery error",
		[OIDC_R_THROTTLED] = "JWKS refresh throttled",
		[OIDC_R_DENIED] = "access denied",
		[OIDC_R_TIMEOUT] = "timed out",
		[OIDC_R_USER] = "user mismatch",
	};

	if ((unsigned)reason >= OIDC__R_MAX || names[reason] == NULL)
		return "unknown error";
	return names[reason];
}
