/* SPDX-License-Identifier: BSD-2-Clause */
/* pam-oidc login: placeholder until the device flow lands (owned by the child engineer). */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cli_login(int argc, char **argv)
{
	fprintf(stderr, "pam-oidc login: not available in this build yet\n");
	return 2;
}
