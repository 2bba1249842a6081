/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The line channel over the socketpair between pam_oidc.so and oidc-child:
 * one implementation of the child_proto.h framing for both ends (STYLE.md
 * 20), as OpenSSH's msg.c serves both sides of its socketpairs.
 *
 * Reads are buffered (one read may bring several lines, or part of one),
 * lines are checked against CHILD_PROTO_MAX_LINE (including the '\n') and
 * CHILD_PROTO_MAX_LINES, and every wait ends at an absolute deadline in
 * milliseconds on clock_mono_ms() (common/clock.h).  Past the deadline
 * the channel still takes what it can without waiting: an answer that
 * arrived while the person sat at the prompt is not lost.  EINTR is
 * retried; writes use MSG_NOSIGNAL, so a peer that went away is -EPIPE and
 * never SIGPIPE.  Lines carry user codes and identities: the buffer is
 * wiped as lines are consumed and at close.
 */
#ifndef OIDC_CHAN_H
#define OIDC_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "child_proto.h"

struct chan {
	int fd;		   /* owned; -1 when closed */
	bool eof;	   /* the peer closed its end */
	bool wbroken;	   /* a line went out in part: writes fail */
	int rerr;	   /* 0, or -EMSGSIZE / -E2BIG once framing is lost: reads fail */
	unsigned lines_in; /* lines received */
	size_t len;	   /* bytes in buf */
	size_t taken;	   /* bytes of the line last handed out, dropped on the next call */
	char buf[CHILD_PROTO_MAX_LINE];
};

/* Start a channel on fd (a stream socket), which it owns from now on; fd may be -1. */
void chan_init(struct chan *c, int fd);

/*
 * Send one line "key value\n" (value percent-encoded; NULL sends "key\n"),
 * waiting for room at most until deadline_ms.  Returns 0; -EINVAL for a bad
 * key; -EFBIG when the line would exceed CHILD_PROTO_MAX_LINE; -ETIMEDOUT at
 * the deadline; -EPIPE when the peer went away or the channel is closed or
 * an earlier line went out only in part; another negative errno from send.
 */
int chan_send(struct chan *c, const char *key, const char *value, int64_t deadline_ms);

/*
 * Receive the next line, waiting at most until deadline_ms.  On success
 * *ret_key and *ret_value point into the channel's buffer (value decoded,
 * "" when absent), valid until the next chan_recv or chan_close, which wipe
 * them.  Returns 0; -ETIMEDOUT at the deadline; -EPIPE when the peer closed
 * its end (or the channel is closed) before a complete line; -EMSGSIZE for a
 * line longer than CHILD_PROTO_MAX_LINE and -E2BIG after
 * CHILD_PROTO_MAX_LINES lines (both for good: the channel is broken);
 * -EBADMSG for a malformed line (a NUL byte, a bad key or escape), which is
 * dropped; another negative errno from poll or recv.
 */
int chan_recv(struct chan *c, int64_t deadline_ms, char **ret_key, char **ret_value);

/* Close the descriptor (when open) and wipe the buffer.  NULL-safe; idempotent. */
void chan_close(struct chan *c);

#endif
