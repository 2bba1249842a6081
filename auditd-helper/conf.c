/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * oidc-audit configuration: /etc/pam_oidc/oidc-audit.conf, "key = value"
 * lines, '#' comments (also at the end of a line), read with common/kv.h
 * as every configuration file is.  One table of keys gives each its type,
 * range and default; unknown keys are errors naming the key and the line.
 * Re-read on SIGHUP.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "numparse.h"
#include "oidc_audit.h"
#include "oidc_err.h"

#define CONF_MAX_SIZE (64 * 1024)

enum audit_key_type {
	AK_PATH,   /* char *: an absolute path */
	AK_BOOL,   /* bool */
	AK_UINT,   /* unsigned within [min, max] */
	AK_OUTPUT, /* enum audit_output, by name */
};

struct audit_key {
	const char *name;
	enum audit_key_type type;
	size_t offset;
	int64_t min, max;
	int64_t def;
};

#define MEMBER(m) offsetof(struct audit_conf, m)

/* The one list of keys: name, type, member, range and default. */
static const struct audit_key audit_keys[] = {
	{ "registry_dir", AK_PATH, MEMBER(registry_dir), 0, 0, 0 },
	{ "all_sessions", AK_BOOL, MEMBER(all_sessions), 0, 1, 0 },
	{ "output", AK_OUTPUT, MEMBER(output), 0, 0, AUDIT_OUTPUT_JOURNAL },
	{ "audit_log", AK_PATH, MEMBER(audit_log), 0, 0, 0 },
	{ "backfill", AK_BOOL, MEMBER(backfill), 0, 1, 1 },
	{ "kernel_status_interval", AK_UINT, MEMBER(status_interval), 0, 3600, 5 },
	{ "window_ms", AK_UINT, MEMBER(window_ms), 10, 60000, 2000 },
	{ "message_max", AK_UINT, MEMBER(message_max), 64, 65536, 2048 },
};

#define N_KEYS (sizeof(audit_keys) / sizeof(audit_keys[0]))

static const char *const audit_outputs[] = {
	[AUDIT_OUTPUT_JOURNAL] = "journal",
	[AUDIT_OUTPUT_JSON] = "json",
	[AUDIT_OUTPUT_OCSF] = "ocsf",
};

static void *
member(struct audit_conf *c, const struct audit_key *k)
{
	return (char *)c + k->offset;
}

/* See oidc_audit.h. */
void
audit_conf_init(struct audit_conf *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < N_KEYS; i++) {
		const struct audit_key *k = &audit_keys[i];

		if (k->type == AK_BOOL)
			*(bool *)member(c, k) = k->def != 0;
		else if (k->type == AK_UINT)
			*(unsigned *)member(c, k) = (unsigned)k->def;
		else if (k->type == AK_OUTPUT)
			*(enum audit_output *)member(c, k) = (enum audit_output)k->def;
	}
}

/* See oidc_audit.h. */
void
audit_conf_free(struct audit_conf *c)
{
	size_t i;
	char **sp;

	if (c == NULL)
		return;
	for (i = 0; i < N_KEYS; i++) {
		if (audit_keys[i].type != AK_PATH)
			continue;
		sp = member(c, &audit_keys[i]);
		free(*sp);
		*sp = NULL;
	}
}

/* Set one key from its text; 0, -EINVAL or -ERANGE for a bad value, -ENOMEM. */
static int
audit_key_set(struct audit_conf *c, const struct audit_key *k, const char *v)
{
	char **sp, *d;
	int64_t n;
	size_t i;
	int r;

	switch (k->type) {
	case AK_PATH:
		if (v[0] != '/')
			return -EINVAL;
		if ((d = strdup(v)) == NULL)
			return -ENOMEM;
		sp = member(c, k);
		free(*sp);
		*sp = d;
		return 0;
	case AK_BOOL:
		return kv_parse_bool(v, member(c, k));
	case AK_UINT:
		r = num_parse_i64(v, k->min, k->max, &n);
		if (r == 0)
			*(unsigned *)member(c, k) = (unsigned)n;
		return r;
	case AK_OUTPUT:
		for (i = 0; i < sizeof(audit_outputs) / sizeof(audit_outputs[0]); i++) {
			if (strcmp(v, audit_outputs[i]) == 0) {
				*(enum audit_output *)member(c, k) = (enum audit_output)i;
				return 0;
			}
		}
		return -EINVAL;
	}
	return -EINVAL;
}

/* See oidc_audit.h. */
int
audit_conf_set(struct audit_conf *c, const char *key, const char *v, struct oidc_err *err)
{
	size_t i;
	int r;

	for (i = 0; i < N_KEYS && strcmp(audit_keys[i].name, key) != 0; i++)
		;
	if (i == N_KEYS)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "unknown key '%.64s'", key);
	r = audit_key_set(c, &audit_keys[i], v);
	if (r == -ENOMEM)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	if (r < 0)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "bad value for '%.64s'", key);
	return 0;
}

static int
audit_conf_kv(void *ctx, const char *key, const char *value, unsigned line, struct oidc_err *err)
{
	(void)line;
	return audit_conf_set(ctx, key, value, err);
}

/* A copy of c whose strings are its own. */
static int
audit_conf_copy(const struct audit_conf *c, struct audit_conf *ret)
{
	struct audit_conf tmp = *c;
	const char *s;
	size_t i;
	char **sp;

	/* first none of c's strings, so that a failure frees only copies */
	for (i = 0; i < N_KEYS; i++)
		if (audit_keys[i].type == AK_PATH)
			*(char **)member(&tmp, &audit_keys[i]) = NULL;
	for (i = 0; i < N_KEYS; i++) {
		if (audit_keys[i].type != AK_PATH)
			continue;
		sp = member(&tmp, &audit_keys[i]);
		s = *(char *const *)((const char *)c + audit_keys[i].offset);
		if (s != NULL && (*sp = strdup(s)) == NULL) {
			audit_conf_free(&tmp);
			return -ENOMEM;
		}
	}
	*ret = tmp;
	return 0;
}

/* See oidc_audit.h. */
int
audit_conf_load(struct audit_conf *c, const char *path, struct oidc_err *err)
{
	struct audit_conf tmp;
	struct oidc_err e;
	int r;

	/* Apply to a copy, so a bad file changes nothing. */
	if (audit_conf_copy(c, &tmp) < 0)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	oidc_err_clear(&e);
	/*
	 * The same policy as pam_oidc.conf: owned by root whoever reads it.
	 * Its audit_log decides what a root back-fill writes as _UID=0, so a
	 * file the reader merely owns must not be trusted either.
	 */
	r = kv_read_file(path, CONF_MAX_SIZE, KV_INLINE_COMMENT | KV_ROOT_OWNED, audit_conf_kv,
			 &tmp, &e);
	if (r < 0) {
		/* a missing file is the caller's to judge, and says nothing */
		if (r != -ENOENT)
			oidc_err_set(err, e.reason, -r, "%s", e.msg);
		audit_conf_free(&tmp);
		return r;
	}
	audit_conf_free(c);
	*c = tmp;
	return 0;
}
