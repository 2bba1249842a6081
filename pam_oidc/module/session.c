/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Session registry and journald entries of the module.  Identity values
 * are kept verbatim in their own fields and sanitised in MESSAGE, which a
 * person reads on a terminal.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/wait.h>

#include "buf.h"
#include "clock.h"
#include "journal_fields.h"
#include "journal_names.h"
#include "numparse.h"
#include "oidc_err.h"
#include "registry.h"
#include "session.h"
#include "text.h"

#define AUDIT_UNSET 4294967295u
#define MESSAGE_PART_MAX 256

#define JOURNAL_MAX_BYTES (16 * 1024)
/*
 * The longest a journal entry may hold up a login: journald that is
 * stopped (SIGSTOP) or overwhelmed leaves its socket queue full, and a
 * send would otherwise wait for as long as journald does not read.
 */
#define JOURNAL_SEND_TIMEOUT_MS 2000

/* A value fit for MESSAGE: escaped, bounded, "-" when absent. */
static const char *
msg_part(const char *in, char *out, size_t outsz)
{
	if (in == NULL || in[0] == '\0')
		return "-";
	(void)jf_escape(out, outsz, in, strlen(in));
	return out;
}

static int
add_context(struct jfields *j, const struct session_ctx *ctx, const char *event,
	    const char *message_id)
{
	int r;

	if ((r = jf_add_str(j, JF_MESSAGE_ID, message_id)) < 0 ||
	    (r = jf_add_str(j, JF_SYSLOG_IDENTIFIER, "pam_oidc")) < 0 ||
	    (r = jf_add_str(j, OIDC_F_EVENT, event)) < 0 ||
	    (r = jf_add_str(j, OIDC_F_SERVICE, ctx->service)) < 0 ||
	    (r = jf_add_str(j, OIDC_F_REMOTE_HOST, ctx->rhost)) < 0 ||
	    (r = jf_add_str(j, OIDC_F_LOCAL_USER, ctx->user)) < 0)
		return r;
	return 0;
}

static int
read_proc_u32(const char *path, uint32_t *ret)
{
	int64_t v;
	int r;

	if ((r = num_read_file(path, 0, UINT32_MAX, &v)) < 0)
		return r;
	*ret = (uint32_t)v;
	return 0;
}

/* See session.h. */
int
session_audit_ids(uint32_t *ret_session, uint32_t *ret_loginuid, struct oidc_err *err)
{
	uint32_t ses, luid;
	int r;

	if ((r = read_proc_u32("/proc/self/sessionid", &ses)) < 0 ||
	    (r = read_proc_u32("/proc/self/loginuid", &luid)) < 0)
		return oidc_err_set(err, OIDC_R_INTERNAL, -r,
				    "cannot read the audit session of this process: %s",
				    strerror(-r));
	if (ses == AUDIT_UNSET || luid == AUDIT_UNSET)
		return oidc_err_set(err, OIDC_R_CONFIG, ENODATA,
				    "this process has no audit session; put pam_loginuid.so before pam_oidc.so in the session stack");
	*ret_session = ses;
	*ret_loginuid = luid;
	return 0;
}

static int
random_hex(char out[33])
{
	unsigned char rnd[16];

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -EIO;
	return text_hex_encode(rnd, sizeof(rnd), out, 33);
}

/*
 * Send an entry so that journald records it as root's.  journald takes _UID
 * from the sender's real uid, and inside sudo that is the invoking user's:
 * such an entry could not be told from one the user wrote himself, and
 * `oidc-audit search` trusts only _UID=0.  When the real uid is not 0 but
 * the effective one is (sudo), a short-lived child takes real uid 0 and
 * sends; the host process's own uids are never changed.  The child ends
 * with _exit, so none of the host's atexit handlers or stdio buffers run
 * in it; its exit status is the errno of the send.  SIGCHLD is default
 * while we wait, as around oidc-child.
 */
static int
journal_send(struct jfields *j)
{
	struct sigaction dfl, old;
	pid_t pid, w;
	int status, r;

	if (getuid() == 0 || geteuid() != 0)
		return jf_send(j, JF_JOURNAL_SOCKET, JOURNAL_SEND_TIMEOUT_MS);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	if (sigaction(SIGCHLD, &dfl, &old) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out;
	}
	if (pid == 0) {
		if (setresuid(0, 0, 0) < 0)
			_exit(255);
		r = jf_send(j, JF_JOURNAL_SOCKET, JOURNAL_SEND_TIMEOUT_MS);
		/* the errno itself is what the parent reports */
		_exit(r >= 0 ? 0 : -r < 255 ? -r : 255);
	}
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (w < 0)
		r = -errno;
	else if (!WIFEXITED(status) || WEXITSTATUS(status) == 255)
		r = -EIO; /* killed, or no real uid 0 */
	else
		r = -WEXITSTATUS(status);
out:
	(void)sigaction(SIGCHLD, &old, NULL);
	return r;
}

static int
log_identity_event(const struct session_ctx *ctx, const struct registry_entry *e,
		   const char *event, const char *message_id, const char *verb)
{
	char m_user[MESSAGE_PART_MAX], m_sub[MESSAGE_PART_MAX], m_svc[MESSAGE_PART_MAX];
	char m_host[MESSAGE_PART_MAX], m_local[MESSAGE_PART_MAX];
	char *message = NULL;
	struct jfields j;
	int r;

	jf_init(&j, JOURNAL_MAX_BYTES);
	if (asprintf(&message, "%s (sub %s) %s as %s via %s from %s, audit session %" PRIu32,
		     msg_part(e->username, m_user, sizeof(m_user)),
		     msg_part(e->subject, m_sub, sizeof(m_sub)), verb,
		     msg_part(e->user, m_local, sizeof(m_local)),
		     msg_part(ctx->service, m_svc, sizeof(m_svc)),
		     msg_part(ctx->rhost, m_host, sizeof(m_host)), e->session) < 0) {
		r = -ENOMEM;
		message = NULL;
		goto out;
	}
	if ((r = jf_add_str(&j, JF_MESSAGE, message)) < 0 ||
	    (r = jf_add_str(&j, JF_PRIORITY, "6")) < 0 ||
	    (r = add_context(&j, ctx, event, message_id)) < 0 ||
	    (r = jf_add_str(&j, OIDC_F_ISSUER, e->issuer)) < 0 ||
	    (r = jf_add_str(&j, OIDC_F_SUBJECT, e->subject)) < 0 ||
	    (r = jf_add_str(&j, OIDC_F_USERNAME, e->username)) < 0 ||
	    (r = jf_add_str(&j, OIDC_F_EMAIL, e->email)) < 0 ||
	    (r = jf_add_str(&j, OIDC_F_LOGIN_ID, e->login_id)) < 0 ||
	    (r = jf_add_u64(&j, OIDC_F_AUDIT_SESSION, e->session)) < 0 ||
	    (r = jf_add_u64(&j, OIDC_F_AUDIT_LOGINUID, e->loginuid)) < 0)
		goto out;
	r = journal_send(&j);
out:
	free(message);
	jf_free(&j);
	return r;
}

/*
 * An entry for this audit session already: a second authentication in the
 * same session (sudo inside an ssh login).  The same identity keeps the
 * entry as it is (1); another identity may not re-key the session (-EEXIST),
 * whether the entry is open or closed: audit session ids are not reused
 * within a boot, so a closed entry stays bound to its identity until the
 * reboot empties /run, and whatever still runs in that session remains
 * attributed to the person who opened it.  0 when there is no entry.
 */
static int
existing_entry(const struct session_ctx *ctx, uint32_t session, const struct oidc_identity *id,
	       struct oidc_err *err)
{
	struct registry_entry old = { 0 };
	int r;

	r = registry_read(ctx->registry_dir, session, &old, NULL);
	if (r == -ENOENT) {
		r = 0;
		goto out;
	}
	if (r < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, -r,
				 "cannot read the registry entry of audit session %" PRIu32, session);
		goto out;
	}
	if (old.user != NULL && old.issuer != NULL && old.subject != NULL &&
	    strcmp(old.user, id->user) == 0 && strcmp(old.issuer, id->issuer) == 0 &&
	    strcmp(old.subject, id->subject) == 0) {
		r = 1;
		goto out;
	}
	r = oidc_err_set(err, OIDC_R_USER, EEXIST,
			 "audit session %" PRIu32 " already belongs to another identity", session);
out:
	registry_entry_free(&old);
	return r;
}

/* See session.h. */
int
session_open(const struct session_ctx *ctx, const struct oidc_identity *id, uint32_t *ret_session,
	     bool *ret_created, int *ret_journal_r, bool *ret_unrecorded, struct oidc_err *err)
{
	struct registry_entry e = { 0 };
	struct oidc_err werr;
	char boot_id[33], login_id[33];
	int r;

	oidc_err_clear(&werr);
	*ret_journal_r = 0;
	*ret_created = false;
	*ret_unrecorded = false;
	if ((r = session_audit_ids(&e.session, &e.loginuid, err)) < 0)
		goto out;
	if ((r = existing_entry(ctx, e.session, id, err)) < 0)
		goto out;
	if (r == 1) {
		*ret_session = e.session;
		r = 0;
		goto out;
	}
	if ((r = registry_boot_id(boot_id)) < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, -r, "cannot read the boot id");
		goto out;
	}
	if ((r = random_hex(login_id)) < 0) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, EIO, "no random bytes for the login id");
		goto out;
	}
	/* the entry borrows every string; nothing here is freed through it */
	e.boot_id = boot_id;
	e.user = id->user;
	e.issuer = id->issuer;
	e.subject = id->subject;
	e.username = id->username;
	e.email = id->email != NULL && id->email[0] != '\0' ? id->email : NULL;
	e.login_id = login_id;
	e.auth_time = id->auth_time;
	e.service = (char *)(uintptr_t)ctx->service;
	e.rhost = ctx->rhost != NULL && ctx->rhost[0] != '\0' ?
		(char *)(uintptr_t)ctx->rhost : NULL;
	e.opened = clock_real_us();
	if ((r = registry_write(ctx->registry_dir, &e, &werr)) < 0) {
		*ret_unrecorded = true;
		r = oidc_err_set(err, werr.reason, -r,
				 "the session registry entry of audit session %" PRIu32
				 " could not be written (%s: %s)",
				 e.session, werr.msg, strerror(-r));
		goto out;
	}
	*ret_journal_r = log_identity_event(ctx, &e, OIDC_EV_LOGIN, OIDC_MESSAGE_ID_LOGIN, "logged in");
	if (*ret_journal_r < 0 && ctx->require_record) {
		/* no shell runs in this session: its entry is closed, not left open */
		(void)registry_close(ctx->registry_dir, e.session, clock_real_us(), NULL);
		*ret_unrecorded = true;
		r = oidc_err_set(err, OIDC_R_INTERNAL, -*ret_journal_r,
				 "the journald login entry of audit session %" PRIu32
				 " could not be written to %s (%s) and require_record is set",
				 e.session, JF_JOURNAL_SOCKET, strerror(-*ret_journal_r));
		goto out;
	}
	*ret_session = e.session;
	*ret_created = true;
	r = 0;
out:
	return r;
}

/* See session.h. */
int
session_close(const struct session_ctx *ctx, uint32_t session, int *ret_journal_r,
	      struct oidc_err *err)
{
	struct registry_entry e = { 0 };
	int r;

	*ret_journal_r = 0;
	if ((r = registry_read(ctx->registry_dir, session, &e, err)) < 0)
		goto out;
	if (e.user == NULL || ctx->user == NULL || strcmp(e.user, ctx->user) != 0 ||
	    e.closed != 0) {
		r = -ENOENT;
		goto out;
	}
	e.closed = clock_real_us();
	if ((r = registry_close(ctx->registry_dir, session, e.closed, err)) < 0)
		goto out;
	*ret_journal_r = log_identity_event(ctx, &e, OIDC_EV_LOGOUT, OIDC_MESSAGE_ID_LOGOUT,
					    "logged out");
	r = 0;
out:
	registry_entry_free(&e);
	return r;
}

/* See session.h. */
int
session_log_failure(const struct session_ctx *ctx, const char *reason, const char *message)
{
	char m_local[MESSAGE_PART_MAX], m_svc[MESSAGE_PART_MAX], m_host[MESSAGE_PART_MAX];
	char m_msg[MESSAGE_PART_MAX];
	char *text = NULL;
	struct jfields j;
	int r;

	jf_init(&j, JOURNAL_MAX_BYTES);
	if (asprintf(&text, "OIDC login as %s via %s from %s failed: %s",
		     msg_part(ctx->user, m_local, sizeof(m_local)),
		     msg_part(ctx->service, m_svc, sizeof(m_svc)),
		     msg_part(ctx->rhost, m_host, sizeof(m_host)),
		     msg_part(message, m_msg, sizeof(m_msg))) < 0) {
		r = -ENOMEM;
		text = NULL;
		goto out;
	}
	if ((r = jf_add_str(&j, JF_MESSAGE, text)) < 0 ||
	    (r = jf_add_str(&j, JF_PRIORITY, "5")) < 0 ||
	    (r = add_context(&j, ctx, OIDC_EV_LOGIN_FAILED, OIDC_MESSAGE_ID_LOGIN_FAILED)) < 0 ||
	    (r = jf_add_str(&j, OIDC_F_REASON, reason)) < 0)
		goto out;
	r = journal_send(&j);
out:
	free(text);
	jf_free(&j);
	return r;
}
