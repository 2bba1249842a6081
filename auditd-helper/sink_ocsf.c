/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * --output ocsf: the journal fields of one entry (the very list that
 * journald gets, or that search read back) as one OCSF 1.3.0 event on one
 * line.  The mapping is the table in oidc-audit(8):
 *
 *   login, logout, login-failed  Authentication (3002), category 3
 *   exec                         Process Activity (1007), category 1
 *   file                         File System Activity (1001), category 1
 *   loss                         Base Event (0), activity Other (99)
 *
 * The OIDC identity is the actor's user: uid = OIDC_SUBJECT, name =
 * OIDC_USERNAME, email_addr = OIDC_EMAIL, domain = OIDC_ISSUER (the
 * namespace in which the subject is unique).  time is the kernel's event
 * time (OIDC_EVENT_TIME) in milliseconds, or the journal's time for an
 * entry without one (the module's login entries).
 *
 * OCSF attributes are strings: a value that is not valid UTF-8 is written
 * there with U+FFFD in place of each bad byte, and every OIDC_* field of
 * the entry is also kept, exactly as --output json writes it (an array of
 * byte values when not UTF-8), in `unmapped`: nothing of the evidence is
 * lost in the translation.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "journal_names.h"
#include "numparse.h"
#include "oidc_audit.h"
#include "text.h"

struct jw {
	char *s;
	size_t len, cap;
	int err;
};

static void
jw_raw(struct jw *w, const char *s, size_t n)
{
	if (w->err)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t ncap = (w->cap + n + 1) * 2;
		char *nd = realloc(w->s, ncap);

		if (nd == NULL) {
			w->err = -ENOMEM;
			return;
		}
		w->s = nd;
		w->cap = ncap;
	}
	memcpy(w->s + w->len, s, n);
	w->len += n;
	w->s[w->len] = '\0';
}

static void
jw_lit(struct jw *w, const char *s)
{
	jw_raw(w, s, strlen(s));
}

/* A JSON string of any bytes: bad UTF-8 becomes U+FFFD (see above). */
static void
jw_str(struct jw *w, const char *v, size_t vl)
{
	char *tmp = NULL, *clean = NULL;
	size_t tl = 0, tc = 0, cl = 0, i;
	int n;

	if (w->err)
		return;
	if (!jf_utf8_valid(v, vl)) {
		clean = malloc(vl * 3 + 1);
		if (clean == NULL) {
			w->err = -ENOMEM;
			return;
		}
		for (i = 0; i < vl; i += (size_t)n) {
			n = text_utf8_decode(v + i, vl - i, NULL);
			if (n < 0) {
				memcpy(clean + cl, "\xef\xbf\xbd", 3);
				cl += 3;
				n = 1;
			} else {
				memcpy(clean + cl, v + i, (size_t)n);
				cl += (size_t)n;
			}
		}
		v = clean;
		vl = cl;
	}
	if (jf_json_value(&tmp, &tl, &tc, v, vl) < 0)
		w->err = -ENOMEM;
	else
		jw_raw(w, tmp, tl);
	free(tmp);
	free(clean);
}

static void
jw_u64(struct jw *w, uint64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)v);

	jw_raw(w, num, (size_t)n);
}

/* "name": (with a comma before all but the first member of an object). */
static void
jw_key(struct jw *w, bool *first, const char *name)
{
	if (!*first)
		jw_lit(w, ",");
	*first = false;
	jw_lit(w, "\"");
	jw_lit(w, name);
	jw_lit(w, "\":");
}

static const char *
get(const struct jfields *f, const char *name, size_t *vl)
{
	return jf_find(f, name, vl);
}

/* Member name: string value of field, when the entry has it. */
static void
member_field(struct jw *w, bool *first, const char *name, const struct jfields *f,
	     const char *field)
{
	size_t vl;
	const char *v = get(f, field, &vl);

	if (v == NULL)
		return;
	jw_key(w, first, name);
	jw_str(w, v, vl);
}

static bool
field_u64(const struct jfields *f, const char *field, uint64_t *ret)
{
	char tmp[24];
	size_t vl;
	const char *v = get(f, field, &vl);

	if (v == NULL || vl == 0 || vl >= sizeof(tmp))
		return false;
	memcpy(tmp, v, vl);
	tmp[vl] = '\0';
	return num_parse_u64(tmp, UINT64_MAX, ret) == 0;
}

/* Member name: integer value of field, when the entry has one. */
static void
member_u64(struct jw *w, bool *first, const char *name, const struct jfields *f, const char *field)
{
	uint64_t u;

	if (!field_u64(f, field, &u))
		return;
	jw_key(w, first, name);
	jw_u64(w, u);
}

/* The last path component of field (the whole value when it has no '/'). */
static void
member_basename(struct jw *w, bool *first, const char *name, const struct jfields *f,
		const char *field)
{
	size_t vl;
	const char *v = get(f, field, &vl), *slash;

	if (v == NULL)
		return;
	slash = vl > 0 ? memrchr(v, '/', vl) : NULL;
	if (slash != NULL && (size_t)(slash - v) + 1 < vl) {
		vl -= (size_t)(slash + 1 - v);
		v = slash + 1;
	}
	jw_key(w, first, name);
	jw_str(w, v, vl);
}

/* An IPv4 or IPv6 address (sshd's rhost without UseDNS) rather than a name. */
static bool
is_ip(const struct jfields *f, const char *field)
{
	unsigned char addr[sizeof(struct in6_addr)];
	char tmp[INET6_ADDRSTRLEN];
	size_t vl;
	const char *v = get(f, field, &vl);

	if (v == NULL || vl >= sizeof(tmp))
		return false;
	memcpy(tmp, v, vl);
	tmp[vl] = '\0';
	return inet_pton(AF_INET, tmp, addr) == 1 || inet_pton(AF_INET6, tmp, addr) == 1;
}

static bool
field_is(const struct jfields *f, const char *field, const char *want)
{
	size_t vl;
	const char *v = get(f, field, &vl);

	return v != NULL && vl == strlen(want) && memcmp(v, want, vl) == 0;
}

/* The OIDC identity as an OCSF user object (members of the open object). */
static void
user_identity(struct jw *w, const struct jfields *f)
{
	bool first = true;

	jw_lit(w, "{");
	member_field(w, &first, "uid", f, OIDC_F_SUBJECT);
	member_field(w, &first, "name", f, OIDC_F_USERNAME);
	member_field(w, &first, "email_addr", f, OIDC_F_EMAIL);
	member_field(w, &first, "domain", f, OIDC_F_ISSUER);
	/* 1 User; 0 Unknown for an event without an identity (--all-sessions) */
	jw_key(w, &first, "type_id");
	jw_lit(w, get(f, OIDC_F_SUBJECT, NULL) != NULL ? "1" : "0");
	jw_lit(w, "}");
}

/* actor: the OIDC identity, its login (session.uid) and, for a file access, the process. */
static void
actor(struct jw *w, bool *first, const struct jfields *f, bool with_process)
{
	bool a = true, s = true;

	jw_key(w, first, "actor");
	jw_lit(w, "{");
	jw_key(w, &a, "user");
	user_identity(w, f);
	if (get(f, OIDC_F_LOGIN_ID, NULL) != NULL || get(f, OIDC_F_AUDIT_SESSION, NULL) != NULL) {
		jw_key(w, &a, "session");
		jw_lit(w, "{");
		member_field(w, &s, "uid", f, OIDC_F_LOGIN_ID);
		member_field(w, &s, "terminal", f, OIDC_F_TTY);
		jw_lit(w, "}");
	}
	if (with_process) {
		bool p = true, pf = true;

		jw_key(w, &a, "process");
		jw_lit(w, "{");
		member_u64(w, &p, "pid", f, OIDC_F_PID);
		member_field(w, &p, "name", f, OIDC_F_COMM);
		if (get(f, OIDC_F_EXE, NULL) != NULL) {
			jw_key(w, &p, "file");
			jw_lit(w, "{");
			member_basename(w, &pf, "name", f, OIDC_F_EXE);
			member_field(w, &pf, "path", f, OIDC_F_EXE);
			jw_key(w, &pf, "type_id");
			jw_lit(w, "1");
			jw_lit(w, "}");
		}
		jw_lit(w, "}");
	}
	jw_lit(w, "}");
}

/* File System Activity: OIDC_OPERATION -> activity_id. */
static int
file_activity(const struct jfields *f)
{
	static const struct {
		const char *op;
		int id;
	} map[] = {
		{ "create", 1 }, { "mkdir", 1 },  { "link", 1 },     { "symlink", 1 },
		{ "mknod", 1 },	 { "read", 2 },	  { "write", 3 },    { "truncate", 3 },
		{ "delete", 4 }, { "rename", 5 }, { "setxattr", 6 }, { "removexattr", 6 },
		{ "chmod", 7 },	 { "chown", 7 },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (field_is(f, OIDC_F_OPERATION, map[i].op))
			return map[i].id;
	return 99;
}

static void
file_object(struct jw *w, bool *first, const char *name, const struct jfields *f, const char *field)
{
	bool o = true;

	jw_key(w, first, name);
	jw_lit(w, "{");
	member_basename(w, &o, "name", f, field);
	member_field(w, &o, "path", f, field);
	jw_key(w, &o, "type_id");
	jw_lit(w, "0"); /* Unknown: the audit PATH record's type is not in the entry */
	jw_lit(w, "}");
}

/* See oidc_audit.h. */
int
sink_ocsf_write(FILE *out, const struct jfields *f, const char *hostname, uint64_t entry_time_us)
{
	struct jw w = { 0 };
	bool first = true, m = true;
	uint64_t t, status;
	int class_uid, category_uid, activity_id, severity_id = 1;
	const char *name, *val;
	size_t nl, vl, i;
	bool auth = false, exec = false, file = false, failed_login = false;
	int r = 0;

	if (field_is(f, OIDC_F_EVENT, OIDC_EV_LOGIN)) {
		auth = true;
		activity_id = 1;
	} else if (field_is(f, OIDC_F_EVENT, OIDC_EV_LOGIN_FAILED)) {
		auth = failed_login = true;
		activity_id = 1;
		severity_id = 3;
	} else if (field_is(f, OIDC_F_EVENT, OIDC_EV_LOGOUT)) {
		auth = true;
		activity_id = 2;
	} else if (field_is(f, OIDC_F_EVENT, OIDC_EV_EXEC)) {
		exec = true;
		activity_id = 1;
	} else if (field_is(f, OIDC_F_EVENT, OIDC_EV_FILE)) {
		file = true;
		activity_id = file_activity(f);
	} else if (field_is(f, OIDC_F_EVENT, OIDC_EV_LOSS)) {
		activity_id = 99;
		severity_id = 4; /* High: evidence is missing */
	} else {
		return 1; /* a warning or another program's entry: no event */
	}
	class_uid = auth ? 3002 : exec ? 1007 : file ? 1001 : 0;
	category_uid = auth ? 3 : class_uid == 0 ? 0 : 1;
	if (failed_login)
		status = 2;
	else if (auth)
		status = 1;
	else if (exec || file)
		status = field_is(f, OIDC_F_SUCCESS, "yes")  ? 1
			 : field_is(f, OIDC_F_SUCCESS, "no") ? 2
							     : 0;
	else
		status = 0;
	if (!field_u64(f, OIDC_F_EVENT_TIME, &t) || t == 0)
		t = entry_time_us;

	jw_lit(&w, "{");
	jw_key(&w, &first, "class_uid");
	jw_u64(&w, (uint64_t)class_uid);
	jw_key(&w, &first, "category_uid");
	jw_u64(&w, (uint64_t)category_uid);
	jw_key(&w, &first, "activity_id");
	jw_u64(&w, (uint64_t)activity_id);
	if (activity_id == 99) {
		const char *op = get(f, OIDC_F_OPERATION, &vl);

		jw_key(&w, &first, "activity_name");
		if (file && op != NULL)
			jw_str(&w, op, vl);
		else
			jw_str(&w, file ? "other" : "loss", file ? 5 : 4);
	}
	jw_key(&w, &first, "type_uid");
	jw_u64(&w, (uint64_t)class_uid * 100 + (uint64_t)activity_id);
	jw_key(&w, &first, "severity_id");
	jw_u64(&w, (uint64_t)severity_id);
	jw_key(&w, &first, "status_id");
	jw_u64(&w, status);
	jw_key(&w, &first, "time");
	jw_u64(&w, t / 1000);
	member_field(&w, &first, "message", f, JF_MESSAGE);
	jw_key(&w, &first, "metadata");
	jw_lit(&w, "{\"version\":\"" OCSF_VERSION "\",\"product\":{\"name\":\"oidc-audit\","
		   "\"vendor_name\":\"pam_oidc\",\"version\":\"" PACKAGE_VERSION "\"}");
	m = false;
	member_field(&w, &m, "log_name", f, OIDC_F_AUDIT_SOURCE);
	jw_lit(&w, "}");
	/* A forwarded record's node= names its host better than the reader does. */
	if ((val = get(f, OIDC_F_AUDIT_NODE, &vl)) != NULL) {
		jw_key(&w, &first, "device");
		jw_lit(&w, "{\"type_id\":0,\"hostname\":");
		jw_str(&w, val, vl);
		jw_lit(&w, "}");
		hostname = NULL;
		goto actor;
	}
	jw_key(&w, &first, "device");
	jw_lit(&w, "{\"type_id\":0");
	if (hostname != NULL) {
		jw_lit(&w, ",\"hostname\":");
		jw_str(&w, hostname, strlen(hostname));
	}
	jw_lit(&w, "}");
actor:
	if (class_uid != 0)
		actor(&w, &first, f, file);
	if (auth) {
		bool s = true;

		jw_key(&w, &first, "user");
		user_identity(&w, f);
		jw_key(&w, &first, "auth_protocol_id");
		jw_lit(&w, "99");
		jw_key(&w, &first, "auth_protocol");
		jw_lit(&w, "\"OpenID Connect\"");
		member_field(&w, &first, "status_detail", f, OIDC_F_REASON);
		if (get(f, OIDC_F_REMOTE_HOST, NULL) != NULL) {
			jw_key(&w, &first, "src_endpoint");
			jw_lit(&w, "{");
			member_field(&w, &s, is_ip(f, OIDC_F_REMOTE_HOST) ? "ip" : "hostname", f,
				     OIDC_F_REMOTE_HOST);
			jw_lit(&w, "}");
		}
		if (get(f, OIDC_F_SERVICE, NULL) != NULL) {
			s = true;
			jw_key(&w, &first, "service");
			jw_lit(&w, "{");
			member_field(&w, &s, "name", f, OIDC_F_SERVICE);
			jw_lit(&w, "}");
		}
	} else if (exec) {
		bool p = true, pf = true, pp = true, pu = true;

		jw_key(&w, &first, "process");
		jw_lit(&w, "{");
		member_u64(&w, &p, "pid", f, OIDC_F_PID);
		member_field(&w, &p, "name", f, OIDC_F_COMM);
		member_field(&w, &p, "cmd_line", f, OIDC_F_ARGV);
		if (get(f, OIDC_F_EXE, NULL) != NULL) {
			jw_key(&w, &p, "file");
			jw_lit(&w, "{");
			member_basename(&w, &pf, "name", f, OIDC_F_EXE);
			member_field(&w, &pf, "path", f, OIDC_F_EXE);
			jw_key(&w, &pf, "type_id");
			jw_lit(&w, "1");
			jw_lit(&w, "}");
		}
		if (get(f, OIDC_F_PPID, NULL) != NULL) {
			jw_key(&w, &p, "parent_process");
			jw_lit(&w, "{");
			member_u64(&w, &pp, "pid", f, OIDC_F_PPID);
			jw_lit(&w, "}");
		}
		if (get(f, OIDC_F_UID, NULL) != NULL) {
			jw_key(&w, &p, "user");
			jw_lit(&w, "{");
			member_field(&w, &pu, "uid", f, OIDC_F_UID);
			jw_lit(&w, "}");
		}
		jw_lit(&w, "}");
	} else if (file) {
		file_object(&w, &first, "file", f, OIDC_F_PATH);
		if (get(f, OIDC_F_PATH2, NULL) != NULL)
			file_object(&w, &first, "file_result", f, OIDC_F_PATH2);
	}
	/* Every OIDC_* field, verbatim as --output json has it. */
	jw_key(&w, &first, "unmapped");
	jw_lit(&w, "{");
	m = true;
	for (i = 0; i < f->n; i++) {
		char *tmp = NULL;
		size_t tl = 0, tc = 0;

		jf_get(f, i, &name, &nl, &val, &vl);
		if (nl <= sizeof(OIDC_F_PREFIX) - 1 ||
		    memcmp(name, OIDC_F_PREFIX, sizeof(OIDC_F_PREFIX) - 1) != 0)
			continue;
		if (!m)
			jw_lit(&w, ",");
		m = false;
		jw_lit(&w, "\"");
		jw_raw(&w, name, nl); /* [A-Z0-9_], checked on add */
		jw_lit(&w, "\":");
		if (jf_json_value(&tmp, &tl, &tc, val, vl) < 0)
			w.err = -ENOMEM;
		else
			jw_raw(&w, tmp, tl);
		free(tmp);
	}
	jw_lit(&w, "}}\n");
	if (w.err)
		r = w.err;
	else if (fwrite(w.s, 1, w.len, out) != w.len)
		r = -EIO;
	free(w.s);
	return r;
}
