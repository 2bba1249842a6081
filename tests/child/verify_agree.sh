#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# One verdict for every token: each ID token of the verifier's corpus
# (tests/idp/corpus.js: every algorithm, explicit typing, hostile headers,
# signatures, structure, claims) is taken through the login path the module
# runs (pam-oidc login -> login_flow_run, against a live provider that
# serves it) and through pam-oidc verify (the same provider's JWKS).  Both
# must give the verdict the specifications demand, and the same reason.
. "${top_srcdir:?}/tests/child/lib.sh"
command -v node >/dev/null || skip_all "node is not installed"
ct_init
PAM_OIDC=$top_builddir/pam_oidc/pam-oidc
CORPUS=$CT_DIR/corpus
mkdir -p "$CORPUS"

mb_start corpus --corpus "$CORPUS" --pending 0 --interval 1 || bail "misbehave.js"
node "$top_srcdir/tests/idp/corpus.js" --dir "$CORPUS" --issuer "$MB_ISSUER" --username daemon \
	>/dev/null || bail "corpus.js"

# one_case NAME: both verdicts of one case into $CT_DIR/res/NAME.{login,verify}
# as "ADMIT" or "REFUSE <reason>: <message>"; the clock reading in a time
# claim's message is masked (the two runs may fall in different seconds).
one_case() {
	local name=$1 d=$CT_DIR/res/$1
	mkdir -p "$d"
	ct_conf "$d/conf" "issuer=$MB_ISSUER" "client_id=$name" "ca_file=$CT_DIR/certs/ca.pem" \
		"cache_dir=$d/cache-login" poll_interval=1 timeout=20
	"$PAM_OIDC" login --config "$d/conf" --user daemon >"$d/login.out" 2>&1
	if grep -Eq '^\[ *[0-9.]+s\] verdict +ADMIT daemon$' "$d/login.out"; then
		echo ADMIT
	else
		sed -n 's/^\[ *[0-9.]*s\] verdict *REFUSE daemon (\(.*\))$/REFUSE \1/p' "$d/login.out"
	fi | sed 's/(now [0-9]*,/(now T,/' >"$d/login"
	sed -i 's|^cache_dir = .*|cache_dir = '"$d"'/cache-verify|' "$d/conf"
	if "$PAM_OIDC" verify --config "$d/conf" <"$CORPUS/$name.jwt" >"$d/verify.out" 2>"$d/verify.err"; then
		echo ADMIT
	else
		sed -n 's/^pam-oidc: \(.*\)$/REFUSE \1/p' "$d/verify.err"
	fi | sed 's/(now [0-9]*,/(now T,/' >"$d/verify"
}

# The logins poll once a second: run the cases eight at a time (waiting
# for the cases only: the provider is a background job too).
batch=()
while read -r name _; do
	one_case "$name" &
	batch+=($!)
	if [ ${#batch[@]} -eq 8 ]; then
		wait "${batch[@]}"
		batch=()
	fi
done <"$CORPUS/cases"
[ ${#batch[@]} -eq 0 ] || wait "${batch[@]}"

while read -r name want; do
	d=$CT_DIR/res/$name
	login=$(cat "$d/login") verify=$(cat "$d/verify")
	st=0
	[ "${login%% *}" = "$want" ] && [ "$login" = "$verify" ] || st=1
	if [ $st -ne 0 ]; then
		TAP_LOG=$d/login.out
		echo "# login:  $login"
		echo "# verify: $verify"
		sed 's/^/# verify stderr: /' "$d/verify.err"
	fi
	ok $st "$name: $want by both entry points (${login:-no verdict})"
done <"$CORPUS/cases"

finish
