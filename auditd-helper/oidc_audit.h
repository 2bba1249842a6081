/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * oidc-audit internals shared by the daemon, replay, search and the tests:
 * configuration, enrichment, journal fields of an event, sinks, loss
 * accounting and restart back-fill.
 *
 * Flow control is single-threaded on purpose: one loop reads stdin, feeds
 * the assembler, whose callback enriches the event and hands it to the
 * sink synchronously.  A sink that blocks (journald slow, its socket
 * buffer full; a stdout pipe full) blocks the loop, so nothing more is
 * read: the pipe from auditd fills and auditd queues (q_depth) and reports
 * its own overflow.  There is no queue inside oidc-audit that could
 * overflow silently; the bounded "queue" is the pipe plus the assembler's
 * capped pending set.  A journald that is down is different: waiting for
 * it would stall auditd for as long, so the plugin reads on, counts what
 * it cannot write, and back-fills it from audit.log once journald is back
 * (oidc-audit.c, backfill.c).
 */
#ifndef OIDC_AUDIT_H
#define OIDC_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "journal_fields.h"
#include "registry.h"

struct oidc_err;

#define OIDC_AUDIT_CONF_DEFAULT SYSCONFDIR "/pam_oidc/oidc-audit.conf"
#define OIDC_AUDIT_LOG_DEFAULT "/var/log/audit/audit.log"
#define OIDC_AUDIT_IDENT "oidc-audit"

enum audit_output {
	AUDIT_OUTPUT_JOURNAL = 0,
	AUDIT_OUTPUT_JSON,
	AUDIT_OUTPUT_OCSF, /* the entries as OCSF events (sink_ocsf.c) */
};

/* The OCSF schema version --output ocsf writes (sink_ocsf.c, oidc-audit(8)). */
#define OCSF_VERSION "1.3.0"

/* Configuration: file (key = value) overridden by the command line. */
struct audit_conf {
	char *registry_dir;		/* registry_dir */
	bool all_sessions;		/* all_sessions */
	enum audit_output output;	/* output = journal | json | ocsf */
	char *audit_log;		/* audit_log: newest file of audit.log[.N] */
	bool backfill;			/* backfill */
	unsigned status_interval;	/* kernel_status_interval (s), 0 = off */
	unsigned window_ms;		/* window_ms */
	unsigned message_max;		/* message_max: MESSAGE cap in bytes */
};

/* Defaults. */
void audit_conf_init(struct audit_conf *c);
void audit_conf_free(struct audit_conf *c);

/*
 * Read a key = value file into c with common/kv.h (keys above; '#' starts
 * a comment anywhere on a line; unknown keys, bad values are errors naming
 * the line; a bad file changes nothing).  A missing file is -ENOENT with c
 * and err untouched.  The file must be a regular file, not a symbolic
 * link, owned by root (or the euid), not writable by group or others, at
 * most 64 KiB, without NUL bytes.
 */
int audit_conf_load(struct audit_conf *c, const char *path, struct oidc_err *err);

/* Set one key from text (shared by the file and tests). */
int audit_conf_set(struct audit_conf *c, const char *key, const char *value, struct oidc_err *err);

/* ---- enrichment (enrich.c) */
struct enricher;

/*
 * How far outside an entry's [opened, closed] an event may lie and still
 * be the session's: the kernel stamps an event at the start of its system
 * call with a coarse clock, `opened` is written just before the shell
 * starts, `closed` at logout.
 */
#define ENRICH_SLACK_US 1000000

struct enrich_stats {
	uint64_t hits, misses, reads, read_errors, negative;
	uint64_t mismatched; /* an entry of the session number, not of the event */
	size_t cached;
};

/* Why enrich_lookup found no identity. */
enum enrich_miss {
	ENRICH_FOUND = 0,
	ENRICH_NO_ENTRY, /* no registry entry for the session: not an OIDC login */
	ENRICH_MISMATCH, /* an entry with the session's number, but of another boot,
					 * login uid or time: the event is unattributable */
};

/*
 * Live enrichment (the plugin and its back-fill): entries read from dir
 * (copied) on demand and cached, attributed only when their boot_id is
 * this boot's (/proc/sys/kernel/random/boot_id).  Returns 0 or a negative
 * errno (-ENOMEM, or the boot id cannot be read).
 */
int enrich_new(const char *dir, struct enricher **ret);

/*
 * Replay enrichment: every entry of the registry directories dirs (copies
 * of /run/pam_oidc/sessions, of one boot or several) read now and keyed by
 * (boot, session); entries that cannot be read are skipped with a line on
 * stderr.  Returns 0, or a negative errno with err saying why (a directory
 * that cannot be listed, more entries than a replay holds).
 */
int enrich_new_replay(const char *const *dirs, size_t ndirs, struct enricher **ret,
		      struct oidc_err *err);

void enrich_free(struct enricher *en);

/* Point a live enricher at another directory (SIGHUP); drops the cache. */
int enrich_set_dir(struct enricher *en, const char *dir);

/* Take boot_id (32 lowercase hex digits) as this boot's, for tests; drops the cache.  -EINVAL otherwise. */
int enrich_set_boot_id(struct enricher *en, const char *boot_id);

/*
 * The registry entry of the login event ev belongs to, or NULL with *why
 * saying why not.  An entry is the event's only when its boot, its
 * loginuid and its [opened, closed] (ENRICH_SLACK_US either side) all fit
 * the event (enrich.c says how the boot is told in a replay).  Live,
 * entries stay cached until the process exits or the cache is full (then
 * it is emptied); a miss is never cached, so the entry of a session
 * written a moment after its first event is found at once, and an open
 * entry is read again as events move on, so its logout is seen.  The
 * pointer is valid until the next call.
 */
const struct registry_entry *enrich_lookup(struct enricher *en, const struct audit_event *ev,
					   enum enrich_miss *why);

void enrich_get_stats(const struct enricher *en, struct enrich_stats *ret);

/* ---- fields of an event (fields.c) */

/*
 * Build the journal fields of an exec or file event; re (the identity)
 * may be NULL for --all-sessions.  Returns 0, -EINVAL for other kinds,
 * or a negative errno from jf_add.
 */
int fields_from_event(struct jfields *f, const struct audit_event *ev,
		      const struct registry_entry *re, size_t message_max);

/*
 * Build a `loss` entry: reason (kernel, serial-gap, unparsable, truncated,
 * evicted, journal, outage, restart, resumed ...), count since the last
 * report, total.  restart and resumed (journald back after an outage) say
 * what the back-fill wrote and are not losses.
 */
int fields_loss(struct jfields *f, const char *reason, uint64_t count, uint64_t total,
		const char *detail);

/*
 * Build a warning for the administrator: MESSAGE "oidc-audit: warning: "
 * and text, priority 4, and no OIDC_EVENT (it is not evidence of anyone's
 * doing, and search passes it over).
 */
int fields_warning(struct jfields *f, const char *text);

/* Shell-quote argv into out (growing); the form kept in OIDC_ARGV. */
int fields_quote_argv(char **out, size_t *len, size_t *cap, char *const *argv, size_t argc);

/* ---- sinks (sink_journal.c, sink_json.c, sink_ocsf.c) */

/*
 * Send one entry to journald; retries a busy journald for up to 5 s, an
 * absent one (no socket, nobody listening) for 1 s.  Returns 0 or a
 * negative errno; sink_journal_is_down() tells the errors that mean
 * journald did not take the entry because it is down or stuck from those
 * of the entry itself.
 */
int sink_journal_send(struct jfields *f);

/* Whether sink_journal_send's error r means journald is down (or stuck), not the entry. */
bool sink_journal_is_down(int r);

/*
 * Whether journald listens on its socket again, without writing an entry:
 * 0, or a negative errno (-ENOENT no socket, -ECONNREFUSED nobody there).
 */
int sink_journal_probe(void);

/* Write one entry as a JSON object on one line to out (buffered). */
int sink_json_write(FILE *out, struct jfields *f);

/*
 * Write one entry as an OCSF event (OCSF_VERSION) on one line to out: the
 * mapping of oidc-audit(8) for login, logout, login-failed, exec, file and
 * loss entries; hostname (NULL: none) is device.hostname, entry_time_us
 * the time of an entry without OIDC_EVENT_TIME.  Returns 0, 1 (nothing
 * written: an entry without an OCSF class, such as a warning), -ENOMEM or
 * -EIO.
 */
int sink_ocsf_write(FILE *out, const struct jfields *f, const char *hostname,
		    uint64_t entry_time_us);

/* ---- loss accounting (loss.c) */
struct loss_state {
	bool have_kernel;
	uint64_t kernel_lost;		/* last value of audit_status.lost */
	uint64_t reported[16];		/* per reason, totals already reported */
};

/* Read the kernel's audit status `lost` counter.  -errno on failure. */
int loss_kernel_lost(uint32_t *ret_lost, uint32_t *ret_backlog);

/* ---- host settings the audit relies on (hostcheck.c) */
#define HOSTCHECK_IO_URING_SYSCTL "/proc/sys/kernel/io_uring_disabled"

/*
 * kernel.io_uring_disabled, read from path (HOSTCHECK_IO_URING_SYSCTL):
 * 0, 1 or 2; -ENOENT when the kernel has no such setting (before Linux
 * 6.6), another -errno when it cannot be read.
 */
int hostcheck_io_uring(const char *path);

/*
 * The start-up warning for what hostcheck_io_uring returned: a sentence
 * for the administrator, or NULL when io_uring is restricted (1 or 2) and
 * nothing needs saying.
 */
const char *hostcheck_io_uring_warning(int r);

/* ---- back-fill (backfill.c) */
struct audit_mark {
	uint64_t time_us;
	uint64_t serial;
};

/* The last exec/file event oidc-audit wrote to the local journal; -ENOENT when none. */
int backfill_last_mark(struct audit_mark *ret);

/* Whether event time time_us and serial come after mark m (kernel time, then serial). */
bool audit_mark_after(const struct audit_mark *m, uint64_t time_us, uint64_t serial);

/*
 * List the files of an audit log (newest path, e.g. /var/log/audit/audit.log)
 * oldest first: path.N ... path.1, path.  Caller frees the array and names.
 */
int backfill_list_logs(const char *newest, char ***ret, size_t *ret_n);

/*
 * Open an audit log for replay or back-fill.  As root (whose journal
 * entries carry _UID=0) the file must be a regular file, not a symbolic
 * link, owned by root and not writable by group or others, as auditd
 * leaves it: otherwise whoever could write it would have root write his
 * lines as evidence.  Other users' replays are their own (_UID) and any
 * readable file will do.  Returns the descriptor or a negative errno
 * (-EPERM owner or mode, -ELOOP a symbolic link) with *ret_why, a
 * sentence for the message, set.
 */
int audit_log_open(const char *path, const char **ret_why);

/* Order replay arguments oldest first (rotation suffix .N descending, others kept in order). */
void replay_sort_files(char **files, size_t n);

/* ---- search (search.c) */
#define SEARCH_MAX_HOSTS 16	/* --host given at most this often */

struct search_opts {
	const char *subject, *user, *email, *path_glob;
	const char *journal_dir;	/* --directory: read journal files there */
	uint64_t since_us, until_us;	/* 0 / UINT64_MAX when unset */
	uint32_t session;		/* UINT32_MAX when unset */
	bool has_session;
	bool include_replayed;		/* --include-replayed: OIDC_AUDIT_SOURCE=replay too */
	enum audit_output output;	/* text (JOURNAL value), json or ocsf */
	const char *hosts[SEARCH_MAX_HOSTS]; /* --host: _HOSTNAME equals one of these */
	size_t n_hosts;
};

/*
 * Parse `search` arguments (argv[0] is "search").  Returns 0, or -EINVAL
 * with err naming the problem.  now_us is the clock for relative times.
 */
int search_parse_args(int argc, char **argv, uint64_t now_us, struct search_opts *o,
		      struct oidc_err *err);

/* Parse a time: @EPOCH[.frac], YYYY-MM-DD[ HH:MM[:SS]] (UTC with a trailing Z, local otherwise), now, -Ns/m/h/d. */
int search_parse_time(const char *s, uint64_t now_us, uint64_t *ret_us);

/*
 * Run the search; prints to out, each entry once.  Returns the entries
 * printed (>= 0), with the duplicates left out in *ret_duplicates, or
 * -errno.
 */
int search_run(const struct search_opts *o, FILE *out, size_t *ret_duplicates,
	       struct oidc_err *err);

/* The fields of one entry that a line of search's text output shows (views, any bytes). */
struct search_line {
	uint64_t t_us;	     /* the kernel's event time, else the journal's */
	const char *event;   /* OIDC_EVENT; NULL when absent */
	const char *session; /* OIDC_AUDIT_SESSION; NULL when absent */
	const char *message; /* MESSAGE; NULL when absent */
	const char *host;    /* _HOSTNAME; NULL when absent */
	size_t event_len, session_len, message_len, host_len;
	bool replayed; /* OIDC_AUDIT_SOURCE=replay: marked [replay] */
};

/*
 * The order of search's output in bounded memory (search_sort.c): hits,
 * each with the bytes to print for it, sorted by (kernel event time,
 * order of addition), in runs of at most a budget of bytes; full runs are
 * sorted and written to an unlinked file in $TMPDIR, and merged at the
 * end.  Memory: the budget, one reader buffer per merged run (64 KiB, at
 * most 32 runs at once) and the keys of the hits of one event time.
 */
#define SEARCH_SORT_BUDGET     (32u << 20) /* default bytes of one run in memory */
#define SEARCH_SORT_MIN_BUDGET 1024u
struct search_sorter;

/* What the final merge hands each hit to, in order: data as added. */
typedef int (*search_emit_fn)(void *ud, const void *data, size_t len);

/* A new sorter whose runs hold at most budget bytes (SEARCH_SORT_MIN_BUDGET at least). */
int search_sorter_new(size_t budget, struct search_sorter **ret);

/*
 * Add a hit: its time, the key that makes it one event (NULL: never a
 * copy of another) and the bytes to emit.  Returns 0, -ENOMEM, -E2BIG
 * or the error of writing a run.
 */
int search_sorter_add(struct search_sorter *s, uint64_t t_us, const char *key, const void *data,
		      size_t len);

/*
 * Emit every hit in (time, order of addition) order, except those whose
 * key an earlier hit of the same time holds: the same entry twice, which
 * systemd-journal-upload sends again after a restart (Debian 12's re-sends
 * the entry its state file names).  *ret_dups: how many were left out.
 * Returns 0, or a negative errno (emit's own included).  Call once.
 */
int search_sorter_finish(struct search_sorter *s, search_emit_fn emit, void *ud, size_t *ret_dups);

/* How many sorted runs went to the file so far (0: all in memory); for the tests. */
size_t search_sorter_runs(const struct search_sorter *s);

/* Free the sorter and its file; NULL is fine. */
void search_sorter_free(struct search_sorter *s);

/*
 * Print one line of search's text output: local time, host, kind, session, a
 * [replay] mark for an entry `oidc-audit replay` wrote, and the message,
 * each escaped for a terminal (jf_escape, jf_escape_display for MESSAGE),
 * whatever bytes the entry holds.
 */
void search_print_text(FILE *out, const struct search_line *line);

/* Entry point of `oidc-audit search`; returns the exit status. */
int search_main(int argc, char **argv);

#endif
