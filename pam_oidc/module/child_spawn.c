/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Why a child at all: see DESIGN.md, "Processes".  Everything between fork
 * and exec is async-signal-safe, because the host (sshd, sudo) may have
 * threads.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <grp.h>
#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "child_spawn.h"
#include "clock.h"
#include "oidc_err.h"
#include "safefile.h"

static int
check_executable(const char *path, struct oidc_err *err)
{
	/* looked at, not read: O_PATH; a symlink is followed, as execve() does */
	static const struct sf_policy exe = { .required = S_IXUSR,
					      .flags = SF_PATH_ONLY | SF_FOLLOW };
	/* a root host must not run a program someone else can replace */
	static const struct sf_policy root_exe = { .owner = SF_OWNER_ROOT,
						   .forbidden = S_IWGRP | S_IWOTH };
	enum sf_fail fail = SF_FAIL_NONE;
	struct stat st;
	int fd, r;

	if (path == NULL || path[0] != '/')
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "child_path must be an absolute path");
	fd = sf_open(AT_FDCWD, path, &exe, &st, &fail);
	if (fd < 0 && (fail == SF_FAIL_OPEN || fail == SF_FAIL_STAT))
		return oidc_err_set(err, OIDC_R_CONFIG, -fd, "cannot find oidc-child at %s: %s",
				    path, strerror(-fd));
	if (fd < 0)
		return oidc_err_set(err, OIDC_R_CONFIG, EACCES,
				    "oidc-child at %s is not an executable file", path);
	close(fd);
	r = geteuid() == 0 ? sf_check_stat(&st, S_IFREG, &root_exe, NULL) : 0;
	if (r < 0)
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
	/*
	 * Under sudo the host runs with the caller's real uid and groups: a
	 * child keeping them could be signalled (stopped) by the caller while
	 * it holds the JWKS throttle's lock.  A root host's child is all root,
	 * real, saved and effective, with no supplementary groups; any failure
	 * to get there stops it before exec.
	 */
	if (geteuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		_exit(126);
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
	chan_init(&c->ch, -1);
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
	chan_init(&c->ch, sv[0]);
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
	int r;

	if (c == NULL || c->ch.fd < 0)
		return oidc_err_set(err, OIDC_R_INTERNAL, EPIPE, "oidc-child is not running");
	r = chan_send(&c->ch, key, value, c->deadline_ms);
	switch (r) {
	case 0:
		return 0;
	case -EFBIG:
		return oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG,
				    "value of \"%s\" too long for the child protocol", key);
	case -EINVAL:
		return oidc_err_set(err, OIDC_R_INTERNAL, EINVAL, "bad protocol key \"%s\"", key);
	case -ETIMEDOUT:
		return oidc_err_set(err, OIDC_R_TIMEOUT, ETIMEDOUT,
				    "oidc-child did not take the request before the deadline");
	default:
		return oidc_err_set(err, OIDC_R_INTERNAL, EPIPE, "oidc-child stopped listening: %s",
				    strerror(-r));
	}
}

/* See child_spawn.h. */
int
child_recv(struct child_proc *c, char **ret_key, char **ret_value, struct oidc_err *err)
{
	int r;

	if (c == NULL || c->ch.fd < 0)
		return oidc_err_set(err, OIDC_R_INTERNAL, EPIPE, "oidc-child is not running");
	/* past the deadline the channel still takes an answer that is already there */
	r = chan_recv(&c->ch, c->deadline_ms, ret_key, ret_value);
	switch (r) {
	case 0:
		return 0;
	case -ETIMEDOUT:
		return oidc_err_set(err, OIDC_R_TIMEOUT, ETIMEDOUT,
				    "oidc-child did not answer before the deadline");
	case -EPIPE:
		return oidc_err_set(err, OIDC_R_INTERNAL, EPIPE,
				    "oidc-child exited without an answer");
	case -EMSGSIZE:
		return oidc_err_set(err, OIDC_R_MALFORMED, EPROTO,
				    "oidc-child sent an over-long line");
	case -E2BIG:
		return oidc_err_set(err, OIDC_R_MALFORMED, EPROTO, "oidc-child sent too many lines");
	case -EBADMSG:
		return oidc_err_set(err, OIDC_R_MALFORMED, EPROTO,
				    "oidc-child sent a malformed line");
	default:
		return oidc_err_set(err, OIDC_R_INTERNAL, -r, "reading from oidc-child failed: %s",
				    strerror(-r));
	}
}

/*
 * A descriptor that becomes readable when pid exits (pidfd_open, Linux
 * 5.3), close-on-exec; -1 without one.  Waiting on it wakes the module the
 * moment the child is gone instead of at the next tick of a sleep.
 */
static int
exit_fd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

/* Until the child has exited or until has come: on its pidfd, else a 5 ms tick. */
static void
exit_wait(int pidfd, int64_t until)
{
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int64_t left = until - clock_mono_ms();

	if (pidfd < 0) {
		nanosleep(&tick, NULL);
		return;
	}
	if (left > 0)
		(void)poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
}

/* See child_spawn.h. */
void
child_finish(struct child_proc *c, bool cancel, unsigned grace_ms, int *ret_status)
{
	int64_t until;
	int status = 0, pidfd;
	pid_t w;

	if (c == NULL)
		return;
	/* a last word without waiting: the child may be past listening */
	if (c->ch.fd >= 0 && cancel)
		(void)chan_send(&c->ch, "cancel", NULL, 0);
	chan_close(&c->ch);
	if (c->pid > 0) {
		until = clock_mono_ms() + grace_ms;
		pidfd = exit_fd(c->pid);
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
				exit_wait(pidfd, until);
		}
		if (pidfd >= 0)
			close(pidfd);
		c->pid = 0;
	}
	if (c->chld_saved) {
		(void)sigaction(SIGCHLD, &c->old_chld, NULL);
		c->chld_saved = false;
	}
	if (ret_status != NULL)
		*ret_status = status;
}
