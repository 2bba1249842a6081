#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# mkcerts.sh DIR — make a throw-away test CA and a server certificate for
# 127.0.0.1 / localhost in DIR: ca.pem, ca.key, server.pem, server.key.
# Idempotent: does nothing when DIR/server.pem exists.
set -eu
dir=$1
[ -f "$dir/server.pem" ] && exit 0
mkdir -p "$dir"
cd "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
	-subj "/CN=pam_oidc test CA" -keyout ca.key -out ca.pem \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
	>/dev/null 2>&1
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-subj "/CN=localhost" -keyout server.key -out server.csr >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
	-extfile ext.cnf -out server.pem >/dev/null 2>&1
rm -f server.csr ext.cnf ca.srl
chmod 644 ca.pem server.pem
