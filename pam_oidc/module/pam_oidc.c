/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam_oidc.so: the PAM entry points.  This is the only file that knows PAM
 * return codes; everything below it returns a negative errno and fills a
 * struct oidc_err, and pam_code() translates once.  No network and no JOSE
 * happen in this process: oidc-child does them (DESIGN.md, "Processes").
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#define PAM_SM_AUTH
#define PAM_SM_ACCOUNT
#define PAM_SM_SESSION
#include <security/pam_modules.h>
#include <security/pam_ext.h>

#include "buf.h"
#include "child_spawn.h"
#include "clock.h"
#include "conf.h"
#include "converse.h"
#include "identity.h"
#include "journal_fields.h"
#include "journal_names.h"
#include "numparse.h"
#include "oidc_err.h"
#include "pending.h"
#include "qr.h"
#include "registry.h"
#include "sanitize.h"
#include "session.h"

#define MODULE_DATA_SESSION "pam_oidc_audit_session"
#define MODULE_DATA_HANDLE  "pam_oidc_pending_handle" /* the handle, out of the user's reach */
#define CHILD_GRACE_S 5		/* beyond the device-flow timeout before the child is killed */
#define SHOW_MAX 1024		/* a link or code as shown */
#define HOST_MAX 256

/*
 * The configuration of each phase.  The module-only arguments (config,
 * fail_delay, pending_dir, registry_dir, require_record) are read first
 * and alone, for every phase; authentication then loads the whole
 * configuration: the file, which must belong to root as oidc-child
 * requires, then every argument over it.
 */
#define LOAD_MODULE_ARGS (CONF_LOAD_MODULE | CONF_LOAD_MODULE_ONLY)
#define LOAD_FULL	 (CONF_LOAD_MODULE | CONF_LOAD_ROOT_OWNED | CONF_LOAD_DEFAULT_OPTIONAL)

/* Internal errnos with a fixed meaning for pam_code(). */
#define E_VERDICT EACCES	/* a denial: by the person, the provider, the token or policy */
#define E_NO_USER ESRCH		/* PAM_USER is not a local account */

/* The one translation from errno and reason to a PAM return code. */
static int
pam_code(int r, const struct oidc_err *err)
{
	if (r >= 0)
		return PAM_SUCCESS;
	switch (-r) {
	case ENOTCONN:
	case ECONNABORTED:
		return PAM_CONV_ERR;
	case ENOMEM:
		return PAM_BUF_ERR;
	case E_NO_USER:
		return PAM_USER_UNKNOWN;
	case E_VERDICT:
		break;
	default:
		/* our own deadline, a broken child, config, files: infrastructure */
		return PAM_AUTHINFO_UNAVAIL;
	}
	switch (err->reason) {
	/*
	 * Not well formed: a provider's answer (token endpoint, device
	 * authorization, JWKS) or token that came over verified TLS and
	 * judged nobody's login; a broken provider, not a denial that
	 * pam_faillock should count against the person.
	 */
	case OIDC_R_MALFORMED:
	case OIDC_R_NETWORK:
	case OIDC_R_HTTP:
	case OIDC_R_TOO_LARGE:
	case OIDC_R_DISCOVERY:
	case OIDC_R_THROTTLED:
	case OIDC_R_CONFIG:
	case OIDC_R_INTERNAL:
	case OIDC_R_USAGE:
	case OIDC_R_NO_KEY:
	case OIDC_R_BAD_KEY:
		return PAM_AUTHINFO_UNAVAIL;
	default:
		/* denied, expired, bad token, wrong user: fail closed */
		return PAM_AUTH_ERR;
	}
}

static const char *
item_str(pam_handle_t *pamh, int item)
{
	const void *v = NULL;

	if (pam_get_item(pamh, item, &v) != PAM_SUCCESS)
		return NULL;
	return v;
}

/* require_publickey: sshd lists the methods that already succeeded in SSH_AUTH_INFO_0. */
static bool
publickey_accepted(pam_handle_t *pamh)
{
	const char *info = pam_getenv(pamh, "SSH_AUTH_INFO_0");
	const char *line;

	for (line = info; line != NULL && *line != '\0'; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, "publickey ", 10) == 0)
			return true;
	}
	return false;
}

/* What the child shows the person, sanitised. */
struct prompt_data {
	char uri[SHOW_MAX];
	char uri_complete[SHOW_MAX];
	char code[SHOW_MAX];
};

/* A "fail <reason> <message>" answer of the child, as the verdict it is. */
static int
child_failed(char *value, struct oidc_err *err)
{
	enum oidc_reason reason;
	char *sp;

	sp = strchr(value, ' ');
	if (sp != NULL)
		*sp++ = '\0';
	reason = child_proto_reason_from_token(value);
	return oidc_err_set(err, reason, E_VERDICT, "%s",
			    sp != NULL ? sp : oidc_reason_name(reason));
}

/* Keep a link or code only whole: a truncated link would send people elsewhere. */
static int
keep_word(const char *value, char *out, size_t outsz, struct oidc_err *err)
{
	if (sanitize_word(value, out, outsz) < 0)
		return oidc_err_set(err, OIDC_R_TOO_LARGE, EPROTO,
				    "the provider sent an over-long verification link or code");
	return 0;
}

/* The talk with oidc-child: its channel, and what its step lines need. */
struct child_talk {
	pam_handle_t *pamh;
	struct child_proc *c;
	const char *user;
	bool debug;	/* log the step lines */
	unsigned steps; /* step lines received */
};

/*
 * A "step" line: with debug, one LOG_DEBUG line per step, the first
 * CHILD_PROTO_MAX_STEPS only; without, nothing.  A debug aid never changes
 * the outcome, so a malformed one is dropped (child_proto.h).  The child
 * keeps secrets out of steps; the detail is sanitised like every string
 * from the provider before it reaches syslog.
 */
static void
child_step(struct child_talk *t, char *value)
{
	struct child_proto_step st;
	char detail[CHILD_PROTO_MAX_STEP_DETAIL + 1];

	if (!t->debug || ++t->steps > CHILD_PROTO_MAX_STEPS)
		return;
	if (child_proto_step_parse(value, &st) < 0) {
		pam_syslog(t->pamh, LOG_DEBUG,
			   "OIDC login as %s: oidc-child sent a malformed step line", t->user);
		return;
	}
	(void)sanitize_text(st.detail, detail, sizeof(detail));
	pam_syslog(t->pamh, LOG_DEBUG, "OIDC login as %s: step %s %s after %lld ms%s%s", t->user,
		   st.name, st.ok ? "ok" : "failed", (long long)st.elapsed_ms,
		   detail[0] != '\0' ? ": " : "", detail);
}

/* The next line from oidc-child that is not a step line. */
static int
child_next(struct child_talk *t, char **ret_key, char **ret_value, struct oidc_err *err)
{
	char *key, *value;
	int r;

	for (;;) {
		if ((r = child_recv(t->c, &key, &value, err)) < 0)
			return r;
		if (strcmp(key, "step") != 0)
			break;
		child_step(t, value);
	}
	*ret_key = key;
	*ret_value = value;
	return 0;
}

static int
recv_prompt(struct child_talk *t, struct prompt_data *p, struct oidc_err *err)
{
	char *key, *value;
	int r;

	memset(p, 0, sizeof(*p));
	for (;;) {
		if ((r = child_next(t, &key, &value, err)) < 0)
			return r;
		if (strcmp(key, "shown") == 0)
			break;
		if (strcmp(key, "verification_uri") == 0)
			r = keep_word(value, p->uri, sizeof(p->uri), err);
		else if (strcmp(key, "verification_uri_complete") == 0)
			r = keep_word(value, p->uri_complete, sizeof(p->uri_complete), err);
		else if (strcmp(key, "user_code") == 0)
			r = keep_word(value, p->code, sizeof(p->code), err);
		else if (strcmp(key, "expires_in") == 0)
			r = 0;
		else if (strcmp(key, "fail") == 0)
			return child_failed(value, err);
		else
			return oidc_err_set(err, OIDC_R_MALFORMED, EPROTO,
					    "oidc-child sent an unexpected line before the code");
		if (r < 0)
			return r;
	}
	if (p->uri[0] == '\0' || p->code[0] == '\0')
		return oidc_err_set(err, OIDC_R_MALFORMED, EPROTO,
				    "the provider gave no usable verification link or user code");
	return 0;
}

/* The identity lines up to "ok", through the one identity codec. */
static int
recv_identity(struct child_talk *t, struct oidc_identity *id, struct oidc_err *err)
{
	struct oidc_identity_decoder dec;
	char *key, *value;
	int r;

	oidc_identity_decoder_init(&dec);
	for (;;) {
		if ((r = child_next(t, &key, &value, err)) < 0)
			goto out;
		if (strcmp(key, "ok") == 0)
			break;
		if (strcmp(key, "fail") == 0) {
			r = child_failed(value, err);
			goto out;
		}
		r = oidc_identity_decode(&dec, key, value);
		if (r == -ENOMEM) {
			r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
			goto out;
		}
		if (r == -ENOENT) {
			r = oidc_err_set(err, OIDC_R_MALFORMED, EPROTO,
					 "oidc-child sent an unexpected line \"%s\" in its answer",
					 key);
			goto out;
		}
		if (r < 0) {
			r = oidc_err_set(
				err, OIDC_R_MALFORMED, EPROTO,
				"oidc-child sent a malformed or repeated identity field \"%s\"",
				key);
			goto out;
		}
	}
	if (oidc_identity_decode_finish(&dec, id) < 0) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EPROTO,
				 "oidc-child answered ok without a complete identity");
		goto out;
	}
	r = 0;
out:
	oidc_identity_decoder_clear(&dec);
	return r;
}

static bool
want_qr(pam_handle_t *pamh, enum conf_qr mode)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char *v;
	size_t i;

	if (mode != CONF_QR_AUTO)
		return mode == CONF_QR_ON;
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		v = pam_getenv(pamh, vars[i]);
		if (v == NULL || v[0] == '\0')
			v = secure_getenv(vars[i]);
		if (v != NULL && v[0] != '\0')
			return qr_auto_wanted(v);
	}
	return qr_auto_wanted(NULL);
}

/* Show the link and code, then wait for Enter.  The child polls meanwhile. */
static int
show_code(pam_handle_t *pamh, const struct oidc_conf *conf, const char *user,
	  const struct prompt_data *p, struct oidc_err *err)
{
	char host[HOST_MAX] = "this host";
	char *text = NULL, *prompt = NULL, *qr = NULL;
	const char *link;
	int r;

	if (gethostname(host, sizeof(host) - 1) < 0)
		snprintf(host, sizeof(host), "this host");
	host[sizeof(host) - 1] = '\0';
	link = conf->show_complete_uri && p->uri_complete[0] != '\0' ? p->uri_complete : p->uri;
	if (asprintf(&text, "To log in as %s on %s, open\n\n    %s\n\nand enter the code\n\n    %s\n",
		     user, host, p->uri, p->code) < 0) {
		text = NULL;
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	if ((r = converse_info(pamh, text)) < 0)
		goto conv_failed;
	if (conf->show_complete_uri && p->uri_complete[0] != '\0') {
		free(text);
		if (asprintf(&text, "or open this link, which carries the code:\n\n    %s\n",
			     p->uri_complete) < 0) {
			text = NULL;
			r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
			goto out;
		}
		if ((r = converse_info(pamh, text)) < 0)
			goto conv_failed;
	}
	if (want_qr(pamh, conf->qr) && qr_render(link, &qr, NULL) == 0 &&
	    (r = converse_info(pamh, qr)) < 0)
		goto conv_failed;
	/* again in the prompt: sshd < 10.3 and PAM_SILENT callers drop info text */
	if (asprintf(&prompt, "Open %s and enter the code %s, then press Enter once you have signed in: ",
		     p->uri, p->code) < 0) {
		prompt = NULL;
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	if ((r = converse_prompt_enter(pamh, prompt)) < 0)
		goto conv_failed;
	r = 0;
	goto out;
conv_failed:
	r = oidc_err_set(err, OIDC_R_DENIED, -r,
			 "the conversation could not show the code or was answered with an error (no interactive terminal?)");
out:
	secure_free_str(text);
	secure_free_str(prompt);
	free(qr);
	return r;
}

/* The device flow through oidc-child; on success id holds the identity for user. */
static int
run_child(pam_handle_t *pamh, int argc, const char **argv, const struct oidc_conf *conf,
	  const char *user, const char *service, struct oidc_identity *id, int64_t *ret_answer_us,
	  struct oidc_err *err)
{
	struct child_proc c;
	struct child_talk t = { .pamh = pamh, .c = &c, .user = user, .debug = conf->debug };
	struct prompt_data p;
	int64_t deadline;
	bool cancel = true;
	int i, r;

	deadline = clock_mono_ms() + (int64_t)(conf->timeout + CHILD_GRACE_S) * 1000;
	if ((r = child_spawn(conf->child_path, deadline, &c, err)) < 0)
		return r;
	/* the child gets the configuration's arguments, not the module's own */
	for (i = 0; i < argc && r >= 0; i++)
		if (argv[i] != NULL && !conf_arg_module_only(argv[i]))
			r = child_send(&c, "arg", argv[i], err);
	if (r >= 0 && conf->config != NULL)
		r = child_send(&c, "config", conf->config, err);
	if (r >= 0)
		r = child_send(&c, "user", user, err);
	if (r >= 0)
		r = child_send(&c, "service", service != NULL ? service : "", err);
	if (r >= 0)
		r = child_send(&c, "start", NULL, err);
	if (r < 0)
		goto out;
	if ((r = recv_prompt(&t, &p, err)) < 0)
		goto out;
	if ((r = show_code(pamh, conf, user, &p, err)) < 0)
		goto out;
	if ((r = recv_identity(&t, id, err)) < 0)
		goto out;
	*ret_answer_us = clock_mono_us();
	cancel = false;
	/* the child checked this too; the module never trusts a single check */
	if (strcmp(id->user, user) != 0) {
		r = oidc_err_set(err, OIDC_R_USER, E_VERDICT,
				 "the signed-in identity maps to another local user");
		goto out;
	}
	if (strcmp(id->issuer, conf->issuer) != 0) {
		r = oidc_err_set(err, OIDC_R_ISSUER, E_VERDICT,
				 "oidc-child reported an identity from another issuer");
		goto out;
	}
	r = 0;
out:
	child_finish(&c, cancel, r < 0 ? 0 : 1000, NULL);
	explicit_bzero(&p, sizeof(p));
	return r;
}

static void
log_failure(pam_handle_t *pamh, const struct session_ctx *ctx, int r, const struct oidc_err *err)
{
	char msg[sizeof(err->msg)];
	const char *reason;

	(void)sanitize_text(err->msg[0] != '\0' ? err->msg : strerror(-r), msg, sizeof(msg));
	reason = err->reason != OIDC_R_NONE ? child_proto_reason_token(err->reason) : "internal";
	if (reason == NULL)
		reason = "internal";
	pam_syslog(pamh, pam_code(r, err) == PAM_AUTHINFO_UNAVAIL ? LOG_ERR : LOG_NOTICE,
		   "OIDC login as %s via %s from %s failed (%s): %s",
		   ctx->user != NULL ? ctx->user : "(unknown)",
		   ctx->service != NULL ? ctx->service : "(unknown)",
		   ctx->rhost != NULL ? ctx->rhost : "(local)", reason, msg);
	(void)session_log_failure(ctx, reason, msg);
}

/*
 * Tell the person why the login failed, in one sentence: the class of the
 * failure and its reason token, never the detail (that is in the log), so
 * nothing from the provider or the token reaches the screen.
 */
static void
tell_failure(pam_handle_t *pamh, int code, const struct oidc_err *err)
{
	char text[320];
	const char *reason = err->reason != OIDC_R_NONE ? child_proto_reason_token(err->reason)
							: NULL;
	const char *what;

	if (reason == NULL)
		reason = "internal";
	if (code == PAM_AUTHINFO_UNAVAIL) {
		snprintf(
			text, sizeof(text),
			"Single sign-on is unavailable (%s): the identity provider could not be used. Try again later or tell your administrator; the details are in the system log.",
			reason);
		(void)converse_error(pamh, text);
		return;
	}
	switch (err->reason) {
	case OIDC_R_TIMEOUT:
		what = "the login was not completed in time";
		break;
	case OIDC_R_DENIED:
		what = "the login was denied";
		break;
	case OIDC_R_USER:
		what = "the signed-in account may not log in as this user";
		break;
	default:
		what = "the identity provider's answer did not pass the checks";
		break;
	}
	snprintf(text, sizeof(text), "Single sign-on failed (%s): %s.", reason, what);
	(void)converse_error(pamh, text);
}

static void
log_success(pam_handle_t *pamh, const struct session_ctx *ctx, const struct oidc_identity *id)
{
	char sub[SHOW_MAX], iss[SHOW_MAX];

	/* provider strings: printable only, whatever the syslog daemon does */
	(void)sanitize_text(id->subject, sub, sizeof(sub));
	(void)sanitize_text(id->issuer, iss, sizeof(iss));
	pam_syslog(pamh, LOG_INFO, "OIDC login as %s via %s from %s accepted for subject %s of %s",
		   ctx->user, ctx->service != NULL ? ctx->service : "(unknown)",
		   ctx->rhost != NULL ? ctx->rhost : "(local)", sub, iss);
}

static void
free_handle_data(pam_handle_t *pamh, void *data, int error_status)
{
	secure_free_str(data);
}

/*
 * Authenticate PAM_USER with the device flow.  PAM_SUCCESS only after
 * oidc-child answered with a verified identity that maps to exactly
 * PAM_USER; the identity then waits in a pending record for the session.
 */
PAM_EXTERN int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct oidc_err err;
	struct oidc_conf conf;
	struct oidc_identity id = { 0 };
	struct session_ctx ctx = { 0 };
	struct passwd pw, *pwp = NULL;
	char pwbuf[4096], handle[PENDING_HANDLE_LEN + 1], env[sizeof(PENDING_ENV) + PENDING_HANDLE_LEN + 1];
	const char *user = NULL;
	char *kept;
	int64_t delay_ms = CONF_FAIL_DELAY_DEFAULT_MS, answer_us = 0, reaped_us;
	bool shown = false; /* the person saw the probe: a failure is told too */
	int r, pr, code;

	oidc_err_clear(&err);
	r = conf_load(&conf, NULL, argc, argv, LOAD_MODULE_ARGS, &err);
	if (r == 0)
		delay_ms = conf.fail_delay;
	(void)pam_fail_delay(pamh, (unsigned)delay_ms * 1000u);
	ctx.service = item_str(pamh, PAM_SERVICE);
	ctx.rhost = item_str(pamh, PAM_RHOST);
	ctx.registry_dir = conf.registry_dir;
	if (r < 0)
		goto out;

	pr = pam_get_user(pamh, &user, NULL);
	if (pr != PAM_SUCCESS || user == NULL || user[0] == '\0') {
		user = NULL;
		r = oidc_err_set(&err, OIDC_R_USER, E_NO_USER, "no user name");
		goto out;
	}
	ctx.user = user;
	if (getpwnam_r(user, &pw, pwbuf, sizeof(pwbuf), &pwp) != 0 || pwp == NULL) {
		r = oidc_err_set(&err, OIDC_R_USER, E_NO_USER, "no such local user");
		goto out;
	}
	/* the user is known: now the whole configuration */
	conf_free(&conf);
	r = conf_load(&conf, NULL, argc, argv, LOAD_FULL, &err);
	ctx.registry_dir = conf.registry_dir;
	if (r < 0) {
		err.reason = OIDC_R_CONFIG;
		goto out;
	}
	if (conf.require_publickey && !publickey_accepted(pamh)) {
		r = oidc_err_set(&err, OIDC_R_DENIED, E_VERDICT,
				 "require_publickey is set and no public key was accepted first");
		goto out;
	}
	/* probe: no provider traffic unless someone can be shown the code */
	if ((r = converse_info(pamh, "Single sign-on: requesting a login code...")) < 0) {
		r = oidc_err_set(&err, OIDC_R_DENIED, -r,
				 "no usable conversation (non-interactive caller?); the provider was not contacted");
		goto out;
	}
	shown = true;
	if ((r = run_child(pamh, argc, argv, &conf, user, ctx.service, &id, &answer_us, &err)) < 0)
		goto out;
	reaped_us = clock_mono_us();
	if ((r = pending_write(conf.pending_dir, &id, handle, &err)) < 0)
		goto out;
	/* the module's own share after the answer (tests/bench/login_cost.sh) */
	if (conf.debug)
		pam_syslog(
			pamh, LOG_DEBUG,
			"OIDC login as %s: oidc-child reaped %lld us after its answer, pending record written in %lld us",
			user, (long long)(reaped_us - answer_us),
			(long long)(clock_mono_us() - reaped_us));
	/*
	 * When the session phase runs in this PAM handle (sudo), it takes the
	 * handle from the module data, which a ~/.pam_environment cannot
	 * reach; sshd brings back only the environment.
	 */
	kept = strdup(handle);
	if (kept == NULL ||
	    pam_set_data(pamh, MODULE_DATA_HANDLE, kept, free_handle_data) != PAM_SUCCESS) {
		secure_free_str(kept);
		explicit_bzero(handle, sizeof(handle));
		r = oidc_err_set(&err, OIDC_R_INTERNAL, ENOMEM, "cannot keep the session handle");
		goto out;
	}
	snprintf(env, sizeof(env), "%s=%s", PENDING_ENV, handle);
	pr = pam_putenv(pamh, env);
	explicit_bzero(env, sizeof(env));
	explicit_bzero(handle, sizeof(handle));
	if (pr != PAM_SUCCESS) {
		r = oidc_err_set(&err, OIDC_R_INTERNAL, ENOMEM, "cannot set the PAM environment");
		goto out;
	}
	log_success(pamh, &ctx, &id);
	r = 0;
out:
	code = pam_code(r, &err);
	if (r < 0)
		log_failure(pamh, &ctx, r, &err);
	/* a conversation that failed cannot be told; PAM_SILENT asks for no messages */
	if (r < 0 && shown && code != PAM_CONV_ERR && code != PAM_BUF_ERR && !(flags & PAM_SILENT))
		tell_failure(pamh, code, &err);
	oidc_identity_clear(&id);
	conf_free(&conf);
	explicit_bzero(pwbuf, sizeof(pwbuf));
	return code;
}

/* Credentials are the session's business here: nothing to set. */
PAM_EXTERN int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}

/* The account phase enforces nothing (the identity was checked in auth). */
PAM_EXTERN int
pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_IGNORE;
}

/* What open_session leaves for close_session in the same PAM handle. */
struct session_data {
	uint32_t session;
	bool created;	/* false: an entry of the same identity existed (sudo in ssh) */
};

static void
free_session_data(pam_handle_t *pamh, void *data, int error_status)
{
	free(data);
}

static int
export_identity(pam_handle_t *pamh, const struct oidc_identity *id)
{
	/* the journal's names: $OIDC_SUBJECT is what `journalctl OIDC_SUBJECT=` matches */
	const char *names[] = { OIDC_F_SUBJECT, OIDC_F_ISSUER, OIDC_F_USERNAME };
	const char *values[] = { id->subject, id->issuer, id->username };
	char *kv;
	size_t i;
	int pr;

	for (i = 0; i < 3; i++) {
		if (asprintf(&kv, "%s=%s", names[i], values[i]) < 0)
			return -ENOMEM;
		pr = pam_putenv(pamh, kv);
		free(kv);
		if (pr != PAM_SUCCESS)
			return -ENOMEM;
	}
	return 0;
}

/*
 * The account whose identity the session phase binds.  Normally PAM_USER.
 * sudo switches PAM_USER to the target account before the session phase but
 * authenticated the invoking one (PAM_RUSER); that one is the owner when the
 * kernel's audit login uid of this process is that account's, i.e. the
 * session really is its login.
 */
static const char *
session_owner(pam_handle_t *pamh)
{
	const char *user = item_str(pamh, PAM_USER);
	const char *ruser = item_str(pamh, PAM_RUSER);
	struct passwd pw, *pwp = NULL;
	char pwbuf[4096];
	uint32_t ses, luid;
	bool owner;

	if (ruser == NULL || ruser[0] == '\0' || (user != NULL && strcmp(user, ruser) == 0))
		return user;
	owner = session_audit_ids(&ses, &luid, NULL) == 0 &&
		getpwnam_r(ruser, &pw, pwbuf, sizeof(pwbuf), &pwp) == 0 && pwp != NULL &&
		pw.pw_uid == (uid_t)luid;
	explicit_bzero(pwbuf, sizeof(pwbuf));
	return owner ? ruser : user;
}

/*
 * Bind the identity of this login to the audit session: consume the
 * pending record, write the registry entry and the journald `login` entry,
 * export OIDC_SUBJECT, OIDC_ISSUER and OIDC_USERNAME.  PAM_IGNORE when the
 * login did not go through pam_oidc authentication.
 */
PAM_EXTERN int
pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct oidc_err err;
	struct oidc_conf conf;
	struct oidc_identity id = { 0 };
	struct session_ctx ctx = { 0 };
	char handle[PENDING_HANDLE_LEN + 2] = "";
	const void *kept = NULL;
	const char *h;
	struct session_data *data;
	uint32_t session;
	bool created, unrecorded = false;
	int r, jr = 0, ret = PAM_SESSION_ERR;

	oidc_err_clear(&err);
	r = conf_load(&conf, NULL, argc, argv, LOAD_MODULE_ARGS, &err);
	ctx.service = item_str(pamh, PAM_SERVICE);
	ctx.rhost = item_str(pamh, PAM_RHOST);
	ctx.user = session_owner(pamh);
	ctx.registry_dir = conf.registry_dir;
	ctx.require_record = conf.require_record;
	if (r < 0)
		goto out;
	/*
	 * The handle: from the module data when this PAM handle authenticated
	 * (sudo), else from the environment (sshd).  The environment is open
	 * to the user's ~/.pam_environment when pam_env runs first, so a
	 * missing handle is trusted only when no login of this user awaits
	 * its session: a fresh unconsumed record of the user means pam_oidc
	 * authenticated this login and the handle was stripped on the way.
	 */
	if (pam_get_data(pamh, MODULE_DATA_HANDLE, &kept) == PAM_SUCCESS && kept != NULL)
		h = kept;
	else
		h = pam_getenv(pamh, PENDING_ENV);
	if (h == NULL) {
		r = pending_fresh_for_user(conf.pending_dir, ctx.user, &err);
		if (r == 0) {
			ret = PAM_IGNORE;
			goto out;
		}
		if (r > 0)
			r = oidc_err_set(
				&err, OIDC_R_USAGE, EPERM,
				"this login was authenticated by pam_oidc but its session handle is missing from the PAM environment (is pam_env.so with user_readenv before pam_oidc.so in the session stack?)");
		goto out;
	}
	snprintf(handle, sizeof(handle), "%s", h);
	/* the handle is spent whatever happens; the shell must not see it */
	(void)pam_putenv(pamh, PENDING_ENV);
	(void)pam_set_data(pamh, MODULE_DATA_HANDLE, NULL, NULL);
	if ((r = pending_consume(conf.pending_dir, handle, ctx.user, &id, &err)) < 0)
		goto out;
	if ((r = session_open(&ctx, &id, &session, &created, &jr, &unrecorded, &err)) < 0)
		goto out;
	if (jr < 0)
		pam_syslog(
			pamh, LOG_WARNING,
			"OIDC session of %s opened without its journald login entry: the entry of audit session %" PRIu32
			" could not be written to %s (%s); require_record is not set",
			ctx.user != NULL ? ctx.user : "(unknown)", session, JF_JOURNAL_SOCKET,
			strerror(-jr));
	if ((r = export_identity(pamh, &id)) < 0) {
		oidc_err_set(&err, OIDC_R_INTERNAL, ENOMEM, "cannot set the PAM environment");
		goto out;
	}
	data = malloc(sizeof(*data));
	if (data != NULL) {
		data->session = session;
		data->created = created;
		if (pam_set_data(pamh, MODULE_DATA_SESSION, data, free_session_data) != PAM_SUCCESS)
			free(data);
	}
	ret = PAM_SUCCESS;
out:
	if (ret == PAM_SESSION_ERR) {
		char msg[sizeof(err.msg)];

		(void)sanitize_text(err.msg[0] != '\0' ? err.msg : strerror(-r), msg, sizeof(msg));
		pam_syslog(pamh, LOG_ERR, "cannot open the OIDC session of %s: %s",
			   ctx.user != NULL ? ctx.user : "(unknown)", msg);
		/* a journald that could not take the login entry gets no second one */
		if (!(unrecorded && jr < 0))
			(void)session_log_failure(&ctx, "session", msg);
		if (unrecorded && !(flags & PAM_SILENT))
			(void)converse_error(
				pamh,
				"Single sign-on: this login is refused because the audit record of the session could not be written. Tell your administrator; the details are in the system log.");
	}
	explicit_bzero(handle, sizeof(handle));
	oidc_identity_clear(&id);
	conf_free(&conf);
	return ret;
}

/*
 * Mark the registry entry this PAM handle opened closed and write the
 * journald `logout` entry.  Only what this handle opened: a sudo that
 * authenticated without pam_oidc (cached timestamp, NOPASSWD) or whose
 * session was refused runs in the ssh login's audit session, and must not
 * close that login's entry, so there is no fall-back to /proc/self/sessionid.
 */
PAM_EXTERN int
pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct oidc_err err;
	struct oidc_conf conf;
	struct session_ctx ctx = { 0 };
	const void *data = NULL;
	uint32_t session;
	int r, jr = 0, ret = PAM_SESSION_ERR;

	oidc_err_clear(&err);
	r = conf_load(&conf, NULL, argc, argv, LOAD_MODULE_ARGS, &err);
	ctx.service = item_str(pamh, PAM_SERVICE);
	ctx.rhost = item_str(pamh, PAM_RHOST);
	ctx.user = session_owner(pamh);
	ctx.registry_dir = conf.registry_dir;
	if (r < 0)
		goto out;
	/* an entry this handle did not create is not this handle's to close */
	if (pam_get_data(pamh, MODULE_DATA_SESSION, &data) != PAM_SUCCESS || data == NULL ||
	    !((const struct session_data *)data)->created) {
		ret = PAM_IGNORE;
		goto out;
	}
	session = ((const struct session_data *)data)->session;
	r = session_close(&ctx, session, &jr, &err);
	if (r == -ENOENT) {
		ret = PAM_IGNORE;
		goto out;
	}
	if (r < 0)
		goto out;
	if (jr < 0)
		pam_syslog(
			pamh, LOG_WARNING,
			"OIDC session of %s closed without its journald logout entry: the entry of audit session %" PRIu32
			" could not be written to %s (%s)",
			ctx.user != NULL ? ctx.user : "(unknown)", session, JF_JOURNAL_SOCKET,
			strerror(-jr));
	ret = PAM_SUCCESS;
out:
	if (ret == PAM_SESSION_ERR)
		pam_syslog(pamh, LOG_ERR, "cannot close the OIDC session of %s: %s",
			   ctx.user != NULL ? ctx.user : "(unknown)",
			   err.msg[0] != '\0' ? err.msg : strerror(-r));
	conf_free(&conf);
	return ret;
}
