/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The order of `oidc-audit search`'s output in bounded memory: an external
 * merge sort of hits by (kernel event time, journal order).  Hits collect
 * in a run of at most `budget` bytes; a full run is sorted and written to
 * an unlinked temporary file; at the end the runs are merged, FANIN at a
 * time (more runs take intermediate passes into new runs of the same
 * file), and the final merge drops the copies of one event.  Each hit
 * carries the bytes search prints for it, so nothing is read from the
 * journal twice.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oidc_audit.h"

#define FANIN  32	   /* runs one merge reads at once */
#define IOBUF  (64u << 10) /* per run reader, and the writer */
#define NO_KEY UINT32_MAX

struct rec { /* a hit of the run in memory */
	uint64_t t_us, seq;
	size_t off;	     /* key then data, in arena */
	uint32_t klen, dlen; /* klen NO_KEY: no key */
};

struct run {
	off_t start, end;
};

struct search_sorter {
	size_t budget;
	char *arena;
	size_t used, arena_cap;
	struct rec *recs;
	size_t n, recs_cap;
	uint64_t seq;
	int fd; /* -1 until the first spill */
	off_t fsize;
	struct run *runs;
	size_t n_runs, runs_cap, spilled;
	char *wbuf;
	size_t wlen;
};

/* A run being read back. */
struct reader {
	int fd;
	off_t pos, end;
	char *buf;
	size_t blen, boff;
	/* the current record */
	bool have;
	uint64_t t_us, seq;
	uint32_t klen, dlen;
	char *rec;
	size_t rec_cap;
};

/* See oidc_audit.h. */
int
search_sorter_new(size_t budget, struct search_sorter **ret)
{
	struct search_sorter *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return -ENOMEM;
	s->budget = budget < SEARCH_SORT_MIN_BUDGET ? SEARCH_SORT_MIN_BUDGET : budget;
	s->fd = -1;
	*ret = s;
	return 0;
}

/* See oidc_audit.h. */
void
search_sorter_free(struct search_sorter *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->arena);
	free(s->recs);
	free(s->runs);
	free(s->wbuf);
	free(s);
}

/* See oidc_audit.h. */
size_t
search_sorter_runs(const struct search_sorter *s)
{
	return s->spilled;
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->t_us != y->t_us)
		return x->t_us < y->t_us ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The spill file: unlinked from the start, so nothing outlives search. */
static int
spill_open(struct search_sorter *s)
{
	const char *dir = secure_getenv("TMPDIR");
	char path[PATH_MAX];
	int fd;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC | O_EXCL, 0600);
	if (fd < 0) {
		if (snprintf(path, sizeof(path), "%s/oidc-audit-search.XXXXXX", dir) >=
		    (int)sizeof(path))
			return -ENAMETOOLONG;
		fd = mkostemp(path, O_CLOEXEC);
		if (fd < 0)
			return -errno;
		unlink(path);
	}
	if ((s->wbuf = malloc(IOBUF)) == NULL) {
		close(fd);
		return -ENOMEM;
	}
	s->fd = fd;
	return 0;
}

static int
w_flush(struct search_sorter *s)
{
	size_t done = 0;

	while (done < s->wlen) {
		ssize_t w = pwrite(s->fd, s->wbuf + done, s->wlen - done, s->fsize);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += (size_t)w;
		s->fsize += w;
	}
	s->wlen = 0;
	return 0;
}

static int
w_put(struct search_sorter *s, const void *p, size_t len)
{
	const char *c = p;
	int r;

	while (len > 0) {
		size_t k = IOBUF - s->wlen < len ? IOBUF - s->wlen : len;

		memcpy(s->wbuf + s->wlen, c, k);
		s->wlen += k;
		c += k;
		len -= k;
		if (s->wlen == IOBUF && (r = w_flush(s)) < 0)
			return r;
	}
	return 0;
}

/* One record in the file: t_us, seq, klen, dlen, key, data. */
static int
w_rec(struct search_sorter *s, uint64_t t_us, uint64_t seq, uint32_t klen, uint32_t dlen,
      const char *key, const char *data)
{
	char h[24];
	int r;

	memcpy(h, &t_us, 8);
	memcpy(h + 8, &seq, 8);
	memcpy(h + 16, &klen, 4);
	memcpy(h + 20, &dlen, 4);
	if ((r = w_put(s, h, sizeof(h))) < 0 || (klen != NO_KEY && (r = w_put(s, key, klen)) < 0) ||
	    (r = w_put(s, data, dlen)) < 0)
		return r;
	return 0;
}

static int
run_add(struct search_sorter *s, off_t start, off_t end)
{
	if (s->n_runs == s->runs_cap) {
		size_t nc = s->runs_cap ? s->runs_cap * 2 : 16;
		struct run *nr = realloc(s->runs, nc * sizeof(*nr));

		if (nr == NULL)
			return -ENOMEM;
		s->runs = nr;
		s->runs_cap = nc;
	}
	s->runs[s->n_runs++] = (struct run){ start, end };
	return 0;
}

/* Sort the run in memory and append it to the file. */
static int
spill(struct search_sorter *s)
{
	off_t start;
	size_t i;
	int r;

	if (s->n == 0)
		return 0;
	if (s->fd < 0 && (r = spill_open(s)) < 0)
		return r;
	qsort(s->recs, s->n, sizeof(*s->recs), rec_cmp);
	start = s->fsize;
	for (i = 0; i < s->n; i++) {
		const struct rec *c = &s->recs[i];
		const char *k = s->arena + c->off;

		if ((r = w_rec(s, c->t_us, c->seq, c->klen, c->dlen, k,
			       k + (c->klen == NO_KEY ? 0 : c->klen))) < 0)
			return r;
	}
	if ((r = w_flush(s)) < 0 || (r = run_add(s, start, s->fsize)) < 0)
		return r;
	s->spilled++;
	s->n = 0;
	s->used = 0;
	return 0;
}

/* See oidc_audit.h. */
int
search_sorter_add(struct search_sorter *s, uint64_t t_us, const char *key, const void *data,
		  size_t len)
{
	size_t klen = key ? strlen(key) : 0, need = klen + len;
	int r;

	if (len > UINT32_MAX / 2 || klen > UINT32_MAX / 2)
		return -E2BIG;
	/* a run is full at budget bytes; one hit larger than that is a run of its own */
	if (s->n > 0 && s->used + need + (s->n + 1) * sizeof(struct rec) > s->budget &&
	    (r = spill(s)) < 0)
		return r;
	if (s->used + need > s->arena_cap) {
		size_t nc = s->arena_cap ? s->arena_cap : 4096;
		char *na;

		while (nc < s->used + need)
			nc *= 2;
		if (nc > s->budget && s->used + need <= s->budget)
			nc = s->budget;
		if ((na = realloc(s->arena, nc)) == NULL)
			return -ENOMEM;
		s->arena = na;
		s->arena_cap = nc;
	}
	if (s->n == s->recs_cap) {
		size_t nc = s->recs_cap ? s->recs_cap * 2 : 256;
		struct rec *nr = realloc(s->recs, nc * sizeof(*nr));

		if (nr == NULL)
			return -ENOMEM;
		s->recs = nr;
		s->recs_cap = nc;
	}
	if (key)
		memcpy(s->arena + s->used, key, klen);
	if (len)
		memcpy(s->arena + s->used + klen, data, len);
	s->recs[s->n++] = (struct rec){ .t_us = t_us,
					.seq = s->seq++,
					.off = s->used,
					.klen = key ? (uint32_t)klen : NO_KEY,
					.dlen = (uint32_t)len };
	s->used += need;
	return 0;
}

/* Copy len bytes of the run into dst (NULL: into nothing). */
static int
rd(struct reader *r, char *dst, size_t len)
{
	while (len > 0) {
		size_t k;

		if (r->boff == r->blen) {
			size_t want = IOBUF;
			ssize_t got;

			if (r->end - r->pos < (off_t)want)
				want = (size_t)(r->end - r->pos);
			if (want == 0)
				return -EIO; /* a record cut short: the file changed under us */
			got = pread(r->fd, r->buf, want, r->pos);
			if (got < 0) {
				if (errno == EINTR)
					continue;
				return -errno;
			}
			if (got == 0)
				return -EIO;
			r->pos += got;
			r->blen = (size_t)got;
			r->boff = 0;
		}
		k = r->blen - r->boff < len ? r->blen - r->boff : len;
		memcpy(dst, r->buf + r->boff, k);
		dst += k;
		r->boff += k;
		len -= k;
	}
	return 0;
}

/* The next record of the run into r (r->have false at its end). */
static int
reader_next(struct reader *r)
{
	char h[24];
	size_t need;
	int e;

	r->have = false;
	if (r->pos == r->end && r->boff == r->blen)
		return 0;
	if ((e = rd(r, h, sizeof(h))) < 0)
		return e;
	memcpy(&r->t_us, h, 8);
	memcpy(&r->seq, h + 8, 8);
	memcpy(&r->klen, h + 16, 4);
	memcpy(&r->dlen, h + 20, 4);
	need = (size_t)(r->klen == NO_KEY ? 0 : r->klen) + r->dlen;
	if (need > r->rec_cap) {
		char *nb = realloc(r->rec, need);

		if (nb == NULL)
			return -ENOMEM;
		r->rec = nb;
		r->rec_cap = need;
	}
	if ((e = rd(r, r->rec, need)) < 0)
		return e;
	r->have = true;
	return 0;
}

/* Keys of the hits of one event time: a copy of one event has its time. */
struct group {
	uint64_t t_us;
	char *keys; /* NUL-separated */
	size_t len, cap;
};

static bool
group_seen(struct group *g, uint64_t t_us, const char *key, size_t klen, int *err)
{
	size_t i;

	if (g->t_us != t_us) {
		g->t_us = t_us;
		g->len = 0;
	}
	for (i = 0; i < g->len; i += strlen(g->keys + i) + 1)
		if (strlen(g->keys + i) == klen && memcmp(g->keys + i, key, klen) == 0)
			return true;
	if (g->len + klen + 1 > g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 1024;
		char *nk;

		while (nc < g->len + klen + 1)
			nc *= 2;
		if ((nk = realloc(g->keys, nc)) == NULL) {
			*err = -ENOMEM;
			return false;
		}
		g->keys = nk;
		g->cap = nc;
	}
	memcpy(g->keys + g->len, key, klen);
	g->keys[g->len + klen] = '\0';
	g->len += klen + 1;
	return false;
}

/*
 * Merge runs [first, first + n) in order: into a new run of the file
 * (emit NULL), or to emit without the copies of one event.
 */
static int
merge(struct search_sorter *s, size_t first, size_t n, search_emit_fn emit, void *ud, size_t *dups)
{
	struct reader *rs = calloc(n, sizeof(*rs));
	struct group g = { .t_us = UINT64_MAX };
	off_t start = s->fsize;
	size_t i;
	int r = 0;

	if (rs == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		rs[i].fd = s->fd;
		rs[i].pos = s->runs[first + i].start;
		rs[i].end = s->runs[first + i].end;
		if ((rs[i].buf = malloc(IOBUF)) == NULL) {
			r = -ENOMEM;
			goto out;
		}
		if ((r = reader_next(&rs[i])) < 0)
			goto out;
	}
	for (;;) {
		struct reader *m = NULL;
		const char *key, *data;

		for (i = 0; i < n; i++)
			if (rs[i].have && (m == NULL || rs[i].t_us < m->t_us ||
					   (rs[i].t_us == m->t_us && rs[i].seq < m->seq)))
				m = &rs[i];
		if (m == NULL)
			break;
		key = m->rec;
		data = m->rec + (m->klen == NO_KEY ? 0 : m->klen);
		if (emit == NULL) {
			if ((r = w_rec(s, m->t_us, m->seq, m->klen, m->dlen, key, data)) < 0)
				goto out;
		} else if (m->klen != NO_KEY && group_seen(&g, m->t_us, key, m->klen, &r)) {
			(*dups)++;
		} else {
			if (r < 0 || (r = emit(ud, data, m->dlen)) < 0)
				goto out;
		}
		if ((r = reader_next(m)) < 0)
			goto out;
	}
	if (emit == NULL && ((r = w_flush(s)) < 0 || (r = run_add(s, start, s->fsize)) < 0))
		goto out;
out:
	for (i = 0; i < n; i++) {
		free(rs[i].buf);
		free(rs[i].rec);
	}
	free(rs);
	free(g.keys);
	return r;
}

/* See oidc_audit.h. */
int
search_sorter_finish(struct search_sorter *s, search_emit_fn emit, void *ud, size_t *ret_dups)
{
	struct group g = { .t_us = UINT64_MAX };
	size_t i, first = 0, dups = 0;
	int r = 0;

	if (s->fd < 0) {
		/* everything fit in one run: no file (none at all: no array) */
		if (s->n > 1)
			qsort(s->recs, s->n, sizeof(*s->recs), rec_cmp);
		for (i = 0; i < s->n; i++) {
			const struct rec *c = &s->recs[i];
			const char *k = s->arena + c->off;

			if (c->klen != NO_KEY && group_seen(&g, c->t_us, k, c->klen, &r)) {
				dups++;
				continue;
			}
			if (r < 0 ||
			    (r = emit(ud, k + (c->klen == NO_KEY ? 0 : c->klen), c->dlen)) < 0)
				goto out;
		}
		goto done;
	}
	if ((r = spill(s)) < 0)
		goto out;
	free(s->arena);
	s->arena = NULL;
	s->arena_cap = 0;
	/* each pass merges FANIN runs into one at the end of the file */
	while (s->n_runs - first > FANIN) {
		if ((r = merge(s, first, FANIN, NULL, NULL, NULL)) < 0)
			goto out;
		first += FANIN;
	}
	if ((r = merge(s, first, s->n_runs - first, emit, ud, &dups)) < 0)
		goto out;
done:
	*ret_dups = dups;
out:
	free(g.keys);
	return r;
}
