/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The session registry (DESIGN.md, "Session registry").  Writers are the
 * PAM module (open/close session); the reader is oidc-audit.  Both sides
 * run as root, but the files are still treated as untrusted in size and
 * shape: a read is capped at REGISTRY_MAX_FILE, the directory and the file
 * must be owned by us and not writable by group or others, and symlinks are
 * never followed (common/safefile.h does the file work).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "oidc_err.h"
#include "registry.h"
#include "safefile.h"
#include "text.h"

#define REGISTRY_JSON_DEPTH 4
#define REGISTRY_MAX_STRING 1024

/* Directory and files: ours (the euid), not writable by group or others. */
static const struct sf_policy registry_policy = {
	.owner = SF_OWNER_EUID,
	.forbidden = S_IWGRP | S_IWOTH,
	.max_size = REGISTRY_MAX_FILE,
	.flags = SF_NO_NUL,
};

static int
registry_open_dir(const char *dir, bool create, int *ret_fd, struct oidc_err *err)
{
	struct sf_policy pol = registry_policy;
	enum sf_fail fail = SF_FAIL_NONE;
	int dfd;

	if (dir == NULL || dir[0] == '\0')
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "registry: no directory");
	if (create)
		pol.flags |= SF_MKDIR_PARENTS;
	dfd = sf_dir_open(dir, &pol, &fail);
	if (dfd >= 0) {
		*ret_fd = dfd;
		return 0;
	}
	switch (fail) {
	case SF_FAIL_MKDIR:
		return oidc_err_set(err, OIDC_R_INTERNAL, -dfd, "registry: cannot create %s", dir);
	case SF_FAIL_OPEN:
		if (dfd == -ENOENT)
			return -ENOENT;
		return oidc_err_set(err, OIDC_R_CONFIG, -dfd, "registry: cannot open directory %s",
				    dir);
	case SF_FAIL_TYPE:
		return oidc_err_set(err, OIDC_R_CONFIG, ENOTDIR, "registry: %s is not a directory",
				    dir);
	case SF_FAIL_OWNER:
		return oidc_err_set(err, OIDC_R_CONFIG, EPERM,
				    "registry: %s is not owned by uid %u", dir,
				    (unsigned)geteuid());
	case SF_FAIL_MODE:
		return oidc_err_set(err, OIDC_R_CONFIG, EPERM,
				    "registry: %s is writable by group or others", dir);
	default:
		return oidc_err_set(err, OIDC_R_INTERNAL, -dfd, "registry: cannot stat %s", dir);
	}
}

static int
json_add_str(struct json_object *o, const char *key, const char *val)
{
	struct json_object *s;

	if (val == NULL)
		return 0;
	s = json_object_new_string(val);
	if (s == NULL || json_object_object_add(o, key, s) < 0) {
		json_object_put(s);
		return -ENOMEM;
	}
	return 0;
}

static int
json_add_int(struct json_object *o, const char *key, int64_t val)
{
	struct json_object *n = json_object_new_int64(val);

	if (n == NULL || json_object_object_add(o, key, n) < 0) {
		json_object_put(n);
		return -ENOMEM;
	}
	return 0;
}

static bool
registry_str_ok(const char *s, bool required)
{
	if (s == NULL)
		return !required;
	return strlen(s) <= REGISTRY_MAX_STRING && (!required || s[0] != '\0');
}

static int
registry_serialize(const struct registry_entry *e, char **ret, struct oidc_err *err)
{
	struct json_object *o = json_object_new_object();
	const char *s;
	int r = -ENOMEM;

	if (o == NULL)
		goto out;
	if (json_add_str(o, "boot_id", e->boot_id) < 0 ||
	    json_add_int(o, "session", e->session) < 0 ||
	    json_add_int(o, "loginuid", e->loginuid) < 0 ||
	    json_add_str(o, "user", e->user) < 0 ||
	    json_add_str(o, "issuer", e->issuer) < 0 ||
	    json_add_str(o, "subject", e->subject) < 0 ||
	    json_add_str(o, "username", e->username) < 0 ||
	    json_add_str(o, "email", e->email) < 0 ||
	    json_add_str(o, "login_id", e->login_id) < 0 ||
	    json_add_int(o, "auth_time", e->auth_time) < 0 ||
	    json_add_str(o, "service", e->service) < 0 ||
	    json_add_str(o, "rhost", e->rhost) < 0 ||
	    json_add_int(o, "opened", (int64_t)e->opened) < 0)
		goto out;
	if (e->closed != 0 && json_add_int(o, "closed", (int64_t)e->closed) < 0)
		goto out;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s == NULL || strlen(s) + 1 > REGISTRY_MAX_FILE) {
		r = oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG, "registry: entry too large");
		goto out;
	}
	/* one line: the file ends with a newline */
	if (asprintf(ret, "%s\n", s) < 0) {
		*ret = NULL;
		r = -ENOMEM;
	} else {
		r = 0;
	}
out:
	if (r == -ENOMEM)
		oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "registry: out of memory");
	json_object_put(o);
	return r;
}

/* See registry.h. */
int
registry_write(const char *dir, const struct registry_entry *e, struct oidc_err *err)
{
	enum sf_fail fail = SF_FAIL_NONE;
	char name[32], *text = NULL;
	const char *what;
	int dfd = -1, r;

	if (e == NULL || !registry_str_ok(e->boot_id, true) || !registry_str_ok(e->user, true) ||
	    !registry_str_ok(e->issuer, true) || !registry_str_ok(e->subject, true) ||
	    !registry_str_ok(e->username, false) || !registry_str_ok(e->email, false) ||
	    !registry_str_ok(e->login_id, true) || !registry_str_ok(e->service, true) ||
	    !registry_str_ok(e->rhost, false) || e->session == UINT32_MAX)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "registry: incomplete entry");
	r = registry_serialize(e, &text, err);
	if (r < 0)
		goto out;
	r = registry_open_dir(dir, true, &dfd, err);
	if (r < 0) {
		if (r == -ENOENT)
			r = oidc_err_set(err, OIDC_R_CONFIG, ENOENT, "registry: cannot open %s", dir);
		goto out;
	}
	snprintf(name, sizeof(name), "%" PRIu32, e->session);
	/*
	 * Not flushed: an entry means nothing after the reboot that a crash
	 * brings (new boot id, audit session ids counted afresh), and /run is
	 * tmpfs where the flushes cost nothing; on a disk they cost the login
	 * milliseconds (tests/bench/login_cost.sh).
	 */
	r = sf_write_replace(dfd, name, text, strlen(text), false, &fail);
	if (r < 0) {
		what = fail == SF_FAIL_CREATE ? "create" : "write";
		if (fail == SF_FAIL_RENAME)
			what = "rename";
		r = oidc_err_set(err, OIDC_R_INTERNAL, -r, "registry: cannot %s entry in %s", what,
				 dir);
		goto out;
	}
	r = 0;
out:
	if (dfd >= 0)
		close(dfd);
	secure_free_str(text);
	return r;
}

static int
get_str(struct json_object *o, const char *key, bool required, char **ret, struct oidc_err *err)
{
	struct json_object *v;
	const char *s;
	int len;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		if (required)
			return oidc_err_set(err, OIDC_R_MALFORMED, EBADMSG, "registry: %s missing", key);
		*ret = NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return oidc_err_set(err, OIDC_R_MALFORMED, EBADMSG, "registry: %s not a string", key);
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	/* json-c accepts \u0000 inside strings: reject, or the value would be cut short. */
	if (len < 0 || (size_t)len != strlen(s) || len > REGISTRY_MAX_STRING ||
	    (required && len == 0))
		return oidc_err_set(err, OIDC_R_MALFORMED, EBADMSG, "registry: %s invalid", key);
	*ret = strdup(s);
	if (*ret == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "registry: out of memory");
	return 0;
}

static int
get_int(struct json_object *o, const char *key, bool required, int64_t min, int64_t max,
	int64_t *ret, struct oidc_err *err)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(o, key, &v)) {
		if (required)
			return oidc_err_set(err, OIDC_R_MALFORMED, EBADMSG, "registry: %s missing", key);
		*ret = 0;
		return 0;
	}
	if (!json_object_is_type(v, json_type_int))
		return oidc_err_set(err, OIDC_R_MALFORMED, EBADMSG, "registry: %s not an integer", key);
	errno = 0;
	n = json_object_get_int64(v);
	/*
	 * json-c clamps out-of-range values to INT64_MIN/MAX (without always
	 * setting errno): treat both extremes as out of range.
	 */
	if (errno != 0 || n == INT64_MAX || n == INT64_MIN || n < min || n > max)
		return oidc_err_set(err, OIDC_R_MALFORMED, ERANGE, "registry: %s out of range", key);
	*ret = n;
	return 0;
}

/* Parse the text of one entry; exposed to the tests through registry_read only. */
static int
registry_parse(const char *text, size_t len, struct registry_entry *e, struct oidc_err *err)
{
	struct json_tokener *tok = NULL;
	struct json_object *o = NULL;
	int64_t n;
	size_t end;
	int r;

	tok = json_tokener_new_ex(REGISTRY_JSON_DEPTH);
	if (tok == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "registry: out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EBADMSG, "registry: entry is not valid JSON");
		goto out;
	}
	for (end = json_tokener_get_parse_end(tok); end < len; end++) {
		if (text[end] != '\n' && text[end] != ' ' && text[end] != '\t' && text[end] != '\r') {
			r = oidc_err_set(err, OIDC_R_MALFORMED, EBADMSG, "registry: trailing data");
			goto out;
		}
	}
	if (!json_object_is_type(o, json_type_object)) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EBADMSG, "registry: entry is not an object");
		goto out;
	}
	if ((r = get_str(o, "boot_id", true, &e->boot_id, err)) < 0 ||
	    (r = get_str(o, "user", true, &e->user, err)) < 0 ||
	    (r = get_str(o, "issuer", true, &e->issuer, err)) < 0 ||
	    (r = get_str(o, "subject", true, &e->subject, err)) < 0 ||
	    (r = get_str(o, "username", false, &e->username, err)) < 0 ||
	    (r = get_str(o, "email", false, &e->email, err)) < 0 ||
	    (r = get_str(o, "login_id", true, &e->login_id, err)) < 0 ||
	    (r = get_str(o, "service", true, &e->service, err)) < 0 ||
	    (r = get_str(o, "rhost", false, &e->rhost, err)) < 0)
		goto out;
	if ((r = get_int(o, "session", true, 0, UINT32_MAX - 1, &n, err)) < 0)
		goto out;
	e->session = (uint32_t)n;
	if ((r = get_int(o, "loginuid", true, 0, UINT32_MAX, &n, err)) < 0)
		goto out;
	e->loginuid = (uint32_t)n;
	if ((r = get_int(o, "auth_time", false, 0, INT64_MAX, &e->auth_time, err)) < 0)
		goto out;
	if ((r = get_int(o, "opened", true, 0, INT64_MAX, &n, err)) < 0)
		goto out;
	e->opened = (uint64_t)n;
	if ((r = get_int(o, "closed", false, 0, INT64_MAX, &n, err)) < 0)
		goto out;
	e->closed = (uint64_t)n;
	r = 0;
out:
	json_object_put(o);
	json_tokener_free(tok);
	return r;
}

/* See registry.h. */
int
registry_read(const char *dir, uint32_t session, struct registry_entry *ret, struct oidc_err *err)
{
	struct registry_entry e = { 0 };
	enum sf_fail fail = SF_FAIL_NONE;
	struct buf text;
	char name[32];
	int dfd = -1, r;

	if (session == UINT32_MAX)
		return -ENOENT;
	buf_init(&text, REGISTRY_MAX_FILE);
	r = registry_open_dir(dir, false, &dfd, err);
	if (r < 0)
		goto out;
	snprintf(name, sizeof(name), "%" PRIu32, session);
	r = sf_read_file(dfd, name, &registry_policy, &text, NULL, &fail);
	switch (r < 0 ? fail : SF_FAIL_NONE) {
	case SF_FAIL_NONE:
		break;
	case SF_FAIL_OPEN:
		if (r != -ENOENT)
			r = oidc_err_set(err, OIDC_R_CONFIG, -r, "registry: cannot open entry %s",
					 name);
		goto out;
	case SF_FAIL_STAT:
		r = oidc_err_set(err, OIDC_R_INTERNAL, -r, "registry: cannot stat entry %s", name);
		goto out;
	case SF_FAIL_SIZE:
		r = oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG, "registry: entry %s too large", name);
		goto out;
	case SF_FAIL_NUL:
		r = oidc_err_set(err, OIDC_R_MALFORMED, EBADMSG, "registry: entry %s contains NUL",
				 name);
		goto out;
	case SF_FAIL_READ:
		if (r == -ENOMEM)
			r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "registry: out of memory");
		else
			r = oidc_err_set(err, OIDC_R_INTERNAL, -r, "registry: cannot read entry %s",
					 name);
		goto out;
	default:
		r = oidc_err_set(err, OIDC_R_CONFIG, EPERM,
				 "registry: entry %s has unsafe type, owner or mode", name);
		goto out;
	}
	r = registry_parse(text.data, text.len, &e, err);
	if (r < 0)
		goto out;
	if (e.session != session) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EBADMSG,
				 "registry: entry %s names session %" PRIu32, name, e.session);
		goto out;
	}
	*ret = e;
	memset(&e, 0, sizeof(e));
	r = 0;
out:
	registry_entry_free(&e);
	buf_free(&text);
	if (dfd >= 0)
		close(dfd);
	return r;
}

/* See registry.h. */
int
registry_close(const char *dir, uint32_t session, uint64_t closed_us, struct oidc_err *err)
{
	struct registry_entry e = { 0 };
	int r;

	r = registry_read(dir, session, &e, err);
	if (r == -ENOENT)
		r = oidc_err_set(err, OIDC_R_CONFIG, ENOENT, "registry: no entry for session %" PRIu32, session);
	if (r < 0)
		goto out;
	e.closed = closed_us ? closed_us : 1;
	r = registry_write(dir, &e, err);
out:
	registry_entry_free(&e);
	return r;
}

/* See registry.h. */
void
registry_entry_free(struct registry_entry *e)
{
	if (e == NULL)
		return;
	free(e->boot_id);
	free(e->user);
	free(e->issuer);
	free(e->subject);
	free(e->username);
	free(e->email);
	free(e->login_id);
	free(e->service);
	free(e->rhost);
	memset(e, 0, sizeof(*e));
}

/* See registry.h. */
int
registry_boot_id(char buf[33])
{
	char raw[64];
	ssize_t n;
	size_t i, j = 0;
	int fd, r = 0;

	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, raw, sizeof(raw) - 1);
	if (n < 0)
		r = -errno;
	close(fd);
	if (r < 0)
		return r;
	for (i = 0; i < (size_t)n && j < 32; i++) {
		char c = raw[i];

		if (c == '-' || c == '\n')
			continue;
		if (text_hex_digit(c) < 0)
			return -EBADMSG;
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');	/* as journald's _BOOT_ID */
		buf[j++] = c;
	}
	if (j != 32)
		return -EBADMSG;
	buf[32] = '\0';
	return 0;
}
