#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The fault matrix: one login per fault of the provider or the network,
# through pam_oidc.so under the real libpam (pam_wrapper + libpamtest,
# tests/pam/pamtest_run) and the real oidc-child, against the scripted
# provider (tests/idp/misbehave.js) or a bare TCP listener.  Each row must
# fail closed with its PAM code (PAM_AUTHINFO_UNAVAIL for infrastructure,
# PAM_AUTH_ERR for a token that fails a check), tell the person why in an
# error message that holds no secret, and end within a bound derived from
# the timeouts below.  The measured table is printed as TAP comments;
# pam_oidc(8), FAULTS, holds a copy.  The rows run in parallel, each with
# its own provider and cache.  Needs root like tests/pam/pam_oidc.sh (the
# cache and the root-only files of the child).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/idp/lib.sh"

B=$top_builddir
MODULE=$B/pam_oidc/.libs/pam_oidc.so
CHILD=$B/pam_oidc/oidc-child
RUN=$B/tests/pam/pamtest_run
USER_=daemon		# a local account that exists everywhere; no row logs in

# The configuration every row runs with; the bounds are derived from it.
CONNECT=2		# connect_timeout
HTTP=3			# http_timeout
TIMEOUT=10		# timeout (its minimum)
POLL=1			# poll_interval
SLACK=1500		# ms for starting pamtest_run, oidc-child and TLS on a busy machine

[ "$(id -u)" -eq 0 ] || skip_all "needs root (the child's cache and files must belong to root)"
command -v node >/dev/null || skip_all "node is not installed"
for f in "$MODULE" "$CHILD" "$RUN"; do
	[ -e "$f" ] || skip_all "$f is missing"
done
# a PAM service line cannot hold a space, and the checkout may have one
. "$top_srcdir/tests/lib/pubcopy.sh"
pub_build pam_oidc/.libs/pam_oidc.so pam_oidc/oidc-child || bail "cannot copy the module"
MODULE=$PUB_BUILD/pam_oidc/.libs/pam_oidc.so
CHILD=$PUB_BUILD/pam_oidc/oidc-child
getent passwd "$USER_" >/dev/null || skip_all "no local account $USER_"

T=$(mktemp -d /tmp/pam_oidc-faults.XXXXXX) || exit 1
chmod 700 "$T"
at_exit rm -rf "$T"
at_exit reap
mkdir -m 700 "$T/svc" "$T/rows"
echo "auth required pam_deny.so" >"$T/svc/other"
sh "$top_srcdir/tests/lib/mkcerts.sh" "$T/certs" wrongname wrong.example || bail "mkcerts"
sh "$top_srcdir/tests/lib/mkcerts.sh" "$T/otherca" || bail "mkcerts"
CA=$T/certs/ca.pem

# In a sanitizer build the ASan runtime must be loaded before pam_wrapper.
ASAN_LIB=$(ldd "$RUN" 2>/dev/null | awk '/libasan/ { print $3 }')
PRELOAD=${ASAN_LIB:+$ASAN_LIB:}libpam_wrapper.so
[ -n "$ASAN_LIB" ] && export PAM_WRAPPER_DISABLE_DEEPBIND=1

# row_id NAME: the row's folder and PAM service name (Linux-PAM looks
# services up in lower case): lower case, _ for spaces.
row_id() {
	local id=${1,,}
	echo "${id// /_}"
}

# provider NAME SCENARIO [misbehave.js options]: start misbehave.js for row
# NAME with the test certificate (CERTS overrides the folder); sets ISS.
provider() {
	local d
	d=$T/rows/$(row_id "$1")
	shift
	mkdir -p "$d"
	mb_launch "$d" "${CERTS:-$T/certs}" "$@" || bail "misbehave.js $1 did not start"
	# keep it running beside the next row's provider; reap stops it at exit
	MB_PID=
	ISS=$MB_ISSUER
	echo "$MB_LOG" >"$d/mblog"
}

# listener FILE: a TCP listener on a kernel-chosen loopback port that
# accepts connections and never answers (a blackhole); its port in FILE.
listener() {
	spawn node -e '
		const net = require("net"), fs = require("fs");
		const held = [];
		const s = net.createServer((c) => { held.push(c); c.on("error", () => {}); });
		s.listen(0, "127.0.0.1", () => {
			fs.writeFileSync(process.argv[1] + ".tmp", `${s.address().port}\n`);
			fs.renameSync(process.argv[1] + ".tmp", process.argv[1]);
		});
		setInterval(() => { try { process.kill(Number(process.argv[2]), 0); } catch (e) { process.exit(0); } }, 500);
	' "$1" $$ >/dev/null 2>&1 </dev/null
	wait_for -p $! 10 test -s "$1" || bail "the TCP listener did not start"
}

# A loopback port nothing listens on: the kernel's pick, closed again.
closed_port() {
	node -e 'const s = require("net").createServer();
		s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# attempt ID ISSUER N: login N of row ID (see row_id; also its PAM service), output in $T/rows/ID/out.N and err.N (pam_wrapper's
# syslog lines are there at debug level 2).
attempt() {
	local name=$1 iss=$2 n=$3 d=$T/rows/$1
	echo "auth required $MODULE child_path=$CHILD issuer=$iss client_id=misbehave ca_file=$CA cache_dir=$d/cache poll_interval=$POLL timeout=$TIMEOUT http_timeout=$HTTP connect_timeout=$CONNECT qr=off fail_delay=0 pending_dir=$d/pending registry_dir=$d/sessions" \
		>"$T/svc/$name"
	LD_PRELOAD=$PRELOAD PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR=$T/svc PAM_WRAPPER_DEBUGLEVEL=2 \
		timeout 60 "$RUN" "$name" "$USER_" enter >"$d/out.$n" 2>"$d/err.$n"
}

# row NAME WANT BOUND_MS ISSUER [LOGINS]: run the row's logins one after
# the other (in the background: wait collects them).
ROWS=()
ROW_PIDS=()
row() {
	local id want=$2 bound=$3 iss=$4 logins=${5:-1} n
	id=$(row_id "$1")
	mkdir -p "$T/rows/$id"
	printf '%s %s %s\n' "$want" "$bound" "$logins" >"$T/rows/$id/want"
	ROWS+=("$1")
	(
		for ((n = 1; n <= logins; n++)); do
			attempt "$id" "$iss" "$n"
		done
	) &
	ROW_PIDS+=("$!")
}

# --- the faults ---------------------------------------------------------------
U=PAM_AUTHINFO_UNAVAIL
A=PAM_AUTH_ERR
ONE=$((POLL * 1000 + SLACK))	# one poll, then the answer

# The control: the same configuration against a good provider logs in, so
# no row below fails for a reason of the harness's own.
provider control ok --pending 0
attempt control "$ISS" 1 &
CONTROL_PID=$!
# The faults.  unknown CA, name mismatch and redirect put a good provider
# behind the fault: verifying or following less would log in.
provider "provider down" die_polling --pending 1
row "provider down" $U $((2 * POLL * 1000 + SLACK)) "$ISS"
row "closed port" $U "$SLACK" "https://127.0.0.1:$(closed_port)"
listener "$T/blackhole.port"
row "blackhole" $U $((CONNECT * 1000 + SLACK)) "https://127.0.0.1:$(cat "$T/blackhole.port")"
provider "slow body" slow_body
row "slow body" $U $((HTTP * 1000 + SLACK)) "$ISS"
provider "oversized body" oversized --pending 0
row "oversized body" $U "$ONE" "$ISS"
provider "malformed JSON" malformed --pending 0
row "malformed JSON" $U "$ONE" "$ISS"
provider "HTTP 500" http500 --pending 0
row "HTTP 500" $U "$ONE" "$ISS"
CERTS=$T/otherca provider "unknown CA" ok --pending 0
row "unknown CA" $U "$SLACK" "$ISS"
CERTS=$T/certs/wrongname provider "name mismatch" ok --pending 0
row "name mismatch" $U "$SLACK" "$ISS"
provider redirect redirect --pending 0
row redirect $U "$SLACK" "$ISS"
provider "slow_down storm" slow_down_storm
row "slow_down storm" $A $((TIMEOUT * 1000 + SLACK)) "$ISS"
provider "kid storm" kid_storm
row "kid storm" $U "$ONE" "$ISS" 4
provider "JWKS 404" jwks_404 --pending 0
row "JWKS 404" $U "$ONE" "$ISS"
provider "issuer mismatch" issuer_slash --pending 0
row "issuer mismatch" $U "$SLACK" "$ISS"
provider "clock ahead" skew_ahead
row "clock ahead" $A "$ONE" "$ISS"
provider "clock behind" skew_behind
row "clock behind" $A "$ONE" "$ISS"
wait "${ROW_PIDS[@]}" "$CONTROL_PID"

# --- the verdicts -----------------------------------------------------------
# What the person was told: the PAM_ERROR_MSG texts of the login (style 3).
told() {
	sed -n 's/^msg 3 //p' "$1" | tr '\n' ' ' | sed 's/ $//'
}

# The secrets of the row's provider, one a line: the device code and the
# signatures and access tokens it issued.
secrets() {
	local log
	log=$(cat "$T/rows/$(row_id "$1")/mblog" 2>/dev/null) || return 0
	sed -n -e 's/.*device_code=//p' -e 's/.*id_token_sig=\([^ ]*\).*/\1/p' \
		-e 's/.*access_token=\([^ ]*\).*/\1/p' "$log"
}

TABLE=$T/table
printf '%-16s | %-20s | %-10s | %6s | %6s | %s\n' fault "PAM code" reason ms bound \
	"message shown" >"$TABLE"
plan $((${#ROWS[@]} + 1))
TAP_LOG=$T/rows/control/out.1
grep -qx 'auth PAM_SUCCESS' "$TAP_LOG" && ! grep -q '^msg 3 ' "$TAP_LOG"
ok $? "control: the matrix's configuration logs in at a good provider, with no error message"
for name in "${ROWS[@]}"; do
	d=$T/rows/$(row_id "$name")
	read -r want bound logins <"$d/want"
	st=0
	why=()
	worst=0
	reasons=
	for ((n = 1; n <= logins; n++)); do
		code=$(sed -n 's/^auth //p' "$d/out.$n")
		ms=$(sed -n 's/^total_ms //p' "$d/out.$n")
		msg=$(told "$d/out.$n")
		reason=$(sed -n 's/.*failed (\([a-z_]*\)).*/\1/p' "$d/err.$n" | head -n 1)
		[ "$code" = "$want" ] || { st=1; why+=("login $n: ${code:-no answer}, want $want"); }
		[ -n "$ms" ] || ms=999999
		[ "$ms" -le "$bound" ] || { st=1; why+=("login $n: $ms ms, bound $bound ms"); }
		[ -n "$msg" ] || { st=1; why+=("login $n: no error message was shown"); }
		if grep -q 'eyJ' <<<"$msg"; then
			st=1
			why+=("login $n: a token in the message")
		fi
		while read -r s; do
			[ -n "$s" ] && grep -qF -- "$s" <<<"$msg" &&
				{ st=1; why+=("login $n: a device code or token in the message"); }
		done < <(secrets "$name")
		[ "$ms" -gt "$worst" ] && worst=$ms
		reasons="$reasons ${reason:-?}"
	done
	extra=
	case $name in
	"provider down")
		# it died in the middle: after the code was shown
		grep -q '^msg 2 Open https://.* enter the code ' "$d/out.1" ||
			{ st=1; why+=("the code was never shown: not a failure in the middle"); }
		;;
	"kid storm")
		# a new kid per token: one refetch, then the throttle holds
		n=$(grep -c ' /jwks ' "$(cat "$d/mblog")")
		[ "$n" -le 2 ] || { st=1; why+=("$n JWKS fetches for $logins logins, want at most 2"); }
		extra=", $n JWKS fetches for $logins logins (reasons$reasons)"
		;;
	"slow_down storm")
		# each slow_down adds 5 s: polls at 1 s and 7 s, none later
		n=$(grep -c ' /token ' "$(cat "$d/mblog")")
		[ "$n" -le 2 ] || { st=1; why+=("$n polls, want at most 2"); }
		extra=", $n polls"
		;;
	redirect)
		n=$(grep -c 'moved=1\|openid-configuration discovery' "$(cat "$d/mblog")")
		[ "$n" -eq 0 ] || { st=1; why+=("the redirect was followed"); }
		;;
	esac
	printf '%-16s | %-20s | %-10s | %6s | %6s | %s\n' "$name" "$code" "${reason:-?}" "$worst" \
		"$bound" "$msg" >>"$TABLE"
	TAP_LOG=$d/out.1
	ok $st "$name: $code (${reason:-?}) in $worst ms, bound $bound ms$extra" "${why[@]}"
done
TAP_LOG=
diag "connect_timeout=$CONNECT http_timeout=$HTTP timeout=$TIMEOUT poll_interval=$POLL, slack $SLACK ms"
diag <"$TABLE"
finish
