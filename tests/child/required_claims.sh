#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# required_claims through the real login path (oidc-child and pam-oidc
# login against tests/idp/misbehave.js): with username_claim = email, a
# consumer Google account registered on an @example.com address has that
# email but no hd claim; required_claims = hd=example.com refuses it and
# admits the account the Workspace manages.
. "${top_srcdir:?}/tests/child/lib.sh"
command -v node >/dev/null || skip_all "node is not installed"
ct_init
PAM_OIDC=$top_builddir/pam_oidc/pam-oidc
google="username_claim=email username_domain=example.com"
plan 10

# hd SCENARIO VERDICT NAME [key=value...]: oidc-child's verdict for the scenario
hd() {
	local sc=$1 want=$2 name=$3
	shift 3
	mb_start "$sc" --pending 0 || bail "misbehave.js"
	# shellcheck disable=SC2086 # $google is a list of key=value words
	mb_conf $google "$@"
	ct_run
	ct_expect "$name" "$want" 4000
}

hd hd_workspace ok "Workspace account (hd example.com): admitted" required_claims=hd=example.com
grep -qx 'user daemon' "$CT_OUT"
ok $? "Workspace account: mapped from its email to daemon"

hd hd_consumer claim "consumer account, same email, no hd: refused" required_claims=hd=example.com
grep -q '^fail claim .*claim hd is required (required_claims) but missing' "$CT_OUT"
ok $? "consumer account: the reason names the missing claim"

hd hd_other claim "account of another Workspace: refused" required_claims=hd=example.com
st=0
grep -q "^fail claim .*claim hd is not the required value 'example.com'" "$CT_OUT" || st=1
grep -q 'evil' "$CT_OUT" && st=1
ok $st "another Workspace: the reason names the claim, not the token's value"

# what the option closes: without it the consumer account passes as daemon
hd hd_consumer ok "without required_claims the consumer account passes"

# a malformed value is refused at load, before the provider is asked
hd hd_workspace config "required_claims without '=' is a configuration error" required_claims=hd
! grep -q ' discovery$' "$MB_LOG"
ok $? "a malformed required_claims: the provider is never contacted"

# pam-oidc login runs the same policy
mb_start hd_consumer --pending 0 || bail "misbehave.js"
# shellcheck disable=SC2086
mb_conf $google required_claims=hd=example.com
TAP_LOG=$CT_DIR/login.out
timeout 30 "$PAM_OIDC" login --config "$CT_DIR/conf" --user daemon >"$TAP_LOG" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q 'claim hd is required (required_claims) but missing' "$TAP_LOG"
ok $? "pam-oidc login refuses the consumer account too (exit $rc)"
finish
