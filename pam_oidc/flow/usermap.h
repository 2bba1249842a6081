/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Map a verified claim set to the local account (DESIGN.md, login step 7):
 * exact comparison only, a missing claim fails and never falls back.
 */
#ifndef OIDC_USERMAP_H
#define OIDC_USERMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "identity.h"

struct oidc_err;
struct oidc_conf;

#define USERMAP_NAME_MAX 32
#define USERMAP_FILE_MAX (1024 * 1024)
#define USERMAP_CLAIM_MAX 1024


/* Is name a portable local user name ([A-Za-z0-9._-], not starting with '-', 1..32 bytes)? */
bool usermap_name_valid(const char *name);

/*
 * Is item one of the entries of list (separated by spaces and/or commas)?
 * Exact byte comparison.
 */
bool usermap_list_contains(const char *list, const char *item);

/*
 * Look (issuer, subject) up in a map file of lines "issuer subject localuser"
 * ('#' comments, blank lines).  The file is opened safely: regular, no
 * symlink, owned by root (or by the caller's effective uid when it is not
 * root, for the administrator's dry run), not writable by group or others,
 * at most USERMAP_FILE_MAX bytes, without a NUL byte.  Two lines for one
 * (issuer, subject) with different users are an error.  Returns 0 and
 * *ret_user, -ENOENT (OIDC_R_USER) when there is no line, or another
 * negative errno.
 */
int usermap_lookup_file(const char *path, const char *issuer, const char *subject,
			char **ret_user, struct oidc_err *err);

/*
 * Map verified claims to the local user and check it equals want_user:
 * with conf->user_map_file the (iss, sub) map, else conf->username_claim
 * (email needs email_verified == true; "@domain" stripped only when it is
 * exactly conf->username_domain); the name must be valid, exist
 * (getpwnam_r) and equal want_user byte for byte; then allowed_subjects
 * and allowed_groups (conf->groups_claim) when configured.  Returns 0 and
 * *ret, or a negative errno with err filled (OIDC_R_USER, OIDC_R_CLAIM,
 * OIDC_R_DENIED).
 */
int usermap_map(const struct oidc_conf *conf, json_object *claims, const char *want_user,
		struct oidc_identity **ret, struct oidc_err *err);

#endif
