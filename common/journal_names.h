/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The journal schema both halves write and `oidc-audit search` reads
 * (DESIGN.md, "Journal fields"): every field name, the OIDC_EVENT kinds
 * and their MESSAGE_IDs, in one place.  A field is spelled here and
 * nowhere else in the code; only tests spell them out, as they check the
 * contract.
 *
 * Names are string literals, so a match or an iovec can be built at
 * compile time: sd_journal_add_match(j, OIDC_F_EVENT "=" OIDC_EV_EXEC, 0).
 * Every one is a valid journald field name ([A-Z0-9_], no leading '_' but
 * journald's own trusted _BOOT_ID, _UID and _HOSTNAME, which we only read).
 */
#ifndef OIDC_JOURNAL_NAMES_H
#define OIDC_JOURNAL_NAMES_H

/* journald's own fields */
#define JF_MESSAGE		"MESSAGE"
#define JF_MESSAGE_ID		"MESSAGE_ID"
#define JF_PRIORITY		"PRIORITY"
#define JF_SYSLOG_IDENTIFIER	"SYSLOG_IDENTIFIER"
#define JF_BOOT_ID		"_BOOT_ID"	/* trusted: added by journald, we only read them */
#define JF_UID			"_UID"
#define JF_HOSTNAME		"_HOSTNAME" /* the host that wrote it (journal-remote: the host that sent it) */

/* The prefix of each of our fields. */
#define OIDC_F_PREFIX		"OIDC_"

/* the verified identity */
#define OIDC_F_ISSUER		"OIDC_ISSUER"
#define OIDC_F_SUBJECT		"OIDC_SUBJECT"
#define OIDC_F_USERNAME		"OIDC_USERNAME"
#define OIDC_F_EMAIL		"OIDC_EMAIL"
#define OIDC_F_LOGIN_ID		"OIDC_LOGIN_ID"

/* the kind of entry: one of the OIDC_EV_* below */
#define OIDC_F_EVENT		"OIDC_EVENT"

/* kernel audit ids */
#define OIDC_F_AUDIT_SESSION	"OIDC_AUDIT_SESSION"
#define OIDC_F_AUDIT_LOGINUID	"OIDC_AUDIT_LOGINUID"
#define OIDC_F_AUDIT_SERIAL	"OIDC_AUDIT_SERIAL"
#define OIDC_F_AUDIT_KEY	"OIDC_AUDIT_KEY"
#define OIDC_F_AUDIT_NODE	"OIDC_AUDIT_NODE"	/* node= of a forwarded record */
#define OIDC_F_AUDIT_SOURCE	"OIDC_AUDIT_SOURCE"	/* one of the OIDC_SRC_* below */
#define OIDC_F_AUDIT_INCOMPLETE	"OIDC_AUDIT_INCOMPLETE"	/* "1": closed by window, cap or flush, not EOE */

/* the kernel's event time, µs since the epoch */
#define OIDC_F_EVENT_TIME	"OIDC_EVENT_TIME"

/* the process */
#define OIDC_F_EXE		"OIDC_EXE"
#define OIDC_F_ARGV		"OIDC_ARGV"
#define OIDC_F_ARGC		"OIDC_ARGC"
#define OIDC_F_ARGV_TRUNCATED	"OIDC_ARGV_TRUNCATED"
#define OIDC_F_CWD		"OIDC_CWD"
#define OIDC_F_PID		"OIDC_PID"
#define OIDC_F_PPID		"OIDC_PPID"
#define OIDC_F_UID		"OIDC_UID"
#define OIDC_F_EUID		"OIDC_EUID"
#define OIDC_F_TTY		"OIDC_TTY"
#define OIDC_F_COMM		"OIDC_COMM"

/* the access */
#define OIDC_F_PATH		"OIDC_PATH"
#define OIDC_F_PATH2		"OIDC_PATH2"
#define OIDC_F_OPERATION	"OIDC_OPERATION"
#define OIDC_F_SYSCALL		"OIDC_SYSCALL"
#define OIDC_F_SUCCESS		"OIDC_SUCCESS"
#define OIDC_F_EXIT		"OIDC_EXIT"

/* login context */
#define OIDC_F_SERVICE		"OIDC_SERVICE"
#define OIDC_F_REMOTE_HOST	"OIDC_REMOTE_HOST"
#define OIDC_F_LOCAL_USER	"OIDC_LOCAL_USER"
#define OIDC_F_REASON		"OIDC_REASON"		/* why a login failed */

/* loss entries */
#define OIDC_F_LOSS_REASON	"OIDC_LOSS_REASON"
#define OIDC_F_LOSS_COUNT	"OIDC_LOSS_COUNT"
#define OIDC_F_LOSS_TOTAL	"OIDC_LOSS_TOTAL"
#define OIDC_F_LOSS_DETAIL	"OIDC_LOSS_DETAIL"

/* OIDC_EVENT values */
#define OIDC_EV_LOGIN		"login"
#define OIDC_EV_LOGOUT		"logout"
#define OIDC_EV_LOGIN_FAILED	"login-failed"
#define OIDC_EV_EXEC		"exec"
#define OIDC_EV_FILE		"file"
#define OIDC_EV_LOSS		"loss"

/* OIDC_AUDIT_SOURCE values: back-fill resumes after live and backfill entries only */
#define OIDC_SRC_LIVE		"live"
#define OIDC_SRC_BACKFILL	"backfill"
#define OIDC_SRC_REPLAY		"replay"

/*
 * MESSAGE_ID of each event kind.  These are fixed forever: the catalog in
 * contrib/ and every saved `journalctl MESSAGE_ID=...` query depend on
 * them.  32 lowercase hex digits, as journald expects.
 * (tests/e2e/audit_contrib.sh reads these lines.)
 */
#define OIDC_MESSAGE_ID_LOGIN		"9828061cedb64d048b4750a36f8a7d84"
#define OIDC_MESSAGE_ID_LOGOUT		"058ff2d49eab4a10af544512cae728d8"
#define OIDC_MESSAGE_ID_LOGIN_FAILED	"3a765afd62ce46dcadb50be89d3c0f2b"
#define OIDC_MESSAGE_ID_EXEC		"ced00d2b24214e9d8f906022a4ec3e8a"
#define OIDC_MESSAGE_ID_FILE		"0759de28f88f4de6b88a18e1cc761ccf"
#define OIDC_MESSAGE_ID_LOSS		"abc069f345434aec9f95c531773d2e17"

#endif
