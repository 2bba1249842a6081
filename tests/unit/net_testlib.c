/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "http.h"
#include "net_testlib.h"
#include "oidc_err.h"
#include "testhelp.h"

int64_t
nt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	chmod(path, 0700);
	remove(path);
	return 0;
}

void
nt_rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
run_mkcerts(const char *dir)
{
	char *script = th_srcpath("tests/lib/mkcerts.sh");
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", script, dir, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(script);
}

void
nt_server_start(struct nt_server *s)
{
	char *js = th_srcpath("tests/lib/httpsd.js");
	char certs[96], line[64];
	int in[2], out[2];
	size_t len = 0;
	ssize_t n;
	int64_t deadline;
	struct pollfd pfd;

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/pam_oidc-net.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(certs, sizeof(certs), "%s/certs", s->dir);
	run_mkcerts(certs);
	snprintf(s->ca_file, sizeof(s->ca_file), "%s/ca.pem", certs);

	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl("/usr/bin/node", "node", js, "--certs", certs, "--watch-stdin", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	s->stdin_fd = in[1];
	deadline = nt_now_ms() + 15000;
	while (memchr(line, '\n', len) == NULL) {
		pfd.fd = out[0];
		pfd.events = POLLIN;
		assert_true(nt_now_ms() < deadline);
		if (poll(&pfd, 1, 500) <= 0)
			continue;
		n = read(out[0], line + len, sizeof(line) - 1 - len);
		assert_true(n > 0);
		len += (size_t)n;
		line[len] = '\0';
	}
	close(out[0]);
	assert_int_equal(sscanf(line, "PORT %d", &s->port), 1);
	snprintf(s->base, sizeof(s->base), "https://127.0.0.1:%d", s->port);
	free(js);
}

void
nt_server_stop(struct nt_server *s)
{
	if (s->pid > 0) {
		close(s->stdin_fd);
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
	if (s->dir[0] != '\0')
		nt_rm_rf(s->dir);
}

int64_t
nt_count(const struct nt_server *s, const char *path)
{
	struct http_opts o = { .ca_file = s->ca_file, .connect_timeout_ms = 2000,
			       .timeout_ms = 5000 };
	struct http_response resp;
	struct oidc_err err;
	json_object *doc, *v;
	char url[128];
	int64_t c = 0;

	oidc_err_clear(&err);
	snprintf(url, sizeof(url), "%s/_counts", s->base);
	assert_int_equal(http_get(&o, url, &resp, &err), 0);
	doc = json_tokener_parse(resp.body);
	assert_non_null(doc);
	if (json_object_object_get_ex(doc, path, &v))
		c = json_object_get_int64(v);
	json_object_put(doc);
	http_response_free(&resp);
	return c;
}
