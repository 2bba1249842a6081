/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Start oidc-child and talk to it: fork+exec with an empty environment,
 * the socketpair on fd 3 and nothing else open (0-2 on /dev/null), a new
 * session without a controlling terminal, and a hard deadline after which
 * it is killed.  SIGCHLD is reset to its default while the child lives,
 * so the host's handler can neither reap it nor make waitpid fail, and
 * restored exactly afterwards; the module reaps the child itself.
 */
#ifndef OIDC_CHILD_SPAWN_H
#define OIDC_CHILD_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "chan.h"

struct oidc_err;

/* The fd number the child finds its end of the socketpair on. */
#define CHILD_FD 3

struct child_proc {
	pid_t pid;			/* 0 when not running */
	struct chan ch;			/* our end of the socketpair; ch.fd -1 when closed */
	int64_t deadline_ms;		/* ms on clock_mono_ms, as the channel's deadlines */
	struct sigaction old_chld;	/* disposition to restore */
	bool chld_saved;
};

/*
 * Start path (an absolute path to a regular executable) with no arguments
 * but its name; the child is killed if it still runs at deadline_ms
 * (milliseconds on clock_mono_ms).
 * On success c is filled; c must be released with child_finish() whatever
 * happens next.  Returns 0 or a negative errno (err filled).
 */
int child_spawn(const char *path, int64_t deadline_ms, struct child_proc *c,
		struct oidc_err *err);

/*
 * Send one "key value" line (value percent-encoded; NULL value = key only)
 * through the channel, waiting for room at most until the deadline.
 * Returns 0 or a negative errno (err filled).
 */
int child_send(struct child_proc *c, const char *key, const char *value, struct oidc_err *err);

/*
 * Receive one line through the channel, waiting at most until the deadline
 * (a line that is already there is taken even after it).  On success
 * *ret_key and *ret_value point into the channel's buffer (valid until the
 * next call; value decoded, "" when absent) and the caller should wipe
 * nothing: the channel wipes consumed bytes itself on the next call and in
 * child_finish.  Returns 0; -ETIMEDOUT at the deadline; -EPIPE when the
 * child closed the socket; -EPROTO for a malformed or over-long line or too
 * many lines.
 */
int child_recv(struct child_proc *c, char **ret_key, char **ret_value, struct oidc_err *err);

/*
 * Tell the child to stop (when cancel is set), close the socket, give it
 * grace_ms to exit, then SIGKILL it; reap it and restore SIGCHLD.  Sets
 * *ret_status to the waitpid status when not NULL.  NULL-safe; idempotent.
 */
void child_finish(struct child_proc *c, bool cancel, unsigned grace_ms, int *ret_status);

#endif
