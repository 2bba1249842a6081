/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Enrichment: an event -> the session registry entry of its login, if the
 * event belongs to that login.  A session number alone does not say so:
 * the kernel's audit session ids start again at 1 at every boot, audit.log
 * spans boots, and a registry copied for a replay may hold entries of
 * several.  An entry is the event's only when
 *
 *   - boot: live, the entry's boot_id is this boot's; in a replay the
 *     entry was opened in the event's boot as the assembler found it
 *     (opened no earlier than that boot began, and each boot id belongs
 *     to one boot of the input and each boot to one boot id: the first
 *     event attributed in a boot binds the two);
 *   - login uid: the event's auid is the entry's loginuid;
 *   - time: the event's kernel time lies in [opened, closed], widened by
 *     ENRICH_SLACK_US on both sides: the kernel stamps an event with a
 *     coarse clock (a few ms behind) at the start of its system call, the
 *     module writes `opened` just before the shell starts and `closed` at
 *     logout.  An open entry has no upper bound.
 *
 * Anything else is ENRICH_MISMATCH: the event gets no identity.
 *
 * Live, entries are read on a miss and cached; closed sessions stay cached
 * (their events may still be in flight), and the only eviction is a full
 * cache, which is simply emptied and refilled on demand.  Absence is never
 * cached: an event of session N can come before the module has written
 * N's entry (a PAM module ordered before pam_oidc that runs a program, say),
 * and a remembered "no entry" would then drop the session's first commands
 * without a trace.  A cached open entry is read again once the events have
 * moved on by more than ENRICH_SLACK_US, so its `closed` is seen.
 *
 * A replay reads every entry of its registry directories up front and
 * keys them by (boot, session).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "oidc_audit.h"
#include "oidc_err.h"
#include "text.h"

#define ENRICH_BUCKETS 1024
#define ENRICH_MAX_CACHED 16384
#define ENRICH_MAX_REPLAY   (256 * 1024) /* entries of a replay's registries */
#define ENRICH_MAX_BINDINGS 4096	 /* boots of a replay's input */

struct enrich_node {
	struct enrich_node *next;
	uint32_t ses;
	bool present;			/* false: a node kept for reuse after a miss */
	uint64_t checked_us;		/* live: event time up to which e is known current */
	struct registry_entry e;
};

/* A replay: this boot of the input (node, number) is that boot id. */
struct enrich_binding {
	char *node; /* NULL: records without node= */
	uint32_t boot;
	char boot_id[33];
};

struct enricher {
	char *dir; /* live */
	bool replay;
	char boot_id[33]; /* live: this boot's */
	struct enrich_node *b[ENRICH_BUCKETS];
	struct enrich_binding *bind;
	size_t nbind;
	struct enrich_stats st;
};

static void
enrich_clear(struct enricher *en)
{
	size_t i;

	for (i = 0; i < ENRICH_BUCKETS; i++) {
		struct enrich_node *n = en->b[i], *next;

		for (; n != NULL; n = next) {
			next = n->next;
			registry_entry_free(&n->e);
			free(n);
		}
		en->b[i] = NULL;
	}
	en->st.cached = 0;
}

/* See oidc_audit.h. */
int
enrich_new(const char *dir, struct enricher **ret)
{
	struct enricher *en = calloc(1, sizeof(*en));
	int r = -ENOMEM;

	if (en == NULL)
		goto out;
	r = registry_boot_id(en->boot_id);
	if (r < 0)
		goto out;
	en->dir = strdup(dir ? dir : REGISTRY_DEFAULT_DIR);
	if (en->dir == NULL) {
		r = -ENOMEM;
		goto out;
	}
	*ret = en;
	en = NULL;
	r = 0;
out:
	free(en);
	return r;
}

/* Keep e (taken over) for session ses; a copy of the same login from another directory is merged. */
static int
replay_add(struct enricher *en, struct registry_entry *e)
{
	struct enrich_node *n, **slot = &en->b[e->session % ENRICH_BUCKETS];

	for (n = *slot; n != NULL; n = n->next) {
		if (n->ses != e->session || strcmp(n->e.boot_id, e->boot_id) != 0 ||
		    strcmp(n->e.login_id, e->login_id) != 0)
			continue;
		/* one login copied twice: the copy taken after its logout knows more */
		if (e->closed > n->e.closed) {
			registry_entry_free(&n->e);
			n->e = *e;
		} else {
			registry_entry_free(e);
		}
		memset(e, 0, sizeof(*e));
		return 0;
	}
	if (en->st.cached >= ENRICH_MAX_REPLAY)
		return -E2BIG;
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return -ENOMEM;
	n->ses = e->session;
	n->present = true;
	n->e = *e;
	memset(e, 0, sizeof(*e));
	n->next = *slot;
	*slot = n;
	en->st.cached++;
	return 0;
}

/* Read every entry of one registry directory into a replay's table. */
static int
replay_load_dir(struct enricher *en, const char *dir, struct oidc_err *err)
{
	struct registry_entry e = { 0 };
	struct dirent *de;
	DIR *d;
	int r = 0;

	d = opendir(dir);
	if (d == NULL)
		return oidc_err_set(err, OIDC_R_CONFIG, errno, "cannot read the registry %s", dir);
	while ((errno = 0, de = readdir(d)) != NULL) {
		struct oidc_err rerr = { 0 };
		uint64_t ses;

		/* entries are named by their session; anything else (a temporary file) is not one */
		if (num_parse_u64(de->d_name, UINT32_MAX - 1, &ses) < 0)
			continue;
		en->st.reads++;
		r = registry_read(dir, (uint32_t)ses, &e, &rerr);
		if (r < 0) {
			en->st.read_errors++;
			fprintf(stderr, "oidc-audit: %s/%s: %s (skipped)\n", dir, de->d_name,
				rerr.msg[0] ? rerr.msg : strerror(-r));
			r = 0;
			continue;
		}
		r = replay_add(en, &e);
		registry_entry_free(&e);
		if (r < 0) {
			r = oidc_err_set(err, OIDC_R_TOO_LARGE, -r,
					 "the registries hold more than %d entries",
					 ENRICH_MAX_REPLAY);
			goto out;
		}
	}
	if (errno != 0)
		r = oidc_err_set(err, OIDC_R_CONFIG, errno, "cannot read the registry %s", dir);
out:
	closedir(d);
	return r;
}

/* See oidc_audit.h. */
int
enrich_new_replay(const char *const *dirs, size_t ndirs, struct enricher **ret,
		  struct oidc_err *err)
{
	struct enricher *en = calloc(1, sizeof(*en));
	size_t i;
	int r;

	if (en == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	en->replay = true;
	for (i = 0, r = 0; i < ndirs && r == 0; i++)
		r = replay_load_dir(en, dirs[i], err);
	if (r == 0) {
		*ret = en;
		en = NULL;
	}
	enrich_free(en);
	return r;
}

/* See oidc_audit.h. */
void
enrich_free(struct enricher *en)
{
	size_t i;

	if (en == NULL)
		return;
	enrich_clear(en);
	for (i = 0; i < en->nbind; i++)
		free(en->bind[i].node);
	free(en->bind);
	free(en->dir);
	free(en);
}

/* See oidc_audit.h. */
int
enrich_set_dir(struct enricher *en, const char *dir)
{
	char *d;

	if (en->replay)
		return -EINVAL;
	d = strdup(dir);
	if (d == NULL)
		return -ENOMEM;
	free(en->dir);
	en->dir = d;
	enrich_clear(en);
	return 0;
}

/* See oidc_audit.h. */
int
enrich_set_boot_id(struct enricher *en, const char *boot_id)
{
	if (en->replay || boot_id == NULL || strlen(boot_id) != 32 ||
	    !text_hex_is_lower(boot_id, 32))
		return -EINVAL;
	memcpy(en->boot_id, boot_id, 33);
	enrich_clear(en);
	return 0;
}

/* Login uid and time window (see the top); the boot is checked by the callers. */
static bool
entry_fits(const struct registry_entry *e, const struct audit_event *ev)
{
	if (ev->loginuid == UINT32_MAX || e->loginuid != ev->loginuid)
		return false;
	if (ev->time_us + ENRICH_SLACK_US < e->opened)
		return false;
	if (e->closed != 0 && ev->time_us > e->closed + ENRICH_SLACK_US)
		return false;
	/* opened before the event's boot began in the input: an earlier boot's */
	if (ev->boot_start_us != 0 && e->opened + ENRICH_SLACK_US < ev->boot_start_us)
		return false;
	return true;
}

static bool
same_node(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/*
 * A replay: may entry e (boot id) be of the event's boot?  Yes when
 * neither is bound yet, or they are bound to each other.
 */
static bool
replay_boot_ok(const struct enricher *en, const struct registry_entry *e,
	       const struct audit_event *ev)
{
	size_t i;

	for (i = 0; i < en->nbind; i++) {
		const struct enrich_binding *b = &en->bind[i];
		bool this_boot = b->boot == ev->boot && same_node(b->node, ev->node);

		if (this_boot || strcmp(b->boot_id, e->boot_id) == 0)
			return this_boot && strcmp(b->boot_id, e->boot_id) == 0;
	}
	return true;
}

/* Bind the event's boot to e's boot id (once); beyond the cap, unbound. */
static void
replay_bind(struct enricher *en, const struct registry_entry *e, const struct audit_event *ev)
{
	struct enrich_binding *nb;
	size_t i;

	for (i = 0; i < en->nbind; i++)
		if (strcmp(en->bind[i].boot_id, e->boot_id) == 0)
			return;
	if (en->nbind >= ENRICH_MAX_BINDINGS || strlen(e->boot_id) >= sizeof(nb->boot_id))
		return;
	nb = realloc(en->bind, (en->nbind + 1) * sizeof(*nb));
	if (nb == NULL)
		return;
	en->bind = nb;
	nb = &en->bind[en->nbind];
	memset(nb, 0, sizeof(*nb));
	if (ev->node != NULL && (nb->node = strdup(ev->node)) == NULL)
		return;
	nb->boot = ev->boot;
	memcpy(nb->boot_id, e->boot_id, strlen(e->boot_id) + 1);
	en->nbind++;
}

static const struct registry_entry *
replay_lookup(struct enricher *en, const struct audit_event *ev, enum enrich_miss *why)
{
	const struct registry_entry *found = NULL;
	struct enrich_node *n;
	size_t candidates = 0, fits = 0;

	for (n = en->b[ev->session % ENRICH_BUCKETS]; n != NULL; n = n->next) {
		if (n->ses != ev->session)
			continue;
		candidates++;
		if (!entry_fits(&n->e, ev) || !replay_boot_ok(en, &n->e, ev))
			continue;
		fits++;
		found = &n->e;
	}
	if (candidates == 0) {
		en->st.misses++;
		*why = ENRICH_NO_ENTRY;
		return NULL;
	}
	/* two logins that could both be this event's: neither is */
	if (fits != 1) {
		en->st.mismatched++;
		*why = ENRICH_MISMATCH;
		return NULL;
	}
	en->st.hits++;
	replay_bind(en, found, ev);
	*why = ENRICH_FOUND;
	return found;
}

/* Live: the cached entry of session ses, read (again) when needed. */
static struct enrich_node *
live_entry(struct enricher *en, const struct audit_event *ev)
{
	struct registry_entry fresh = { 0 };
	struct enrich_node *n, **slot;
	struct oidc_err err = { 0 };
	uint32_t ses = ev->session;
	int r;

	slot = &en->b[ses % ENRICH_BUCKETS];
	for (n = *slot; n != NULL; n = n->next)
		if (n->ses == ses)
			break;
	if (n != NULL && n->present) {
		/* closed entries do not change; an open one is read again now and then */
		if (n->e.closed != 0 || ev->time_us <= n->checked_us + ENRICH_SLACK_US) {
			en->st.hits++;
			return n;
		}
		en->st.reads++;
		if (registry_read(en->dir, ses, &fresh, &err) == 0) {
			registry_entry_free(&n->e);
			n->e = fresh;
		}
		/* gone or unreadable now: what was read before still holds */
		n->checked_us = ev->time_us;
		en->st.hits++;
		return n;
	}
	en->st.misses++;
	if (n == NULL) {
		if (en->st.cached >= ENRICH_MAX_CACHED)
			enrich_clear(en);
		slot = &en->b[ses % ENRICH_BUCKETS];
		n = calloc(1, sizeof(*n));
		if (n == NULL)
			return NULL;
		n->ses = ses;
		n->next = *slot;
		*slot = n;
		en->st.cached++;
	}
	en->st.reads++;
	r = registry_read(en->dir, ses, &n->e, &err);
	if (r < 0) {
		if (r != -ENOENT)
			en->st.read_errors++;
		else
			en->st.negative++;
		n->present = false;
		return NULL;
	}
	n->present = true;
	n->checked_us = ev->time_us;
	return n;
}

/* See oidc_audit.h. */
const struct registry_entry *
enrich_lookup(struct enricher *en, const struct audit_event *ev, enum enrich_miss *why)
{
	struct enrich_node *n;

	*why = ENRICH_NO_ENTRY;
	if (ev->session == UINT32_MAX)
		return NULL;
	if (en->replay)
		return replay_lookup(en, ev, why);
	n = live_entry(en, ev);
	if (n == NULL)
		return NULL;
	if (strcmp(n->e.boot_id, en->boot_id) != 0 || !entry_fits(&n->e, ev)) {
		en->st.mismatched++;
		*why = ENRICH_MISMATCH;
		return NULL;
	}
	*why = ENRICH_FOUND;
	return &n->e;
}

/* See oidc_audit.h. */
void
enrich_get_stats(const struct enricher *en, struct enrich_stats *ret)
{
	*ret = en->st;
}
