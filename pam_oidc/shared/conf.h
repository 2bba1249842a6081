/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Configuration: /etc/security/pam_oidc.conf ("key = value", '#' comments)
 * and PAM module arguments ("key=value" or a bare boolean "key"), both
 * through one table of options.  Module arguments override the file.  A
 * few options are module arguments only (config, fail_delay, pending_dir,
 * registry_dir, require_record): the file refuses them and the module
 * does not pass them to oidc-child.  conf_load() is the one load sequence of the module, the
 * child and pam-oidc.
 */
#ifndef OIDC_CONF_H
#define OIDC_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct oidc_err;

#define OIDC_CONF_DEFAULT_PATH SYSCONFDIR "/security/pam_oidc.conf"
#define OIDC_CONF_MAX_SIZE (64 * 1024)
#define PENDING_DEFAULT_DIR	   "/run/pam_oidc/pending"
#define CONF_FAIL_DELAY_DEFAULT_MS 2000

enum conf_qr { CONF_QR_AUTO = 0, CONF_QR_ON, CONF_QR_OFF };

struct oidc_conf {
	/* provider */
	char *issuer;			/* required; https URL */
	char *client_id;		/* required */
	char *client_secret_file;	/* optional; root-owned file with the secret */
	char *discovery_url; /* optional; <issuer>/.well-known/openid-configuration[?query] */
	char *device_authorization_endpoint; /* optional; https, used when discovery names none */
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
	char *required_claims; /* optional: "NAME=VALUE ..." string claims the token must carry */
	/* misc */
	char *child_path;		/* default LIBEXECDIR "/oidc-child" */
	bool debug;
	/* module arguments only */
	char *config;	    /* NULL = OIDC_CONF_DEFAULT_PATH */
	int64_t fail_delay; /* milliseconds for pam_fail_delay, default 2000, 0..60000 */
	char *pending_dir;  /* default PENDING_DEFAULT_DIR */
	char *registry_dir; /* default REGISTRY_DEFAULT_DIR */
	bool require_record; /* refuse a session whose journald login entry fails, default false */
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

/*
 * Apply arguments "key=value" (or a bare "key" for a boolean) as oidc-child
 * gets them: same table, same checks; a module-only option is unknown.
 */
int conf_apply_args(struct oidc_conf *conf, int argc, const char **argv, struct oidc_err *err);

/* Apply one "key", "value" pair of the file (used by both of the above and by tests). */
int conf_set(struct oidc_conf *conf, const char *key, const char *value, struct oidc_err *err);

/* Check the combination: issuer and client_id set, https URLs, etc. */
int conf_validate(const struct oidc_conf *conf, struct oidc_err *err);

/* Bounds of required_claims: pairs, bytes of a name, bytes of a value. */
#define CONF_CLAIMS_MAX	     16
#define CONF_CLAIM_NAME_MAX  64
#define CONF_CLAIM_VALUE_MAX 255

/*
 * Split a required_claims value ("NAME=VALUE NAME=VALUE", separated by
 * white space) into a NULL-terminated list NAME, VALUE, NAME, VALUE, ...
 * Each name is 1..CONF_CLAIM_NAME_MAX bytes of printable ASCII before the
 * first '=', each value 1..CONF_CLAIM_VALUE_MAX bytes after it; at most
 * CONF_CLAIMS_MAX pairs, no name twice.  conf_validate() applies the same
 * rules, so a loaded configuration always splits.  Returns 0 with *ret set
 * (NULL when value is NULL; free it with conf_list_free()), or
 * -EINVAL / -E2BIG / -ENOMEM with err naming the pair.
 */
int conf_required_claims(const char *value, char ***ret, struct oidc_err *err);

/* Free a NULL-terminated list of strings (conf_required_claims()'s, the policy's); NULL-safe. */
void conf_list_free(char **list);

/* conf_load() flags. */
#define CONF_LOAD_MODULE	   0x01u /* argv is a PAM module line: module-only options allowed */
#define CONF_LOAD_MODULE_ONLY	   0x02u /* with MODULE: only those, no file, no validation */
#define CONF_LOAD_ROOT_OWNED	   0x04u /* the file must be owned by root (else root or the euid) */
#define CONF_LOAD_DEFAULT_OPTIONAL 0x08u /* no file at the default path is no error */
#define CONF_LOAD_NO_VALIDATE	   0x10u /* skip conf_validate() */

/*
 * The one load sequence: defaults, then (CONF_LOAD_MODULE) the module-only
 * arguments, then the file (path, else the config= argument, else
 * OIDC_CONF_DEFAULT_PATH; a missing file is an error unless it is the
 * default and CONF_LOAD_DEFAULT_OPTIONAL is set), then the other arguments
 * (which override the file), then conf_validate().  Argument errors name
 * the argument's position on the line; file errors name the file and line;
 * when the file alone made the configuration, validation errors name the
 * file too.  Returns 0 with conf filled (conf_free it), or a negative errno
 * with err filled and conf left empty.
 */
int conf_load(struct oidc_conf *conf, const char *path, int argc, const char **argv, unsigned flags,
	      struct oidc_err *err);

/* Does this module argument name a module-only option (not for oidc-child)? */
bool conf_arg_module_only(const char *arg);

/* The NULL-terminated list of the file's option names (for the man-page drift test). */
const char *const *conf_option_names(void);

/* The NULL-terminated list of the module-only option names (pam_oidc(8) drift test). */
const char *const *conf_module_option_names(void);

#endif
