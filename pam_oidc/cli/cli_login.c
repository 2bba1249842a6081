/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam-oidc login: the administrator's dry run of a login.  It runs
 * login_flow_run(), the very function oidc-child runs for the module, in
 * the terminal and prints every step with its elapsed time.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "conf.h"
#include "http.h"
#include "login_flow.h"
#include "oidc_err.h"
#include "qr.h"
#include "usermap.h"

struct login_ui {
	FILE *out;
	const struct oidc_conf *conf;
	bool qr;
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: pam-oidc login [--config FILE] [--user NAME]\n");
}

/* Print a provider-supplied string with every control or non-ASCII byte as '?'. */
static void
put_clean(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		fputc((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?', f);
}

static void
put_time(FILE *f, int64_t elapsed_ms)
{
	fprintf(f, "[%4lld.%03llds] ", (long long)(elapsed_ms / 1000), (long long)(elapsed_ms % 1000));
}

static void
ui_step(void *ctx, enum login_step step, int r, int64_t elapsed_ms, const char *detail,
	const struct oidc_err *err)
{
	struct login_ui *ui = ctx;

	put_time(ui->out, elapsed_ms);
	fprintf(ui->out, "%-12s ", login_step_name(step));
	if (r == 0) {
		fputs("ok", ui->out);
		if (detail != NULL && detail[0] != '\0') {
			fputs("  ", ui->out);
			put_clean(ui->out, detail);
		}
	} else {
		fprintf(ui->out, "FAILED  %s: ",
			oidc_reason_name(err != NULL ? err->reason : OIDC_R_INTERNAL));
		put_clean(ui->out, err != NULL ? err->msg : "");
	}
	fputc('\n', ui->out);
	fflush(ui->out);
}

static int
ui_show(void *ctx, const struct device_auth *da, struct oidc_err *err)
{
	struct login_ui *ui = ctx;

	(void)err;
	fputs("\n    To sign in, open  ", ui->out);
	put_clean(ui->out, da->verification_uri);
	fputs("\n    and enter the code  ", ui->out);
	put_clean(ui->out, da->user_code);
	fputc('\n', ui->out);
	if (ui->qr) {
		char *drawing = NULL;

		/* the QR code only adds to the text, as in the module */
		if (qr_render(da->verification_uri, &drawing, NULL) == 0)
			fprintf(ui->out, "\n%s", drawing);
		free(drawing);
	}
	if (ui->conf->show_complete_uri && da->verification_uri_complete != NULL) {
		fputs("    (or open  ", ui->out);
		put_clean(ui->out, da->verification_uri_complete);
		fputs(" )\n", ui->out);
	}
	fprintf(ui->out, "    The code expires in %lld s; nothing to press here, this waits.\n\n",
		(long long)da->expires_in);
	fflush(ui->out);
	return 0;
}

static int
ui_wait(void *ctx, int64_t ms, struct oidc_err *err)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	(void)ctx;
	(void)err;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}

/* qr = on, off, or auto: a terminal on stdout whose locale can draw half blocks. */
static bool
want_qr(const struct oidc_conf *conf)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char *locale = NULL, *v;
	size_t i;

	if (conf->qr == CONF_QR_ON)
		return true;
	if (conf->qr == CONF_QR_OFF || !isatty(STDOUT_FILENO))
		return false;
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]) && locale == NULL; i++)
		if ((v = secure_getenv(vars[i])) != NULL && v[0] != '\0')
			locale = v;
	return qr_auto_wanted(locale);
}

static char *
invoking_user(void)
{
	struct passwd pw, *res = NULL;
	char buf[16384];

	if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return NULL;
	return strdup(pw.pw_name);
}

/* Run `pam-oidc login`; returns 0 when the user would be admitted, 1 when not, 2 on errors. */
int
cli_login(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = OIDC_CONF_DEFAULT_PATH;
	char *user = NULL;
	struct oidc_conf conf;
	struct oidc_err err;
	struct oidc_identity *id = NULL;
	struct login_ui ui = { .out = stdout, .conf = &conf };
	struct login_flow_ops ops = { .show = ui_show, .wait = ui_wait, .step = ui_step };
	bool conf_ready = false, http_ready = false;
	int64_t start_ms;
	int c, r, status = 2;

	oidc_err_clear(&err);
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:u:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'u':
			free(user);
			user = strdup(optarg);
			break;
		case 'h':
			usage(stdout);
			status = 0;
			goto out;
		default:
			usage(stderr);
			goto out;
		}
	}
	if (optind != argc) {
		usage(stderr);
		goto out;
	}
	if (user == NULL && (user = invoking_user()) == NULL) {
		fprintf(stderr, "pam-oidc login: cannot tell who you are; use --user NAME\n");
		goto out;
	}
	if (!usermap_name_valid(user)) {
		fprintf(stderr, "pam-oidc login: not a valid user name\n");
		goto out;
	}
	/* the module's loader; the file may belong to the invoking user */
	r = conf_load(&conf, path, 0, NULL, 0, &err);
	conf_ready = true;
	if (r < 0) {
		fprintf(stderr, "pam-oidc login: %s\n",
			err.msg[0] != '\0' ? err.msg : strerror(-r));
		goto out;
	}
	ui.qr = want_qr(&conf);
	/*
	 * Like oidc-child, which the module starts with an empty environment:
	 * SSLKEYLOGFILE, *_proxy and friends must not change what is tested.
	 */
	clearenv();
	if (http_global_init() < 0) {
		fprintf(stderr, "pam-oidc login: cannot initialise libcurl\n");
		goto out;
	}
	http_ready = true;
	printf("pam-oidc login: user %s, issuer ", user);
	put_clean(stdout, conf.issuer);
	printf(", client %s, deadline %lld s\n", conf.client_id, (long long)conf.timeout);
	fflush(stdout);

	start_ms = clock_mono_ms();
	r = login_flow_run(&conf, user, &ops, &ui, &id, &err);
	put_time(stdout, clock_mono_ms() - start_ms);
	if (r == 0) {
		printf("verdict      ADMIT %s\n", id->user);
		printf("    issuer    ");
		put_clean(stdout, id->issuer);
		printf("\n    subject   ");
		put_clean(stdout, id->subject);
		printf("\n    username  ");
		put_clean(stdout, id->username);
		printf("\n    email     ");
		put_clean(stdout, id->email);
		printf("\n    auth_time %lld\n    acr       ", (long long)id->auth_time);
		put_clean(stdout, id->acr);
		printf("\n");
		status = 0;
	} else {
		printf("verdict      REFUSE %s (%s: ", user, oidc_reason_name(err.reason));
		put_clean(stdout, err.msg);
		printf(")\n");
		status = err.reason == OIDC_R_CONFIG || err.reason == OIDC_R_USAGE ? 2 : 1;
	}
out:
	oidc_identity_free(id);
	if (http_ready)
		http_global_cleanup();
	if (conf_ready)
		conf_free(&conf);
	free(user);
	return status;
}
