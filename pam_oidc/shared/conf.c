/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Configuration parser.  One table of options drives both the file parser
 * and the module-argument parser, so the two can never disagree about a
 * name, a type, a range or a default.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "conf.h"
#include "url.h"
#include "jose_alg.h"
#include "kv.h"
#include "numparse.h"
#include "oidc_err.h"

enum conf_type {
	CONF_T_STR,		/* free text */
	CONF_T_PATH,		/* absolute path (checked by conf_validate) */
	CONF_T_INT,		/* int64_t within [min, max] */
	CONF_T_BOOL,		/* yes/no/true/false/1/0 */
	CONF_T_QR,		/* auto/yes/no */
	CONF_T_ALGS,		/* JWS algorithm allow-list */
};

/* An empty value is allowed and resets the option to "unset" (NULL). */
#define CONF_F_EMPTY_OK 0x1u

struct conf_option {
	const char *name;
	enum conf_type type;
	size_t offset;
	int64_t min, max;
	int64_t def_int;
	const char *def_str;
	unsigned flags;
};

/*
 * The one list of options: name, type, range, default and flags.  Both the
 * table below and conf_option_names() are generated from it.
 */
#define CONF_OPTION_LIST(X) \
	X(issuer, CONF_T_STR, 0, 0, 0, NULL, 0) \
	X(client_id, CONF_T_STR, 0, 0, 0, NULL, 0) \
	X(client_secret_file, CONF_T_PATH, 0, 0, 0, NULL, 0) \
	X(scopes, CONF_T_STR, 0, 0, 0, "openid profile email", 0) \
	X(algorithms, CONF_T_ALGS, 0, 0, JOSE_ALG_DEFAULT_MASK, NULL, 0) \
	X(leeway, CONF_T_INT, 0, 600, 60, NULL, 0) \
	X(max_age, CONF_T_INT, -1, 31536000, -1, NULL, 0) \
	X(acr_values, CONF_T_STR, 0, 0, 0, NULL, CONF_F_EMPTY_OK) \
	X(ca_file, CONF_T_PATH, 0, 0, 0, NULL, 0) \
	X(proxy, CONF_T_STR, 0, 0, 0, NULL, CONF_F_EMPTY_OK) \
	X(http_timeout, CONF_T_INT, 1, 120, 10, NULL, 0) \
	X(connect_timeout, CONF_T_INT, 1, 60, 5, NULL, 0) \
	X(cache_dir, CONF_T_PATH, 0, 0, 0, LOCALSTATEDIR "/cache/pam_oidc", 0) \
	X(discovery_ttl, CONF_T_INT, 0, 604800, 3600, NULL, 0) \
	X(jwks_ttl, CONF_T_INT, 0, 604800, 3600, NULL, 0) \
	X(jwks_refresh_interval, CONF_T_INT, 1, 86400, 300, NULL, 0) \
	X(timeout, CONF_T_INT, 10, 600, 100, NULL, 0) \
	X(poll_interval, CONF_T_INT, 1, 60, 5, NULL, 0) \
	X(qr, CONF_T_QR, 0, 0, CONF_QR_AUTO, NULL, 0) \
	X(show_complete_uri, CONF_T_BOOL, 0, 1, 0, NULL, 0) \
	X(require_publickey, CONF_T_BOOL, 0, 1, 0, NULL, 0) \
	X(username_claim, CONF_T_STR, 0, 0, 0, "preferred_username", 0) \
	X(username_domain, CONF_T_STR, 0, 0, 0, NULL, CONF_F_EMPTY_OK) \
	X(user_map_file, CONF_T_PATH, 0, 0, 0, NULL, 0) \
	X(allowed_subjects, CONF_T_STR, 0, 0, 0, NULL, CONF_F_EMPTY_OK) \
	X(allowed_groups, CONF_T_STR, 0, 0, 0, NULL, CONF_F_EMPTY_OK) \
	X(groups_claim, CONF_T_STR, 0, 0, 0, "groups", 0) \
	X(child_path, CONF_T_PATH, 0, 0, 0, LIBEXECDIR "/oidc-child", 0) \
	X(debug, CONF_T_BOOL, 0, 1, 0, NULL, 0)

#define CONF_ENTRY(n, t, lo, hi, di, ds, f) \
	{ #n, t, offsetof(struct oidc_conf, n), lo, hi, di, ds, f },
#define CONF_NAME(n, t, lo, hi, di, ds, f) #n,

static const struct conf_option conf_options[] = { CONF_OPTION_LIST(CONF_ENTRY) };

#define N_OPTIONS (sizeof(conf_options) / sizeof(conf_options[0]))

/* Longest value accepted for any option (a line is capped by the file size anyway). */
#define CONF_MAX_VALUE 4096

static char **
conf_str_member(struct oidc_conf *conf, const struct conf_option *o)
{
	return (char **)((char *)conf + o->offset);
}

static const struct conf_option *
conf_find(const char *key)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++)
		if (strcmp(conf_options[i].name, key) == 0)
			return &conf_options[i];
	return NULL;
}

/* Set one member to its default; strings are duplicated. */
static int
conf_set_default(struct oidc_conf *conf, const struct conf_option *o)
{
	char **sp;

	switch (o->type) {
	case CONF_T_STR:
	case CONF_T_PATH:
		sp = conf_str_member(conf, o);
		secure_free_str(*sp);
		*sp = NULL;
		if (o->def_str != NULL && (*sp = strdup(o->def_str)) == NULL)
			return -ENOMEM;
		break;
	case CONF_T_INT:
		*(int64_t *)((char *)conf + o->offset) = o->def_int;
		break;
	case CONF_T_BOOL:
		*(bool *)((char *)conf + o->offset) = o->def_int != 0;
		break;
	case CONF_T_QR:
		*(enum conf_qr *)((char *)conf + o->offset) = (enum conf_qr)o->def_int;
		break;
	case CONF_T_ALGS:
		*(unsigned *)((char *)conf + o->offset) = (unsigned)o->def_int;
		break;
	}
	return 0;
}

/* Fill every option with its default.  Returns 0 or -ENOMEM. */
int
conf_init(struct oidc_conf *conf)
{
	size_t i;
	int r;

	memset(conf, 0, sizeof(*conf));
	for (i = 0; i < N_OPTIONS; i++) {
		r = conf_set_default(conf, &conf_options[i]);
		if (r < 0) {
			conf_free(conf);
			return r;
		}
	}
	return 0;
}

/* Wipe and free every string member; NULL-safe.  The struct is zeroed. */
void
conf_free(struct oidc_conf *conf)
{
	size_t i;

	if (conf == NULL)
		return;
	for (i = 0; i < N_OPTIONS; i++) {
		const struct conf_option *o = &conf_options[i];

		if (o->type == CONF_T_STR || o->type == CONF_T_PATH)
			secure_free_str(*conf_str_member(conf, o));
	}
	explicit_bzero(conf, sizeof(*conf));
}

/* Apply one option: key must be known, value valid for its type and range. */
int
conf_set(struct oidc_conf *conf, const char *key, const char *value, struct oidc_err *err)
{
	const struct conf_option *o;
	struct oidc_err aerr;
	const unsigned char *p;
	size_t len;
	char **sp;
	char *dup;
	int64_t n;
	unsigned mask;
	bool b;
	int r;

	if (key == NULL || value == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "missing option name or value");
	o = conf_find(key);
	if (o == NULL) {
		/* The name is echoed for the admin, but bounded. */
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "unknown option '%.64s'", key);
	}
	len = strlen(value);
	if (len > CONF_MAX_VALUE)
		return oidc_err_set(err, OIDC_R_CONFIG, E2BIG, "option '%s': value too long", o->name);
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "option '%s': control character in value", o->name);
	if (len == 0 && !(o->flags & CONF_F_EMPTY_OK))
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "option '%s': empty value", o->name);

	switch (o->type) {
	case CONF_T_STR:
	case CONF_T_PATH:
		dup = NULL;
		if (len > 0 && (dup = strdup(value)) == NULL)
			return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		sp = conf_str_member(conf, o);
		secure_free_str(*sp);
		*sp = dup;
		break;
	case CONF_T_INT:
		r = num_parse_i64(value, o->min, o->max, &n);
		if (r == -ERANGE)
			return oidc_err_set(err, OIDC_R_CONFIG, ERANGE,
					    "option '%s': value out of range %lld..%lld", o->name,
					    (long long)o->min, (long long)o->max);
		if (r < 0)
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "option '%s': not a decimal integer", o->name);
		*(int64_t *)((char *)conf + o->offset) = n;
		break;
	case CONF_T_BOOL:
		if (kv_parse_bool(value, &b) < 0)
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "option '%s': expected yes or no", o->name);
		*(bool *)((char *)conf + o->offset) = b;
		break;
	case CONF_T_QR:
		if (strcmp(value, "auto") == 0)
			*(enum conf_qr *)((char *)conf + o->offset) = CONF_QR_AUTO;
		else if (kv_parse_bool(value, &b) == 0)
			*(enum conf_qr *)((char *)conf + o->offset) = b ? CONF_QR_ON : CONF_QR_OFF;
		else
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "option '%s': expected auto, yes or no", o->name);
		break;
	case CONF_T_ALGS:
		mask = 0;
		oidc_err_clear(&aerr);
		r = jose_alg_parse_list(value, &mask, &aerr);
		if (r < 0)
			return oidc_err_set(err, OIDC_R_CONFIG, -r, "option '%s': %s", o->name,
					    aerr.msg[0] != '\0' ? aerr.msg : "bad algorithm list");
		if (mask == 0)
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "option '%s': no algorithm allowed", o->name);
		*(unsigned *)((char *)conf + o->offset) = mask;
		break;
	}
	return 0;
}

static int
conf_kv_set(void *ctx, const char *key, const char *value, unsigned line, struct oidc_err *err)
{
	(void)line;
	return conf_set(ctx, key, value, err);
}

/* Read a configuration file that is safe to trust; see conf.h. */
int
conf_load_file(struct oidc_conf *conf, const char *path, bool allow_non_root_owner,
	       struct oidc_err *err)
{
	return kv_read_file(path, OIDC_CONF_MAX_SIZE, allow_non_root_owner ? 0 : KV_ROOT_OWNED,
			    conf_kv_set, conf, err);
}

/* Apply module arguments: "key=value", or a bare "key" for a boolean (true). */
int
conf_apply_args(struct oidc_conf *conf, int argc, const char **argv, struct oidc_err *err)
{
	const struct conf_option *o;
	struct oidc_err e;
	char key[64];
	const char *eq;
	size_t klen;
	int i, r;

	for (i = 0; i < argc; i++) {
		if (argv[i] == NULL)
			continue;
		oidc_err_clear(&e);
		eq = strchr(argv[i], '=');
		if (eq == NULL) {
			o = conf_find(argv[i]);
			if (o == NULL || o->type != CONF_T_BOOL) {
				if (o == NULL)
					oidc_err_set(&e, OIDC_R_CONFIG, EINVAL,
						     "unknown option '%.64s'", argv[i]);
				else
					oidc_err_set(&e, OIDC_R_CONFIG, EINVAL,
						     "option '%s' needs a value", o->name);
				r = -EINVAL;
			} else {
				r = conf_set(conf, argv[i], "yes", &e);
			}
		} else {
			klen = (size_t)(eq - argv[i]);
			if (klen == 0 || klen >= sizeof(key)) {
				oidc_err_set(&e, OIDC_R_CONFIG, EINVAL, "bad option name");
				r = -EINVAL;
			} else {
				memcpy(key, argv[i], klen);
				key[klen] = '\0';
				r = conf_set(conf, key, eq + 1, &e);
			}
		}
		if (r < 0)
			return oidc_err_set(err, e.reason, -r, "module argument %d: %s", i + 1,
					    e.msg);
	}
	return 0;
}

/* An issuer: an allowed URL with a host and no query, fragment or user info. */
static int
conf_check_issuer(const char *issuer, struct oidc_err *err)
{
	if (http_url_allowed(issuer) < 0)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "issuer must be an https URL");
	if (strpbrk(issuer, "?#") != NULL)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "issuer must not contain a query or fragment");
	return 0;
}

/* Is word one of the space-separated entries of list? */
static bool
conf_list_has(const char *list, const char *word)
{
	size_t wlen = strlen(word), n;

	while (list != NULL && *list != '\0') {
		list += strspn(list, " ");
		n = strcspn(list, " ");
		if (n == wlen && strncmp(list, word, n) == 0)
			return true;
		list += n;
	}
	return false;
}

/* Check the combination of options; see conf.h. */
int
conf_validate(const struct oidc_conf *conf, struct oidc_err *err)
{
	size_t i;
	const char *v;

	if (conf->issuer == NULL)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "option 'issuer' is required");
	if (conf->client_id == NULL)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "option 'client_id' is required");
	if (conf_check_issuer(conf->issuer, err) < 0)
		return -EINVAL;
	for (i = 0; i < N_OPTIONS; i++) {
		if (conf_options[i].type != CONF_T_PATH)
			continue;
		v = *(char *const *)((const char *)conf + conf_options[i].offset);
		if (v != NULL && v[0] != '/')
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "option '%s' must be an absolute path",
					    conf_options[i].name);
	}
	if (conf->algorithms == 0 || (conf->algorithms & ~(unsigned)JOSE_ALG_ALL_MASK))
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "option 'algorithms' is empty");
	if (!conf_list_has(conf->scopes, "openid"))
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "option 'scopes' must include 'openid'");
	if (conf->connect_timeout > conf->http_timeout)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "connect_timeout must not exceed http_timeout");
	return 0;
}

/* NULL-terminated list of every option name, in table order. */
const char *const *
conf_option_names(void)
{
	static const char *const names[] = { CONF_OPTION_LIST(CONF_NAME) NULL };

	return names;
}
