/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * journald sink: one sd_journal_sendv per event.  sd_journal_sendv writes
 * a datagram to /run/systemd/journal/socket on a blocking socket, so a
 * slow journald blocks us (back-pressure, see oidc_audit.h).
 *
 * sd_journal_sendv reports success when the socket does not exist at all
 * ("fail silently if the journal is not available"), which for an audit
 * trail would be a silent loss.  So the socket is checked first; while it
 * is missing, or journald refuses the connection (restarting), the send is
 * retried for a few seconds (holding up the reader, as a slow journald
 * would), then given up and returned as an error, which the caller counts
 * and reports.  Once an outage has outlasted the retries, later entries
 * fail at once until the socket is back, so a long outage does not stall
 * the reader for seconds per event.
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <time.h>

#include "oidc_audit.h"

#define SINK_JOURNAL_SOCKET "/run/systemd/journal/socket"
#define SINK_JOURNAL_RETRIES 50		/* x 100 ms */

static bool sink_journal_down;

static bool
retryable(int r)
{
	return r == -EAGAIN || r == -ENOBUFS || r == -EINTR || r == -ENOENT ||
	       r == -ECONNREFUSED;
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
		if (!retryable(r) || sink_journal_down || i >= SINK_JOURNAL_RETRIES) {
			if (retryable(r))
				sink_journal_down = true;
			return r;
		}
		nanosleep(&ts, NULL);
	}
}
