/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The journal fields of an event (DESIGN.md, "Journal fields"): one list
 * that both sinks use, so journald and --output json carry the same data.
 * Values from the audit stream are untrusted: verbatim in their own field,
 * escaped (jf_escape) in MESSAGE.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_names.h"
#include "oidc_audit.h"

#define MESSAGE_DEFAULT_MAX 2048
#define MESSAGE_HARD_MAX 65536

/* See oidc_audit.h. */
int
fields_quote_argv(char **out, size_t *len, size_t *cap, char *const *argv, size_t argc)
{
	size_t i, j, need;
	char *o;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i] ? argv[i] : "";
		size_t al = strlen(a);
		bool plain = al > 0;

		for (j = 0; j < al && plain; j++) {
			unsigned char c = (unsigned char)a[j];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      strchr("-_./=:,+@%^", c) != NULL))
				plain = false;
		}
		/* worst case: every byte a quote -> '\'' (4 bytes) + 2 quotes + space */
		need = al * 4 + 4;
		if (*len + need + 1 > *cap) {
			size_t ncap = *cap ? *cap : 256;
			char *nd;

			while (ncap < *len + need + 1)
				ncap *= 2;
			nd = realloc(*out, ncap);
			if (nd == NULL)
				return -ENOMEM;
			*out = nd;
			*cap = ncap;
		}
		o = *out + *len;
		if (i > 0)
			*o++ = ' ';
		if (plain) {
			memcpy(o, a, al);
			o += al;
		} else {
			*o++ = '\'';
			for (j = 0; j < al; j++) {
				if (a[j] == '\'') {
					memcpy(o, "'\\''", 4);
					o += 4;
				} else {
					*o++ = a[j];
				}
			}
			*o++ = '\'';
		}
		*len = (size_t)(o - *out);
		(*out)[*len] = '\0';
	}
	if (*out == NULL) {
		*out = malloc(1);
		if (*out == NULL)
			return -ENOMEM;
		*cap = 1;
		(*out)[0] = '\0';
	}
	return 0;
}

/* Append printf-style text into a fixed message buffer; cuts silently. */
static void
msg_addf(char *m, size_t cap, size_t *o, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
msg_addf(char *m, size_t cap, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*o + 1 >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(m + *o, cap - *o, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*o += (size_t)n < cap - *o ? (size_t)n : cap - *o - 1;
}

static void
msg_add_untrusted(char *m, size_t cap, size_t *o, const char *s, size_t len)
{
	if (*o + 1 >= cap || s == NULL)
		return;
	*o += jf_escape(m + *o, cap - *o, s, len);
}

static const char *
op_verb(const char *op)
{
	static const struct { const char *op, *verb; } t[] = {
		{ "read", "read" }, { "write", "wrote" }, { "create", "created" },
		{ "delete", "deleted" }, { "rename", "renamed" }, { "chmod", "changed the mode of" },
		{ "chown", "changed the owner of" }, { "exec", "executed" }, { "link", "linked" },
		{ "symlink", "symlinked" }, { "mkdir", "created directory" }, { "rmdir", "removed directory" },
		{ "truncate", "truncated" }, { "setxattr", "changed attributes of" },
	};
	size_t i;

	if (op == NULL)
		return "accessed";
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(op, t[i].op) == 0)
			return t[i].verb;
	return NULL;
}

static void
msg_who(char *m, size_t cap, size_t *o, const struct audit_event *ev, const struct registry_entry *re)
{
	if (re != NULL) {
		const char *name = re->username ? re->username : re->user;
		size_t sl = strlen(re->subject);

		msg_add_untrusted(m, cap, o, name, strlen(name));
		msg_addf(m, cap, o, " (sub ");
		msg_add_untrusted(m, cap, o, re->subject, sl > 12 ? 12 : sl);
		msg_addf(m, cap, o, "%s)", sl > 12 ? "\xe2\x80\xa6" : "");
	} else {
		msg_addf(m, cap, o, "uid %" PRId64 " (auid %" PRIu32 ", session %" PRIu32 ", no OIDC identity)",
			 ev->uid, ev->loginuid, ev->session);
	}
}

#define ADD(call) do { if ((r = (call)) < 0) goto out; } while (0)

static int
add_identity(struct jfields *f, const struct registry_entry *re)
{
	int r = 0;

	if (re == NULL)
		return 0;
	ADD(jf_add_str(f, OIDC_F_ISSUER, re->issuer));
	ADD(jf_add_str(f, OIDC_F_SUBJECT, re->subject));
	ADD(jf_add_str(f, OIDC_F_USERNAME, re->username));
	ADD(jf_add_str(f, OIDC_F_EMAIL, re->email));
	ADD(jf_add_str(f, OIDC_F_LOGIN_ID, re->login_id));
	ADD(jf_add_str(f, OIDC_F_LOCAL_USER, re->user));
	ADD(jf_add_str(f, OIDC_F_SERVICE, re->service));
	ADD(jf_add_str(f, OIDC_F_REMOTE_HOST, re->rhost));
out:
	return r;
}

/* See oidc_audit.h. */
int
fields_from_event(struct jfields *f, const struct audit_event *ev,
		  const struct registry_entry *re, size_t message_max)
{
	char *argv = NULL, *m = NULL;
	size_t alen = 0, acap = 0, o = 0, cap;
	bool exec = ev->kind == AUDIT_EV_EXEC;
	const char *verb;
	int r;

	if (ev->kind != AUDIT_EV_EXEC && ev->kind != AUDIT_EV_FILE)
		return -EINVAL;
	cap = message_max ? message_max : MESSAGE_DEFAULT_MAX;
	if (cap > MESSAGE_HARD_MAX)
		cap = MESSAGE_HARD_MAX;
	if (cap < 64)
		cap = 64;
	m = malloc(cap);
	if (m == NULL)
		return -ENOMEM;
	m[0] = '\0';
	if (exec) {
		r = fields_quote_argv(&argv, &alen, &acap, ev->argv, ev->argc);
		if (r < 0)
			goto out;
	}

	/* MESSAGE: one line a person reads. */
	msg_who(m, cap, &o, ev, re);
	if (exec) {
		msg_addf(m, cap, &o, ev->success ? " ran " : " tried to run ");
		if (ev->argc > 0)
			msg_add_untrusted(m, cap, &o, argv, alen);
		else if (ev->exe != NULL)
			msg_add_untrusted(m, cap, &o, ev->exe, strlen(ev->exe));
	} else {
		verb = op_verb(ev->operation);
		if (!ev->success && ev->operation != NULL) {
			msg_addf(m, cap, &o, " tried to ");
			msg_add_untrusted(m, cap, &o, ev->operation, strlen(ev->operation));
			msg_addf(m, cap, &o, " ");
		} else if (verb != NULL) {
			msg_addf(m, cap, &o, " %s ", verb);
		} else {
			msg_addf(m, cap, &o, " accessed (");
			msg_add_untrusted(m, cap, &o, ev->operation, strlen(ev->operation));
			msg_addf(m, cap, &o, ") ");
		}
		if (ev->npaths > 0 && ev->paths[0] != NULL)
			msg_add_untrusted(m, cap, &o, ev->paths[0], strlen(ev->paths[0]));
		else
			msg_addf(m, cap, &o, "(unnamed)");
		if (ev->npaths > 1 && ev->paths[1] != NULL) {
			msg_addf(m, cap, &o, " -> ");
			msg_add_untrusted(m, cap, &o, ev->paths[1], strlen(ev->paths[1]));
		}
	}
	if (!ev->success)
		msg_addf(m, cap, &o, " (failed, exit %" PRId64 ")", ev->exit);

	ADD(jf_add(f, JF_MESSAGE, m, o));
	ADD(jf_add_str(f, JF_MESSAGE_ID, exec ? OIDC_MESSAGE_ID_EXEC : OIDC_MESSAGE_ID_FILE));
	ADD(jf_add_str(f, JF_PRIORITY, "6"));
	ADD(jf_add_str(f, JF_SYSLOG_IDENTIFIER, OIDC_AUDIT_IDENT));
	ADD(jf_add_str(f, OIDC_F_EVENT, exec ? OIDC_EV_EXEC : OIDC_EV_FILE));
	ADD(add_identity(f, re));
	ADD(jf_add_u64(f, OIDC_F_AUDIT_SESSION, ev->session));
	ADD(jf_add_u64(f, OIDC_F_AUDIT_LOGINUID, ev->loginuid));
	ADD(jf_add_u64(f, OIDC_F_AUDIT_SERIAL, ev->serial));
	ADD(jf_add_str(f, OIDC_F_AUDIT_KEY, ev->key));
	ADD(jf_add_str(f, OIDC_F_AUDIT_NODE, ev->node));
	ADD(jf_add_u64(f, OIDC_F_EVENT_TIME, ev->time_us));
	ADD(jf_add_str(f, OIDC_F_EXE, ev->exe));
	if (exec) {
		ADD(jf_add(f, OIDC_F_ARGV, argv, alen));
		ADD(jf_add_u64(f, OIDC_F_ARGC, ev->argc));
		if (ev->argv_truncated)
			ADD(jf_add_str(f, OIDC_F_ARGV_TRUNCATED, "1"));
	}
	ADD(jf_add_str(f, OIDC_F_CWD, ev->cwd));
	ADD(jf_add_i64(f, OIDC_F_PID, ev->pid));
	ADD(jf_add_i64(f, OIDC_F_PPID, ev->ppid));
	ADD(jf_add_i64(f, OIDC_F_UID, ev->uid));
	ADD(jf_add_i64(f, OIDC_F_EUID, ev->euid));
	ADD(jf_add_str(f, OIDC_F_TTY, ev->tty));
	ADD(jf_add_str(f, OIDC_F_COMM, ev->comm));
	if (ev->npaths > 0)
		ADD(jf_add_str(f, OIDC_F_PATH, ev->paths[0]));
	if (ev->npaths > 1)
		ADD(jf_add_str(f, OIDC_F_PATH2, ev->paths[1]));
	ADD(jf_add_str(f, OIDC_F_OPERATION, exec ? "exec" : ev->operation));
	ADD(jf_add_str(f, OIDC_F_SYSCALL, ev->syscall));
	ADD(jf_add_str(f, OIDC_F_SUCCESS, ev->success ? "yes" : "no"));
	ADD(jf_add_i64(f, OIDC_F_EXIT, ev->exit));
	if (ev->incomplete)
		ADD(jf_add_str(f, OIDC_F_AUDIT_INCOMPLETE, "1"));
	r = 0;
out:
	free(argv);
	free(m);
	return r;
}

/* See oidc_audit.h. */
int
fields_loss(struct jfields *f, const char *reason, uint64_t count, uint64_t total, const char *detail)
{
	char m[512];
	int r;

	if (strcmp(reason, "restart") == 0)
		snprintf(m, sizeof(m), "oidc-audit restarted: %s", detail ? detail : "");
	else if (strcmp(reason, "resumed") == 0)
		snprintf(m, sizeof(m), "oidc-audit: journald accepts entries again: %s",
			 detail ? detail : "");
	else
		snprintf(m, sizeof(m), "oidc-audit: %" PRIu64 " audit %s lost or unusable (%s; %" PRIu64
			 " in total)%s%s", count, count == 1 ? "event" : "events", reason, total,
			 detail ? ": " : "", detail ? detail : "");
	ADD(jf_add_str(f, JF_MESSAGE, m));
	ADD(jf_add_str(f, JF_MESSAGE_ID, OIDC_MESSAGE_ID_LOSS));
	/* restart and resumed say what a back-fill wrote: a notice, not a loss */
	ADD(jf_add_str(f, JF_PRIORITY,
		       strcmp(reason, "restart") && strcmp(reason, "resumed") ? "4" : "5"));
	ADD(jf_add_str(f, JF_SYSLOG_IDENTIFIER, OIDC_AUDIT_IDENT));
	ADD(jf_add_str(f, OIDC_F_EVENT, OIDC_EV_LOSS));
	ADD(jf_add_str(f, OIDC_F_LOSS_REASON, reason));
	ADD(jf_add_u64(f, OIDC_F_LOSS_COUNT, count));
	ADD(jf_add_u64(f, OIDC_F_LOSS_TOTAL, total));
	ADD(jf_add_str(f, OIDC_F_LOSS_DETAIL, detail));
	r = 0;
out:
	return r;
}

/* See oidc_audit.h. */
int
fields_warning(struct jfields *f, const char *text)
{
	char m[512];
	int r;

	snprintf(m, sizeof(m), "oidc-audit: warning: %s", text);
	ADD(jf_add_str(f, JF_MESSAGE, m));
	ADD(jf_add_str(f, JF_PRIORITY, "4"));
	ADD(jf_add_str(f, JF_SYSLOG_IDENTIFIER, OIDC_AUDIT_IDENT));
	r = 0;
out:
	return r;
}
