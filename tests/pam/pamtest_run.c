/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pamtest_run: drive one login through the real libpam (under
 * pam_wrapper) with libpamtest and report what happened, for the shell
 * tests in tests/pam/.  The conversation plays the person: it reads the
 * user code out of the echo-on prompt and approves or denies it at the test
 * provider with tests/idp/approve.js, as someone would in a browser, then
 * presses Enter.
 *
 *   pamtest_run SERVICE USER MODE [session]
 *
 * MODE: approve:ACCOUNT        approve, then press Enter
 *       approve-late:ACCOUNT   press Enter at once, approve 2 s later
 *       deny:ACCOUNT           deny, then press Enter
 *       enter                  press Enter without approving
 *       convfail               the conversation fails every call
 *       password               like sshd's password method: echo-off
 *                              prompts get a password, echo-on ones fail
 *       noauth                 no authentication: open and close a session
 * With PAMTEST_SSH_AUTH_INFO_0 set, only authentication runs, with that
 * value in the PAM environment as sshd would put it.
 * Output lines: "msg STYLE TEXT" per message (newlines as \n), "auth RV",
 * with "session" also "open RV", "env NAME=VALUE"..., "close RV", and
 * "total_ms N" (time spent in libpam).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <security/pam_appl.h>
#include <libpamtest.h>

extern char **environ;

/* argv for posix_spawn is char *const[]; the strings are never written. */
static char *
S(const char *s)
{
	return (char *)(uintptr_t)s;
}

struct run {
	const char *mode;
	const char *account;
	bool approved;
};

static const char *
rv_name(int rv)
{
	switch (rv) {
	case PAM_SUCCESS: return "PAM_SUCCESS";
	case PAM_AUTH_ERR: return "PAM_AUTH_ERR";
	case PAM_AUTHINFO_UNAVAIL: return "PAM_AUTHINFO_UNAVAIL";
	case PAM_USER_UNKNOWN: return "PAM_USER_UNKNOWN";
	case PAM_CONV_ERR: return "PAM_CONV_ERR";
	case PAM_SESSION_ERR: return "PAM_SESSION_ERR";
	case PAM_IGNORE: return "PAM_IGNORE";
	case PAM_PERM_DENIED: return "PAM_PERM_DENIED";
	case PAM_SYSTEM_ERR: return "PAM_SYSTEM_ERR";
	case PAM_BUF_ERR: return "PAM_BUF_ERR";
	case PAM_ABORT: return "PAM_ABORT";
	default: return "PAM_OTHER";
	}
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
print_msg(int style, const char *text)
{
	const char *p;

	printf("msg %d ", style);
	for (p = text; *p != '\0'; p++) {
		if (*p == '\n')
			fputs("\\n", stdout);
		else
			putchar(*p);
	}
	putchar('\n');
	fflush(stdout);
}

/* The environment for node: ours without the pam_wrapper preload. */
static char **
child_env(void)
{
	static char *env[256];
	size_t i, n = 0;

	for (i = 0; environ[i] != NULL && n < 255; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0)
			env[n++] = environ[i];
	env[n] = NULL;
	return env;
}

/* Run approve.js for code (after delay_s seconds); wait for it unless background. */
static int
approve(const char *code, const char *account, bool deny, unsigned delay_s, bool background)
{
	const char *srcdir = secure_getenv("top_srcdir");
	char script[4096], delay[16];
	char *argv[12];
	int n = 0, status;
	pid_t pid;

	snprintf(script, sizeof(script), "%s/tests/idp/approve.js", srcdir != NULL ? srcdir : ".");
	snprintf(delay, sizeof(delay), "%u", delay_s);
	if (delay_s > 0) {
		/* sh -c 'sleep N && exec node approve.js ...' */
		argv[n++] = S("sh");
		argv[n++] = S("-c");
		argv[n++] = S("sleep \"$0\" && exec node \"$@\"");
		argv[n++] = delay;
	} else
		argv[n++] = S("node");
	argv[n++] = script;
	if (deny)
		argv[n++] = S("--deny");
	argv[n++] = S(code);
	argv[n++] = S(account);
	argv[n] = NULL;
	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, child_env()) != 0)
		return -1;
	if (background)
		return 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	printf("approve_exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The user code from "... enter the code CODE, then press Enter ..." */
static bool
find_code(const char *prompt, char *code, size_t codesz)
{
	const char *p = strstr(prompt, "the code ");
	size_t n;

	if (p == NULL)
		return false;
	p += 9;
	n = strcspn(p, ", \n");
	if (n == 0 || n >= codesz)
		return false;
	memcpy(code, p, n);
	code[n] = '\0';
	return true;
}

static int
conv(int num_msg, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	struct run *run = data;
	struct pam_response *r;
	char code[128];
	int i;

	if (strcmp(run->mode, "convfail") == 0)
		return PAM_CONV_ERR;
	r = calloc((size_t)num_msg, sizeof(*r));
	if (r == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < num_msg; i++) {
		print_msg(msg[i]->msg_style, msg[i]->msg);
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			if (strcmp(run->mode, "password") != 0)
				goto fail;
			r[i].resp = strdup("not-a-password");
			break;
		case PAM_PROMPT_ECHO_ON:
			if (strcmp(run->mode, "password") == 0)
				goto fail;
			if (run->account != NULL && !run->approved && find_code(msg[i]->msg, code, sizeof(code))) {
				run->approved = true;
				if (strcmp(run->mode, "approve-late") == 0)
					approve(code, run->account, false, 2, true);
				else
					approve(code, run->account, strcmp(run->mode, "deny") == 0, 0, false);
			}
			r[i].resp = strdup("");
			break;
		default:
			break;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
fail:
	for (i = 0; i < num_msg; i++)
		free(r[i].resp);
	free(r);
	return PAM_CONV_ERR;
}

/*
 * sshd puts SSH_AUTH_INFO_0 into the PAM environment before the auth
 * stack runs; libpamtest cannot, so this path calls libpam itself.
 */
static int
auth_with_env(const char *service, const char *user, struct run *run, const char *info,
	      uint64_t t0)
{
	struct pam_conv pc = { conv, run };
	pam_handle_t *ph = NULL;
	char *kv = NULL;
	int rv;

	rv = pam_start(service, user, &pc, &ph);
	if (rv != PAM_SUCCESS) {
		printf("pamtest_error pam_start\n");
		return 1;
	}
	if (asprintf(&kv, "SSH_AUTH_INFO_0=%s", info) < 0 || pam_putenv(ph, kv) != PAM_SUCCESS) {
		printf("pamtest_error pam_putenv\n");
		return 1;
	}
	free(kv);
	rv = pam_authenticate(ph, 0);
	printf("auth %s\n", rv_name(rv));
	pam_end(ph, rv);
	printf("total_ms %llu\n", (unsigned long long)(now_ms() - t0));
	return 0;
}

int
main(int argc, char **argv)
{
	struct run run = { 0 };
	struct pam_testcase auth_only[] = {
		pam_test(PAMTEST_AUTHENTICATE, PAM_SUCCESS),
	};
	struct pam_testcase with_session[] = {
		pam_test(PAMTEST_AUTHENTICATE, PAM_SUCCESS),
		pam_test(PAMTEST_OPEN_SESSION, PAM_SUCCESS),
		pam_test(PAMTEST_GETENVLIST, PAM_SUCCESS),
		pam_test(PAMTEST_CLOSE_SESSION, PAM_SUCCESS),
	};
	struct pam_testcase session_only[] = {
		pam_test(PAMTEST_OPEN_SESSION, PAM_SUCCESS),
		pam_test(PAMTEST_GETENVLIST, PAM_SUCCESS),
		pam_test(PAMTEST_CLOSE_SESSION, PAM_SUCCESS),
	};
	struct pam_testcase *tc;
	const struct pam_testcase *failed = NULL;
	enum pamtest_err perr;
	size_t ntc, i, ran;
	uint64_t t0;
	char *colon;
	bool session;

	if (argc < 4) {
		fprintf(stderr, "usage: pamtest_run SERVICE USER MODE [session]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	run.mode = argv[3];
	colon = strchr(argv[3], ':');
	if (colon != NULL) {
		*colon = '\0';
		run.account = colon + 1;
	}
	session = argc > 4 && strcmp(argv[4], "session") == 0;
	tc = session ? with_session : auth_only;
	ntc = session ? 4 : 1;
	if (strcmp(run.mode, "noauth") == 0) {
		tc = session_only;
		ntc = 3;
	}
	t0 = now_ms();
	if (secure_getenv("PAMTEST_SSH_AUTH_INFO_0") != NULL)
		return auth_with_env(argv[1], argv[2], &run, secure_getenv("PAMTEST_SSH_AUTH_INFO_0"), t0);
	perr = _pamtest_conv(argv[1], argv[2], conv, &run, tc, ntc, NULL);
	if (perr == PAMTEST_ERR_CASE)
		failed = _pamtest_failed_case(tc, ntc);
	else if (perr != PAMTEST_ERR_OK) {
		printf("pamtest_error %s\n", pamtest_strerror(perr));
		return 1;
	}
	ran = failed != NULL ? (size_t)(failed - tc) + 1 : ntc;
	for (i = 0; i < ran; i++) {
		switch (tc[i].pam_operation) {
		case PAMTEST_AUTHENTICATE:
			printf("auth %s\n", rv_name(tc[i].op_rv));
			break;
		case PAMTEST_OPEN_SESSION:
			printf("open %s\n", rv_name(tc[i].op_rv));
			break;
		case PAMTEST_GETENVLIST:
			for (char **e = tc[i].case_out.envlist; e != NULL && *e != NULL; e++)
				printf("env %s\n", *e);
			pamtest_free_env(tc[i].case_out.envlist);
			break;
		case PAMTEST_CLOSE_SESSION:
			printf("close %s\n", rv_name(tc[i].op_rv));
			break;
		default:
			break;
		}
	}
	printf("total_ms %llu\n", (unsigned long long)(now_ms() - t0));
	return 0;
}
