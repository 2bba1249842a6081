#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# 20 concurrent ssh logins through sshd, pam_oidc.so, oidc-child and the
# test provider (10 as alice, 10 as bob, each approved by its own account):
# every one must get a shell as the right user, in its own audit session,
# with a registry entry that holds the right subject.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/e2e/sshd_lib.sh"
e2e_init || exit 0

CONCURRENT=${CONCURRENT:-20}
declare -A SUB=([alice]=7f6c1a52-alice-0001 [bob]=2b9e44d0-bob-0002)

e2e_users alice bob || bail "cannot create the test accounts"
e2e_journald || bail "journald is not available"
idp_start || bail "the test provider did not start"
e2e_sshd_start || bail "sshd did not start"

plan 4
pids=()
for ((i = 0; i < CONCURRENT; i++)); do
	u=alice
	((i % 2)) && u=bob
	e2e_login "$u" "$u" approve "$E2E_DIR/c$i.out" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p"
done

shells=0 right=0 registry=0
sessions=()
for ((i = 0; i < CONCURRENT; i++)); do
	u=alice
	((i % 2)) && u=bob
	f=$E2E_DIR/c$i.out
	[ "$(e2e_get result "$f")" = shell ] && shells=$((shells + 1))
	[ "$(e2e_get user "$f")" = "$u" ] && [ "$(e2e_get subject "$f")" = "${SUB[$u]}" ] &&
		right=$((right + 1))
	ses=$(e2e_get sessionid "$f")
	if [ -n "$ses" ]; then
		sessions+=("$ses")
		grep -q "\"subject\":\"${SUB[$u]}\"" "$E2E_REGISTRY/$ses" 2>/dev/null &&
			grep -q "\"user\":\"$u\"" "$E2E_REGISTRY/$ses" && registry=$((registry + 1))
	fi
done
distinct=$(printf '%s\n' "${sessions[@]}" | sort -u | wc -l)

# report COUNT NAME: one test, passed when all CONCURRENT logins count.
report() {
	[ "$1" -eq "$CONCURRENT" ]
	ok $? "$2 ($1/$CONCURRENT)"
}
report "$shells" "concurrent logins all got a shell"
report "$right" "each shell runs as the right user with the right OIDC_SUBJECT"
report "$distinct" "each login has its own audit session"
report "$registry" "each audit session's registry entry holds the right subject"
if [ "$TAP_FAILED" != 0 ]; then
	for ((i = 0; i < CONCURRENT; i++)); do
		sed "s/^/# c$i: /" "$E2E_DIR/c$i.out"
	done
fi
finish
