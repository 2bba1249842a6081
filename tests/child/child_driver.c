/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * child_driver: start oidc-child the way pam_oidc.so does (socketpair on
 * fd 3, 0-2 on /dev/null, empty environment, new session) and speak the
 * line protocol with it through the module's own channel (shared/chan.c),
 * for the shell tests in tests/child/.
 *
 *   child_driver [--config FILE] [--user NAME] [--service S] [--arg k=v]...
 *                [--inherit-env] [--stderr FILE] [--on-shown CMD]
 *                [--cancel-after MS] [--kill-after S] CHILD
 *
 * Every line the child sends is printed decoded, "key value"; a line the
 * channel refuses as "protocol-error" (and, when it breaks the framing,
 * the reason).  With
 * --on-shown, CMD runs under /bin/sh once "shown" arrives, with USER_CODE
 * and VERIFICATION_URI in its environment (the driver keeps reading).
 * --inherit-env hands the driver's own environment to the child instead
 * of an empty one (to show the child scrubs it itself).  At the end it
 * prints "exit N" (the child's exit status, or "signal N") and
 * "elapsed_ms N" from the start to the child's end.
 * Exit status: 0 when the protocol was followed, 1 otherwise.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chan.h"
#include "child_proto.h"
#include "clock.h"
#include "numparse.h"

extern char **environ;

static pid_t
run_hook(const char *cmd, const char *code, const char *uri)
{
	pid_t pid = fork();

	if (pid == 0) {
		setenv("USER_CODE", code, 1);
		setenv("VERIFICATION_URI", uri, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

int
main(int argc, char **argv)
{
	const char *config = NULL, *user = "daemon", *service = "sshd", *errfile = NULL;
	const char *on_shown = NULL, *child = NULL;
	const char *args[64];
	int nargs = 0, i, sv[2], status = 0, ok = 1;
	bool inherit = false, shown = false, cancelled = false;
	int64_t cancel_after = -1, kill_after = 120, start, shown_at = 0, v;
	char code[256] = "", uri[CHILD_PROTO_MAX_LINE] = "";
	struct chan ch;
	pid_t pid, hook = -1;
	char *empty_env[] = { NULL };

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (i + 1 < argc && strcmp(a, "--config") == 0)
			config = argv[++i];
		else if (i + 1 < argc && strcmp(a, "--user") == 0)
			user = argv[++i];
		else if (i + 1 < argc && strcmp(a, "--service") == 0)
			service = argv[++i];
		else if (i + 1 < argc && strcmp(a, "--arg") == 0 && nargs < 64)
			args[nargs++] = argv[++i];
		else if (strcmp(a, "--inherit-env") == 0)
			inherit = true;
		else if (i + 1 < argc && strcmp(a, "--stderr") == 0)
			errfile = argv[++i];
		else if (i + 1 < argc && strcmp(a, "--on-shown") == 0)
			on_shown = argv[++i];
		else if (i + 1 < argc && strcmp(a, "--cancel-after") == 0 &&
			 num_parse_i64(argv[i + 1], 0, 600000, &v) == 0) {
			cancel_after = v;
			i++;
		} else if (i + 1 < argc && strcmp(a, "--kill-after") == 0 &&
			   num_parse_i64(argv[i + 1], 1, 3600, &v) == 0) {
			kill_after = v;
			i++;
		} else if (a[0] != '-' && child == NULL)
			child = a;
		else {
			fprintf(stderr, "child_driver: bad argument %s\n", a);
			return 2;
		}
	}
	if (child == NULL) {
		fprintf(stderr, "child_driver: no child path\n");
		return 2;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return 2;
	start = clock_mono_ms();
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);
		int efd = errfile != NULL ? open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600) : nul;
		char name[] = "oidc-child";
		char *cargv[] = { name, NULL };

		setsid();
		if (nul < 0 || efd < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(efd, 2) < 0 ||
		    dup2(sv[1], CHILD_PROTO_FD) < 0)
			_exit(126);
		close_range(CHILD_PROTO_FD + 1, ~0U, 0);
		execve(child, cargv, inherit ? environ : empty_env);
		_exit(127);
	}
	close(sv[1]);
	chan_init(&ch, sv[0]);
	for (i = 0; i < nargs; i++)
		chan_send(&ch, "arg", args[i], clock_mono_ms() + 1000);
	if (config != NULL)
		chan_send(&ch, "config", config, clock_mono_ms() + 1000);
	chan_send(&ch, "user", user, clock_mono_ms() + 1000);
	chan_send(&ch, "service", service, clock_mono_ms() + 1000);
	chan_send(&ch, "start", NULL, clock_mono_ms() + 1000);

	for (;;) {
		int64_t t = clock_mono_ms();
		char *key, *value;
		int r;

		if (t - start > kill_after * 1000) {
			printf("driver killed the child after %lld s\n", (long long)kill_after);
			kill(pid, SIGKILL);
			ok = 0;
			break;
		}
		if (shown && cancel_after >= 0 && !cancelled && t - shown_at >= cancel_after) {
			chan_send(&ch, "cancel", NULL, t + 1000);
			cancelled = true;
		}
		r = chan_recv(&ch, t + 200, &key, &value);
		if (r == -ETIMEDOUT)
			continue;
		if (r == -EBADMSG) {
			printf("protocol-error\n");
			ok = 0;
			fflush(stdout);
			continue;
		}
		if (r == -EMSGSIZE || r == -E2BIG) {
			printf("protocol-error %s\n",
			       r == -EMSGSIZE ? "overlong" : "too many lines");
			ok = 0;
			break;
		}
		if (r < 0)
			break; /* the child closed its end */
		printf("%s%s%s\n", key, value[0] ? " " : "", value);
		if (strcmp(key, "user_code") == 0)
			snprintf(code, sizeof(code), "%s", value);
		else if (strcmp(key, "verification_uri") == 0)
			snprintf(uri, sizeof(uri), "%s", value);
		else if (strcmp(key, "shown") == 0) {
			shown = true;
			shown_at = clock_mono_ms();
			if (on_shown != NULL)
				hook = run_hook(on_shown, code, uri);
		}
		fflush(stdout);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status))
		printf("exit %d\n", WEXITSTATUS(status));
	else
		printf("signal %d\n", WTERMSIG(status));
	printf("elapsed_ms %lld\n", (long long)(clock_mono_ms() - start));
	if (hook > 0)
		waitpid(hook, NULL, 0);
	chan_close(&ch);
	return ok ? 0 : 1;
}
