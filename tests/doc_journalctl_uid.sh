#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Every journalctl example in the manual that matches OIDC_* or MESSAGE_ID
# fields also matches _UID=0: anyone can log a message with those fields,
# and only journald's trusted _UID=0 makes an entry evidence.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
docs="$top_srcdir/README.md $(ls "$top_srcdir"/man/*.[0-9])"
plan "$(echo $docs | wc -w)"
for d in $docs; do
	bad=$(grep -n 'journalctl' "$d" | grep -E '(OIDC_[A-Z0-9_]+|MESSAGE_ID)=' | grep -v '_UID=0')
	if [ -z "$bad" ]; then
		pass "$(basename "$d"): every journalctl example matches _UID=0"
	else
		fail "$(basename "$d"): journalctl examples without _UID=0" "$bad"
	fi
done
finish
