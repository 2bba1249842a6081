/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Enrichment: audit session id -> session registry entry.  The registry is
 * read on a miss and the result cached; closed sessions stay cached (their
 * events may still be in flight, and replays need them), so the only
 * eviction is a full cache, which is simply emptied and refilled on demand.
 *
 * Absence is never cached: an event of session N can come before the
 * module has written N's entry (a PAM module ordered before pam_oidc that
 * runs a program, say), and a remembered "no entry" would then drop the
 * session's first commands without a trace.  A miss costs one failed
 * open(), and audit rules limit events to login sessions anyway.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oidc_audit.h"
#include "oidc_err.h"

#define ENRICH_BUCKETS 1024
#define ENRICH_MAX_CACHED 16384

struct enrich_node {
	struct enrich_node *next;
	uint32_t ses;
	bool present;			/* false: a node kept for reuse after a miss */
	struct registry_entry e;
};

struct enricher {
	char *dir;
	struct enrich_node *b[ENRICH_BUCKETS];
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

	if (en == NULL)
		return -ENOMEM;
	en->dir = strdup(dir ? dir : REGISTRY_DEFAULT_DIR);
	if (en->dir == NULL) {
		free(en);
		return -ENOMEM;
	}
	*ret = en;
	return 0;
}

/* See oidc_audit.h. */
void
enrich_free(struct enricher *en)
{
	if (en == NULL)
		return;
	enrich_clear(en);
	free(en->dir);
	free(en);
}

/* See oidc_audit.h. */
int
enrich_set_dir(struct enricher *en, const char *dir)
{
	char *d = strdup(dir);

	if (d == NULL)
		return -ENOMEM;
	free(en->dir);
	en->dir = d;
	enrich_clear(en);
	return 0;
}

/* See oidc_audit.h. */
const struct registry_entry *
enrich_lookup(struct enricher *en, uint32_t ses)
{
	struct enrich_node *n, **slot;
	struct oidc_err err = { 0 };
	int r;

	if (ses == UINT32_MAX)
		return NULL;
	slot = &en->b[ses % ENRICH_BUCKETS];
	for (n = *slot; n != NULL; n = n->next) {
		if (n->ses != ses)
			continue;
		if (n->present) {
			en->st.hits++;
			return &n->e;
		}
		break;	/* absent last time: read again */
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
	return &n->e;
}

/* See oidc_audit.h. */
void
enrich_get_stats(const struct enricher *en, struct enrich_stats *ret)
{
	*ret = en->st;
}
