#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The journald catalog explains every MESSAGE_ID of common/journal_names.h and
# is accepted by journalctl; the plugin conf and the rules say what they must.
set -u
src=${top_srcdir:-.}
. "$src/tests/lib/tap.sh"
. "$src/tests/lib/procs.sh"
tmp=$(mktemp -d /tmp/audit_contrib.XXXXXX)
at_exit rm -rf "$tmp"
plan 9

ids=$(sed -n 's/^#define OIDC_MESSAGE_ID_[A-Z_]*[[:space:]]*"\([0-9a-f]\{32\}\)"$/\1/p' "$src/common/journal_names.h")
missing=0 count=0
for id in $ids; do
	count=$((count + 1))
	grep -qx -- "-- $id" "$src/contrib/journald/pam_oidc.catalog" || missing=$((missing + 1))
done
if [ "$count" -eq 6 ] && [ "$missing" -eq 0 ]; then pass "catalog has all 6 message ids"; else fail "catalog has all 6 message ids ($count ids, $missing missing)"; fi
extra=$(grep -c '^-- [0-9a-f]\{32\}$' "$src/contrib/journald/pam_oidc.catalog")
if [ "$extra" -eq "$count" ]; then pass "catalog has no unknown ids"; else fail "catalog has no unknown ids ($extra entries)"; fi

mkdir -p "$tmp/root/usr/lib/systemd/catalog" "$tmp/root/var/lib/systemd/catalog"
cp "$src/contrib/journald/pam_oidc.catalog" "$tmp/root/usr/lib/systemd/catalog/"
if journalctl --root="$tmp/root" --update-catalog 2>"$tmp/err" &&
   [ "$(journalctl --root="$tmp/root" --list-catalog 2>/dev/null | grep -c .)" -eq 6 ]; then
	pass "journalctl compiles the catalog with 6 entries"
else
	fail "journalctl compiles the catalog with 6 entries: $(head -c 300 "$tmp/err")"
fi

conf=$src/contrib/audit/plugins.d/oidc-audit.conf.in
if grep -qx 'active = yes' "$conf" && grep -qx 'direction = out' "$conf" &&
   grep -qx 'format = string' "$conf" && grep -qx 'type = always' "$conf" &&
   grep -qx 'path = @sbindir@/oidc-audit' "$conf"; then pass "plugin conf"; else fail "plugin conf"; fi

rules=$src/contrib/audit/oidc-audit.rules
if grep -q -- '-S execve,execveat -F auid>=1000 -F auid!=unset' "$rules" &&
   grep -qx -- '--loginuid-immutable' "$rules"; then pass "rules: exec for login sessions, loginuid immutable"; else fail "rules"; fi
# A syscall rule covers one ABI: every arch=b64 rule needs its arch=b32
# twin (the same filter and fields; the i386 call names may differ).
unpaired=$(sed -n 's/^\(-a [^ ]*\) -F arch=b64 -S [^ ]* \(.*\)$/\1 \2/p' "$rules" | while read -r r; do
	sed -n 's/^\(-a [^ ]*\) -F arch=b32 -S [^ ]* \(.*\)$/\1 \2/p' "$rules" | grep -qxF -- "$r" || echo "$r"
done)
b64=$(grep -c -- '-F arch=b64' "$rules")
b32=$(grep -c -- '-F arch=b32' "$rules")
if [ -z "$unpaired" ] && [ "$b64" -ge 3 ] && [ "$b64" = "$b32" ]; then pass "rules: an arch=b32 twin of each of the $b64 arch=b64 rules"
else fail "rules: an arch=b32 twin of each arch=b64 rule ($b64 b64, $b32 b32)" "$unpaired"; fi
if grep -qx 'kernel.io_uring_disabled = 2' "$src/contrib/sysctl.d/60-oidc-audit.conf"; then
	pass "sysctl.d drop-in refuses io_uring"; else fail "sysctl.d drop-in refuses io_uring"; fi
if grep -qx 'RateLimitIntervalSec=0' "$src/contrib/journald/oidc-audit.conf"; then
	pass "journald drop-in lifts the rate limit"; else fail "journald drop-in"; fi
# Drift: the configuration keys of auditd-helper/conf.c (its table) and the man page agree.
code=$(grep -o '^	{ "[a-z_]*", AK_' "$src/auditd-helper/conf.c" | sed 's/.*"\(.*\)".*/\1/' | sort -u)
doc=$(sed -n 's/^\.It Cm \([a-z_]*\) No = .*/\1/p' "$src/man/oidc-audit.8" | sort -u)
if [ -n "$code" ] && [ "$code" = "$doc" ]; then pass "oidc-audit.conf keys: code and man page agree ($(echo $code | wc -w))"
else fail "oidc-audit.conf keys: code [$(echo $code)] vs man page [$(echo $doc)]"; fi
finish
