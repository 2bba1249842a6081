/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The identity codec (shared/identity.c): what one end encodes the other
 * decodes to the same identity, and each rule of a field bites.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "identity.h"

/* The pairs an encoding produced, in order. */
struct pairs {
	size_t n;
	char name[16][32];
	char value[16][IDENTITY_MAX_FIELD + 1];
	int fail_at; /* return -EIO for this pair (-1: never) */
};

static int
collect(void *ctx, const char *name, const char *value)
{
	struct pairs *p = ctx;

	if ((int)p->n == p->fail_at)
		return -EIO;
	assert_true(p->n < 16);
	snprintf(p->name[p->n], sizeof(p->name[p->n]), "%s", name);
	snprintf(p->value[p->n], sizeof(p->value[p->n]), "%s", value);
	p->n++;
	return 0;
}

static void
fill(struct oidc_identity *id)
{
	id->issuer = strdup("https://idp.example");
	id->subject = strdup("sub with space, 100% and caf\xc3\xa9");
	id->username = strdup("alice");
	id->email = strdup("");
	id->acr = strdup("urn:mace:incommon:iap:silver");
	id->user = strdup("alice");
	id->auth_time = 1700000000;
}

/* Decode the pairs of p; returns what finish returns (or the first error). */
static int
decode_pairs(const struct pairs *p, struct oidc_identity *out)
{
	struct oidc_identity_decoder d;
	size_t i;
	int r = 0;

	oidc_identity_decoder_init(&d);
	for (i = 0; i < p->n && r == 0; i++)
		r = oidc_identity_decode(&d, p->name[i], p->value[i]);
	if (r == 0)
		r = oidc_identity_decode_finish(&d, out);
	oidc_identity_decoder_clear(&d);
	return r;
}

static void
test_roundtrip(void **state)
{
	static const char *const order[] = {
		"issuer", "subject", "username", "email", "auth_time", "acr", "user",
	};
	struct oidc_identity in = { 0 }, out = { 0 };
	struct pairs p = { .fail_at = -1 };
	size_t i;

	(void)state;
	fill(&in);
	assert_int_equal(oidc_identity_check(&in), 0);
	assert_int_equal(oidc_identity_encode(&in, collect, &p), 0);
	assert_int_equal(p.n, 7);
	for (i = 0; i < p.n; i++)
		assert_string_equal(p.name[i], order[i]);
	assert_string_equal(p.value[4], "1700000000");
	assert_int_equal(decode_pairs(&p, &out), 0);
	assert_string_equal(out.issuer, in.issuer);
	assert_string_equal(out.subject, in.subject);
	assert_string_equal(out.username, in.username);
	assert_string_equal(out.email, "");
	assert_string_equal(out.acr, in.acr);
	assert_string_equal(out.user, in.user);
	assert_int_equal(out.auth_time, in.auth_time);
	oidc_identity_clear(&out);

	/* any order decodes to the same identity */
	memcpy(p.name[0], "user", 5);
	memcpy(p.value[0], "alice", 6);
	memcpy(p.name[6], "issuer", 7);
	memcpy(p.value[6], "https://idp.example", 20);
	assert_int_equal(decode_pairs(&p, &out), 0);
	assert_string_equal(out.issuer, "https://idp.example");
	assert_string_equal(out.user, "alice");
	oidc_identity_clear(&out);
	oidc_identity_clear(&in);
}

static void
test_duplicate_and_unknown(void **state)
{
	struct oidc_identity_decoder d;

	(void)state;
	oidc_identity_decoder_init(&d);
	assert_int_equal(oidc_identity_decode(&d, "subject", "s1"), 0);
	assert_int_equal(oidc_identity_decode(&d, "subject", "s2"), -EEXIST);
	assert_string_equal(d.id.subject, "s1");
	assert_int_equal(oidc_identity_decode(&d, "auth_time", "5"), 0);
	assert_int_equal(oidc_identity_decode(&d, "auth_time", "5"), -EEXIST);
	/* not identity fields: the caller's business */
	assert_int_equal(oidc_identity_decode(&d, "created", "5"), -ENOENT);
	assert_int_equal(oidc_identity_decode(&d, "Subject", "s"), -ENOENT);
	assert_int_equal(oidc_identity_decode(&d, "", "s"), -ENOENT);
	oidc_identity_decoder_clear(&d);
	assert_null(d.id.subject);
	oidc_identity_decoder_clear(NULL);
}

static void
test_missing_field(void **state)
{
	static const char *const names[] = {
		"issuer", "subject", "username", "email", "auth_time", "acr", "user",
	};
	struct oidc_identity in = { 0 }, out = { 0 };
	struct pairs all = { .fail_at = -1 }, some;
	size_t skip, i;

	(void)state;
	fill(&in);
	assert_int_equal(oidc_identity_encode(&in, collect, &all), 0);
	/* without any one of the seven, there is no identity */
	for (skip = 0; skip < 7; skip++) {
		memset(&some, 0, sizeof(some));
		for (i = 0; i < 7; i++) {
			if (i == skip)
				continue;
			memcpy(some.name[some.n], all.name[i], sizeof(some.name[0]));
			memcpy(some.value[some.n], all.value[i], sizeof(some.value[0]));
			some.n++;
		}
		assert_int_equal(decode_pairs(&some, &out), -ENODATA);
		assert_null(out.issuer);
		assert_null(out.user);
		print_message("# without %s: refused\n", names[skip]);
	}
	oidc_identity_clear(&in);
}

static void
test_bad_values(void **state)
{
	static const struct {
		const char *name, *value;
	} bad[] = {
		{ "subject", "line\nbreak" }, /* control bytes */
		{ "subject", "tab\there" },
		{ "email", "a\x1b[2J@example" },
		{ "acr", "del\x7f" },
		{ "issuer", "" }, /* required ones may not be empty */
		{ "subject", "" },
		{ "user", "" },
		{ "auth_time", "" }, /* numbers */
		{ "auth_time", "-1" },
		{ "auth_time", "12x" },
		{ "auth_time", " 12" },
		{ "auth_time", "+12" },
		{ "auth_time", "9223372036854775808" },
		{ "auth_time", "0x10" },
	};
	struct oidc_identity_decoder d;
	char big[IDENTITY_MAX_FIELD + 2];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		oidc_identity_decoder_init(&d);
		if (oidc_identity_decode(&d, bad[i].name, bad[i].value) != -EINVAL)
			print_error("%s accepted a bad value\n", bad[i].name);
		assert_int_equal(oidc_identity_decode(&d, bad[i].name, bad[i].value), -EINVAL);
		assert_int_equal(d.seen, 0);
		oidc_identity_decoder_clear(&d);
	}
	/* lengths: IDENTITY_MAX_FIELD bytes are fine, one more is not */
	memset(big, 'x', sizeof(big));
	big[IDENTITY_MAX_FIELD] = '\0';
	oidc_identity_decoder_init(&d);
	assert_int_equal(oidc_identity_decode(&d, "email", big), 0);
	big[IDENTITY_MAX_FIELD] = 'x';
	big[IDENTITY_MAX_FIELD + 1] = '\0';
	assert_int_equal(oidc_identity_decode(&d, "subject", big), -EINVAL);
	/* the largest auth_time and UTF-8 are fine */
	assert_int_equal(oidc_identity_decode(&d, "auth_time", "9223372036854775807"), 0);
	assert_int_equal(d.id.auth_time, INT64_MAX);
	assert_int_equal(oidc_identity_decode(&d, "username", "J\xc3\xb6rg"), 0);
	oidc_identity_decoder_clear(&d);
}

static void
test_encode_refuses(void **state)
{
	struct oidc_identity id = { 0 };
	struct pairs p = { .fail_at = -1 };

	(void)state;
	fill(&id);
	/* a bad identity is refused before a single field goes out */
	free(id.email);
	id.email = strdup("a@b\nInjected: yes");
	assert_int_equal(oidc_identity_check(&id), -EINVAL);
	assert_int_equal(oidc_identity_encode(&id, collect, &p), -EINVAL);
	assert_int_equal(p.n, 0);
	free(id.email);
	id.email = NULL;
	assert_int_equal(oidc_identity_encode(&id, collect, &p), -EINVAL);
	id.email = strdup("");
	id.auth_time = -5;
	assert_int_equal(oidc_identity_encode(&id, collect, &p), -EINVAL);
	id.auth_time = 0;
	free(id.user);
	id.user = strdup("");
	assert_int_equal(oidc_identity_encode(&id, collect, &p), -EINVAL);
	assert_int_equal(p.n, 0);
	free(id.user);
	id.user = strdup("alice");
	/* the callback's error stops the encoding and comes back */
	p.fail_at = 2;
	assert_int_equal(oidc_identity_encode(&id, collect, &p), -EIO);
	assert_int_equal(p.n, 2);
	assert_int_equal(oidc_identity_check(NULL), -EINVAL);
	oidc_identity_clear(&id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),      cmocka_unit_test(test_duplicate_and_unknown),
		cmocka_unit_test(test_missing_field),  cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_encode_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
