/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the module's own parts, without libpam: provider-string
 * sanitising, the QR drawing, the pending-record handoff and the
 * oidc-child spawner (environment, descriptors, session, deadline,
 * SIGCHLD).
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "child_spawn.h"
#include "clock.h"
#include "oidc_err.h"
#include "pending.h"
#include "qr.h"
#include "registry.h"
#include "sanitize.h"
#include "session.h"
#include "testhelp.h"

/* ---------------------------------------------------------------- sanitize */

static void
test_sanitize_strips_controls(void **state)
{
	char out[128];

	/* ESC [ 2 J (clear screen), OSC title, BEL, CR, DEL, C1 CSI (U+009B) */
	assert_int_equal(sanitize_text("a\x1b[2Jb\x1b]0;pwned\x07" "c\rd\x7f" "e\xc2\x9b" "31mf",
				       out, sizeof(out)), 20);
	assert_string_equal(out, "a[2Jb]0;pwnedcde31mf");
	assert_null(strchr(out, '\x1b'));
}

static void
test_sanitize_utf8(void **state)
{
	char out[128];

	/* valid UTF-8 kept; bidi override (U+202E) and BOM dropped; invalid bytes dropped */
	sanitize_text("caf\xc3\xa9 \xe2\x80\xae" "evil \xef\xbb\xbfx \xff\xc0\xaf" "y", out, sizeof(out));
	assert_string_equal(out, "caf\xc3\xa9 evil x y");
	/* a truncated sequence at the end is dropped, never half-copied */
	sanitize_text("ok\xe2\x82", out, sizeof(out));
	assert_string_equal(out, "ok");
}

static void
test_sanitize_word_and_bounds(void **state)
{
	char out[8];

	assert_int_equal(sanitize_word("AB CD\tEF\xc3\xa9", out, sizeof(out)), 6);
	assert_string_equal(out, "ABCDEF");
	assert_int_equal(sanitize_word("0123456789", out, sizeof(out)), -EFBIG);
	assert_string_equal(out, "0123456");
	assert_int_equal(sanitize_text(NULL, out, sizeof(out)), -EINVAL);
	assert_int_equal(sanitize_text("x", out, 0), -EINVAL);
}

/* ---------------------------------------------------------------- qr */

static void
test_qr_render(void **state)
{
	struct oidc_err err;
	char *q = NULL, *line, *save;
	size_t lines = 0, cols = 0, n;
	const unsigned char *p;

	assert_int_equal(qr_render("https://idp.example/device", &q, &err), 0);
	assert_non_null(q);
	/* only spaces, half blocks, full blocks and newlines */
	for (line = strtok_r(q, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		n = 0;
		for (p = (const unsigned char *)line; *p != '\0'; n++) {
			if (*p == ' ') {
				p++;
				continue;
			}
			assert_int_equal(p[0], 0xe2);
			assert_int_equal(p[1], 0x96);
			assert_true(p[2] == 0x80 || p[2] == 0x84 || p[2] == 0x88);
			p += 3;
		}
		if (lines == 0)
			cols = n;
		assert_int_equal(n, cols);
		lines++;
	}
	/* version 2 (25 modules) + quiet zone 2+2 = 29 columns, 15 lines */
	assert_int_equal(cols, 29);
	assert_int_equal(lines, 15);
	free(q);
}

static void
test_qr_too_long(void **state)
{
	struct oidc_err err;
	char text[QR_MAX_TEXT + 2];
	char *q = NULL;

	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	oidc_err_clear(&err);
	assert_int_equal(qr_render(text, &q, &err), -EFBIG);
	assert_null(q);
	/* 500 bytes fit the limit but need version 15: 77 + 4 columns > 80 */
	text[500] = '\0';
	oidc_err_clear(&err);
	assert_int_equal(qr_render(text, &q, &err), -EFBIG);
	assert_null(q);
	/* 300 bytes: version 11, 61 modules + 4 = 65 columns */
	text[300] = '\0';
	assert_int_equal(qr_render(text, &q, &err), 0);
	assert_non_null(q);
	/* the first line is quiet zone: 65 full blocks of 3 bytes */
	assert_int_equal(strcspn(q, "\n"), 65 * 3);
	free(q);
}

static void
test_qr_auto_rule(void **state)
{
	assert_true(qr_auto_wanted(NULL));
	assert_true(qr_auto_wanted(""));
	assert_true(qr_auto_wanted("en_US.UTF-8"));
	assert_true(qr_auto_wanted("C.utf8"));
	assert_true(qr_auto_wanted("de_DE.utf-8@euro"));
	assert_false(qr_auto_wanted("C"));
	assert_false(qr_auto_wanted("POSIX"));
	assert_false(qr_auto_wanted("en_US"));
	assert_false(qr_auto_wanted("en_US.ISO-8859-1"));
}

/* ---------------------------------------------------------------- pending */

struct pdir {
	char path[64];
};

static int
pdir_setup(void **state)
{
	struct pdir *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return -1;
	snprintf(d->path, sizeof(d->path), "/tmp/pam_oidc-pending.XXXXXX");
	if (mkdtemp(d->path) == NULL)
		return -1;
	*state = d;
	return 0;
}

static int
pdir_teardown(void **state)
{
	struct pdir *d = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	if (strncmp(d->path, "/tmp/pam_oidc-pending.", 22) == 0) {
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	free(d);
	return 0;
}

static void
fill_identity(struct oidc_identity *id, const char *user)
{
	id->user = strdup(user);
	id->issuer = strdup("https://idp.example");
	id->subject = strdup("sub with space, = and %0A");
	id->username = strdup("alice");
	id->email = strdup("");
	id->acr = strdup("");
	id->auth_time = 1700000000;
}

static void
test_pending_roundtrip_once(void **state)
{
	struct pdir *d = *state;
	struct oidc_identity in = { 0 }, out = { 0 };
	struct oidc_err err;
	char handle[PENDING_HANDLE_LEN + 1], file[256];
	struct stat st;

	fill_identity(&in, "alice");
	oidc_err_clear(&err);
	assert_int_equal(pending_write(d->path, &in, handle, &err), 0);
	assert_int_equal(strlen(handle), PENDING_HANDLE_LEN);
	assert_int_equal(strspn(handle, "0123456789abcdef"), PENDING_HANDLE_LEN);
	snprintf(file, sizeof(file), "%s/%s", d->path, handle);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(pending_consume(d->path, handle, "alice", &out, &err), 0);
	assert_string_equal(out.subject, in.subject);
	assert_string_equal(out.issuer, in.issuer);
	assert_string_equal(out.username, "alice");
	assert_int_equal(out.auth_time, 1700000000);
	/* consumed: the file is gone and a second use finds nothing */
	assert_int_equal(stat(file, &st), -1);
	oidc_identity_clear(&out);
	oidc_err_clear(&err);
	assert_int_equal(pending_consume(d->path, handle, "alice", &out, &err), -ENOENT);
	assert_null(out.user);
	oidc_identity_clear(&in);
}

/* A login that pam_oidc authenticated and whose session has not taken it yet. */
static void
test_pending_fresh_for_user(void **state)
{
	struct pdir *d = *state;
	struct oidc_identity in = { 0 }, out = { 0 };
	struct oidc_err err;
	char handle[PENDING_HANDLE_LEN + 1];

	oidc_err_clear(&err);
	assert_int_equal(pending_fresh_for_user(d->path, "alice", &err), 0);
	fill_identity(&in, "alice");
	assert_int_equal(pending_write(d->path, &in, handle, &err), 0);
	assert_int_equal(pending_fresh_for_user(d->path, "alice", &err), 1);
	assert_int_equal(pending_fresh_for_user(d->path, "bob", &err), 0);
	assert_int_equal(pending_consume(d->path, handle, "alice", &out, &err), 0);
	assert_int_equal(pending_fresh_for_user(d->path, "alice", &err), 0);
	oidc_identity_clear(&out);
	oidc_identity_clear(&in);
}

static void
test_pending_wrong_user(void **state)
{
	struct pdir *d = *state;
	struct oidc_identity in = { 0 }, out = { 0 };
	struct oidc_err err;
	char handle[PENDING_HANDLE_LEN + 1];

	fill_identity(&in, "alice");
	oidc_err_clear(&err);
	assert_int_equal(pending_write(d->path, &in, handle, &err), 0);
	assert_int_equal(pending_consume(d->path, handle, "bob", &out, &err), -EPERM);
	assert_null(out.user);
	/* and it is spent: alice cannot use it after bob's attempt either */
	oidc_err_clear(&err);
	assert_int_equal(pending_consume(d->path, handle, "alice", &out, &err), -ENOENT);
	oidc_identity_clear(&in);
}

static void
write_raw(const char *dir, const char *name, const char *content, mode_t mode)
{
	char file[256];
	int fd;

	snprintf(file, sizeof(file), "%s/%s", dir, name);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* A well-formed record in the documented format; the argument is its creation time. */
#define REC_FMT \
	"pam_oidc-pending 2\ncreated=%" PRId64 "\nissuer=https://idp.example\nsubject=s\n" \
	"username=alice\nemail=\nauth_time=0\nacr=\nuser=alice\n"

static void
test_pending_too_old_and_planted(void **state)
{
	struct pdir *d = *state;
	struct oidc_identity out = { 0 };
	struct oidc_err err;
	struct timespec ts;
	char rec[512], link[256];
	int64_t old;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	old = ((int64_t)ts.tv_sec - PENDING_MAX_AGE_S - 1) * 1000000;
	if (old < 0)
		old = 0;
	snprintf(rec, sizeof(rec), REC_FMT, old);
	write_raw(d->path, "0123456789abcdef0123456789abcdef", rec, 0600);
	oidc_err_clear(&err);
	if (ts.tv_sec > PENDING_MAX_AGE_S + 1)
		assert_int_equal(pending_consume(d->path, "0123456789abcdef0123456789abcdef",
						 "alice", &out, &err), -EPERM);
	assert_null(out.user);

	/* a handle that is not 32 hex digits never reaches the file system */
	oidc_err_clear(&err);
	assert_int_equal(pending_consume(d->path, "../../etc/passwd", "alice", &out, &err), -EINVAL);
	assert_int_equal(pending_consume(d->path, "0123456789ABCDEF0123456789ABCDEF", "alice", &out,
					 &err), -EINVAL);
	/* a record readable by others is refused (and spent) */
	snprintf(rec, sizeof(rec), REC_FMT, (int64_t)ts.tv_sec * 1000000);
	write_raw(d->path, "11111111111111111111111111111111", rec, 0644);
	oidc_err_clear(&err);
	assert_int_equal(pending_consume(d->path, "11111111111111111111111111111111", "alice", &out,
					 &err), -EPERM);
	/* a symlink is not followed */
	write_raw(d->path, "target", rec, 0600);
	snprintf(link, sizeof(link), "%s/22222222222222222222222222222222", d->path);
	assert_int_equal(symlink("target", link), 0);
	oidc_err_clear(&err);
	assert_true(pending_consume(d->path, "22222222222222222222222222222222", "alice", &out,
				    &err) < 0);
	assert_null(out.user);
	/* a malformed record (unknown key) is refused */
	write_raw(d->path, "33333333333333333333333333333333", "pam_oidc-pending 2\nevil=1\n",
		  0600);
	oidc_err_clear(&err);
	assert_int_equal(pending_consume(d->path, "33333333333333333333333333333333", "alice", &out,
					 &err), -EPROTO);
}

/* Write content as record number n and consume it for alice. */
static int
consume_raw(struct pdir *d, unsigned n, const char *content, struct oidc_identity *out)
{
	struct oidc_err err;
	char handle[PENDING_HANDLE_LEN + 1];

	snprintf(handle, sizeof(handle), "%032x", n);
	write_raw(d->path, handle, content, 0600);
	oidc_err_clear(&err);
	return pending_consume(d->path, handle, "alice", out, &err);
}

static void
test_pending_format(void **state)
{
	struct pdir *d = *state;
	struct oidc_identity in = { 0 }, out = { 0 };
	struct oidc_err err;
	struct timespec ts;
	char handle[PENDING_HANDLE_LEN + 1], file[256], rec[1024], bad[1024], *text;
	size_t len;
	unsigned n = 1;

	/* the file is its own format: a header, then name=value lines, values as they are */
	fill_identity(&in, "alice");
	oidc_err_clear(&err);
	assert_int_equal(pending_write(d->path, &in, handle, &err), 0);
	snprintf(file, sizeof(file), "%s/%s", d->path, handle);
	text = th_read_file(file, &len);
	assert_memory_equal(text, "pam_oidc-pending 2\ncreated=", 27);
	assert_non_null(strstr(text, "\nsubject=sub with space, = and %0A\n"));
	assert_non_null(strstr(text, "\nauth_time=1700000000\n"));
	assert_non_null(strstr(text, "\nuser=alice\n"));
	assert_int_equal(text[len - 1], '\n');
	free(text);
	assert_int_equal(pending_consume(d->path, handle, "alice", &out, &err), 0);
	oidc_identity_clear(&out);
	oidc_identity_clear(&in);

	/* a record written by hand in the documented format is taken */
	clock_gettime(CLOCK_BOOTTIME, &ts);
	snprintf(rec, sizeof(rec), REC_FMT, (int64_t)ts.tv_sec * 1000000);
	assert_int_equal(consume_raw(d, n++, rec, &out), 0);
	assert_string_equal(out.subject, "s");
	assert_string_equal(out.email, "");
	oidc_identity_clear(&out);

	/* the wire's framing is not a record (a version 1 record either) */
	snprintf(bad, sizeof(bad),
		 "version 1\ncreated %" PRId64 "\nuser alice\nissuer https://idp.example\n"
		 "subject s\nusername alice\nemail \nacr \nauth_time 0\nend\n",
		 (int64_t)ts.tv_sec * 1000000);
	assert_int_equal(consume_raw(d, n++, bad, &out), -EPROTO);
	/* cut inside the last line, and cut at a line end: a field is missing */
	len = strlen(rec);
	snprintf(bad, sizeof(bad), "%.*s", (int)(len - 3), rec);
	assert_int_equal(consume_raw(d, n++, bad, &out), -EPROTO);
	snprintf(bad, sizeof(bad), "%.*s", (int)(len - strlen("user=alice\n")), rec);
	assert_int_equal(consume_raw(d, n++, bad, &out), -EPROTO);
	/* a repeated field, a repeated creation time */
	snprintf(bad, sizeof(bad), "%ssubject=t\n", rec);
	assert_int_equal(consume_raw(d, n++, bad, &out), -EPROTO);
	snprintf(bad, sizeof(bad), "%screated=1\n", rec);
	assert_int_equal(consume_raw(d, n++, bad, &out), -EPROTO);
	/* a line without '=', a control byte, a bad number, another header */
	snprintf(bad, sizeof(bad), "%sjunk\n", rec);
	assert_int_equal(consume_raw(d, n++, bad, &out), -EPROTO);
	snprintf(bad, sizeof(bad), "%s", rec);
	memcpy(strstr(bad, "subject=s") + 8, "\t", 1);
	assert_int_equal(consume_raw(d, n++, bad, &out), -EPROTO);
	snprintf(bad, sizeof(bad), "%s", rec);
	memcpy(strstr(bad, "auth_time=0") + 10, "x", 1);
	assert_int_equal(consume_raw(d, n++, bad, &out), -EPROTO);
	snprintf(bad, sizeof(bad), "pam_oidc-pending 3%s", rec + strlen("pam_oidc-pending 2"));
	assert_int_equal(consume_raw(d, n++, bad, &out), -EPROTO);
	assert_null(out.user);

	/* and an identity the codec refuses is never written */
	fill_identity(&in, "alice");
	free(in.subject);
	in.subject = strdup("two\nlines");
	oidc_err_clear(&err);
	assert_int_equal(pending_write(d->path, &in, handle, &err), -EINVAL);
	oidc_identity_clear(&in);
}

static void
test_pending_dir_must_be_private(void **state)
{
	struct pdir *d = *state;
	struct oidc_identity in = { 0 };
	struct oidc_err err;
	char handle[PENDING_HANDLE_LEN + 1];

	fill_identity(&in, "alice");
	assert_int_equal(chmod(d->path, 0755), 0);
	oidc_err_clear(&err);
	assert_int_equal(pending_write(d->path, &in, handle, &err), -EPERM);
	assert_int_equal(chmod(d->path, 0700), 0);
	oidc_identity_clear(&in);
}

/* ---------------------------------------------------------------- session */

static void
test_session_same_audit_session(void **state)
{
	struct pdir *d = *state;
	struct oidc_identity a = { 0 }, b = { 0 };
	struct registry_entry e = { 0 };
	struct session_ctx ctx = { .registry_dir = d->path, .user = "alice", .service = "sshd" };
	struct oidc_err err;
	uint32_t ses, ses2, luid;
	char *login_id = NULL;
	bool created, unrec;
	int fd, jr;

	/* a fresh audit session for this process, as pam_loginuid gives a login */
	fd = open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1) {
		if (fd >= 0)
			close(fd);
		skip();
	}
	close(fd);
	assert_int_equal(session_audit_ids(&ses, &luid, NULL), 0);
	fill_identity(&a, "alice");
	fill_identity(&b, "alice");
	free(b.subject);
	b.subject = strdup("another-subject");

	oidc_err_clear(&err);
	assert_int_equal(session_open(&ctx, &a, &ses2, &created, &jr, &unrec, &err), 0);
	assert_true(created);
	assert_int_equal(ses2, ses);
	assert_int_equal(registry_read(d->path, ses, &e, NULL), 0);
	assert_string_equal(e.subject, a.subject);
	login_id = strdup(e.login_id);
	registry_entry_free(&e);

	/* sudo inside that login, same identity: the entry stays as it was */
	ctx.service = "sudo";
	assert_int_equal(session_open(&ctx, &a, &ses2, &created, &jr, &unrec, &err), 0);
	assert_false(created);
	assert_int_equal(registry_read(d->path, ses, &e, NULL), 0);
	assert_string_equal(e.login_id, login_id);
	assert_string_equal(e.service, "sshd");
	registry_entry_free(&e);

	/* another identity cannot re-key an open session */
	oidc_err_clear(&err);
	assert_int_equal(session_open(&ctx, &b, &ses2, &created, &jr, &unrec, &err), -EEXIST);
	assert_int_equal(registry_read(d->path, ses, &e, NULL), 0);
	assert_string_equal(e.subject, a.subject);
	registry_entry_free(&e);

	/* closed: the entry stays bound to its identity for the whole boot */
	ctx.service = "sshd";
	assert_int_equal(session_close(&ctx, ses, &jr, &err), 0);
	assert_int_equal(registry_read(d->path, ses, &e, NULL), 0);
	assert_true(e.closed != 0);
	registry_entry_free(&e);
	assert_int_equal(session_close(&ctx, ses, &jr, &err), -ENOENT);
	oidc_err_clear(&err);
	assert_int_equal(session_open(&ctx, &b, &ses2, &created, &jr, &unrec, &err), -EEXIST);
	assert_int_equal(registry_read(d->path, ses, &e, NULL), 0);
	assert_string_equal(e.subject, a.subject);
	assert_string_equal(e.login_id, login_id);
	assert_true(e.closed != 0);
	registry_entry_free(&e);
	/* the same identity leaves the closed entry as it is, and creates nothing */
	assert_int_equal(session_open(&ctx, &a, &ses2, &created, &jr, &unrec, &err), 0);
	assert_false(created);
	assert_int_equal(registry_read(d->path, ses, &e, NULL), 0);
	assert_true(e.closed != 0);
	registry_entry_free(&e);
	free(login_id);
	oidc_identity_clear(&a);
	oidc_identity_clear(&b);
}

/* ---------------------------------------------------------------- child_spawn */

static char *
write_script(const char *dir, const char *name, const char *body)
{
	char *path;
	int fd;

	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, body, strlen(body)), (ssize_t)strlen(body));
	close(fd);
	return path;
}

static int chld_hits;

static void
on_chld(int sig)
{
	chld_hits++;
}

static void
test_spawn_process_image(void **state)
{
	struct pdir *d = *state;
	struct child_proc c;
	struct oidc_err err;
	struct sigaction sa, now;
	char *key, *value, *path;
	int leak, status = -1;

	/* the script reports its environment, descriptors, session and terminal */
	path = write_script(d->path, "probe.sh",
			    "#!/bin/bash\n"
			    "read -r line <&3\n"
			    "echo \"echo ${line#user }\" >&3\n"
			    "echo \"env $(env | grep -v -E '^(PWD|SHLVL|_)=' | wc -l)\" >&3\n"
			    "l=; for n in {0..300}; do [ -e /proc/$$/fd/$n ] && l=$l$n,; done; echo \"fds $l\" >&3\n"
			    "sid=$(ps -o sid= -p $$ | tr -d ' ')\n"
			    "echo \"leader $([ \"$sid\" = $$ ] && echo yes || echo no)\" >&3\n"
			    "echo \"tty $(ps -o tty= -p $$ | tr -d ' ')\" >&3\n"
			    "echo \"stdin $(readlink /proc/$$/fd/0)\" >&3\n"
			    "echo ok >&3\n");
	/* a descriptor the host holds without O_CLOEXEC must not leak */
	leak = open("/dev/null", O_RDONLY);
	assert_true(leak >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGCHLD, &sa, NULL), 0);
	chld_hits = 0;
	setenv("SSLKEYLOGFILE", "/tmp/should-not-be-seen", 1);
	setenv("https_proxy", "http://127.0.0.1:9", 1);

	oidc_err_clear(&err);
	assert_int_equal(child_spawn(path, clock_mono_ms() + 10000, &c, &err), 0);
	/* while the child lives SIGCHLD is at its default */
	assert_int_equal(sigaction(SIGCHLD, NULL, &now), 0);
	assert_true(now.sa_handler == SIG_DFL);
	assert_int_equal(child_send(&c, "user", "a b%c", &err), 0);
	assert_int_equal(child_recv(&c, &key, &value, &err), 0);
	assert_string_equal(key, "echo");
	assert_string_equal(value, "a b%c");
	assert_int_equal(child_recv(&c, &key, &value, &err), 0);
	assert_string_equal(key, "env");
	assert_string_equal(value, "0");
	assert_int_equal(child_recv(&c, &key, &value, &err), 0);
	assert_string_equal(key, "fds");
	/* 255 is bash's own script descriptor */
	print_message("# fds %s\n", value);
	assert_string_equal(value, "0,1,2,3,255,");
	assert_int_equal(child_recv(&c, &key, &value, &err), 0);
	assert_string_equal(value, "yes");
	assert_int_equal(child_recv(&c, &key, &value, &err), 0);
	assert_string_equal(value, "?");
	assert_int_equal(child_recv(&c, &key, &value, &err), 0);
	assert_string_equal(value, "/dev/null");
	assert_int_equal(child_recv(&c, &key, &value, &err), 0);
	assert_string_equal(key, "ok");
	child_finish(&c, false, 2000, &status);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* the host's handler is back and was never called for our child */
	assert_int_equal(sigaction(SIGCHLD, NULL, &now), 0);
	assert_true(now.sa_handler == on_chld);
	assert_int_equal(chld_hits, 0);
	signal(SIGCHLD, SIG_DFL);
	unsetenv("SSLKEYLOGFILE");
	unsetenv("https_proxy");
	close(leak);
	free(path);
}

/*
 * A root host with another real uid and groups (sudo: the caller's) runs
 * oidc-child as real, saved and effective uid and gid 0 with no
 * supplementary groups, so the caller cannot signal it.  The host is
 * played by a forked process that takes on sudo's ids.
 */
static void
test_spawn_child_all_root_under_sudo_ids(void **state)
{
	static const gid_t caller_groups[] = { 65534, 100 };
	struct pdir *d = *state;
	char *path;
	int status = -1;
	pid_t pid;

	if (geteuid() != 0)
		skip();
	path = write_script(d->path, "ids.sh",
			    "#!/bin/bash -p\n"
			    "s=/proc/$$/status\n"
			    "echo \"uid $(awk '/^Uid:/ { print $2 \",\" $3 \",\" $4 }' $s)\" >&3\n"
			    "echo \"gid $(awk '/^Gid:/ { print $2 \",\" $3 \",\" $4 }' $s)\" >&3\n"
			    "echo \"groups $(awk '/^Groups:/ { print NF - 1 }' $s)\" >&3\n");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static const char *const want[][2] = { { "uid", "0,0,0" },
						       { "gid", "0,0,0" },
						       { "groups", "0" } };
		struct child_proc c;
		struct oidc_err err;
		char *key, *value;
		size_t i;
		int r;

		/* sudo's process: real ids the caller's, effective root */
		if (setgroups(2, caller_groups) < 0 || setresgid(65534, 0, 0) < 0 ||
		    setresuid(65534, 0, 0) < 0) {
			free(path);
			_exit(2);
		}
		oidc_err_clear(&err);
		r = child_spawn(path, clock_mono_ms() + 10000, &c, &err);
		free(path);	/* this process ends in _exit: nothing left for valgrind */
		if (r < 0)
			_exit(3);
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			if (child_recv(&c, &key, &value, &err) < 0)
				_exit(4);
			if (strcmp(key, want[i][0]) != 0 || strcmp(value, want[i][1]) != 0) {
				fprintf(stderr, "# %s %s, want %s\n", key, value, want[i][1]);
				_exit(5);
			}
		}
		child_finish(&c, false, 2000, NULL);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	free(path);
}

static void
test_spawn_deadline_kills(void **state)
{
	struct pdir *d = *state;
	struct child_proc c;
	struct oidc_err err;
	char *key, *value, *path;
	int64_t t0;
	int status = 0;

	path = write_script(d->path, "hang.sh", "#!/bin/bash\nexec sleep 30\n");
	t0 = clock_mono_ms();
	oidc_err_clear(&err);
	assert_int_equal(child_spawn(path, t0 + 500, &c, &err), 0);
	assert_int_equal(child_recv(&c, &key, &value, &err), -ETIMEDOUT);
	assert_int_equal(err.reason, OIDC_R_TIMEOUT);
	child_finish(&c, true, 0, &status);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_true(clock_mono_ms() - t0 < 3000);
	free(path);
}

static void
test_spawn_answer_after_deadline(void **state)
{
	struct pdir *d = *state;
	struct child_proc c;
	struct oidc_err err;
	struct timespec pause = { 0, 400 * 1000 * 1000 };
	char *key, *value, *path;

	/* the child answered while the person sat at the prompt past the deadline */
	path = write_script(d->path, "early.sh", "#!/bin/bash\necho 'fail timeout' >&3\nsleep 5\n");
	oidc_err_clear(&err);
	assert_int_equal(child_spawn(path, clock_mono_ms() + 200, &c, &err), 0);
	nanosleep(&pause, NULL);
	assert_int_equal(child_recv(&c, &key, &value, &err), 0);
	assert_string_equal(key, "fail");
	assert_string_equal(value, "timeout");
	/* and nothing more arrives: now the deadline applies */
	assert_int_equal(child_recv(&c, &key, &value, &err), -ETIMEDOUT);
	child_finish(&c, true, 0, NULL);
	free(path);
}

static void
test_spawn_bad_lines(void **state)
{
	struct pdir *d = *state;
	struct child_proc c;
	struct oidc_err err;
	char *key, *value, *path;

	/* a raw space in a value and an over-long line are protocol errors */
	path = write_script(d->path, "bad.sh",
			    "#!/bin/bash\necho 'user a b' >&3\nhead -c 5000 /dev/zero | tr '\\0' x >&3\n"
			    "sleep 5\n");
	oidc_err_clear(&err);
	assert_int_equal(child_spawn(path, clock_mono_ms() + 5000, &c, &err), 0);
	assert_int_equal(child_recv(&c, &key, &value, &err), -EPROTO);
	oidc_err_clear(&err);
	assert_int_equal(child_recv(&c, &key, &value, &err), -EPROTO);
	child_finish(&c, true, 0, NULL);
	free(path);

	/* a child that exits without a word */
	path = write_script(d->path, "quiet.sh", "#!/bin/bash\nexit 0\n");
	oidc_err_clear(&err);
	assert_int_equal(child_spawn(path, clock_mono_ms() + 5000, &c, &err), 0);
	assert_int_equal(child_recv(&c, &key, &value, &err), -EPIPE);
	child_finish(&c, false, 1000, NULL);
	free(path);

	/* a relative or missing path is refused before fork */
	oidc_err_clear(&err);
	assert_int_equal(child_spawn("oidc-child", clock_mono_ms() + 5000, &c, &err), -EINVAL);
	oidc_err_clear(&err);
	assert_true(child_spawn("/nonexistent/oidc-child", clock_mono_ms() + 5000, &c, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_CONFIG);
}

/* ---------------------------------------------------------------- exports */

static void
test_module_exports(void **state)
{
	static const char *const wanted[] = {
		"pam_sm_authenticate", "pam_sm_setcred", "pam_sm_acct_mgmt",
		"pam_sm_open_session", "pam_sm_close_session",
	};
	static const char *const hidden[] = {
		"pam_sm_chauthtok",
		"child_spawn",
		"pending_write",
		"pending_consume",
		"conf_init",
		"registry_write",
		"sanitize_text",
		"qr_render",
		"jf_send",
		"child_proto_split",
		"session_open",
		"http_url_allowed",
		"chan_recv",
		"chan_send",
		"oidc_identity_decode",
		"oidc_identity_encode",
	};
	const char *top = secure_getenv("top_builddir");
	char path[4096];
	void *h;
	size_t i;

	snprintf(path, sizeof(path), "%s/pam_oidc/.libs/pam_oidc.so", top != NULL ? top : ".");
	/* RTLD_NOW as libpam does: every symbol must resolve */
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL)
		print_error("dlopen: %s\n", dlerror());
	assert_non_null(h);
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		assert_non_null(dlsym(h, wanted[i]));
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		if (dlsym(h, hidden[i]) != NULL)
			print_error("%s is exported\n", hidden[i]);
		assert_null(dlsym(h, hidden[i]));
	}
	dlclose(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize_strips_controls),
		cmocka_unit_test(test_sanitize_utf8),
		cmocka_unit_test(test_sanitize_word_and_bounds),
		cmocka_unit_test(test_qr_render),
		cmocka_unit_test(test_qr_too_long),
		cmocka_unit_test(test_qr_auto_rule),
		cmocka_unit_test_setup_teardown(test_pending_roundtrip_once, pdir_setup,
						pdir_teardown),
		cmocka_unit_test_setup_teardown(test_pending_wrong_user, pdir_setup, pdir_teardown),
		cmocka_unit_test_setup_teardown(test_pending_too_old_and_planted, pdir_setup,
						pdir_teardown),
		cmocka_unit_test_setup_teardown(test_pending_format, pdir_setup, pdir_teardown),
		cmocka_unit_test_setup_teardown(test_pending_dir_must_be_private, pdir_setup,
						pdir_teardown),
		cmocka_unit_test_setup_teardown(test_pending_fresh_for_user, pdir_setup,
						pdir_teardown),
		cmocka_unit_test_setup_teardown(test_session_same_audit_session, pdir_setup,
						pdir_teardown),
		cmocka_unit_test_setup_teardown(test_spawn_process_image, pdir_setup,
						pdir_teardown),
		cmocka_unit_test_setup_teardown(test_spawn_child_all_root_under_sudo_ids,
						pdir_setup, pdir_teardown),
		cmocka_unit_test_setup_teardown(test_spawn_deadline_kills, pdir_setup,
						pdir_teardown),
		cmocka_unit_test_setup_teardown(test_spawn_answer_after_deadline, pdir_setup,
						pdir_teardown),
		cmocka_unit_test_setup_teardown(test_spawn_bad_lines, pdir_setup, pdir_teardown),
		cmocka_unit_test(test_module_exports),
	};

	return cmocka_run_group_tests_name("module_parts", tests, NULL, NULL);
}
