#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# mkcerts.sh DIR [SUBDIR NAME] — make a throw-away test CA and a server
# certificate for 127.0.0.1 / localhost in DIR: ca.pem, ca.key, server.pem,
# server.key.  With SUBDIR and NAME, also a server certificate from the same
# CA for the host name NAME only, in DIR/SUBDIR/server.pem and server.key: a
# trusted certificate for another host (a name mismatch at 127.0.0.1).
# Idempotent: makes only what is missing.
set -eu
dir=$1
sub=${2:-}
name=${3:-}
[ -n "$sub" ] && [ -z "$name" ] && { echo "mkcerts.sh: SUBDIR needs a NAME" >&2; exit 2; }
mkdir -p "$dir"
cd "$dir"
umask 077

# issue OUTDIR CN SAN: a server certificate and key from the CA in the current folder
issue() {
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=$2" -keyout "$1/server.key" -out "$1/server.csr" >/dev/null 2>&1
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" >"$1/ext.cnf"
	openssl x509 -req -in "$1/server.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
		-extfile "$1/ext.cnf" -out "$1/server.pem" >/dev/null 2>&1
	rm -f "$1/server.csr" "$1/ext.cnf" ca.srl
	chmod 644 "$1/server.pem"
}

if [ ! -f server.pem ]; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
		-subj "/CN=pam_oidc test CA" -keyout ca.key -out ca.pem \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
		>/dev/null 2>&1
	chmod 644 ca.pem
	issue . localhost IP:127.0.0.1,DNS:localhost
fi
if [ -n "$sub" ] && [ ! -f "$sub/server.pem" ]; then
	mkdir -p "$sub"
	issue "$sub" "$name" "DNS:$name"
fi
