/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hand parser for one audit record line.  It runs once per record on the
 * hot path, so it makes one pass over the bytes, never allocates, and
 * stores offsets instead of copies; record_dup makes the one allocation
 * a pending record needs.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "record.h"
#include "text.h"

#define GS '\x1d'	/* separates the ENRICHED section */

static const struct {
	const char *name;
	uint32_t type;
} type_names[] = {
	/* the hot ones first: a replay meets these in nearly every line */
	{ "SYSCALL", 1300 }, { "PATH", 1302 }, { "PROCTITLE", 1327 }, { "CWD", 1307 },
	{ "EXECVE", 1309 }, { "EOE", 1320 },
	{ "LOGIN", 1006 },
	{ "USER_AUTH", 1100 }, { "USER_ACCT", 1101 }, { "USER_MGMT", 1102 },
	{ "CRED_ACQ", 1103 }, { "CRED_DISP", 1104 }, { "USER_START", 1105 },
	{ "USER_END", 1106 }, { "USER_AVC", 1107 }, { "USER_CHAUTHTOK", 1108 },
	{ "USER_ERR", 1109 }, { "CRED_REFR", 1110 }, { "USYS_CONFIG", 1111 },
	{ "USER_LOGIN", 1112 }, { "USER_LOGOUT", 1113 }, { "ADD_USER", 1114 },
	{ "DEL_USER", 1115 }, { "ADD_GROUP", 1116 }, { "DEL_GROUP", 1117 },
	{ "DAC_CHECK", 1118 }, { "CHGRP_ID", 1119 }, { "TEST", 1120 },
	{ "TRUSTED_APP", 1121 }, { "USER_SELINUX_ERR", 1122 }, { "USER_CMD", 1123 },
	{ "USER_TTY", 1124 }, { "CHUSER_ID", 1125 }, { "GRP_AUTH", 1126 },
	{ "SYSTEM_BOOT", 1127 }, { "SYSTEM_SHUTDOWN", 1128 }, { "SYSTEM_RUNLEVEL", 1129 },
	{ "SERVICE_START", 1130 }, { "SERVICE_STOP", 1131 }, { "GRP_MGMT", 1132 },
	{ "GRP_CHAUTHTOK", 1133 }, { "MAC_CHECK", 1134 }, { "ACCT_LOCK", 1135 },
	{ "ACCT_UNLOCK", 1136 }, { "USER_DEVICE", 1137 }, { "SOFTWARE_UPDATE", 1138 },
	{ "DAEMON_START", 1200 }, { "DAEMON_END", 1201 }, { "DAEMON_ABORT", 1202 },
	{ "DAEMON_CONFIG", 1203 }, { "DAEMON_RECONFIG", 1204 }, { "DAEMON_ROTATE", 1205 },
	{ "DAEMON_RESUME", 1206 }, { "DAEMON_ACCEPT", 1207 }, { "DAEMON_CLOSE", 1208 },
	{ "DAEMON_ERR", 1209 },
	{ "IPC", 1303 }, { "SOCKETCALL", 1304 }, { "CONFIG_CHANGE", 1305 },
	{ "SOCKADDR", 1306 }, { "IPC_SET_PERM", 1311 }, { "MQ_OPEN", 1312 },
	{ "MQ_SENDRECV", 1313 }, { "MQ_NOTIFY", 1314 }, { "MQ_GETSETATTR", 1315 },
	{ "KERNEL_OTHER", 1316 }, { "FD_PAIR", 1317 }, { "OBJ_PID", 1318 },
	{ "TTY", 1319 }, { "BPRM_FCAPS", 1321 }, { "CAPSET", 1322 }, { "MMAP", 1323 },
	{ "NETFILTER_PKT", 1324 }, { "NETFILTER_CFG", 1325 }, { "SECCOMP", 1326 },
	{ "FEATURE_CHANGE", 1328 }, { "REPLACE", 1329 }, { "KERN_MODULE", 1330 },
	{ "FANOTIFY", 1331 }, { "TIME_INJOFFSET", 1332 }, { "TIME_ADJNTPVAL", 1333 },
	{ "BPF", 1334 }, { "EVENT_LISTENER", 1335 }, { "URINGOP", 1336 },
	{ "OPENAT2", 1337 },
	{ "AVC", 1400 }, { "SELINUX_ERR", 1401 }, { "AVC_PATH", 1402 },
	{ "MAC_POLICY_LOAD", 1403 }, { "MAC_STATUS", 1404 }, { "MAC_CONFIG_CHANGE", 1405 },
	{ "ANOM_PROMISCUOUS", 1700 }, { "ANOM_ABEND", 1701 }, { "ANOM_LINK", 1702 },
	{ "ANOM_CREAT", 1703 },
	{ "KERNEL", 2000 },
	{ "ANOM_LOGIN_FAILURES", 2100 }, { "ANOM_LOGIN_TIME", 2101 },
	{ "ANOM_LOGIN_SESSIONS", 2102 }, { "ANOM_LOGIN_ACCT", 2103 },
	{ "ANOM_LOGIN_LOCATION", 2104 }, { "ANOM_MAX_DAC", 2105 }, { "ANOM_MAX_MAC", 2106 },
	{ "ANOM_AMTU_FAIL", 2107 }, { "ANOM_RBAC_FAIL", 2108 },
	{ "ANOM_RBAC_INTEGRITY_FAIL", 2109 }, { "ANOM_CRYPTO_FAIL", 2110 },
	{ "ANOM_ACCESS_FS", 2111 }, { "ANOM_EXEC", 2112 }, { "ANOM_MK_EXEC", 2113 },
	{ "ANOM_ADD_ACCT", 2114 }, { "ANOM_DEL_ACCT", 2115 }, { "ANOM_MOD_ACCT", 2116 },
	{ "ANOM_ROOT_TRANS", 2117 }, { "ANOM_LOGIN_SERVICE", 2118 },
	{ "RESP_ANOMALY", 2200 },
};

/* Checked decimal parse of a counted, unsigned number (no sign accepted). */
static int
parse_dec_u64(const char *s, size_t len, uint64_t max, uint64_t *ret)
{
	int64_t v;
	int r;

	if (len == 0 || s[0] == '-')
		return -EINVAL;
	r = num_parse_i64n(s, len, 0, max > INT64_MAX ? INT64_MAX : (int64_t)max, &v);
	if (r < 0)
		return r;
	*ret = (uint64_t)v;
	return 0;
}

uint32_t
record_type_from_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		/* lengths first: name may hold a NUL, strncmp would stop there */
		if (strlen(type_names[i].name) == len && memcmp(type_names[i].name, name, len) == 0)
			return type_names[i].type;
	}
	/* auditd writes types it has no name for as UNKNOWN[1334] */
	if (len > 9 && memcmp(name, "UNKNOWN[", 8) == 0 && name[len - 1] == ']') {
		uint64_t v;

		if (parse_dec_u64(name + 8, len - 9, UINT32_MAX, &v) == 0)
			return (uint32_t)v;
	}
	return 0;
}

static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Header: [node=NAME ]type=TYPE msg=audit(SEC.MSEC:SERIAL):
 * Returns the offset just past the ':' (the body starts there), or 0 when
 * the header is not valid.
 */
static size_t
parse_header(const char *p, size_t len, struct audit_record *rec)
{
	size_t i = 0, start;
	uint64_t v;

	if (len >= 5 && memcmp(p, "node=", 5) == 0) {
		start = i = 5;
		while (i < len && !is_space(p[i]) && p[i] != GS)
			i++;
		if (i == start || i >= len)
			return 0;
		rec->node_off = (uint32_t)start;
		rec->node_len = (uint32_t)(i - start);
		while (i < len && is_space(p[i]))
			i++;
	}
	if (len - i < 5 || memcmp(p + i, "type=", 5) != 0)
		return 0;
	start = i += 5;
	while (i < len && !is_space(p[i]) && p[i] != GS)
		i++;
	if (i == start || i >= len)
		return 0;
	rec->type_off = (uint32_t)start;
	rec->type_len = (uint32_t)(i - start);
	rec->type = record_type_from_name(p + start, i - start);
	while (i < len && is_space(p[i]))
		i++;
	if (len - i < 10 || memcmp(p + i, "msg=audit(", 10) != 0)
		return 0;
	start = i += 10;
	while (i < len && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i >= len || p[i] != '.' || parse_dec_u64(p + start, i - start, INT64_MAX, &v) < 0)
		return 0;
	rec->sec = v;
	start = ++i;
	while (i < len && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i >= len || p[i] != ':' || i - start > 3 ||
	    parse_dec_u64(p + start, i - start, 999, &v) < 0)
		return 0;
	rec->msec = (uint32_t)v;
	start = ++i;
	while (i < len && p[i] >= '0' && p[i] <= '9')
		i++;
	if (len - i < 2 || p[i] != ')' || p[i + 1] != ':' ||
	    parse_dec_u64(p + start, i - start, INT64_MAX, &v) < 0)
		return 0;
	rec->serial = v;
	return i + 2;
}

int
record_parse(const char *p, size_t len, struct audit_field *fields, size_t max_fields,
	     struct audit_record *rec)
{
	size_t i, kstart, vstart;
	bool enriched = false, in_msg = false;
	struct audit_field *f;

	memset(rec, 0, sizeof(*rec));
	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	if (len > UINT32_MAX / 2)
		return -EINVAL;
	rec->text = p;
	rec->len = (uint32_t)len;
	rec->fields = fields;
	i = parse_header(p, len, rec);
	if (i == 0)
		return -EINVAL;

	for (;;) {
		while (i < len && (is_space(p[i]) || p[i] == GS)) {
			if (p[i] == GS) {
				enriched = true;
				in_msg = false;
			}
			i++;
		}
		if (i >= len)
			break;
		kstart = i;
		while (i < len && p[i] != '=' && !is_space(p[i]) && p[i] != GS)
			i++;
		if (i >= len || p[i] != '=') {
			/* a word without '=': not a field, step over it */
			continue;
		}
		if (i - kstart > UINT16_MAX || i == kstart) {
			i++;
			continue;
		}
		if (rec->nfields >= max_fields) {
			rec->truncated = true;
			break;
		}
		f = &fields[rec->nfields];
		f->key_off = (uint32_t)kstart;
		f->key_len = (uint16_t)(i - kstart);
		f->enriched = enriched;
		i++;	/* '=' */

		/*
		 * User-space messages carry a second level: msg='op=login
		 * acct="x" res=success'.  Its inner fields are fields of the
		 * record; the closing quote is dropped.
		 */
		if (!enriched && !in_msg && i < len && p[i] == '\'' && f->key_len == 3 &&
		    memcmp(p + kstart, "msg", 3) == 0) {
			in_msg = true;
			i++;
			continue;
		}
		if (i < len && p[i] == '"') {
			vstart = ++i;
			while (i < len && p[i] != '"')
				i++;
			f->kind = AUDIT_VAL_QUOTED;
			f->val_off = (uint32_t)vstart;
			f->val_len = (uint32_t)(i - vstart);
			if (i >= len)
				rec->truncated = true;
			else
				i++;
			if (in_msg && i < len && p[i] == '\'') {
				in_msg = false;
				i++;
			}
		} else {
			vstart = i;
			/* ENRICHED SADDR={ saddr_fam=inet laddr=... } holds spaces */
			if (enriched && i < len && p[i] == '{') {
				while (i < len && p[i] != '}')
					i++;
				if (i < len)
					i++;
			}
			while (i < len && !is_space(p[i]) && p[i] != GS)
				i++;
			f->kind = AUDIT_VAL_BARE;
			f->val_off = (uint32_t)vstart;
			f->val_len = (uint32_t)(i - vstart);
			if (in_msg && f->val_len > 0 && p[i - 1] == '\'' &&
			    (i >= len || p[i] == GS)) {
				f->val_len--;
				in_msg = false;
			}
			if (f->val_len == 6 && memcmp(p + vstart, "(null)", 6) == 0)
				f->kind = AUDIT_VAL_NULL;
			else if (f->val_len == 6 && memcmp(p + vstart, "(none)", 6) == 0)
				f->kind = AUDIT_VAL_NONE;
		}
		rec->nfields++;
	}
	if (in_msg)
		rec->truncated = true;
	return 0;
}

struct audit_record *
record_dup(const struct audit_record *rec)
{
	struct audit_record *r;
	size_t fsz = (size_t)rec->nfields * sizeof(struct audit_field);
	char *text;

	r = malloc(sizeof(*r) + fsz + rec->len + 1);
	if (r == NULL)
		return NULL;
	*r = *rec;
	r->fields = (struct audit_field *)(r + 1);
	if (fsz > 0)
		memcpy(r->fields, rec->fields, fsz);
	text = (char *)r->fields + fsz;
	memcpy(text, rec->text, rec->len);
	text[rec->len] = '\0';
	r->text = text;
	return r;
}

void
record_free(struct audit_record *rec)
{
	free(rec);
}

const struct audit_field *
record_find(const struct audit_record *rec, const char *key, bool enriched)
{
	size_t n = strlen(key);
	uint32_t i;

	for (i = 0; i < rec->nfields; i++) {
		const struct audit_field *f = &rec->fields[i];

		if (f->key_len == n && (bool)f->enriched == enriched &&
		    memcmp(rec->text + f->key_off, key, n) == 0)
			return f;
	}
	return NULL;
}

size_t
record_val_decode(const struct audit_record *rec, const struct audit_field *f, bool hex,
		  char *dst)
{
	const char *s = rec->text + f->val_off;
	size_t n = f->val_len, i, o = 0;
	const char *nul;

	/* dst has room for n bytes, the decoded value needs n / 2 */
	if (f->kind == AUDIT_VAL_BARE && hex && n > 0 && text_hex_decode(s, n, dst, n / 2) == 0) {
		nul = memchr(dst, '\0', n / 2);
		return nul != NULL ? (size_t)(nul - dst) : n / 2;
	}
	if (f->kind == AUDIT_VAL_NULL || f->kind == AUDIT_VAL_NONE)
		return 0;
	for (i = 0; i < n && s[i] != '\0'; i++)
		dst[o++] = s[i];
	return o;
}

int
record_val_string(const struct audit_record *rec, const struct audit_field *f, bool hex,
		  char **ret)
{
	char *s;
	size_t n;

	*ret = NULL;
	if (f->kind == AUDIT_VAL_NULL || f->kind == AUDIT_VAL_NONE)
		return 0;
	s = malloc((size_t)f->val_len + 1);
	if (s == NULL)
		return -ENOMEM;
	n = record_val_decode(rec, f, hex, s);
	s[n] = '\0';
	*ret = s;
	return 0;
}

int
record_val_i64(const struct audit_record *rec, const struct audit_field *f, int64_t *ret)
{
	if (f->kind != AUDIT_VAL_BARE)
		return -EINVAL;
	return num_parse_i64n(rec->text + f->val_off, f->val_len, INT64_MIN, INT64_MAX, ret);
}

int
record_val_hex(const struct audit_record *rec, const struct audit_field *f, uint64_t *ret)
{
	const char *s = rec->text + f->val_off;
	size_t n = f->val_len;

	if (f->kind != AUDIT_VAL_BARE || n == 0)
		return -EINVAL;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	return num_parse_hex_u64(s, n, UINT64_MAX, ret);
}

int
record_val_oct(const struct audit_record *rec, const struct audit_field *f, uint64_t *ret)
{
	const char *s = rec->text + f->val_off;
	uint64_t acc = 0;
	size_t i;

	if (f->kind != AUDIT_VAL_BARE || f->val_len == 0)
		return -EINVAL;
	for (i = 0; i < f->val_len; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -EINVAL;
		if (acc > (UINT64_MAX >> 3))
			return -ERANGE;
		acc = acc << 3 | (uint64_t)(s[i] - '0');
	}
	*ret = acc;
	return 0;
}
