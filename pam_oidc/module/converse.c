/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Conversation helpers.  The application's answer is never trusted to be
 * well formed: it is bounded, wiped and freed here whatever happened.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <security/pam_appl.h>

#include "buf.h"
#include "converse.h"

static void
free_replies(struct pam_response *resp, int n)
{
	int i;

	if (resp == NULL)
		return;
	for (i = 0; i < n; i++)
		if (resp[i].resp != NULL)
			secure_free(resp[i].resp, strnlen(resp[i].resp, CONVERSE_MAX_REPLY + 1));
	free(resp);
}

static int
converse_one(pam_handle_t *pamh, int style, const char *text)
{
	const struct pam_conv *conv = NULL;
	struct pam_message msg;
	const struct pam_message *msgp = &msg;
	struct pam_response *resp = NULL;
	int pr, r;

	if (strlen(text) > CONVERSE_MAX_MSG)
		return -EFBIG;
	pr = pam_get_item(pamh, PAM_CONV, (const void **)&conv);
	if (pr != PAM_SUCCESS || conv == NULL || conv->conv == NULL)
		return -ENOTCONN;
	msg.msg_style = style;
	msg.msg = text;
	pr = conv->conv(1, &msgp, &resp, conv->appdata_ptr);
	if (pr != PAM_SUCCESS) {
		r = -ECONNABORTED;
		goto out;
	}
	if (style == PAM_PROMPT_ECHO_ON &&
	    (resp == NULL || resp[0].resp == NULL ||
	     strnlen(resp[0].resp, CONVERSE_MAX_REPLY + 1) > CONVERSE_MAX_REPLY)) {
		r = -ECONNABORTED;
		goto out;
	}
	r = 0;
out:
	free_replies(resp, 1);
	return r;
}

/* See converse.h. */
int
converse_info(pam_handle_t *pamh, const char *text)
{
	return converse_one(pamh, PAM_TEXT_INFO, text);
}

/* See converse.h. */
int
converse_error(pam_handle_t *pamh, const char *text)
{
	return converse_one(pamh, PAM_ERROR_MSG, text);
}

/* See converse.h. */
int
converse_prompt_enter(pam_handle_t *pamh, const char *prompt)
{
	return converse_one(pamh, PAM_PROMPT_ECHO_ON, prompt);
}
