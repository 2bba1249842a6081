/* SPDX-License-Identifier: BSD-2-Clause */
/* The line protocol between pam_oidc.so and oidc-child (see child_proto.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "child_proto.h"
#include "numparse.h"
#include "text.h"

static bool
needs_escape(unsigned char c)
{
	return c < 0x21 || c > 0x7e || c == '%';
}

/* Percent-encode a value for a protocol line; 0 or -EFBIG (see child_proto.h). */
int
child_proto_encode(const char *value, char *out, size_t outsz)
{
	size_t o = 0;
	const unsigned char *p;

	if (value == NULL || out == NULL || outsz == 0)
		return -EINVAL;
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if (needs_escape(*p)) {
			if (outsz - o < 4)
				goto toobig;
			out[o++] = '%';
			text_hex_byte(*p, true, out + o);
			o += 2;
		} else {
			if (outsz - o < 2)
				goto toobig;
			out[o++] = (char)*p;
		}
	}
	out[o] = '\0';
	return 0;
toobig:
	out[0] = '\0';
	return -EFBIG;
}

/* Undo the percent-encoding in place; 0, or -EINVAL for a bad escape or %00. */
int
child_proto_decode(char *value)
{
	char *r, *w;
	int hi, lo;

	if (value == NULL)
		return -EINVAL;
	for (r = w = value; *r != '\0'; r++) {
		if (*r != '%') {
			*w++ = *r;
			continue;
		}
		if (r[1] == '\0' || r[2] == '\0')
			return -EINVAL;
		hi = text_hex_digit(r[1]);
		lo = text_hex_digit(r[2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return -EINVAL;
		*w++ = (char)(hi << 4 | lo);
		r += 2;
	}
	*w = '\0';
	return 0;
}

static bool
key_valid(const char *key, size_t len)
{
	size_t i;

	if (len == 0 || len > 64)
		return false;
	for (i = 0; i < len; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') || key[i] == '_'))
			return false;
	return true;
}

/* Build one "key value\n" line; its length, or -EINVAL / -EFBIG. */
int
child_proto_format(const char *key, const char *value, char *out, size_t outsz)
{
	size_t klen, vlen, max;
	int r;

	if (key == NULL || out == NULL || outsz == 0)
		return -EINVAL;
	klen = strlen(key);
	if (!key_valid(key, klen))
		return -EINVAL;
	max = outsz < CHILD_PROTO_MAX_LINE + 1 ? outsz : CHILD_PROTO_MAX_LINE + 1;
	/* key, '\n', NUL at least */
	if (klen + 2 > max)
		return -EFBIG;
	memcpy(out, key, klen);
	if (value == NULL) {
		out[klen] = '\n';
		out[klen + 1] = '\0';
		return (int)(klen + 1);
	}
	if (klen + 3 > max)
		return -EFBIG;
	out[klen] = ' ';
	/* leave room for '\n' after the encoded value */
	r = child_proto_encode(value, out + klen + 1, max - klen - 2);
	if (r < 0) {
		out[0] = '\0';
		return r;
	}
	vlen = strlen(out + klen + 1);
	out[klen + 1 + vlen] = '\n';
	out[klen + 2 + vlen] = '\0';
	return (int)(klen + 2 + vlen);
}

/* Split a received line into key and decoded value; 0 or -EINVAL. */
int
child_proto_split(char *line, char **ret_key, char **ret_value)
{
	char *sp, *p;
	size_t klen;

	if (line == NULL || ret_key == NULL || ret_value == NULL)
		return -EINVAL;
	if (strlen(line) > CHILD_PROTO_MAX_LINE)
		return -EINVAL;
	sp = strchr(line, ' ');
	klen = sp != NULL ? (size_t)(sp - line) : strlen(line);
	if (!key_valid(line, klen))
		return -EINVAL;
	if (sp == NULL) {
		*ret_key = line;
		*ret_value = line + klen;	/* "" */
		return 0;
	}
	/* an encoded value never holds a raw space or control byte */
	for (p = sp + 1; *p != '\0'; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return -EINVAL;
	if (child_proto_decode(sp + 1) < 0)
		return -EINVAL;
	*sp = '\0';
	*ret_key = line;
	*ret_value = sp + 1;
	return 0;
}

static bool
step_name_valid(const char *name)
{
	size_t n = strlen(name);

	return n <= CHILD_PROTO_MAX_STEP_NAME && key_valid(name, n);
}

static bool
is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* See child_proto.h. */
int
child_proto_step_format(const char *name, bool ok, int64_t elapsed_ms, const char *detail,
			char *out, size_t outsz)
{
	char clean[CHILD_PROTO_MAX_STEP_DETAIL + 1];
	size_t n, i;
	int w;

	if (name == NULL || out == NULL || outsz == 0 || !step_name_valid(name) || elapsed_ms < 0)
		return -EINVAL;
	if (detail == NULL)
		detail = "";
	n = strnlen(detail, CHILD_PROTO_MAX_STEP_DETAIL + 1);
	if (n > CHILD_PROTO_MAX_STEP_DETAIL) {
		/* cut before a continuation byte would leave half a character */
		n = CHILD_PROTO_MAX_STEP_DETAIL;
		while (n > 0 && ((unsigned char)detail[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		clean[i] = is_control((unsigned char)detail[i]) ? '?' : detail[i];
	clean[n] = '\0';
	w = snprintf(out, outsz, "%s %s %" PRId64 "%s%s", name, ok ? "ok" : "failed", elapsed_ms,
		     n > 0 ? " " : "", clean);
	if (w < 0 || (size_t)w >= outsz) {
		out[0] = '\0';
		return -EFBIG;
	}
	return 0;
}

/* See child_proto.h. */
int
child_proto_step_parse(char *value, struct child_proto_step *ret)
{
	char *status, *ms, *detail, *p;
	int64_t elapsed;

	if (value == NULL || ret == NULL)
		return -EINVAL;
	status = strchr(value, ' ');
	if (status == NULL)
		return -EINVAL;
	*status++ = '\0';
	ms = strchr(status, ' ');
	if (ms == NULL)
		return -EINVAL;
	*ms++ = '\0';
	detail = strchr(ms, ' ');
	if (detail != NULL)
		*detail++ = '\0';
	else
		detail = ms + strlen(ms); /* "" */
	if (!step_name_valid(value) ||
	    (strcmp(status, "ok") != 0 && strcmp(status, "failed") != 0) ||
	    num_parse_i64(ms, 0, INT64_MAX, &elapsed) < 0 ||
	    strlen(detail) > CHILD_PROTO_MAX_STEP_DETAIL)
		return -EINVAL;
	for (p = detail; *p != '\0'; p++)
		if (is_control((unsigned char)*p))
			return -EINVAL;
	ret->name = value;
	ret->ok = status[0] == 'o';
	ret->elapsed_ms = elapsed;
	ret->detail = detail;
	return 0;
}

static const char *const reason_tokens[OIDC__R_MAX] = {
	[OIDC_R_NONE] = "none",
	[OIDC_R_INTERNAL] = "internal",
	[OIDC_R_USAGE] = "usage",
	[OIDC_R_CONFIG] = "config",
	[OIDC_R_MALFORMED] = "malformed",
	[OIDC_R_ALGORITHM] = "algorithm",
	[OIDC_R_NO_KEY] = "no_key",
	[OIDC_R_BAD_KEY] = "bad_key",
	[OIDC_R_SIGNATURE] = "signature",
	[OIDC_R_CRIT] = "crit",
	[OIDC_R_ISSUER] = "issuer",
	[OIDC_R_AUDIENCE] = "audience",
	[OIDC_R_AZP] = "azp",
	[OIDC_R_EXPIRED] = "expired",
	[OIDC_R_NOT_YET_VALID] = "not_yet_valid",
	[OIDC_R_IAT] = "iat",
	[OIDC_R_CLAIM] = "claim",
	[OIDC_R_SUBJECT] = "subject",
	[OIDC_R_AUTH_TIME] = "auth_time",
	[OIDC_R_ACR] = "acr",
	[OIDC_R_NETWORK] = "network",
	[OIDC_R_HTTP] = "http",
	[OIDC_R_TOO_LARGE] = "too_large",
	[OIDC_R_DISCOVERY] = "discovery",
	[OIDC_R_THROTTLED] = "throttled",
	[OIDC_R_DENIED] = "denied",
	[OIDC_R_TIMEOUT] = "timeout",
	[OIDC_R_USER] = "user",
};

/* The stable token of a reason for "fail" lines ("internal" when unknown). */
const char *
child_proto_reason_token(enum oidc_reason r)
{
	if ((unsigned)r >= OIDC__R_MAX || reason_tokens[r] == NULL)
		return "internal";
	return reason_tokens[r];
}

/* The reason a "fail" token names; OIDC_R_INTERNAL for anything unknown. */
enum oidc_reason
child_proto_reason_from_token(const char *token)
{
	unsigned i;

	if (token == NULL)
		return OIDC_R_INTERNAL;
	/* from 1: "none" in a fail line is not a reason, so never OIDC_R_NONE */
	for (i = 1; i < OIDC__R_MAX; i++)
		if (reason_tokens[i] != NULL && strcmp(reason_tokens[i], token) == 0)
			return (enum oidc_reason)i;
	/* an unknown token is never mistaken for success */
	return OIDC_R_INTERNAL;
}
