/* SPDX-License-Identifier: BSD-2-Clause */
/* pam-oidc: the administrator's tool.  Dispatches to one file per subcommand. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: pam-oidc verify [--config FILE] [--jwks FILE] [--now EPOCH] [--signature-only] [TOKEN | -]\n"
		"       pam-oidc login [--config FILE] [--user NAME]\n"
		"       pam-oidc check [--config FILE]\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "verify") == 0)
		return cli_verify(argc - 1, argv + 1);
	if (strcmp(argv[1], "login") == 0)
		return cli_login(argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return cli_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "pam-oidc: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
