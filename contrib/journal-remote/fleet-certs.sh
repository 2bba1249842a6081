#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# fleet-certs.sh DIR CENTRAL HOST...: the TLS files of a journal fleet, made
# with openssl in DIR (created, mode 0700):
#
#   ca.pem, ca.key             the fleet's own CA (keep ca.key offline)
#   CENTRAL.pem, CENTRAL.key   the central host's server certificate, for the
#                              name (and, if it is one, the address) the
#                              hosts put in journal-upload.conf's URL=
#   HOST.pem, HOST.key         one client certificate per host, CN=HOST
#
# Where they go and who may read them: contrib/journal-remote/README.
# Run it again with new HOST names to add hosts: the CA is reused.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 DIR CENTRAL [HOST...]" >&2; exit 2; }
dir=$1 central=$2
shift 2
umask 077
mkdir -p "$dir"
cd "$dir"

if [ ! -f ca.key ]; then
	openssl req -x509 -new -newkey rsa:3072 -nodes -days 3650 -sha256 \
		-subj "/CN=journal fleet CA" -keyout ca.key -out ca.pem \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
		2>/dev/null
fi

# cert NAME USAGE SAN: a key and a certificate signed by the CA
cert() {
	[ -f "$1.pem" ] && return 0
	openssl req -new -newkey rsa:3072 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr" 2>/dev/null
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
		"$2" "$3" >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -sha256 \
		-extfile "$1.ext" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}

case $central in
*[!0-9.]*) san="DNS:$central" ;;
*) san="IP:$central" ;;
esac
cert "$central" serverAuth "$san"
for host in "$@"; do
	cert "$host" clientAuth "DNS:$host"
done
ls "$dir"
