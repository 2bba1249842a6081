/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * journald sink: one jf_send() per event, waiting for as long as journald
 * does not read (JF_WAIT_FOREVER), so a slow journald holds us up
 * (back-pressure, see oidc_audit.h).
 *
 * A journald that is not there (no socket, or nobody listening on it:
 * -ENOENT, -ECONNREFUSED; sd_journal_sendv would report a success, which
 * for an audit trail is a silent loss) is retried for 1 s, long enough for
 * a restart; a busy one (-EAGAIN, -ENOBUFS) for up to 5 s.  Then the send
 * fails; the plugin holds its position and back-fills from audit.log once
 * sink_journal_probe() says journald listens again (oidc-audit.c).  Once
 * an outage has outlasted the retries, later entries fail at once until
 * the socket is back, so a long outage does not stall the reader for
 * seconds per event.
 */
#include "config.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "oidc_audit.h"

#define SINK_JOURNAL_SOCKET JF_JOURNAL_SOCKET
#define SINK_JOURNAL_RETRIES	  50 /* x 100 ms: journald busy */
#define SINK_JOURNAL_DOWN_RETRIES 10 /* x 100 ms: journald not there */

static bool sink_journal_down;

static bool
absent(int r)
{
	return r == -ENOENT || r == -ECONNREFUSED;
}

static bool
retryable(int r)
{
	return r == -EAGAIN || r == -ENOBUFS || r == -EINTR || absent(r);
}

/* See oidc_audit.h. */
bool
sink_journal_is_down(int r)
{
	return retryable(r);
}

/* See oidc_audit.h. */
int
sink_journal_probe(void)
{
	/* a datagram connect() to a socket file nobody listens on is refused */
	int fd = jf_connect(SINK_JOURNAL_SOCKET);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* See oidc_audit.h. */
int
sink_journal_send(struct jfields *f)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int r, i;

	for (i = 0;; i++) {
		r = jf_send(f, SINK_JOURNAL_SOCKET, JF_WAIT_FOREVER);
		if (r >= 0) {
			sink_journal_down = false;
			return 0;
		}
		if (!retryable(r) || sink_journal_down ||
		    i >= (absent(r) ? SINK_JOURNAL_DOWN_RETRIES : SINK_JOURNAL_RETRIES)) {
			if (retryable(r))
				sink_journal_down = true;
			return r;
		}
		nanosleep(&ts, NULL);
	}
}
