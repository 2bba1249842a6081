/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Building one journal entry as a list of FIELD=value pairs, and sending
 * it to journald (jf_send).  Values may hold any byte (a value with a
 * newline goes in the binary, length-prefixed form of journald's native
 * protocol; lengths are always explicit, never NUL termination).  Field
 * names are checked: [A-Z0-9_], not starting with '_' or a digit, at most
 * 64 characters, as journald requires.
 *
 * The same list feeds the JSON sink of oidc-audit, so a pipeline sees the
 * very fields journald stores.
 */
#ifndef OIDC_JOURNAL_FIELDS_H
#define OIDC_JOURNAL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define JF_MAX_NAME 64
#define JF_MAX_FIELDS 64

struct jfields {
	char *data;		/* "NAME=value" strings, back to back */
	size_t len, cap, max;	/* bytes used, allocated, allowed */
	size_t n;		/* fields */
	size_t off[JF_MAX_FIELDS];	/* start of field i in data */
	size_t flen[JF_MAX_FIELDS];	/* length of "NAME=value" */
	size_t nlen[JF_MAX_FIELDS];	/* length of NAME */
	struct iovec iov[JF_MAX_FIELDS];
};

/* Initialise an empty list whose text may grow to max_bytes. */
void jf_init(struct jfields *f, size_t max_bytes);

/* Drop all fields but keep the memory for the next entry. */
void jf_reset(struct jfields *f);

/* Release the memory; NULL-safe. */
void jf_free(struct jfields *f);

/* True when name is a valid journal field name for us. */
bool jf_name_valid(const char *name);

/*
 * Add NAME=value with value of len bytes (any byte allowed).  Returns 0,
 * -EINVAL for a bad name, -E2BIG when JF_MAX_FIELDS is reached, -EFBIG over
 * the byte limit.  A NULL value adds nothing and returns 0.
 */
int jf_add(struct jfields *f, const char *name, const void *value, size_t len);

/* As jf_add for a NUL-terminated value (NULL adds nothing). */
int jf_add_str(struct jfields *f, const char *name, const char *value);

/* Numbers in decimal. */
int jf_add_u64(struct jfields *f, const char *name, uint64_t v);
int jf_add_i64(struct jfields *f, const char *name, int64_t v);

/* Field i: name (not NUL-terminated, nlen bytes) and value (vlen bytes). */
void jf_get(const struct jfields *f, size_t i, const char **name, size_t *nlen,
	    const char **value, size_t *vlen);

/* Find the value of the first field called name; NULL when absent. */
const char *jf_find(const struct jfields *f, const char *name, size_t *vlen);

/*
 * The "NAME=value" iovec array, as sd_journal_sendv takes it (valid until
 * the next add/reset); for the benchmark baseline and the tests.
 */
const struct iovec *jf_iovec(struct jfields *f, size_t *ret_n);

/* journald's native socket, for jf_send(). */
#define JF_JOURNAL_SOCKET "/run/systemd/journal/socket"

/* jf_send()'s timeout_ms that waits for as long as journald does not read. */
#define JF_WAIT_FOREVER (-1)

/*
 * The one way an entry reaches journald: send it in journald's native
 * protocol to the socket at socket_path, as one datagram or, over the
 * socket's datagram size, in a sealed memfd passed with SCM_RIGHTS.  It
 * waits at most timeout_ms for room in journald's queue, so that a
 * journald that is stopped (SIGSTOP) or too slow cannot hold the caller
 * for longer (the module), or with JF_WAIT_FOREVER for as long as journald
 * takes (oidc-audit's back-pressure).  Unlike sd_journal_sendv, a missing
 * socket is an error, not a silent success.  Returns 0, -ENOENT (no
 * socket), -ECONNREFUSED (nobody reads the socket), -ETIMEDOUT, -EINVAL
 * (an empty entry, a bad path or timeout) or another negative errno.
 */
int jf_send(struct jfields *f, const char *socket_path, int timeout_ms);

/*
 * A non-blocking datagram socket connected to the journald socket at
 * socket_path, close-on-exec (what jf_send sends on; a probe of whether
 * journald listens); the fd, or -ENOENT, -ECONNREFUSED, -EINVAL or another
 * negative errno.
 */
int jf_connect(const char *socket_path);

/*
 * Append an untrusted value to a human MESSAGE: backslash, newline and tab
 * become \\, \n, \t; other control bytes, DEL and bytes that are not valid
 * UTF-8 become \xNN; valid UTF-8 that text_cp_unsafe() names (C1 controls,
 * bidi overrides, isolates and marks, the BOM; text.h) becomes \uXXXX.
 * The output is cut at cap bytes with "..." appended, never inside an
 * escape or a character.  Returns bytes written (not counting the NUL
 * always written when cap > 0).
 */
size_t jf_escape(char *out, size_t cap, const char *s, size_t len);

/*
 * As jf_escape for text that is a MESSAGE already (read back from the
 * journal, for a terminal): the same escapes except that a backslash is
 * kept, so an entry written by jf_escape shows as it was written, and
 * anything raw that an entry holds (an older writer's, another program's)
 * is still escaped.
 */
size_t jf_escape_display(char *out, size_t cap, const char *s, size_t len);

/*
 * Append a JSON string or, when the value is not valid UTF-8, a JSON array
 * of byte values (what `journalctl -o json` prints for such fields) to out,
 * growing *out with realloc.  Returns 0 or -ENOMEM.
 */
int jf_json_value(char **out, size_t *outlen, size_t *outcap, const char *s, size_t len);

/* True when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool jf_utf8_valid(const char *s, size_t len);

#endif
