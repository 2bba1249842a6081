#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# pam_oidc.so through the real libpam (pam_wrapper + libpamtest), with the
# real oidc-child and the real test provider (tests/idp/server.js) or the
# scripted misbehaving one (tests/idp/misbehave.js).  The conversation in
# tests/pam/pamtest_run reads the code from the prompt and approves it at
# the provider as a person would.  Needs root only to create the local
# test accounts (removed at exit) and for pam_loginuid's new audit session.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/lib/accounts.sh"
. "$top_srcdir/tests/idp/lib.sh"

B=$top_builddir
MODULE=$B/pam_oidc/.libs/pam_oidc.so
CHILD=$B/pam_oidc/oidc-child
RUN=$B/tests/pam/pamtest_run
SECDIR=/lib/x86_64-linux-gnu/security
[ -d "$SECDIR" ] || SECDIR=/usr/lib/x86_64-linux-gnu/security

cleanup() {
	reap
	acct_cleanup
	idp_stop
}

[ "$(id -u)" -eq 0 ] || skip_all "needs root for test accounts and pam_loginuid"
idp_available || skip_all "$IDP_SKIP_REASON"
for f in "$MODULE" "$CHILD" "$RUN" "$SECDIR/pam_loginuid.so" "$SECDIR/pam_env.so"; do
	[ -e "$f" ] || skip_all "$f is missing"
done
# a PAM service line cannot hold a space, and the checkout may have one
. "$top_srcdir/tests/lib/pubcopy.sh"
pub_build pam_oidc/.libs/pam_oidc.so pam_oidc/oidc-child || bail "cannot copy the module"
MODULE=$PUB_BUILD/pam_oidc/.libs/pam_oidc.so
CHILD=$PUB_BUILD/pam_oidc/oidc-child

# Every test that creates the provider's accounts (alice, bob, ...) as local
# users holds this lock meanwhile, so parallel tests never share or delete
# each other's accounts.
lock_accounts || skip_all "another test held the test accounts for 15 minutes"
T=$(mktemp -d /tmp/pam_oidc-pamtest.XXXXXX) || exit 1
chmod 700 "$T"
at_exit rm -rf "$T"
at_exit cleanup
mkdir -m 700 "$T/svc"
SYSLOG=$T/syslog		# every pam_syslog line of every run
: >"$SYSLOG"
CODES=$T/codes			# every user code shown
: >"$CODES"

TAP_LOG=$T/out			# shown under every failed test

# service NAME AUTH-ARGS... : a PAM service with pam_oidc in auth and session;
# PRE_SESSION (a whole line) is put before the session lines when set,
# SESSION_ARGS at the end of pam_oidc's session line.
service() {
	local name=$1
	shift
	{
		echo "auth required $MODULE child_path=$CHILD ca_file=$CA cache_dir=$T/cache poll_interval=1 pending_dir=$T/pending registry_dir=$T/sessions fail_delay=0 $*"
		echo "account required $MODULE"
		[ -n "${PRE_SESSION:-}" ] && echo "$PRE_SESSION"
		echo "session required $SECDIR/pam_loginuid.so"
		echo "session required $MODULE pending_dir=$T/pending registry_dir=$T/sessions ${SESSION_ARGS:-}"
	} >"$T/svc/$name"
}

# In a sanitizer build the ASan runtime must be loaded before pam_wrapper.
ASAN_LIB=$(ldd "$RUN" 2>/dev/null | awk '/libasan/ { print $3 }')
PRELOAD=${ASAN_LIB:+$ASAN_LIB:}libpam_wrapper.so
[ -n "$ASAN_LIB" ] && export PAM_WRAPPER_DISABLE_DEEPBIND=1

# run SERVICE USER MODE [session] : output in $T/out, pam_syslog lines appended to $SYSLOG;
# RUN_PREFIX (an array) is a command that runs pamtest_run
RUN_PREFIX=()
run() {
	LD_PRELOAD=$PRELOAD PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR=$T/svc \
		PAM_WRAPPER_DEBUGLEVEL=2 timeout 120 "${RUN_PREFIX[@]}" "$RUN" "$@" >"$T/out" 2>"$T/err"
	grep 'SYSLOG' "$T/err" >>"$SYSLOG"
	grep 'SYSLOG' "$T/err" | sed 's/^/syslog /' >>"$T/out"
	sed -n 's/.*enter the code \([^,]*\),.*/\1/p' "$T/out" >>"$CODES"
}

has() { grep -qxF -- "$1" "$T/out"; }
total_ms() { sed -n 's/^total_ms //p' "$T/out"; }

# misbehave SCENARIO [options] : the scripted provider, exports MB_ISSUER and MB_LOG
misbehave() {
	mb_launch "$T" "$IDP_DIR/certs" "$@"
}

for u in alice bob carol dave; do
	acct_ensure "$u" /bin/sh "/tmp/pam_oidc-home-$u" || bail "cannot create user $u"
done
idp_start || bail "the test provider did not start"
CA=$IDP_CA
ES="issuer=$IDP_ISSUER client_id=test-es256"
echo "auth required $SECDIR/pam_deny.so" >"$T/svc/other"

plan 41

# --- approve: success, the session environment, the registry entry --------
service login "$ES" qr=on
run login alice approve:alice session
ok $? "approve: pamtest_run ran"
has "auth PAM_SUCCESS" && has "open PAM_SUCCESS" && has "close PAM_SUCCESS"
ok $? "alice approves for alice: auth, open and close session succeed"
has "env OIDC_SUBJECT=7f6c1a52-alice-0001" && has "env OIDC_ISSUER=$IDP_ISSUER" &&
	has "env OIDC_USERNAME=alice"
ok $? "the session environment carries OIDC_SUBJECT, OIDC_ISSUER, OIDC_USERNAME"
! grep -q '^env PAM_OIDC_HANDLE' "$T/out"
ok $? "the pending handle is removed from the session environment"
entry=$(grep -l '"subject":"7f6c1a52-alice-0001"' "$T"/sessions/* 2>/dev/null | head -n 1)
[ -n "$entry" ] && grep -q '"user":"alice"' "$entry" && grep -q '"closed":' "$entry" &&
	[ "$(stat -c %a "$entry")" = 600 ] && [ "$(ls -A "$T/pending")" = "" ]
ok $? "registry entry holds alice's subject, is 0600 and closed; no pending record left"
grep -q '^msg 2 Open https://127.0.0.1:[0-9]*/device and enter the code [A-Z]\{4\}-[A-Z]\{4\}, then press Enter' "$T/out" &&
	grep -q "^msg 4 To log in as alice on $(hostname)" "$T/out"
ok $? "link and code are in the echo-on prompt, link, code and host name in the info text"
grep -q $'^msg 4 \xe2\x96\x88' "$T/out"
ok $? "qr=on draws a QR code with half blocks"

service noqr "$ES" qr=off
run noqr alice approve:alice
has "auth PAM_SUCCESS" && ! grep -q $'\xe2\x96' "$T/out"
ok $? "qr=off: success without a QR code"

# pressing Enter before approving: the module waits for the child's answer
run noqr alice approve-late:alice
has "auth PAM_SUCCESS"
ok $? "Enter pressed before the approval: the module waits for the child and succeeds"

# --- denials --------------------------------------------------------------
run noqr alice deny:alice
has "auth PAM_AUTH_ERR"
ok $? "deny -> PAM_AUTH_ERR"
grep -qx 'msg 3 Single sign-on failed (denied): the login was denied\.' "$T/out"
ok $? "failure_told_denied: a denial is told to the person as one error message naming it"
run noqr bob approve:alice
has "auth PAM_AUTH_ERR"
ok $? "alice approving for PAM_USER=bob -> PAM_AUTH_ERR"
run noqr root approve:alice
has "auth PAM_AUTH_ERR"
ok $? "alice approving for PAM_USER=root -> PAM_AUTH_ERR"
run noqr dave approve:dave
has "auth PAM_AUTH_ERR"
ok $? "missing mapping claim (no preferred_username) -> PAM_AUTH_ERR"
service bymail "$ES" qr=off username_claim=email username_domain=example.test
run bymail carol approve:carol
has "auth PAM_AUTH_ERR"
ok $? "unverified email as the mapping claim -> PAM_AUTH_ERR"
run noqr nosuchuser-pamoidc approve:alice
has "auth PAM_USER_UNKNOWN" && ! grep -q '^msg' "$T/out"
ok $? "unknown local user -> PAM_USER_UNKNOWN before any message"

# --- the calling environment changes nothing --------------------------------
SSLKEYLOGFILE=$T/keylog https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
	ALL_PROXY=http://127.0.0.1:9 run noqr alice approve:alice
has "auth PAM_SUCCESS" && [ ! -e "$T/keylog" ]
ok $? "SSLKEYLOGFILE and https_proxy in the caller's environment: success, no key log"

# --- conversation ----------------------------------------------------------
misbehave ok --username alice --client-id misbehave
service mb "issuer=$MB_ISSUER client_id=misbehave" qr=off
run mb alice convfail
has "auth PAM_CONV_ERR" && [ ! -s "$MB_LOG" ]
ok $? "failing conversation -> PAM_CONV_ERR and no request reaches the provider"
start=$(date +%s%N)
run mb alice password
has "auth PAM_CONV_ERR" && [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 3000 ]
ok $? "sshd's password method (echo-on prompts fail) fails fast"
run mb alice enter
has "auth PAM_SUCCESS" && [ -s "$MB_LOG" ]
ok $? "the scripted provider itself works (control for the two cases above)"

# --- require_publickey ------------------------------------------------------
: >"$MB_LOG"
service pk "issuer=$MB_ISSUER client_id=misbehave" qr=off require_publickey
run pk alice enter
has "auth PAM_AUTH_ERR" && [ ! -s "$MB_LOG" ]
ok $? "require_publickey without SSH_AUTH_INFO_0 -> PAM_AUTH_ERR, provider not contacted"
PAMTEST_SSH_AUTH_INFO_0=$'password\npublickey ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE\n' run pk alice enter
has "auth PAM_SUCCESS"
ok $? "require_publickey with a publickey method in SSH_AUTH_INFO_0 -> success"
PAMTEST_SSH_AUTH_INFO_0=$'password\nkeyboard-interactive\n' run pk alice enter
has "auth PAM_AUTH_ERR"
ok $? "require_publickey with only other methods in SSH_AUTH_INFO_0 -> PAM_AUTH_ERR"

# --- provider failures ------------------------------------------------------
misbehave expired_token --username alice --client-id misbehave
service mb "issuer=$MB_ISSUER client_id=misbehave" qr=off
run mb alice enter
has "auth PAM_AUTH_ERR"
ok $? "expired device code -> PAM_AUTH_ERR"
misbehave denied_403 --username alice --client-id misbehave
service mb "issuer=$MB_ISSUER client_id=misbehave" qr=off
run mb alice enter
has "auth PAM_AUTH_ERR" && grep -q 'SYSLOG(5).*OIDC login as alice via mb from .* failed (denied): ' "$T/out"
ok $? "access_denied with HTTP 403 (Auth0, Google) -> PAM_AUTH_ERR, logged at notice as a denial"
misbehave device_ctl --username alice --client-id misbehave
service mb "issuer=$MB_ISSUER client_id=misbehave" qr=off
run mb alice enter
! grep -q $'\x1b' "$T/out" && ! has "auth PAM_SUCCESS"
ok $? "an escape character in the provider's user code never reaches the conversation"
mb_stop
service down "issuer=https://127.0.0.1:9 client_id=test-es256" qr=off
run down alice enter
ms=$(total_ms)
has "auth PAM_AUTHINFO_UNAVAIL" && [ -n "$ms" ] && [ "$ms" -lt 1000 ]
ok $? "provider down -> PAM_AUTHINFO_UNAVAIL in under a second (${ms:-?} ms)"
[ "$(grep -c '^msg 3 ' "$T/out")" = 1 ] &&
	grep -q '^msg 3 Single sign-on is unavailable (network): .*system log\.$' "$T/out"
ok $? "failure_told_unavailable: provider down -> one error message: unavailable (network)"
service down2 "issuer=https://127.0.0.1:9 client_id=test-es256" qr=off
sed -i 's/fail_delay=0/fail_delay=1500/' "$T/svc/down2"
# libpam randomises the delay by up to half of it (912 ms was seen): at
# least 750 ms, where the same failure without the delay takes a few ms.
run down2 alice enter
ms=$(total_ms)
has "auth PAM_AUTHINFO_UNAVAIL" && [ -n "$ms" ] && [ "$ms" -ge 700 ]
ok $? "fail_delay=1500 delays the failure (${ms:-?} ms)"
misbehave hang --username alice --client-id misbehave
service slow "issuer=$MB_ISSUER client_id=misbehave" qr=off timeout=10 http_timeout=30
run slow alice enter
ms=$(total_ms)
! has "auth PAM_SUCCESS" && grep -q '^auth PAM_' "$T/out" && [ -n "$ms" ] && [ "$ms" -ge 5000 ] &&
	[ "$ms" -lt 17000 ]
ok $? "slow provider -> failure at the deadline (${ms:-?} ms, timeout=10)"
mb_stop

# --- debug: the child's steps in the log, and no secret in it ---------------
! grep -q ': step ' "$SYSLOG"
ok $? "without debug no step is logged"
SECRET=dbg-s3cret-7Qx2
(umask 077; printf '%s\n' "$SECRET" >"$T/secret")
misbehave ok --username alice --client-id misbehave --secret "$SECRET"
service dbg "issuer=$MB_ISSUER client_id=misbehave client_secret_file=$T/secret" qr=off debug
run dbg alice enter
st=0
missing=()
has "auth PAM_SUCCESS" || st=1
for step in discovery device_code waiting token signature claims mapping; do
	grep -q "SYSLOG(7).*OIDC login as alice: step $step ok after [0-9]* ms" "$T/err" ||
		{ st=1; missing+=("no step $step at LOG_DEBUG"); }
done
ok $st "debug: every step of the login is logged at LOG_DEBUG with its name" "${missing[@]}"
# misbehave.js logs the device code and the token parts it issued
dc=$(sed -n 's/.*device_code=//p' "$MB_LOG")
sig=$(sed -n 's/.*id_token_sig=\([^ ]*\).*/\1/p' "$MB_LOG")
at=$(sed -n 's/.*access_token=\([^ ]*\).*/\1/p' "$MB_LOG")
st=0
[ -n "$dc" ] && [ -n "$sig" ] && [ -n "$at" ] || st=1
grep -qF -e "$dc" -e "$sig" -e "$at" -e "$SECRET" -e eyJ "$T/err" && st=1
grep 'SYSLOG' "$T/err" | grep -qF WDJB-MJHT && st=1
ok $st "debug: no device code, ID token, access token, client secret or user code in the log"
misbehave badsig --username alice --client-id misbehave --secret "$SECRET" --pending 0
service dbg "issuer=$MB_ISSUER client_id=misbehave client_secret_file=$T/secret" qr=off debug
run dbg alice enter
sig=$(sed -n 's/.*id_token_sig=\([^ ]*\).*/\1/p' "$MB_LOG")
has "auth PAM_AUTH_ERR" &&
	grep -q 'SYSLOG(7).*step signature failed after [0-9]* ms: signature: ' "$T/err" &&
	[ -n "$sig" ] && ! grep -qF -e "$sig" -e "$SECRET" "$T/err"
ok $? "debug: a failed step is logged with its reason, and the rejected token stays out"
mb_stop

# --- session handoff --------------------------------------------------------
echo "PAM_OIDC_HANDLE DEFAULT=0123456789abcdef0123456789abcdef" >"$T/plant.env"
PRE_SESSION="session required $SECDIR/pam_env.so conffile=$T/plant.env readenv=0" \
	service plant "$ES"
before=$(ls "$T/sessions" | wc -l)
run plant alice noauth
has "open PAM_SESSION_ERR" && [ "$(ls "$T/sessions" | wc -l)" = "$before" ]
ok $? "a planted handle without a pending record -> PAM_SESSION_ERR, no registry entry"
# pam_env before pam_oidc (Debian's sshd stack with user_readenv=1): a
# ~/.pam_environment line like this one strips the handle
echo "PAM_OIDC_HANDLE DEFAULT= OVERRIDE=" >"$T/strip.env"
PRE_SESSION="session required $SECDIR/pam_env.so conffile=$T/strip.env readenv=0" \
	service strip "$ES" qr=off
before=$(ls "$T/sessions" | wc -l)
run strip alice approve:alice session
has "auth PAM_SUCCESS" && has "open PAM_SUCCESS" && has "env OIDC_SUBJECT=7f6c1a52-alice-0001" &&
	[ "$(ls "$T/sessions" | wc -l)" -gt "$before" ]
ok $? "stripped_handle_same_pam_handle: pam_env cannot strip the handle when auth and session share a PAM handle (sudo)"

# --- no record, no login: a registry entry that cannot be written -----------
# A full /run: the registry on a full tmpfs of a private mount namespace
# (the machine's mounts are not touched), with or without require_record
# (which adds the journald entry to what a session needs).
mkdir -m 700 "$T/full"
RUN_PREFIX=(unshare -m --propagation private sh -c 'mount -t tmpfs -o size=4k,mode=0700 tmpfs "$0" &&
	mkdir -m 700 "$0/sessions" && { dd if=/dev/zero of="$0/fill" bs=4096 count=16 2>/dev/null; :; } &&
	exec "$@"' "$T/full")
SESSION_ARGS="registry_dir=$T/full/sessions" service noreg "$ES" qr=off
run noreg alice approve:alice session
has "auth PAM_SUCCESS" && has "open PAM_SESSION_ERR" && ! grep -q '^env OIDC_SUBJECT=' "$T/out"
ok $? "registry_full: the registry entry cannot be written -> PAM_SESSION_ERR, no identity exported"
grep -qx 'msg 3 Single sign-on: this login is refused because the audit record of the session could not be written. Tell your administrator; the details are in the system log.' "$T/out"
ok $? "registry_full: the person is told in one error message"
grep -Eq "SYSLOG\(3\).*cannot open the OIDC session of alice: the session registry entry of audit session [0-9]+ could not be written \(registry: cannot (create|write) entry in $T/full/sessions: No space left on device\)" "$T/err"
ok $? "registry_full: syslog names the record, the audit session, the folder and the errno"
SESSION_ARGS="registry_dir=$T/full/sessions require_record" service noreg2 "$ES" qr=off
run noreg2 alice approve:alice session
RUN_PREFIX=()
has "auth PAM_SUCCESS" && has "open PAM_SESSION_ERR" &&
	grep -q '^msg 3 Single sign-on: this login is refused because the audit record' "$T/out"
ok $? "registry_full with require_record: refused and told the same way"

# --- logs -------------------------------------------------------------------
leak=0
while read -r code; do
	[ -n "$code" ] && grep -qF -- "$code" "$SYSLOG" && leak=1
done <"$CODES"
grep -q 'eyJ' "$SYSLOG" && leak=1
[ -s "$SYSLOG" ] && [ -s "$CODES" ] && [ "$leak" = 0 ]
ok $? "no user code and no token in any of the module's $(wc -l <"$SYSLOG") log lines"

finish
