/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of common/journal_fields.c: names, binary-safe values,
 * escaping, and the sender (bounded, unbounded, memfd) on a socket of the
 * test's own.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "clock.h"
#include "journal_fields.h"

/* A datagram socket bound at a fresh path under /tmp; its fd, path in path. */
static int
bind_dgram(char path[108])
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/jf-send.XXXXXX";
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, 108, "%s/socket", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void
unbind_dgram(int fd, char path[108])
{
	if (fd >= 0)
		close(fd);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

/* The native protocol on the wire: plain fields and a binary one with a newline. */
static void
test_send_wire(void **state)
{
	static const char want[] = "MESSAGE=hi\nOIDC_ARGV\n\x03\0\0\0\0\0\0\0a\nb\n";
	struct jfields f;
	char path[108], buf[256];
	ssize_t n;
	int fd;

	fd = bind_dgram(path);
	jf_init(&f, 1024);
	assert_int_equal(jf_add_str(&f, "MESSAGE", "hi"), 0);
	assert_int_equal(jf_add_str(&f, "OIDC_ARGV", "a\nb"), 0);
	assert_int_equal(jf_send(&f, path, 1000), 0);
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(buf, want, sizeof(want) - 1);
	jf_free(&f);
	unbind_dgram(fd, path);
}

/*
 * No journald: a missing socket is -ENOENT (sd_journal_sendv says 0), a
 * socket file nobody holds is -ECONNREFUSED; an empty entry is -EINVAL.
 */
static void
test_send_absent(void **state)
{
	struct jfields f;
	char path[108];
	int fd;

	jf_init(&f, 1024);
	assert_int_equal(jf_send(&f, "/nonexistent/socket", 1000), -EINVAL);
	assert_int_equal(jf_add_str(&f, "MESSAGE", "hi"), 0);
	assert_int_equal(jf_send(&f, "/nonexistent/socket", 1000), -ENOENT);
	fd = bind_dgram(path);
	close(fd);
	assert_int_equal(jf_send(&f, path, 1000), -ECONNREFUSED);
	jf_free(&f);
	unbind_dgram(-1, path);
}

/*
 * A journald that exists but does not read (SIGSTOP): once its queue is
 * full the send gives up at the timeout, instead of blocking for ever.
 */
static void
test_send_full(void **state)
{
	struct jfields f;
	char path[108];
	int64_t t0, ms = 0;
	int fd, i, r = 0;

	fd = bind_dgram(path);
	jf_init(&f, 1024);
	assert_int_equal(jf_add_str(&f, "MESSAGE", "fill"), 0);
	for (i = 0; i < 100000; i++) {
		t0 = clock_mono_ms();
		r = jf_send(&f, path, 300);
		ms = clock_mono_ms() - t0;
		if (r < 0)
			break;
	}
	assert_int_equal(r, -ETIMEDOUT);
	assert_true(ms >= 290 && ms < 2000);
	jf_free(&f);
	unbind_dgram(fd, path);
}

/*
 * An entry over the socket's datagram size (net.core.wmem_default, 208 kB
 * here) goes in a sealed memfd passed with SCM_RIGHTS in an empty
 * datagram, the way journald takes large entries; the memfd holds exactly
 * the native serialization.
 */
static void
test_send_memfd(void **state)
{
	enum { BIG = 600000 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr mh = { 0 };
	struct cmsghdr *c;
	struct jfields f;
	struct stat st;
	struct iovec iov;
	char path[108], one, *val, *got;
	ssize_t n;
	int fd, mfd = -1, seals;

	fd = bind_dgram(path);
	val = malloc(BIG);
	got = malloc(BIG + 64);
	assert_non_null(val);
	assert_non_null(got);
	memset(val, 'x', BIG);
	jf_init(&f, 2 * BIG);
	assert_int_equal(jf_add_str(&f, "MESSAGE", "big"), 0);
	assert_int_equal(jf_add(&f, "OIDC_ARGV", val, BIG), 0);
	assert_int_equal(jf_send(&f, path, 1000), 0);

	iov.iov_base = &one;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	assert_int_equal(n, 0);
	c = CMSG_FIRSTHDR(&mh);
	if (c == NULL) {
		/* not fail(): the compiler must see that c is set below */
		fprintf(stderr, "no descriptor came with the datagram\n");
		abort();
	}
	assert_int_equal(c->cmsg_level, SOL_SOCKET);
	assert_int_equal(c->cmsg_type, SCM_RIGHTS);
	memcpy(&mfd, CMSG_DATA(c), sizeof(int));
	assert_true(mfd >= 0);
	seals = fcntl(mfd, F_GET_SEALS);
	assert_int_equal(seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL),
			 F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	assert_int_equal(fstat(mfd, &st), 0);
	assert_int_equal(st.st_size, strlen("MESSAGE=big\nOIDC_ARGV=") + BIG + 1);
	assert_int_equal(pread(mfd, got, BIG + 64, 0), st.st_size);
	assert_memory_equal(got, "MESSAGE=big\nOIDC_ARGV=", strlen("MESSAGE=big\nOIDC_ARGV="));
	assert_memory_equal(got + strlen("MESSAGE=big\nOIDC_ARGV="), val, BIG);
	assert_int_equal(got[st.st_size - 1], '\n');
	close(mfd);
	free(val);
	free(got);
	jf_free(&f);
	unbind_dgram(fd, path);
}

/*
 * JF_WAIT_FOREVER waits for room for as long as the reader takes: with
 * the queue full, the send returns once a reader (here after 300 ms)
 * drains it; a timeout below JF_WAIT_FOREVER is refused.
 */
static void
test_send_forever(void **state)
{
	struct jfields f;
	char path[108], buf[64];
	int64_t t0, ms;
	pid_t pid;
	int fd, i, st;

	fd = bind_dgram(path);
	jf_init(&f, 1024);
	assert_int_equal(jf_add_str(&f, "MESSAGE", "fill"), 0);
	assert_int_equal(jf_send(&f, path, -2), -EINVAL);
	for (i = 0; i < 100000; i++)
		if (jf_send(&f, path, 0) < 0)
			break;
	assert_int_equal(jf_send(&f, path, 0), -ETIMEDOUT);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		usleep(300 * 1000);
		while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
		_exit(0);
	}
	t0 = clock_mono_ms();
	assert_int_equal(jf_send(&f, path, JF_WAIT_FOREVER), 0);
	ms = clock_mono_ms() - t0;
	assert_true(ms >= 250);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	jf_free(&f);
	unbind_dgram(fd, path);
}

static void
test_names(void **state)
{
	char longname[80];

	assert_true(jf_name_valid("OIDC_SUBJECT"));
	assert_true(jf_name_valid("MESSAGE"));
	assert_true(jf_name_valid("A1_2"));
	assert_false(jf_name_valid(""));
	assert_false(jf_name_valid(NULL));
	assert_false(jf_name_valid("_PID"));
	assert_false(jf_name_valid("1ABC"));
	assert_false(jf_name_valid("oidc_subject"));
	assert_false(jf_name_valid("OIDC-SUBJECT"));
	assert_false(jf_name_valid("A=B"));
	assert_false(jf_name_valid("A\nB"));
	memset(longname, 'A', 64);
	longname[64] = '\0';
	assert_true(jf_name_valid(longname));
	longname[64] = 'A';
	longname[65] = '\0';
	assert_false(jf_name_valid(longname));
}

static void
test_add_binary(void **state)
{
	struct jfields f;
	const struct iovec *iov;
	const char *name, *val;
	size_t n, nl, vl;
	static const char bin[] = "a\nb\0c=\"\xff";

	jf_init(&f, 4096);
	assert_int_equal(jf_add_str(&f, "MESSAGE", "hello"), 0);
	assert_int_equal(jf_add(&f, "OIDC_PATH", bin, sizeof(bin) - 1), 0);
	assert_int_equal(jf_add_u64(&f, "OIDC_AUDIT_SERIAL", UINT64_MAX), 0);
	assert_int_equal(jf_add_i64(&f, "OIDC_EXIT", -13), 0);
	assert_int_equal(jf_add_str(&f, "OIDC_EMAIL", NULL), 0);	/* nothing added */
	assert_int_equal(jf_add_str(&f, "_PID", "1"), -EINVAL);
	assert_int_equal(jf_add_str(&f, "bad", "1"), -EINVAL);
	assert_int_equal(jf_add(&f, "OIDC_EMPTY", "", 0), 0);
	assert_int_equal(f.n, 5);

	iov = jf_iovec(&f, &n);
	assert_int_equal(n, 5);
	assert_int_equal(iov[0].iov_len, strlen("MESSAGE=hello"));
	assert_memory_equal(iov[0].iov_base, "MESSAGE=hello", iov[0].iov_len);
	/* the value keeps every byte, NUL and newline included, with an exact length */
	assert_int_equal(iov[1].iov_len, strlen("OIDC_PATH=") + sizeof(bin) - 1);
	assert_memory_equal(iov[1].iov_base, "OIDC_PATH=", 10);
	assert_memory_equal((char *)iov[1].iov_base + 10, bin, sizeof(bin) - 1);
	assert_memory_equal(iov[2].iov_base, "OIDC_AUDIT_SERIAL=18446744073709551615", iov[2].iov_len);
	assert_memory_equal(iov[3].iov_base, "OIDC_EXIT=-13", iov[3].iov_len);
	assert_int_equal(iov[4].iov_len, strlen("OIDC_EMPTY="));

	jf_get(&f, 1, &name, &nl, &val, &vl);
	assert_int_equal(nl, 9);
	assert_memory_equal(name, "OIDC_PATH", 9);
	assert_int_equal(vl, sizeof(bin) - 1);
	val = jf_find(&f, "OIDC_EXIT", &vl);
	assert_non_null(val);
	assert_int_equal(vl, 3);
	assert_memory_equal(val, "-13", 3);
	assert_null(jf_find(&f, "OIDC_NOPE", NULL));

	jf_reset(&f);
	assert_int_equal(f.n, 0);
	/* number formatting at the edges */
	assert_int_equal(jf_add_i64(&f, "A", INT64_MIN), 0);
	assert_int_equal(jf_add_i64(&f, "B", 0), 0);
	assert_int_equal(jf_add_u64(&f, "C", 0), 0);
	assert_int_equal(jf_add_i64(&f, "D", INT64_MAX), 0);
	val = jf_find(&f, "A", &vl);
	assert_memory_equal(val, "-9223372036854775808", vl);
	assert_int_equal(vl, 20);
	val = jf_find(&f, "B", &vl);
	assert_memory_equal(val, "0", vl);
	val = jf_find(&f, "C", &vl);
	assert_memory_equal(val, "0", vl);
	val = jf_find(&f, "D", &vl);
	assert_memory_equal(val, "9223372036854775807", vl);
	jf_reset(&f);
	assert_null(jf_find(&f, "MESSAGE", NULL));
	jf_free(&f);
	jf_free(&f);
	jf_free(NULL);
}

static void
test_limits(void **state)
{
	struct jfields f;
	char name[16];
	char *big;
	int i;

	jf_init(&f, 100);
	big = calloc(1, 200);
	assert_non_null(big);
	memset(big, 'x', 199);
	assert_int_equal(jf_add_str(&f, "A", big), -EFBIG);
	assert_int_equal(f.n, 0);
	assert_int_equal(jf_add(&f, "A", big, 90), 0);
	assert_int_equal(jf_add(&f, "B", big, 20), -EFBIG);	/* over the total */
	assert_int_equal(f.n, 1);
	jf_free(&f);
	free(big);

	jf_init(&f, 1 << 20);
	for (i = 0; i < JF_MAX_FIELDS; i++) {
		snprintf(name, sizeof(name), "F%d", i);
		assert_int_equal(jf_add_str(&f, name, "v"), 0);
	}
	assert_int_equal(jf_add_str(&f, "ONE_TOO_MANY", "v"), -E2BIG);
	jf_free(&f);
}

static void
test_escape(void **state)
{
	char out[64];
	size_t n;
	static const char hostile[] = "x\" ses=1 \"\nrm -rf\x1b[31m\\\xff\xc3\xa9";

	n = jf_escape(out, sizeof(out), hostile, sizeof(hostile) - 1);
	assert_string_equal(out, "x\" ses=1 \"\\nrm -rf\\x1b[31m\\\\\\xff\xc3\xa9");
	assert_int_equal(n, strlen(out));
	/* no raw control byte survives */
	for (n = 0; out[n]; n++)
		assert_true((unsigned char)out[n] >= 0x20 && out[n] != 0x7f);

	/* overlong encodings and surrogates are not UTF-8 */
	n = jf_escape(out, sizeof(out), "\xc0\xaf\xed\xa0\x80", 5);
	assert_string_equal(out, "\\xc0\\xaf\\xed\\xa0\\x80");

	/* truncation marks the cut and stays within the buffer */
	memset(out, 'Z', sizeof(out));
	n = jf_escape(out, 10, "abcdefghijklmnop", 16);
	assert_string_equal(out, "abcdef...");
	assert_true(n < 10);
	assert_int_equal(out[10], 'Z');
	n = jf_escape(out, 1, "abc", 3);
	assert_int_equal(n, 0);
	assert_string_equal(out, "");
}

/*
 * Characters that hide or reorder text, or steer a terminal, are valid
 * UTF-8 but must not reach MESSAGE raw: C1 controls (CSI U+009B), the bidi
 * overrides, embeddings, isolates and marks, and the BOM.  Each becomes
 * \uXXXX; other non-ASCII text stays as it is.
 */
static void
test_escape_invisible(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "/srv/secret/\xe2\x80\xaetxt.yralas", "/srv/secret/\\u202etxt.yralas" },
		{ "a\xc2\x9b"
		  "31mb",
		  "a\\u009b31mb" },
		{ "\xc2\x80\xc2\x9f", "\\u0080\\u009f" },
		{ "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
		  "\\u202a\\u202b\\u202c\\u202d" },
		{ "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
		  "\\u2066\\u2067\\u2068\\u2069" },
		{ "\xd8\x9c"
		  "x\xef\xbb\xbf"
		  "y\xe2\x80\x8e\xe2\x80\x8f",
		  "\\u061cx\\ufeffy\\u200e\\u200f" },
		/* neighbours of the ranges are ordinary text */
		{ "\xc2\xa0\xd8\x9b\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xc3\xa9",
		  "\xc2\xa0\xd8\x9b\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xc3\xa9" },
	};
	char out[128];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = jf_escape(out, sizeof(out), cases[i].in, strlen(cases[i].in));
		assert_string_equal(out, cases[i].want);
		assert_int_equal(n, strlen(out));
	}
	/* an escape that does not fit is cut whole, never half written */
	n = jf_escape(out, 10,
		      "ab\xe2\x80\xae"
		      "cdefgh",
		      11);
	assert_string_equal(out, "ab...");
	assert_int_equal(n, 5);
}

static void
test_utf8_json(void **state)
{
	char *o = NULL;
	size_t len = 0, cap = 0;

	assert_true(jf_utf8_valid("h\xc3\xa9llo", 6));
	assert_true(jf_utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(jf_utf8_valid("\xff", 1));
	assert_false(jf_utf8_valid("\xc3", 1));
	assert_false(jf_utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(jf_utf8_valid("\xe0\x80\x80", 3));	/* overlong */

	assert_int_equal(jf_json_value(&o, &len, &cap, "a\"b\\c\n\x01", 7), 0);
	assert_string_equal(o, "\"a\\\"b\\\\c\\n\\u0001\"");
	len = 0;
	assert_int_equal(jf_json_value(&o, &len, &cap, "a\xff\n", 3), 0);
	assert_string_equal(o, "[97,255,10]");
	len = 0;
	assert_int_equal(jf_json_value(&o, &len, &cap, "", 0), 0);
	assert_string_equal(o, "\"\"");
	free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_add_binary),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_invisible),
		cmocka_unit_test(test_utf8_json),
		cmocka_unit_test(test_send_wire),
		cmocka_unit_test(test_send_absent),
		cmocka_unit_test(test_send_full),
		cmocka_unit_test(test_send_memfd),
		cmocka_unit_test(test_send_forever),
	};

	return cmocka_run_group_tests_name("journal_fields", tests, NULL, NULL);
}
