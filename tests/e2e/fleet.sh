#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A fleet on systemd's own transport (root): a central host runs the real
# systemd-journal-remote over HTTPS (contrib/journal-remote/, its
# certificates from fleet-certs.sh), three hosts (web-1, web-2, db-1) run
# the real systemd-journal-upload.  Each host is a namespace of
# tests/lib/nshost.sh: its own host name, /run, journald and journal, and
# its own oidc-audit, fed as auditd feeds its plugin: the stream the real
# auditd gave its plugin while three identity sessions ran real commands
# under the kernel's audit, recorded once.  Every host reads the whole
# stream and holds the registry entry of its own session only, so each
# writes its own session's events, which interleave in kernel time with
# the other hosts'.  The hosts write them at different times, so their
# arrival order at the central host is not the kernel's order.
#
# On the central host, search --directory lists every host's events in
# kernel time order with the host; --host filters, --output json carries
# _HOSTNAME.  Faults: kill -9 of one upload in the middle of its stream,
# and the central host down for 30 s while the hosts keep producing (the
# uploads run as their unit would, restarted with the RestartSec= of
# contrib's drop-in).  After both, every host's entries are in the central
# journal, none missing and nothing foreign (counted per host, before and
# after).  They are not there exactly once: journal-upload re-sends after
# each restart (the entry its state file names, and after the kill -9 what
# the killed request had delivered); the copies are counted as TAP
# comments, and search lists each event once and says how many it found
# twice.  The shipped entries per second are a TAP comment.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/locks.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/lib/auditd.sh"
. "$top_srcdir/tests/lib/nshost.sh"
remote=/lib/systemd/systemd-journal-remote
upload=/lib/systemd/systemd-journal-upload
contrib=$top_srcdir/contrib/journal-remote
audit_able || skip_all "$AUDIT_SKIP_REASON"
ns_usable || skip_all "needs namespaces (unshare, nsenter, ip)"
[ -x "$remote" ] && [ -x "$upload" ] || skip_all "no $remote or $upload (Debian package systemd-journal-remote)"
command -v openssl >/dev/null || skip_all "no openssl"
lock_audit || skip_all "another audit test held the lock for 15 minutes"

# tmp: the prefix auditd.sh recognises a leftover auditd by
tmp=$(mktemp -d /tmp/oidc-audit-e2e.XXXXXX) || bail "mktemp"
chmod 0700 "$tmp"
at_exit rm -rf "$tmp"
at_exit reap
AUID=4242
N=150	# commands per session, one session per host
SUB=fleet-$$-$RANDOM
CENTRAL=central.fleet.test
PORT=19532
hosts=(web-1 web-2 db-1)
export TZ=UTC0

plan 13

# ---------------------------------------------------------------- one real stream
# auditd's plugin is a recorder: the exact records oidc-audit would get.
printf '#!/bin/sh\nexec cat >>"$1"\n' >"$tmp/record"
chmod 0750 "$tmp/record"	# auditd runs a plugin of mode 0750, 0755, 0550 or 0555 only
audit_save
AUDIT_PLUGIN_PATH=$tmp/record AUDIT_PLUGIN_ARGS=$tmp/stream
audit_auditd || audit_abort "auditd owns the audit socket"
auditctl -a always,exit -F arch=b64 -S execve,execveat -F auid=$AUID -F key=oidc-exec >/dev/null
# Three sessions at once: their commands interleave in the kernel's time.
for h in "${hosts[@]}"; do
	session_start "$h" 'for ((i = 1; i <= '$N'; i++)); do /bin/true "'"$SUB"'-'"$h"'-$i"; done; exit 0'
	registry "$(cat "$tmp/$h.ses")" "$SUB"
done
for h in "${hosts[@]}"; do session_go "$h"; done
for h in "${hosts[@]}"; do wait "${session_pid[$h]}"; done
auditctl -D >/dev/null
wait_for 20 sh -c "[ \"\$(grep -c '^type=EOE' '$tmp/stream')\" -ge $((3 * N)) ] &&
	[ \"\$(grep -c '^type=EXECVE.* a1=\"$SUB-' '$tmp/stream')\" = $((3 * N)) ]"
ok $? "auditd gave its plugin the $((3 * N)) exec events of three sessions, with EOE" \
	"$(grep -c '^type=EXECVE' "$tmp/stream") EXECVE records"

# The stream in three parts, each event's records whole in one (the
# records of concurrent events interleave, so a cut after the k-th EOE
# could leave an event's SYSCALL in one part and its EXECVE in the next):
# one before the faults, one while an upload is killed, one while the
# central host is down.  An event's part is set by the order in which
# events first appear (msg=audit(TIME:SERIAL)).
awk -v a=$((3 * N * 2 / 5)) -v b=$((3 * N * 7 / 10)) -v d="$tmp" '
	match($0, /msg=audit\([0-9.]+:[0-9]+\)/) {
		id = substr($0, RSTART, RLENGTH)
		if (!(id in part)) { part[id] = k < a ? 1 : (k < b ? 2 : 3); k++ }
		print > (d "/part" part[id])
	}' "$tmp/stream"

# ---------------------------------------------------------------- the hosts
pub_build auditd-helper/oidc-audit || bail "cannot copy oidc-audit"
bin=$PUB_BUILD/auditd-helper/oidc-audit
sh "$contrib/fleet-certs.sh" "$tmp/tls" "$CENTRAL" "${hosts[@]}" >"$tmp/certs.log" 2>&1 ||
	bail "fleet-certs.sh: $(cat "$tmp/certs.log")"
ns_host central "$tmp/central" || bail "the central host did not come up"
# the configuration files of contrib/, at their places in the host's own
# /run (a configuration directory of journal-remote and journal-upload
# both), with the files' paths in the test's folders
fleet_conf() { # HOST CONTRIB-FILE DIR.d TLS-DIR [SED...]
	local host=$1 file=$2 d=$3 tls=$4
	shift 4
	sed -e "s|/etc/ssl/journal-fleet/|$tls/|" "$@" "$contrib/$file" |
		ns_run "$host" sh -c "mkdir -p /run/systemd/$d && cat >/run/systemd/$d/50-oidc-fleet.conf"
}
mkdir -p "$tmp/central/tls" && cp "$tmp/tls/ca.pem" "$tmp/central/tls/" &&
	cp "$tmp/tls/$CENTRAL.pem" "$tmp/central/tls/remote.pem" &&
	cp "$tmp/tls/$CENTRAL.key" "$tmp/central/tls/remote.key" || bail "central's certificates"
fleet_conf central journal-remote.conf journal-remote.conf.d "$tmp/central/tls"
restart_sec=$(sed -n 's/^RestartSec=\([0-9]*\)s$/\1/p' "$contrib/journal-upload.service-restart.conf")
declare -A addr=() feed=() reg_ses=()
n=0
for h in "${hosts[@]}"; do
	n=$((n + 1))
	d=$tmp/$h
	ns_host "$h" "$d" || bail "host $h did not come up"
	ns_link central "10.217.$n.1/24" "$h" "10.217.$n.2/24" || bail "no link to $h"
	addr[$h]=10.217.$n.2
	# the central host by the name in its certificate
	printf '127.0.0.1 localhost\n10.217.%s.1 %s\n' "$n" "$CENTRAL" >"$d/hosts"
	ns_run "$h" mount --bind "$d/hosts" /etc/hosts || bail "no /etc/hosts on $h"
	mkdir -p "$d/tls" && cp "$tmp/tls/ca.pem" "$d/tls/" && cp "$tmp/tls/$h.pem" "$d/tls/upload.pem" &&
		cp "$tmp/tls/$h.key" "$d/tls/upload.key" || bail "$h's certificates"
	fleet_conf "$h" journal-upload.conf journal-upload.conf.d "$d/tls" -e "s|^URL=.*|URL=https://$CENTRAL:$PORT|"
	ns_journald "$h" || bail "$h's journald did not start: $(cat "$d/journald.log")"
	# its registry: its own session's entry only
	reg_ses[$h]=$(cat "$tmp/$h.ses")
	ns_run "$h" install -d -m 0700 /run/pam_oidc /run/pam_oidc/sessions &&
		ns_run "$h" install -m 0600 "$tmp/reg/${reg_ses[$h]}" /run/pam_oidc/sessions/ || bail "$h's registry"
	# no kernel status and no back-fill: the host's kernel audit is the
	# machine's, and its records come from the recording
	printf 'registry_dir = /run/pam_oidc/sessions\nkernel_status_interval = 0\nbackfill = no\n' >"$d/oidc-audit.conf"
	chmod 0600 "$d/oidc-audit.conf"
	mkfifo -m 0600 "$d/audit.fifo"
	# shellcheck disable=SC2016 # for the host's shell
	ns_spawn "$h" sh -c 'exec "$0" --config "$1" <"$2"' "$bin" "$d/oidc-audit.conf" "$d/audit.fifo" \
		>"$d/oidc-audit.log" 2>&1
	exec {fd}>"$d/audit.fifo"
	feed[$h]=$fd
done
pass "central, web-1, web-2 and db-1: hosts of their own, linked, each with its journald and oidc-audit"

# host_entries HOST: the entries of HOST's own journal; central_entries
# HOST: the central journal's entries from HOST
host_entries() { journalctl -q -D "$tmp/$1/log/journal" -o json 2>/dev/null | wc -l; }
central_entries() { journalctl -q -D "$tmp/central/log/journal/remote" -o json _HOSTNAME="$1" 2>/dev/null | wc -l; }
own_events() { journalctl -q -D "$tmp/$1/log/journal" -o cat OIDC_SUBJECT="$SUB" 2>/dev/null | wc -l; }
# caught_up: every host's entries are all at the central host (or more)
caught_up() {
	local h
	for h in "${hosts[@]}"; do
		[ "$(central_entries "$h")" -ge "$(host_entries "$h")" ] || return 1
	done
}
# feed_part HOST FILE: give HOST's oidc-audit the records of FILE
feed_part() { cat "$2" >&"${feed[$1]}"; }

# Part 1 reaches db-1 first, then web-2, then web-1, a second apart: their
# events interleave in kernel time, the entries do not.
want1=$(grep -c "^type=EXECVE.* a1=\"$SUB-web-1-" "$tmp/part1")
for h in db-1 web-2 web-1; do
	feed_part "$h" "$tmp/part1"
	sleep 1
done
# and each host logs some of its own: 5000 lines of a service
for h in "${hosts[@]}"; do
	seq -f "$h service line %g" 5000 | ns_run "$h" systemd-cat -t fleet-service
done
wait_for 30 sh -c "[ \"\$(journalctl -q -D '$tmp/web-1/log/journal' -o cat OIDC_SUBJECT=$SUB | wc -l)\" = $want1 ]"
ok $? "web-1's oidc-audit wrote its $want1 events of part 1 to web-1's journal" "$(cat "$tmp/web-1/oidc-audit.log")"

# ---------------------------------------------------------------- ship
central_listening() { ns_run central ss -Htln "sport = :$PORT" | grep -q .; }
mkdir -p "$tmp/central/log/journal/remote"
ns_spawn central "$remote" --listen-https="$PORT" --output=/var/log/journal/remote/ >"$tmp/central/remote.log" 2>&1
remote_pid=$!
wait_for -p "$remote_pid" 10 central_listening ||
	bail "journal-remote did not listen: $(cat "$tmp/central/remote.log")"

# upload_service HOST: systemd-journal-upload as its unit runs it
# (ExecStart=... --save-state, Restart=on-failure) with the RestartSec= of
# contrib's drop-in; the state file in the host's folder.
declare -A svc=()
upload_service() {
	local d=$tmp/$1
	# shellcheck disable=SC2016 # for the service's shell
	ns_spawn "$1" bash -c '
		trap '\''kill $c 2>/dev/null; exit 0'\'' TERM
		while :; do
			"$0" --save-state="$1" >>"$2" 2>&1 &
			c=$!
			echo "$c" >"$1.pid"
			wait "$c" && exit 0
			echo "# exited $?, restart in $3 s" >>"$2"
			sleep "$3" & wait $!
		done' "$upload" "$d/upload.state" "$d/upload.log" "$restart_sec" </dev/null
	svc[$1]=$!
}

before=0
for h in "${hosts[@]}"; do before=$((before + $(host_entries "$h"))); done
t0=$(date +%s%N)
for h in "${hosts[@]}"; do upload_service "$h"; done
wait_for 60 caught_up
rc=$?
t1=$(date +%s%N)
for h in "${hosts[@]}"; do
	[ -s "$tmp/central/log/journal/remote/remote-${addr[$h]}.journal" ] || rc=1
done
ms=$(((t1 - t0) / 1000000))
diag "shipped $before entries of 3 hosts in $ms ms: $((before * 1000 / (ms ? ms : 1))) entries/s (systemd-journal-upload -> journal-remote over HTTPS, 3 uploads at once)"
counts_before=$(for h in "${hosts[@]}"; do printf '%s %s/%s ' "$h" "$(central_entries "$h")" "$(host_entries "$h")"; done)
diag "before the faults, central/host entries: $counts_before"
ok $rc "every host's journal reaches the central host (remote-ADDRESS.journal per host)" \
	"$(ls "$tmp/central/log/journal/remote")" "$(cat "$tmp/central/remote.log")" "$(cat "$tmp/web-1/upload.log")"

# ---------------------------------------------------------------- kill -9 mid-stream
# web-1 gets busy (20000 lines of its service and part 2); its upload is
# killed while the central host is still receiving them.
B=40000
for h in "${hosts[@]}"; do feed_part "$h" "$tmp/part2"; done
seq -f "web-1 busy line %g" $B | ns_run web-1 systemd-cat -t fleet-service &
busy=$!
# busy_shipped: the last busy line at the central host
busy_shipped() {
	journalctl -q -D "$tmp/central/log/journal/remote" _HOSTNAME=web-1 -t fleet-service -n 1 -o cat 2>/dev/null |
		sed -n 's/^web-1 busy line //p'
}
busy_past() { [ "$(busy_shipped)" -ge "$1" ] 2>/dev/null; }
wait_for 30 busy_past 2000
pid=$(cat "$tmp/web-1/upload.state.pid")
kill -KILL "$pid"
at_kill=$(busy_shipped)
wait "$busy"
wait_for 60 sh -c "[ \"\$(cat '$tmp/web-1/upload.state.pid')\" != $pid ]"
rc=$?
wait_for 60 caught_up
rc2=$?
diag "kill -9 of web-1's upload when line ${at_kill:-?} of $B of its busy service had reached the central host"
[ $rc = 0 ] && [ $rc2 = 0 ] && [ "${at_kill:-0}" -gt 0 ] && [ "$at_kill" -lt $B ]
ok $? "kill -9 of web-1's upload in the middle of its stream: restarted, it sends on from its state file" \
	"$(cat "$tmp/web-1/upload.log")"

# ---------------------------------------------------------------- central down 30 s
# The hosts keep writing (part 3 in ten slices, and their services) while
# the central host is down, and every upload exits and is restarted.
stop "$remote_pid"
down=$(date +%s)
# ten slices of whole events (see the three parts above)
n3=$(grep -o 'msg=audit([0-9.]*:[0-9]*)' "$tmp/part3" | sort -u | wc -l)
awk -v t="$n3" -v p="$tmp/part3" '
	match($0, /msg=audit\([0-9.]+:[0-9]+\)/) {
		id = substr($0, RSTART, RLENGTH)
		if (!(id in part)) { part[id] = int(k * 10 / t) + 1; k++ }
		print > sprintf("%s.%02d", p, part[id])
	}' "$tmp/part3"
for s in "$tmp"/part3.[0-9][0-9]; do
	for h in "${hosts[@]}"; do
		# db-1's last slice comes later, as its last entries
		[ "$h" = db-1 ] && [ "$s" = "$tmp/part3.10" ] && continue
		feed_part "$h" "$s"
		echo "$h during the outage $s" | ns_run "$h" systemd-cat -t fleet-service
	done
	sleep 2.9
done
while [ $(($(date +%s) - down)) -lt 30 ]; do sleep 0.5; done
for h in "${hosts[@]}"; do
	grep -q "Couldn't connect to server" "$tmp/$h/upload.log" || echo "$h: no failed upload" >>"$tmp/outage"
done
ns_spawn central "$remote" --listen-https="$PORT" --output=/var/log/journal/remote/ >>"$tmp/central/remote.log" 2>&1
remote_pid=$!
t2=$(date +%s%N)
wait_for 60 caught_up
rc=$?
t3=$(date +%s%N)
diag "after 30 s down: caught up $(((t3 - t2) / 1000000)) ms after journal-remote came back (uploads retry every ${restart_sec} s)"
[ $rc = 0 ] && [ ! -s "$tmp/outage" ]
ok $? "central host down for 30 s: the uploads fail, are restarted and send what the hosts wrote meanwhile" \
	"$(cat "$tmp/outage" 2>/dev/null)" "$(tail -5 "$tmp/db-1/upload.log")"

# ---------------------------------------------------------------- a restart
# The administrator restarts db-1's upload (systemctl restart) when its
# last entries are oidc-audit's: part 3's last slice.
feed_part db-1 "$tmp/part3.10"
wait_for 30 caught_up
sleep 1
stop "${svc[db-1]}"
upload_service db-1
sleep 3

# ---------------------------------------------------------------- exactly once
# The hosts are done: close oidc-audit's input, let the journals settle.
for h in "${hosts[@]}"; do
	fd=${feed[$h]}
	exec {fd}>&-
done
for h in "${hosts[@]}"; do ns_run "$h" journalctl --sync; done
wait_for 30 caught_up
sleep 2
: >"$tmp/once"
for h in "${hosts[@]}"; do
	journalctl -q -D "$tmp/$h/log/journal" -o json >"$tmp/$h.host.json"
	journalctl -q -D "$tmp/central/log/journal/remote" -o json _HOSTNAME="$h" >"$tmp/$h.central.json"
	python3 - "$h" "$tmp/$h.host.json" "$tmp/$h.central.json" >>"$tmp/once" <<'EOF'
import collections, json, sys
def keys(path):
    c = collections.Counter()
    for line in open(path):
        e = json.loads(line)
        c[json.dumps([e.get(k) for k in ("_BOOT_ID", "__MONOTONIC_TIMESTAMP", "__REALTIME_TIMESTAMP", "MESSAGE")])] += 1
    return c
host, central = keys(sys.argv[2]), keys(sys.argv[3])
missing = sum((host - central).values())
foreign = sum(n for k, n in central.items() if k not in host)
copies = sum(n - host[k] for k, n in central.items() if k in host and n > host[k])
oidc = sum(n - host[k] for k, n in central.items() if k in host and n > host[k] and " ran " in k)
print("%s host %d central %d missing %d foreign %d copies %d oidc %d"
      % (sys.argv[1], sum(host.values()), sum(central.values()), missing, foreign, copies, oidc))
EOF
done
starts=$(for h in "${hosts[@]}"; do printf '%s %s ' "$h" "$(grep -c '^# exited' "$tmp/$h/upload.log")"; done)
diag "after the faults, per host: $(cat "$tmp/once")" "upload restarts (exits): $starts"
! grep -qv ' missing 0 foreign 0 ' "$tmp/once"
ok $? "every host's entries are at the central host, none missing, nothing that the host did not write" \
	"$(cat "$tmp/once")"
# Debian 12's systemd-journal-upload (252) sends the entry its state file
# names again when it starts: one copy per restart, more after a kill -9
# in the middle of a request (the state is saved when the server has
# answered).  Not hidden: counted here, and search lists each event once.
diag "copies at the central host (the uploads' re-sends): $(awk '{ printf "%s %s (oidc-audit %s) ", $1, $11, $13 }' "$tmp/once")"

# ---------------------------------------------------------------- search on the central host
total=$((3 * N))
ns_run central "$bin" search --directory /var/log/journal/remote --subject "$SUB" >"$tmp/all" 2>"$tmp/all.err"
rc=$?
ns_run central "$bin" search --directory /var/log/journal/remote --subject "$SUB" --output json >"$tmp/all.json" 2>/dev/null
TAP_LOG=$tmp/all
# kernel order: a line DATE TIME HOST exec ses=N alice (sub ...) ran /bin/true SUB-HOST-I
[ $rc = 0 ] && [ "$(wc -l <"$tmp/all")" = $total ] &&
	awk '{ split($NF, a, "-"); if ($3 != a[4] "-" a[5]) bad = 1 } END { exit bad }' "$tmp/all" &&
	python3 - "$tmp/all.json" "$total" <<'EOF'
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
t = [int(e["OIDC_EVENT_TIME"]) for e in got]
assert len(got) == int(sys.argv[2]) and t == sorted(t), "not every event, or not in kernel time order"
assert len({(e["_HOSTNAME"], e["OIDC_AUDIT_SERIAL"]) for e in got}) == len(got), "an event twice"
assert {e["_HOSTNAME"] for e in got} == {"web-1", "web-2", "db-1"}
EOF
ok $? "search --directory --subject on the central host: all $total events of three hosts once, in kernel time order, each line with its host" \
	"$(cat "$tmp/all.err")"

oidc_copies=$(awk '{ c += $13 } END { print c + 0 }' "$tmp/once")
if [ "$oidc_copies" = 0 ]; then
	[ ! -s "$tmp/all.err" ]
else
	grep -q "^oidc-audit search: $oidc_copies entries were in the journal twice" "$tmp/all.err"
fi
ok $? "search says how many entries it found twice ($oidc_copies oidc-audit entries re-sent) and lists them once" \
	"$(cat "$tmp/all.err")"

TAP_LOG=
# each event where it first arrived (the re-sent copies come later)
journalctl -q -D "$tmp/central/log/journal/remote" -o cat OIDC_SUBJECT="$SUB" | awk '!seen[$NF]++ { print $NF }' >"$tmp/arrival"
awk '{ print $NF }' "$tmp/all" >"$tmp/kernel"
! cmp -s "$tmp/arrival" "$tmp/kernel" && [ "$(sort "$tmp/arrival" | md5sum)" = "$(sort "$tmp/kernel" | md5sum)" ]
ok $? "the central journal's own order (arrival) is not the kernel's: the sort is search's doing"

ns_run central "$bin" search --directory /var/log/journal/remote --subject "$SUB" --host web-2 >"$tmp/host-web-2.txt" 2>/dev/null
rc=$?
[ $rc = 0 ] && [ "$(wc -l <"$tmp/host-web-2.txt")" = $N ] &&
	[ "$(awk '$3 == "web-2"' "$tmp/all" | cmp - "$tmp/host-web-2.txt" && echo same)" = same ]
ok $? "--host web-2: exactly web-2's $N events, as in the full timeline"

ns_run central "$bin" search --directory /var/log/journal/remote --subject "$SUB" --host db-1 --output json >"$tmp/db-1.json" 2>/dev/null
[ "$(wc -l <"$tmp/db-1.json")" = $N ] && [ "$(grep -c '"_HOSTNAME":"db-1"' "$tmp/db-1.json")" = $N ]
ok $? "--host db-1 --output json: $N objects, each with _HOSTNAME db-1"

for h in "${hosts[@]}"; do
	[ "$(own_events "$h")" = $N ] || echo "$h wrote $(own_events "$h") events"
done >"$tmp/own"
[ ! -s "$tmp/own" ]
ok $? "each host wrote its own session's $N events and none of the others' (its registry)" "$(cat "$tmp/own")"

finish
