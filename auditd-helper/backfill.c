/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Restart back-fill.  On start-up the daemon asks the journal for the last
 * exec/file entry it wrote (SYSLOG_IDENTIFIER=oidc-audit; its kernel time
 * and serial), then replays the audit.log files for everything newer, so
 * events that arrived while it was down (or were read but not yet written
 * when it was killed) still reach the journal.  Events the live stream
 * delivers again afterwards are recognised by (time, serial) and counted
 * as duplicates.  The same back-fill runs, from the position the daemon
 * kept in memory, when journald accepts entries again after an outage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "journal_names.h"
#include "numparse.h"
#include "oidc_audit.h"
#include "safefile.h"

static int
field_u64(sd_journal *j, const char *name, uint64_t *ret)
{
	const void *d;
	size_t l, nl = strlen(name);
	char tmp[32];
	int r;

	r = sd_journal_get_data(j, name, &d, &l);
	if (r < 0)
		return r;
	if (l <= nl + 1 || l - nl - 1 >= sizeof(tmp))
		return -EBADMSG;
	memcpy(tmp, (const char *)d + nl + 1, l - nl - 1);
	tmp[l - nl - 1] = '\0';
	return num_parse_u64(tmp, UINT64_MAX, ret);
}

/* See oidc_audit.h. */
int
backfill_last_mark(struct audit_mark *ret)
{
	sd_journal *j = NULL;
	int r, steps;

	r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
	if (r < 0)
		return r;
	/* _UID is journald's own (trusted) field: a user cannot forge our mark. */
	if ((r = sd_journal_add_match(j, JF_UID "=0", 0)) < 0 ||
	    (r = sd_journal_add_match(j, JF_SYSLOG_IDENTIFIER "=" OIDC_AUDIT_IDENT, 0)) < 0 ||
	    (r = sd_journal_add_match(j, OIDC_F_EVENT "=" OIDC_EV_EXEC, 0)) < 0 ||
	    (r = sd_journal_add_match(j, OIDC_F_EVENT "=" OIDC_EV_FILE, 0)) < 0 ||
	    (r = sd_journal_add_match(j, OIDC_F_AUDIT_SOURCE "=" OIDC_SRC_LIVE, 0)) < 0 ||
	    (r = sd_journal_add_match(j, OIDC_F_AUDIT_SOURCE "=" OIDC_SRC_BACKFILL, 0)) < 0)
		goto out;
	r = sd_journal_seek_tail(j);
	if (r < 0)
		goto out;
	for (steps = 0; steps < 1000; steps++) {
		struct audit_mark m;

		r = sd_journal_previous(j);
		if (r < 0)
			goto out;
		if (r == 0) {
			r = -ENOENT;
			goto out;
		}
		if (field_u64(j, OIDC_F_EVENT_TIME, &m.time_us) < 0 ||
		    field_u64(j, OIDC_F_AUDIT_SERIAL, &m.serial) < 0)
			continue;
		*ret = m;
		r = 0;
		goto out;
	}
	r = -ENOENT;
out:
	sd_journal_close(j);
	return r;
}

/* See oidc_audit.h. */
bool
audit_mark_after(const struct audit_mark *m, uint64_t time_us, uint64_t serial)
{
	return time_us > m->time_us || (time_us == m->time_us && serial > m->serial);
}

/* See oidc_audit.h. */
int
backfill_list_logs(const char *newest, char ***ret, size_t *ret_n)
{
	char **v = NULL, path[PATH_MAX];
	size_t n = 0;
	long i, last = 0;
	struct stat st;

	/* auditd numbers rotated files 1..num_logs-1 without gaps. */
	for (i = 1; i < 1000; i++) {
		snprintf(path, sizeof(path), "%s.%ld", newest, i);
		if (stat(path, &st) < 0)
			break;
		last = i;
	}
	v = calloc((size_t)last + 2, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (i = last; i >= 1; i--) {
		snprintf(path, sizeof(path), "%s.%ld", newest, i);
		if ((v[n] = strdup(path)) == NULL)
			goto nomem;
		n++;
	}
	if (stat(newest, &st) == 0) {
		if ((v[n] = strdup(newest)) == NULL)
			goto nomem;
		n++;
	}
	*ret = v;
	*ret_n = n;
	return 0;
nomem:
	while (n > 0)
		free(v[--n]);
	free(v);
	return -ENOMEM;
}

/* See oidc_audit.h. */
int
audit_log_open(const char *path, const char **ret_why)
{
	static const struct sf_policy root_log = {
		.owner = SF_OWNER_ROOT,
		.forbidden = S_IWGRP | S_IWOTH,
	};
	static const struct sf_policy user_log = { .flags = SF_FOLLOW | SF_ANY_TYPE };
	enum sf_fail fail = SF_FAIL_NONE;
	int fd;

	fd = sf_open(AT_FDCWD, path, geteuid() == 0 ? &root_log : &user_log, NULL, &fail);
	if (fd >= 0)
		return fd;
	switch (fail) {
	case SF_FAIL_OWNER:
		*ret_why = "not owned by root";
		break;
	case SF_FAIL_MODE:
		*ret_why = "writable by group or others";
		break;
	case SF_FAIL_TYPE:
		*ret_why = "not a regular file";
		break;
	default:
		*ret_why = fd == -ELOOP ? "a symbolic link" : strerror(-fd);
		break;
	}
	return fd;
}

/* Split "X.N" into base length and N (0 when there is no numeric suffix). */
static void
rotation_split(const char *name, size_t *ret_bl, uint64_t *ret_n)
{
	const char *dot = strrchr(name, '.');
	uint64_t n;

	if (dot != NULL && dot[1] != '\0' && num_parse_u64(dot + 1, 100000, &n) == 0) {
		*ret_bl = (size_t)(dot - name);
		*ret_n = n;
		return;
	}
	*ret_bl = strlen(name);
	*ret_n = 0;
}

struct replay_key {
	char *name;
	size_t group;		/* index of the first file with the same base */
	uint64_t n;		/* rotation number, 0 for the live file */
	size_t pos;
};

static int
replay_cmp(const void *a, const void *b)
{
	const struct replay_key *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	/* higher rotation numbers are older: first; the live file (0) last */
	if (x->n != y->n) {
		if (x->n == 0)
			return 1;
		if (y->n == 0)
			return -1;
		return x->n > y->n ? -1 : 1;
	}
	return x->pos < y->pos ? -1 : (x->pos > y->pos);
}

/* See oidc_audit.h. */
void
replay_sort_files(char **files, size_t n)
{
	struct replay_key *k;
	size_t i, j, bi, bj;
	uint64_t ni, nj;

	k = calloc(n ? n : 1, sizeof(*k));
	if (k == NULL)
		return;	/* keep the given order */
	for (i = 0; i < n; i++) {
		rotation_split(files[i], &bi, &ni);
		k[i].name = files[i];
		k[i].n = ni;
		k[i].pos = i;
		k[i].group = i;
		for (j = 0; j < i; j++) {
			rotation_split(files[j], &bj, &nj);
			if (bi == bj && memcmp(files[i], files[j], bi) == 0) {
				k[i].group = k[j].group;
				break;
			}
		}
	}
	qsort(k, n, sizeof(*k), replay_cmp);
	for (i = 0; i < n; i++)
		files[i] = k[i].name;
	free(k);
}
