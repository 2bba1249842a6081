/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The session registry: /run/pam_oidc/sessions/<audit-session-id>, one JSON
 * object per login session, written by pam_oidc.so before the user's shell
 * starts and read by oidc-audit.  See DESIGN.md, "Session registry".
 */
#ifndef OIDC_REGISTRY_H
#define OIDC_REGISTRY_H

#include <stdint.h>
#include <stdbool.h>

struct oidc_err;

#define REGISTRY_DEFAULT_DIR "/run/pam_oidc/sessions"
#define REGISTRY_MAX_FILE 8192

struct registry_entry {
	char *boot_id;		/* 32 hex chars, /proc/sys/kernel/random/boot_id without dashes */
	uint32_t session;	/* audit session id */
	uint32_t loginuid;
	char *user;		/* local account */
	char *issuer;
	char *subject;
	char *username;
	char *email;		/* may be NULL */
	char *login_id;		/* random per login, 32 hex chars */
	int64_t auth_time;	/* 0 when unknown */
	char *service;		/* sshd, sudo, ... */
	char *rhost;		/* may be NULL */
	uint64_t opened;	/* µs since the epoch */
	uint64_t closed;	/* µs since the epoch; 0 while open */
};

/*
 * Write (create or replace) the entry for e->session in dir: the directory
 * (and any missing parent) is created 0700 if missing, and must be a
 * directory of ours that is not a symlink; the entry is replaced with
 * sf_write_replace (0600 temporary, rename; not fsync'd).
 */
int registry_write(const char *dir, const struct registry_entry *e, struct oidc_err *err);

/* Read the entry of one session.  -ENOENT when there is none. */
int registry_read(const char *dir, uint32_t session, struct registry_entry *ret,
		  struct oidc_err *err);

/* Mark an entry closed at closed_us (read, set closed, write back). */
int registry_close(const char *dir, uint32_t session, uint64_t closed_us, struct oidc_err *err);

/* Free members; NULL-safe; the struct is zeroed afterwards. */
void registry_entry_free(struct registry_entry *e);

/* Read this boot's id (32 lowercase hex chars + NUL) into buf. */
int registry_boot_id(char buf[33]);

#endif
