# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Hosts of their own on this machine, for the fleet and sealing tests (root):
# each is a mount, UTS and network namespace with its own host name, its
# own /run (a tmpfs: its registry, journald sockets and drop-ins), its own
# /var/log (so /var/log/journal) and /etc/machine-id, and only a loopback
# until ns_link joins it to another.  Nothing of the machine's own /run,
# journal or network changes; a host ends with its last process.
#
#     . "$top_srcdir/tests/lib/procs.sh"
#     . "$top_srcdir/tests/lib/nshost.sh"
#     at_exit rm -rf "$T"
#     at_exit reap                                # the hosts' processes
#     ns_host web-1 "$T/web-1" || bail "no namespace"
#     ns_journald web-1 'Seal=yes' || bail "no journald on web-1"
#     echo hello | ns_run web-1 systemd-cat      # runs on web-1
#     ns_run web-1 journalctl -o cat              # web-1's journal
#
# The kernel's audit is not namespaced: every host sees one kernel's audit
# events; a host's oidc-audit reads the records it is given.

[ -n "${NSHOST_SH_LOADED:-}" ] && return 0
NSHOST_SH_LOADED=1
declare -gA NS_PID=() NS_DIR=() NS_JOURNALD=()

# ns_usable: true when this machine lets us make the namespaces (root,
# unshare and nsenter of util-linux, ip of iproute2).
ns_usable() {
	[ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v nsenter >/dev/null &&
		command -v ip >/dev/null &&
		unshare --mount --uts --net --propagation private true 2>/dev/null
}

# ns_host NAME DIR: make the host NAME with its files in DIR (created):
# DIR/log is its /var/log, DIR/machine-id its /etc/machine-id (a new
# random id).  Its holding process is spawned (reap ends the host).
# Returns 1, with the reason on stderr, when it does not come up in 10 s.
ns_host() {
	local name=$1 dir=$2 pid
	mkdir -p "$dir/log/journal" || return 1
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$dir/machine-id" && echo >>"$dir/machine-id"
	rm -f "$dir/up"
	# The holder mounts, names the host and then waits; every ns_run
	# enters its namespaces.  tmpfs /run: the machine's sockets, pid files
	# and registry are not this host's.
	_ns_spawn unshare --mount --uts --net --propagation private -- sh -c '
		set -e
		mount -t tmpfs -o mode=0755 tmpfs /run
		mkdir -p /run/systemd/journal /run/systemd/journald.conf.d
		mount --bind "$2/log" /var/log
		mount --bind "$2/machine-id" /etc/machine-id
		hostname "$1"
		ip link set lo up
		: >"$2/up"
		exec sleep infinity' ns-host "$name" "$dir" </dev/null >"$dir/host.log" 2>&1
	pid=$!
	if ! wait_for -p "$pid" 10 test -e "$dir/up"; then
		echo "host $name did not come up: $(cat "$dir/host.log")" >&2
		stop "$pid"
		return 1
	fi
	# unshare (no --fork: no pid namespace) became the holder itself
	NS_PID[$name]=$pid
	NS_DIR[$name]=$dir
}

# ns_run NAME COMMAND [ARG...]: run COMMAND on host NAME (its mounts, host
# name and network; the caller's credentials and working directory).
ns_run() {
	local name=$1
	shift
	nsenter -t "${NS_PID[$name]:?no host $name}" -m -u -n --wd="$PWD" -- "$@"
}

# _ns_spawn COMMAND [ARG...]: spawn, without the audit tests' lock (a
# leftover daemon must not hold it).
_ns_spawn() {
	if [ -n "${LOCK_AUDIT_FD:-}" ]; then
		spawn "$@" {LOCK_AUDIT_FD}>&-
	else
		spawn "$@"
	fi
}

# ns_spawn NAME COMMAND [ARG...]: COMMAND in the background on host NAME,
# as spawn does (its pid in $!, stop and reap end it).
ns_spawn() {
	local name=$1
	shift
	_ns_spawn nsenter -t "${NS_PID[$name]:?no host $name}" -m -u -n --wd="$PWD" -- "$@"
}

# ns_journald NAME [SETTING...]: start NAME's own systemd-journald with a
# drop-in of the [Journal] SETTINGs (besides persistent storage, no rate
# limit and no kernel log: the machine's kernel messages are not this
# host's); 0 once it answers journalctl --sync and has moved to
# /var/log/journal (journalctl --flush, as systemd-journal-flush.service
# does at boot).  Its pid is left in
# NS_JOURNALD[NAME]; ns_journald_stop stops it, ns_journald starts it again.
ns_journald() {
	local name=$1 dir=${NS_DIR[$1]:?no host $1} s
	shift
	{
		printf '[Journal]\nStorage=persistent\nRateLimitIntervalSec=0\nReadKMsg=no\n'
		for s in "$@"; do printf '%s\n' "$s"; done
	} | ns_run "$name" sh -c 'cat >/run/systemd/journald.conf.d/50-test.conf'
	ns_spawn "$name" /lib/systemd/systemd-journald </dev/null >>"$dir/journald.log" 2>&1
	NS_JOURNALD[$name]=$!
	wait_for -p "${NS_JOURNALD[$name]}" 10 ns_run "$name" journalctl --sync 2>/dev/null &&
		ns_run "$name" journalctl --flush 2>/dev/null
}

# ns_journald_stop NAME: stop NAME's journald (SIGTERM; it flushes and
# closes its files) and wait for it.
ns_journald_stop() {
	stop "${NS_JOURNALD[$1]:-}"
	NS_JOURNALD[$1]=
}

# ns_link A ADDR_A B ADDR_B: a veth pair between hosts A and B, with the
# IPv4 addresses ADDR_A and ADDR_B (CIDR, e.g. 10.217.0.1/24), both up.
# Addresses only exist inside the two hosts.
ns_link() {
	local a=$1 aa=$2 b=$3 ba=$4 va vb
	va=v${RANDOM}a vb=v${RANDOM}b
	ns_run "$a" ip link add "$va" type veth peer name "$vb" &&
		ns_run "$a" ip link set "$vb" netns "${NS_PID[$b]}" &&
		ns_run "$a" ip addr add "$aa" dev "$va" && ns_run "$a" ip link set "$va" up &&
		ns_run "$b" ip addr add "$ba" dev "$vb" && ns_run "$b" ip link set "$vb" up
}
