/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cli_verify(int argc, char **argv)
{
	fprintf(stderr, "pam-oidc verify: not implemented yet\n");
	return 2;
}
