/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Strict JSON for untrusted input.
 *
 * json-c is lenient: it keeps the last of duplicate keys, accepts "\u0000"
 * inside strings, NaN, trailing data, and clamps huge numbers.  For a token
 * that decides who logs in, "which of two 'sub' members wins" must never be
 * a question, so a small validating scanner walks the raw text first and
 * rejects everything outside RFC 8259 plus the ambiguities above.  Only
 * then does json-c build the tree, and we check that it consumed exactly
 * the value the scanner saw.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json_strict.h"
#include "oidc_err.h"
#include "text.h"

/*
 * Hard ceiling on nesting whatever the caller asks: the scanner recurses
 * once per level with a small name table on the stack (~0.5 KiB a level).
 */
#define JS_DEPTH_CEILING 64

/* Members per object compared pairwise on the stack; more are sorted. */
#define JS_NAMES_INLINE 16

struct js_name {
	const char *s;		/* the decoded name (not NUL-terminated) */
	size_t n;
	char *owned;		/* s when the name had escapes, else NULL */
};

struct js_ctx {
	const unsigned char *p;
	size_t len;
	size_t pos;
	unsigned max_depth;
	const char *why;	/* static description of the first error */
	size_t errpos;
};

static int
js_fail(struct js_ctx *c, const char *why)
{
	if (c->why == NULL) {
		c->why = why;
		c->errpos = c->pos;
	}
	return -EINVAL;
}

static void
js_skip_ws(struct js_ctx *c)
{
	while (c->pos < c->len) {
		unsigned char ch = c->p[c->pos];

		if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
			break;
		c->pos++;
	}
}

static int
js_hex4(struct js_ctx *c, unsigned *ret)
{
	unsigned v = 0, i;

	if (c->len - c->pos < 4)
		return js_fail(c, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		int d = text_hex_digit((char)c->p[c->pos + i]);

		if (d < 0)
			return js_fail(c, "bad hex digit in \\u escape");
		v = v << 4 | (unsigned)d;
	}
	c->pos += 4;
	*ret = v;
	return 0;
}

static int
js_put_utf8(struct buf *out, unsigned cp)
{
	char u[TEXT_UTF8_MAX];
	int n;

	if (out == NULL)
		return 0;
	n = text_utf8_encode(cp, u);
	if (n < 0)
		return n;
	return buf_append(out, u, (size_t)n);
}

/*
 * Scan a string starting at the opening quote.  When out is not NULL the
 * decoded bytes are appended to it; when ret_escaped is not NULL it tells
 * whether the string held any escape (so its raw bytes are not its value).
 */
static int
js_string(struct js_ctx *c, struct buf *out, bool *ret_escaped)
{
	unsigned cp, lo;
	size_t run;
	int n, r;

	c->pos++;	/* opening quote */
	for (;;) {
		unsigned char ch;

		/* Plain printable ASCII runs are the common case: take them whole. */
		run = c->pos;
		while (run < c->len && c->p[run] >= 0x20 && c->p[run] < 0x80 &&
		       c->p[run] != '"' && c->p[run] != '\\')
			run++;
		if (run > c->pos) {
			if (out != NULL && (r = buf_append(out, c->p + c->pos, run - c->pos)) < 0)
				return r;
			c->pos = run;
		}
		if (c->pos >= c->len)
			return js_fail(c, "unterminated string");
		ch = c->p[c->pos];
		if (ch == '"') {
			c->pos++;
			return 0;
		}
		if (ch < 0x20)
			return js_fail(c, ch == 0 ? "NUL byte in string" :
					   "control character in string");
		if (ch >= 0x80) {
			n = text_utf8_decode((const char *)c->p + c->pos, c->len - c->pos, NULL);
			if (n < 0)
				return js_fail(c, "invalid UTF-8 in string");
			if (out != NULL && (r = buf_append(out, c->p + c->pos, (size_t)n)) < 0)
				return r;
			c->pos += (size_t)n;
			continue;
		}
		/* A backslash. */
		if (ret_escaped != NULL)
			*ret_escaped = true;
		c->pos++;
		if (c->pos >= c->len)
			return js_fail(c, "unterminated escape");
		ch = c->p[c->pos++];
		switch (ch) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if ((r = js_hex4(c, &cp)) < 0)
				return r;
			if (cp == 0)
				return js_fail(c, "\\u0000 in string");
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return js_fail(c, "lone low surrogate");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (c->len - c->pos < 2 || c->p[c->pos] != '\\' ||
				    c->p[c->pos + 1] != 'u')
					return js_fail(c, "lone high surrogate");
				c->pos += 2;
				if ((r = js_hex4(c, &lo)) < 0)
					return r;
				if (lo < 0xdc00 || lo > 0xdfff)
					return js_fail(c, "lone high surrogate");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			break;
		default:
			return js_fail(c, "invalid escape");
		}
		if ((r = js_put_utf8(out, cp)) < 0)
			return r;
	}
}

static bool
js_digit(const struct js_ctx *c)
{
	return c->pos < c->len && c->p[c->pos] >= '0' && c->p[c->pos] <= '9';
}

/* RFC 8259 number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
js_number(struct js_ctx *c)
{
	if (c->p[c->pos] == '-')
		c->pos++;
	if (!js_digit(c))
		return js_fail(c, "bad number");
	if (c->p[c->pos] == '0') {
		c->pos++;
		if (js_digit(c))
			return js_fail(c, "leading zero in number");
	} else {
		while (js_digit(c))
			c->pos++;
	}
	if (c->pos < c->len && c->p[c->pos] == '.') {
		c->pos++;
		if (!js_digit(c))
			return js_fail(c, "bad fraction in number");
		while (js_digit(c))
			c->pos++;
	}
	if (c->pos < c->len && (c->p[c->pos] == 'e' || c->p[c->pos] == 'E')) {
		c->pos++;
		if (c->pos < c->len && (c->p[c->pos] == '+' || c->p[c->pos] == '-'))
			c->pos++;
		if (!js_digit(c))
			return js_fail(c, "bad exponent in number");
		while (js_digit(c))
			c->pos++;
	}
	return 0;
}

static int
js_literal(struct js_ctx *c, const char *lit)
{
	size_t n = strlen(lit);

	if (c->len - c->pos < n || memcmp(c->p + c->pos, lit, n) != 0)
		return js_fail(c, "invalid literal");
	c->pos += n;
	return 0;
}

static int
js_name_cmp(const void *a, const void *b)
{
	const struct js_name *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int d = memcmp(x->s, y->s, n);

	if (d != 0)
		return d;
	return x->n < y->n ? -1 : x->n > y->n;
}

static bool
js_names_unique(struct js_name *names, size_t n)
{
	size_t i, j;

	if (n <= JS_NAMES_INLINE) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (names[i].n == names[j].n &&
				    memcmp(names[i].s, names[j].s, names[i].n) == 0)
					return false;
		return true;
	}
	qsort(names, n, sizeof(*names), js_name_cmp);
	for (i = 1; i < n; i++)
		if (js_name_cmp(&names[i - 1], &names[i]) == 0)
			return false;
	return true;
}

static int js_value(struct js_ctx *c, unsigned depth);

/*
 * Scan a member name and record it.  Names without escapes are used in
 * place; only escaped ones are decoded into an owned copy, so that "a"
 * and "\u0061" compare equal.
 */
static int
js_member_name(struct js_ctx *c, struct js_name *name)
{
	size_t start = c->pos;
	bool escaped = false;
	struct buf key;
	int r;

	if ((r = js_string(c, NULL, &escaped)) < 0)
		return r;
	if (!escaped) {
		name->s = (const char *)c->p + start + 1;
		name->n = c->pos - start - 2;
		name->owned = NULL;
		return 0;
	}
	c->pos = start;
	buf_init(&key, c->len + 1);
	if ((r = js_string(c, &key, NULL)) < 0) {
		buf_free(&key);
		return r;
	}
	name->owned = buf_steal(&key, &name->n);
	if (name->owned == NULL)
		return -ENOMEM;
	name->s = name->owned;
	return 0;
}

static int
js_object(struct js_ctx *c, unsigned depth)
{
	struct js_name inline_names[JS_NAMES_INLINE], *names = inline_names, *nn;
	size_t nnames = 0, cap = JS_NAMES_INLINE, i;
	int r;

	c->pos++;	/* '{' */
	js_skip_ws(c);
	if (c->pos < c->len && c->p[c->pos] == '}') {
		c->pos++;
		return 0;
	}
	for (;;) {
		js_skip_ws(c);
		if (c->pos >= c->len || c->p[c->pos] != '"') {
			r = js_fail(c, "expected member name");
			goto out;
		}
		if (nnames == cap) {
			cap *= 2;
			if (names == inline_names) {
				nn = reallocarray(NULL, cap, sizeof(*names));
				if (nn != NULL)
					memcpy(nn, inline_names, sizeof(inline_names));
			} else {
				nn = reallocarray(names, cap, sizeof(*names));
			}
			if (nn == NULL) {
				r = -ENOMEM;
				goto out;
			}
			names = nn;
		}
		if ((r = js_member_name(c, &names[nnames])) < 0)
			goto out;
		nnames++;
		js_skip_ws(c);
		if (c->pos >= c->len || c->p[c->pos] != ':') {
			r = js_fail(c, "expected ':'");
			goto out;
		}
		c->pos++;
		if ((r = js_value(c, depth)) < 0)
			goto out;
		js_skip_ws(c);
		if (c->pos < c->len && c->p[c->pos] == ',') {
			c->pos++;
			continue;
		}
		if (c->pos < c->len && c->p[c->pos] == '}') {
			c->pos++;
			break;
		}
		r = js_fail(c, "expected ',' or '}'");
		goto out;
	}
	r = js_names_unique(names, nnames) ? 0 : js_fail(c, "duplicate member name");
out:
	for (i = 0; i < nnames; i++)
		if (names[i].owned != NULL)
			secure_free(names[i].owned, names[i].n + 1);
	if (names != inline_names)
		free(names);
	return r;
}

static int
js_array(struct js_ctx *c, unsigned depth)
{
	int r;

	c->pos++;	/* '[' */
	js_skip_ws(c);
	if (c->pos < c->len && c->p[c->pos] == ']') {
		c->pos++;
		return 0;
	}
	for (;;) {
		if ((r = js_value(c, depth)) < 0)
			return r;
		js_skip_ws(c);
		if (c->pos < c->len && c->p[c->pos] == ',') {
			c->pos++;
			continue;
		}
		if (c->pos < c->len && c->p[c->pos] == ']') {
			c->pos++;
			return 0;
		}
		return js_fail(c, "expected ',' or ']'");
	}
}

/* Scan one value; depth is the nesting of the container holding it. */
static int
js_value(struct js_ctx *c, unsigned depth)
{
	unsigned char ch;

	js_skip_ws(c);
	if (c->pos >= c->len)
		return js_fail(c, "unexpected end of input");
	ch = c->p[c->pos];
	switch (ch) {
	case '{':
	case '[':
		if (depth + 1 > c->max_depth)
			return js_fail(c, "nesting too deep");
		return ch == '{' ? js_object(c, depth + 1) : js_array(c, depth + 1);
	case '"':
		return js_string(c, NULL, NULL);
	case 't':
		return js_literal(c, "true");
	case 'f':
		return js_literal(c, "false");
	case 'n':
		return js_literal(c, "null");
	default:
		if (ch == '-' || (ch >= '0' && ch <= '9'))
			return js_number(c);
		return js_fail(c, ch == 0 ? "NUL byte" : "unexpected character");
	}
}

/*
 * Validate text[0..len) and build the json-c tree; see json_strict.h.
 * Returns 0 with *ret, or -EINVAL/-EFBIG/-ENOMEM with err filled.
 */
int
json_strict_parse(const char *text, size_t len, size_t max_len,
		  unsigned max_depth, bool require_object,
		  json_object **ret, struct oidc_err *err)
{
	struct js_ctx c = { 0 };
	json_tokener *tok = NULL;
	json_object *obj = NULL;
	char *copy = NULL;
	size_t start, end = 0;
	int r;

	if (text == NULL || ret == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, EINVAL, "JSON: no input");
	/* json-c counts in int; nothing we parse comes near that anyway. */
	if (len > max_len || len >= INT_MAX)
		return oidc_err_set(err, OIDC_R_TOO_LARGE, EFBIG,
				    "JSON document of %zu bytes exceeds the limit of %zu",
				    len, max_len);
	if (max_depth == 0)
		max_depth = 1;
	if (max_depth > JS_DEPTH_CEILING)
		max_depth = JS_DEPTH_CEILING;
	c.p = (const unsigned char *)text;
	c.len = len;
	c.max_depth = max_depth;

	js_skip_ws(&c);
	start = c.pos;
	if (require_object && (c.pos >= c.len || c.p[c.pos] != '{')) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL, "JSON: not an object");
		goto out;
	}
	r = js_value(&c, 0);
	if (r == -ENOMEM) {
		oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "JSON: out of memory");
		goto out;
	}
	if (r == 0) {
		end = c.pos;
		js_skip_ws(&c);
		if (c.pos != c.len)
			r = js_fail(&c, "trailing data after the value");
	}
	if (r < 0) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				 "invalid JSON at byte %zu: %s", c.errpos,
				 c.why ? c.why : "syntax error");
		goto out;
	}

	tok = json_tokener_new_ex((int)max_depth + 1);
	if (tok == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "JSON: out of memory");
		goto out;
	}
	/*
	 * No JSON_TOKENER_VALIDATE_UTF8: the scanner has already held the
	 * text to RFC 3629, which is stricter, and the flag costs about a
	 * tenth of an ID token's parse time.
	 */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	if (text[start] == '{' || text[start] == '[') {
		obj = json_tokener_parse_ex(tok, text + start, (int)(end - start));
	} else {
		/* json-c needs a terminator to know a bare scalar has ended. */
		copy = malloc(end - start + 1);
		if (copy == NULL) {
			r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "JSON: out of memory");
			goto out;
		}
		memcpy(copy, text + start, end - start);
		copy[end - start] = '\0';
		obj = json_tokener_parse_ex(tok, copy, (int)(end - start + 1));
	}
	/* A top-level "null" is a NULL object in json-c, and valid. */
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != end - start) {
		r = oidc_err_set(err, OIDC_R_MALFORMED, EINVAL,
				 "JSON rejected by the parser: %s",
				 json_tokener_error_desc(json_tokener_get_error(tok)));
		goto out;
	}
	*ret = obj;
	obj = NULL;
	r = 0;
out:
	if (copy != NULL)
		secure_free(copy, end - start + 1);
	json_object_put(obj);
	if (tok != NULL)
		json_tokener_free(tok);
	return r;
}

/*
 * Member `key` of obj as a string borrowed from obj.  Returns 0, -ENOENT
 * when absent (or obj is not an object), -EINVAL when not a string.
 */
int
json_get_string(json_object *obj, const char *key, const char **ret)
{
	json_object *v;

	if (obj == NULL || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v))
		return -ENOENT;
	if (!json_object_is_type(v, json_type_string))
		return -EINVAL;
	*ret = json_object_get_string(v);
	return 0;
}

/*
 * Member `key` as a JSON number in [min, max], fractions floored.  Returns
 * 0, -ENOENT (absent), -EINVAL (not a number, or not finite), -ERANGE.
 */
int
json_get_number(json_object *obj, const char *key, int64_t min, int64_t max, int64_t *ret)
{
	json_object *v;
	int64_t i;
	double d;

	if (obj == NULL || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v))
		return -ENOENT;
	switch (json_object_get_type(v)) {
	case json_type_int:
		i = json_object_get_int64(v);
		/*
		 * json-c clamps out-of-range integers to INT64_MAX/INT64_MIN.
		 * INT64_MAX is genuine only when the unsigned reading agrees;
		 * INT64_MIN cannot be told apart from a clamped value, so it
		 * is refused.
		 */
		if (i == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX)
			return -ERANGE;
		if (i == INT64_MIN)
			return -ERANGE;
		break;
	case json_type_double:
		d = json_object_get_double(v);
		if (isnan(d))
			return -EINVAL;
		/* JSON has no infinity: here it is an overflow such as 1e400. */
		if (isinf(d))
			return -ERANGE;
		if (!(d >= -0x1p63 && d < 0x1p63))
			return -ERANGE;
		i = (int64_t)d;	/* toward zero; make it toward -inf */
		if ((double)i > d)
			i--;
		break;
	default:
		return -EINVAL;
	}
	if (i < min || i > max)
		return -ERANGE;
	*ret = i;
	return 0;
}
