/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The assembler: audit records (one text line each) in, complete events
 * (struct audit_event, event.h) out.
 *
 * Records are grouped by (node, serial).  An event is complete when
 *   1. its EOE record arrives (the auditd plugin stream writes one after
 *      every multi-record kernel event);
 *   2. its first record is a user-space or daemon message (types
 *      1100-1299 and 2100-2999): those are single-record events and never
 *      get an EOE;
 *   3. in ASSEMBLER_MODE_WINDOW only (audit.log replay, no EOE there): its
 *      PROCTITLE record arrives -- the kernel writes PROCTITLE last in
 *      every syscall event, right before EOE;
 *   4. the window closes: more than cfg.window_records records of other
 *      events have arrived since its last record, or (assembler_tick) more
 *      than cfg.window_ms passed since its last record arrived;
 *   5. memory caps: more than cfg.max_pending events in assembly, or more
 *      than cfg.max_pending_bytes of record text held: the event whose
 *      last record is oldest is completed (counted as evicted);
 *   6. assembler_flush (end of input, shutdown).
 * Events closed by 4-6 carry incomplete = true.  A record for an event
 * that was completed recently (window) starts a new event and is counted
 * in late_records.  Records of an event arrive contiguously in audit.log
 * in practice; interleaving of any number of events (up to the caps) is
 * tolerated, and the order in which events are emitted is the order in
 * which they complete.
 *
 * Bounded memory: a line longer than AUDIT_MAX_RECORD_LEN is discarded and
 * counted as truncated; a record beyond cfg.max_records in one event is
 * discarded and counted (records_dropped, the event is marked
 * incomplete); pending events and pending bytes are capped as above.
 *
 * Not thread-safe: one assembler per reader thread.  Callbacks run
 * synchronously inside feed/tick/flush; a callback that blocks (a full
 * queue) holds up the reader, which is the back-pressure.
 */
#ifndef OIDC_AUDIT_ASSEMBLE_H
#define OIDC_AUDIT_ASSEMBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "record.h"

struct oidc_err;
struct assembler;

enum assembler_mode {
	ASSEMBLER_MODE_EOE = 0,		/* auditd plugin stream: EOE ends events */
	ASSEMBLER_MODE_WINDOW,		/* audit.log replay: no EOE, window + PROCTITLE */
};

/*
 * Receives each completed event and owns it (free it with
 * audit_event_free).  Events of no interest arrive as AUDIT_EV_OTHER with
 * only the header fields (node, time, serial, session, loginuid, key,
 * syscall, nrecords, first_type) filled, unless cfg.skip_other is set, in
 * which case they are counted and never delivered.
 */
typedef void (*assembler_event_fn)(struct audit_event *ev, void *arg);

/*
 * Optional, for tests and tools: sees each completed record group before
 * the event is built (records in arrival order; valid only during the
 * call).
 */
typedef void (*assembler_group_fn)(const struct audit_record *const *recs, size_t nrecs,
				   bool incomplete, void *arg);

/* Defaults used when a config member is 0. */
#define ASSEMBLER_DEFAULT_WINDOW_RECORDS	1024
#define ASSEMBLER_DEFAULT_WINDOW_MS		2000
#define ASSEMBLER_DEFAULT_MAX_PENDING		4096
#define ASSEMBLER_DEFAULT_MAX_RECORDS		512
#define ASSEMBLER_DEFAULT_MAX_PENDING_BYTES	(64u * 1024 * 1024)

struct assembler_config {
	enum assembler_mode mode;
	unsigned window_records;	/* see rule 4; 0 = default */
	unsigned window_ms;		/* see rule 4; 0 = default */
	size_t max_pending;		/* events in assembly; 0 = default */
	size_t max_records;		/* records per event; 0 = default */
	size_t max_pending_bytes;	/* record text held; 0 = default */
	bool skip_other;		/* do not build/deliver AUDIT_EV_OTHER events */
	bool boots;			/* tell boots apart (audit.log spans them; assemble.c) */
	assembler_event_fn on_event;	/* required */
	assembler_group_fn on_group;	/* optional */
	void *arg;			/* passed to both callbacks */
};

struct assembler_stats {
	uint64_t lines;			/* lines fed (non-empty) */
	uint64_t records;		/* lines parsed as records */
	uint64_t garbage;		/* lines without a valid record header */
	uint64_t truncated;		/* over-long lines (discarded) + records cut inside a value (kept) */
	uint64_t events;		/* events completed (delivered or skipped) */
	uint64_t events_skipped;	/* AUDIT_EV_OTHER not delivered (skip_other) */
	uint64_t incomplete;		/* events closed by window, caps or flush, not EOE/PROCTITLE */
	uint64_t evicted;		/* events forced out by max_pending / max_pending_bytes */
	uint64_t records_dropped;	/* records over max_records in one event */
	uint64_t late_records;		/* records for an event already completed */
	uint64_t orphan_eoe;		/* EOE records for no pending event */
	uint64_t serial_gaps;		/* kernel serials skipped per node (best effort, see
					 * assemble.c); a hint of loss, not a proof */
	uint64_t build_errors;		/* groups that could not be turned into an event (ENOMEM) */
	uint64_t boots;			/* boot boundaries found (cfg.boots; see assemble.c) */
	size_t pending;			/* events in assembly now */
	size_t pending_bytes;		/* record bytes held now */
};

/*
 * Create an assembler.  cfg is copied.  Returns 0 and sets *ret, -EINVAL
 * (no on_event) or -ENOMEM; err says why.
 */
int assembler_new(const struct assembler_config *cfg, struct assembler **ret,
		  struct oidc_err *err);

/* Free the assembler and every pending record without delivering them.  NULL-safe. */
void assembler_free(struct assembler *a);

/*
 * Feed one record line (without its newline; a trailing "\n" or "\r\n" is
 * ignored).  now_ms is any monotonic clock in milliseconds (the window's
 * time base; replay may pass 0 to rely on the record window alone).
 * Garbage and over-long lines are counted, never an error.  Returns 0, or
 * -ENOMEM (the line was counted and dropped).
 */
int assembler_feed_line(struct assembler *a, const char *line, size_t len, uint64_t now_ms);

/*
 * Feed a chunk of a byte stream (e.g. a read(2) from stdin): split into
 * lines, a partial last line is kept until the next call (over-long lines
 * are counted as truncated and skipped up to their newline).  Returns 0 or
 * -ENOMEM.
 */
int assembler_feed_bytes(struct assembler *a, const char *data, size_t len, uint64_t now_ms);

/*
 * Complete the events whose window (cfg.window_ms) has passed at now_ms.
 * A live reader calls it at least every window_ms / 2 while input is idle,
 * so that events that never get an EOE (kernel records without a syscall
 * context) still come out.
 */
void assembler_tick(struct assembler *a, uint64_t now_ms);

/*
 * End of input: a partial line kept by assembler_feed_bytes is fed, then
 * every pending event is completed with incomplete = true, the one quiet
 * longest first.
 */
void assembler_flush(struct assembler *a);

/* Copy the counters. */
void assembler_get_stats(const struct assembler *a, struct assembler_stats *ret);

/*
 * Build an event from a complete record group (records in arrival order).
 * Returns 0 and sets *ret (caller frees with audit_event_free), -ENOMEM.
 * Used by the assembler; public for tests and tools.
 */
int event_build(const struct audit_record *const *recs, size_t nrecs, bool incomplete,
		bool header_only_if_other, struct audit_event **ret, struct oidc_err *err);

#endif
