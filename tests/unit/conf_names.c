/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helper for conf_manpage.sh and module_manpage.sh, which check
 * man/pam_oidc.conf.5 and man/pam_oidc.8 against the parser:
 *   conf_names               print every option name of the file, one per line
 *   conf_names module        print every module-only option name
 *   conf_names set KEY VALUE exit 0 when conf_set accepts the pair, 1 if not
 *   conf_names get KEY       print the default of a numeric option (exit 2
 *                            when KEY is not numeric)
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "oidc_err.h"

static const struct {
	const char *name;
	size_t offset;
} numeric[] = {
#define NUM(m) { #m, offsetof(struct oidc_conf, m) }
	NUM(leeway), NUM(max_age), NUM(http_timeout), NUM(connect_timeout),
	NUM(discovery_ttl), NUM(jwks_ttl), NUM(jwks_refresh_interval), NUM(timeout),
	NUM(poll_interval),
#undef NUM
};

int
main(int argc, char **argv)
{
	struct oidc_conf conf;
	struct oidc_err err;
	const char *const *n;
	size_t i;
	int r;

	if (argc == 1 || (argc == 2 && strcmp(argv[1], "module") == 0)) {
		for (n = argc == 1 ? conf_option_names() : conf_module_option_names(); *n != NULL;
		     n++)
			printf("%s\n", *n);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (conf_init(&conf) < 0)
		return 3;
	if (argc == 4 && strcmp(argv[1], "set") == 0) {
		oidc_err_clear(&err);
		r = conf_set(&conf, argv[2], argv[3], &err);
		conf_free(&conf);
		return r == 0 ? 0 : 1;
	}
	if (argc == 3 && strcmp(argv[1], "get") == 0) {
		for (i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++) {
			if (strcmp(numeric[i].name, argv[2]) == 0) {
				printf("%lld\n",
				       (long long)*(int64_t *)((char *)&conf + numeric[i].offset));
				conf_free(&conf);
				return 0;
			}
		}
		conf_free(&conf);
		return 2;
	}
	conf_free(&conf);
	fprintf(stderr, "usage: conf_names [module | set KEY VALUE | get KEY]\n");
	return 3;
}
