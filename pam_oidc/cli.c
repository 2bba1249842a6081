/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
	fprintf(stderr, "usage: pam-oidc verify ...\n");
	return 2;
}
