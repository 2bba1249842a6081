/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A verified identity: what oidc-child answers and what the module hands
 * from the authentication to the session phase.  One type, and one codec,
 * for both sides of the child protocol and for the pending record.
 */
#ifndef OIDC_IDENTITY_H
#define OIDC_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

struct oidc_identity {
	char *user;		/* the local account; equals PAM_USER */
	char *issuer;
	char *subject;
	char *username;		/* the mapping claim's value, or the subject with a map file */
	char *email;		/* "" when absent */
	char *acr;		/* "" when absent */
	int64_t auth_time;	/* 0 when absent */
};

/*
 * The one codec of an identity as (field name, value) text pairs, used by
 * the child protocol (one line per field, child_proto.h) and by the pending
 * record (one name=value line per field, module/pending.c), each framing
 * them its own way.  The fields, in the order they are encoded:
 *
 *     issuer, subject, username, email, auth_time, acr, user
 *
 * Every field exactly once, in any order; strings at most
 * IDENTITY_MAX_FIELD bytes without control bytes (0x00-0x1f, 0x7f), so no
 * framing ever has to carry a newline; issuer, subject and user not empty
 * (username, email and acr may be); auth_time decimal, 0..INT64_MAX.
 */
#define IDENTITY_MAX_FIELD 1024

/* Called once per field by oidc_identity_encode; non-zero stops it. */
typedef int (*oidc_identity_field_fn)(void *ctx, const char *name, const char *value);

/* Check id against the rules above.  Returns 0 or -EINVAL. */
int oidc_identity_check(const struct oidc_identity *id);

/*
 * Call fn for every field of id, in order.  Returns 0; -EINVAL when id
 * breaks the rules (then fn was never called); or the first negative
 * value fn returned.
 */
int oidc_identity_encode(const struct oidc_identity *id, oidc_identity_field_fn fn, void *ctx);

/* An identity being read field by field. */
struct oidc_identity_decoder {
	struct oidc_identity id;
	unsigned seen; /* one bit per field */
};

/* Start decoding. */
void oidc_identity_decoder_init(struct oidc_identity_decoder *d);

/*
 * Take one field.  Returns 0; -ENOENT when name is not a field of an
 * identity (the caller decides what else it may be); -EEXIST for a field
 * seen before; -EINVAL for a value that breaks its field's rule; -ENOMEM.
 * The decoder stays usable (and must be cleared) after an error.
 */
int oidc_identity_decode(struct oidc_identity_decoder *d, const char *name, const char *value);

/*
 * Finish: every field must have been taken.  Returns 0 and moves the
 * identity into *ret (the decoder is empty after), or -ENODATA when a field
 * is missing (*ret untouched).
 */
int oidc_identity_decode_finish(struct oidc_identity_decoder *d, struct oidc_identity *ret);

/* Wipe and free what the decoder holds; NULL-safe. */
void oidc_identity_decoder_clear(struct oidc_identity_decoder *d);

/* Wipe and free the members; NULL-safe; the struct is zeroed after. */
void oidc_identity_clear(struct oidc_identity *id);

/* oidc_identity_clear, then free the struct itself; NULL-safe. */
void oidc_identity_free(struct oidc_identity *id);

#endif
