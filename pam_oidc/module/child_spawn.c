/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Why a child at all: see DESIGN.md, "Processes".  Everything between fork
 * and exec is async-signal-safe, because the host (sshd, sudo) may have
 * threads.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "child_spawn.h"
#include "clock.h"
#include "oidc_err.h"

static int
check_executable(const char *path, struct oidc_err *err)
{
	struct stat st;

	if (path == NULL || path[0] != '/')
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "child_path must be an absolute path");
	if (stat(path, &st) < 0)
		return oidc_err_set(err, OIDC_R_CONFIG, errno, "cannot find oidc-child at %s: %m",
				    path);
	if (!S_ISREG(st.st_mode) || (st.st_mode & S_IXUSR) == 0)
		return oidc_err_set(err, OIDC_R_CONFIG, EACCES,
				    "oidc-child at %s is not an executable file", path);
	/* a root host must not run a program someone else can replace */
	if (geteuid() == 0 && (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0))
		return oidc_err_set(err, OIDC_R_CONFIG, EPERM,
				    "oidc-child at %s must be owned by root and not group- or world-writable",
				    path);
	return 0;
}

/* In the forked child: make the process image oidc-child expects, then exec. */
static void __attribute__((noreturn))
exec_child(const char *path, int sock, int devnull)
{
	char name[] = "oidc-child";
	char *const argv[] = { name, NULL };
	char *const envp[] = { NULL };
	struct sigaction dfl;
	sigset_t none;
	int sig, hsock, hnull, fd;

	/* handlers and ignored dispositions must not leak into the child */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &dfl, NULL);
	if (setsid() < 0)
		_exit(126);
	/* move both out of the way first: either may sit on 0..3 */
	hsock = fcntl(sock, F_DUPFD, 10);
	hnull = fcntl(devnull, F_DUPFD, 10);
	if (hsock < 0 || hnull < 0)
		_exit(126);
	if (dup2(hnull, 0) < 0 || dup2(hnull, 1) < 0 || dup2(hnull, 2) < 0 ||
	    dup2(hsock, CHILD_FD) < 0)
		_exit(126);
	if (close_range(CHILD_FD + 1, ~0U, 0) < 0)
		for (fd = CHILD_FD + 1; fd < 65536; fd++)
			(void)close(fd);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	execve(path, argv, envp);
	_exit(127);
}

/* See child_spawn.h. */
int
child_spawn(const char *path, int64_t deadline_ms, struct child_proc *c, struct oidc_err *err)
{
	struct sigaction dfl;
	sigset_t all, old_mask;
	int sv[2] = { -1, -1 }, devnull = -1, r;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->deadline_ms = deadline_ms;
	if ((r = check_executable(path, err)) < 0)
		goto out;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, errno, "cannot open /dev/null: %m");
		goto out;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, errno, "socketpair failed: %m");
		goto out;
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	if (sigaction(SIGCHLD, &dfl, &c->old_chld) < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, errno, "cannot reset SIGCHLD: %m");
		goto out;
	}
	c->chld_saved = true;

	/* no host handler may run in the child between fork and exec */
	sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old_mask);
	pid = fork();
	if (pid == 0)
		exec_child(path, sv[1], devnull);
	(void)sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if (pid < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, errno, "fork failed: %m");
		(void)sigaction(SIGCHLD, &c->old_chld, NULL);
		c->chld_saved = false;
		goto out;
	}
	c->pid = pid;
	c->fd = sv[0];
	sv[0] = -1;
	r = 0;
out:
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (devnull >= 0)
		close(devnull);
	return r;
}

/* See child_spawn.h. */
int
child_send(struct child_proc *c, const char *key, const char *value, struct oidc_err *err)
{
	char line[CHILD_PROTO_MAX_LINE + 1];
	size_t klen, len, off;
	ssize_t n;
	int r;

	if (c == NULL || c->fd < 0)
		return oidc_err_set(err, OIDC_R_INTERNAL, EPIPE, "oidc-child is not running");
	klen = strlen(key);
	if (klen + 2 >= sizeof(line))
		return oidc_err_set(err, OIDC_R_INTERNAL, EFBIG, "protocol key too long");
	memcpy(line, key, klen);
	len = klen;
	if (value != NULL) {
		line[len++] = ' ';
		r = child_proto_encode(value, line + len, sizeof(line) - len - 1);
		if (r < 0) {
			explicit_bzero(line, sizeof(line));
			return oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG,
					    "value of \"%s\" too long for the child protocol", key);
		}
		len += strlen(line + len);
	}
	line[len++] = '\n';
	for (off = 0; off < len; off += (size_t)n) {
		n = send(c->fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n < 0) {
			r = oidc_err_set(err, OIDC_R_INTERNAL, EPIPE,
					 "oidc-child stopped listening: %m");
			explicit_bzero(line, sizeof(line));
			return r;
		}
	}
	explicit_bzero(line, sizeof(line));
	return 0;
}

/* Drop the line handed out by the previous child_recv, wiping it. */
static void
consume_previous(struct child_proc *c)
{
	size_t used = c->handed_out;

	if (used == 0)
		return;
	memmove(c->in, c->in + used, c->in_len - used);
	c->in_len -= used;
	explicit_bzero(c->in + c->in_len, sizeof(c->in) - c->in_len);
	c->handed_out = 0;
}

/* See child_spawn.h. */
int
child_recv(struct child_proc *c, char **ret_key, char **ret_value, struct oidc_err *err)
{
	struct pollfd pfd;
	int64_t now;
	ssize_t n;
	char *nl;
	int r, timeout;

	if (c == NULL || c->fd < 0)
		return oidc_err_set(err, OIDC_R_INTERNAL, EPIPE, "oidc-child is not running");
	consume_previous(c);
	for (;;) {
		nl = memchr(c->in, '\n', c->in_len);
		if (nl != NULL)
			break;
		if (c->in_len >= sizeof(c->in) - 1)
			return oidc_err_set(err, OIDC_R_MALFORMED, EPROTO,
					    "oidc-child sent an over-long line");
		/*
		 * Past the deadline, still take what is already there: the
		 * person may have sat at the prompt while the child answered.
		 */
		now = clock_mono_ms();
		if (now >= c->deadline_ms)
			timeout = 0;
		else
			timeout = (int)(c->deadline_ms - now > 60000 ? 60000 : c->deadline_ms - now);
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		r = poll(&pfd, 1, timeout);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return oidc_err_set(err, OIDC_R_INTERNAL, errno, "poll failed: %m");
		if (r == 0 && timeout == 0)
			return oidc_err_set(err, OIDC_R_TIMEOUT, ETIMEDOUT,
					    "oidc-child did not answer before the deadline");
		if (r == 0)
			continue;
		n = read(c->fd, c->in + c->in_len, sizeof(c->in) - 1 - c->in_len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return oidc_err_set(err, OIDC_R_INTERNAL, errno, "reading from oidc-child failed: %m");
		if (n == 0)
			return oidc_err_set(err, OIDC_R_INTERNAL, EPIPE,
					    "oidc-child exited without an answer");
		c->in_len += (size_t)n;
	}
	if (++c->lines > CHILD_PROTO_MAX_LINES)
		return oidc_err_set(err, OIDC_R_MALFORMED, EPROTO, "oidc-child sent too many lines");
	*nl = '\0';
	c->handed_out = (size_t)(nl - c->in) + 1;
	if (memchr(c->in, '\0', (size_t)(nl - c->in)) != NULL ||
	    child_proto_split(c->in, ret_key, ret_value) < 0)
		return oidc_err_set(err, OIDC_R_MALFORMED, EPROTO,
				    "oidc-child sent a malformed line");
	return 0;
}

/* See child_spawn.h. */
void
child_finish(struct child_proc *c, bool cancel, unsigned grace_ms, int *ret_status)
{
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	int64_t until;
	int status = 0;
	pid_t w;

	if (c == NULL)
		return;
	if (c->fd >= 0) {
		if (cancel)
			(void)child_send(c, "cancel", NULL, NULL);
		close(c->fd);
		c->fd = -1;
	}
	if (c->pid > 0) {
		until = clock_mono_ms() + grace_ms;
		for (;;) {
			w = waitpid(c->pid, &status, WNOHANG);
			if (w == c->pid || (w < 0 && errno != EINTR))
				break;
			if (w == 0 && clock_mono_ms() >= until) {
				(void)kill(c->pid, SIGKILL);
				while ((w = waitpid(c->pid, &status, 0)) < 0 && errno == EINTR)
					;
				break;
			}
			if (w == 0)
				nanosleep(&tick, NULL);
		}
		c->pid = 0;
	}
	if (c->chld_saved) {
		(void)sigaction(SIGCHLD, &c->old_chld, NULL);
		c->chld_saved = false;
	}
	explicit_bzero(c->in, sizeof(c->in));
	c->in_len = 0;
	if (ret_status != NULL)
		*ret_status = status;
}
