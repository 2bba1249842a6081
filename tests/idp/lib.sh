# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# Bash helpers to run the test OpenID provider (server.js) from a test.
# Source it, then:
#
#     idp_available || skip_all "$IDP_SKIP_REASON"    # tests/lib/tap.sh
#     at_exit idp_stop             # or call idp_stop from your own cleanup
#     idp_start [--device-ttl S] [--id-token-ttl S]
#     idp_kill; idp_restart [--jwks "$IDP_SRC/jwks-next.json"]   (same issuer)
#     token=$(idp_device_token --client test-es256 alice)
#     idp_chromium_available && idp_chromium_approve USER_CODE alice
#     mb_launch DIR CERTDIR SCENARIO ...   (misbehave.js)
#     pf_launch DIR CERTDIR PROFILE ...    (profiles.js)
#
# idp_start exports IDP_ISSUER (https://127.0.0.1:PORT), IDP_PORT, IDP_CA
# (the test CA, PEM), IDP_PID, IDP_LOG and IDP_DIR (a private temporary
# directory removed by idp_stop).  Needs $top_srcdir (set by make check).

# For the whole file: the IDP_* and MB_* variables are read by the test.
# shellcheck disable=SC2034
IDP_SKIP_REASON=
IDP_SRC=${top_srcdir:?top_srcdir not set}/tests/idp
. "$top_srcdir/tests/lib/procs.sh"
IDP_START_TIMEOUT=${IDP_START_TIMEOUT:-20}

# True when node and the npm packages (npm ci in tests/idp) are there;
# otherwise sets IDP_SKIP_REASON.
idp_available() {
	if ! command -v node >/dev/null 2>&1; then
		IDP_SKIP_REASON="node is not installed"
		return 1
	fi
	if [ ! -f "$IDP_SRC/node_modules/oidc-provider/package.json" ]; then
		IDP_SKIP_REASON="oidc-provider is not installed (run: cd tests/idp && npm ci)"
		return 1
	fi
	return 0
}

# Start server.js on a kernel-chosen loopback port with a fresh test CA and
# wait until its discovery document answers.  Extra arguments go to
# server.js.  Returns 1 (and prints the server log on stderr) on failure.
idp_start() {
	IDP_DIR=$(mktemp -d /tmp/pam_oidc-idp.XXXXXX) || return 1
	IDP_LOG=$IDP_DIR/server.log
	IDP_CA=$IDP_DIR/certs/ca.pem
	sh "$top_srcdir/tests/lib/mkcerts.sh" "$IDP_DIR/certs" || return 1
	_idp_launch 0 "$@"
}

# Stop the server process only: IDP_DIR, the CA and IDP_PORT stay, so
# idp_restart can bring the same issuer back.  For "provider down" tests.
idp_kill() {
	stop "${IDP_PID:-}"
	IDP_PID=
}

# Restart on the same port with the same certificate (same issuer, same
# CA) and new server.js arguments, e.g. --jwks "$IDP_SRC/jwks-next.json"
# to play a key rotation.  All provider state (codes, sessions) is lost.
idp_restart() {
	idp_kill
	_idp_launch "${IDP_PORT:?idp_restart before idp_start}" "$@"
}

# Stop the provider started by idp_start and remove its directory.
# Safe to call more than once, and before idp_start.
idp_stop() {
	idp_kill
	if [ -n "${IDP_DIR:-}" ] && [ -d "$IDP_DIR" ]; then
		rm -rf "$IDP_DIR"
	fi
	IDP_DIR=
}

# _idp_launch PORT ARGS...: start server.js and wait (bounded) for discovery.
_idp_launch() {
	local port=$1
	shift
	rm -f "$IDP_DIR/port"
	node "$IDP_SRC/server.js" --certs "$IDP_DIR/certs" --port "$port" \
		--port-file "$IDP_DIR/port" --watch-pid $$ "$@" >>"$IDP_LOG" 2>&1 </dev/null &
	IDP_PID=$!
	if wait_for -p "$IDP_PID" "$IDP_START_TIMEOUT" _idp_up; then
		export IDP_ISSUER IDP_PORT IDP_CA IDP_PID IDP_LOG IDP_DIR
		return 0
	fi
	echo "idp_start: the test provider did not come up; its log:" >&2
	sed 's/^/  /' "$IDP_LOG" >&2
	idp_stop
	return 1
}

# _idp_up: true when server.js wrote its port and discovery answers there;
# sets IDP_PORT and IDP_ISSUER.
_idp_up() {
	[ -s "$IDP_DIR/port" ] || return 1
	IDP_PORT=$(cat "$IDP_DIR/port")
	IDP_ISSUER=https://127.0.0.1:$IDP_PORT
	curl -sf --max-time 2 --cacert "$IDP_CA" --noproxy '*' \
		"$IDP_ISSUER/.well-known/openid-configuration" >/dev/null 2>&1
}

# True when the real-browser approval (chromium-approve.js) can run: Debian's
# chromium (or $CHROMIUM), certutil (libnss3-tools) and playwright-core
# (npm ci in tests/idp); otherwise sets IDP_SKIP_REASON.
idp_chromium_available() {
	idp_available || return 1
	if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
		IDP_SKIP_REASON="chromium is not installed (apt-get install chromium)"
		return 1
	fi
	if ! command -v certutil >/dev/null 2>&1; then
		IDP_SKIP_REASON="certutil is not installed (apt-get install libnss3-tools)"
		return 1
	fi
	if [ ! -f "$IDP_SRC/node_modules/playwright-core/package.json" ]; then
		IDP_SKIP_REASON="playwright-core is not installed (run: cd tests/idp && npm ci)"
		return 1
	fi
	return 0
}

# chromium-approve.js [options] USER_CODE ACCOUNT: approve.js in a real
# browser (headless chromium); --screenshots DIR keeps a PNG per page.
idp_chromium_approve() {
	node "$IDP_SRC/chromium-approve.js" "$@"
}

# device-token.js: a whole device flow, prints the ID token.
idp_device_token() {
	node "$IDP_SRC/device-token.js" "$@"
}

# approve.js USER_CODE ACCOUNT [--deny[=...]]: act as a person in a browser.
idp_approve() {
	node "$IDP_SRC/approve.js" "$@"
}

# Print member NAME of the JSON object on stdin ("" when absent); arrays
# and objects come out as JSON.
idp_json_get() {
	node -e '
		let s = "";
		process.stdin.on("data", (d) => { s += d; });
		process.stdin.on("end", () => {
			const v = JSON.parse(s)[process.argv[1]];
			process.stdout.write(v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
		});' "$1"
}

# _emu_launch DIR NAME SECONDS SCRIPT [options]: spawn one of the plain-Node
# providers (misbehave.js, profiles.js) with its port file DIR/NAME.port,
# stdout in DIR/NAME.out and stderr in DIR/NAME.err; sets _EMU_PID and
# returns 0 once the port file is written.  One that is not up within
# SECONDS is described on our stderr (_emu_describe), stopped, and
# started once more: a start-up is not what the tests measure (a start
# takes about half a second).  Returns 1 when the second start fails too.
_emu_launch() {
	local dir=$1 name=$2 secs=$3 script=$4 try
	shift 4
	for try in 1 2; do
		rm -f "$dir/$name.port"
		spawn node "$IDP_SRC/$script" --port-file "$dir/$name.port" --watch-pid $$ "$@" \
			>"$dir/$name.out" 2>"$dir/$name.err" </dev/null
		_EMU_PID=$!
		wait_for -p "$_EMU_PID" "$secs" test -s "$dir/$name.port" && return 0
		_emu_describe "$_EMU_PID" "$script" "$secs" >&2
		sed 's/^/#   stdout: /' "$dir/$name.out" >&2
		sed 's/^/#   stderr: /' "$dir/$name.err" >&2
		# a Node blocked in a synchronous call runs no SIGTERM handler
		spawned_same "$_EMU_PID" && kill -KILL "$_EMU_PID" 2>/dev/null
		stop "$_EMU_PID"
		[ "$try" = 1 ] && echo "# starting $script once more" >&2
	done
	return 1
}

# _emu_describe PID SCRIPT SECONDS: why PID (an emulator that did not
# start) is not up: its exit status, or its state and kernel wait channel,
# those of each of its threads and children, its kernel stack, every
# thread's backtrace (when gdb is installed) and the newest processes of
# the machine.
_emu_describe() {
	local pid=$1 c st t
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		echo "# $2 did not start: it exited with status $?"
		return 0
	fi
	echo "# $2 did not start: not listening after $3 s"
	for c in "$pid" $(pgrep -P "$pid"); do
		st=$(proc_stat "$c")
		[ -n "$st" ] || continue
		echo "#   pid $c ($(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null | cut -c1-80)): state ${st%% *}, waiting in $(cat "/proc/$c/wchan" 2>/dev/null), $(proc_cpu "$c") ticks of CPU"
	done
	for t in /proc/"$pid"/task/*; do
		echo "#   thread ${t##*/} $(cat "$t/comm" 2>/dev/null): $(cat "$t/wchan" 2>/dev/null), syscall $(cut -d' ' -f1 "$t/syscall" 2>/dev/null)"
	done
	sed 's/^/#   kernel stack: /' "/proc/$pid/stack" 2>/dev/null
	if command -v gdb >/dev/null 2>&1; then
		timeout 60 gdb -p "$pid" -batch -ex 'set print frame-arguments none' \
			-ex 'thread apply all bt 16' </dev/null 2>/dev/null |
			grep -E '^(Thread|#)' | cut -c1-160 | sed 's/^/#   gdb: /'
	fi
	# what else the machine was doing
	ps -eo pid,stat,wchan:24,etimes,args --sort=start_time 2>/dev/null | tail -n 40 |
		cut -c1-160 | sed 's/^/#   ps: /'
}

# mb_launch DIR CERTDIR SCENARIO [misbehave.js options]: start the scripted
# misbehaving provider (tests/idp/misbehave.js) with the certificate in
# CERTDIR, its request log and port file in DIR; stops one started before.
# Exports MB_PID (spawned: reap stops it too), MB_PORT, MB_ISSUER and
# MB_LOG.  Returns 1, with the server's stderr on ours, when it does not
# come up within 10 s, twice.
mb_launch() {
	local dir=$1 certs=$2 sc=$3 r=0
	shift 3
	mb_stop
	MB_LOG=$dir/mb-$sc.log
	: >"$MB_LOG"
	_emu_launch "$dir" mb 10 misbehave.js --certs "$certs" --scenario "$sc" --log "$MB_LOG" "$@" || r=1
	MB_PID=$_EMU_PID
	[ "$r" -eq 0 ] || return 1
	MB_PORT=$(cat "$dir/mb.port")
	MB_ISSUER=https://127.0.0.1:$MB_PORT
}

# Stop the misbehaving provider started by mb_launch, if any.
mb_stop() {
	stop "${MB_PID:-}"
	MB_PID=
}

# pf_launch DIR CERTDIR PROFILE [profiles.js options]: start the provider
# emulator (tests/idp/profiles.js) as PROFILE with the certificate in
# CERTDIR, its request log in DIR; stops one started before.  Exports
# PF_PID (spawned: reap stops it too), PF_ISSUER, PF_CLIENT (the profile's
# client_id), PF_ORIGIN (https://127.0.0.1:PORT) and PF_LOG.  Returns 1,
# with the emulator's stderr on ours, when it does not come up within 20 s,
# twice (it makes RSA keys and certificates first).
pf_launch() {
	local dir=$1 certs=$2 prof=$3 r=0
	shift 3
	pf_stop
	PF_LOG=$dir/pf-$prof.log
	: >"$PF_LOG"
	_emu_launch "$dir" pf 20 profiles.js --certs "$certs" --profile "$prof" --log "$PF_LOG" "$@" || r=1
	PF_PID=$_EMU_PID
	[ "$r" -eq 0 ] || return 1
	PF_ISSUER=$(sed -n 's/^issuer //p' "$dir/pf.out")
	PF_CLIENT=$(sed -n 's/^client_id //p' "$dir/pf.out")
	PF_ORIGIN=$(sed -n 's/^origin //p' "$dir/pf.out")
}

# Stop the emulator started by pf_launch, if any.
pf_stop() {
	stop "${PF_PID:-}"
	PF_PID=
}
