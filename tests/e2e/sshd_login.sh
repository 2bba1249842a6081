#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# End to end with the real Debian sshd: keyboard-interactive through
# pam_oidc.so, the real oidc-child and the test provider.  A person (expect
# on a pseudo-terminal) reads the link and code, approves as alice at the
# provider and presses Enter; the shell must run as alice in a fresh audit
# session whose registry entry and journal entries carry alice's subject.
# Also: a denied login, and sshd's password method failing fast.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/e2e/sshd_lib.sh"
e2e_init || exit 0
TAP_LOG=$E2E_DIR/out		# e2e_login's output, shown under a failed test

ALICE_SUB=7f6c1a52-alice-0001
e2e_users alice bob eve || bail "cannot create the test accounts"
e2e_journald || bail "journald is not available"
idp_start || bail "the test provider did not start"
e2e_sshd_start || bail "sshd did not start"

plan 13

# --- alice approves: a shell as alice -----------------------------------------
e2e_login alice alice approve
[ "$(e2e_get result)" = shell ]
ok $? "ssh alice: link and code read from the prompt, approved, a shell started"
[ "$(e2e_get user)" = alice ]
ok $? "id -un in the shell is alice"
ses=$(e2e_get sessionid)
[ -n "$ses" ] && [ "$ses" != 4294967295 ] && [ "$ses" != "$(cat /proc/self/sessionid)" ]
ok $? "the shell runs in a fresh audit session (${ses:-none})"
[ "$(e2e_get subject)" = "$ALICE_SUB" ]
ok $? "OIDC_SUBJECT in the shell's environment is alice's subject"
entry=$E2E_REGISTRY/$ses
[ -n "$ses" ] && [ -f "$entry" ] && grep -q "\"subject\":\"$ALICE_SUB\"" "$entry" &&
	grep -q '"user":"alice"' "$entry" && grep -q "\"session\":$ses," "$entry"
ok $? "the registry entry of audit session $ses holds alice's subject"
login_id=$(sed -n 's/.*"login_id":"\([0-9a-f]*\)".*/\1/p' "$entry" 2>/dev/null)
found=1
for ((i = 0; i < 50; i++)); do
	if e2e_journal OIDC_EVENT=login "OIDC_LOGIN_ID=$login_id" | grep -q "\"OIDC_SUBJECT\":\"$ALICE_SUB\"" &&
		e2e_journal OIDC_EVENT=login "OIDC_LOGIN_ID=$login_id" | grep -q "\"OIDC_AUDIT_SESSION\":\"$ses\""; then
		found=0
		break
	fi
	sleep 0.1
done
[ -n "$login_id" ] && [ "$found" = 0 ]
ok $? "journal: login entry with OIDC_SUBJECT and OIDC_AUDIT_SESSION=$ses"
found=1
for ((i = 0; i < 50; i++)); do
	if e2e_journal OIDC_EVENT=logout "OIDC_LOGIN_ID=$login_id" | grep -q "\"OIDC_AUDIT_SESSION\":\"$ses\""; then
		found=0
		break
	fi
	sleep 0.1
done
[ -n "$login_id" ] && [ "$found" = 0 ] && grep -q '"closed":' "$entry"
ok $? "after exit: journal logout entry and the registry entry closed"
[ -z "$(ls -A "$E2E_DIR/pending" 2>/dev/null)" ]
ok $? "no pending record is left behind"

# --- a subject with a bidi override and a C1 control -----------------------------
# The provider's sub is U+202E "eve-0006" U+009B "2J": the login entry keeps
# it in OIDC_SUBJECT and shows it escaped in MESSAGE.
e2e_login eve eve approve
eve_ses=$(e2e_get sessionid)
found=1
for ((i = 0; i < 50; i++)); do
	e2e_journal OIDC_EVENT=login OIDC_LOCAL_USER=eve OIDC_AUDIT_SESSION="$eve_ses" >"$E2E_DIR/eve.json"
	python3 -c '
import json, sys
def val(v):
    return bytes(v) if isinstance(v, list) else v.encode()
e = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if len(e) == 1 and val(e[0]["OIDC_SUBJECT"]) == "\u202eeve-0006\u009b2J".encode() and
         val(e[0]["MESSAGE"]).startswith(b"eve (sub \\u202eeve-0006\\u009b2J) logged in as eve via sshd") else 1)' \
		"$E2E_DIR/eve.json" && found=0 && break
	sleep 0.1
done
[ "$(e2e_get result)" = shell ] && [ "$found" = 0 ]
ok $? "journal: a subject's bidi override and C1 control are escaped in MESSAGE, verbatim in OIDC_SUBJECT"

# --- alice approves for bob: refused ---------------------------------------------
e2e_login bob alice approve
[ "$(e2e_get result)" = denied ] && [ -z "$(e2e_get user)" ]
ok $? "alice's approval for ssh bob@ is refused"

# --- denied -----------------------------------------------------------------------
e2e_login alice alice deny
[ "$(e2e_get result)" = denied ] && [ -z "$(e2e_get user)" ]
ok $? "a denied approval gives no shell"
found=1
for ((i = 0; i < 50; i++)); do
	if e2e_journal OIDC_EVENT=login-failed OIDC_LOCAL_USER=alice OIDC_REASON=denied | grep -q .; then
		found=0
		break
	fi
	sleep 0.1
done
[ "$found" = 0 ]
ok $? "journal: login-failed entry with OIDC_REASON=denied"

# --- the password method fails fast ------------------------------------------
e2e_login alice alice password
ms=$(e2e_get fail_ms)
[ "$(e2e_get result)" = denied ] && [ -n "$ms" ] && [ "$ms" -lt 10000 ]
ok $? "sshd's password method fails fast (${ms:-?} ms, LoginGraceTime 90 s)"

finish
