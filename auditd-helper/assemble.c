/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Records -> events.  The completion rules are in assemble.h.
 *
 * Pending events live in an open-addressing hash table keyed by (node,
 * serial) and, at the same time, in a list ordered by the arrival of their
 * latest record.  Every window and cap decision looks only at the head of
 * that list (the event that has been quiet longest), so each record costs
 * O(1) whatever the number of pending events.
 *
 * Serial gaps (stats.serial_gaps) are best effort: per node we remember
 * the highest serial seen; a new event whose serial jumps past it adds the
 * skipped count, and an event that arrives below it (interleaving) takes
 * one back.  DAEMON_* records (auditd's own, numbered by auditd) are left
 * out.  A gap is not always a loss -- the kernel may hand out serials to
 * events no rule logs -- so the daemon reports it as "possible loss".
 *
 * Boots (cfg.boots, for audit.log, which spans them): the kernel numbers
 * its records from 1 again at every boot and only upwards within one,
 * while auditd writes DAEMON_START when it starts, with a serial of its
 * own.  So per node, the first kernel record after a DAEMON_START begins
 * a new boot when its serial is below the highest kernel serial seen
 * since the last boot began (the counter started again), or the
 * DAEMON_START itself is older than the newest kernel record before it
 * (the clock went back, as after a reboot with a wrong clock).  An
 * auditd restart within one boot continues both.  Every event carries
 * the number of its boot in the input and the time that boot began
 * there (0 for the first, whose start the input does not show): a
 * session number means something only within its boot.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "assemble.h"
#include "oidc_err.h"

#define LATE_RING	256	/* recently completed events remembered for late_records */
#define MAX_NODES	64	/* nodes tracked for serial gaps */
#define MAX_TABLE	(1u << 22)

struct pending {
	uint64_t serial;
	uint64_t hash;
	const char *node;		/* points into recs[0]->text */
	uint32_t node_len;
	struct audit_record **recs;
	size_t nrecs, cap;
	size_t bytes;
	uint64_t last_seq, last_ms;
	bool dropped;			/* a record was over max_records */
	uint32_t boot;			/* the node's boot when the event began */
	uint64_t boot_start_us;
	struct pending *prev, *next;
};

struct node_serial {
	char name[64];
	size_t len;
	uint64_t max_serial;	  /* highest kernel serial (of this boot, with cfg.boots) */
	bool kernel_seen;	  /* a kernel record of this node has been seen */
	uint64_t max_time_us;	  /* newest kernel record time of this boot */
	bool daemon_start;	  /* a DAEMON_START not yet followed by a kernel record */
	uint64_t daemon_start_us; /* its time */
	uint32_t boot;		  /* boots of this node before the current one */
	uint64_t boot_start_us;	  /* when the current one began; 0 unknown */
};

struct assembler {
	struct assembler_config cfg;
	struct assembler_stats st;

	struct pending **table;
	size_t table_size;		/* power of two */
	struct pending *head, *tail;	/* oldest activity first */
	uint64_t seq;

	uint64_t late_hash[LATE_RING];
	uint64_t late_serial[LATE_RING];
	size_t late_pos, late_used;

	struct node_serial nodes[MAX_NODES];
	size_t nnodes;

	struct audit_field *scratch;	/* AUDIT_REC_MAX_FIELDS */

	/* assembler_feed_bytes */
	char *partial;
	size_t partial_len;
	bool skipping;			/* inside an over-long line */
};

static uint64_t
key_hash(const char *node, size_t node_len, uint64_t serial)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a over the node, mixed with the serial */
	size_t i;

	for (i = 0; i < node_len; i++) {
		h ^= (unsigned char)node[i];
		h *= 1099511628211ull;
	}
	h ^= serial * 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	return h;
}

static bool
key_eq(const struct pending *p, const char *node, size_t node_len, uint64_t serial)
{
	return p->serial == serial && p->node_len == node_len &&
	       (node_len == 0 || memcmp(p->node, node, node_len) == 0);
}

static struct pending *
table_find(struct assembler *a, uint64_t h, const char *node, size_t node_len, uint64_t serial,
	   size_t *ret_slot)
{
	size_t mask = a->table_size - 1, i = h & mask;

	while (a->table[i] != NULL) {
		if (a->table[i]->hash == h && key_eq(a->table[i], node, node_len, serial)) {
			*ret_slot = i;
			return a->table[i];
		}
		i = (i + 1) & mask;
	}
	*ret_slot = i;
	return NULL;
}

/* Linear probing deletion by backward shift: no tombstones to age. */
static void
table_remove(struct assembler *a, struct pending *p)
{
	size_t mask = a->table_size - 1, i = p->hash & mask, j, k;

	while (a->table[i] != p)
		i = (i + 1) & mask;
	a->table[i] = NULL;
	j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (a->table[j] == NULL)
			break;
		k = a->table[j]->hash & mask;
		/* move j back to i unless its home slot k lies cyclically in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		a->table[i] = a->table[j];
		a->table[j] = NULL;
		i = j;
	}
}

static void
list_unlink(struct assembler *a, struct pending *p)
{
	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		a->head = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	else
		a->tail = p->prev;
	p->prev = p->next = NULL;
}

static void
list_append(struct assembler *a, struct pending *p)
{
	p->prev = a->tail;
	p->next = NULL;
	if (a->tail != NULL)
		a->tail->next = p;
	else
		a->head = p;
	a->tail = p;
}

static void
pending_free(struct pending *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nrecs; i++)
		record_free(p->recs[i]);
	free(p->recs);
	free(p);
}

static void
late_remember(struct assembler *a, const struct pending *p)
{
	a->late_hash[a->late_pos] = p->hash;
	a->late_serial[a->late_pos] = p->serial;
	a->late_pos = (a->late_pos + 1) % LATE_RING;
	if (a->late_used < LATE_RING)
		a->late_used++;
}

static bool
late_seen(const struct assembler *a, uint64_t h, uint64_t serial)
{
	size_t i;

	for (i = 0; i < a->late_used; i++)
		if (a->late_hash[i] == h && a->late_serial[i] == serial)
			return true;
	return false;
}

/* Take p out of assembly, build its event and hand it over. */
static void
complete(struct assembler *a, struct pending *p, bool incomplete)
{
	struct audit_event *ev = NULL;
	struct oidc_err err;

	table_remove(a, p);
	list_unlink(a, p);
	a->st.pending--;
	a->st.pending_bytes -= p->bytes;
	late_remember(a, p);
	if (p->dropped)
		incomplete = true;

	a->st.events++;
	if (incomplete)
		a->st.incomplete++;
	if (a->cfg.on_group != NULL)
		a->cfg.on_group((const struct audit_record *const *)p->recs, p->nrecs, incomplete,
				a->cfg.arg);
	oidc_err_clear(&err);
	if (event_build((const struct audit_record *const *)p->recs, p->nrecs, incomplete,
			a->cfg.skip_other, &ev, &err) < 0) {
		a->st.build_errors++;
	} else if (ev->kind == AUDIT_EV_OTHER && a->cfg.skip_other) {
		a->st.events_skipped++;
		audit_event_free(ev);
	} else {
		ev->boot = p->boot;
		ev->boot_start_us = p->boot_start_us;
		a->cfg.on_event(ev, a->cfg.arg);
	}
	pending_free(p);
}

/* The state of one node, created on first sight; NULL beyond MAX_NODES. */
static struct node_serial *
node_get(struct assembler *a, const char *node, size_t node_len)
{
	struct node_serial *n;
	size_t i;

	for (i = 0; i < a->nnodes; i++)
		if (a->nodes[i].len == node_len && memcmp(a->nodes[i].name, node, node_len) == 0)
			return &a->nodes[i];
	if (a->nnodes >= MAX_NODES || node_len > sizeof(a->nodes[0].name))
		return NULL;
	n = &a->nodes[a->nnodes++];
	memset(n, 0, sizeof(*n));
	memcpy(n->name, node, node_len);
	n->len = node_len;
	return n;
}

static uint64_t
record_time_us(const struct audit_record *rec)
{
	return rec->sec * 1000000u + (uint64_t)rec->msec * 1000u;
}

/* A kernel record that begins an event: serial gaps, and boots (see the top). */
static void
serial_account(struct assembler *a, struct node_serial *n, uint64_t serial, uint64_t time_us)
{
	if (n->daemon_start && a->cfg.boots) {
		n->daemon_start = false;
		if (n->kernel_seen &&
		    (serial < n->max_serial || n->daemon_start_us < n->max_time_us)) {
			n->boot++;
			/* records held while no auditd ran may predate its start */
			n->boot_start_us = n->daemon_start_us;
			if (time_us < n->boot_start_us)
				n->boot_start_us = time_us;
			n->max_serial = serial;
			n->max_time_us = time_us;
			a->st.boots++;
			return;
		}
	}
	if (!n->kernel_seen) {
		n->kernel_seen = true;
		n->max_serial = serial;
	} else if (serial > n->max_serial) {
		a->st.serial_gaps += serial - n->max_serial - 1;
		n->max_serial = serial;
	} else if (serial < n->max_serial && a->st.serial_gaps > 0) {
		a->st.serial_gaps--;
	}
	if (time_us > n->max_time_us)
		n->max_time_us = time_us;
}

/* Rule 4 (records) and 5 (caps), looking at the quietest event only. */
static void
expire(struct assembler *a, uint64_t now_ms)
{
	while (a->head != NULL) {
		struct pending *h = a->head;

		if (a->seq - h->last_seq > a->cfg.window_records ||
		    (now_ms > h->last_ms && now_ms - h->last_ms > a->cfg.window_ms)) {
			complete(a, h, true);
		} else if (a->st.pending_bytes > a->cfg.max_pending_bytes) {
			a->st.evicted++;
			complete(a, h, true);
		} else {
			break;
		}
	}
}

int
assembler_new(const struct assembler_config *cfg, struct assembler **ret, struct oidc_err *err)
{
	struct assembler *a;
	size_t want;

	*ret = NULL;
	if (cfg == NULL || cfg->on_event == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "assembler needs an event callback");
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	a->cfg = *cfg;
	if (a->cfg.window_records == 0)
		a->cfg.window_records = ASSEMBLER_DEFAULT_WINDOW_RECORDS;
	if (a->cfg.window_ms == 0)
		a->cfg.window_ms = ASSEMBLER_DEFAULT_WINDOW_MS;
	if (a->cfg.max_pending == 0)
		a->cfg.max_pending = ASSEMBLER_DEFAULT_MAX_PENDING;
	if (a->cfg.max_pending > MAX_TABLE / 2)
		a->cfg.max_pending = MAX_TABLE / 2;
	if (a->cfg.max_records == 0)
		a->cfg.max_records = ASSEMBLER_DEFAULT_MAX_RECORDS;
	if (a->cfg.max_pending_bytes == 0)
		a->cfg.max_pending_bytes = ASSEMBLER_DEFAULT_MAX_PENDING_BYTES;
	/* at most half full keeps probe sequences short */
	for (want = 16; want < a->cfg.max_pending * 2 + 2; want *= 2)
		;
	a->table_size = want;
	a->table = calloc(want, sizeof(*a->table));
	a->scratch = calloc(AUDIT_REC_MAX_FIELDS, sizeof(*a->scratch));
	if (a->table == NULL || a->scratch == NULL) {
		assembler_free(a);
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	}
	*ret = a;
	return 0;
}

void
assembler_free(struct assembler *a)
{
	struct pending *p, *next;

	if (a == NULL)
		return;
	for (p = a->head; p != NULL; p = next) {
		next = p->next;
		pending_free(p);
	}
	free(a->table);
	free(a->scratch);
	free(a->partial);
	free(a);
}

static bool
single_record_type(uint32_t t)
{
	/* user-space (1100-1199, 2100-2999) and daemon (1200-1299) messages */
	return (t >= 1100 && t <= 1299) || (t >= 2100 && t <= 2999);
}

int
assembler_feed_line(struct assembler *a, const char *line, size_t len, uint64_t now_ms)
{
	struct audit_record rec;
	struct audit_record *copy;
	struct pending *p;
	struct node_serial *ns;
	const char *node;
	size_t slot;
	uint64_t h;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len == 0)
		return 0;
	a->st.lines++;
	if (len > AUDIT_MAX_RECORD_LEN) {
		a->st.truncated++;
		return 0;
	}
	if (record_parse(line, len, a->scratch, AUDIT_REC_MAX_FIELDS, &rec) < 0) {
		a->st.garbage++;
		return 0;
	}
	a->st.records++;
	if (rec.truncated)
		a->st.truncated++;

	node = line + rec.node_off;
	h = key_hash(node, rec.node_len, rec.serial);
	p = table_find(a, h, node, rec.node_len, rec.serial, &slot);

	if (rec.type == AUDIT_T_EOE) {
		if (p != NULL)
			complete(a, p, false);
		else
			a->st.orphan_eoe++;
		expire(a, now_ms);
		return 0;
	}

	/* Before the serial look-up: auditd's serials may meet the kernel's. */
	if (rec.type == AUDIT_T_DAEMON_START && a->cfg.boots &&
	    (ns = node_get(a, node, rec.node_len)) != NULL) {
		ns->daemon_start = true;
		ns->daemon_start_us = record_time_us(&rec);
	}

	if (p == NULL) {
		ns = node_get(a, node, rec.node_len);
		if (late_seen(a, h, rec.serial))
			a->st.late_records++;
		else if (!(rec.type >= 1200 && rec.type <= 1299) && ns != NULL)
			/* DAEMON_* records carry auditd's own serials, not the kernel's */
			serial_account(a, ns, rec.serial, record_time_us(&rec));
		if (a->st.pending >= a->cfg.max_pending) {
			a->st.evicted++;
			complete(a, a->head, true);
			/* the table changed: find the free slot again */
			(void)table_find(a, h, node, rec.node_len, rec.serial, &slot);
		}
		p = calloc(1, sizeof(*p));
		if (p == NULL)
			return -ENOMEM;
		p->serial = rec.serial;
		p->hash = h;
		if (ns != NULL) {
			p->boot = ns->boot;
			p->boot_start_us = ns->boot_start_us;
		}
		a->table[slot] = p;
		list_append(a, p);
		a->st.pending++;
	}

	if (p->nrecs >= a->cfg.max_records) {
		a->st.records_dropped++;
		p->dropped = true;
		goto check;
	}
	if (p->nrecs == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 8;
		struct audit_record **n = realloc(p->recs, ncap * sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		p->recs = n;
		p->cap = ncap;
	}
	copy = record_dup(&rec);
	if (copy == NULL)
		return -ENOMEM;
	if (p->nrecs == 0) {
		p->node = copy->text + copy->node_off;
		p->node_len = copy->node_len;
	}
	p->recs[p->nrecs++] = copy;
	p->bytes += copy->len;
	a->st.pending_bytes += copy->len;

check:
	a->seq++;
	p->last_seq = a->seq;
	p->last_ms = now_ms;
	if (a->tail != p) {
		list_unlink(a, p);
		list_append(a, p);
	}
	if (single_record_type(p->recs[0]->type) ||
	    (a->cfg.mode == ASSEMBLER_MODE_WINDOW && rec.type == AUDIT_T_PROCTITLE))
		complete(a, p, false);
	expire(a, now_ms);
	return 0;
}

int
assembler_feed_bytes(struct assembler *a, const char *data, size_t len, uint64_t now_ms)
{
	int r;

	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl != NULL ? (size_t)(nl - data) : len;

		if (a->skipping) {
			/* the rest of an over-long line, already counted */
			if (nl != NULL)
				a->skipping = false;
		} else if (a->partial_len == 0 && nl != NULL) {
			/* the common case: a whole line inside the chunk, no copy */
			r = assembler_feed_line(a, data, n, now_ms);
			if (r < 0)
				return r;
		} else if (a->partial_len + n > AUDIT_MAX_RECORD_LEN) {
			a->st.lines++;
			a->st.truncated++;
			a->partial_len = 0;
			a->skipping = nl == NULL;
		} else {
			if (a->partial == NULL) {
				a->partial = malloc(AUDIT_MAX_RECORD_LEN + 1);
				if (a->partial == NULL)
					return -ENOMEM;
			}
			memcpy(a->partial + a->partial_len, data, n);
			a->partial_len += n;
			if (nl != NULL) {
				size_t pl = a->partial_len;

				a->partial_len = 0;
				r = assembler_feed_line(a, a->partial, pl, now_ms);
				if (r < 0)
					return r;
			}
		}
		if (nl == NULL)
			break;
		data = nl + 1;
		len -= n + 1;
	}
	return 0;
}

void
assembler_tick(struct assembler *a, uint64_t now_ms)
{
	expire(a, now_ms);
}

void
assembler_flush(struct assembler *a)
{
	if (a->partial_len > 0) {
		size_t pl = a->partial_len;

		a->partial_len = 0;
		(void)assembler_feed_line(a, a->partial, pl, a->tail ? a->tail->last_ms : 0);
	}
	a->skipping = false;
	while (a->head != NULL)
		complete(a, a->head, true);
}

void
assembler_get_stats(const struct assembler *a, struct assembler_stats *ret)
{
	*ret = a->st;
}
