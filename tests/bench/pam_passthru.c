/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam_passthru.so: the stand-in for pam_oidc in the login benchmarks
 * (tests/bench/login_cost.sh, login_scale.sh), built only by `make bench`.
 * In the auth position it asks the same Enter prompt as pam_oidc (so the
 * same expect script drives it; the code is PASS-PID), then appends one line
 *
 *     NAME WALL_US PID
 *
 * to the file of its `mark=PATH` argument (CLOCK_REALTIME µs, the clock of
 * the provider's access log and of expect; NAME from `at=NAME`, default
 * "success") and returns PAM_SUCCESS: the baseline's "success" is the
 * moment pam_oidc's would be the provider's token response.  With `noprompt`
 * (auth) or in the session stack it only writes the mark and returns
 * PAM_IGNORE: a timestamp between two lines of the stack.  Never install
 * it: it lets anyone in.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PAM_SM_AUTH
#define PAM_SM_ACCOUNT
#define PAM_SM_SESSION
#include <security/pam_modules.h>
#include <security/pam_ext.h>

static const char *
arg(int argc, const char **argv, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; i < argc; i++)
		if (strncmp(argv[i], name, n) == 0)
			return argv[i] + n;
	return NULL;
}

static void
mark(int argc, const char **argv)
{
	const char *path = arg(argc, argv, "mark="), *name = arg(argc, argv, "at=");
	struct timespec ts;
	char line[128];
	int fd, n;

	if (path == NULL)
		return;
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	n = snprintf(line, sizeof(line), "%.40s %lld %ld\n", name != NULL ? name : "success",
		     (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000, (long)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) != n) {
		/* a lost mark only loses one sample */
	}
	close(fd);
}

PAM_EXTERN int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	char *resp = NULL;
	int r;

	if (arg(argc, argv, "noprompt") != NULL) {
		mark(argc, argv);
		return PAM_IGNORE;
	}
	/* the code names this process, as the mark does: a benchmark pairs them */
	r = pam_prompt(
		pamh, PAM_PROMPT_ECHO_ON, &resp,
		"Open https://passthru.invalid and enter the code PASS-%ld, then press Enter once you have signed in: ",
		(long)getpid());
	free(resp);
	if (r != PAM_SUCCESS)
		return PAM_CONV_ERR;
	mark(argc, argv);
	return PAM_SUCCESS;
}

PAM_EXTERN int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}

PAM_EXTERN int
pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_IGNORE;
}

PAM_EXTERN int
pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	mark(argc, argv);
	return PAM_IGNORE;
}

PAM_EXTERN int
pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_IGNORE;
}
