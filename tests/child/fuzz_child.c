/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz what oidc-child takes from outside: the first byte picks the
 * parser, the rest is its input.  0: a protocol line (child_proto_split,
 * then child_proto_step_parse for a step line); 1: a device authorization
 * response; 2: a token response (its status picked by the second byte:
 * 200, 400, 401, 403, 428, 429, 500, 302); 3:
 * a claim set through the user mapping (strict JSON first, as after
 * verification).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "child_proto.h"
#include "conf.h"
#include "device_flow.h"
#include "fuzz.h"
#include "json_strict.h"
#include "oidc_err.h"
#include "usermap.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oidc_err err;
	struct device_auth *da = NULL;
	struct oidc_identity *id = NULL;
	struct oidc_conf conf;
	json_object *claims = NULL;
	char *s, *key, *value, *tok = NULL, enc[CHILD_PROTO_MAX_LINE + 1];
	char email[] = "email", dom[] = "example.test", groups[] = "admins dev";
	struct child_proto_step step;
	static const long statuses[] = { 200, 400, 401, 403, 428, 429, 500, 302 };
	const char *p;
	long status;
	int r;

	if (size < 2 || size > (1 << 20))
		return 0;
	s = malloc(size);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	oidc_err_clear(&err);
	switch (data[0] % 4) {
	case 0:
		if (child_proto_split(s, &key, &value) == 0) {
			/* whatever decodes must encode back to a valid line */
			if (child_proto_encode(value, enc, sizeof(enc)) == 0 && strchr(enc, ' ') != NULL)
				abort();
			/* a step line the module would log holds no control byte */
			if (strcmp(key, "step") == 0 && child_proto_step_parse(value, &step) == 0) {
				for (p = step.detail; *p != '\0'; p++)
					if ((unsigned char)*p < 0x20 || *p == 0x7f)
						abort();
			}
		}
		break;
	case 1:
		if (device_auth_parse(200, s, size - 1, 5, &da, &err) == 0) {
			if (da->interval < DEVICE_INTERVAL_MIN || da->interval > DEVICE_INTERVAL_MAX ||
			    strncmp(da->verification_uri, "https://", 8) != 0)
				abort();
			device_auth_free(da);
		}
		break;
	case 2:
		if (size <= 2)
			break;
		status = statuses[data[1] % (sizeof(statuses) / sizeof(statuses[0]))];
		r = device_token_parse(status, s + 1, size - 2, &tok, &err);
		if (r == DEVICE_POLL_TOKEN)
			secure_free_str(tok);
		/* only a 4xx may keep the flow polling, only a 200 hand out a token */
		if ((r == DEVICE_POLL_PENDING || r == DEVICE_POLL_SLOW_DOWN) &&
		    (status < 400 || status > 499))
			abort();
		if (r == DEVICE_POLL_TOKEN && status != 200)
			abort();
		break;
	case 3:
		if (json_strict_parse(s, size - 1, 1 << 16, JSON_STRICT_MAX_DEPTH, true, &claims,
				      NULL) != 0)
			break;
		memset(&conf, 0, sizeof(conf));
		if (usermap_map(&conf, claims, "root", &id, &err) == 0) {
			if (strcmp(id->user, "root") != 0)
				abort();
			oidc_identity_free(id);
			id = NULL;
		}
		conf.username_claim = email;
		conf.username_domain = dom;
		conf.allowed_groups = groups;
		oidc_err_clear(&err);
		if (usermap_map(&conf, claims, "root", &id, &err) == 0)
			oidc_identity_free(id);
		json_object_put(claims);
		break;
	}
	free(s);
	return 0;
}
