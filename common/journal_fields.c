/* SPDX-License-Identifier: BSD-2-Clause */
/* Journal entries as FIELD=value lists; see journal_fields.h. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "clock.h"
#include "journal_fields.h"
#include "text.h"

/* See journal_fields.h. */
void
jf_init(struct jfields *f, size_t max_bytes)
{
	memset(f, 0, sizeof(*f));
	f->max = max_bytes;
}

/* See journal_fields.h. */
void
jf_reset(struct jfields *f)
{
	f->len = 0;
	f->n = 0;
}

/* See journal_fields.h. */
void
jf_free(struct jfields *f)
{
	if (f == NULL)
		return;
	free(f->data);
	f->data = NULL;
	f->len = f->cap = 0;
	f->n = 0;
}

/* Characters allowed in a field name: A-Z, 0-9, '_' (the first: not '_' or a digit). */
static bool
jf_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* See journal_fields.h. */
bool
jf_name_valid(const char *name)
{
	size_t i;

	if (name == NULL || name[0] == '\0' || name[0] == '_' || (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (i = 0; i <= JF_MAX_NAME; i++) {
		if (name[i] == '\0')
			return true;
		if (!jf_name_char(name[i]))
			return false;
	}
	return false;	/* longer than JF_MAX_NAME */
}

static int
jf_reserve(struct jfields *f, size_t n)
{
	size_t ncap;
	char *nd;

	if (n > f->max || f->len > f->max - n)
		return -EFBIG;
	if (f->len + n <= f->cap)
		return 0;
	ncap = f->cap ? f->cap : 1024;
	while (ncap < f->len + n)
		ncap *= 2;
	if (ncap > f->max)
		ncap = f->max;
	nd = realloc(f->data, ncap);
	if (nd == NULL)
		return -ENOMEM;
	f->data = nd;
	f->cap = ncap;
	return 0;
}

/* See journal_fields.h. */
int
jf_add(struct jfields *f, const char *name, const void *value, size_t len)
{
	size_t nl;
	int r;

	if (value == NULL)
		return 0;
	if (!jf_name_valid(name))
		return -EINVAL;
	if (f->n >= JF_MAX_FIELDS)
		return -E2BIG;
	nl = strlen(name);
	if (len > f->max)
		return -EFBIG;
	r = jf_reserve(f, nl + 1 + len);
	if (r < 0)
		return r;
	f->off[f->n] = f->len;
	f->nlen[f->n] = nl;
	f->flen[f->n] = nl + 1 + len;
	memcpy(f->data + f->len, name, nl);
	f->data[f->len + nl] = '=';
	if (len > 0)
		memcpy(f->data + f->len + nl + 1, value, len);
	f->len += nl + 1 + len;
	f->n++;
	return 0;
}

/* See journal_fields.h. */
int
jf_add_str(struct jfields *f, const char *name, const char *value)
{
	if (value == NULL)
		return 0;
	return jf_add(f, name, value, strlen(value));
}

/* Decimal digits of v, right-aligned in tmp[0..24); returns the start. */
static char *
fmt_u64(char tmp[24], uint64_t v)
{
	char *p = tmp + 24;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return p;
}

/* See journal_fields.h. */
int
jf_add_u64(struct jfields *f, const char *name, uint64_t v)
{
	char tmp[24], *p = fmt_u64(tmp, v);

	return jf_add(f, name, p, (size_t)(tmp + 24 - p));
}

/* See journal_fields.h. */
int
jf_add_i64(struct jfields *f, const char *name, int64_t v)
{
	char tmp[24], *p;

	if (v >= 0)
		return jf_add_u64(f, name, (uint64_t)v);
	/* -(INT64_MIN) does not fit an int64_t; do the negation unsigned */
	p = fmt_u64(tmp, (uint64_t)0 - (uint64_t)v);
	*--p = '-';
	return jf_add(f, name, p, (size_t)(tmp + 24 - p));
}

/* See journal_fields.h. */
void
jf_get(const struct jfields *f, size_t i, const char **name, size_t *nlen,
       const char **value, size_t *vlen)
{
	*name = f->data + f->off[i];
	*nlen = f->nlen[i];
	*value = f->data + f->off[i] + f->nlen[i] + 1;
	*vlen = f->flen[i] - f->nlen[i] - 1;
}

/* See journal_fields.h. */
const char *
jf_find(const struct jfields *f, const char *name, size_t *vlen)
{
	size_t i, nl = strlen(name);

	for (i = 0; i < f->n; i++) {
		if (f->nlen[i] == nl && memcmp(f->data + f->off[i], name, nl) == 0) {
			if (vlen != NULL)
				*vlen = f->flen[i] - nl - 1;
			return f->data + f->off[i] + nl + 1;
		}
	}
	return NULL;
}

/* See journal_fields.h. */
const struct iovec *
jf_iovec(struct jfields *f, size_t *ret_n)
{
	size_t i;

	/* Offsets, not pointers, are kept while adding: data may move. */
	for (i = 0; i < f->n; i++) {
		f->iov[i].iov_base = f->data + f->off[i];
		f->iov[i].iov_len = f->flen[i];
	}
	*ret_n = f->n;
	return f->iov;
}

/*
 * The entry in journald's native protocol, as one datagram: "NAME=value\n"
 * for a value without a newline, else "NAME\n", the value's length as a
 * little-endian 64-bit number, the value and "\n".
 */
static int
native_serialize(const struct jfields *f, char **ret, size_t *ret_len)
{
	const char *name, *value;
	size_t i, nlen, vlen, cap = 0, len = 0;
	char *out;
	uint64_t le;
	int k;

	for (i = 0; i < f->n; i++)
		cap += f->flen[i] + 1 + sizeof(le);
	if ((out = malloc(cap > 0 ? cap : 1)) == NULL)
		return -ENOMEM;
	for (i = 0; i < f->n; i++) {
		jf_get(f, i, &name, &nlen, &value, &vlen);
		memcpy(out + len, name, nlen);
		len += nlen;
		if (memchr(value, '\n', vlen) == NULL) {
			out[len++] = '=';
		} else {
			out[len++] = '\n';
			for (k = 0, le = vlen; k < 8; k++, le >>= 8)
				out[len++] = (char)(le & 0xff);
		}
		memcpy(out + len, value, vlen);
		len += vlen;
		out[len++] = '\n';
	}
	*ret = out;
	*ret_len = len;
	return 0;
}

/*
 * sendmsg(mh) on the non-blocking socket fd, waiting in poll() for room in
 * journald's queue until deadline (a clock_mono_ms() value; -1: no
 * deadline).  Returns 0 or a negative errno (-ETIMEDOUT at the deadline).
 */
static int
send_wait(int fd, const struct msghdr *mh, int64_t deadline)
{
	struct pollfd pfd;
	int64_t left = -1;

	for (;;) {
		if (sendmsg(fd, mh, MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		if (deadline >= 0) {
			left = deadline - clock_mono_ms();
			if (left <= 0)
				return -ETIMEDOUT;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		(void)poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
	}
}

/*
 * An entry over the socket's datagram size goes as journald takes large
 * entries: in a sealed memfd, its descriptor passed with SCM_RIGHTS in an
 * otherwise empty datagram.
 */
static int
send_memfd(int fd, const char *msg, size_t len, int64_t deadline)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr mh = { 0 };
	struct cmsghdr *c;
	size_t off = 0;
	ssize_t n;
	int mfd, r;

	mfd = memfd_create("pam_oidc-journal-entry", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return -errno;
	while (off < len) {
		n = write(mfd, msg + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			goto out;
		}
		off += (size_t)n;
	}
	/* journald reads only a memfd that can no longer change */
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		r = -errno;
		goto out;
	}
	memset(&ctl, 0, sizeof(ctl));
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &mfd, sizeof(int));
	r = send_wait(fd, &mh, deadline);
out:
	close(mfd);
	return r;
}

/* See journal_fields.h. */
int
jf_connect(const char *socket_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r;

	if (socket_path == NULL || strlen(socket_path) >= sizeof(sa.sun_path))
		return -EINVAL;
	memcpy(sa.sun_path, socket_path, strlen(socket_path) + 1);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* connected, so that poll() waits for room in journald's queue */
	if (connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/* See journal_fields.h. */
int
jf_send(struct jfields *f, const char *socket_path, int timeout_ms)
{
	struct msghdr mh = { 0 };
	struct iovec iov;
	char *msg = NULL;
	size_t len = 0;
	int64_t deadline = -1;
	int fd = -1, r;

	if (f->n == 0 || timeout_ms < JF_WAIT_FOREVER)
		return -EINVAL;
	if ((r = native_serialize(f, &msg, &len)) < 0)
		goto out;
	if (timeout_ms != JF_WAIT_FOREVER)
		deadline = clock_mono_ms() + timeout_ms;
	if ((fd = jf_connect(socket_path)) < 0) {
		r = fd;
		goto out;
	}
	iov.iov_base = msg;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	r = send_wait(fd, &mh, deadline);
	if (r == -EMSGSIZE || r == -ENOBUFS)
		r = send_memfd(fd, msg, len, deadline);
out:
	if (fd >= 0)
		close(fd);
	free(msg);
	return r;
}

/* See journal_fields.h. */
bool
jf_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int n;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = text_utf8_decode(s + i, len - i, NULL);
		if (n < 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

/*
 * The escaping of jf_escape and jf_escape_display; backslash says whether
 * a backslash is doubled (a raw value) or kept (a MESSAGE escaped before).
 */
static size_t
escape(char *out, size_t cap, const char *s, size_t len, bool backslash)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, i = 0, n, tl;
	char tmp[8];
	uint32_t cp;
	int sl;

	if (cap == 0)
		return 0;
	while (i < len) {
		unsigned char c = p[i];

		n = 1;
		if (c == '\\' && backslash) {
			tmp[0] = '\\'; tmp[1] = '\\'; tl = 2;
		} else if (c == '\n') {
			tmp[0] = '\\'; tmp[1] = 'n'; tl = 2;
		} else if (c == '\t') {
			tmp[0] = '\\'; tmp[1] = 't'; tl = 2;
		} else if (c < 0x80 && !text_cp_unsafe(c)) {
			tmp[0] = (char)c; tl = 1;
		} else if (c < 0x80 || (sl = text_utf8_decode(s + i, len - i, &cp)) < 0) {
			/* a control byte, or a byte that is not UTF-8 */
			tmp[0] = '\\';
			tmp[1] = 'x';
			text_hex_byte(c, false, tmp + 2);
			tl = 4;
		} else if (text_cp_unsafe(cp)) {
			/* valid UTF-8 that steers a terminal or hides text: \uXXXX */
			n = (size_t)sl;
			tmp[0] = '\\';
			tmp[1] = 'u';
			text_hex_byte((unsigned char)(cp >> 8), false, tmp + 2);
			text_hex_byte((unsigned char)(cp & 0xff), false, tmp + 4);
			tl = 6;
		} else {
			n = (size_t)sl;
			memcpy(tmp, p + i, n);
			tl = n;
		}
		/* Keep room for "..." and the NUL. */
		if (o + tl + 4 > cap) {
			if (o + 4 <= cap) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(out + o, tmp, tl);
		o += tl;
		i += n;
	}
	out[o < cap ? o : cap - 1] = '\0';
	return o < cap ? o : cap - 1;
}

/* See journal_fields.h. */
size_t
jf_escape(char *out, size_t cap, const char *s, size_t len)
{
	return escape(out, cap, s, len, true);
}

/* See journal_fields.h. */
size_t
jf_escape_display(char *out, size_t cap, const char *s, size_t len)
{
	return escape(out, cap, s, len, false);
}

static int
grow(char **out, size_t *outlen, size_t *outcap, size_t need)
{
	size_t ncap;
	char *nd;

	if (*outlen + need + 1 <= *outcap)
		return 0;
	ncap = *outcap ? *outcap : 4096;
	while (ncap < *outlen + need + 1)
		ncap *= 2;
	nd = realloc(*out, ncap);
	if (nd == NULL)
		return -ENOMEM;
	*out = nd;
	*outcap = ncap;
	return 0;
}

/* See journal_fields.h. */
int
jf_json_value(char **out, size_t *outlen, size_t *outcap, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;
	char *o;

	if (!jf_utf8_valid(s, len)) {
		/* Worst case "255," per byte plus brackets. */
		if (grow(out, outlen, outcap, len * 4 + 2) < 0)
			return -ENOMEM;
		o = *out + *outlen;
		*o++ = '[';
		for (i = 0; i < len; i++) {
			unsigned v = p[i];

			if (i > 0)
				*o++ = ',';
			if (v >= 100)
				*o++ = (char)('0' + v / 100);
			if (v >= 10)
				*o++ = (char)('0' + (v / 10) % 10);
			*o++ = (char)('0' + v % 10);
		}
		*o++ = ']';
		*outlen = (size_t)(o - *out);
		(*out)[*outlen] = '\0';
		return 0;
	}
	/* Worst case \u00XX (6 bytes) per byte plus quotes. */
	if (grow(out, outlen, outcap, len * 6 + 2) < 0)
		return -ENOMEM;
	o = *out + *outlen;
	*o++ = '"';
	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		switch (c) {
		case '"': *o++ = '\\'; *o++ = '"'; break;
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\t': *o++ = '\\'; *o++ = 't'; break;
		case '\r': *o++ = '\\'; *o++ = 'r'; break;
		default:
			if (c < 0x20 || c == 0x7f) {
				*o++ = '\\'; *o++ = 'u'; *o++ = '0'; *o++ = '0';
				text_hex_byte(c, false, o);
				o += 2;
			} else {
				*o++ = (char)c;
			}
		}
	}
	*o++ = '"';
	*outlen = (size_t)(o - *out);
	(*out)[*outlen] = '\0';
	return 0;
}
