/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * journald MESSAGE_ID of each event kind both halves write (DESIGN.md,
 * "Journal fields").  These are fixed forever: the catalog in contrib/ and
 * every saved `journalctl MESSAGE_ID=...` query depend on them.  32
 * lowercase hex digits, as journald expects.
 */
#ifndef OIDC_MESSAGE_IDS_H
#define OIDC_MESSAGE_IDS_H

#define OIDC_MESSAGE_ID_LOGIN		"9828061cedb64d048b4750a36f8a7d84"
#define OIDC_MESSAGE_ID_LOGOUT		"058ff2d49eab4a10af544512cae728d8"
#define OIDC_MESSAGE_ID_LOGIN_FAILED	"3a765afd62ce46dcadb50be89d3c0f2b"
#define OIDC_MESSAGE_ID_EXEC		"ced00d2b24214e9d8f906022a4ec3e8a"
#define OIDC_MESSAGE_ID_FILE		"0759de28f88f4de6b88a18e1cc761ccf"
#define OIDC_MESSAGE_ID_LOSS		"abc069f345434aec9f95c531773d2e17"

#endif
