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
#include "registry.h"

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
/* A module argument only: unknown to the file and to oidc-child. */
#define CONF_F_MODULE 0x2u

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
 * table below and conf_option_names() are generated from it (and from the
 * module-only list after it).
 */
#define CONF_OPTION_LIST(X) \
	X(issuer, CONF_T_STR, 0, 0, 0, NULL, 0) \
	X(client_id, CONF_T_STR, 0, 0, 0, NULL, 0) \
	X(client_secret_file, CONF_T_PATH, 0, 0, 0, NULL, 0) \
	X(discovery_url, CONF_T_STR, 0, 0, 0, NULL, CONF_F_EMPTY_OK) \
	X(device_authorization_endpoint, CONF_T_STR, 0, 0, 0, NULL, CONF_F_EMPTY_OK) \
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
	X(required_claims, CONF_T_STR, 0, 0, 0, NULL, CONF_F_EMPTY_OK) \
	X(child_path, CONF_T_PATH, 0, 0, 0, LIBEXECDIR "/oidc-child", 0) \
	X(debug, CONF_T_BOOL, 0, 1, 0, NULL, 0)

/*
 * What only the module reads: the file it loads, its own files, its failure
 * delay, and whether a session needs its journald record (the session phase
 * reads its own line only).
 */
#define CONF_MODULE_OPTION_LIST(X) \
	X(config, CONF_T_PATH, 0, 0, 0, NULL, CONF_F_MODULE) \
	X(fail_delay, CONF_T_INT, 0, 60000, CONF_FAIL_DELAY_DEFAULT_MS, NULL, CONF_F_MODULE) \
	X(pending_dir, CONF_T_PATH, 0, 0, 0, PENDING_DEFAULT_DIR, CONF_F_MODULE) \
	X(registry_dir, CONF_T_PATH, 0, 0, 0, REGISTRY_DEFAULT_DIR, CONF_F_MODULE) \
	X(require_record, CONF_T_BOOL, 0, 1, 0, NULL, CONF_F_MODULE)

#define CONF_ENTRY(n, t, lo, hi, di, ds, f) \
	{ #n, t, offsetof(struct oidc_conf, n), lo, hi, di, ds, f },
#define CONF_NAME(n, t, lo, hi, di, ds, f) #n,

static const struct conf_option conf_options[] = { CONF_OPTION_LIST(CONF_ENTRY)
							   CONF_MODULE_OPTION_LIST(CONF_ENTRY) };

#define N_OPTIONS (sizeof(conf_options) / sizeof(conf_options[0]))

/* Longest value accepted for any option (a line is capped by the file size anyway). */
#define CONF_MAX_VALUE 4096

static char **
conf_str_member(struct oidc_conf *conf, const struct conf_option *o)
{
	return (char **)((char *)conf + o->offset);
}

/* Where an option may be given: the file (and oidc-child's arguments), the module line. */
#define CONF_IN_FILE   0x1u
#define CONF_IN_MODULE 0x2u

static unsigned
conf_scope(const struct conf_option *o)
{
	return (o->flags & CONF_F_MODULE) ? CONF_IN_MODULE : CONF_IN_FILE;
}

/* The option named key, if it may be given in scope. */
static const struct conf_option *
conf_find(const char *key, unsigned scope)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++)
		if (strcmp(conf_options[i].name, key) == 0)
			return (conf_scope(&conf_options[i]) & scope) ? &conf_options[i] : NULL;
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

/* Apply one option of scope: key must be known there, value valid for its type and range. */
static int
conf_set_in(struct oidc_conf *conf, const char *key, const char *value, unsigned scope,
	    struct oidc_err *err)
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
	o = conf_find(key, scope);
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

/* Apply one option of the file; see conf.h. */
int
conf_set(struct oidc_conf *conf, const char *key, const char *value, struct oidc_err *err)
{
	return conf_set_in(conf, key, value, CONF_IN_FILE, err);
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

/*
 * Split one argument into its key (in key, at most keysz - 1 bytes) and
 * its value ("yes" for a bare key).  Returns the value, or NULL when the
 * argument has no usable name.
 */
static const char *
conf_arg_split(const char *arg, char *key, size_t keysz)
{
	const char *eq = strchr(arg, '=');
	size_t klen = eq != NULL ? (size_t)(eq - arg) : strlen(arg);

	if (klen == 0 || klen >= keysz)
		return NULL;
	memcpy(key, arg, klen);
	key[klen] = '\0';
	return eq != NULL ? eq + 1 : "yes";
}

/* Does this module argument name a module-only option?  See conf.h. */
bool
conf_arg_module_only(const char *arg)
{
	char key[64];

	return arg != NULL && conf_arg_split(arg, key, sizeof(key)) != NULL &&
	       conf_find(key, CONF_IN_MODULE) != NULL;
}

/*
 * Apply the arguments of scope, "key=value" or a bare "key" for a boolean
 * (true).  With skip, the options of the other scope are passed over, and
 * in the module pass every argument that is not a module option (the file
 * pass judges those); without, they are errors ("unknown option").
 * *ret_n (may be NULL) counts the arguments applied.
 */
static int
conf_apply_scope(struct oidc_conf *conf, int argc, const char **argv, unsigned scope, bool skip,
		 int *ret_n, struct oidc_err *err)
{
	const struct conf_option *o;
	struct oidc_err e;
	char key[64];
	const char *value;
	int i, n = 0, r;

	for (i = 0; i < argc; i++) {
		if (argv[i] == NULL)
			continue;
		value = conf_arg_split(argv[i], key, sizeof(key));
		o = value != NULL ? conf_find(key, scope) : NULL;
		/* the other pass takes the other scope's options (and the errors) */
		if (skip && o == NULL && (scope == CONF_IN_MODULE || conf_arg_module_only(argv[i])))
			continue;
		oidc_err_clear(&e);
		if (value == NULL)
			r = oidc_err_set(&e, OIDC_R_CONFIG, EINVAL, "bad option name");
		else if (o != NULL && o->type != CONF_T_BOOL && strchr(argv[i], '=') == NULL)
			r = oidc_err_set(&e, OIDC_R_CONFIG, EINVAL, "option '%s' needs a value",
					 o->name);
		else
			r = conf_set_in(conf, key, value, scope, &e);
		if (r < 0)
			return oidc_err_set(err, e.reason, -r, "module argument %d: %s", i + 1,
					    e.msg);
		n++;
	}
	if (ret_n != NULL)
		*ret_n = n;
	return 0;
}

/* Apply oidc-child's arguments; see conf.h. */
int
conf_apply_args(struct oidc_conf *conf, int argc, const char **argv, struct oidc_err *err)
{
	return conf_apply_scope(conf, argc, argv, CONF_IN_FILE, false, NULL, err);
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

/*
 * discovery_url: the discovery URL of the issuer, with at most a query
 * added (Entra ID's ?appid=), so that it cannot lead to another provider.
 */
static int
conf_check_discovery_url(const struct oidc_conf *conf, struct oidc_err *err)
{
	char *std;
	size_t n;
	int r = 0;

	if (conf->discovery_url == NULL)
		return 0;
	std = url_discovery_default(conf->issuer);
	if (std == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	n = strlen(std);
	if (http_url_allowed(conf->discovery_url) < 0 ||
	    strncmp(conf->discovery_url, std, n) != 0 ||
	    (conf->discovery_url[n] != '\0' &&
	     (conf->discovery_url[n] != '?' || conf->discovery_url[n + 1] == '\0')))
		r = oidc_err_set(
			err, OIDC_R_CONFIG, EINVAL,
			"option 'discovery_url' must be %.256s, optionally followed by a query (?...)",
			std);
	free(std);
	return r;
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

/* Free a NULL-terminated list of strings; NULL-safe. */
void
conf_list_free(char **list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

/*
 * One NAME=VALUE pair of required_claims (word, n bytes, the index-th):
 * a name of printable ASCII, a non-empty value, each within its bound.
 */
static int
conf_claim_pair(const char *word, size_t n, size_t index, size_t *ret_name_len,
		struct oidc_err *err)
{
	const char *eq = memchr(word, '=', n);
	size_t nlen, vlen, i;

	if (eq == NULL)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "option 'required_claims': pair %zu has no '=' (NAME=VALUE)",
				    index);
	nlen = (size_t)(eq - word);
	vlen = n - nlen - 1;
	if (nlen == 0 || nlen > CONF_CLAIM_NAME_MAX)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "option 'required_claims': pair %zu: the claim name must have "
				    "1..%d bytes",
				    index, CONF_CLAIM_NAME_MAX);
	for (i = 0; i < nlen; i++)
		if ((unsigned char)word[i] <= 0x20 || (unsigned char)word[i] >= 0x7f)
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "option 'required_claims': pair %zu: the claim name "
					    "must be printable ASCII",
					    index);
	if (vlen == 0 || vlen > CONF_CLAIM_VALUE_MAX)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "option 'required_claims': claim %.*s: the value must have "
				    "1..%d bytes",
				    (int)nlen, word, CONF_CLAIM_VALUE_MAX);
	*ret_name_len = nlen;
	return 0;
}

/* Split required_claims into NAME, VALUE, ... NULL; see conf.h. */
int
conf_required_claims(const char *value, char ***ret, struct oidc_err *err)
{
	const char *sep = " \t", *p, *w[CONF_CLAIMS_MAX];
	size_t wlen[CONF_CLAIMS_MAX], nlen[CONF_CLAIMS_MAX], n = 0, i, j, len;
	char **list = NULL;
	int r;

	*ret = NULL;
	if (value == NULL)
		return 0;
	for (p = value; *p != '\0';) {
		p += strspn(p, sep);
		len = strcspn(p, sep);
		if (len == 0)
			break;
		if (n == CONF_CLAIMS_MAX)
			return oidc_err_set(err, OIDC_R_CONFIG, E2BIG,
					    "option 'required_claims': more than %d claims",
					    CONF_CLAIMS_MAX);
		r = conf_claim_pair(p, len, n + 1, &nlen[n], err);
		if (r < 0)
			return r;
		for (j = 0; j < n; j++)
			if (nlen[j] == nlen[n] && memcmp(w[j], p, nlen[n]) == 0)
				return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
						    "option 'required_claims': claim %.*s is "
						    "named twice",
						    (int)nlen[n], p);
		w[n] = p;
		wlen[n] = len;
		n++;
		p += len;
	}
	if (n == 0)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "option 'required_claims': no NAME=VALUE pair");
	list = calloc(2 * n + 1, sizeof(*list));
	if (list == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		list[2 * i] = strndup(w[i], nlen[i]);
		list[2 * i + 1] = strndup(w[i] + nlen[i] + 1, wlen[i] - nlen[i] - 1);
		if (list[2 * i] == NULL || list[2 * i + 1] == NULL) {
			conf_list_free(list);
			return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		}
	}
	*ret = list;
	return 0;
}

/* Every path option of scope that is set must be absolute. */
static int
conf_check_paths(const struct oidc_conf *conf, unsigned scope, struct oidc_err *err)
{
	const char *v;
	size_t i;

	for (i = 0; i < N_OPTIONS; i++) {
		if (conf_options[i].type != CONF_T_PATH || !(conf_scope(&conf_options[i]) & scope))
			continue;
		v = *(char *const *)((const char *)conf + conf_options[i].offset);
		if (v != NULL && v[0] != '/')
			return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
					    "option '%s' must be an absolute path",
					    conf_options[i].name);
	}
	return 0;
}

/* Check the combination of options; see conf.h. */
int
conf_validate(const struct oidc_conf *conf, struct oidc_err *err)
{
	if (conf->issuer == NULL)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "option 'issuer' is required");
	if (conf->client_id == NULL)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "option 'client_id' is required");
	if (conf_check_issuer(conf->issuer, err) < 0)
		return -EINVAL;
	if (conf_check_paths(conf, CONF_IN_FILE | CONF_IN_MODULE, err) < 0)
		return -EINVAL;
	if (conf_check_discovery_url(conf, err) < 0)
		return -EINVAL;
	if (conf->device_authorization_endpoint != NULL &&
	    http_url_allowed(conf->device_authorization_endpoint) < 0)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "option 'device_authorization_endpoint' must be an https URL");
	if (conf->algorithms == 0 || (conf->algorithms & ~(unsigned)JOSE_ALG_ALL_MASK))
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL, "option 'algorithms' is empty");
	if (!conf_list_has(conf->scopes, "openid"))
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "option 'scopes' must include 'openid'");
	if (conf->connect_timeout > conf->http_timeout)
		return oidc_err_set(err, OIDC_R_CONFIG, EINVAL,
				    "connect_timeout must not exceed http_timeout");
	if (conf->required_claims != NULL) {
		char **claims = NULL;
		int r = conf_required_claims(conf->required_claims, &claims, err);

		if (r < 0)
			return r;
		conf_list_free(claims);
	}
	return 0;
}

/* The one load sequence of module, child and pam-oidc; see conf.h. */
int
conf_load(struct oidc_conf *conf, const char *path, int argc, const char **argv, unsigned flags,
	  struct oidc_err *err)
{
	struct oidc_err verr;
	const char *file;
	bool named, from_file = false;
	int r, nargs = 0;

	r = conf_init(conf);
	if (r < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, -r, "out of memory");
		goto out;
	}
	if (flags & CONF_LOAD_MODULE) {
		r = conf_apply_scope(conf, argc, argv, CONF_IN_MODULE, true, NULL, err);
		if (r == 0)
			r = conf_check_paths(conf, CONF_IN_MODULE, err);
		if (r < 0 || (flags & CONF_LOAD_MODULE_ONLY))
			goto out;
	}
	named = path != NULL || conf->config != NULL;
	file = path != NULL ? path : named ? conf->config : OIDC_CONF_DEFAULT_PATH;
	r = conf_load_file(conf, file, !(flags & CONF_LOAD_ROOT_OWNED), err);
	if (r == -ENOENT && !named && (flags & CONF_LOAD_DEFAULT_OPTIONAL)) {
		/* without a file named, module arguments alone may configure everything */
		oidc_err_clear(err);
		r = 0;
	} else if (r < 0) {
		goto out;
	} else {
		from_file = true;
	}
	r = conf_apply_scope(conf, argc, argv, CONF_IN_FILE, (flags & CONF_LOAD_MODULE) != 0,
			     &nargs, err);
	if (r < 0 || (flags & CONF_LOAD_NO_VALIDATE))
		goto out;
	oidc_err_clear(&verr);
	r = conf_validate(conf, &verr);
	if (r < 0 && from_file && nargs == 0)
		oidc_err_set(err, verr.reason, -r, "%s: %s", file, verr.msg);
	else if (r < 0)
		oidc_err_set(err, verr.reason, -r, "%s", verr.msg);
out:
	if (r < 0)
		conf_free(conf);
	return r;
}

/* NULL-terminated list of the file's option names, in table order. */
const char *const *
conf_option_names(void)
{
	static const char *const names[] = { CONF_OPTION_LIST(CONF_NAME) NULL };

	return names;
}

/* NULL-terminated list of the module-only option names, in table order. */
const char *const *
conf_module_option_names(void)
{
	static const char *const names[] = { CONF_MODULE_OPTION_LIST(CONF_NAME) NULL };

	return names;
}
