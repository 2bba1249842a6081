# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Processes and cleanup for the shell tests: what runs at exit, background
# processes and bounded waits.
#
#     . "$top_srcdir/tests/lib/procs.sh"
#     T=$(mktemp -d /tmp/pam_oidc-foo.XXXXXX) || bail "mktemp"
#     at_exit rm -rf "$T"
#     at_exit reap                             # runs first: stop what spawn started
#     spawn node server.js >"$T/log" 2>&1      # pid in $!
#     wait_for -p $! 10 test -s "$T/port" || bail "no server"

[ -n "${PROCS_SH_LOADED:-}" ] && return 0
PROCS_SH_LOADED=1
AT_EXIT=()
SPAWNED=()
declare -gA SPAWN_START=()

# at_exit COMMAND [ARG...]: run COMMAND when the test exits, before the
# commands registered earlier (last in, first out).  The first call sets
# the EXIT trap, and makes INT, TERM and HUP exit 1 so that it runs then
# too.  Each command runs once, even when a signal interrupts the cleanup,
# and one that fails does not keep the others from running.
at_exit() {
	if [ -z "${AT_EXIT_TRAP:-}" ]; then
		trap _at_exit_run EXIT
		trap 'exit 1' INT TERM HUP
		AT_EXIT_TRAP=1
	fi
	AT_EXIT=("$(printf '%q ' "$@")" "${AT_EXIT[@]}")
}

_at_exit_run() {
	local c
	while [ ${#AT_EXIT[@]} -gt 0 ]; do
		c=${AT_EXIT[0]}
		AT_EXIT=("${AT_EXIT[@]:1}")
		eval "$c" || :
	done
}

# proc_stat PID: the fields of /proc/PID/stat after the command name
# (field 3, the state, on; the name may hold spaces and parentheses);
# nothing when there is no such process.
proc_stat() {
	local st
	[ -n "$1" ] || return 0
	{ read -r st <"/proc/$1/stat"; } 2>/dev/null || return 0
	printf '%s\n' "${st##*) }"
}

# proc_start PID: the kernel's start time of PID (clock ticks since boot,
# field 22 of /proc/PID/stat); nothing when there is no such process.
proc_start() {
	local st
	st=$(proc_stat "$1")
	[ -n "$st" ] || return 0
	# shellcheck disable=SC2086 # the fields after the command name
	set -- $st
	printf '%s\n' "${20}"
}

# proc_cpu PID: the CPU time PID has used so far, user + system, in clock
# ticks (fields 14 and 15 of /proc/PID/stat, getconf CLK_TCK a second);
# nothing when there is no such process.
proc_cpu() {
	local st
	st=$(proc_stat "$1")
	[ -n "$st" ] || return 0
	# shellcheck disable=SC2086 # the fields after the command name
	set -- $st
	printf '%s\n' $((${12} + ${13}))
}

# spawned_same PID: true unless PID is one spawn started and now names
# another process (same pid, other start time: it exited and the pid was
# reused).
spawned_same() {
	[ -z "${SPAWN_START[$1]+set}" ] || [ "$(proc_start "$1")" = "${SPAWN_START[$1]}" ]
}

# spawn COMMAND [ARG...]: start COMMAND in the background (redirect the
# spawn call to redirect it); its pid is $! and reap stops it.  The start
# time is kept with the pid: bash reaps an exited child at once, and after
# a fork-heavy test (pid_max is 32768) its pid may belong to a process of
# another test, which stop must not signal.
spawn() {
	"$@" &
	SPAWNED+=("$!")
	SPAWN_START[$!]=$(proc_start "$!")
}

# stop PID...: end each PID (SIGTERM) and wait for it; empty arguments
# and processes that are gone already are fine, and a pid spawn started
# that now names another process (same pid, other start time) is left
# alone.  Returns 0.
stop() {
	local p i
	for p in "$@"; do
		[ -n "$p" ] || continue
		spawned_same "$p" && kill "$p" 2>/dev/null
		unset "SPAWN_START[$p]"
		wait "$p" 2>/dev/null
		for i in "${!SPAWNED[@]}"; do
			[ "${SPAWNED[$i]}" = "$p" ] && unset "SPAWNED[$i]"
		done
	done
	return 0
}

# reap: stop every process spawn started.
reap() {
	stop "${SPAWNED[@]}"
	SPAWNED=()
}

# wait_for [-p PID] SECONDS COMMAND [ARG...]: run COMMAND every 0.1 s until
# it succeeds, for at most SECONDS; with -p give up as soon as PID has
# exited.  Returns 0 when COMMAND succeeded, 1 otherwise.
wait_for() {
	local pid='' i tries
	if [ "$1" = -p ]; then
		pid=$2
		shift 2
	fi
	tries=$(($1 * 10))
	shift
	for ((i = 0; i < tries; i++)); do
		"$@" && return 0
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
	return 1
}

# listening PORT: true when something listens on TCP PORT (any address).
listening() {
	ss -Htln "sport = :$1" | grep -q .
}
