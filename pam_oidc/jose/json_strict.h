/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Strict JSON for untrusted input.  json-c is lenient (last duplicate key
 * wins, "\u0000" inside strings, NaN, trailing data, clamped big numbers);
 * this layer validates the raw text first and rejects each of those, then
 * lets json-c build the tree.
 */
#ifndef OIDC_JSON_STRICT_H
#define OIDC_JSON_STRICT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <json-c/json.h>

struct oidc_err;

#define JSON_STRICT_MAX_DEPTH 16

/*
 * Parse exactly one JSON value from text[0..len): RFC 8259 syntax only, no
 * duplicate member names in any object, no \u0000 (escaped or raw) in any
 * string, valid UTF-8, no NaN/Infinity, nothing but whitespace after the
 * value, nesting at most max_depth, len at most max_len.  When
 * require_object is true the top-level value must be an object.
 * Returns 0 and *ret (caller json_object_put()s it), or -EINVAL/-EFBIG
 * with err filled (reason OIDC_R_MALFORMED or OIDC_R_TOO_LARGE).  A
 * top-level `null` (only when require_object is false) gives *ret NULL.
 */
int json_strict_parse(const char *text, size_t len, size_t max_len,
		      unsigned max_depth, bool require_object,
		      json_object **ret, struct oidc_err *err);

/*
 * Get member `key` of obj as a string.  Returns 0 with *ret borrowed
 * from obj, -ENOENT if absent, -EINVAL if not a string.
 */
int json_get_string(json_object *obj, const char *key, const char **ret);

/*
 * Get member `key` as a JSON number (int or double; fractions allowed)
 * within [min, max] (inclusive).  Booleans, strings, NaN, infinities and
 * out-of-range values are rejected.  Fractions are truncated toward
 * negative infinity into *ret.  Returns 0, -ENOENT, -EINVAL, -ERANGE.
 */
int json_get_number(json_object *obj, const char *key, int64_t min, int64_t max, int64_t *ret);

#endif
