/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The line channel (shared/chan.c) over a real socketpair: lines cut across
 * reads, several lines in one read, the length and count limits, deadlines
 * with and without data, EINTR, a peer that goes away, and wiping.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include "chan.h"
#include "child_proto.h"
#include "clock.h"

struct pair {
	struct chan c; /* the end under test */
	int peer;      /* the other end, written raw */
};

static int
pair_setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));
	int sv[2];

	if (p == NULL || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	chan_init(&p->c, sv[0]);
	p->peer = sv[1];
	*state = p;
	return 0;
}

static int
pair_teardown(void **state)
{
	struct pair *p = *state;

	chan_close(&p->c);
	if (p->peer >= 0)
		close(p->peer);
	free(p);
	return 0;
}

static void
put(int fd, const char *s, size_t n)
{
	assert_int_equal(write(fd, s, n), (ssize_t)n);
}

static void
puts_raw(int fd, const char *s)
{
	put(fd, s, strlen(s));
}

static void
expect_line(struct chan *c, int64_t deadline, const char *key, const char *value)
{
	char *k = NULL, *v = NULL;

	assert_int_equal(chan_recv(c, deadline, &k, &v), 0);
	assert_string_equal(k, key);
	assert_string_equal(v, value);
}

static void
test_partial_reads(void **state)
{
	struct pair *p = *state;
	char *k = NULL, *v = NULL;

	/* half a line: nothing to hand out at the deadline, but it is kept */
	puts_raw(p->peer, "verification_uri https://idp.exa");
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 50, &k, &v), -ETIMEDOUT);
	assert_null(k);
	puts_raw(p->peer, "mple/device\nuser_code WDJB");
	expect_line(&p->c, clock_mono_ms() + 1000, "verification_uri",
		    "https://idp.example/device");
	/* one byte at a time, the newline last */
	puts_raw(p->peer, "-");
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 20, &k, &v), -ETIMEDOUT);
	puts_raw(p->peer, "MJHT");
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 20, &k, &v), -ETIMEDOUT);
	puts_raw(p->peer, "\n");
	expect_line(&p->c, clock_mono_ms() + 1000, "user_code", "WDJB-MJHT");
}

static void
test_two_lines_one_read(void **state)
{
	struct pair *p = *state;
	char *k, *v;

	puts_raw(p->peer, "subject a%20b\nemail \nok\n");
	expect_line(&p->c, clock_mono_ms() + 1000, "subject", "a b");
	/* the rest is already buffered: a deadline in the past still gets it */
	expect_line(&p->c, 0, "email", "");
	expect_line(&p->c, 0, "ok", "");
	assert_int_equal(chan_recv(&p->c, 0, &k, &v), -ETIMEDOUT);
}

static void
test_answer_after_deadline(void **state)
{
	struct pair *p = *state;

	/* arrived while nobody was reading; the deadline has passed since */
	puts_raw(p->peer, "fail timeout%20too%20late\n");
	expect_line(&p->c, clock_mono_ms() - 1000, "fail", "timeout too late");
}

static void
test_overlong_line(void **state)
{
	struct pair *p = *state;
	char line[CHILD_PROTO_MAX_LINE + 2], *k, *v;

	/* exactly CHILD_PROTO_MAX_LINE bytes with its newline: accepted */
	memset(line, 'x', sizeof(line));
	memcpy(line, "k ", 2);
	line[CHILD_PROTO_MAX_LINE - 1] = '\n';
	put(p->peer, line, CHILD_PROTO_MAX_LINE);
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), 0);
	assert_int_equal(strlen(v), CHILD_PROTO_MAX_LINE - 3);
	/* one byte more: refused, and for good, even when a newline follows */
	line[CHILD_PROTO_MAX_LINE - 1] = 'x';
	line[CHILD_PROTO_MAX_LINE] = '\n';
	put(p->peer, line, CHILD_PROTO_MAX_LINE + 1);
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), -EMSGSIZE);
	puts_raw(p->peer, "ok\n");
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), -EMSGSIZE);
}

static void
test_too_many_lines(void **state)
{
	struct pair *p = *state;
	char *k, *v;
	int i;

	for (i = 0; i <= CHILD_PROTO_MAX_LINES; i++)
		puts_raw(p->peer, "step x\n");
	for (i = 0; i < CHILD_PROTO_MAX_LINES; i++)
		assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), 0);
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), -E2BIG);
	puts_raw(p->peer, "ok\n");
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), -E2BIG);
}

static void
test_malformed_lines(void **state)
{
	struct pair *p = *state;
	char *k, *v;

	/* a raw space in the value, an upper-case key, a bad escape, a NUL byte */
	puts_raw(p->peer, "user a b\nUser a\nuser a%zz\n");
	put(p->peer, "user al\0ice\n", 12);
	puts_raw(p->peer, "user alice\n");
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), -EBADMSG);
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), -EBADMSG);
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), -EBADMSG);
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), -EBADMSG);
	/* each was dropped whole: the next line is intact */
	expect_line(&p->c, clock_mono_ms() + 1000, "user", "alice");
}

static void
test_deadline(void **state)
{
	struct pair *p = *state;
	int64_t t0, ms;
	char *k, *v;

	t0 = clock_mono_ms();
	assert_int_equal(chan_recv(&p->c, t0 + 150, &k, &v), -ETIMEDOUT);
	ms = clock_mono_ms() - t0;
	assert_true(ms >= 150);
	assert_true(ms < 1000);
	/* a deadline in the past does not wait at all */
	t0 = clock_mono_ms();
	assert_int_equal(chan_recv(&p->c, t0 - 5, &k, &v), -ETIMEDOUT);
	assert_true(clock_mono_ms() - t0 < 50);
}

static void
on_alarm(int sig)
{
	(void)sig;
}

static void
test_eintr(void **state)
{
	struct pair *p = *state;
	struct sigaction sa, old;
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } }, off = { { 0, 0 }, { 0, 0 } };
	int64_t t0;
	char *k, *v;
	int r;

	/* no SA_RESTART: poll fails with EINTR every 10 ms */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	t0 = clock_mono_ms();
	r = chan_recv(&p->c, t0 + 200, &k, &v);
	assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
	assert_int_equal(r, -ETIMEDOUT);
	assert_true(clock_mono_ms() - t0 >= 200);
}

static void
test_peer_closed(void **state)
{
	struct pair *p = *state;
	char *k, *v;

	/* a complete line before the end is still delivered; a partial one is not */
	puts_raw(p->peer, "shown\nuser_co");
	close(p->peer);
	p->peer = -1;
	expect_line(&p->c, clock_mono_ms() + 1000, "shown", "");
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), -EPIPE);
	/* writing to it is an error, never SIGPIPE (which would end this test) */
	assert_int_equal(chan_send(&p->c, "cancel", NULL, clock_mono_ms() + 1000), -EPIPE);
	chan_close(&p->c);
	assert_int_equal(chan_recv(&p->c, clock_mono_ms() + 1000, &k, &v), -EPIPE);
	assert_int_equal(chan_send(&p->c, "cancel", NULL, 0), -EPIPE);
}

static void
test_send_roundtrip(void **state)
{
	struct pair *p = *state;
	struct chan other;
	char big[CHILD_PROTO_MAX_LINE];

	/* the peer speaks through a channel too, as the other end does */
	chan_init(&other, p->peer);
	p->peer = -1;
	assert_int_equal(chan_send(&other, "user_code", "A B\n%\x1b", clock_mono_ms() + 1000), 0);
	assert_int_equal(chan_send(&other, "shown", NULL, clock_mono_ms() + 1000), 0);
	expect_line(&p->c, clock_mono_ms() + 1000, "user_code", "A B\n%\x1b");
	expect_line(&p->c, clock_mono_ms() + 1000, "shown", "");
	/* what cannot be framed is refused before anything is written */
	assert_int_equal(chan_send(&other, "Bad", "x", clock_mono_ms() + 1000), -EINVAL);
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(chan_send(&other, "k", big, clock_mono_ms() + 1000), -EFBIG);
	assert_int_equal(chan_send(&other, "ok", NULL, clock_mono_ms() + 1000), 0);
	expect_line(&p->c, clock_mono_ms() + 1000, "ok", "");
	chan_close(&other);
	chan_close(&other);
}

static void
test_send_deadline(void **state)
{
	struct pair *p = *state;
	char value[1000];
	int64_t t0;
	int sz = 4096, r = 0, i;

	/* nobody reads the peer: the socket fills up and the send times out */
	assert_int_equal(setsockopt(p->c.fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)), 0);
	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	for (i = 0; i < 10000 && r == 0; i++)
		r = chan_send(&p->c, "k", value, clock_mono_ms() + 100);
	assert_int_equal(r, -ETIMEDOUT);
	/* and once the deadline has passed, it does not wait at all */
	t0 = clock_mono_ms();
	r = chan_send(&p->c, "k", value, t0 - 1);
	assert_true(r == -ETIMEDOUT || r == -EPIPE);
	assert_true(clock_mono_ms() - t0 < 50);
}

static void
test_wiped(void **state)
{
	struct pair *p = *state;
	size_t i;

	puts_raw(p->peer, "user_code WDJB-MJHT\nok\n");
	expect_line(&p->c, clock_mono_ms() + 1000, "user_code", "WDJB-MJHT");
	expect_line(&p->c, clock_mono_ms() + 1000, "ok", "");
	/* the next call drops "ok" and wipes everything behind what is left */
	assert_int_equal(chan_recv(&p->c, 0, &(char *){ NULL }, &(char *){ NULL }), -ETIMEDOUT);
	for (i = 0; i < sizeof(p->c.buf); i++)
		assert_int_equal(p->c.buf[i], 0);
	puts_raw(p->peer, "user_code WDJB-MJHT\n");
	expect_line(&p->c, clock_mono_ms() + 1000, "user_code", "WDJB-MJHT");
	chan_close(&p->c);
	for (i = 0; i < sizeof(p->c.buf); i++)
		assert_int_equal(p->c.buf[i], 0);
	assert_int_equal(p->c.fd, -1);
	chan_close(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_partial_reads, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_two_lines_one_read, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_answer_after_deadline, pair_setup,
						pair_teardown),
		cmocka_unit_test_setup_teardown(test_overlong_line, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_too_many_lines, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_malformed_lines, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_deadline, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_eintr, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_peer_closed, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_send_roundtrip, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_send_deadline, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_wiped, pair_setup, pair_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
