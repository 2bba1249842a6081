/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hand-over from the authentication phase to the session phase.
 * sshd authenticates in a separate process and brings back only the PAM
 * environment, so the verified identity waits in a root-only file
 * <dir>/<handle> and only the random handle travels in the environment.
 * A record is consumed once, must name the session's PAM_USER and be
 * younger than PENDING_MAX_AGE_S; a handle from anywhere else (a user's
 * ~/.pam_environment, a stale login) finds nothing.
 */
#ifndef OIDC_PENDING_H
#define OIDC_PENDING_H

#include <stdint.h>

#include "identity.h"

struct oidc_err;

#define PENDING_ENV "PAM_OIDC_HANDLE"
#define PENDING_HANDLE_LEN 32		/* hex digits of 128 random bits */
#define PENDING_MAX_AGE_S 120
#define PENDING_MAX_FILE 8192
#define PENDING_MAX_FIELD 1024		/* bytes of one identity string */


/*
 * Store id under a fresh random handle in dir (created 0700 if missing; it
 * must be a directory owned by us and closed to everyone else), removing
 * records older than PENDING_MAX_AGE_S on the way.  ret_handle receives
 * PENDING_HANDLE_LEN hex digits and a NUL.  Returns 0 or a negative errno.
 */
int pending_write(const char *dir, const struct oidc_identity *id,
		  char ret_handle[PENDING_HANDLE_LEN + 1], struct oidc_err *err);

/*
 * Find, remove and return the record named by handle.  It is removed
 * before it is read, so it can be used once at most.  Returns 0 and fills
 * ret; -EINVAL for a malformed handle; -ENOENT when there is no such
 * record; -EPERM when the record is not ours (owner, mode, links), names
 * another user than user, or is too old; -EPROTO when it is malformed.
 */
int pending_consume(const char *dir, const char *handle, const char *user,
		    struct oidc_identity *ret, struct oidc_err *err);

/*
 * Whether dir holds a fresh (younger than PENDING_MAX_AGE_S), unconsumed
 * record of ours naming user: a login of user that pam_oidc authenticated
 * and whose session has not yet taken its record.  Returns 1 or 0, or a
 * negative errno when dir cannot be searched (a missing dir is 0).
 */
int pending_fresh_for_user(const char *dir, const char *user, struct oidc_err *err);

#endif
