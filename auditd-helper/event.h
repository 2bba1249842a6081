/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An assembled audit event, the interface between the record parser /
 * assembler (record.c, assemble.c, event.c) and the enrichment and sinks
 * (enrich.c, sink_journal.c, sink_json.c).  All strings are owned by the
 * event, NUL-terminated and already decoded (hex values turned into bytes);
 * a decoded value may contain any byte but NUL, and is kept verbatim.
 */
#ifndef OIDC_AUDIT_EVENT_H
#define OIDC_AUDIT_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum audit_event_kind {
	AUDIT_EV_OTHER = 0,	/* passed over */
	AUDIT_EV_EXEC,		/* execve / execveat */
	AUDIT_EV_FILE,		/* open*, unlink*, rename*, chmod*, chown*, ... */
	AUDIT_EV_LOGIN,		/* the kernel's LOGIN record (loginuid/session change) */
};

/* Caps that keep memory bounded whatever the input. */
#define AUDIT_MAX_RECORD_LEN	(64 * 1024)	/* one line */
#define AUDIT_MAX_ARGC		4096
#define AUDIT_MAX_ARGV_BYTES	(1024 * 1024)	/* all arguments together */
#define AUDIT_MAX_PATHS		8

struct audit_event {
	enum audit_event_kind kind;
	char *node;			/* node= prefix, NULL when absent */
	uint64_t time_us;		/* kernel event time, µs since the epoch */
	uint64_t serial;
	uint32_t session;		/* ses=, UINT32_MAX = unset (4294967295) */
	uint32_t loginuid;		/* auid=, UINT32_MAX = unset */
	char *key;			/* key=, NULL when "(null)" or absent */

	/* process (SYSCALL record) */
	char *syscall;			/* name: "execve", "openat", ... (from the number and arch, or ENRICHED SYSCALL=) */
	long syscall_nr;
	bool success;
	int64_t exit;			/* exit= */
	int64_t pid, ppid;		/* -1 when absent (also uid, euid; syscall_nr) */
	int64_t uid, euid;
	char *tty;
	char *comm;
	char *exe;
	char *cwd;			/* CWD record */

	/* exec */
	size_t argc;
	char **argv;			/* argc entries, decoded; argv_truncated when capped */
	bool argv_truncated;

	/* file */
	char *operation;		/* "read", "write", "create", "delete", "rename", "chmod", "chown", "exec", ... */
	size_t npaths;
	/*
	 * PATH records' name=, resolved against cwd when relative, most
	 * relevant first (see event.c): paths[0] is the object operated on
	 * (the file opened / created / deleted / chmod'ed, the rename source,
	 * the executable), paths[1] the second path when there is one (the
	 * rename destination; for exec the interpreter).  PARENT items only
	 * when no other item exists.  A NULL entry: the item had no name.
	 */
	char *paths[AUDIT_MAX_PATHS];
	char *path_nametype[AUDIT_MAX_PATHS];	/* nametype= (NORMAL, CREATE, DELETE, PARENT, ...) */

	/* login (LOGIN record) */
	uint32_t old_session, old_loginuid;

	/* bookkeeping */
	size_t nrecords;		/* records that made up the event */
	bool incomplete;		/* closed by the window, not by EOE */

	/* added by auparse (assemble.c) */
	uint32_t first_type;		/* record type number of the first record (1300 SYSCALL, 1006 LOGIN, 1200 DAEMON_START, ...) */
	uint32_t arch;			/* SYSCALL arch= (0xc000003e x86_64), 0 when absent */

	/* added by the assembler with cfg.boots (audit.log, which spans boots) */
	uint32_t boot;		/* boots of its node before the event's, in the input */
	uint64_t boot_start_us; /* when the event's boot began there; 0 unknown (the first) */
};

/* Free an event and everything it owns; NULL-safe. */
void audit_event_free(struct audit_event *ev);

#endif
