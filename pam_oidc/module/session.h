/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The session phase: bind the verified identity to the kernel audit
 * session (registry entry, written before the shell starts) and record
 * login, logout and failed logins in journald with the fields of
 * DESIGN.md, "Journal fields".
 */
#ifndef OIDC_SESSION_H
#define OIDC_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "pending.h"

struct oidc_err;

/* The login context, borrowed from PAM items. */
struct session_ctx {
	const char *registry_dir;	/* REGISTRY_DEFAULT_DIR unless overridden */
	const char *user;		/* PAM_USER */
	const char *service;		/* PAM_SERVICE */
	const char *rhost;		/* PAM_RHOST, may be NULL */
	bool require_record;		/* no session without its journald login entry */
};

/* Audit session and login uid of this process; -ENODATA when unset (no pam_loginuid). */
int session_audit_ids(uint32_t *ret_session, uint32_t *ret_loginuid, struct oidc_err *err);

/*
 * Write the registry entry for this process's audit session and the
 * journald `login` entry.  Returns 0, the audit session id and whether an
 * entry was created: an open entry of the same identity (user, issuer,
 * subject) for this session is kept as it is, as for sudo inside an ssh
 * login (*ret_created false, nothing written).  Negative errno: -ENODATA
 * when the process has no audit session, -EEXIST when the session's open
 * entry belongs to another identity, others from the registry.  A journald
 * failure is reported in *ret_journal_r (0 or a negative errno): without
 * ctx->require_record it is not an error (the registry is what the audit
 * helper needs) and the caller logs it; with it, the new registry entry
 * is marked closed and the journald errno returned.  *ret_unrecorded says
 * that the failure is a record that could not be written (the registry
 * entry, or the journald entry under require_record), for the caller to
 * tell the person so.  Journal entries are sent with a bounded wait
 * (JOURNAL_SEND_TIMEOUT_MS), so a journald that does not read costs
 * seconds, never the login.
 */
int session_open(const struct session_ctx *ctx, const struct oidc_identity *id,
		 uint32_t *ret_session, bool *ret_created, int *ret_journal_r, bool *ret_unrecorded,
		 struct oidc_err *err);

/*
 * Mark the entry of session closed and write the journald `logout` entry.
 * -ENOENT when there is no open entry of ctx->user for that session (the
 * session was not an OIDC login).  Journald failures as in session_open.
 */
int session_close(const struct session_ctx *ctx, uint32_t session, int *ret_journal_r,
		  struct oidc_err *err);

/*
 * Write the journald `login-failed` entry: reason is a short token (the
 * child protocol's reason names), message a one-line text without
 * secrets.  Returns 0 or the negative errno of jf_send().
 */
int session_log_failure(const struct session_ctx *ctx, const char *reason, const char *message);

#endif
