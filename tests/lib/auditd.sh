# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
# The caller sets tmp, bin and AUID and reads what is set here:
# shellcheck disable=SC2034,SC2154
#
# The harness of the root tests that run oidc-audit under the real kernel
# audit, a real auditd and a real journald (tests/e2e/audit_journal.sh,
# audit_bypass.sh, audit_outage.sh): the machine's audit rules, audit status
# and auditd are saved and restored at exit, auditd runs with a private
# configuration folder whose plugin is the built oidc-audit, and a journald
# is started when none runs (and stopped again; audit_journald_stop and
# audit_journald_start take it away for a while, and a machine's journald
# stopped so runs again at exit).
#
#     . "$top_srcdir/tests/lib/tap.sh" ; . .../procs.sh ; . .../locks.sh ; . .../auditd.sh
#     audit_able || skip_all "$AUDIT_SKIP_REASON"
#     lock_audit || skip_all "..."
#     tmp=$(mktemp -d /tmp/oidc-audit-e2e.XXXXXX); chmod 0700 "$tmp"; at_exit rm -rf "$tmp"
#     bin=$(readlink -f "$top_builddir/auditd-helper/oidc-audit") AUID=4242
#     audit_save                  # and at_exit audit_restore
#     audit_journald || audit_abort "journald serves the native socket"
#     audit_auditd || audit_abort "auditd owns the audit socket"
#     audit_wait_helper || audit_abort "auditd started the oidc-audit plugin"
#
# A test that needs journald gone or wedged (holding lock_audit) uses
# journald_stop (a journald it did not start comes back at exit) and
# journald_freeze / journald_thaw (SIGSTOP with its queue full; thawed at
# exit), e.g. tests/e2e/sshd_norecord.sh.
#
# The caller sets tmp (a 0700 folder, keep the /tmp/oidc-audit-e2e. prefix:
# an auditd left by an interrupted run is recognised by it), bin (the
# absolute path of oidc-audit) and AUID (the loginuid of the sessions).
# oidc-audit reads $tmp/oidc-audit.conf (registry $tmp/reg, audit log
# $tmp/log/audit.log); workload_pid, when set, is killed first at exit.

[ -n "${AUDITD_SH_LOADED:-}" ] && return 0
AUDITD_SH_LOADED=1
. "${top_srcdir:?}/tests/lib/pubcopy.sh"

# audit_able: root, kernel audit, auditd, journald and python3 are here;
# otherwise 1, with the reason in AUDIT_SKIP_REASON.
audit_able() {
	AUDIT_SKIP_REASON="needs root, kernel audit, auditd, systemd-journald and python3"
	[ "$(id -u)" = 0 ] && auditctl -s >/dev/null 2>&1 && command -v auditd >/dev/null &&
		[ -x /lib/systemd/systemd-journald ] && command -v python3 >/dev/null
}

# audit_abort NAME: the rest cannot run: report it and every test still
# planned as failed, quickly, with what auditd said.
audit_abort() {
	fail "$1"
	while [ "$TAP_N" -lt "$TAP_PLAN" ]; do fail "skipped after: $1"; done
	[ -f "$tmp/auditd.out" ] && sed 's/^/# auditd: /' "$tmp/auditd.out"
	exit 1
}

audit_status() { auditctl -s | sed -n "s/^$1 //p"; }

# audit_save: remember the kernel's audit rules and status and the running
# auditd, and restore them all at exit.
audit_save() {
	started_journald='' journald_pid='' auditd_pid='' old_auditd_cmd='' stopped_journald=''
	dropin=/run/systemd/journald.conf.d/oidc-audit-e2e-$$.conf
	auditctl -l >"$tmp/rules.saved" 2>/dev/null
	saved_enabled=$(audit_status enabled)
	saved_backlog=$(audit_status backlog_limit)
	saved_wait=$(audit_status backlog_wait_time)
	saved_lost=$(audit_status lost)
	saved_pid=$(audit_status pid)
	if [ -n "$saved_pid" ] && [ "$saved_pid" != 0 ] && [ -r "/proc/$saved_pid/cmdline" ]; then
		old_auditd_cmd=$(tr '\0' ' ' <"/proc/$saved_pid/cmdline")
		# A daemon of an interrupted earlier run of a test is stopped,
		# not brought back: restoring it would keep it alive from run
		# to run.
		case $old_auditd_cmd in
		*/tmp/oidc-audit-e2e.*) old_auditd_cmd= ;;
		esac
	fi
	at_exit audit_restore
}

audit_restore() {
	set +e
	[ -n "${workload_pid:-}" ] && kill "$workload_pid" 2>/dev/null
	if [ -n "$auditd_pid" ]; then
		kill -TERM "$auditd_pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$auditd_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$auditd_pid" 2>/dev/null
	fi
	# Plugins left behind by auditd (none expected): only ours, by pid.
	for p in $(pgrep -f "^$bin " 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
	auditctl -D >/dev/null 2>&1
	if [ -s "$tmp/rules.saved" ] && ! grep -q '^No rules' "$tmp/rules.saved"; then
		grep -v '^No rules' "$tmp/rules.saved" >"$tmp/rules.restore"
		auditctl -R "$tmp/rules.restore" >/dev/null 2>&1
	fi
	[ -n "$saved_backlog" ] && auditctl -b "$saved_backlog" >/dev/null 2>&1
	[ -n "$saved_wait" ] && auditctl --backlog_wait_time "$saved_wait" >/dev/null 2>&1
	[ "$saved_lost" = 0 ] && auditctl --reset-lost >/dev/null 2>&1
	[ -n "$saved_enabled" ] && [ "$saved_enabled" != 2 ] && auditctl -e "$saved_enabled" >/dev/null 2>&1
	if [ -n "$old_auditd_cmd" ] && [ "$(audit_status pid)" = 0 ]; then
		# In the background and detached: an auditd that ran with -n
		# stays in the foreground and would hold up the cleanup forever.
		# shellcheck disable=SC2086 # the saved command line, word by word
		setsid $old_auditd_cmd </dev/null >/dev/null 2>&1 {LOCK_AUDIT_FD}>&- &
	fi
	rm -f "$dropin"
	rmdir /run/systemd/journald.conf.d 2>/dev/null
	if [ -n "$started_journald" ] && [ -n "$journald_pid" ]; then
		kill -TERM "$journald_pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$journald_pid" 2>/dev/null || break; sleep 0.1; done
	fi
	# the machine's journald, stopped by audit_journald_stop, runs again
	if [ -n "$stopped_journald" ] && ! journald_running; then
		setsid /lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 {LOCK_AUDIT_FD}>&- &
	fi
}

# a live journald answers --sync; stale socket files of a stopped one do not
journald_running() { journalctl --sync >/dev/null 2>&1; }

# the running systemd-journald processes (the kernel keeps 15 bytes of the name)
journald_pids() { pgrep -x systemd-journal; }

# journald_stop [OWN_PID]: stop every running journald, for a test (holding
# lock_audit) that needs it gone; OWN_PID is one the test started itself
# (spawn, sshd_lib's E2E_JOURNALD_PID) and is only stopped.  Any other is
# the machine's or another test's: it is started again at exit, detached.
journald_stop() {
	local p
	for p in $(journald_pids); do
		if [ "$p" = "${1:-}" ]; then
			kill -TERM "$p" 2>/dev/null
			wait "$p" 2>/dev/null
			continue
		fi
		if [ -z "${JOURNALD_RESTART:-}" ]; then
			JOURNALD_RESTART=1
			at_exit journald_restart
		fi
		kill -TERM "$p" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	done
	! journald_running
}

journald_restart() {
	journald_running && return 0
	setsid /lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 {LOCK_AUDIT_FD}>&- &
	wait_for 5 journald_running
}

# journald_freeze: a journald that exists but does not read, as a wedged
# one: SIGSTOP every running journald and fill its native socket's queue
# (a blocking send would now wait for ever).  The datagrams that fitted
# are left in JOURNALD_FILLED (not a subshell: the thaw needs the pids).
# journald_thaw, also run at exit, lets it go on; it then stores the
# fillers too.
JOURNALD_FROZEN=
journald_freeze() {
	JOURNALD_FROZEN=$(journald_pids)
	[ -n "$JOURNALD_FROZEN" ] || return 1
	if [ -z "${JOURNALD_THAW_AT_EXIT:-}" ]; then
		JOURNALD_THAW_AT_EXIT=1
		at_exit journald_thaw
	fi
	# shellcheck disable=SC2086 # one pid a word
	kill -STOP $JOURNALD_FROZEN || return 1
	JOURNALD_FILLED=$(python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect(sys.argv[1])
s.setblocking(False)
n = 0
try:
    while n < 100000:
        s.send(b"MESSAGE=pam_oidc test: the queue of a stopped journald\n")
        n += 1
except BlockingIOError:
    print(n)
    sys.exit(0)
sys.exit(1)' /run/systemd/journal/socket)
}

journald_thaw() {
	# shellcheck disable=SC2086 # one pid a word
	[ -z "$JOURNALD_FROZEN" ] || kill -CONT $JOURNALD_FROZEN 2>/dev/null
	JOURNALD_FROZEN=
	return 0
}

# audit_journald: a journald without a rate limit for our bursts
# (contrib/journald explains why) serves the native socket.
audit_journald() {
	mkdir -p /run/systemd/journald.conf.d
	printf '[Journal]\nRateLimitIntervalSec=0\n' >"$dropin"
	if ! journald_running; then
		/lib/systemd/systemd-journald </dev/null >"$tmp/journald.log" 2>&1 {LOCK_AUDIT_FD}>&- &
		journald_pid=$!
		started_journald=1
		wait_for 5 journald_running
	fi
	journalctl --sync >/dev/null 2>&1 && [ -S /run/systemd/journal/socket ]
}

# audit_journald_stop: stop the journald that serves the socket (the
# test's own, or the machine's, which audit_restore starts again); 0 once
# none answers.  Its socket file stays, as a killed journald leaves it.
audit_journald_stop() {
	local p=$journald_pid
	if [ -z "$started_journald" ]; then
		p=$(pgrep -x systemd-journal | head -1)
		[ -n "$p" ] && stopped_journald=1
	fi
	[ -n "$p" ] || return 1
	kill -TERM "$p" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	# one that is still flushing after 10 s goes as a crashed one would
	kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null && sleep 0.5
	journald_pid=
	! journald_running
}

# audit_journald_start: after audit_journald_stop, a journald (the test's,
# stopped at exit) serves the socket again.  On Debian 12 kernel auditing
# is off once it has started (auditctl -s: enabled 0; journald sets it as
# it opens the audit socket): the state before is put back.
audit_journald_start() {
	local enabled
	enabled=$(audit_status enabled)
	/lib/systemd/systemd-journald </dev/null >>"$tmp/journald.log" 2>&1 {LOCK_AUDIT_FD}>&- &
	journald_pid=$!
	started_journald=1
	wait_for 5 journald_running || return 1
	[ "$(audit_status enabled)" = "$enabled" ] || auditctl -e "$enabled" >/dev/null
}

# audit_auditd: stop the machine's auditd and start ours (private
# configuration in $tmp/auditd, log in $tmp/log, no rules, audit enabled,
# a large backlog) with a copy of the built oidc-audit, whose path it
# leaves in bin; 0 once it owns the audit socket.  AUDIT_PLUGIN_PATH and
# AUDIT_PLUGIN_ARGS, when set, name another plugin (tests/e2e/fleet.sh
# records the stream auditd gives its plugin, tests/bench/exec_storm.sh
# runs laurel); AUDIT_PLUGIN_ACTIVE=no leaves auditd without a plugin
# (audit.log only); AUDIT_BACKLOG is the kernel's backlog limit (default
# 65536), AUDITD_Q_DEPTH auditd's queue for its plugin (default 99999).  After audit_auditd_stop it may be called again, with other
# settings.
audit_auditd() {
	if [ -n "$saved_pid" ] && [ "$saved_pid" != 0 ]; then
		kill -TERM "$saved_pid" 2>/dev/null
		for _ in $(seq 100); do kill -0 "$saved_pid" 2>/dev/null || break; sleep 0.1; done
	fi
	# a plugin file's path cannot hold a space, and the checkout may have
	# one: auditd runs a copy (tests/lib/pubcopy.sh), search the same
	# (once: a second call must not copy over a binary still running)
	[ -x "$PUB_BUILD/auditd-helper/oidc-audit" ] || pub_build auditd-helper/oidc-audit || return 1
	bin=$PUB_BUILD/auditd-helper/oidc-audit
	mkdir -p "$tmp/auditd/plugins.d" "$tmp/reg" "$tmp/log"
	chmod 0700 "$tmp/reg"
	cat >"$tmp/oidc-audit.conf" <<EOF
registry_dir = $tmp/reg
audit_log = $tmp/log/audit.log
kernel_status_interval = 1
EOF
	cat >"$tmp/auditd/auditd.conf" <<EOF
local_events = yes
write_logs = yes
log_file = $tmp/log/audit.log
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 20
max_log_file = 200
num_logs = 5
max_log_file_action = ROTATE
space_left = 10
space_left_action = IGNORE
admin_space_left = 5
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
q_depth = ${AUDITD_Q_DEPTH:-99999}
overflow_action = SYSLOG
max_restarts = 10
plugin_dir = $tmp/auditd/plugins.d
end_of_event_timeout = 2
EOF
	cat >"$tmp/auditd/plugins.d/oidc-audit.conf" <<EOF
active = ${AUDIT_PLUGIN_ACTIVE:-yes}
direction = out
path = ${AUDIT_PLUGIN_PATH:-$bin}
type = always
format = string
args = ${AUDIT_PLUGIN_ARGS:---config $tmp/oidc-audit.conf}
EOF
	chmod 0600 "$tmp/auditd/auditd.conf" "$tmp/auditd/plugins.d/oidc-audit.conf" "$tmp/oidc-audit.conf"

	auditctl -D >/dev/null
	auditctl -b "${AUDIT_BACKLOG:-65536}" >/dev/null
	auditctl -e 1 >/dev/null
	auditd -n -c "$tmp/auditd" >"$tmp/auditd.out" 2>&1 {LOCK_AUDIT_FD}>&- &
	auditd_pid=$!
	for _ in $(seq 100); do
		[ "$(audit_status pid)" = "$auditd_pid" ] && break
		sleep 0.1
	done
	[ "$(audit_status pid)" = "$auditd_pid" ]
}

helper_pid() { pgrep -P "$auditd_pid" -f "$bin" | head -1; }
# plugin_pid: auditd's plugin, whichever it is (auditd 3 has no other child)
plugin_pid() { pgrep -P "$auditd_pid" | head -1; }

# audit_auditd_stop: stop the auditd of audit_auditd (its plugin sees the
# end of its input and exits); the kernel's rules stay.
audit_auditd_stop() {
	local plugin
	[ -n "$auditd_pid" ] || return 0
	plugin=$(plugin_pid)
	kill -TERM "$auditd_pid" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$auditd_pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$auditd_pid" 2>/dev/null
	wait "$auditd_pid" 2>/dev/null
	auditd_pid=
	[ -z "$plugin" ] && return 0
	for _ in $(seq 100); do kill -0 "$plugin" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$plugin" 2>/dev/null
}

# audit_wait_helper: auditd has started the plugin.
audit_wait_helper() {
	for _ in $(seq 50); do [ -n "$(helper_pid)" ] && break; sleep 0.1; done
	[ -n "$(helper_pid)" ]
}

# audit_contrib_rules FILE: the shipped rules, without --loginuid-immutable
# (which cannot be undone before a reboot), into FILE.
audit_contrib_rules() {
	grep -v -- '--loginuid-immutable' "${top_srcdir:-.}/contrib/audit/oidc-audit.rules" >"$1"
}

# registry SES SUBJECT [BOOT_ID]: the entry pam_oidc writes (DESIGN.md
# format), of this boot unless BOOT_ID says otherwise.
registry() {
	local now
	now=$(date +%s%6N)
	printf '{"boot_id":"%s","session":%s,"loginuid":%s,"user":"alice","issuer":"https://idp.example","subject":"%s","username":"alice@example.com","email":"alice@example.com","login_id":"%s","auth_time":%s,"service":"sshd","rhost":"127.0.0.1","opened":%s}\n' \
		"${3:-$(tr -d '-' </proc/sys/kernel/random/boot_id)}" "$1" "$AUID" "$2" \
		"$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" "${now%??????}" "$now" \
		>"$tmp/reg/.tmp.$1"
	chmod 0600 "$tmp/reg/.tmp.$1"
	mv "$tmp/reg/.tmp.$1" "$tmp/reg/$1"
}

# session_start NAME SCRIPT: run SCRIPT (bash, builtins only until it is
# told to go) in a new audit session with loginuid $AUID; its session id
# lands in $tmp/NAME.ses, its pid in ${session_pid[NAME]}; it waits for a
# line on $tmp/NAME.go first.
declare -A session_pid=()
session_start() {
	local name=$1 script=$2
	mkfifo "$tmp/$name.go"
	bash -c 'echo '"$AUID"' >/proc/self/loginuid || exit 9
		read -r ses </proc/self/sessionid; echo "$ses" >"'"$tmp/$name.ses"'"
		read -r _ <"'"$tmp/$name.go"'"
		'"$script" &
	session_pid[$name]=$!
	for _ in $(seq 50); do [ -s "$tmp/$name.ses" ] && break; sleep 0.05; done
}
session_go() { echo go >"$tmp/$1.go"; }

# count_entries MATCHES...: journal entries that match.
count_entries() { journalctl -q --no-pager -o cat "$@" 2>/dev/null | wc -l; }
# wait_count EXPECTED MATCHES...: wait (up to a minute) for EXPECTED entries; prints the count.
wait_count() {
	local want=$1 got=0
	shift
	for _ in $(seq 300); do
		got=$(count_entries "$@")
		[ "$got" -ge "$want" ] && break
		sleep 0.2
	done
	echo "$got"
}
