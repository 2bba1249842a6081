#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The namespaced hosts of tests/lib/nshost.sh are hosts of their own: host
# name and machine id, a journald whose entries stay in that host's
# journal (not the machine's, not another host's), a network that reaches
# only the hosts it is linked to, and nothing left when the test ends.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/lib/nshost.sh"
ns_usable || skip_all "needs root and namespaces (unshare, nsenter, ip)"
[ -x /lib/systemd/systemd-journald ] || skip_all "no systemd-journald"
T=$(mktemp -d /tmp/pam_oidc-nshost.XXXXXX) || bail "mktemp"
at_exit rm -rf "$T"
at_exit reap
tag=nshost-$$-$RANDOM
plan 6

ns_host web-1 "$T/w1" && ns_host web-2 "$T/w2" || bail "the hosts did not come up"
[ "$(ns_run web-1 hostname)" = web-1 ] && [ "$(ns_run web-2 hostname)" = web-2 ] &&
	[ "$(hostname)" != web-1 ] &&
	[ "$(ns_run web-1 cat /etc/machine-id)" != "$(cat /etc/machine-id)" ] &&
	[ "$(ns_run web-1 cat /etc/machine-id)" != "$(ns_run web-2 cat /etc/machine-id)" ]
ok $? "each host has its own host name and machine id"

ns_journald web-1 || bail "web-1's journald did not start: $(cat "$T/w1/journald.log")"
ns_journald web-2 || bail "web-2's journald did not start: $(cat "$T/w2/journald.log")"
echo "hello $tag" | ns_run web-1 systemd-cat -t "$tag"
ns_run web-1 journalctl --sync
[ "$(ns_run web-1 journalctl -o cat -t "$tag")" = "hello $tag" ] &&
	[ "$(ns_run web-1 journalctl -o export -t "$tag" | sed -n 's/^_HOSTNAME=//p')" = web-1 ]
ok $? "an entry written on web-1 is in web-1's journal, with its host name"

m=$(journalctl -q -o cat -t "$tag" 2>/dev/null | wc -l)
o=$(ns_run web-2 journalctl -q -o cat -t "$tag" | wc -l)
[ "$m" = 0 ] && [ "$o" = 0 ]
ok $? "and not in the machine's journal ($m) nor in web-2's ($o)"

mid=$(ns_run web-1 cat /etc/machine-id)
ns_journald_stop web-1
[ -s "$T/w1/log/journal/$mid/system.journal" ] &&
	journalctl --file "$T/w1/log/journal/$mid/system.journal" -o cat -t "$tag" | grep -qx "hello $tag"
ok $? "web-1's journal is a persistent file in its own /var/log/journal/MACHINE-ID"

ns_link web-1 10.217.0.1/24 web-2 10.217.0.2/24 || bail "no link"
out=$(ns_run web-2 bash -c 'exec 3<>/dev/tcp/10.217.0.1/9' 2>&1)
own=$(ip -br addr | grep -c '10\.217\.')
grep -q "Connection refused" <<<"$out" && [ "$own" = 0 ]
ok $? "linked hosts reach each other's address (refused, not unreachable); the machine has no such address" "$out"

# the hosts end with their processes
reap
sleep 0.2
left=$(pgrep -f "ns-host web-[12] $T" | wc -l)
[ "$left" = 0 ] && ! ip -br link | grep -q '^v[0-9]*[ab]'
ok $? "after reap nothing of the hosts is left (processes $left, links)"
finish
