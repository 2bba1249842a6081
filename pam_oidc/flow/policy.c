/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oidc_err.h"
#include "policy.h"

/* Split "a, b c" into a NULL-terminated list; an empty list is -EINVAL. */
static int
split_list(const char *s, char ***ret)
{
	const char *sep = ", \t";
	char **list = NULL;
	size_t n = 0, i = 0, len;
	int r = -ENOMEM;

	for (const char *p = s; *p != '\0';) {
		p += strspn(p, sep);
		len = strcspn(p, sep);
		if (len > 0)
			n++;
		p += len;
	}
	if (n == 0)
		return -EINVAL;
	list = calloc(n + 1, sizeof(*list));
	if (list == NULL)
		goto out;
	for (const char *p = s; *p != '\0';) {
		p += strspn(p, sep);
		len = strcspn(p, sep);
		if (len > 0) {
			list[i] = strndup(p, len);
			if (list[i] == NULL)
				goto out;
			i++;
		}
		p += len;
	}
	*ret = list;
	list = NULL;
	r = 0;
out:
	conf_list_free(list);
	return r;
}

int
policy_from_conf(const struct oidc_conf *conf, int64_t now, struct policy *ret,
		 struct oidc_err *err)
{
	struct policy p;
	int r;

	memset(&p, 0, sizeof(p));
	if (conf->issuer == NULL || conf->client_id == NULL)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "issuer and client_id must be configured");
	if (conf->acr_values != NULL && conf->acr_values[0] != '\0') {
		r = split_list(conf->acr_values, &p.acr);
		if (r < 0)
			return oidc_err_set(err, r == -ENOMEM ? OIDC_R_INTERNAL : OIDC_R_CONFIG, -r,
					    "acr_values: cannot use the list");
	}
	r = conf_required_claims(conf->required_claims, &p.required, err);
	if (r < 0) {
		conf_list_free(p.acr);
		return r;
	}
	p.claims.issuer = conf->issuer;
	p.claims.client_id = conf->client_id;
	p.claims.now = now;
	p.claims.leeway = conf->leeway;
	p.claims.max_age = conf->max_age;
	p.claims.acr_values = (const char *const *)p.acr;
	p.claims.required = (const char *const *)p.required;
	*ret = p;
	return 0;
}

void
policy_free(struct policy *p)
{
	if (p == NULL)
		return;
	conf_list_free(p->acr);
	p->acr = NULL;
	p->claims.acr_values = NULL;
	conf_list_free(p->required);
	p->required = NULL;
	p->claims.required = NULL;
}
