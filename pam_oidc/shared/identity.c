/* SPDX-License-Identifier: BSD-2-Clause */
/* The verified identity and its one codec (see identity.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "identity.h"
#include "numparse.h"

/* The fields in encoding order; a string field names its member by offset. */
static const struct identity_field {
	const char *name;
	size_t off;  /* of the char * member; unused for auth_time */
	bool number; /* auth_time */
	bool nonempty;
} fields[] = {
	{ "issuer", offsetof(struct oidc_identity, issuer), false, true },
	{ "subject", offsetof(struct oidc_identity, subject), false, true },
	{ "username", offsetof(struct oidc_identity, username), false, false },
	{ "email", offsetof(struct oidc_identity, email), false, false },
	{ "auth_time", 0, true, false },
	{ "acr", offsetof(struct oidc_identity, acr), false, false },
	{ "user", offsetof(struct oidc_identity, user), false, true },
};
#define NFIELDS	 (sizeof(fields) / sizeof(fields[0]))
#define ALL_SEEN ((1u << NFIELDS) - 1)

static char **
slot(struct oidc_identity *id, const struct identity_field *f)
{
	return (char **)(void *)((char *)id + f->off);
}

static const char *
member(const struct oidc_identity *id, const struct identity_field *f)
{
	return *(char *const *)(const void *)((const char *)id + f->off);
}

/* A string value that every framing can carry as it is. */
static bool
text_valid(const char *s, bool nonempty)
{
	size_t i;

	if (s == NULL || (nonempty && s[0] == '\0'))
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= IDENTITY_MAX_FIELD)
			return false;
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	}
	return true;
}

/* See identity.h. */
int
oidc_identity_check(const struct oidc_identity *id)
{
	size_t i;

	if (id == NULL || id->auth_time < 0)
		return -EINVAL;
	for (i = 0; i < NFIELDS; i++)
		if (!fields[i].number && !text_valid(member(id, &fields[i]), fields[i].nonempty))
			return -EINVAL;
	return 0;
}

/* See identity.h. */
int
oidc_identity_encode(const struct oidc_identity *id, oidc_identity_field_fn fn, void *ctx)
{
	char num[32];
	size_t i;
	int r;

	if (fn == NULL || (r = oidc_identity_check(id)) < 0)
		return -EINVAL;
	for (i = 0; i < NFIELDS; i++) {
		if (fields[i].number) {
			snprintf(num, sizeof(num), "%" PRId64, id->auth_time);
			r = fn(ctx, fields[i].name, num);
		} else {
			r = fn(ctx, fields[i].name, member(id, &fields[i]));
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* See identity.h. */
void
oidc_identity_decoder_init(struct oidc_identity_decoder *d)
{
	memset(d, 0, sizeof(*d));
}

/* See identity.h. */
int
oidc_identity_decode(struct oidc_identity_decoder *d, const char *name, const char *value)
{
	const struct identity_field *f = NULL;
	char *copy;
	size_t i;

	if (d == NULL || name == NULL || value == NULL)
		return -EINVAL;
	for (i = 0; i < NFIELDS && f == NULL; i++)
		if (strcmp(fields[i].name, name) == 0)
			f = &fields[i];
	if (f == NULL)
		return -ENOENT;
	i = (size_t)(f - fields);
	if (d->seen & (1u << i))
		return -EEXIST;
	if (f->number) {
		if (num_parse_i64(value, 0, INT64_MAX, &d->id.auth_time) < 0)
			return -EINVAL;
	} else {
		if (!text_valid(value, f->nonempty))
			return -EINVAL;
		copy = strdup(value);
		if (copy == NULL)
			return -ENOMEM;
		*slot(&d->id, f) = copy;
	}
	d->seen |= 1u << i;
	return 0;
}

/* See identity.h. */
int
oidc_identity_decode_finish(struct oidc_identity_decoder *d, struct oidc_identity *ret)
{
	if (d == NULL || ret == NULL)
		return -EINVAL;
	if (d->seen != ALL_SEEN)
		return -ENODATA;
	*ret = d->id;
	memset(&d->id, 0, sizeof(d->id));
	d->seen = 0;
	return 0;
}

/* See identity.h. */
void
oidc_identity_decoder_clear(struct oidc_identity_decoder *d)
{
	if (d == NULL)
		return;
	oidc_identity_clear(&d->id);
	d->seen = 0;
}

/* See identity.h. */
void
oidc_identity_clear(struct oidc_identity *id)
{
	if (id == NULL)
		return;
	secure_free_str(id->user);
	secure_free_str(id->issuer);
	secure_free_str(id->subject);
	secure_free_str(id->username);
	secure_free_str(id->email);
	secure_free_str(id->acr);
	memset(id, 0, sizeof(*id));
}

/* See identity.h. */
void
oidc_identity_free(struct oidc_identity *id)
{
	if (id == NULL)
		return;
	oidc_identity_clear(id);
	free(id);
}
