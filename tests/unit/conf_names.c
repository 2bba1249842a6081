/* SPDX-License-Identifier: BSD-2-Clause */
/* Print the option names the configuration parser knows, one per line (for conf_manpage.sh). */
#include "config.h"

#include <stdio.h>

#include "conf.h"

int
main(void)
{
	const char *const *n;

	for (n = conf_option_names(); *n != NULL; n++)
		printf("%s\n", *n);
	return fflush(stdout) == 0 ? 0 : 1;
}
