/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/registry.c: round trip, close, and hostile files. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "oidc_err.h"
#include "registry.h"

struct fx {
	char dir[64];
	char sub[96];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_registry.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->sub, sizeof(fx->sub), "%s/a/sessions", fx->dir);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[160];

	/* Only our own mkdtemp directory is removed. */
	snprintf(cmd, sizeof(cmd), "%s", fx->dir);
	if (strncmp(cmd, "/tmp/test_registry.", 19) == 0) {
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/rm", "rm", "-rf", "--", cmd, (char *)NULL);
			_exit(127);
		}
		if (pid > 0) {
			int st;

			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
		}
	}
	free(fx);
	return 0;
}

static void
fill(struct registry_entry *e, uint32_t ses)
{
	memset(e, 0, sizeof(*e));
	e->boot_id = strdup("0123456789abcdef0123456789abcdef");
	e->session = ses;
	e->loginuid = 4242;
	e->user = strdup("alice");
	e->issuer = strdup("https://idp.example/");
	e->subject = strdup("2481-\"quoted\"\\-ü");
	e->username = strdup("alice@example.com");
	e->email = strdup("alice@example.com");
	e->login_id = strdup("fedcba9876543210fedcba9876543210");
	e->auth_time = 1764100000;
	e->service = strdup("sshd");
	e->rhost = NULL;
	e->opened = 1764100000123456ULL;
}

static void
write_raw(const char *dir, const char *name, const char *text, mode_t mode)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void
test_roundtrip(void **state)
{
	struct fx *fx = *state;
	struct registry_entry e, r;
	struct oidc_err err = { 0 };
	struct stat st;
	char path[256];

	fill(&e, 77);
	assert_int_equal(registry_write(fx->sub, &e, &err), 0);
	/* directory created 0700, file 0600 */
	assert_int_equal(stat(fx->sub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	snprintf(path, sizeof(path), "%s/77", fx->sub);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	assert_int_equal(registry_read(fx->sub, 77, &r, &err), 0);
	assert_string_equal(r.boot_id, e.boot_id);
	assert_int_equal(r.session, 77);
	assert_int_equal(r.loginuid, 4242);
	assert_string_equal(r.user, "alice");
	assert_string_equal(r.issuer, e.issuer);
	assert_string_equal(r.subject, e.subject);
	assert_string_equal(r.username, e.username);
	assert_string_equal(r.email, e.email);
	assert_string_equal(r.login_id, e.login_id);
	assert_true(r.auth_time == 1764100000);
	assert_string_equal(r.service, "sshd");
	assert_null(r.rhost);
	assert_true(r.opened == 1764100000123456ULL);
	assert_true(r.closed == 0);
	registry_entry_free(&r);

	/* close keeps everything and sets closed */
	assert_int_equal(registry_close(fx->sub, 77, 1764100009000000ULL, &err), 0);
	assert_int_equal(registry_read(fx->sub, 77, &r, &err), 0);
	assert_true(r.closed == 1764100009000000ULL);
	assert_string_equal(r.subject, e.subject);
	registry_entry_free(&r);
	registry_entry_free(&e);
	registry_entry_free(&e);	/* idempotent */
	registry_entry_free(NULL);
}

static void
test_missing(void **state)
{
	struct fx *fx = *state;
	struct registry_entry r = { 0 };
	struct oidc_err err = { 0 };

	assert_int_equal(registry_read(fx->dir, 5, &r, &err), -ENOENT);
	assert_int_equal(registry_read(fx->sub, 5, &r, &err), -ENOENT);	/* no directory yet */
	assert_int_equal(registry_read(fx->dir, UINT32_MAX, &r, &err), -ENOENT);
	assert_true(registry_close(fx->dir, 5, 1, &err) < 0);
}

static void
test_write_incomplete(void **state)
{
	struct fx *fx = *state;
	struct registry_entry e;
	struct oidc_err err = { 0 };

	fill(&e, 9);
	free(e.subject);
	e.subject = NULL;
	assert_int_equal(registry_write(fx->dir, &e, &err), -EINVAL);
	e.subject = strdup("");
	oidc_err_clear(&err);
	assert_int_equal(registry_write(fx->dir, &e, &err), -EINVAL);
	free(e.subject);
	e.subject = strdup("s");
	e.session = UINT32_MAX;
	assert_int_equal(registry_write(fx->dir, &e, &err), -EINVAL);
	registry_entry_free(&e);
}

static const char *good_prefix =
	"{\"boot_id\":\"b\",\"loginuid\":1,\"user\":\"u\",\"issuer\":\"i\",\"subject\":\"s\","
	"\"login_id\":\"l\",\"service\":\"sshd\",\"opened\":1,";

static void
expect_bad(const char *dir, const char *text, mode_t mode)
{
	struct registry_entry r = { 0 };
	struct oidc_err err = { 0 };

	write_raw(dir, "3", text, mode);
	if (registry_read(dir, 3, &r, &err) >= 0)
		fail_msg("accepted: %.200s", text);
	assert_null(r.subject);
	assert_true(err.reason != OIDC_R_NONE);
}

static void
test_hostile_files(void **state)
{
	struct fx *fx = *state;
	struct registry_entry r = { 0 };
	struct oidc_err err = { 0 };
	char text[512], *big, path[256], target[256];

	/* baseline: a minimal valid entry is accepted */
	snprintf(text, sizeof(text), "%s\"session\":3}", good_prefix);
	write_raw(fx->dir, "3", text, 0600);
	assert_int_equal(registry_read(fx->dir, 3, &r, &err), 0);
	assert_string_equal(r.subject, "s");
	assert_null(r.email);
	registry_entry_free(&r);

	/* wrong session number inside */
	snprintf(text, sizeof(text), "%s\"session\":4}", good_prefix);
	expect_bad(fx->dir, text, 0600);
	/* embedded NUL escape in the subject */
	expect_bad(fx->dir, "{\"boot_id\":\"b\",\"session\":3,\"loginuid\":1,\"user\":\"u\",\"issuer\":\"i\","
		   "\"subject\":\"root\\u0000x\",\"login_id\":\"l\",\"service\":\"sshd\",\"opened\":1}", 0600);
	/* numbers of the wrong type or out of range */
	snprintf(text, sizeof(text), "%s\"session\":\"3\"}", good_prefix);
	expect_bad(fx->dir, text, 0600);
	snprintf(text, sizeof(text), "%s\"session\":3,\"closed\":1e300}", good_prefix);
	expect_bad(fx->dir, text, 0600);
	snprintf(text, sizeof(text), "%s\"session\":3,\"closed\":99999999999999999999}", good_prefix);
	expect_bad(fx->dir, text, 0600);
	snprintf(text, sizeof(text), "%s\"session\":-3}", good_prefix);
	expect_bad(fx->dir, text, 0600);
	/* missing subject, trailing garbage, not an object, deep nesting */
	expect_bad(fx->dir, "{\"boot_id\":\"b\",\"session\":3,\"loginuid\":1,\"user\":\"u\",\"issuer\":\"i\","
		   "\"login_id\":\"l\",\"service\":\"sshd\",\"opened\":1}", 0600);
	snprintf(text, sizeof(text), "%s\"session\":3} x", good_prefix);
	expect_bad(fx->dir, text, 0600);
	expect_bad(fx->dir, "[1,2,3]", 0600);
	snprintf(text, sizeof(text), "%s\"session\":3,\"x\":[[[[[[1]]]]]]}", good_prefix);
	expect_bad(fx->dir, text, 0600);
	/* group-writable file */
	snprintf(text, sizeof(text), "%s\"session\":3}", good_prefix);
	expect_bad(fx->dir, text, 0620);

	/* over the size cap */
	big = malloc(REGISTRY_MAX_FILE + 64);
	assert_non_null(big);
	memset(big, ' ', REGISTRY_MAX_FILE + 63);
	memcpy(big, text, strlen(text));
	big[REGISTRY_MAX_FILE + 63] = '\0';
	expect_bad(fx->dir, big, 0600);
	free(big);

	/* a symlink is never followed */
	snprintf(target, sizeof(target), "%s/real", fx->dir);
	write_raw(fx->dir, "real", text, 0600);
	snprintf(path, sizeof(path), "%s/3", fx->dir);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
	oidc_err_clear(&err);
	assert_true(registry_read(fx->dir, 3, &r, &err) < 0);
	assert_null(r.subject);
	unlink(path);
}

static void
test_unsafe_dir(void **state)
{
	struct fx *fx = *state;
	struct registry_entry e, r = { 0 };
	struct oidc_err err = { 0 };
	char link[160];

	fill(&e, 12);
	/* group/other-writable directory refused for writing and reading */
	assert_int_equal(chmod(fx->dir, 0777), 0);
	assert_true(registry_write(fx->dir, &e, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_CONFIG);
	oidc_err_clear(&err);
	assert_true(registry_read(fx->dir, 12, &r, &err) < 0);
	assert_int_equal(chmod(fx->dir, 0700), 0);
	/* a symlinked directory is refused */
	assert_int_equal(registry_write(fx->dir, &e, &err), 0);
	snprintf(link, sizeof(link), "%s.link", fx->dir);
	unlink(link);
	assert_int_equal(symlink(fx->dir, link), 0);
	oidc_err_clear(&err);
	assert_true(registry_read(link, 12, &r, &err) < 0);
	assert_true(registry_write(link, &e, &err) < 0);
	unlink(link);
	/* the real one still reads */
	assert_int_equal(registry_read(fx->dir, 12, &r, &err), 0);
	registry_entry_free(&r);
	registry_entry_free(&e);
}

static void
test_boot_id(void **state)
{
	char b[33], b2[33];
	size_t i;

	assert_int_equal(registry_boot_id(b), 0);
	assert_int_equal(strlen(b), 32);
	for (i = 0; i < 32; i++)
		assert_non_null(strchr("0123456789abcdef", b[i]));
	assert_int_equal(registry_boot_id(b2), 0);
	assert_string_equal(b, b2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_dir, setup, teardown),
		cmocka_unit_test(test_boot_id),
	};

	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
