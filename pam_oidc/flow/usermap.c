/* SPDX-License-Identifier: BSD-2-Clause */
/* Claims -> local account, by exact comparison only (DESIGN.md step 7). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "json_strict.h"
#include "oidc_err.h"
#include "safefile.h"
#include "usermap.h"

/* Is name a portable local user name of at most 32 bytes? */
bool
usermap_name_valid(const char *name)
{
	size_t i;

	if (name == NULL || name[0] == '\0' || name[0] == '-')
		return false;
	for (i = 0; name[i] != '\0'; i++) {
		char c = name[i];

		if (i >= USERMAP_NAME_MAX)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	/* "." and ".." are path components, not accounts */
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static bool
is_sep(char c)
{
	return c == ' ' || c == ',' || c == '\t';
}

/* Is item exactly one of the space/comma separated entries of list? */
bool
usermap_list_contains(const char *list, const char *item)
{
	size_t n, ilen;
	const char *p = list;

	if (list == NULL || item == NULL)
		return false;
	ilen = strlen(item);
	while (*p != '\0') {
		while (is_sep(*p))
			p++;
		for (n = 0; p[n] != '\0' && !is_sep(p[n]); n++)
			;
		if (n > 0 && n == ilen && memcmp(p, item, n) == 0)
			return true;
		p += n;
	}
	return false;
}

/* Read the map file: the policy of DESIGN.md step 7, the messages of usermap.h. */
static int
read_map_file(const char *path, struct buf *ret, struct oidc_err *err)
{
	static const struct sf_policy map = {
		.owner = SF_OWNER_ROOT_OR_EUID,
		.forbidden = S_IWGRP | S_IWOTH,
		.max_size = USERMAP_FILE_MAX,
		.flags = SF_NO_NUL,
	};
	enum sf_fail fail = SF_FAIL_NONE;
	int r;

	r = sf_read_file(AT_FDCWD, path, &map, ret, NULL, &fail);
	if (r == 0)
		return 0;
	switch (fail) {
	case SF_FAIL_OPEN:
		return oidc_err_set(err, OIDC_R_CONFIG, -r, "cannot open user_map_file %s: %s",
				    path, strerror(-r));
	case SF_FAIL_STAT:
		return oidc_err_set(err, OIDC_R_CONFIG, -r, "cannot stat user_map_file %s", path);
	case SF_FAIL_TYPE:
	case SF_FAIL_OWNER:
	case SF_FAIL_MODE:
		return oidc_err_set(
			err, OIDC_R_CONFIG, EPERM,
			"user_map_file %s must be a regular file owned by root and writable only by its owner",
			path);
	case SF_FAIL_SIZE:
		return oidc_err_set(err, OIDC_R_CONFIG, EFBIG, "user_map_file %s is too large",
				    path);
	case SF_FAIL_NUL:
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "user_map_file %s contains a NUL byte", path);
	default:
		if (r == -ENOMEM)
			return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		return oidc_err_set(err, OIDC_R_CONFIG, -r, "cannot read user_map_file %s", path);
	}
}

/* Split line in place into at most 4 whitespace-separated fields; returns the count. */
static int
split_fields(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return max + 1;
		f[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p == '\0')
			return n;
		*p++ = '\0';
	}
}

/* Find the local user of (issuer, subject) in the map file; 0, -ENOENT or -errno. */
int
usermap_lookup_file(const char *path, const char *issuer, const char *subject,
		    char **ret_user, struct oidc_err *err)
{
	char *line, *next, *hit = NULL, *f[3];
	struct buf text;
	size_t i;
	unsigned lineno = 0;
	int r, nf;

	buf_init(&text, USERMAP_FILE_MAX);
	r = read_map_file(path, &text, err);
	if (r < 0)
		goto out;
	for (line = text.data; line != NULL && *line != '\0'; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		for (i = 0; line[i] != '\0'; i++) {
			if (line[i] == '\r' && line[i + 1] == '\0') {
				line[i] = '\0';
				break;
			}
			if ((unsigned char)line[i] < 0x20 && line[i] != '\t') {
				r = oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
						 "user_map_file %s line %u: control character", path,
						 lineno);
				goto out;
			}
		}
		nf = split_fields(line, f, 3);
		if (nf == 0 || f[0][0] == '#')
			continue;
		if (nf != 3) {
			r = oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					 "user_map_file %s line %u: want \"issuer subject user\"", path,
					 lineno);
			goto out;
		}
		if (!usermap_name_valid(f[2])) {
			r = oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					 "user_map_file %s line %u: invalid user name", path, lineno);
			goto out;
		}
		if (strcmp(f[0], issuer) != 0 || strcmp(f[1], subject) != 0)
			continue;
		if (hit != NULL && strcmp(hit, f[2]) != 0) {
			r = oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					 "user_map_file %s maps one subject to two users (line %u)", path,
					 lineno);
			goto out;
		}
		hit = f[2];
	}
	if (hit == NULL) {
		r = oidc_err_set(err, OIDC_R_USER, ENOENT,
				 "the subject is not in user_map_file %s", path);
		goto out;
	}
	*ret_user = strdup(hit);
	r = *ret_user != NULL ? 0 : oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
out:
	buf_free(&text);
	return r;
}

static int
user_exists(const char *name, struct oidc_err *err)
{
	struct passwd pw, *res = NULL;
	char buf[16384];
	int e;

	e = getpwnam_r(name, &pw, buf, sizeof(buf), &res);
	explicit_bzero(buf, sizeof(buf));
	if (e != 0)
		return oidc_err_set(err, OIDC_R_USER, e, "cannot look up local user %s", name);
	if (res == NULL)
		return oidc_err_set(err, OIDC_R_USER, ENOENT, "no local user %s", name);
	return 0;
}

/* Optional string claim; "" when absent; an error when present but not a string. */
static int
opt_string(json_object *claims, const char *key, char **ret, struct oidc_err *err)
{
	const char *v = "";
	int r;

	r = json_get_string(claims, key, &v);
	if (r == -ENOENT)
		v = "";
	else if (r < 0)
		return oidc_err_set(err, OIDC_R_CLAIM, EINVAL, "claim %s is not a string", key);
	if (strlen(v) > USERMAP_CLAIM_MAX)
		return oidc_err_set(err, OIDC_R_CLAIM, EFBIG, "claim %s is too long", key);
	*ret = strdup(v);
	return *ret != NULL ? 0 : oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
}

static int
name_from_claim(const struct oidc_conf *conf, json_object *claims, char **ret_username,
		char **ret_local, struct oidc_err *err)
{
	const char *claim = conf->username_claim != NULL ? conf->username_claim
							  : "preferred_username";
	const char *v, *at;
	json_object *ev;
	char *local = NULL;
	int r;

	r = json_get_string(claims, claim, &v);
	if (r == -ENOENT)
		return oidc_err_set(err, OIDC_R_CLAIM, ENOENT,
				    "the ID token has no %s claim (no fallback to another claim)",
				    claim);
	if (r < 0)
		return oidc_err_set(err, OIDC_R_CLAIM, EINVAL, "claim %s is not a string", claim);
	if (v[0] == '\0' || strlen(v) > USERMAP_CLAIM_MAX)
		return oidc_err_set(err, OIDC_R_CLAIM, EINVAL, "claim %s is empty or too long", claim);
	if (strcmp(claim, "email") == 0) {
		if (!json_object_object_get_ex(claims, "email_verified", &ev) ||
		    !json_object_is_type(ev, json_type_boolean) || !json_object_get_boolean(ev))
			return oidc_err_set(err, OIDC_R_CLAIM, EACCES,
					    "the email address is not verified (email_verified is not true)");
	}
	at = strrchr(v, '@');
	if (conf->username_domain != NULL && conf->username_domain[0] != '\0') {
		/* the domain is what admits a name: one without any is not in it */
		if (at == NULL)
			return oidc_err_set(err, OIDC_R_USER, EACCES, "claim %s has no @%s suffix",
					    claim, conf->username_domain);
		if (strcmp(at + 1, conf->username_domain) != 0)
			return oidc_err_set(err, OIDC_R_USER, EACCES,
					    "claim %s is not in domain %s", claim,
					    conf->username_domain);
		local = strndup(v, (size_t)(at - v));
	} else {
		local = strdup(v);
	}
	if (local == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	*ret_username = strdup(v);
	if (*ret_username == NULL) {
		free(local);
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	}
	*ret_local = local;
	return 0;
}

static int
check_groups(const struct oidc_conf *conf, json_object *claims, struct oidc_err *err)
{
	const char *claim = conf->groups_claim != NULL ? conf->groups_claim : "groups";
	json_object *g, *e;
	size_t i, n;

	if (!json_object_object_get_ex(claims, claim, &g))
		return oidc_err_set(err, OIDC_R_DENIED, EACCES,
				    "allowed_groups is set and the ID token has no %s claim", claim);
	if (json_object_is_type(g, json_type_string))
		return usermap_list_contains(conf->allowed_groups, json_object_get_string(g))
			       ? 0
			       : oidc_err_set(err, OIDC_R_DENIED, EACCES,
					      "not a member of any allowed group");
	if (!json_object_is_type(g, json_type_array))
		return oidc_err_set(err, OIDC_R_CLAIM, EINVAL,
				    "claim %s is neither a string nor an array", claim);
	n = json_object_array_length(g);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(g, i);
		if (!json_object_is_type(e, json_type_string))
			return oidc_err_set(err, OIDC_R_CLAIM, EINVAL,
					    "claim %s holds a non-string", claim);
		if (usermap_list_contains(conf->allowed_groups, json_object_get_string(e)))
			return 0;
	}
	return oidc_err_set(err, OIDC_R_DENIED, EACCES, "not a member of any allowed group");
}

/* Map verified claims to exactly want_user; 0 and *ret, or -errno with the reason. */
int
usermap_map(const struct oidc_conf *conf, json_object *claims, const char *want_user,
	    struct oidc_identity **ret, struct oidc_err *err)
{
	struct oidc_identity *id = NULL;
	const char *iss, *sub;
	int64_t at = 0;
	int r;

	if (json_get_string(claims, "iss", &iss) < 0 || json_get_string(claims, "sub", &sub) < 0) {
		r = oidc_err_set(err, OIDC_R_CLAIM, EINVAL, "iss or sub missing");
		goto out;
	}
	id = calloc(1, sizeof(*id));
	if (id == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	id->issuer = strdup(iss);
	id->subject = strdup(sub);
	if (id->issuer == NULL || id->subject == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	if ((r = opt_string(claims, "email", &id->email, err)) < 0 ||
	    (r = opt_string(claims, "acr", &id->acr, err)) < 0)
		goto out;
	r = json_get_number(claims, "auth_time", 0, INT64_C(253402300799), &at);
	if (r < 0 && r != -ENOENT) {
		r = oidc_err_set(err, OIDC_R_CLAIM, EINVAL, "auth_time is not a valid time");
		goto out;
	}
	id->auth_time = r == -ENOENT ? 0 : at;

	if (conf->user_map_file != NULL) {
		r = usermap_lookup_file(conf->user_map_file, iss, sub, &id->user, err);
		if (r < 0)
			goto out;
		id->username = strdup(sub);
		if (id->username == NULL) {
			r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
			goto out;
		}
	} else {
		r = name_from_claim(conf, claims, &id->username, &id->user, err);
		if (r < 0)
			goto out;
	}
	if (!usermap_name_valid(id->user)) {
		r = oidc_err_set(err, OIDC_R_USER, EINVAL,
				 "the mapped name is not a valid local user name");
		goto out;
	}
	if (want_user == NULL || strcmp(id->user, want_user) != 0) {
		r = oidc_err_set(err, OIDC_R_USER, EACCES,
				 "the identity maps to %s, not to the requested user", id->user);
		goto out;
	}
	r = user_exists(id->user, err);
	if (r < 0)
		goto out;
	/* an empty list (allowed by the parser) means the check is off */
	if (conf->allowed_subjects != NULL && conf->allowed_subjects[0] != '\0' &&
	    !usermap_list_contains(conf->allowed_subjects, sub)) {
		r = oidc_err_set(err, OIDC_R_DENIED, EACCES, "the subject is not in allowed_subjects");
		goto out;
	}
	if (conf->allowed_groups != NULL && conf->allowed_groups[0] != '\0' &&
	    (r = check_groups(conf, claims, err)) < 0)
		goto out;
	*ret = id;
	id = NULL;
	r = 0;
out:
	oidc_identity_free(id);
	return r;
}
