/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The line protocol between pam_oidc.so and oidc-child over their
 * socketpair.  Each message is one line "KEY VALUE\n"; KEY is [a-z_]+,
 * VALUE is percent-encoded (every byte outside 0x21..0x7e, and '%', as %XX)
 * so a line never carries a raw space, newline or control byte.  Lines are
 * at most CHILD_PROTO_MAX_LINE bytes; a session at most CHILD_PROTO_MAX_LINES.
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

#include <stddef.h>

#include "oidc_err.h"

#define CHILD_PROTO_MAX_LINE 4096
#define CHILD_PROTO_MAX_LINES 256
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

/* Stable token for a reason in "fail" lines ("signature", "issuer", ...), and back. */
const char *child_proto_reason_token(enum oidc_reason r);
enum oidc_reason child_proto_reason_from_token(const char *token);

#endif
