#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# tests/lib/keypair.cjs, the one way the test servers make key pairs.
#
# Node 20 deadlocks when a KeyObject from crypto.generateKeyPairSync is
# exported while the garbage collector frees the job that made it: export()
# holds the key's lock, the job's destructor takes it again (gdb:
# ExportJWKRsaKey -> Heap::CollectGarbage -> ~KeyGenJob -> uv_mutex_lock).
# profiles.js hung so at start on CI three runs out of three.  Measured
# with the loop below at 20,000 rounds: generateKeyPairSync's own keys hung
# in 4 runs of 4 within 60 s (the first after about 4,000 rounds);
# keyPair()'s keys in none of 4.
#
# 1. 10,000 rounds of make, fill the young generation by a varying amount,
#    export as JWK, with a 1 MB young generation: keyPair()'s keys never
#    hang (bounded: 120 s).
# 2. No test script makes keys with generateKeyPairSync but keypair.cjs.
. "${top_srcdir:?}/tests/lib/tap.sh"
command -v node >/dev/null || skip_all "node is not installed"
plan 2

out=$(timeout 120 node --max-semi-space-size=1 -e '
	const { keyPair } = require(process.argv[1]);
	let junk = [];
	for (let i = 0; i < 10000; i++) {
		const p = keyPair("ec", { namedCurve: "P-256" });
		for (let j = 0; j < (i * 7919) % 200; j++) junk.push({ a: j, b: "x" + j });
		if (junk.length > 5000) junk = [];
		if (p.publicKey.export({ format: "jwk" }).crv !== "P-256") throw new Error("bad JWK");
	}
	console.log("10000 exported");' "$top_srcdir/tests/lib/keypair.cjs" 2>&1)
rc=$?
[ "$rc" -eq 0 ] && [ "$out" = "10000 exported" ]
ok $? "keyPair(): 10,000 JWK exports under collection pressure, no hang" "exit $rc: $out"

others=$(grep -rln 'generateKeyPair' "$top_srcdir/tests" --include='*.js' --include='*.cjs' --include='*.mjs' \
	--exclude-dir=node_modules | grep -v '/tests/lib/keypair\.cjs$')
[ -z "$others" ]
ok $? "no test script but tests/lib/keypair.cjs calls generateKeyPair" "$others"
finish
