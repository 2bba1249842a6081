/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * journald sink: one sd_journal_sendv per event.  sd_journal_sendv writes
 * a datagram to /run/systemd/journal/socket on a blocking socket, so a
 * slow journald blocks us (back-pressure, see oidc_audit.h); EAGAIN and
 * ENOBUFS are retried with a short pause, anything else is returned to the
 * caller, which counts it and reports a `loss` entry.
 */
#include "config.h"

#include <errno.h>
#include <time.h>

#include "oidc_audit.h"

#define SINK_JOURNAL_RETRIES 50

/* See oidc_audit.h. */
int
sink_journal_send(struct jfields *f)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int r, i;

	for (i = 0;; i++) {
		r = jf_send(f);
		if (r >= 0)
			return 0;
		if ((r != -EAGAIN && r != -ENOBUFS && r != -EINTR) || i >= SINK_JOURNAL_RETRIES)
			return r;
		nanosleep(&ts, NULL);
	}
}
