/* SPDX-License-Identifier: BSD-2-Clause */
/* The line channel both ends of the child socket use (see chan.h). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "chan.h"
#include "clock.h"

/* See chan.h. */
void
chan_init(struct chan *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
}

/*
 * Wait until fd has one of events or deadline_ms passes.  Once it has
 * passed, still look once without waiting.  Returns 1 when ready, 0 at
 * the deadline, or a negative errno.
 */
static int
chan_wait(int fd, short events, int64_t deadline_ms)
{
	struct pollfd pfd;
	int64_t now;
	int timeout, r;

	for (;;) {
		now = clock_mono_ms();
		if (deadline_ms <= now)
			timeout = 0;
		else
			timeout = deadline_ms - now > 60000 ? 60000 : (int)(deadline_ms - now);
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, timeout);
		if (r > 0)
			return 1;
		if (r == 0 && timeout == 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

/* See chan.h. */
int
chan_send(struct chan *c, const char *key, const char *value, int64_t deadline_ms)
{
	char line[CHILD_PROTO_MAX_LINE + 1];
	size_t off = 0;
	ssize_t n;
	int len, r;

	if (c == NULL || c->fd < 0 || c->wbroken)
		return -EPIPE;
	len = child_proto_format(key, value, line, sizeof(line));
	if (len < 0) {
		r = len;
		goto out;
	}
	while (off < (size_t)len) {
		n = send(c->fd, line + off, (size_t)len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0) {
			off += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			r = -errno;
			goto out;
		}
		r = chan_wait(c->fd, POLLOUT, deadline_ms);
		if (r == 0)
			r = -ETIMEDOUT;
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	/* the peer would read the rest of this line as the start of the next */
	if (r < 0 && off > 0)
		c->wbroken = true;
	explicit_bzero(line, sizeof(line));
	return r;
}

/* Drop the line handed out last and wipe the bytes it leaves behind. */
static void
drop_taken(struct chan *c)
{
	if (c->taken == 0)
		return;
	memmove(c->buf, c->buf + c->taken, c->len - c->taken);
	c->len -= c->taken;
	c->taken = 0;
	explicit_bzero(c->buf + c->len, sizeof(c->buf) - c->len);
}

/* See chan.h. */
int
chan_recv(struct chan *c, int64_t deadline_ms, char **ret_key, char **ret_value)
{
	char *nl, *key, *value;
	size_t linelen;
	ssize_t n;
	int r;

	if (c == NULL || c->fd < 0)
		return -EPIPE;
	if (c->rerr < 0)
		return c->rerr;
	drop_taken(c);
	while ((nl = memchr(c->buf, '\n', c->len)) == NULL) {
		if (c->len >= sizeof(c->buf)) {
			r = c->rerr = -EMSGSIZE;
			goto out;
		}
		if (c->eof) {
			r = -EPIPE;
			goto out;
		}
		r = chan_wait(c->fd, POLLIN, deadline_ms);
		if (r == 0)
			r = -ETIMEDOUT;
		if (r < 0)
			goto out;
		n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0)
			c->eof = true;
		c->len += (size_t)n;
	}
	linelen = (size_t)(nl - c->buf);
	*nl = '\0';
	c->taken = linelen + 1;
	if (++c->lines_in > CHILD_PROTO_MAX_LINES) {
		r = c->rerr = -E2BIG;
		goto out;
	}
	/* a NUL would cut the line short where the sender did not */
	if (memchr(c->buf, '\0', linelen) != NULL || child_proto_split(c->buf, &key, &value) < 0) {
		r = -EBADMSG;
		goto out;
	}
	*ret_key = key;
	*ret_value = value;
	r = 0;
out:
	return r;
}

/* See chan.h. */
void
chan_close(struct chan *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0)
		(void)close(c->fd);
	c->fd = -1;
	explicit_bzero(c->buf, sizeof(c->buf));
	c->len = 0;
	c->taken = 0;
}
