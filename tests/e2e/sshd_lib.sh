# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# The real Debian sshd with pam_oidc.so, for the end-to-end tests and the
# login benchmark.  sshd runs on a loopback port in a private mount
# namespace whose /etc/pam.d is a bind-mounted test directory, so the
# machine's PAM configuration is never touched.  Everything the helpers
# create (accounts, homes under /tmp, /run/sshd, journald when it was not
# running, processes) is undone by e2e_cleanup, which e2e_init registers
# with at_exit (tests/lib/procs.sh).
#
#     . "$top_srcdir/tests/e2e/sshd_lib.sh"
#     e2e_init || exit 0           # prints "1..0 # SKIP ..." when it cannot run
#     e2e_users alice bob
#     e2e_journald && idp_start && e2e_sshd_start [extra sshd_config lines]
#     e2e_login USER ACCOUNT MODE  # output of sshd_login.exp in $E2E_OUT
#
# Exports E2E_DIR, E2E_PORT, E2E_REGISTRY (the session registry directory).

E2E_RUN_SSHD_CREATED=
E2E_JOURNALD_PID=
E2E_DEVLOG=
E2E_DEVLOG_CREATED=
E2E_JOURNAL_SINK=

. "${top_srcdir:?}/tests/lib/procs.sh"
. "$top_srcdir/tests/lib/locks.sh"
. "$top_srcdir/tests/lib/accounts.sh"
. "$top_srcdir/tests/idp/lib.sh"
. "$top_srcdir/tests/lib/pubcopy.sh"

e2e_cleanup() {
	stop "${E2E_SSHD_PID:-}"
	reap
	# the accounts' last processes (a closing session) may need a moment
	acct_cleanup
	stop "$E2E_JOURNALD_PID"
	[ -n "$E2E_RUN_SSHD_CREATED" ] && rmdir /run/sshd 2>/dev/null
	if [ -n "$E2E_DEVLOG_CREATED" ] && [ -f /dev/log ] && [ ! -s /dev/log ]; then
		rm -f /dev/log
	fi
	idp_stop
	[ -n "${E2E_DIR:-}" ] && rm -rf "$E2E_DIR"
	return 0
}

# Check what the tests need; on a miss print a TAP skip and return 1.
e2e_init() {
	local f
	if [ "$(id -u)" -ne 0 ]; then
		echo "1..0 # SKIP needs root (sshd, accounts, mount namespace)"
		return 1
	fi
	for f in /usr/sbin/sshd /usr/bin/ssh /usr/bin/expect /usr/bin/unshare /usr/bin/ssh-keygen \
		"${top_builddir:?}/pam_oidc/.libs/pam_oidc.so" "$top_builddir/pam_oidc/oidc-child"; do
		if [ ! -x "$f" ] && [ ! -f "$f" ]; then
			echo "1..0 # SKIP $f is missing"
			return 1
		fi
	done
	if ! idp_available; then
		echo "1..0 # SKIP $IDP_SKIP_REASON"
		return 1
	fi
	# tests that create the provider's accounts (alice, bob ...) as local
	# users take turns (tests/lib/locks.sh)
	if ! lock_accounts; then
		echo "1..0 # SKIP another test held the test accounts for 15 minutes"
		return 1
	fi
	E2E_DIR=$(mktemp -d /tmp/pam_oidc-e2e.XXXXXX) || return 1
	chmod 700 "$E2E_DIR"
	E2E_REGISTRY=$E2E_DIR/sessions
	at_exit e2e_cleanup
	return 0
}

# Local accounts with a bash login shell and a home under /tmp whose
# prompt the expect script recognises.
e2e_users() {
	local u h
	for u in "$@"; do
		h=/tmp/pam_oidc-e2e-home-$u
		acct_add -m "$u" /bin/bash "$h" || return 1
		printf "PS1='OIDC-READY\\\\$ '\n" >"$h/.bash_profile"
		chown "$u" "$h/.bash_profile"
	done
}

# journald: use the running one, or start it by hand (systemd is not PID 1 here).
# The tests that start and stop journald take turns (lock_audit): the
# journald one test started must not vanish under another.
e2e_journald() {
	lock_audit || return 1
	e2e_journald_up && return 0
	/lib/systemd/systemd-journald >/dev/null 2>&1 </dev/null {LOCK_AUDIT_FD}>&- &
	E2E_JOURNALD_PID=$!
	wait_for 5 e2e_journald_up
}

# A journald answers on its native socket.
e2e_journald_up() {
	journalctl --sync >/dev/null 2>&1 && [ -S /run/systemd/journal/socket ]
}

# The session's journal entries: e2e_journal FIELD=VALUE... (JSON lines)
e2e_journal() {
	journalctl --no-pager -q -o json "$@" 2>/dev/null
}

# e2e_syslog: before e2e_sshd_start, a syslog receiver for sshd's
# namespace: every datagram sent to /dev/log there (pam_syslog's lines)
# becomes a line of $E2E_DIR/syslog, whether or not journald runs.  The
# namespace bind-mounts the receiver's socket on /dev/log, which needs a
# mount point: when the machine has no /dev/log, an empty file is made
# (syslog(3) outside finds no socket at it, as before) and removed at exit.
e2e_syslog() {
	: >"$E2E_DIR/syslog"
	spawn python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", 0) as out:
    while True:
        out.write(s.recv(65536).rstrip(b"\0\n") + b"\n")' "$E2E_DIR/devlog" "$E2E_DIR/syslog" \
		</dev/null >/dev/null 2>&1
	wait_for 10 test -S "$E2E_DIR/devlog" || return 1
	if [ ! -e /dev/log ] && [ ! -L /dev/log ]; then
		: >/dev/log && E2E_DEVLOG_CREATED=1
	fi
	E2E_DEVLOG=$E2E_DIR/devlog
}

# e2e_journald_or_sink WAIT: the real journald when its lock (lock_audit)
# comes within WAIT seconds, else (the benchmarks on a machine where other
# tests hold journald for long) a stand-in for its native socket in sshd's
# namespace: a receiver that takes every datagram sent to
# /run/systemd/journal/socket there and counts it in $E2E_DIR/journal.count.
# Sets E2E_JOURNAL_KIND to "journald" or "stand-in".  Before
# e2e_sshd_start, in the test's own shell (not in $(...)).
e2e_journald_or_sink() {
	local fd
	exec {fd}>>/tmp/pam_oidc-audit-e2e.lock || return 1
	if flock -w "$1" "$fd"; then
		LOCK_AUDIT_FD=$fd
		e2e_journald && { export E2E_JOURNAL_KIND=journald; return 0; }
		return 1
	fi
	exec {fd}>&-
	[ -S /run/systemd/journal/socket ] || return 1
	spawn python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.bind(sys.argv[1])
n = 0
while True:
    s.recv(1 << 17)
    n += 1
    if n % 10 == 0 or n < 10:
        open(sys.argv[2], "w").write("%d\n" % n)' "$E2E_DIR/journal.sock" "$E2E_DIR/journal.count" \
		</dev/null >/dev/null 2>&1
	wait_for 10 test -S "$E2E_DIR/journal.sock" || return 1
	chmod 666 "$E2E_DIR/journal.sock"
	E2E_JOURNAL_SINK=$E2E_DIR/journal.sock
	export E2E_JOURNAL_KIND=stand-in
}

# A free loopback TCP port.
e2e_free_port() {
	local p
	for ((p = 20000 + RANDOM % 20000; ; p++)); do
		listening "$p" || { echo "$p"; return; }
	done
}

# Start sshd (after idp_start) with pam_oidc in its PAM stack; extra
# arguments are appended to sshd_config and MODULE_ARGS to the auth line;
# E2E_PRE_SESSION (a whole line) goes between pam_loginuid and pam_oidc,
# E2E_SESSION_ARGS onto pam_oidc's session line; E2E_POST_AUTH and
# E2E_POST_SESSION (whole lines) follow the auth line and pam_oidc's session
# line (the benchmarks' marks, tests/bench/pam_passthru.c); E2E_MAX_STARTUPS
# replaces MaxStartups 100 (sshd keeps a keyword's first value, so an extra
# argument cannot).  After e2e_syslog, sshd's
# /dev/log is the receiver's.
# It listens on E2E_SSHD_PORT when that is set (contrib/demo/run --port),
# else on a free port.  When $E2E_DIR/sudoers.d exists it is bind-mounted
# on /etc/sudoers.d in sshd's namespace too, so a sudo in a session reads
# the test's sudoers (and $E2E_DIR/pam.d/sudo) only.  E2E_LOGIN_TIMEOUT
# (default 60 s) is the module's timeout; sshd's LoginGraceTime is 30 s more.
e2e_sshd_start() {
	local B line lt=${E2E_LOGIN_TIMEOUT:-60}
	# a pam.d line cannot hold a space, and the checkout may have one
	pub_build pam_oidc/.libs/pam_oidc.so pam_oidc/oidc-child || return 1
	B=$PUB_BUILD
	E2E_PORT=${E2E_SSHD_PORT:-$(e2e_free_port)}
	mkdir -m 700 "$E2E_DIR/pam.d" "$E2E_DIR/cache"
	ssh-keygen -q -t ed25519 -N '' -f "$E2E_DIR/hostkey" || return 1
	cat >"$E2E_DIR/pam.d/sshd" <<-EOT
	auth     required $B/pam_oidc/.libs/pam_oidc.so child_path=$B/pam_oidc/oidc-child issuer=$IDP_ISSUER client_id=test-es256 ca_file=$IDP_CA cache_dir=$E2E_DIR/cache poll_interval=1 timeout=$lt pending_dir=$E2E_DIR/pending registry_dir=$E2E_REGISTRY ${MODULE_ARGS:-}
	${E2E_POST_AUTH:-}
	account  required pam_unix.so
	password required pam_deny.so
	session  required pam_loginuid.so
	${E2E_PRE_SESSION:-}
	session  required $B/pam_oidc/.libs/pam_oidc.so pending_dir=$E2E_DIR/pending registry_dir=$E2E_REGISTRY ${E2E_SESSION_ARGS:-}
	${E2E_POST_SESSION:-}
	session  required pam_unix.so
	EOT
	printf 'auth required pam_deny.so\naccount required pam_deny.so\npassword required pam_deny.so\nsession required pam_deny.so\n' \
		>"$E2E_DIR/pam.d/other"
	cat >"$E2E_DIR/sshd_config" <<-EOT
	Port $E2E_PORT
	ListenAddress 127.0.0.1
	HostKey $E2E_DIR/hostkey
	PidFile $E2E_DIR/sshd.pid
	UsePAM yes
	KbdInteractiveAuthentication yes
	PasswordAuthentication yes
	PubkeyAuthentication no
	PermitRootLogin no
	LoginGraceTime $((lt + 30))
	MaxStartups ${E2E_MAX_STARTUPS:-100}
	MaxAuthTries 3
	StrictModes no
	PrintMotd no
	PrintLastLog no
	UseDNS no
	EOT
	for line in "$@"; do
		echo "$line" >>"$E2E_DIR/sshd_config"
	done
	if [ ! -d /run/sshd ]; then
		mkdir -m 755 /run/sshd && E2E_RUN_SSHD_CREATED=1
	fi
	/usr/sbin/sshd -t -f "$E2E_DIR/sshd_config" || return 1
	unshare -m --propagation private sh -c \
		'mount --bind "$1" /etc/pam.d &&
		{ [ ! -d "$3" ] || mount --bind "$3" /etc/sudoers.d; } &&
		{ [ -z "$4" ] || mount --bind "$4" /dev/log; } &&
		{ [ -z "$5" ] || mount --bind "$5" /run/systemd/journal/socket; } &&
		exec /usr/sbin/sshd -D -e -f "$2"' \
		sh "$E2E_DIR/pam.d" "$E2E_DIR/sshd_config" "$E2E_DIR/sudoers.d" "$E2E_DEVLOG" \
		"$E2E_JOURNAL_SINK" \
		>"$E2E_DIR/sshd.log" 2>&1 </dev/null &
	E2E_SSHD_PID=$!
	wait_for -p "$E2E_SSHD_PID" 10 listening "$E2E_PORT" && return 0
	sed 's/^/# sshd: /' "$E2E_DIR/sshd.log" >&2
	return 1
}

# e2e_login USER ACCOUNT MODE [OUT]: one login through expect; output in OUT
# (default $E2E_DIR/out, exported as E2E_OUT).
e2e_login() {
	E2E_OUT=${4:-$E2E_DIR/out}
	IDP_ISSUER=$IDP_ISSUER IDP_CA=$IDP_CA timeout 120 \
		expect -f "$top_srcdir/tests/e2e/sshd_login.exp" "$E2E_PORT" "$1" "$2" "$3" \
		>"$E2E_OUT" 2>&1
}

# Value of KEY in an output file of e2e_login.
e2e_get() {
	sed -n "s/^$1 //p" "${2:-$E2E_OUT}" | head -n 1
}
