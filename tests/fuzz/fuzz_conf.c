/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz the configuration parser through its real entry point: the input is
 * written to a private temporary file that conf_load_file opens with all of
 * its safety checks.
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "conf.h"
#include "fuzz.h"
#include "oidc_err.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz_conf.XXXXXX";
	struct oidc_conf conf;
	struct oidc_err err;
	int fd;

	fd = mkstemp(path);
	if (fd < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (conf_init(&conf) != 0)
		abort();
	oidc_err_clear(&err);
	if (conf_load_file(&conf, path, true, &err) == 0) {
		oidc_err_clear(&err);
		(void)conf_validate(&conf, &err);
	}
	conf_free(&conf);
	unlink(path);
	return 0;
}
