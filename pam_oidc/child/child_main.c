/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * oidc-child: the network and JOSE half of a login, exec'd by pam_oidc.so
 * with an empty environment and the socketpair on fd 3 (child_proto.h).
 * It reads the request, runs login_flow_run(), tells the module the code
 * as soon as it has one, and answers with the verified identity or a
 * precise reason.  It never logs: nothing secret can leak through stderr.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chan.h"
#include "child_proto.h"
#include "clock.h"
#include "conf.h"
#include "device_flow.h"
#include "http.h"
#include "identity.h"
#include "login_flow.h"
#include "oidc_err.h"
#include "usermap.h"

/* How long the module may take to send its request. */
#define REQUEST_TIMEOUT_MS 10000
/* Beyond the flow's timeout, how long a line may wait for the module to read. */
#define SEND_GRACE_S 10
#define MAX_ARGS 128

struct child {
	struct chan c;
	const struct oidc_conf *conf;
	int64_t send_deadline_ms; /* until when a line to the module may wait for room */
};

struct request {
	char *args[MAX_ARGS];
	int nargs;
	char *config;
	char *user;
	char *service;
};

static void
request_free(struct request *rq)
{
	int i;

	for (i = 0; i < rq->nargs; i++)
		free(rq->args[i]);
	free(rq->config);
	free(rq->user);
	free(rq->service);
}

static int
set_once(char **slot, const char *value)
{
	if (*slot != NULL)
		return -EPROTO;
	*slot = strdup(value);
	return *slot != NULL ? 0 : -ENOMEM;
}

static int
read_request(struct chan *c, struct request *rq, struct oidc_err *err)
{
	int64_t end = clock_mono_ms() + REQUEST_TIMEOUT_MS;
	char *key, *value;
	int r;

	for (;;) {
		r = chan_recv(c, end, &key, &value);
		if (r == -ETIMEDOUT)
			return oidc_err_set(err, OIDC_R_USAGE, ETIMEDOUT, "no request from the module");
		if (r == -EBADMSG)
			return oidc_err_set(err, OIDC_R_USAGE, EPROTO, "malformed request line");
		if (r < 0)
			return oidc_err_set(err, OIDC_R_USAGE, -r, "cannot read the request");
		if (strcmp(key, "start") == 0)
			break;
		if (strcmp(key, "arg") == 0) {
			if (rq->nargs >= MAX_ARGS)
				return oidc_err_set(err, OIDC_R_USAGE, E2BIG, "too many arguments");
			rq->args[rq->nargs] = strdup(value);
			if (rq->args[rq->nargs] == NULL)
				return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
			rq->nargs++;
			r = 0;
		} else if (strcmp(key, "config") == 0) {
			r = set_once(&rq->config, value);
		} else if (strcmp(key, "user") == 0) {
			r = set_once(&rq->user, value);
		} else if (strcmp(key, "service") == 0) {
			r = set_once(&rq->service, value);
		} else {
			return oidc_err_set(err, OIDC_R_USAGE, EPROTO, "unknown request line %s", key);
		}
		if (r < 0)
			return oidc_err_set(err, OIDC_R_USAGE, -r, "repeated or bad request line %s", key);
	}
	if (rq->user == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EPROTO, "the request names no user");
	return 0;
}

/*
 * The module's configuration, loaded as the module loads it (conf_load):
 * the file it named (or the default one, which may be missing), owned by
 * root, then the arguments it passed.
 */
static int
load_conf(const struct request *rq, struct oidc_conf *conf, struct oidc_err *err)
{
	const char *argv[MAX_ARGS];
	int r, i;

	for (i = 0; i < rq->nargs; i++)
		argv[i] = rq->args[i];
	r = conf_load(conf, rq->config, rq->nargs, argv,
		      CONF_LOAD_ROOT_OWNED | CONF_LOAD_DEFAULT_OPTIONAL, err);
	if (r < 0)
		return oidc_err_set(err, OIDC_R_CONFIG, -r, "invalid configuration");
	return 0;
}

static int
on_show(void *ctx, const struct device_auth *da, struct oidc_err *err)
{
	struct child *ch = ctx;
	struct chan *c = &ch->c;
	int64_t end = ch->send_deadline_ms;
	char n[32];
	int r;

	(void)err;
	snprintf(n, sizeof(n), "%lld", (long long)da->expires_in);
	if ((r = chan_send(c, "verification_uri", da->verification_uri, end)) < 0)
		return r;
	/* the complete URI carries the code: a phishing aid unless wanted */
	if (da->verification_uri_complete != NULL && ch->conf->show_complete_uri &&
	    (r = chan_send(c, "verification_uri_complete", da->verification_uri_complete, end)) < 0)
		return r;
	if ((r = chan_send(c, "user_code", da->user_code, end)) < 0 ||
	    (r = chan_send(c, "expires_in", n, end)) < 0 ||
	    (r = chan_send(c, "shown", NULL, end)) < 0)
		return r;
	return 0;
}

/* Between polls: sleep, but wake at once when the module cancels or goes away. */
static int
on_wait(void *ctx, int64_t ms, struct oidc_err *err)
{
	struct chan *c = &((struct child *)ctx)->c;
	char *key, *value;
	int r;

	r = chan_recv(c, clock_mono_ms() + ms, &key, &value);
	if (r == -ETIMEDOUT)
		return 0;
	if (r == -EBADMSG || (r == 0 && strcmp(key, "cancel") != 0))
		return oidc_err_set(err, OIDC_R_USAGE, EPROTO, "unexpected line from the module");
	if (r < 0)
		return oidc_err_set(err, OIDC_R_DENIED, ECANCELED, "the module went away");
	return oidc_err_set(err, OIDC_R_DENIED, ECANCELED, "cancelled by the module");
}

/*
 * A step of the flow ended: tell the module, which logs it with debug.
 * The step's name becomes a token ("device code" -> "device_code").  A
 * step line that cannot go out is no reason to stop: the answer that
 * follows reports a broken socket anyway.
 */
static void
on_step(void *ctx, enum login_step step, int r, int64_t elapsed_ms, const char *detail,
	const struct oidc_err *err)
{
	struct child *ch = ctx;
	char name[CHILD_PROTO_MAX_STEP_NAME + 1], why[sizeof(err->msg) + 32];
	char value[CHILD_PROTO_MAX_STEP_NAME + CHILD_PROTO_MAX_STEP_DETAIL + 64];
	size_t i;

	snprintf(name, sizeof(name), "%s", login_step_name(step));
	for (i = 0; name[i] != '\0'; i++)
		if (name[i] == ' ')
			name[i] = '_';
	if (r < 0) {
		/* the same reason and message a "fail" line carries */
		snprintf(why, sizeof(why), "%s: %s",
			 child_proto_reason_token(err != NULL ? err->reason : OIDC_R_INTERNAL),
			 err != NULL ? err->msg : "");
		detail = why;
	}
	if (child_proto_step_format(name, r == 0, elapsed_ms, detail, value, sizeof(value)) == 0)
		(void)chan_send(&ch->c, "step", value, ch->send_deadline_ms);
	explicit_bzero(value, sizeof(value));
}

/* One protocol line per identity field. */
static int
send_field(void *ctx, const char *name, const char *value)
{
	struct child *ch = ctx;

	return chan_send(&ch->c, name, value, ch->send_deadline_ms);
}

static int
send_identity(struct child *ch, const struct oidc_identity *id)
{
	int r;

	if ((r = oidc_identity_encode(id, send_field, ch)) < 0)
		return r;
	return chan_send(&ch->c, "ok", NULL, ch->send_deadline_ms);
}

static int
send_fail(struct child *ch, const struct oidc_err *err)
{
	char v[sizeof(err->msg) + 32];
	enum oidc_reason reason = err->reason != OIDC_R_NONE ? err->reason : OIDC_R_INTERNAL;

	snprintf(v, sizeof(v), "%s %s", child_proto_reason_token(reason),
		 err->msg[0] != '\0' ? err->msg : oidc_reason_name(reason));
	return chan_send(&ch->c, "fail", v, ch->send_deadline_ms);
}

/* 0, 1 and 2 on /dev/null when missing; nothing above CHILD_PROTO_FD open. */
static int
sanitize_fds(void)
{
	struct stat st;
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		if (open("/dev/null", O_RDWR) != fd)
			return -EBADF;
	}
	if (fstat(CHILD_PROTO_FD, &st) < 0 || !S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	if (close_range(CHILD_PROTO_FD + 1, ~0U, 0) < 0) {
		for (fd = CHILD_PROTO_FD + 1; fd < 1024; fd++)
			close(fd);
	}
	if (fcntl(CHILD_PROTO_FD, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

/* oidc-child: exit 0 after an "ok" answer, 1 after a "fail", 2 when not started as the module does. */
int
main(int argc, char **argv)
{
	struct child ch = { .conf = NULL };
	struct chan *c = &ch.c;
	struct request rq = { 0 };
	struct oidc_conf conf;
	struct oidc_err err;
	struct oidc_identity *id = NULL;
	struct login_flow_ops ops = { .show = on_show, .wait = on_wait, .step = on_step };
	bool conf_ready = false;
	int r, status = 1;

	(void)argc;
	(void)argv;
	/*
	 * libcurl and OpenSSL read SSLKEYLOGFILE, *_proxy and more from the
	 * environment; the module execs us with none, and we make sure.
	 */
	clearenv();
	umask(077);
	signal(SIGPIPE, SIG_IGN);
	if (sanitize_fds() < 0)
		return 2;
	chan_init(c, CHILD_PROTO_FD);
	oidc_err_clear(&err);

	r = read_request(c, &rq, &err);
	if (r < 0)
		goto done;
	r = load_conf(&rq, &conf, &err);
	conf_ready = true;
	if (r < 0)
		goto done;
	if (http_global_init() < 0) {
		r = oidc_err_set(&err, OIDC_R_INTERNAL, EIO, "cannot initialise libcurl");
		goto done;
	}
	ch.conf = &conf;
	/* the module reads while it lives; it is killed past the flow's deadline */
	ch.send_deadline_ms = clock_mono_ms() + (conf.timeout + SEND_GRACE_S) * 1000;
	r = login_flow_run(&conf, rq.user, &ops, &ch, &id, &err);
	/* refused here with a reason rather than half sent and refused by the module */
	if (r == 0 && oidc_identity_check(id) < 0)
		r = oidc_err_set(
			&err, OIDC_R_CLAIM, EINVAL,
			"the identity has a value the module cannot take (a control character, or over %d bytes)",
			IDENTITY_MAX_FIELD);
done:
	if (ch.send_deadline_ms == 0)
		ch.send_deadline_ms = clock_mono_ms() + REQUEST_TIMEOUT_MS;
	if (r == 0)
		r = send_identity(&ch, id);
	else
		r = send_fail(&ch, &err);
	status = r == 0 && id != NULL ? 0 : 1;
	oidc_identity_free(id);
	if (conf_ready)
		conf_free(&conf);
	request_free(&rq);
	chan_close(c);
	/*
	 * The module waits for this exit before the login goes on
	 * (tests/bench/login_cost.sh).  What is ours is wiped and freed
	 * above; the libraries' global teardown (libcurl closing the kept-alive
	 * TLS connection, OpenSSL's atexit cleanup) is milliseconds the kernel
	 * does for nothing at _exit.  The verdict is sent: nothing else is owed.
	 */
	_exit(status);
}
