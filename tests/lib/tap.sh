# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# TAP output for the shell tests (automake's tap-driver.sh reads it).
#
#     . "$top_srcdir/tests/lib/tap.sh"
#     plan 3                       # or no plan: finish prints it at the end
#     [ "$got" = want ]; ok $? "got what we wanted"
#     pass "this one cannot fail"
#     fail "this one did" "exit $rc (want 0)"
#     finish                       # exit 0, or 1 after a failure
#
# State, for reading only: TAP_N (tests so far), TAP_FAILED (how many
# failed), TAP_PLAN (the planned number, empty without a plan).  A test may
# set TAP_LOG to a file that is shown as diagnostics under every failure
# (the output of the command the test just ran, typically).

[ -n "${TAP_SH_LOADED:-}" ] && return 0
TAP_SH_LOADED=1
TAP_N=0
TAP_FAILED=0
TAP_PLAN=

# plan N: announce N tests (before the first one).
plan() {
	TAP_PLAN=$1
	echo "1..$1"
}

# skip_all REASON: the whole test cannot run here; exits 0 (TAP "SKIP").
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# diag [LINE...]: each LINE, or stdin without arguments, as TAP diagnostics
# ("# " before every line, so nothing in it can pass for a result).
diag() {
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" | sed 's/^/# /'
	else
		sed 's/^/# /'
	fi
}

# pass NAME: one passed test.
pass() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}

# fail NAME [LINE...]: one failed test, the LINEs and then $TAP_LOG (when
# it names a file) as its diagnostics.
fail() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	shift
	[ $# -gt 0 ] && diag "$@"
	if [ -n "${TAP_LOG:-}" ] && [ -f "$TAP_LOG" ]; then
		diag <"$TAP_LOG"
	fi
	return 0
}

# ok STATUS NAME [LINE...]: passed when STATUS is 0 (write `CONDITION;
# ok $? NAME`), failed otherwise, with fail's diagnostics.
ok() {
	local st=$1
	shift
	if [ "$st" -eq 0 ]; then
		pass "$1"
	else
		fail "$@"
	fi
}

# bail REASON: stop the whole test now ("Bail out!"), exit 1.
bail() {
	echo "Bail out! $1"
	exit 1
}

# finish: the end of the test.  Prints the plan when there was none, and
# exits 1 when a test failed or the count differs from the plan, else 0.
finish() {
	if [ -z "$TAP_PLAN" ]; then
		echo "1..$TAP_N"
	elif [ "$TAP_N" -ne "$TAP_PLAN" ]; then
		diag "ran $TAP_N tests, planned $TAP_PLAN"
		exit 1
	fi
	[ "$TAP_FAILED" -eq 0 ] && exit 0
	exit 1
}
