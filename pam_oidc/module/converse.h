/* SPDX-License-Identifier: BSD-2-Clause */
/* The PAM conversation, reduced to what the device flow needs. */
#ifndef OIDC_CONVERSE_H
#define OIDC_CONVERSE_H

#include <security/pam_modules.h>

/*
 * Longest message we hand to a conversation.  Larger than Linux-PAM's
 * PAM_MAX_MSG_SIZE (512) because a QR drawing needs ~2 KiB; sshd, sudo and
 * login pass messages through unbounded.
 */
#define CONVERSE_MAX_MSG 8192
/* Longest reply we accept; longer replies are wiped and refused. */
#define CONVERSE_MAX_REPLY 1024

/*
 * Show text (PAM_TEXT_INFO).  Returns 0; -ENOTCONN when the application
 * gave no conversation; -ECONNABORTED when the conversation failed;
 * -EFBIG when text is longer than CONVERSE_MAX_MSG.
 */
int converse_info(pam_handle_t *pamh, const char *text);

/* Show an error message (PAM_ERROR_MSG); the same returns as converse_info. */
int converse_error(pam_handle_t *pamh, const char *text);

/*
 * Ask with an echoed prompt (PAM_PROMPT_ECHO_ON) and discard the answer
 * (wiped).  The same returns as converse_info; -ECONNABORTED also when the
 * conversation gave no reply or an over-long one.
 */
int converse_prompt_enter(pam_handle_t *pamh, const char *prompt);

#endif
