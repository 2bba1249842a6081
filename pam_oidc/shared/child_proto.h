/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The line protocol between pam_oidc.so and oidc-child over their
 * socketpair.  Each message is one line "KEY VALUE\n"; KEY is [a-z_]+,
 * VALUE is percent-encoded (every byte outside 0x21..0x7e, and '%', as %XX)
 * so a line never carries a raw space, newline or control byte.  Lines are
 * at most CHILD_PROTO_MAX_LINE bytes with their newline; a session at most
 * CHILD_PROTO_MAX_LINES.  Both ends frame them with shared/chan.h.
 *
 * module -> child (right after exec):
 *     arg <key=value>        one per PAM module argument, in order (overrides the file)
 *     config <path>          optional; default OIDC_CONF_DEFAULT_PATH
 *     user <PAM_USER>
 *     service <PAM_SERVICE>
 *     start
 * child -> module, once the device authorization succeeded:
 *     verification_uri <uri>
 *     verification_uri_complete <uri>   only when show_complete_uri is set
 *     user_code <code>
 *     expires_in <seconds>
 *     shown                             end of the prompt data; the child is now polling
 * child -> module, whenever a step of the login ends (any number, before the end):
 *     step <name> ok|failed <elapsed_ms> <detail>
 *                                       the steps `pam-oidc login` prints, as the flow
 *                                       reports them (login_flow_ops.step): name a token
 *                                       [a-z_]+ (discovery, device_code, waiting, token,
 *                                       signature, claims, mapping), elapsed_ms since the
 *                                       flow began, detail one short line without control
 *                                       bytes and without secrets ("reason: message" for a
 *                                       failed step; may be absent).  Like "fail", the whole
 *                                       "name status ms detail" is one encoded VALUE; see
 *                                       child_proto_step_format/_parse.  The child always
 *                                       sends them; the module logs them at LOG_DEBUG with
 *                                       the debug option and ignores them otherwise.  They
 *                                       never change the outcome: a malformed one is only
 *                                       logged as malformed, any beyond
 *                                       CHILD_PROTO_MAX_STEPS is dropped; like every line
 *                                       they count against CHILD_PROTO_MAX_LINES.
 * child -> module, at the end (exactly one of):
 *     issuer <s>, subject <s>, username <s>, email <s>, auth_time <n>, acr <s>,
 *     user <local user>                 one line per field of the verified identity,
 *                                       each exactly once, checked by the identity
 *                                       codec (identity.h: lengths, no control bytes,
 *                                       email/acr/username may be empty), then
 *     ok
 *   or
 *     fail <reason> <message>           reason: an enum oidc_reason name token, see
 *                                       child_proto_reason_token(); message one line, no secrets.
 *                                       The whole "reason message" is one encoded VALUE: after
 *                                       decoding, split it at its first space.
 * module -> child at any time:
 *     cancel                            the person gave up (conversation failed); child exits
 */
#ifndef OIDC_CHILD_PROTO_H
#define OIDC_CHILD_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oidc_err.h"

#define CHILD_PROTO_MAX_LINE 4096
#define CHILD_PROTO_MAX_LINES 256
/* Step lines: how many the module logs, how long a name and a detail may be. */
#define CHILD_PROTO_MAX_STEPS	    32
#define CHILD_PROTO_MAX_STEP_NAME   32
#define CHILD_PROTO_MAX_STEP_DETAIL 256
/* The socketpair end is the child's fd 3; 0, 1 and 2 are /dev/null; nothing else is open. */
#define CHILD_PROTO_FD 3

/* Percent-encode value into out (NUL-terminated); -EFBIG if it does not fit. */
int child_proto_encode(const char *value, char *out, size_t outsz);

/*
 * Format one line "key encoded-value\n" (just "key\n" when value is NULL)
 * into out, NUL-terminated.  Returns the line length, -EINVAL for a bad key,
 * or -EFBIG when it would exceed outsz or CHILD_PROTO_MAX_LINE.
 */
int child_proto_format(const char *key, const char *value, char *out, size_t outsz);

/* Decode in place; -EINVAL on a bad escape or an encoded NUL. */
int child_proto_decode(char *value);

/*
 * Split a received line (without its '\n') into key and value (value
 * decoded in place).  Returns 0, or -EINVAL for a malformed line.
 */
int child_proto_split(char *line, char **ret_key, char **ret_value);

/* One "step" line, parsed. */
struct child_proto_step {
	const char *name; /* [a-z_]{1,CHILD_PROTO_MAX_STEP_NAME} */
	bool ok;
	int64_t elapsed_ms;
	const char
		*detail; /* no control bytes, at most CHILD_PROTO_MAX_STEP_DETAIL; "" when none */
};

/*
 * Build the VALUE of a "step" line, "<name> ok|failed <elapsed_ms>[ <detail>]",
 * into out (NUL-terminated).  The detail (NULL or "" for none) is cut to
 * CHILD_PROTO_MAX_STEP_DETAIL bytes, never inside a UTF-8 character, and
 * each control byte in it becomes '?'.  Returns 0; -EINVAL for a bad name
 * or a negative time; -EFBIG when out is too small.
 */
int child_proto_step_format(const char *name, bool ok, int64_t elapsed_ms, const char *detail,
			    char *out, size_t outsz);

/*
 * Parse the decoded VALUE of a "step" line in place; ret points into it.
 * Returns 0, or -EINVAL for anything child_proto_step_format would not build.
 */
int child_proto_step_parse(char *value, struct child_proto_step *ret);

/* Stable token for a reason in "fail" lines ("signature", "issuer", ...), and back. */
const char *child_proto_reason_token(enum oidc_reason r);
enum oidc_reason child_proto_reason_from_token(const char *token);

#endif
