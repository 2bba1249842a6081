#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The person's side of the device flow in a real browser: pam-oidc login
# against the real test provider, the link and code it prints opened in
# Debian's chromium (headless, tests/idp/chromium-approve.js), the code
# typed, alice signed in and the request allowed.  Admitted as alice; a
# denial in the browser refused; a wrong code shows the provider's error
# page and approves nothing; a provider whose CA the browser does not
# trust does not load; a link carrying another code is not approved.
# A PNG of every page is kept in $top_builddir/tests/e2e/browser-screens/.
# Root (local account alice); SKIP without chromium.
. "${top_srcdir:?}/tests/child/lib.sh"
idp_chromium_available || skip_all "$IDP_SKIP_REASON"
[ "$(id -u)" = 0 ] || skip_all "needs root (creates the local account alice)"
ct_init
idp_start --device-ttl 60 || bail "no provider"
acct_ensure alice || bail "cannot create user alice"
PAM_OIDC=$top_builddir/pam_oidc/pam-oidc
CONF=$CT_DIR/conf
ct_conf "$CONF" "issuer=$IDP_ISSUER" client_id=test-es256 "ca_file=$IDP_CA" \
	"cache_dir=$CT_DIR/cache" poll_interval=1 timeout=40 show_complete_uri=yes
SHOTS=${top_builddir:?}/tests/e2e/browser-screens
rm -rf "$SHOTS"
# chromium-approve.js makes its throwaway profile here; the browser's user
# must be able to reach it, and the test checks that nothing is left.
BTMP=$(mktemp -d /tmp/pam_oidc-browser.XXXXXX) || bail "mktemp"
chmod 711 "$BTMP"
at_exit rm -rf "$BTMP"
CURL=(curl -s --max-time 10 --noproxy '*' --cacert "$IDP_CA")

# browser CASE [chromium-approve.js options] USER_CODE ACCOUNT: one approval
# in chromium with its screenshots in $SHOTS/CASE; sets BRC and BOUT.
browser() {
	local case=$1
	shift
	BOUT=$CT_DIR/browser-$case.out
	TMPDIR=$BTMP timeout 120 node "$IDP_SRC/chromium-approve.js" --issuer "$IDP_ISSUER" \
		--ca "$IDP_CA" --screenshots "$SHOTS/$case" "$@" >"$BOUT" 2>&1
	BRC=$?
	diag "$(cat "$BOUT")"
}

# login CASE [chromium-approve.js options]: pam-oidc login --user alice,
# approved in chromium as alice at the link it prints (the complete link
# when given --complete); sets RC, OUT, BRC, BOUT and URI.
login() {
	local case=$1 pid code uri_c
	shift
	OUT=$CT_DIR/login-$case.out
	TAP_LOG=$OUT
	spawn "$PAM_OIDC" login --config "$CONF" --user alice >"$OUT" 2>&1
	pid=$!
	wait_for -p "$pid" 10 code_shown
	URI=$(sed -n 's/^ *To sign in, open  //p' "$OUT")
	uri_c=$(sed -n 's/^ *(or open  \(.*\) )$/\1/p' "$OUT")
	if [ "${1:-}" = --complete ]; then
		shift
		URI=$uri_c
	fi
	BRC=
	[ -n "$code" ] && [ -n "$URI" ] && browser "$case" --uri "$URI" "$@" "$code" alice
	wait "$pid"
	RC=$?
}

# code_shown: pam-oidc login printed the code; sets code.
code_shown() {
	code=$(sed -n 's/^ *and enter the code  *//p' "$OUT")
	[ -n "$code" ]
}

# png FILE...: each FILE is a PNG image of some size.
png() {
	local f
	for f in "$@"; do
		[ "$(head -c 8 "$f" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || return 1
		[ "$(stat -c %s "$f")" -gt 2000 ] || return 1
	done
}

# watch_browser: every 0.1 s until stopped, the user each main chromium
# process of this test runs as (the ones with their profile under $BTMP),
# and whether it has its sandbox, appended to $CT_DIR/ps.
watch_browser() {
	while :; do
		ps -eo user=,args= | grep -F -- "--user-data-dir=$BTMP/" | grep -v -e grep -e setpriv |
			awk '{ print $1, (/--no-sandbox/ ? "no-sandbox" : "sandbox") }' >>"$CT_DIR/ps"
		sleep 0.1
	done
}

# pending DEVICE_CODE: the token endpoint still says authorization_pending.
pending() {
	"${CURL[@]}" -d grant_type=urn:ietf:params:oauth:grant-type:device_code -d client_id=test-es256 \
		-d device_code="$1" "$IDP_ISSUER/token" | grep -q '"error":"authorization_pending"'
}

# device_authorization: a device code of our own (no pam-oidc), for the
# cases where nothing may be approved; sets DC, UC and UC_URI.
device_authorization() {
	local da
	da=$("${CURL[@]}" -d client_id=test-es256 -d scope=openid "$IDP_ISSUER/device/auth")
	DC=$(idp_json_get device_code <<<"$da")
	UC=$(idp_json_get user_code <<<"$da")
	UC_URI=$(idp_json_get verification_uri_complete <<<"$da")
}

# --- approved in the browser: admitted as alice
: >"$CT_DIR/ps"
spawn watch_browser
watcher=$!
login approve
stop "$watcher"
[ "$BRC" = 0 ] && [ "$RC" -eq 0 ] && grep -Eqx '\[ *[0-9]+\.[0-9]{3}s\] verdict +ADMIT alice' "$OUT" &&
	grep -q '^ *subject   7f6c1a52-alice-0001$' "$OUT"
ok $? "approved in chromium at the printed link: admitted as alice, her subject (browser $BRC, login $RC)"
grep -q "alice: success (5 pages" "$BOUT"
ok $? "the browser went through five pages and saw the provider's success page"
png "$SHOTS"/approve/{01-code,02-confirm,03-login,04-consent,05-success}.png
ok $? "a screenshot of each page: code, confirm, login, consent, success"
TAP_LOG=$CT_DIR/ps
[ "$(sort -u "$CT_DIR/ps")" = "nobody sandbox" ]
ok $? "chromium ran as nobody with its sandbox, never as root"
TAP_LOG=
[ -z "$(ls -A "$BTMP")" ]
ok $? "the throwaway profile is gone afterwards"

# --- denied in the browser: refused
login deny --deny
[ "$BRC" = 0 ] && [ "$RC" -eq 1 ] && grep -Eq '^\[ *[0-9.]+s\] waiting +FAILED +access denied' "$OUT"
ok $? "Abort on the confirmation page in chromium: refused, access denied (browser $BRC, login $RC)"
png "$SHOTS"/deny/{01-code,02-confirm,03-code-aborted}.png
ok $? "screenshots of the denial, down to the provider's aborted page"
login deny-consent --deny=consent
[ "$BRC" = 0 ] && [ "$RC" -eq 1 ] && grep -Eq '^\[ *[0-9.]+s\] waiting +FAILED +access denied' "$OUT"
ok $? "Deny on the consent page in chromium: refused (browser $BRC, login $RC)"

# --- the link with the code filled in (show_complete_uri = yes)
login complete --complete
[ "$BRC" = 0 ] && [ "$RC" -eq 0 ] && [ "${URI#*\?user_code=}" != "$URI" ] &&
	png "$SHOTS"/complete/{01-confirm,02-login,03-consent,04-success}.png
ok $? "approved at the complete link: straight to the confirmation page, admitted (browser $BRC, login $RC)"

# --- nothing approved
TAP_LOG=
device_authorization
browser wrong-code BBBB-CCCC alice
[ "$BRC" = 1 ] && grep -q 'enter user code: code page says "no such code"' "$BOUT" &&
	png "$SHOTS"/wrong-code/{01-code,02-code-no-such-code}.png
ok $? "a wrong code: the provider's error page, exit 1 (browser $BRC)"
pending "$DC"
ok $? "after the wrong code the pending login is still not approved"

sh "$top_srcdir/tests/lib/mkcerts.sh" "$CT_DIR/other" || bail "mkcerts"
TMPDIR=$BTMP node "$IDP_SRC/chromium-approve.js" --issuer "$IDP_ISSUER" --ca "$CT_DIR/other/ca.pem" \
	"$UC" alice >"$CT_DIR/untrusted.out" 2>&1
BRC=$?
TAP_LOG=$CT_DIR/untrusted.out
[ "$BRC" = 1 ] && grep -q 'ERR_CERT_AUTHORITY_INVALID' "$CT_DIR/untrusted.out" && pending "$DC"
ok $? "chromium trusting another CA refuses the provider's certificate; nothing approved"

device_authorization
victim=$DC
victim_code=$UC
device_authorization
TAP_LOG=
browser phished --uri "$UC_URI" "$victim_code" alice
[ "$BRC" = 1 ] && grep -q 'confirm device: the page shows another code' "$BOUT" && pending "$victim" && pending "$DC"
ok $? "a link carrying another code than the terminal's: not confirmed, neither login approved"

[ -z "$(ls -A "$BTMP")" ]
ok $? "no profile left behind by any run"
diag "screenshots: $SHOTS"
finish
