/* SPDX-License-Identifier: BSD-2-Clause */
/* Configuration: the option table, the file parser, module arguments, validation. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf.h"
#include "jose_alg.h"
#include "net_testlib.h"
#include "oidc_err.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pam_oidc-conf.XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	nt_rm_rf(dir);
	return 0;
}

/* Write a file under dir with mode 0600 and return its path (static buffer). */
static const char *
write_file(const char *name, const char *text, size_t len)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static const char *
write_conf(const char *name, const char *text)
{
	return write_file(name, text, strlen(text));
}

static void
test_defaults(void **state)
{
	struct oidc_conf c;

	assert_int_equal(conf_init(&c), 0);
	assert_null(c.issuer);
	assert_null(c.client_id);
	assert_null(c.client_secret_file);
	assert_null(c.discovery_url);
	assert_null(c.device_authorization_endpoint);
	assert_string_equal(c.scopes, "openid profile email");
	assert_int_equal(c.algorithms, JOSE_ALG_DEFAULT_MASK);
	assert_int_equal(c.leeway, 60);
	assert_int_equal(c.max_age, -1);
	assert_null(c.acr_values);
	assert_null(c.ca_file);
	assert_null(c.proxy);
	assert_int_equal(c.http_timeout, 10);
	assert_int_equal(c.connect_timeout, 5);
	assert_string_equal(c.cache_dir, LOCALSTATEDIR "/cache/pam_oidc");
	assert_int_equal(c.discovery_ttl, 3600);
	assert_int_equal(c.jwks_ttl, 3600);
	assert_int_equal(c.jwks_refresh_interval, 300);
	assert_int_equal(c.timeout, 100);
	assert_int_equal(c.poll_interval, 5);
	assert_int_equal(c.qr, CONF_QR_AUTO);
	assert_false(c.show_complete_uri);
	assert_false(c.require_publickey);
	assert_string_equal(c.username_claim, "preferred_username");
	assert_null(c.username_domain);
	assert_null(c.user_map_file);
	assert_null(c.allowed_subjects);
	assert_null(c.allowed_groups);
	assert_string_equal(c.groups_claim, "groups");
	assert_null(c.required_claims);
	assert_string_equal(c.child_path, LIBEXECDIR "/oidc-child");
	assert_false(c.debug);
	conf_free(&c);
	conf_free(&c);	/* idempotent */
	conf_free(NULL);
}

/* one option a line, as in a file */
/* clang-format off */
static const char full_conf[] =
	"# every option\n"
	"\n"
	"issuer = https://idp.example/realms/corp\n"
	"client_id=pam-client\n"
	"  client_secret_file\t=  /etc/security/pam_oidc.secret  \n"
	"discovery_url = https://idp.example/realms/corp/.well-known/openid-configuration?appid=pam-client\n"
	"device_authorization_endpoint = https://idp.example/oauth/authorize_device\n"
	"scopes = openid email\n"
	"algorithms = ES256, RS256\n"
	"leeway = 30\n"
	"max_age = 3600\n"
	"acr_values = urn:mfa\n"
	"ca_file = /etc/ssl/idp.pem\n"
	"proxy = http://proxy.example:3128\n"
	"http_timeout = 20\n"
	"connect_timeout = 3\n"
	"cache_dir = /var/tmp/oidc\n"
	"discovery_ttl = 60\n"
	"jwks_ttl = 120\n"
	"jwks_refresh_interval = 30\n"
	"timeout = 200\n"
	"poll_interval = 7\n"
	"qr = no\n"
	"show_complete_uri = yes\n"
	"require_publickey = true\n"
	"username_claim = email\n"
	"username_domain = example.com\n"
	"user_map_file = /etc/security/oidc_users\n"
	"allowed_subjects = a b\n"
	"allowed_groups = admins\n"
	"groups_claim = roles\n"
	"required_claims = hd=example.com\n"
	"child_path = /usr/local/libexec/oidc-child\n"
	"debug = 1\n"
	"   # indented comment\n";
/* clang-format on */

static void
check_full(const struct oidc_conf *c)
{
	assert_string_equal(c->issuer, "https://idp.example/realms/corp");
	assert_string_equal(c->client_id, "pam-client");
	assert_string_equal(c->client_secret_file, "/etc/security/pam_oidc.secret");
	assert_string_equal(
		c->discovery_url,
		"https://idp.example/realms/corp/.well-known/openid-configuration?appid=pam-client");
	assert_string_equal(c->device_authorization_endpoint,
			    "https://idp.example/oauth/authorize_device");
	assert_string_equal(c->scopes, "openid email");
	assert_int_equal(c->algorithms,
			 JOSE_ALG_BIT(JOSE_ALG_ES256) | JOSE_ALG_BIT(JOSE_ALG_RS256));
	assert_int_equal(c->leeway, 30);
	assert_int_equal(c->max_age, 3600);
	assert_string_equal(c->acr_values, "urn:mfa");
	assert_string_equal(c->ca_file, "/etc/ssl/idp.pem");
	assert_string_equal(c->proxy, "http://proxy.example:3128");
	assert_int_equal(c->http_timeout, 20);
	assert_int_equal(c->connect_timeout, 3);
	assert_string_equal(c->cache_dir, "/var/tmp/oidc");
	assert_int_equal(c->discovery_ttl, 60);
	assert_int_equal(c->jwks_ttl, 120);
	assert_int_equal(c->jwks_refresh_interval, 30);
	assert_int_equal(c->timeout, 200);
	assert_int_equal(c->poll_interval, 7);
	assert_int_equal(c->qr, CONF_QR_OFF);
	assert_true(c->show_complete_uri);
	assert_true(c->require_publickey);
	assert_string_equal(c->username_claim, "email");
	assert_string_equal(c->username_domain, "example.com");
	assert_string_equal(c->user_map_file, "/etc/security/oidc_users");
	assert_string_equal(c->allowed_subjects, "a b");
	assert_string_equal(c->allowed_groups, "admins");
	assert_string_equal(c->groups_claim, "roles");
	assert_string_equal(c->required_claims, "hd=example.com");
	assert_string_equal(c->child_path, "/usr/local/libexec/oidc-child");
	assert_true(c->debug);
}

static void
test_every_option_file(void **state)
{
	struct oidc_conf c;
	struct oidc_err err;
	const char *const *names;
	size_t n;

	assert_int_equal(conf_init(&c), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, write_conf("full.conf", full_conf), false, &err), 0);
	check_full(&c);
	assert_int_equal(conf_validate(&c, &err), 0);
	conf_free(&c);

	/* Every name the parser knows appears in the file above, and vice versa. */
	for (names = conf_option_names(), n = 0; names[n] != NULL; n++) {
		char probe[80];

		snprintf(probe, sizeof(probe), "\n%s", names[n]);
		if (strstr(full_conf, probe) == NULL) {
			snprintf(probe, sizeof(probe), "\n  %s", names[n]);
			if (strstr(full_conf, probe) == NULL)
				fail_msg("option %s not exercised", names[n]);
		}
	}
	assert_int_equal(n, 32);
}

static void
test_every_option_args(void **state)
{
	struct oidc_conf c;
	struct oidc_err err;
	char *copy = strdup(full_conf), *line, *next, *argv[64], *p;
	const char *cargv[64];
	int argc = 0, i;

	assert_non_null(copy);
	/* The same settings as module arguments: key=value without spaces around '='. */
	for (line = copy; *line != '\0'; line = next) {
		char *k = line, *eq, *v, *ke;

		next = strchr(line, '\n');
		assert_non_null(next);
		*next++ = '\0';

		while (*k == ' ' || *k == '\t')
			k++;
		if (*k == '#' || *k == '\0')
			continue;
		eq = strchr(k, '=');
		assert_non_null(eq);
		ke = eq;
		while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		for (p = v + strlen(v); p > v && (p[-1] == ' ' || p[-1] == '\t'); p--)
			;
		*p = '\0';
		*ke = '\0';
		assert_true(asprintf(&argv[argc], "%s=%s", k, v) > 0);
		argc++;
	}
	assert_int_equal(argc, 32);
	assert_int_equal(conf_init(&c), 0);
	oidc_err_clear(&err);
	for (i = 0; i < argc; i++)
		cargv[i] = argv[i];
	assert_int_equal(conf_apply_args(&c, argc, cargv, &err), 0);
	check_full(&c);
	conf_free(&c);
	while (argc > 0)
		free(argv[--argc]);
	free(copy);
}

static void
expect_set_error(const char *key, const char *value, int errnum, const char *msg_part)
{
	struct oidc_conf c;
	struct oidc_err err;

	assert_int_equal(conf_init(&c), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_set(&c, key, value, &err), -errnum);
	assert_int_equal(err.reason, OIDC_R_CONFIG);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("%s=%s: message '%s' lacks '%s'", key, value, err.msg, msg_part);
	conf_free(&c);
}

static void
test_values_and_ranges(void **state)
{
	struct oidc_conf c;
	struct oidc_err err;

	expect_set_error("leeway", "601", ERANGE, "out of range 0..600");
	expect_set_error("leeway", "-1", ERANGE, "'leeway'");
	expect_set_error("leeway", "10s", EINVAL, "not a decimal integer");
	expect_set_error("leeway", "+5", EINVAL, "'leeway'");
	expect_set_error("leeway", " 5", EINVAL, "'leeway'");
	expect_set_error("http_timeout", "0", ERANGE, "1..120");
	expect_set_error("http_timeout", "121", ERANGE, "1..120");
	expect_set_error("connect_timeout", "61", ERANGE, "1..60");
	expect_set_error("timeout", "9", ERANGE, "10..600");
	expect_set_error("timeout", "601", ERANGE, "10..600");
	expect_set_error("max_age", "-2", ERANGE, "'max_age'");
	expect_set_error("jwks_refresh_interval", "0", ERANGE, "'jwks_refresh_interval'");
	expect_set_error("poll_interval", "99999999999999999999", ERANGE, "'poll_interval'");
	expect_set_error("debug", "maybe", EINVAL, "expected yes or no");
	expect_set_error("debug", "YES", EINVAL, "'debug'");
	expect_set_error("qr", "sometimes", EINVAL, "'qr'");
	expect_set_error("algorithms", "none", EINVAL, "'algorithms'");
	expect_set_error("algorithms", "HS256", EINVAL, "'algorithms'");
	expect_set_error("algorithms", "RS256,bogus", EINVAL, "'algorithms'");
	expect_set_error("issuer", "", EINVAL, "empty value");
	expect_set_error("client_id", "a\tb", EINVAL, "control character");
	expect_set_error("isuer", "x", EINVAL, "unknown option 'isuer'");
	expect_set_error("", "x", EINVAL, "unknown option");

	/* Range ends are accepted; booleans in every spelling. */
	assert_int_equal(conf_init(&c), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_set(&c, "leeway", "0", &err), 0);
	assert_int_equal(c.leeway, 0);
	assert_int_equal(conf_set(&c, "leeway", "600", &err), 0);
	assert_int_equal(c.leeway, 600);
	assert_int_equal(conf_set(&c, "max_age", "-1", &err), 0);
	assert_int_equal(conf_set(&c, "debug", "true", &err), 0);
	assert_true(c.debug);
	assert_int_equal(conf_set(&c, "debug", "0", &err), 0);
	assert_false(c.debug);
	assert_int_equal(conf_set(&c, "debug", "yes", &err), 0);
	assert_true(c.debug);
	assert_int_equal(conf_set(&c, "debug", "false", &err), 0);
	assert_false(c.debug);
	assert_int_equal(conf_set(&c, "qr", "yes", &err), 0);
	assert_int_equal(c.qr, CONF_QR_ON);
	assert_int_equal(conf_set(&c, "qr", "auto", &err), 0);
	assert_int_equal(c.qr, CONF_QR_AUTO);
	/* An empty value resets the options that allow it. */
	assert_int_equal(conf_set(&c, "proxy", "http://p:1", &err), 0);
	assert_int_equal(conf_set(&c, "proxy", "", &err), 0);
	assert_null(c.proxy);
	/* A failed set leaves the old value. */
	assert_int_equal(conf_set(&c, "leeway", "42", &err), 0);
	assert_true(conf_set(&c, "leeway", "x", &err) < 0);
	assert_int_equal(c.leeway, 42);
	conf_free(&c);
}

static void
expect_file_error(const char *text, const char *msg_part)
{
	struct oidc_conf c;
	struct oidc_err err;
	const char *path = write_conf("bad.conf", text);

	assert_int_equal(conf_init(&c), 0);
	oidc_err_clear(&err);
	assert_true(conf_load_file(&c, path, false, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_CONFIG);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
	assert_non_null(strstr(err.msg, "bad.conf"));
	conf_free(&c);
}

static void
test_file_syntax_errors(void **state)
{
	expect_file_error("issuer = https://a.example\n# c\n\nisuer = x\n",
			  "bad.conf:4: unknown option 'isuer'");
	expect_file_error("leeway = 60\nleeway = 700\n", "bad.conf:2: option 'leeway'");
	expect_file_error("\n\njust some words\n", "bad.conf:3: expected 'key = value'");
	expect_file_error("= value\n", "bad.conf:1: missing option name");
	expect_file_error("client_id =   \n", "bad.conf:1: option 'client_id': empty value");
	expect_file_error("debug = yes please\n", "bad.conf:1: option 'debug'");
}

static void
test_file_unsafe(void **state)
{
	struct oidc_conf c;
	struct oidc_err err;
	struct passwd *nobody;
	char path[256], link[256], big[OIDC_CONF_MAX_SIZE + 2];

	assert_int_equal(conf_init(&c), 0);

	/* Missing: -ENOENT, so the caller may decide. */
	oidc_err_clear(&err);
	snprintf(path, sizeof(path), "%s/absent.conf", dir);
	assert_int_equal(conf_load_file(&c, path, false, &err), -ENOENT);

	/* Symlink to a good file. */
	snprintf(path, sizeof(path), "%s", write_conf("good.conf", "debug = yes\n"));
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, path, false, &err), 0);
	snprintf(link, sizeof(link), "%s/link.conf", dir);
	assert_int_equal(symlink(path, link), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, link, false, &err), -ELOOP);
	assert_non_null(strstr(err.msg, "symbolic link"));

	/* Group- or other-writable. */
	assert_int_equal(chmod(path, 0620), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, path, false, &err), -EPERM);
	assert_non_null(strstr(err.msg, "writable"));
	assert_int_equal(chmod(path, 0602), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, path, false, &err), -EPERM);
	assert_int_equal(chmod(path, 0644), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, path, false, &err), 0);

	/* Owned by someone else (nobody): refused, also with allow_non_root_owner. */
	nobody = getpwnam("nobody");
	assert_non_null(nobody);
	if (geteuid() != 0)
		skip();
	assert_int_equal(chown(path, nobody->pw_uid, nobody->pw_gid), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, path, false, &err), -EPERM);
	assert_non_null(strstr(err.msg, "not owned by root"));
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, path, true, &err), -EPERM);
	assert_int_equal(chown(path, 0, 0), 0);

	/* Not a regular file: a directory, a FIFO (must not block). */
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, dir, false, &err), -EINVAL);
	snprintf(link, sizeof(link), "%s/fifo.conf", dir);
	assert_int_equal(mkfifo(link, 0600), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, link, false, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));

	/* Size: exactly the cap is fine, one byte more is refused. */
	memset(big, '#', sizeof(big));
	big[OIDC_CONF_MAX_SIZE - 1] = '\n';
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, write_file("max.conf", big, OIDC_CONF_MAX_SIZE),
					false, &err), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, write_file("big.conf", big, OIDC_CONF_MAX_SIZE + 1),
					false, &err), -EFBIG);
	assert_int_equal(err.reason, OIDC_R_CONFIG);

	/* A NUL byte hides the rest of a line from C string code: refused. */
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, write_file("nul.conf", "debug = yes\0x\n", 14),
					false, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "NUL"));
	conf_free(&c);
}

static void
test_args_override(void **state)
{
	struct oidc_conf c;
	struct oidc_err err;
	const char *args1[] = { "debug", "leeway=5", "proxy=", "issuer=https://b.example" };
	const char *bad1[] = { "issuer" };
	const char *bad2[] = { "debug", "nosuch=1" };
	const char *bad3[] = { "=x" };
	const char *bad4[] = { "qr" };
	const char *off[] = { "debug=no" };

	assert_int_equal(conf_init(&c), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_load_file(&c, write_conf("base.conf",
		"issuer = https://a.example\nclient_id = x\nleeway = 100\n"
		"proxy = http://p.example:3128\n"), false, &err), 0);
	assert_int_equal(c.leeway, 100);
	assert_false(c.debug);
	assert_int_equal(conf_apply_args(&c, 4, args1, &err), 0);
	assert_true(c.debug);			/* bare boolean */
	assert_int_equal(c.leeway, 5);		/* argument beats file */
	assert_null(c.proxy);			/* reset by an empty argument */
	assert_string_equal(c.issuer, "https://b.example");
	assert_string_equal(c.client_id, "x");	/* untouched */
	assert_int_equal(conf_apply_args(&c, 1, off, &err), 0);
	assert_false(c.debug);

	oidc_err_clear(&err);
	assert_true(conf_apply_args(&c, 1, bad1, &err) < 0);
	assert_non_null(strstr(err.msg, "'issuer' needs a value"));
	oidc_err_clear(&err);
	assert_true(conf_apply_args(&c, 2, bad2, &err) < 0);
	assert_non_null(strstr(err.msg, "argument 2: unknown option 'nosuch'"));
	oidc_err_clear(&err);
	assert_true(conf_apply_args(&c, 1, bad3, &err) < 0);
	oidc_err_clear(&err);
	assert_true(conf_apply_args(&c, 1, bad4, &err) < 0);
	conf_free(&c);
}

static void
expect_invalid(const char *key, const char *value, const char *msg_part)
{
	struct oidc_conf c;
	struct oidc_err err;

	assert_int_equal(conf_init(&c), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_set(&c, "issuer", "https://idp.example/x", &err), 0);
	assert_int_equal(conf_set(&c, "client_id", "cid", &err), 0);
	assert_int_equal(conf_validate(&c, &err), 0);
	if (value != NULL)
		assert_int_equal(conf_set(&c, key, value, &err), 0);
	else
		assert_int_equal(conf_set(&c, key, "", &err) < 0 ? 0 : 1, 0);
	oidc_err_clear(&err);
	assert_true(conf_validate(&c, &err) < 0);
	assert_int_equal(err.reason, OIDC_R_CONFIG);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
	conf_free(&c);
}

static void
test_validate(void **state)
{
	struct oidc_conf c;
	struct oidc_err err;

	assert_int_equal(conf_init(&c), 0);
	oidc_err_clear(&err);
	assert_true(conf_validate(&c, &err) < 0);
	assert_non_null(strstr(err.msg, "'issuer' is required"));
	assert_int_equal(conf_set(&c, "issuer", "https://idp.example", &err), 0);
	oidc_err_clear(&err);
	assert_true(conf_validate(&c, &err) < 0);
	assert_non_null(strstr(err.msg, "'client_id' is required"));
	conf_free(&c);

	expect_invalid("issuer", "http://idp.example", "https");
	expect_invalid("issuer", "idp.example", "https");
	expect_invalid("issuer", "https://idp.example/?tenant=1", "query");
	expect_invalid("issuer", "https://user@idp.example/", "https");
	expect_invalid("ca_file", "ca.pem", "'ca_file' must be an absolute path");
	expect_invalid("cache_dir", "cache", "'cache_dir'");
	expect_invalid("client_secret_file", "./secret", "'client_secret_file'");
	expect_invalid("user_map_file", "map", "'user_map_file'");
	expect_invalid("child_path", "oidc-child", "'child_path'");
	expect_invalid("http_timeout", "2", "connect_timeout");
	expect_invalid("scopes", "profile email", "must include 'openid'");
	expect_invalid("scopes", "openidx profile", "must include 'openid'");

	assert_int_equal(conf_init(&c), 0);
	oidc_err_clear(&err);
	assert_int_equal(conf_set(&c, "issuer", "https://idp.example", &err), 0);
	assert_int_equal(conf_set(&c, "client_id", "x", &err), 0);
	assert_int_equal(conf_set(&c, "scopes", "email  openid", &err), 0);
	assert_int_equal(conf_validate(&c, &err), 0);
	conf_free(&c);
}

/* required_claims: NAME=VALUE pairs, split at load by the same rules the policy uses. */
static void
test_required_claims_rules(void **state)
{
	struct oidc_conf c;
	struct oidc_err err;
	char **list = NULL, many[17 * 6 + 1], longname[CONF_CLAIM_NAME_MAX + 4],
	     longvalue[CONF_CLAIM_VALUE_MAX + 5];
	int i;

	oidc_err_clear(&err);
	assert_int_equal(conf_required_claims(NULL, &list, &err), 0);
	assert_null(list);
	assert_int_equal(conf_required_claims(" hd=example.com\ttid=a=b ", &list, &err), 0);
	assert_non_null(list);
	assert_string_equal(list[0], "hd");
	assert_string_equal(list[1], "example.com");
	assert_string_equal(list[2], "tid");
	assert_string_equal(list[3], "a=b"); /* the name ends at the first '=' */
	assert_null(list[4]);
	conf_list_free(list);
	conf_list_free(NULL);

	/* an empty value unsets the option */
	assert_int_equal(conf_init(&c), 0);
	assert_int_equal(conf_set(&c, "issuer", "https://idp.example", &err), 0);
	assert_int_equal(conf_set(&c, "client_id", "x", &err), 0);
	assert_int_equal(conf_set(&c, "required_claims", "hd=example.com", &err), 0);
	assert_int_equal(conf_validate(&c, &err), 0);
	assert_int_equal(conf_set(&c, "required_claims", "", &err), 0);
	assert_null(c.required_claims);
	assert_int_equal(conf_validate(&c, &err), 0);
	conf_free(&c);

	expect_invalid("required_claims", "hd", "pair 1 has no '='");
	expect_invalid("required_claims", "hd=example.com tid", "pair 2 has no '='");
	expect_invalid("required_claims", "=example.com", "claim name must have");
	expect_invalid("required_claims", "hd=", "claim hd: the value must have");
	expect_invalid("required_claims", "hd=a tid=b hd=a", "claim hd is named twice");
	expect_invalid("required_claims", "  ", "no NAME=VALUE pair");
	expect_invalid("required_claims", "h\xc3\xa9=x", "printable ASCII");
	for (i = 0; i < 17; i++)
		snprintf(many + i * 6, sizeof(many) - (size_t)i * 6, "c%02d=v ", i);
	expect_invalid("required_claims", many, "more than 16 claims");
	many[16 * 6 - 1] = '\0';
	assert_int_equal(conf_required_claims(many, &list, &err), 0); /* 16 are allowed */
	assert_string_equal(list[30], "c15");
	conf_list_free(list);
	memset(longname, 'n', CONF_CLAIM_NAME_MAX + 1);
	memcpy(longname + CONF_CLAIM_NAME_MAX + 1, "=v", 3);
	expect_invalid("required_claims", longname, "claim name must have 1..64 bytes");
	longvalue[0] = 'h';
	longvalue[1] = 'd';
	longvalue[2] = '=';
	memset(longvalue + 3, 'v', CONF_CLAIM_VALUE_MAX + 1);
	longvalue[CONF_CLAIM_VALUE_MAX + 4] = '\0';
	expect_invalid("required_claims", longvalue, "claim hd: the value must have 1..255 bytes");
}

/* discovery_url set on a configuration of issuer; the validation's result and message. */
static int
validate_discovery_url(const char *issuer, const char *url, struct oidc_err *err)
{
	struct oidc_conf c;
	int r;

	assert_int_equal(conf_init(&c), 0);
	oidc_err_clear(err);
	assert_int_equal(conf_set(&c, "issuer", issuer, err), 0);
	assert_int_equal(conf_set(&c, "client_id", "cid", err), 0);
	assert_int_equal(conf_set(&c, "discovery_url", url, err), 0);
	r = conf_validate(&c, err);
	conf_free(&c);
	return r;
}

/* discovery_url may add a query to the issuer's discovery URL, and nothing else. */
static void
test_discovery_url_only_adds_a_query(void **state)
{
	static const char *const good[] = {
		"https://login.example/tid/v2.0/.well-known/openid-configuration",
		"https://login.example/tid/v2.0/.well-known/openid-configuration?appid=cid",
		"https://login.example/tid/v2.0/.well-known/openid-configuration?appid=cid&x=%2F",
	};
	static const char *const bad[] = {
		"https://login.example/tid/v2.0/.well-known/openid-configuration?",
		"https://login.example/tid/v2.0/.well-known/openid-configuration/?appid=cid",
		"https://login.example/tid/v2.0/.well-known/openid-configurationx",
		"https://login.example/tid/v2.0/.well-known/openid-configuration#f",
		"https://login.example/tid/v2.0/.well-known/openid-configuration?a=b#f",
		"https://login.example/tid/v2.0/.well-known/oauth-authorization-server",
		"https://login.example/other/v2.0/.well-known/openid-configuration?appid=cid",
		"https://evil.example/tid/v2.0/.well-known/openid-configuration?appid=cid",
		"https://login.example.evil/tid/v2.0/.well-known/openid-configuration",
		"http://login.example/tid/v2.0/.well-known/openid-configuration?appid=cid",
		"https://login.example/tid/v2.0/.well-known/openid-configuration?a b",
		"https://login.example/tid/v2.0//.well-known/openid-configuration",
	};
	struct oidc_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (validate_discovery_url("https://login.example/tid/v2.0", good[i], &err) != 0)
			fail_msg("refused %s: %s", good[i], err.msg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (validate_discovery_url("https://login.example/tid/v2.0", bad[i], &err) == 0)
			fail_msg("accepted %s", bad[i]);
		assert_int_equal(err.reason, OIDC_R_CONFIG);
		assert_non_null(
			strstr(err.msg,
			       "'discovery_url' must be "
			       "https://login.example/tid/v2.0/.well-known/openid-configuration"));
	}
	/* an issuer with a trailing slash has its discovery URL without "//" (Auth0, authentik) */
	assert_int_equal(validate_discovery_url(
				 "https://t.example/",
				 "https://t.example/.well-known/openid-configuration?a=1", &err),
			 0);
	assert_true(validate_discovery_url("https://t.example/",
					   "https://t.example//.well-known/openid-configuration",
					   &err) < 0);
	/* empty: unset, the standard URL */
	assert_int_equal(validate_discovery_url("https://t.example", "", &err), 0);
}

/* device_authorization_endpoint: the URL rule of every endpoint (https, no user info). */
static void
test_device_authorization_endpoint_https_only(void **state)
{
	(void)state;
	expect_invalid("device_authorization_endpoint", "http://idp.example/device",
		       "'device_authorization_endpoint' must be an https URL");
	expect_invalid("device_authorization_endpoint", "https://u@idp.example/device",
		       "'device_authorization_endpoint' must be an https URL");
	expect_invalid("device_authorization_endpoint", "https://idp.example/device#x",
		       "'device_authorization_endpoint' must be an https URL");
	expect_invalid("device_authorization_endpoint", "/oauth/authorize_device",
		       "'device_authorization_endpoint' must be an https URL");
}

static void
test_option_names(void **state)
{
	const char *const *names = conf_option_names();
	struct oidc_conf c;
	struct oidc_err err;
	size_t i, j;

	assert_int_equal(conf_init(&c), 0);
	for (i = 0; names[i] != NULL; i++) {
		/* Every listed name is known to conf_set (an unknown one says so). */
		oidc_err_clear(&err);
		(void)conf_set(&c, names[i], "", &err);
		assert_null(strstr(err.msg, "unknown option"));
		for (j = 0; j < i; j++)
			assert_string_not_equal(names[i], names[j]);
	}
	conf_free(&c);
}

/* conf_load: the one sequence of the module, the child and pam-oidc. */
static void
test_conf_load(void **state)
{
	const char *mod[] = { "config=/x",	"leeway=5",	   "fail_delay=0",
			      "pending_dir=/p", "registry_dir=/r", "debug" };
	const char *child[] = { "leeway=5", "debug" };
	const char *bad_delay[] = { "leeway=5", "fail_delay=60001" };
	const char *rel[] = { "pending_dir=run" };
	const char *typo[] = { "fail_delay=1", "lewey=5" };
	const char *const *m;
	struct oidc_conf c;
	struct oidc_err err;
	char path[256];

	(void)state;
	/* module-only names: listed apart, refused by the file and by oidc-child */
	m = conf_module_option_names();
	assert_string_equal(m[0], "config");
	assert_true(conf_arg_module_only("pending_dir=/p"));
	assert_true(conf_arg_module_only("config"));
	assert_false(conf_arg_module_only("leeway=5"));
	assert_false(conf_arg_module_only("=x"));
	assert_false(conf_arg_module_only("configx=1"));
	oidc_err_clear(&err);
	assert_int_equal(conf_load(&c,
				   write_conf("mod.conf", "issuer = https://a.example\n"
							  "client_id = x\nfail_delay = 5\n"),
				   0, NULL, 0, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "mod.conf:3: unknown option 'fail_delay'"));
	assert_null(c.issuer); /* nothing is left behind on failure */
	conf_free(&c);

	/* the module's first pass: only its own arguments, no file, no validation */
	oidc_err_clear(&err);
	assert_int_equal(conf_load(&c, NULL, 6, mod, CONF_LOAD_MODULE | CONF_LOAD_MODULE_ONLY,
				   &err),
			 0);
	assert_string_equal(c.config, "/x");
	assert_int_equal(c.fail_delay, 0);
	assert_string_equal(c.pending_dir, "/p");
	assert_string_equal(c.registry_dir, "/r");
	assert_int_equal(c.leeway, 60); /* not this pass's */
	conf_free(&c);
	assert_int_equal(conf_load(&c, NULL, 0, NULL, CONF_LOAD_MODULE | CONF_LOAD_MODULE_ONLY,
				   &err),
			 0);
	assert_int_equal(c.fail_delay, CONF_FAIL_DELAY_DEFAULT_MS);
	assert_string_equal(c.pending_dir, PENDING_DEFAULT_DIR);
	conf_free(&c);
	oidc_err_clear(&err);
	assert_int_equal(conf_load(&c, NULL, 2, bad_delay, CONF_LOAD_MODULE | CONF_LOAD_MODULE_ONLY,
				   &err),
			 -ERANGE);
	assert_non_null(strstr(err.msg, "module argument 2: option 'fail_delay'"));
	oidc_err_clear(&err);
	assert_int_equal(conf_load(&c, NULL, 1, rel, CONF_LOAD_MODULE | CONF_LOAD_MODULE_ONLY,
				   &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "'pending_dir' must be an absolute path"));

	/* the whole load: config= names the file, which must then exist */
	oidc_err_clear(&err);
	assert_int_equal(conf_load(&c, NULL, 6, mod, CONF_LOAD_MODULE, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/x: no such file"));
	snprintf(path, sizeof(path), "%s",
		 write_conf("base.conf", "issuer = https://a.example\n"
					 "client_id = x\nleeway = 100\n"));
	{
		char cfg[300];
		const char *args[] = { cfg, "leeway=5", "fail_delay=0", "debug" };

		snprintf(cfg, sizeof(cfg), "config=%s", path);
		oidc_err_clear(&err);
		assert_int_equal(conf_load(&c, NULL, 4, args, CONF_LOAD_MODULE, &err), 0);
		assert_int_equal(c.leeway, 5); /* the argument beats the file */
		assert_true(c.debug);
		assert_int_equal(c.fail_delay, 0);
		assert_string_equal(c.client_id, "x");
		conf_free(&c);
		/* an unknown argument is named by its place on the whole line */
		oidc_err_clear(&err);
		assert_true(conf_load(&c, path, 2, typo, CONF_LOAD_MODULE, &err) < 0);
		assert_non_null(strstr(err.msg, "module argument 2: unknown option 'lewey'"));
	}
	/* oidc-child: the same arguments without the module's own */
	oidc_err_clear(&err);
	assert_int_equal(conf_load(&c, path, 2, child, CONF_LOAD_ROOT_OWNED, &err), 0);
	assert_int_equal(c.leeway, 5);
	conf_free(&c);
	oidc_err_clear(&err);
	assert_true(conf_load(&c, path, 6, mod, 0, &err) < 0);
	assert_non_null(strstr(err.msg, "module argument 1: unknown option 'config'"));

	/* validation: names the file when the file alone made the configuration */
	snprintf(path, sizeof(path), "%s", write_conf("noid.conf", "issuer = https://a.example\n"));
	oidc_err_clear(&err);
	assert_int_equal(conf_load(&c, path, 0, NULL, 0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "noid.conf: option 'client_id' is required"));
	oidc_err_clear(&err);
	assert_int_equal(conf_load(&c, path, 1, child, 0, &err), -EINVAL);
	assert_string_equal(err.msg, "option 'client_id' is required");
	oidc_err_clear(&err);
	assert_int_equal(conf_load(&c, path, 0, NULL, CONF_LOAD_NO_VALIDATE, &err), 0);
	conf_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_option_file),
		cmocka_unit_test(test_every_option_args),
		cmocka_unit_test(test_values_and_ranges),
		cmocka_unit_test(test_file_syntax_errors),
		cmocka_unit_test(test_file_unsafe),
		cmocka_unit_test(test_args_override),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_option_names),
		cmocka_unit_test(test_conf_load),
		cmocka_unit_test(test_required_claims_rules),
		cmocka_unit_test(test_discovery_url_only_adds_a_query),
		cmocka_unit_test(test_device_authorization_endpoint_https_only),
	};

	return cmocka_run_group_tests_name("conf", tests, setup, teardown);
}
