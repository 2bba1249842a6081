/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One audit record, parsed from its text form:
 *
 *   [node=NAME ]type=TYPE msg=audit(SEC.MSEC:SERIAL): k=v k=v ...[\x1d K=V K=V ...]
 *
 * Values are bare (digits, hex, words, or hex-encoded strings), quoted
 * ("..." with no escapes: audit hex-encodes any value that would need
 * them), or the markers (null) / (none).  The part after the 0x1d group
 * separator is the ENRICHED section that auditd adds with
 * log_format=ENRICHED (UID="root" SYSCALL=openat ...); its fields are kept
 * with enriched = 1.  The parser is a hand parser over the caller's bytes:
 * no allocation; fields are offsets into the line.
 */
#ifndef OIDC_AUDIT_RECORD_H
#define OIDC_AUDIT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Record type numbers (linux/audit.h) the code looks at. */
#define AUDIT_T_LOGIN		1006
#define AUDIT_T_DAEMON_START	1200
#define AUDIT_T_SYSCALL		1300
#define AUDIT_T_PATH		1302
#define AUDIT_T_CWD		1307
#define AUDIT_T_EXECVE		1309
#define AUDIT_T_EOE		1320
#define AUDIT_T_PROCTITLE	1327
#define AUDIT_T_OPENAT2		1337

#define AUDIT_REC_MAX_FIELDS	1024	/* per record; more are counted as truncation */

enum audit_val_kind {
	AUDIT_VAL_BARE = 0,	/* unquoted: a number, a word, or hex-encoded bytes */
	AUDIT_VAL_QUOTED,	/* "...": the offsets exclude the quotes */
	AUDIT_VAL_NULL,		/* (null) */
	AUDIT_VAL_NONE,		/* (none) */
};

struct audit_field {
	uint32_t key_off;
	uint32_t val_off;
	uint32_t val_len;
	uint16_t key_len;
	uint8_t kind;		/* enum audit_val_kind */
	uint8_t enriched;	/* after the 0x1d separator */
};

struct audit_record {
	const char *text;	/* the line; fields are offsets into it */
	uint32_t len;
	uint32_t type;		/* number: from the name table or UNKNOWN[n]; 0 if unknown name */
	uint32_t type_off, type_len;	/* the type name as written */
	uint32_t node_off, node_len;	/* node_len 0: no node= prefix */
	uint64_t sec;
	uint32_t msec;
	uint64_t serial;
	uint32_t nfields;
	bool truncated;		/* ended inside a value, or over AUDIT_REC_MAX_FIELDS */
	struct audit_field *fields;
};

/*
 * Parse line[0..len) (no newline) into *rec, storing at most max_fields
 * fields in the caller's array (rec->fields = fields).  rec->text = line:
 * the record borrows the line.  Returns 0 (rec->truncated tells whether the
 * body was cut), or -EINVAL when the line has no valid record header
 * (garbage).  Never reads beyond len.
 */
int record_parse(const char *line, size_t len, struct audit_field *fields, size_t max_fields,
		 struct audit_record *rec);

/*
 * Copy a parsed record into one allocation that owns its text and fields
 * (free with record_free).  Returns NULL when out of memory.
 */
struct audit_record *record_dup(const struct audit_record *rec);

/* Free a record made by record_dup.  NULL-safe. */
void record_free(struct audit_record *rec);

/* Record type number for a name ("SYSCALL" -> 1300); 0 when not in the table. */
uint32_t record_type_from_name(const char *name, size_t len);

/* First field named key (body, or ENRICHED section when enriched); NULL if none. */
const struct audit_field *record_find(const struct audit_record *rec, const char *key,
				      bool enriched);

/* Pointer to a field's raw value bytes (not NUL-terminated; f->val_len long). */
static inline const char *
record_val(const struct audit_record *rec, const struct audit_field *f)
{
	return rec->text + f->val_off;
}

/*
 * Decode a string value into a new NUL-terminated string: QUOTED -> the
 * bytes between the quotes; BARE -> when hex is true and the value is
 * non-empty, even-length hex (audit's encoding of untrusted strings with
 * spaces, quotes, control or non-ASCII bytes), the decoded bytes, else the
 * value verbatim; NULL/NONE -> *ret = NULL.  Pass hex = true only for
 * fields audit encodes (exe, comm, cwd, name, aN, key, proctitle, ...):
 * a tty such as "pts0" is never hex.  Decoding stops at a decoded NUL
 * byte (a C string cannot hold one).  Returns 0 or -ENOMEM.
 */
int record_val_string(const struct audit_record *rec, const struct audit_field *f, bool hex,
		      char **ret);

/*
 * As record_val_string into dst, which must have room for f->val_len
 * bytes; no NUL is added.  Returns the decoded length (0 for NULL/NONE).
 */
size_t record_val_decode(const struct audit_record *rec, const struct audit_field *f, bool hex,
			 char *dst);

/* Decimal signed value.  Returns 0, -EINVAL, -ERANGE. */
int record_val_i64(const struct audit_record *rec, const struct audit_field *f, int64_t *ret);

/* Hexadecimal unsigned value (a0=, arch=).  Returns 0, -EINVAL, -ERANGE. */
int record_val_hex(const struct audit_record *rec, const struct audit_field *f, uint64_t *ret);

/* Octal unsigned value, with or without a leading 0 (oflag=).  0, -EINVAL, -ERANGE. */
int record_val_oct(const struct audit_record *rec, const struct audit_field *f, uint64_t *ret);

#endif
