/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * oidc-audit configuration: /etc/pam_oidc/oidc-audit.conf, "key = value"
 * lines, '#' comments.  One table of keys; numbers range-checked; unknown
 * keys are errors naming the key and the line.  Re-read on SIGHUP.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "numparse.h"
#include "oidc_audit.h"
#include "oidc_err.h"

#define CONF_MAX_SIZE (64 * 1024)

/* See oidc_audit.h. */
void
audit_conf_init(struct audit_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->output = AUDIT_OUTPUT_JOURNAL;
	c->backfill = true;
	c->status_interval = 5;
	c->window_ms = 2000;
	c->message_max = 2048;
}

/* See oidc_audit.h. */
void
audit_conf_free(struct audit_conf *c)
{
	if (c == NULL)
		return;
	free(c->registry_dir);
	free(c->audit_log);
	c->registry_dir = c->audit_log = NULL;
}

static int
parse_bool(const char *v, bool *ret)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "on"))
		*ret = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "off"))
		*ret = false;
	else
		return -EINVAL;
	return 0;
}

static int
set_str(char **dst, const char *v)
{
	char *d;

	if (v[0] != '/')
		return -EINVAL;
	d = strdup(v);
	if (d == NULL)
		return -ENOMEM;
	free(*dst);
	*dst = d;
	return 0;
}

static int
set_uint(unsigned *dst, const char *v, int64_t min, int64_t max)
{
	int64_t n;
	int r = num_parse_i64(v, min, max, &n);

	if (r == 0)
		*dst = (unsigned)n;
	return r;
}

/* See oidc_audit.h. */
int
audit_conf_set(struct audit_conf *c, const char *key, const char *v, struct oidc_err *err)
{
	int r;

	if (!strcmp(key, "registry_dir"))
		r = set_str(&c->registry_dir, v);
	else if (!strcmp(key, "audit_log"))
		r = set_str(&c->audit_log, v);
	else if (!strcmp(key, "all_sessions"))
		r = parse_bool(v, &c->all_sessions);
	else if (!strcmp(key, "backfill"))
		r = parse_bool(v, &c->backfill);
	else if (!strcmp(key, "output")) {
		r = 0;
		if (!strcmp(v, "journal"))
			c->output = AUDIT_OUTPUT_JOURNAL;
		else if (!strcmp(v, "json"))
			c->output = AUDIT_OUTPUT_JSON;
		else
			r = -EINVAL;
	} else if (!strcmp(key, "kernel_status_interval"))
		r = set_uint(&c->status_interval, v, 0, 3600);
	else if (!strcmp(key, "window_ms"))
		r = set_uint(&c->window_ms, v, 10, 60000);
	else if (!strcmp(key, "message_max"))
		r = set_uint(&c->message_max, v, 64, 65536);
	else
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "unknown key '%.64s'", key);
	if (r == -ENOMEM)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	if (r < 0)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "bad value for '%.64s'", key);
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* See oidc_audit.h. */
int
audit_conf_load(struct audit_conf *c, const char *path, struct oidc_err *err)
{
	struct audit_conf tmp;
	struct stat st;
	char *text = NULL, *line, *next;
	ssize_t n;
	size_t len = 0;
	int fd, r, lineno = 0;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return oidc_err_set(err, OIDC_R_CONFIG, errno, "cannot open %s", path);
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & S_IWOTH) ||
	    st.st_size > CONF_MAX_SIZE) {
		close(fd);
		return oidc_err_set(err, OIDC_R_CONFIG, EPERM,
				    "%s: not a regular file, writable by others, or over 64 KiB", path);
	}
	text = malloc(CONF_MAX_SIZE + 1);
	if (text == NULL) {
		close(fd);
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	}
	while (len < CONF_MAX_SIZE && (n = read(fd, text + len, CONF_MAX_SIZE - len)) > 0)
		len += (size_t)n;
	close(fd);
	text[len] = '\0';
	/* Apply to a copy, so a bad file changes nothing. */
	tmp = *c;
	tmp.registry_dir = c->registry_dir ? strdup(c->registry_dir) : NULL;
	tmp.audit_log = c->audit_log ? strdup(c->audit_log) : NULL;
	r = 0;
	for (line = text; line != NULL && r == 0; line = next) {
		char *eq, *key, *val;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (strlen(line) != strcspn(line, "#"))
			line[strcspn(line, "#")] = '\0';
		line = trim(line);
		if (*line == '\0')
			continue;
		eq = strchr(line, '=');
		if (eq == NULL) {
			r = oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "%s:%d: expected key = value", path, lineno);
			break;
		}
		*eq = '\0';
		key = trim(line);
		val = trim(eq + 1);
		r = audit_conf_set(&tmp, key, val, err);
		if (r < 0) {
			struct oidc_err e2 = *err;

			oidc_err_clear(err);
			oidc_err_set(err, e2.reason, -r, "%s:%d: %s", path, lineno, e2.msg);
		}
	}
	free(text);
	if (r < 0) {
		audit_conf_free(&tmp);
		return r;
	}
	audit_conf_free(c);
	*c = tmp;
	return 0;
}
