/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * journald sink: one sd_journal_sendv per event.  sd_journal_sendv writes
 * a datagram to /run/systemd/journal/socket on a blocking socket, so a
 * slow journald blocks us (back-pressure, see oidc_audit.h).
 *
 * sd_journal_sendv reports success when the socket does not exist at all
 * ("fail silently if the journal is not available"), which for an audit
 * trail would be a silent loss.  So the socket is checked first.  A busy
 * journald (-EAGAIN, -ENOBUFS) is retried for up to 5 s, holding up the
 * reader as a slow journald would; a journald that is not there (no
 * socket, or nobody listening on it: -ENOENT, -ECONNREFUSED) for 1 s only,
 * long enough for a restart.  Then the send fails; the plugin holds its
 * position and back-fills from audit.log once sink_journal_probe() says
 * journald listens again (oidc-audit.c).  Once an outage has outlasted the
 * retries, later entries fail at once until the socket is back, so a long
 * outage does not stall the reader for seconds per event.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "oidc_audit.h"

#define SINK_JOURNAL_SOCKET "/run/systemd/journal/socket"
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
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r = 0;

	memcpy(sa.sun_path, SINK_JOURNAL_SOCKET, sizeof(SINK_JOURNAL_SOCKET));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A datagram connect() to a socket file nobody listens on is refused. */
	if (connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* See oidc_audit.h. */
int
sink_journal_send(struct jfields *f)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	struct stat st;
	int r, i;

	for (i = 0;; i++) {
		if (stat(SINK_JOURNAL_SOCKET, &st) < 0 || !S_ISSOCK(st.st_mode))
			r = -ENOENT;
		else
			r = jf_send(f);
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
