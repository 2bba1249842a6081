/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * oidc-audit: auditd plugin (default: records on stdin), `replay FILE...`
 * for audit.log files, and `search`.  See man/oidc-audit.8.
 *
 * Single-threaded by design (see oidc_audit.h): read -> assemble ->
 * enrich -> sink, synchronously; a slow sink stops the reading, which is
 * the back-pressure.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "assemble.h"
#include "clock.h"
#include "journal_names.h"
#include "oidc_audit.h"
#include "oidc_err.h"

#define READ_CHUNK (256 * 1024)
#define REPLAY_MAX_REGISTRIES 64
#define DEDUPE_SLOTS (1u << 17)
#define TICK_MS 250
#define PROBE_MS	      1000 /* how often an outage asks whether journald is back */
/*
 * After a short read (the pipe was nearly empty), wait BATCH_MS before the
 * next one, so that auditd writes a batch into the pipe instead of waking
 * us for every record: under an exec storm the wake-ups, on both sides,
 * cost more than the events.  A read of BATCH_BYTES or more means the
 * records come faster than that: read on at once, so the wait never caps
 * the rate.  A signal still ends the wait.
 */
#define BATCH_MS    5
#define BATCH_BYTES (16 * 1024)

enum loss_reason {
	LOSS_KERNEL,
	LOSS_SERIAL_GAP,
	LOSS_UNPARSABLE,
	LOSS_TRUNCATED,
	LOSS_EVICTED,
	LOSS_RECORDS_DROPPED,
	LOSS_BUILD,
	LOSS_JOURNAL,
	LOSS_OUTAGE,
	LOSS_DUPLICATES,
	/* not lost, but without the identity their session number names */
	LOSS_UNATTRIBUTABLE,
	LOSS__MAX
};

static const char *const loss_names[LOSS__MAX] = {
	"kernel",
	"serial-gap",
	"unparsable",
	"truncated",
	"evicted",
	"records-dropped",
	"out-of-memory",
	"journal",
	"outage",
	"duplicates",
	/* enrich.c: another boot's, login uid's or time's entry */
	"unattributable",
};

static const char *const loss_details[LOSS__MAX] = {
	"the kernel's audit backlog or rate limit dropped records (auditctl -s: lost)",
	"audit serial numbers were skipped in the stream (possible loss upstream)",
	"records without a valid header",
	"over-long records or values were cut",
	"events completed early because too many were pending",
	"records over the per-event cap were dropped",
	"records that could not be turned into an event",
	"journald refused entries",
	"events that arrived while journald was down and that the audit.log back-fill did not find"
	" (older than the oldest audit.log file, removed, or in a file it could not read)",
	"events seen in both the audit.log back-fill and the live stream were written once",
	"events of a session whose registry entry is of another boot, login uid or time: no identity"
	" (written without one only with --all-sessions)",
};

struct dedupe {
	uint64_t *slot;		/* 0 = empty; key = serial * 1000003 ^ time_us, never 0 */
	size_t used;
};

struct daemon {
	struct audit_conf conf;
	const char *conf_path;
	struct enricher *en;
	struct jfields f;
	FILE *out;
	char hostname[256]; /* --output ocsf: device.hostname */
	bool live;
	uint64_t now_ms;

	bool backfilling;
	bool have_mark;
	struct audit_mark mark;	   /* the position: the newest exec/file event written */
	struct audit_mark bf_from; /* a back-fill writes what comes after this */
	struct dedupe dd;

	/*
	 * journald down: the live stream is read on and its events counted,
	 * not kept; once journald listens again, the back-fill writes
	 * everything after the position from audit.log.  Only what it does
	 * not find there (missed - covered) is a loss.
	 */
	bool outage;
	uint64_t outage_start_ms, last_probe_ms;
	uint64_t missed;			 /* live events not written */
	struct audit_mark miss_first, miss_last; /* the oldest and newest of them */
	uint64_t covered; /* back-filled events between miss_first and miss_last */

	uint64_t counts[LOSS__MAX];	/* running totals */
	uint64_t reported[LOSS__MAX];	/* totals already written */
	bool have_kernel;
	uint32_t kernel_lost;
	uint64_t last_status_ms;

	uint64_t written, skipped_no_identity, backfilled;
	uint64_t boots; /* replay: boot boundaries the assembler found */
};

static uint64_t
dedupe_key(uint64_t serial, uint64_t time_us)
{
	uint64_t k = serial * 1000003u ^ time_us;

	return k ? k : 1;
}

static bool
dedupe_has(const struct dedupe *d, uint64_t k)
{
	size_t i;

	if (d->slot == NULL)
		return false;
	for (i = k & (DEDUPE_SLOTS - 1);; i = (i + 1) & (DEDUPE_SLOTS - 1)) {
		if (d->slot[i] == 0)
			return false;
		if (d->slot[i] == k)
			return true;
	}
}

static void
dedupe_add(struct dedupe *d, uint64_t k)
{
	size_t i;

	if (d->slot == NULL) {
		d->slot = calloc(DEDUPE_SLOTS, sizeof(uint64_t));
		if (d->slot == NULL)
			return;
	}
	/* Keep the table at most 3/4 full; beyond, duplicates simply get written. */
	if (d->used >= DEDUPE_SLOTS / 4 * 3)
		return;
	for (i = k & (DEDUPE_SLOTS - 1); d->slot[i] != 0; i = (i + 1) & (DEDUPE_SLOTS - 1))
		if (d->slot[i] == k)
			return;
	d->slot[i] = k;
	d->used++;
}

/* Write the entry in d->f; 0 or the sink's negative errno. */
static int
emit(struct daemon *d)
{
	int r;

	if (d->conf.output != AUDIT_OUTPUT_JOURNAL) {
		if (d->conf.output == AUDIT_OUTPUT_OCSF)
			r = sink_ocsf_write(d->out, &d->f, d->hostname[0] ? d->hostname : NULL,
					    clock_real_us());
		else
			r = sink_json_write(d->out, &d->f);
		if (r < 0)
			d->counts[LOSS_JOURNAL]++;
		return r < 0 ? r : 0;
	}
	r = sink_journal_send(&d->f);
	/* live, a journald that is down is an outage (outage_begin), not a loss yet */
	if (r < 0 && !(d->live && sink_journal_is_down(r))) {
		/*
		 * A loss entry cannot reach a journald that refuses entries:
		 * say it on stderr too (auditd passes it on), at counts 1, 2,
		 * 4, 8 ... so a long outage does not flood it.
		 */
		d->counts[LOSS_JOURNAL]++;
		if ((d->counts[LOSS_JOURNAL] & (d->counts[LOSS_JOURNAL] - 1)) == 0)
			fprintf(stderr, "oidc-audit: journald refused %" PRIu64 " entries so far: %s\n",
				d->counts[LOSS_JOURNAL], strerror(-r));
	}
	return r;
}

/*
 * Where the entries being written come from: live and back-filled ones are
 * the restart mark and evidence; a replay of old or foreign logs is
 * neither, and search leaves it out unless asked.
 */
static const char *
source(const struct daemon *d)
{
	return d->backfilling ? OIDC_SRC_BACKFILL : d->live ? OIDC_SRC_LIVE : OIDC_SRC_REPLAY;
}

static void outage_begin(struct daemon *d, int r);

/* Write a loss entry; 0, or the sink's negative errno (an outage has begun when journald is down). */
static int
emit_loss(struct daemon *d, const char *reason, uint64_t count, uint64_t total, const char *detail)
{
	int r;

	jf_reset(&d->f);
	if (fields_loss(&d->f, reason, count, total, detail) < 0 ||
	    jf_add_str(&d->f, OIDC_F_AUDIT_SOURCE, source(d)) < 0)
		return 0; /* out of memory: nothing to write, nothing to hold */
	r = emit(d);
	if (r < 0 && d->live && sink_journal_is_down(r))
		outage_begin(d, r);
	return r;
}

/*
 * journald does not take entries: keep the position, read the live stream
 * on (auditd must not wait for us) and count what it delivers, until
 * outage_probe() finds journald listening again.
 */
static void
outage_begin(struct daemon *d, int r)
{
	if (d->outage)
		return;
	d->outage = true;
	d->outage_start_ms = d->last_probe_ms = d->now_ms;
	if (d->have_mark)
		fprintf(stderr,
			"oidc-audit: journald does not accept entries (%s): keeping the position"
			" (serial %" PRIu64 " at %" PRIu64
			"), back-filling from audit.log once it does\n",
			strerror(-r), d->mark.serial, d->mark.time_us);
	else
		fprintf(stderr,
			"oidc-audit: journald does not accept entries (%s): back-filling from audit.log"
			" once it does\n",
			strerror(-r));
}

/* A live event that the outage keeps out of the journal: counted, its place remembered. */
static void
outage_miss(struct daemon *d, const struct audit_event *ev)
{
	struct audit_mark m = { ev->time_us, ev->serial };

	if (d->missed == 0 || audit_mark_after(&m, d->miss_first.time_us, d->miss_first.serial))
		d->miss_first = m;
	if (d->missed == 0 || audit_mark_after(&d->miss_last, m.time_us, m.serial))
		d->miss_last = m;
	d->missed++;
}

/* A written exec/file event moves the position forward. */
static void
position_advance(struct daemon *d, const struct audit_event *ev)
{
	if (!d->have_mark || audit_mark_after(&d->mark, ev->time_us, ev->serial)) {
		d->mark.time_us = ev->time_us;
		d->mark.serial = ev->serial;
		d->have_mark = true;
	}
}

/* A mark just before m: m itself is after it (audit_mark_after). */
static struct audit_mark
mark_before(struct audit_mark m)
{
	if (m.serial > 0)
		m.serial--;
	else
		m.time_us--;
	return m;
}

/* Whether ev lies between the oldest and the newest event the outage missed. */
static bool
outage_covers(const struct daemon *d, const struct audit_event *ev)
{
	struct audit_mark before = mark_before(d->miss_first);

	if (d->missed == 0 || audit_mark_after(&d->miss_last, ev->time_us, ev->serial))
		return false;
	return audit_mark_after(&before, ev->time_us, ev->serial);
}

/*
 * Say once, at start, what the host lets escape the audit rules: on
 * stderr (auditd -n passes it on) and, unless the output is JSON, in the
 * journal, where a daemonised auditd's administrator will see it.
 */
static void
warn_host(struct daemon *d)
{
	const char *w = hostcheck_io_uring_warning(hostcheck_io_uring(HOSTCHECK_IO_URING_SYSCTL));

	if (w == NULL)
		return;
	fprintf(stderr, "oidc-audit: warning: %s\n", w);
	if (d->conf.output == AUDIT_OUTPUT_JOURNAL) {
		jf_reset(&d->f);
		if (fields_warning(&d->f, w) == 0)
			(void)sink_journal_send(&d->f);
	}
}

static void
on_event(struct audit_event *ev, void *arg)
{
	struct daemon *d = arg;
	const struct registry_entry *re;
	enum enrich_miss why;
	uint64_t k;
	int r;

	if (ev->kind != AUDIT_EV_EXEC && ev->kind != AUDIT_EV_FILE)
		goto out;
	k = dedupe_key(ev->serial, ev->time_us);
	if (d->backfilling) {
		if (!audit_mark_after(&d->bf_from, ev->time_us, ev->serial))
			goto out;
		/* journald went down during the back-fill: the next one starts at the position */
		if (d->outage)
			goto out;
	} else if (d->dd.used > 0 && dedupe_has(&d->dd, k)) {
		d->counts[LOSS_DUPLICATES]++;
		goto out;
	}
	re = enrich_lookup(d->en, ev, &why);
	/*
	 * An entry with the session's number that is not this event's (another
	 * boot, login uid or time) must not lend its identity: the event is
	 * counted as unattributable, and written without one only with
	 * --all-sessions, like events of sessions without an OIDC login.
	 */
	if (why == ENRICH_MISMATCH)
		d->counts[LOSS_UNATTRIBUTABLE]++;
	if (re == NULL && !d->conf.all_sessions) {
		if (why == ENRICH_NO_ENTRY)
			d->skipped_no_identity++;
		goto out;
	}
	jf_reset(&d->f);
	if (fields_from_event(&d->f, ev, re, d->conf.message_max) < 0 ||
	    jf_add_str(&d->f, OIDC_F_AUDIT_SOURCE, source(d)) < 0) {
		d->counts[LOSS_BUILD]++;
		goto out;
	}
	if (d->outage && !d->backfilling) {
		outage_miss(d, ev);
		goto out;
	}
	r = emit(d);
	if (r < 0 && d->live && sink_journal_is_down(r)) {
		outage_begin(d, r);
		if (!d->backfilling)
			outage_miss(d, ev);
		goto out;
	}
	d->written++;
	if (r == 0 && d->live)
		position_advance(d, ev);
	if (d->backfilling) {
		d->backfilled++;
		if (outage_covers(d, ev))
			d->covered++;
		dedupe_add(&d->dd, k);
	}
out:
	audit_event_free(ev);
}

/* Turn the growth of every loss counter into a `loss` entry. */
static void
report_losses(struct daemon *d, const struct assembler *as)
{
	struct assembler_stats st;
	size_t i;

	if (as != NULL && !d->backfilling) {
		assembler_get_stats(as, &st);
		d->counts[LOSS_SERIAL_GAP] = st.serial_gaps;
		d->counts[LOSS_UNPARSABLE] = st.garbage;
		d->counts[LOSS_TRUNCATED] = st.truncated;
		d->counts[LOSS_EVICTED] = st.evicted;
		d->counts[LOSS_RECORDS_DROPPED] = st.records_dropped;
		d->counts[LOSS_BUILD] = st.build_errors;
	}
	for (i = 0; i < LOSS__MAX && !d->outage; i++) {
		if (d->counts[i] <= d->reported[i])
			continue;
		/* not reported while journald is down: the counters wait for it */
		if (emit_loss(d, loss_names[i], d->counts[i] - d->reported[i], d->counts[i],
			      loss_details[i]) < 0 &&
		    d->outage)
			break;
		d->reported[i] = d->counts[i];
	}
	if (d->out != NULL)
		fflush(d->out);
}

static void
check_kernel(struct daemon *d)
{
	uint32_t lost, backlog;

	if (!d->live || d->conf.status_interval == 0)
		return;
	if (d->have_kernel && d->now_ms - d->last_status_ms < d->conf.status_interval * 1000ull)
		return;
	d->last_status_ms = d->now_ms;
	if (loss_kernel_lost(&lost, &backlog) < 0)
		return;
	if (d->have_kernel && lost != d->kernel_lost)
		d->counts[LOSS_KERNEL] += (uint32_t)(lost - d->kernel_lost);
	d->kernel_lost = lost;
	d->have_kernel = true;
}

static int
make_assembler(struct daemon *d, enum assembler_mode mode, struct assembler **ret)
{
	struct assembler_config cfg = {
		.mode = mode,
		.window_ms = d->conf.window_ms,
		.skip_other = true,
		/* audit.log spans boots; the live stream is this boot's */
		.boots = mode == ASSEMBLER_MODE_WINDOW,
		.on_event = on_event,
		.arg = d,
	};
	struct oidc_err err = { 0 };
	int r = assembler_new(&cfg, ret, &err);

	if (r < 0)
		fprintf(stderr, "oidc-audit: %s\n", err.msg[0] ? err.msg : strerror(-r));
	return r;
}

/* Feed a whole file (or fd) to an assembler. */
static int
feed_fd(struct assembler *as, int fd, const char *name)
{
	static char buf[READ_CHUNK];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "oidc-audit: reading %s: %s\n", name, strerror(errno));
			return -errno;
		}
		if (n == 0)
			return 0;
		if (assembler_feed_bytes(as, buf, (size_t)n, 0) < 0)
			return -ENOMEM;
	}
}

static int
replay_files(struct daemon *d, char **files, size_t n)
{
	struct assembler_stats st;
	struct assembler *as = NULL;
	size_t i;
	int r, rc = 0;

	r = make_assembler(d, ASSEMBLER_MODE_WINDOW, &as);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		const char *why = NULL;
		int fd = strcmp(files[i], "-") == 0 ? STDIN_FILENO : audit_log_open(files[i], &why);

		if (fd < 0) {
			fprintf(stderr, "oidc-audit: not replaying %s: %s\n", files[i], why);
			rc = fd;
			continue;
		}
		r = feed_fd(as, fd, files[i]);
		if (fd != STDIN_FILENO)
			close(fd);
		if (r < 0)
			rc = r;
	}
	assembler_flush(as);
	if (!d->backfilling) /* the back-fill re-reads old records: the live counters tell */
		report_losses(d, as);
	assembler_get_stats(as, &st);
	d->boots += st.boots;
	assembler_free(as);
	return rc;
}

/*
 * Write every exec/file event of the audit.log files after from (the one
 * back-fill of a restart and of an outage's end); *ret_n is the number of
 * files.  Returns 0 or a negative errno (no list of the files).
 */
static int
backfill_run(struct daemon *d, const struct audit_mark *from, size_t *ret_n)
{
	char **files = NULL;
	size_t n = 0, i;
	int r;

	r = backfill_list_logs(d->conf.audit_log ? d->conf.audit_log : OIDC_AUDIT_LOG_DEFAULT, &files, &n);
	if (r < 0)
		return r;
	d->bf_from = *from;
	/* the live stream has long passed what an earlier back-fill wrote */
	if (d->dd.slot != NULL)
		memset(d->dd.slot, 0, DEDUPE_SLOTS * sizeof(uint64_t));
	d->dd.used = 0;
	d->backfilling = true;
	(void)replay_files(d, files, n);
	d->backfilling = false;
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	*ret_n = n;
	return 0;
}

/* After a restart: everything in audit.log newer than our last journal entry. */
static void
backfill(struct daemon *d)
{
	char detail[256];
	uint64_t before = d->backfilled;
	size_t n = 0;

	if (!d->conf.backfill || d->conf.output != AUDIT_OUTPUT_JOURNAL)
		return;
	if (backfill_last_mark(&d->mark) < 0)
		return; /* first start (or no journal): nothing to catch up with */
	d->have_mark = true;
	if (backfill_run(d, &d->mark, &n) < 0 || d->outage)
		return; /* journald down: the outage's end back-fills from the position */
	snprintf(detail, sizeof(detail),
		 "back-filled %" PRIu64 " events newer than serial %" PRIu64 " at %" PRIu64
		 " from %zu audit.log file(s)",
		 d->backfilled - before, d->bf_from.serial, d->bf_from.time_us, n);
	(void)emit_loss(d, "restart", d->backfilled - before, d->backfilled, detail);
}

/*
 * During an outage, once a second: when journald listens again, back-fill
 * from the position, and report as `outage` what audit.log did not hold
 * of the events the live stream delivered meanwhile.
 */
static void
outage_probe(struct daemon *d)
{
	struct audit_mark from;
	uint64_t before = d->backfilled, t0, lacking;
	char detail[384];
	size_t n = 0;
	int r;

	if (!d->outage || d->now_ms - d->last_probe_ms < PROBE_MS)
		return;
	d->last_probe_ms = d->now_ms;
	if (sink_journal_probe() < 0)
		return;
	d->outage = false;
	t0 = clock_mono_ms();
	r = 0;
	/* never wrote an event: from the first one missed */
	from = d->have_mark ? d->mark : mark_before(d->miss_first);
	if (d->conf.backfill && (d->have_mark || d->missed > 0)) {
		r = backfill_run(d, &from, &n);
		if (r < 0)
			fprintf(stderr, "oidc-audit: cannot list the audit.log files: %s\n",
				strerror(-r));
	}
	if (d->outage)
		return; /* down again: the next probe goes on from the new position */
	d->now_ms = clock_mono_ms();
	lacking = d->missed > d->covered ? d->missed - d->covered : 0;
	snprintf(detail, sizeof(detail),
		 "journald was down for %" PRIu64 " s; back-filled %" PRIu64
		 " events newer than serial %" PRIu64 " at %" PRIu64
		 " from %zu audit.log file(s) in %" PRIu64 " ms; %" PRIu64 " of the %" PRIu64
		 " events read live meanwhile were there, %" PRIu64 " not",
		 (d->now_ms - d->outage_start_ms) / 1000, d->backfilled - before, from.serial,
		 from.time_us, n, d->now_ms - t0, d->covered, d->missed, lacking);
	fprintf(stderr, "oidc-audit: journald accepts entries again: %s\n", detail);
	d->counts[LOSS_OUTAGE] += lacking;
	d->missed = d->covered = 0;
	(void)emit_loss(d, "resumed", d->backfilled - before, d->backfilled, detail);
}

static void
reload(struct daemon *d)
{
	struct oidc_err err = { 0 };
	struct audit_conf c;
	int r;

	audit_conf_init(&c);
	r = audit_conf_load(&c, d->conf_path, &err);
	if (r < 0 && r != -ENOENT) {
		fprintf(stderr, "oidc-audit: reload: %s (keeping the old configuration)\n", err.msg);
		audit_conf_free(&c);
		return;
	}
	/* The output cannot change under auditd; everything else may. */
	c.output = d->conf.output;
	if (enrich_set_dir(d->en, c.registry_dir ? c.registry_dir : REGISTRY_DEFAULT_DIR) < 0) {
		audit_conf_free(&c);
		return;
	}
	audit_conf_free(&d->conf);
	d->conf = c;
	fprintf(stderr, "oidc-audit: configuration reloaded\n");
}

static int
run_plugin(struct daemon *d)
{
	struct assembler *as = NULL;
	struct pollfd pfd[2];
	sigset_t mask;
	int sfd = -1, r, rc = 0;
	char *buf = NULL;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		fprintf(stderr, "oidc-audit: signalfd: %s\n", strerror(errno));
		return 1;
	}
	buf = malloc(READ_CHUNK);
	if (buf == NULL)
		goto fail;
	d->live = true;
	d->now_ms = clock_mono_ms();
	warn_host(d);
	check_kernel(d);	/* the baseline */
	backfill(d);
	if (make_assembler(d, ASSEMBLER_MODE_EOE, &as) < 0)
		goto fail;
	pfd[0].fd = STDIN_FILENO;
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	for (;;) {
		r = poll(pfd, 2, TICK_MS);
		d->now_ms = clock_mono_ms();
		if (r < 0 && errno != EINTR)
			goto fail;
		if (r > 0 && (pfd[1].revents & POLLIN)) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGHUP)
					reload(d);
				else
					break;	/* SIGTERM, SIGINT: flush and exit */
			}
		}
		if (r > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t n = read(STDIN_FILENO, buf, READ_CHUNK);

			if (n < 0 && errno != EINTR && errno != EAGAIN)
				goto fail;
			if (n == 0)
				break;	/* auditd closed the pipe */
			if (n > 0 && assembler_feed_bytes(as, buf, (size_t)n, d->now_ms) < 0)
				d->counts[LOSS_BUILD]++;
			if (n > 0 && n < BATCH_BYTES)
				(void)poll(&pfd[1], 1, BATCH_MS);
		}
		assembler_tick(as, d->now_ms);
		check_kernel(d);
		outage_probe(d);
		report_losses(d, as);
	}
	assembler_flush(as);
	check_kernel(d);
	report_losses(d, as);
	goto out;
fail:
	fprintf(stderr, "oidc-audit: %s\n", strerror(errno ? errno : ENOMEM));
	rc = 1;
	if (as != NULL) {
		assembler_flush(as);
		report_losses(d, as);
	}
out:
	assembler_free(as);
	free(buf);
	if (sfd >= 0)
		close(sfd);
	return rc;
}

/*
 * A replay's registry: the directories given, or the live one when none
 * was (missing there is an empty registry: nothing gets an identity).
 */
static int
replay_enricher(const char **dirs, size_t n, struct enricher **ret)
{
	struct oidc_err err = { 0 };
	int r;

	if (n == 1 && access(dirs[0], F_OK) < 0 && errno == ENOENT) {
		fprintf(stderr, "oidc-audit: no registry at %s: no event gets an identity\n",
			dirs[0]);
		n = 0;
	}
	r = enrich_new_replay(dirs, n, ret, &err);
	if (r < 0)
		fprintf(stderr, "oidc-audit: %s\n", err.msg[0] ? err.msg : strerror(-r));
	return r;
}

static void
usage(FILE *f)
{
	fputs("usage: oidc-audit [--config FILE] [--registry DIR] [--all-sessions] [--output journal|json|ocsf]\n"
	      "                  [--audit-log FILE] [--no-backfill]\n"
	      "       oidc-audit replay [--output json|ocsf|journal] [--config FILE] [--registry DIR]...\n"
	      "                  [--all-sessions] FILE...\n"
	      "       oidc-audit search [--subject SUB | --user NAME | --email ADDR] [--path GLOB]\n"
	      "                  [--since T] [--until T] [--session N] [--output text|json|ocsf]\n"
	      "                  [--include-replayed] [--directory DIR]\n",
	      f);
}

/* Entry point. */
int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "registry", required_argument, NULL, 'r' },
		{ "all-sessions", no_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "audit-log", required_argument, NULL, 'l' },
		{ "no-backfill", no_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon d;
	struct oidc_err err = { 0 };
	const char *output = NULL, *audit_log = NULL;
	const char *registries[REPLAY_MAX_REGISTRIES];
	size_t nregistries = 0, i;
	bool all = false, nobackfill = false, replay = false;
	int c, r, rc;

	if (argc > 1 && strcmp(argv[1], "search") == 0)
		return search_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "replay") == 0) {
		replay = true;
		argc--;
		argv++;
	}
	memset(&d, 0, sizeof(d));
	audit_conf_init(&d.conf);
	d.conf_path = OIDC_AUDIT_CONF_DEFAULT;
	while ((c = getopt_long(argc, argv, "+c:r:ao:l:Bh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': d.conf_path = optarg; break;
		case 'r':
			if (nregistries == REPLAY_MAX_REGISTRIES) {
				fprintf(stderr, "oidc-audit: at most %d --registry\n",
					REPLAY_MAX_REGISTRIES);
				return 2;
			}
			registries[nregistries++] = optarg;
			break;
		case 'a': all = true; break;
		case 'o': output = optarg; break;
		case 'l': audit_log = optarg; break;
		case 'B': nobackfill = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': puts(PACKAGE_STRING); return 0;
		default: usage(stderr); return 2;
		}
	}
	r = audit_conf_load(&d.conf, d.conf_path, &err);
	if (r < 0 && r != -ENOENT) {
		fprintf(stderr, "oidc-audit: %s\n", err.msg);
		return 2;
	}
	oidc_err_clear(&err);
	for (i = 0; i < nregistries; i++) {
		if (audit_conf_set(&d.conf, "registry_dir", registries[i], &err) < 0) {
			fprintf(stderr, "oidc-audit: %s\n", err.msg);
			return 2;
		}
	}
	if (audit_log && audit_conf_set(&d.conf, "audit_log", audit_log, &err) < 0) {
		fprintf(stderr, "oidc-audit: %s\n", err.msg);
		return 2;
	}
	/*
	 * A replay writes JSON on stdout unless --output journal asks for the
	 * journal: its entries are not live evidence, and the configuration
	 * file's output (the plugin's) does not choose for it.
	 */
	if (replay)
		d.conf.output = AUDIT_OUTPUT_JSON;
	if (output && audit_conf_set(&d.conf, "output", output, &err) < 0) {
		fprintf(stderr, "oidc-audit: %s\n", err.msg);
		return 2;
	}
	if (all)
		d.conf.all_sessions = true;
	if (nobackfill)
		d.conf.backfill = false;
	if (replay && optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (!replay && (optind < argc || nregistries > 1)) {
		usage(stderr);
		return 2;
	}
	if (nregistries == 0)
		registries[nregistries++] = d.conf.registry_dir ? d.conf.registry_dir
								: REGISTRY_DEFAULT_DIR;
	if (replay)
		r = replay_enricher(registries, nregistries, &d.en);
	else if ((r = enrich_new(registries[0], &d.en)) < 0)
		fprintf(stderr, "oidc-audit: cannot read this boot's id: %s\n", strerror(-r));
	if (r < 0)
		return 1;
	jf_init(&d.f, 4u << 20);
	d.out = stdout;
	if (d.conf.output == AUDIT_OUTPUT_OCSF &&
	    gethostname(d.hostname, sizeof(d.hostname) - 1) < 0)
		d.hostname[0] = '\0';
	if (d.conf.output != AUDIT_OUTPUT_JOURNAL)
		setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	if (replay) {
		replay_sort_files(argv + optind, (size_t)(argc - optind));
		rc = replay_files(&d, argv + optind, (size_t)(argc - optind)) < 0 ? 1 : 0;
		if (d.counts[LOSS_JOURNAL] > 0)
			rc = 1;	/* some entries did not reach their sink */
		fprintf(stderr,
			"oidc-audit replay: %" PRIu64 " events written; %" PRIu64
			" passed over (no registry entry for their session); %" PRIu64
			" unattributable (their session's registry entry is of another boot, login uid or"
			" time); %" PRIu64 " boot(s) in the input\n",
			d.written, d.skipped_no_identity, d.counts[LOSS_UNATTRIBUTABLE],
			d.boots + 1);
	} else {
		rc = run_plugin(&d);
	}
	if (fflush(stdout) != 0)
		rc = 1;
	jf_free(&d.f);
	enrich_free(d.en);
	free(d.dd.slot);
	audit_conf_free(&d.conf);
	return rc;
}
