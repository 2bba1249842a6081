#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# sudo with pam_oidc (contrib/pam.d/sudo's shape), the real sudo, oidc-child
# and test provider.  sudo runs in a private mount namespace whose
# /etc/pam.d and /etc/sudoers.d are test directories, as alice, in an audit
# session of her own.  sudo sets PAM_SILENT, so the code must arrive inside
# the prompt; the invoking user's SSLKEYLOGFILE and https_proxy must change
# nothing; the hand-over handle must not reach the command; sudo -n must
# fail at once.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/e2e/sshd_lib.sh"
command -v sudo >/dev/null && command -v setpriv >/dev/null ||
	skip_all "sudo or setpriv missing"
e2e_init || exit 0
TAP_LOG=$E2E_DIR/out		# as_alice's output, shown under a failed test

e2e_users alice || bail "cannot create the test account"
e2e_journald || bail "journald is not available"
idp_start || bail "the test provider did not start"
since=$(date +%s)

B=$top_builddir
# alice runs the expect script and approve.js, and a pam.d line cannot hold
# a space: copies outside the checkout (tests/lib/pubcopy.sh)
. "$top_srcdir/tests/lib/pubcopy.sh"
pub_src tests/e2e/sudo_login.exp tests/idp && pub_build pam_oidc/.libs/pam_oidc.so pam_oidc/oidc-child ||
	bail "cannot copy the test's files to a public directory"
P=$PUB_BUILD
mkdir -m 755 "$E2E_DIR/pam.d" "$E2E_DIR/sudoers.d"
mkdir -m 700 "$E2E_DIR/cache"
cat >"$E2E_DIR/pam.d/sudo" <<EOT
auth     required $P/pam_oidc/.libs/pam_oidc.so child_path=$P/pam_oidc/oidc-child issuer=$IDP_ISSUER client_id=test-es256 ca_file=$IDP_CA cache_dir=$E2E_DIR/cache poll_interval=1 timeout=30 pending_dir=$E2E_DIR/pending registry_dir=$E2E_REGISTRY
account  required pam_unix.so
session  optional $P/pam_oidc/.libs/pam_oidc.so pending_dir=$E2E_DIR/pending registry_dir=$E2E_REGISTRY
session  required pam_unix.so
EOT
printf 'auth required pam_deny.so\naccount required pam_deny.so\npassword required pam_deny.so\nsession required pam_deny.so\n' \
	>"$E2E_DIR/pam.d/other"
printf 'alice ALL=(root) ALL\nalice ALL=(root) NOPASSWD: /usr/bin/true\nDefaults:alice !lecture, timestamp_timeout=0, env_keep+="SSLKEYLOGFILE https_proxy"\n' \
	>"$E2E_DIR/sudoers.d/pam_oidc-test"
chmod 440 "$E2E_DIR/sudoers.d/pam_oidc-test"
chmod 711 "$E2E_DIR"

# as_alice MODE COMMAND...: expect as alice, in a new audit session, in the namespace.
# With PLANT set (a registry entry with @SES@ for the session number), that
# entry is written for the new audit session first, as an ssh login would have.
as_alice() {
	unshare -m --propagation private sh -c '
		mount --bind "$1/pam.d" /etc/pam.d && mount --bind "$1/sudoers.d" /etc/sudoers.d &&
		echo "$2" >/proc/self/loginuid &&
		if [ -n "$PLANT" ]; then
			ses=$(cat /proc/self/sessionid) && mkdir -p -m 700 "$E2E_REGISTRY" &&
			echo "$PLANT" | sed "s/@SES@/$ses/g" >"$E2E_REGISTRY/$ses" &&
			chmod 600 "$E2E_REGISTRY/$ses" && echo "$ses" >"$1/planted"
		fi && shift 2 &&
		exec setpriv --reuid=alice --regid="$(id -g alice)" --init-groups --reset-env \
			env top_srcdir="$PUB_SRC" IDP_ISSUER="$IDP_ISSUER" IDP_CA="$IDP_CA" \
			SSLKEYLOGFILE="$KEYLOG" https_proxy=http://127.0.0.1:9 \
			PATH=/usr/local/bin:/usr/bin:/bin timeout 120 expect -f "$@"' \
		sh "$E2E_DIR" "$(id -u alice)" "$PUB_SRC/tests/e2e/sudo_login.exp" "$@" \
		>"$E2E_DIR/out" 2>&1
}
get() { sed -n "s/^$1 //p" "$E2E_DIR/out" | head -n 1; }

KEYLOG=$E2E_DIR/keylog
PLANT=
export PUB_SRC IDP_ISSUER IDP_CA KEYLOG PLANT E2E_REGISTRY
# the provider's CA must be readable by alice
chmod -R o+rX "$IDP_DIR/certs/ca.pem" 2>/dev/null
chmod o+x "$IDP_DIR" "$IDP_DIR/certs" 2>/dev/null

plan 10
as_alice alice approve 'id -un; env'
[ "$(get result)" = ran ] && [ "$(get output)" = root ]
ok $? "sudo: the code is read from sudo's prompt, approved as alice, the command runs as root"
grep -q '^output HOME=' "$E2E_DIR/out" && ! grep -q '^output PAM_OIDC_HANDLE=' "$E2E_DIR/out"
ok $? "the hand-over handle does not reach the command's environment"
grep -q "^output SSLKEYLOGFILE=$KEYLOG" "$E2E_DIR/out" && [ ! -e "$KEYLOG" ]
ok $? "the invoking user's SSLKEYLOGFILE and https_proxy change nothing"
entry=$(grep -l '"service":"sudo"' "$E2E_REGISTRY"/* 2>/dev/null | head -n 1)
[ -n "$entry" ] && grep -q '"subject":"7f6c1a52-alice-0001"' "$entry" && grep -q '"user":"alice"' "$entry"
ok $? "the audit session's registry entry holds alice's subject"
sudo_ses=${entry##*/}
as_alice alice noninteractive id -un
ms=$(get ms)
[ "$(get result)" = denied ] && [ -n "$ms" ] && [ "$ms" -lt 3000 ]
ok $? "sudo -n fails at once without a prompt (${ms:-?} ms)"
as_alice bob approve 'id -un'
[ "$(get result)" = denied ] && [ -z "$(get output)" ]
ok $? "bob approving alice's sudo prompt does not run the command"

# --- sudo inside an OIDC login never closes or re-keys that login's entry ------
# planted: the entry alice's ssh login wrote for this audit session
plant() {
	PLANT="{\"boot_id\":\"$(tr -d - </proc/sys/kernel/random/boot_id)\",\"session\":@SES@,\"loginuid\":$(id -u alice),\"user\":\"alice\",\"issuer\":\"$IDP_ISSUER\",\"subject\":\"$1\",\"username\":\"alice\",\"login_id\":\"0123456789abcdef0123456789abcdef\",\"service\":\"sshd\",\"rhost\":\"127.0.0.1\",\"opened\":1000000$2}"
}
plant ssh-login-subject-0001 ''
as_alice alice noninteractive /usr/bin/true
ses=$(cat "$E2E_DIR/planted" 2>/dev/null)
[ -n "$ses" ] && grep -q '"subject":"ssh-login-subject-0001"' "$E2E_REGISTRY/$ses" &&
	! grep -q '"closed":' "$E2E_REGISTRY/$ses" &&
	! e2e_journal OIDC_EVENT=logout OIDC_AUDIT_SESSION="$ses" OIDC_LOGIN_ID=0123456789abcdef0123456789abcdef | grep -q .
ok $? "sudo_without_prompt_keeps_ssh_entry_open: a NOPASSWD sudo leaves the ssh login's entry open, no logout"
plant ssh-login-subject-0001 ',"closed":2000000'
as_alice alice approve 'id -un'
ses=$(cat "$E2E_DIR/planted" 2>/dev/null)
[ -n "$ses" ] && grep -q '"subject":"ssh-login-subject-0001"' "$E2E_REGISTRY/$ses" &&
	grep -q '"closed":2000000' "$E2E_REGISTRY/$ses"
ok $? "closed_entry_stays_bound: a sudo with another identity does not rewrite a closed entry"
PLANT=
# --- sudo's journal entries are root's (_UID=0), so oidc-audit search shows them --
found=1
for ((i = 0; i < 50; i++)); do
	out=$("$B/auditd-helper/oidc-audit" search --session "$sudo_ses" 2>/dev/null)
	if grep -q "logged in as alice via sudo" <<<"$out" && grep -q "logged out as alice via sudo" <<<"$out"; then
		found=0
		break
	fi
	sleep 0.1
done
[ -n "$sudo_ses" ] && [ "$found" = 0 ]
ok $? "sudo_entries_in_oidc_audit_search: sudo's login and logout (session ${sudo_ses:-?}) are root's entries in oidc-audit search"
"$B/auditd-helper/oidc-audit" search --user alice --since "@$since" 2>/dev/null | grep -q "login-failed.*via sudo"
ok $? "sudo's login-failed entry is root's too and shown by oidc-audit search"
finish
