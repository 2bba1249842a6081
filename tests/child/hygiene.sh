#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Environment hygiene of oidc-child: SSLKEYLOGFILE and proxy variables in the
# caller's environment change nothing (no key log written, no proxy
# contacted), whether the child gets an empty environment (as the module
# execs it) or inherits the caller's (it scrubs it itself); and while it runs
# it holds only fds 0-3 (and its kept-alive connection to the provider), no
# environment and no controlling terminal.
. "${top_srcdir:?}/tests/child/lib.sh"
command -v node >/dev/null || skip_all "node is not installed"
command -v curl >/dev/null || skip_all "curl is not installed"
ct_init

# A listener that stands in for a proxy and records every connection.
PROXY_LOG=$CT_DIR/proxy.log
: >"$PROXY_LOG"
spawn node -e '
	const fs = require("fs");
	const s = require("net").createServer((c) => { fs.appendFileSync(process.argv[1], "conn\n"); c.destroy(); });
	s.listen(0, "127.0.0.1", () => fs.writeFileSync(process.argv[2], String(s.address().port)));
	setInterval(() => { try { process.kill(Number(process.argv[3]), 0); } catch (e) { process.exit(0); } }, 500);
' "$PROXY_LOG" "$CT_DIR/proxy.port" $$ </dev/null >/dev/null 2>&1
wait_for 5 test -s "$CT_DIR/proxy.port"
PROXY=http://127.0.0.1:$(cat "$CT_DIR/proxy.port")
KEYLOG=$CT_DIR/keylog

mb_start ok --pending 0 || bail "misbehave.js"
mb_conf

hostile() {
	env SSLKEYLOGFILE="$KEYLOG" https_proxy="$PROXY" HTTPS_PROXY="$PROXY" all_proxy="$PROXY" \
		ALL_PROXY="$PROXY" no_proxy= NO_PROXY= "$@"
}

# 1: control - the traps work: curl under the same environment is caught
hostile curl -s -o /dev/null --max-time 3 --cacert "$CT_DIR/certs/ca.pem" \
	"$MB_ISSUER/.well-known/openid-configuration"
st=0
[ -s "$PROXY_LOG" ] || st=1
ok $st "control: curl in this environment contacts the fake proxy"
: >"$PROXY_LOG"
rm -f "$KEYLOG"
hostile curl -s -o /dev/null --max-time 3 --noproxy '*' --cacert "$CT_DIR/certs/ca.pem" \
	"$MB_ISSUER/.well-known/openid-configuration"
[ -s "$KEYLOG" ]
ok $? "control: curl in this environment writes the TLS key log"
rm -f "$KEYLOG"
: >"$PROXY_LOG"

# 2-4: the child as the module starts it (empty environment)
CT_OUT=
hostile true
export SSLKEYLOGFILE=$KEYLOG https_proxy=$PROXY HTTPS_PROXY=$PROXY ALL_PROXY=$PROXY all_proxy=$PROXY
mb_conf
ct_run
ct_expect "empty environment: login succeeds directly" ok 4000
[ ! -e "$KEYLOG" ]
ok $? "empty environment: no TLS key log written"
[ ! -s "$PROXY_LOG" ]
ok $? "empty environment: the proxy saw no connection"

# 5-7: the child inherits the hostile environment and scrubs it itself
mb_conf
ct_run --inherit-env
ct_expect "inherited environment: login succeeds directly" ok 4000
[ ! -e "$KEYLOG" ]
ok $? "inherited environment: no TLS key log written"
[ ! -s "$PROXY_LOG" ]
ok $? "inherited environment: the proxy saw no connection"
unset SSLKEYLOGFILE https_proxy HTTPS_PROXY ALL_PROXY all_proxy

# 8-10: what the child holds while it polls
mb_start ok --pending 100
mb_conf
spawn "$DRIVER" --config "$CT_DIR/conf" --inherit-env --cancel-after 2500 "$CHILD" \
	>"$CT_DIR/out" 2>&1
drv=$!
# child_shown: the driver's child (its pid in cpid) has shown the code.
child_shown() {
	cpid=$(pgrep -P "$drv" | head -n 1)
	[ -n "$cpid" ] && grep -q '^shown' "$CT_DIR/out"
}
cpid=
wait_for 5 child_shown
# Besides 0-3, at most the kept-alive TLS connection to the provider: one
# TCP socket whose peer is the provider's port.
fds=$(ls /proc/"$cpid"/fd 2>/dev/null | sort -n | tr '\n' ' ')
extra=$(for f in /proc/"$cpid"/fd/*; do
	case ${f##*/} in 0 | 1 | 2 | 3) continue ;; esac
	readlink "$f"
done)
st=0
case $extra in
'') ;;
socket:\[*\])
	inode=${extra#socket:[}
	inode=${inode%]}
	ss -Htn state established "dport = :$MB_PORT" -e | grep -q "ino:$inode " || st=1
	;;
*) st=1 ;;
esac
[ "${fds:0:8}" = "0 1 2 3 " ] || st=1
ok $st "while polling the child holds only fds 0-3 and its connection to the provider (has: $fds; ${extra:-nothing else})"
[ -n "$cpid" ] && [ ! -s /proc/"$cpid"/environ ]
ok $? "while polling the child's environment is empty"
tty=$(awk '{print $7}' /proc/"$cpid"/stat 2>/dev/null)
[ "$tty" = 0 ]
ok $? "the child has no controlling terminal (tty_nr ${tty:-?})"
wait "$drv"

finish
