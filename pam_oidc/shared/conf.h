/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Configuration: /etc/security/pam_oidc.conf ("key = value", '#' comments)
 * and PAM module arguments ("key=value" or a bare boolean "key"), both
 * through one table of options.  Module arguments override the file.
 */
#ifndef OIDC_CONF_H
#define OIDC_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct oidc_err;

#define OIDC_CONF_DEFAULT_PATH SYSCONFDIR "/security/pam_oidc.conf"
#define OIDC_CONF_MAX_SIZE (64 * 1024)

enum conf_qr { CONF_QR_AUTO = 0, CONF_QR_ON, CONF_QR_OFF };

struct oidc_conf {
	/* provider */
	char *issuer;			/* required; https URL */
	char *client_id;		/* required */
	char *client_secret_file;	/* optional; root-owned file with the secret */
	char *scopes;			/* default "openid profile email" */
	unsigned algorithms;		/* mask of enum jose_alg; default all asymmetric */
	int64_t leeway;			/* seconds, default 60, 0..600 */
	int64_t max_age;		/* seconds, -1 (default) = not checked */
	char *acr_values;		/* space/comma list; NULL = any */
	/* transport */
	char *ca_file;			/* NULL = system store */
	char *proxy;			/* NULL = no proxy */
	int64_t http_timeout;		/* seconds per request, default 10, 1..120 */
	int64_t connect_timeout;	/* seconds, default 5, 1..60 */
	/* caches */
	char *cache_dir;		/* default LOCALSTATEDIR "/cache/pam_oidc" */
	int64_t discovery_ttl;		/* seconds, default 3600 */
	int64_t jwks_ttl;		/* seconds, default 3600 */
	int64_t jwks_refresh_interval;	/* seconds, default 300, min gap between kid-miss refetches */
	/* device flow */
	int64_t timeout;		/* seconds, overall device-flow deadline, default 100, 10..600 */
	int64_t poll_interval;		/* seconds, default 5 (used when the provider gives none) */
	enum conf_qr qr;
	bool show_complete_uri;		/* show verification_uri_complete, default false */
	bool require_publickey;		/* default false */
	/* mapping */
	char *username_claim;		/* default "preferred_username" */
	char *username_domain;		/* optional: strip "@<domain>" when it equals this exactly */
	char *user_map_file;		/* optional: (issuer, subject) -> user map */
	char *allowed_subjects;		/* optional list */
	char *allowed_groups;		/* optional list */
	char *groups_claim;		/* default "groups" */
	/* misc */
	char *child_path;		/* default LIBEXECDIR "/oidc-child" */
	bool debug;
};

/* Fill with defaults.  Returns 0 or -ENOMEM. */
int conf_init(struct oidc_conf *conf);

/* Free every member (wiping strings); the struct may be conf_init()ed again. NULL-safe. */
void conf_free(struct oidc_conf *conf);

/*
 * Read a configuration file, opened safely: a regular file (no symlink,
 * O_NOFOLLOW), owned by root (or the caller's euid when
 * allow_non_root_owner is set, for tests and pam-oidc as a user), not
 * group- or other-writable, at most OIDC_CONF_MAX_SIZE.  Unknown keys and
 * bad values are errors that name the key and the line.
 * A missing file is -ENOENT (the caller decides whether that is fatal).
 */
int conf_load_file(struct oidc_conf *conf, const char *path, bool allow_non_root_owner,
		   struct oidc_err *err);

/* Apply PAM module arguments (argv of pam_sm_*); same table, same checks. */
int conf_apply_args(struct oidc_conf *conf, int argc, const char **argv, struct oidc_err *err);

/* Apply one "key", "value" pair (used by both of the above and by tests). */
int conf_set(struct oidc_conf *conf, const char *key, const char *value, struct oidc_err *err);

/* Check the combination: issuer and client_id set, https URLs, etc. */
int conf_validate(const struct oidc_conf *conf, struct oidc_err *err);

/* The NULL-terminated list of option names the parser knows (for the man-page drift test). */
const char *const *conf_option_names(void);

#endif
