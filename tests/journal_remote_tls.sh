#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# contrib/journal-remote/ works as its README says (non-root, a private
# port and private files; no service of the machine is touched):
# fleet-certs.sh makes a CA, a server and client certificates that verify;
# the option names of the configuration files are those of the installed
# journal-remote.conf(5) and journal-upload.conf(5); the real
# systemd-journal-upload ships a host's journal over HTTPS to the real
# systemd-journal-remote (SplitMode=host), every entry once, and
# oidc-audit search --directory answers there with the host; an uploader
# that trusts another CA does not send to this server.
set -u
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
bin="${top_builddir:?}/auditd-helper/oidc-audit"
contrib=$top_srcdir/contrib/journal-remote
remote=/lib/systemd/systemd-journal-remote
upload=/lib/systemd/systemd-journal-upload
[ -x "$remote" ] && [ -x "$upload" ] || skip_all "no $remote or $upload (Debian package systemd-journal-remote)"
command -v openssl >/dev/null || skip_all "no openssl"
tmp=$(mktemp -d /tmp/pam_oidc-journal-remote.XXXXXX)
at_exit rm -rf "$tmp"
at_exit reap
export TZ=UTC0
SUB=248163264128
N=25

plan 6

# --- the certificates ----------------------------------------------------
sh "$contrib/fleet-certs.sh" "$tmp/tls" 127.0.0.1 web-1 web-2 >"$tmp/certs.log" 2>&1
rc=$?
c=$tmp/tls
TAP_LOG=$tmp/certs.log
[ $rc = 0 ] && openssl verify -CAfile "$c/ca.pem" "$c/127.0.0.1.pem" "$c/web-1.pem" "$c/web-2.pem" >>"$tmp/certs.log" 2>&1 &&
	openssl x509 -in "$c/127.0.0.1.pem" -noout -ext subjectAltName,extendedKeyUsage | grep -q "IP Address:127.0.0.1" &&
	openssl x509 -in "$c/127.0.0.1.pem" -noout -ext extendedKeyUsage | grep -q "TLS Web Server Authentication" &&
	openssl x509 -in "$c/web-1.pem" -noout -ext extendedKeyUsage | grep -q "TLS Web Client Authentication" &&
	openssl x509 -in "$c/web-1.pem" -noout -subject | grep -q "CN *= *web-1" &&
	[ "$(stat -c %a "$c/ca.key" "$c/web-1.key" "$c/127.0.0.1.key" | sort -u)" = 600 ]
ok $? "fleet-certs.sh: a CA, a server certificate for the central address, a client certificate per host, keys 0600"

# --- the option names ----------------------------------------------------
# keys MANPAGE FILE: every Key= of FILE is an option of MANPAGE's OPTIONS
keys_known() {
	local k rc=0
	man -P cat "$1" 2>/dev/null | sed -n '/^OPTIONS/,/^SEE ALSO/p' >"$tmp/$1.txt"
	[ -s "$tmp/$1.txt" ] || { echo "no man page $1"; return 1; }
	for k in $(sed -n 's/^\([A-Za-z]*\)=.*/\1/p' "$2"); do
		grep -q "^ *$k=\$" "$tmp/$1.txt" || { echo "$k= of $2 is not in $1"; rc=1; }
	done
	return $rc
}
if command -v man >/dev/null && man -w journal-remote.conf >/dev/null 2>&1; then
	keys_known journal-remote.conf "$contrib/journal-remote.conf" >"$tmp/keys" 2>&1 &&
		keys_known journal-upload.conf "$contrib/journal-upload.conf" >>"$tmp/keys" 2>&1
	ok $? "the configuration files use only options of journal-remote.conf(5) and journal-upload.conf(5)" \
		"$(cat "$tmp/keys")"
else
	pass "# SKIP no man pages of systemd-journal-remote (man-db)"
fi

# --- a host's journal, shipped over HTTPS --------------------------------
mkdir -p "$tmp/src" "$tmp/central" "$tmp/other"
boot=$(printf '%032x' 0xf1ee7)
for k in $(seq 1 $N); do
	t=$((1764100000000000 + k * 1000000))
	printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=%s\n_HOSTNAME=web-1\n_UID=0\n' \
		$((t + 2000000)) $((k * 1000000)) "$boot"
	printf 'OIDC_EVENT=exec\nOIDC_SUBJECT=%s\nOIDC_AUDIT_SESSION=3\nOIDC_EVENT_TIME=%s\nMESSAGE=alice ran cmd-%s\n\n' \
		"$SUB" "$t" "$k"
done | "$remote" --output="$tmp/src/system.journal" - >"$tmp/src.log" 2>&1 || bail "cannot write the source journal"

port=
for p in $(shuf -i 20000-60000 -n 20); do
	listening "$p" && continue
	spawn "$remote" --listen-https="127.0.0.1:$p" --output="$tmp/central/" --split-mode=host \
		--key="$c/127.0.0.1.key" --cert="$c/127.0.0.1.pem" >"$tmp/remote.log" 2>&1
	pid=$!
	if wait_for -p "$pid" 10 listening "$p"; then
		port=$p
		break
	fi
	stop "$pid"
done
[ -n "$port" ] || bail "systemd-journal-remote did not listen: $(cat "$tmp/remote.log")"

timeout 60 "$upload" --url="https://127.0.0.1:$port" --directory="$tmp/src" --follow=no \
	--key="$c/web-1.key" --cert="$c/web-1.pem" --trust="$c/ca.pem" >"$tmp/upload.log" 2>&1
rc=$?
TAP_LOG=$tmp/upload.log
# journal-remote writes what arrived before the upload's last response
wait_for 10 sh -c "[ \"\$(journalctl --directory='$tmp/central' -o cat OIDC_SUBJECT=$SUB 2>/dev/null | wc -l)\" = $N ]"
files=$(cd "$tmp/central" && ls)
got=$(journalctl --directory="$tmp/central" -o cat OIDC_SUBJECT="$SUB" | sort | uniq -c | awk '$1 != 1 { d++ } END { print NR, d + 0 }')
[ $rc = 0 ] && [ "$got" = "$N 0" ] && [ "$files" = remote-127.0.0.1.journal ]
ok $? "journal-upload over HTTPS: all $N entries arrive once, in remote-ADDRESS.journal (SplitMode=host)" \
	"upload exit $rc; distinct and duplicated: $got; files: $files" "$(cat "$tmp/remote.log")"

"$bin" search --directory "$tmp/central" --subject "$SUB" >"$tmp/search" 2>&1
rc=$?
TAP_LOG=$tmp/search
[ $rc = 0 ] && [ "$(grep -c ' web-1 exec   ses=3 alice ran cmd-' "$tmp/search")" = $N ] &&
	[ "$(awk '{ print $NF }' "$tmp/search" | tr '\n' ' ')" = "$(seq -f 'cmd-%g' 1 $N | tr '\n' ' ')" ]
ok $? "oidc-audit search --directory on the central files: every event, with its host, in kernel time order"

# --- the uploader authenticates the server -------------------------------
sh "$contrib/fleet-certs.sh" "$tmp/tls2" 127.0.0.1 web-1 >/dev/null 2>&1
timeout 60 "$upload" --url="https://127.0.0.1:$port" --directory="$tmp/src" --follow=no \
	--key="$c/web-1.key" --cert="$c/web-1.pem" --trust="$tmp/tls2/ca.pem" >"$tmp/upload2.log" 2>&1
rc=$?
TAP_LOG=$tmp/upload2.log
[ $rc != 0 ] && grep -qi "certificate\|SSL" "$tmp/upload2.log" &&
	[ "$(journalctl --directory="$tmp/central" -o cat OIDC_SUBJECT="$SUB" | wc -l)" = $N ]
ok $? "an uploader whose CA did not sign the server's certificate refuses to send (nothing more arrives)" "exit $rc"

# --- what Debian 12's journal-remote does with client certificates -------
# The README says: built without GnuTLS, it checks no client certificate.
if "$remote" --version | grep -q -- '-GNUTLS'; then
	"$remote" --listen-https=127.0.0.1:1 --trust="$c/ca.pem" --output="$tmp/other/" \
		--key="$c/127.0.0.1.key" --cert="$c/127.0.0.1.pem" >"$tmp/trust.log" 2>&1
	rc=$?
	TAP_LOG=$tmp/trust.log
	[ $rc != 0 ] && grep -q "Option --trust is not available" "$tmp/trust.log" &&
		grep -q "Certificate checking disabled" "$tmp/remote.log"
	ok $? "this journal-remote (-GNUTLS) refuses --trust and checks no client certificate, as the README warns"
else
	pass "# SKIP this journal-remote has GnuTLS: the README's warning is about Debian 12's build"
fi

finish
