/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * From a complete record group to a struct audit_event.
 *
 * Kind: a LOGIN record makes a login event (the kernel writes it with the
 * SYSCALL of the write to /proc/self/loginuid); otherwise the SYSCALL's
 * (arch, number) -- or, for an arch we have no table for, the ENRICHED
 * SYSCALL= name -- says exec, file or other.
 *
 * Paths (event.h, paths[]): PATH records are taken in item= order and
 * ranked: for rename, the first DELETE item (the source) then the first
 * CREATE item (the destination); for unlink/rmdir, DELETE items first;
 * then every other non-PARENT item.  PARENT items (the directory of a
 * created or deleted name) appear only when there is no other item, e.g.
 * a create that failed before the child was looked up.  A relative name
 * is joined to the CWD record's cwd when the call resolved it against the
 * cwd (no dirfd argument, or dirfd == AT_FDCWD); a name relative to some
 * other directory fd stays relative, since the record does not say which
 * directory that was.  Names are not normalised ("./", "..", symlinks):
 * what the process asked for is what is logged.
 *
 * Open intent, from the flags (a1 for open, a2 for openat, the OPENAT2
 * record's oflag= for openat2): O_CREAT -> "create" unless the call
 * succeeded without creating anything (no CREATE item: the file already
 * existed), in which case the access mode decides; O_WRONLY, O_RDWR or
 * O_TRUNC -> "write"; else "read".  creat() is "create".
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "assemble.h"
#include "buf.h"
#include "event.h"
#include "numparse.h"
#include "oidc_err.h"
#include "record.h"
#include "syscalls.h"

/* Linux open flags: the same values on x86_64, i386 and the generic ABI (aarch64). */
#define LX_O_ACCMODE	03
#define LX_O_RDONLY	00
#define LX_O_CREAT	0100
#define LX_O_TRUNC	01000
#define LX_AT_FDCWD	0xffffff9cu	/* -100 as the low 32 bits of a register */

#define PATH_ITEMS_MAX	32	/* PATH records considered per event */

void
audit_event_free(struct audit_event *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	free(ev->node);
	free(ev->key);
	free(ev->syscall);
	free(ev->tty);
	free(ev->comm);
	free(ev->exe);
	free(ev->cwd);
	if (ev->argv != NULL) {
		for (i = 0; i < ev->argc; i++)
			free(ev->argv[i]);
		free(ev->argv);
	}
	free(ev->operation);
	for (i = 0; i < AUDIT_MAX_PATHS; i++) {
		free(ev->paths[i]);
		free(ev->path_nametype[i]);
	}
	free(ev);
}

static int
dup_counted(const char *s, size_t n, char **ret)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return -ENOMEM;
	memcpy(p, s, n);
	p[n] = '\0';
	*ret = p;
	return 0;
}

/* String field: *ret stays NULL when absent, (null) or (none). */
static int
get_str(const struct audit_record *r, const char *key, bool enriched, bool hex, char **ret)
{
	const struct audit_field *f = record_find(r, key, enriched);

	if (f == NULL)
		return 0;
	free(*ret);
	*ret = NULL;
	return record_val_string(r, f, hex, ret);
}

static bool
get_i64(const struct audit_record *r, const char *key, int64_t *ret)
{
	const struct audit_field *f = record_find(r, key, false);

	return f != NULL && record_val_i64(r, f, ret) == 0;
}

/* auid=, ses= style ids: 4294967295 means unset, which is what we default to. */
static void
get_id32(const struct audit_record *r, const char *key, uint32_t *ret)
{
	int64_t v;

	if (get_i64(r, key, &v) && v >= 0 && v <= UINT32_MAX)
		*ret = (uint32_t)v;
}

static bool
get_hex(const struct audit_record *r, const char *key, uint64_t *ret)
{
	const struct audit_field *f = record_find(r, key, false);

	return f != NULL && record_val_hex(r, f, ret) == 0;
}

static bool
dirfd_is_cwd(const struct audit_record *sc, int arg)
{
	char key[3] = { 'a', '0', '\0' };
	uint64_t v;

	if (arg < 0 || sc == NULL)
		return true;
	key[1] = (char)('0' + arg);
	if (!get_hex(sc, key, &v))
		return true;
	return (v & 0xffffffffu) == LX_AT_FDCWD;
}

/*
 * argv from the EXECVE records: argc=N, then aK="..." or aK=HEX, or a long
 * argument as aK_len=L aK[0]=... aK[1]=... spread over several records.
 */
static int
build_argv(const struct audit_record *const *recs, size_t nrecs, struct audit_event *ev)
{
	struct buf cur;
	long cur_idx = -1;
	size_t total = 0, i, argc = 0;
	bool have_argc = false;
	uint32_t k;
	int r = 0;

	buf_init(&cur, AUDIT_MAX_ARGV_BYTES);
	for (i = 0; i < nrecs && !have_argc; i++) {
		const struct audit_field *f;
		int64_t v;

		if (recs[i]->type != AUDIT_T_EXECVE)
			continue;
		f = record_find(recs[i], "argc", false);
		if (f != NULL && record_val_i64(recs[i], f, &v) == 0 && v >= 0) {
			have_argc = true;
			if (v > AUDIT_MAX_ARGC) {
				ev->argv_truncated = true;
				v = AUDIT_MAX_ARGC;
			}
			argc = (size_t)v;
		}
	}
	if (!have_argc)
		return 0;
	ev->argv = calloc(argc + 1, sizeof(char *));
	if (ev->argv == NULL)
		return -ENOMEM;
	ev->argc = argc;

	for (i = 0; i < nrecs; i++) {
		const struct audit_record *rec = recs[i];

		if (rec->type != AUDIT_T_EXECVE)
			continue;
		for (k = 0; k < rec->nfields; k++) {
			const struct audit_field *f = &rec->fields[k];
			const char *key = rec->text + f->key_off;
			size_t klen = f->key_len, d = 1;
			int64_t idx;
			bool chunk;

			if (f->enriched || klen < 2 || key[0] != 'a')
				continue;
			while (d < klen && key[d] >= '0' && key[d] <= '9')
				d++;
			if (d == 1 || num_parse_i64n(key + 1, d - 1, 0, INT32_MAX, &idx) < 0)
				continue;
			if (d == klen)
				chunk = false;
			else if (key[d] == '[' && key[klen - 1] == ']')
				chunk = true;
			else
				continue;	/* aK_len: the parts say it all */
			if ((size_t)idx >= argc) {
				ev->argv_truncated = true;
				continue;
			}
			if (total + f->val_len > AUDIT_MAX_ARGV_BYTES) {
				ev->argv_truncated = true;
				continue;
			}
			if (cur_idx >= 0 && cur_idx != idx) {
				/* a split argument ended */
				if (ev->argv[cur_idx] == NULL)
					ev->argv[cur_idx] = buf_steal(&cur, NULL);
				buf_free(&cur);
				buf_init(&cur, AUDIT_MAX_ARGV_BYTES);
				cur_idx = -1;
			}
			if (!chunk) {
				if (ev->argv[idx] != NULL)
					continue;	/* a repeated aK: keep the first */
				r = record_val_string(rec, f, true, &ev->argv[idx]);
				if (r < 0)
					goto out;
				if (ev->argv[idx] == NULL) {
					r = dup_counted("", 0, &ev->argv[idx]);
					if (r < 0)
						goto out;
				}
			} else {
				char tmp[8192];
				size_t n;

				if (ev->argv[idx] != NULL)
					continue;
				cur_idx = idx;
				/* a kernel part is at most ~7.5 kB: decode on the stack */
				if (f->val_len <= sizeof(tmp)) {
					n = record_val_decode(rec, f, true, tmp);
					r = buf_append(&cur, tmp, n);
				} else {
					char *s = NULL;

					r = record_val_string(rec, f, true, &s);
					if (r == 0 && s != NULL)
						r = buf_append(&cur, s, strlen(s));
					free(s);
				}
				if (r == -EFBIG) {
					ev->argv_truncated = true;
					r = 0;
				} else if (r < 0) {
					goto out;
				}
			}
			total += f->val_len;
		}
	}
	if (cur_idx >= 0 && ev->argv[cur_idx] == NULL) {
		ev->argv[cur_idx] = buf_steal(&cur, NULL);
		if (ev->argv[cur_idx] == NULL) {
			r = -ENOMEM;
			goto out;
		}
	}
	/* arguments that never arrived (a lost record): empty, and say so */
	for (i = 0; i < argc; i++) {
		if (ev->argv[i] == NULL) {
			ev->argv_truncated = true;
			r = dup_counted("", 0, &ev->argv[i]);
			if (r < 0)
				goto out;
		}
	}
out:
	buf_free(&cur);
	return r;
}

struct path_item {
	const struct audit_record *rec;
	int64_t item;
	const struct audit_field *name;
	const char *nametype;
	size_t nametype_len;
	bool used;
};

static bool
nametype_is(const struct path_item *p, const char *t)
{
	size_t n = strlen(t);

	return p->nametype_len == n && memcmp(p->nametype, t, n) == 0;
}

static int
add_path(struct audit_event *ev, struct path_item *p, bool resolve_cwd)
{
	char *name = NULL, *full;
	size_t i = ev->npaths;
	int r;

	if (i >= AUDIT_MAX_PATHS || p->used)
		return 0;
	p->used = true;
	if (p->name != NULL) {
		r = record_val_string(p->rec, p->name, true, &name);
		if (r < 0)
			return r;
	}
	/* "" is fexecve / AT_EMPTY_PATH: the fd itself, nothing to join */
	if (name != NULL && name[0] != '/' && name[0] != '\0' && resolve_cwd && ev->cwd != NULL &&
	    ev->cwd[0] == '/') {
		size_t cl = strlen(ev->cwd), nl = strlen(name);
		bool slash = cl > 0 && ev->cwd[cl - 1] == '/';

		full = malloc(cl + nl + 2);
		if (full == NULL) {
			free(name);
			return -ENOMEM;
		}
		memcpy(full, ev->cwd, cl);
		if (!slash)
			full[cl++] = '/';
		memcpy(full + cl, name, nl + 1);
		free(name);
		name = full;
	}
	ev->paths[i] = name;
	if (p->nametype != NULL) {
		r = dup_counted(p->nametype, p->nametype_len, &ev->path_nametype[i]);
		if (r < 0)
			return r;
	}
	ev->npaths++;
	return 0;
}

static int
build_paths(const struct audit_record *const *recs, size_t nrecs,
	    const struct audit_record *sc, const struct sc_info *info, struct audit_event *ev)
{
	struct path_item items[PATH_ITEMS_MAX];
	size_t n = 0, i, j;
	bool cwd1 = dirfd_is_cwd(sc, info ? info->dirfd : -1);
	bool cwd2 = dirfd_is_cwd(sc, info ? info->dirfd2 : -1);
	enum sc_class cls = info ? info->cls : SC_OTHER;
	bool have_other = false;
	int r;

	for (i = 0; i < nrecs && n < PATH_ITEMS_MAX; i++) {
		const struct audit_field *f;
		struct path_item *p;

		if (recs[i]->type != AUDIT_T_PATH)
			continue;
		p = &items[n];
		memset(p, 0, sizeof(*p));
		p->rec = recs[i];
		p->item = (int64_t)n;
		f = record_find(recs[i], "item", false);
		if (f != NULL)
			(void)record_val_i64(recs[i], f, &p->item);
		p->name = record_find(recs[i], "name", false);
		f = record_find(recs[i], "nametype", false);
		if (f != NULL) {
			p->nametype = record_val(recs[i], f);
			p->nametype_len = f->val_len;
		}
		/* insertion sort by item=, records normally arrive in order */
		for (j = n; j > 0 && items[j - 1].item > p->item; j--) {
			struct path_item t = items[j];

			items[j] = items[j - 1];
			items[j - 1] = t;
		}
		n++;
	}

	if (cls == SC_RENAME || cls == SC_LINK) {
		for (i = 0; i < n; i++)
			if (nametype_is(&items[i], cls == SC_RENAME ? "DELETE" : "NORMAL")) {
				if ((r = add_path(ev, &items[i], cwd1)) < 0)
					return r;
				break;
			}
		for (i = 0; i < n; i++)
			if (nametype_is(&items[i], "CREATE")) {
				if ((r = add_path(ev, &items[i], cwd2)) < 0)
					return r;
				break;
			}
	} else if (cls == SC_DELETE) {
		for (i = 0; i < n; i++)
			if (nametype_is(&items[i], "DELETE") && (r = add_path(ev, &items[i], cwd1)) < 0)
				return r;
	}
	for (i = 0; i < n; i++)
		if (!nametype_is(&items[i], "PARENT")) {
			have_other = true;
			if ((r = add_path(ev, &items[i], cwd1)) < 0)
				return r;
		}
	if (!have_other && ev->npaths == 0)
		for (i = 0; i < n; i++)
			if ((r = add_path(ev, &items[i], cwd1)) < 0)
				return r;
	return 0;
}

static const char *
open_operation(uint64_t flags, bool success, const struct audit_event *ev)
{
	size_t i;

	if (flags & LX_O_CREAT) {
		bool created = false;

		for (i = 0; i < ev->npaths; i++)
			if (ev->path_nametype[i] != NULL && strcmp(ev->path_nametype[i], "CREATE") == 0)
				created = true;
		if (created || !success)
			return "create";
	}
	if ((flags & LX_O_ACCMODE) != LX_O_RDONLY || (flags & LX_O_TRUNC))
		return "write";
	return "read";
}

static const char *
file_operation(const struct sc_info *info, const struct audit_record *sc,
	       const struct audit_record *openat2, struct audit_event *ev)
{
	uint64_t flags = 0;
	const struct audit_field *f;

	switch (info->cls) {
	case SC_OPEN:
		(void)get_hex(sc, "a1", &flags);
		return open_operation(flags, ev->success, ev);
	case SC_OPENAT:
		(void)get_hex(sc, "a2", &flags);
		return open_operation(flags, ev->success, ev);
	case SC_OPENAT2:
		if (openat2 != NULL && (f = record_find(openat2, "oflag", false)) != NULL)
			(void)record_val_oct(openat2, f, &flags);
		return open_operation(flags, ev->success, ev);
	case SC_CREAT:
		return "create";
	case SC_DELETE:
		return "delete";
	case SC_RENAME:
		return "rename";
	case SC_CHMOD:
		return "chmod";
	case SC_CHOWN:
		return "chown";
	case SC_TRUNCATE:
		return "truncate";
	case SC_MKDIR:
		return "mkdir";
	case SC_LINK:
		return "link";
	case SC_SYMLINK:
		return "symlink";
	case SC_MKNOD:
		return "mknod";
	case SC_XATTR:
		return strstr(info->name, "remove") != NULL ? "removexattr" : "setxattr";
	case SC_EXEC:
		return "exec";
	default:
		return NULL;
	}
}

/* The key= of a SYSCALL: several keys are joined with 0x01; we show them comma-separated. */
static void
fix_key(char *key)
{
	for (; key != NULL && *key != '\0'; key++)
		if (*key == '\x01')
			*key = ',';
}

int
event_build(const struct audit_record *const *recs, size_t nrecs, bool incomplete,
	    bool header_only_if_other, struct audit_event **ret, struct oidc_err *err)
{
	struct audit_event *ev;
	const struct audit_record *sc = NULL, *login = NULL, *cwd = NULL, *openat2 = NULL;
	const struct sc_info *info = NULL;
	const struct audit_field *f;
	size_t i;
	uint64_t v;
	int r = 0;

	*ret = NULL;
	if (nrecs == 0)
		return oidc_err_set(err, OIDC_R_INTERNAL, EINVAL, "empty record group");
	ev = calloc(1, sizeof(*ev));
	if (ev == NULL)
		return oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
	ev->session = ev->loginuid = UINT32_MAX;
	ev->old_session = ev->old_loginuid = UINT32_MAX;
	ev->pid = ev->ppid = ev->uid = ev->euid = -1;
	ev->syscall_nr = -1;
	ev->nrecords = nrecs;
	ev->incomplete = incomplete;
	ev->first_type = recs[0]->type;
	ev->serial = recs[0]->serial;
	ev->time_us = recs[0]->sec * 1000000u + (uint64_t)recs[0]->msec * 1000u;
	if (recs[0]->node_len > 0) {
		r = dup_counted(recs[0]->text + recs[0]->node_off, recs[0]->node_len, &ev->node);
		if (r < 0)
			goto out;
	}

	for (i = 0; i < nrecs; i++) {
		switch (recs[i]->type) {
		case AUDIT_T_SYSCALL:
			if (sc == NULL)
				sc = recs[i];
			break;
		case AUDIT_T_LOGIN:
			if (login == NULL)
				login = recs[i];
			break;
		case AUDIT_T_CWD:
			if (cwd == NULL)
				cwd = recs[i];
			break;
		case AUDIT_T_OPENAT2:
			if (openat2 == NULL)
				openat2 = recs[i];
			break;
		}
	}

	if (sc != NULL) {
		int64_t nr;

		if (get_hex(sc, "arch", &v) && v <= UINT32_MAX)
			ev->arch = (uint32_t)v;
		if (get_i64(sc, "syscall", &nr) && nr >= 0 && nr <= INT32_MAX) {
			ev->syscall_nr = (long)nr;
			info = syscall_lookup(ev->arch, ev->syscall_nr);
		}
		/* auditd's ENRICHED name, else our table's */
		f = record_find(sc, "SYSCALL", true);
		if (f != NULL) {
			r = record_val_string(sc, f, false, &ev->syscall);
			if (r < 0)
				goto out;
			if (info == NULL && syscall_arch_name(ev->arch) == NULL)
				info = syscall_lookup_name(record_val(sc, f), f->val_len);
		} else if (info != NULL) {
			r = dup_counted(info->name, strlen(info->name), &ev->syscall);
			if (r < 0)
				goto out;
		}
		f = record_find(sc, "success", false);
		ev->success = f != NULL && f->val_len == 3 && memcmp(record_val(sc, f), "yes", 3) == 0;
		(void)get_i64(sc, "exit", &ev->exit);
		(void)get_i64(sc, "pid", &ev->pid);
		(void)get_i64(sc, "ppid", &ev->ppid);
		(void)get_i64(sc, "uid", &ev->uid);
		(void)get_i64(sc, "euid", &ev->euid);
		get_id32(sc, "auid", &ev->loginuid);
		get_id32(sc, "ses", &ev->session);
		r = get_str(sc, "key", false, true, &ev->key);
		if (r < 0)
			goto out;
		fix_key(ev->key);
	} else {
		/* a record group without SYSCALL: take what the first record has */
		const struct audit_record *r0 = recs[0];
		int64_t res;

		(void)get_i64(r0, "pid", &ev->pid);
		(void)get_i64(r0, "uid", &ev->uid);
		get_id32(r0, "auid", &ev->loginuid);
		get_id32(r0, "ses", &ev->session);
		f = record_find(r0, "res", false);
		if (f != NULL)
			ev->success = (f->val_len == 7 && memcmp(record_val(r0, f), "success", 7) == 0) ||
				      (record_val_i64(r0, f, &res) == 0 && res == 1);
	}

	if (login != NULL) {
		int64_t res;

		ev->kind = AUDIT_EV_LOGIN;
		get_id32(login, "auid", &ev->loginuid);
		get_id32(login, "ses", &ev->session);
		get_id32(login, "old-auid", &ev->old_loginuid);
		get_id32(login, "old-ses", &ev->old_session);
		if (ev->pid < 0)
			(void)get_i64(login, "pid", &ev->pid);
		if (sc == NULL)
			ev->success = get_i64(login, "res", &res) && res == 1;
	} else if (info != NULL && info->cls == SC_EXEC) {
		ev->kind = AUDIT_EV_EXEC;
	} else if (info != NULL && info->cls != SC_OTHER) {
		ev->kind = AUDIT_EV_FILE;
	}

	if (ev->kind == AUDIT_EV_OTHER && header_only_if_other)
		goto done;

	if (sc != NULL) {
		if ((r = get_str(sc, "tty", false, false, &ev->tty)) < 0 ||
		    (r = get_str(sc, "comm", false, true, &ev->comm)) < 0 ||
		    (r = get_str(sc, "exe", false, true, &ev->exe)) < 0)
			goto out;
	} else if (login != NULL) {
		if ((r = get_str(login, "tty", false, false, &ev->tty)) < 0)
			goto out;
	}
	if (cwd != NULL && (r = get_str(cwd, "cwd", false, true, &ev->cwd)) < 0)
		goto out;
	if ((r = build_argv(recs, nrecs, ev)) < 0)
		goto out;
	if ((r = build_paths(recs, nrecs, sc, info, ev)) < 0)
		goto out;
	if (ev->kind == AUDIT_EV_EXEC || ev->kind == AUDIT_EV_FILE) {
		const char *op = file_operation(info, sc, openat2, ev);

		if (op != NULL && (r = dup_counted(op, strlen(op), &ev->operation)) < 0)
			goto out;
	}
done:
	*ret = ev;
	ev = NULL;
out:
	if (r < 0)
		oidc_err_set(err, OIDC_R_INTERNAL, -r, "out of memory building an audit event");
	audit_event_free(ev);
	return r;
}
