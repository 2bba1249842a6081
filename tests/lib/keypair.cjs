// SPDX-License-Identifier: BSD-2-Clause
//
// keypair.cjs — the one way the test servers and generators make a key
// pair: crypto.generateKeyPairSync's arguments, KeyObjects back.
//
//   const { keyPair } = require('../lib/keypair.cjs');     // CommonJS
//   import { keyPair } from '../lib/keypair.cjs';          // ES module
//   const { privateKey, publicKey } = keyPair('rsa', { modulusLength: 2048 });
//
// Why not generateKeyPairSync's own KeyObjects: in Node 20 they share one
// lock with the key generation job that made them.  export() holds that
// lock while it builds its result; when that allocation runs the garbage
// collector and the collector frees the finished job, the job's destructor
// takes the same lock, and the process hangs for good in a futex (seen in
// profiles.js at start, every time for one heap layout: gdb showed
// ExportJWKRsaKey -> Heap::CollectGarbage -> ~KeyGenJob -> uv_mutex_lock).
// Each key read back from the PEM the job wrote has a lock of its own.
'use strict';

const crypto = require('node:crypto');

function keyPair(type, options) {
	const pem = crypto.generateKeyPairSync(type, {
		...(options || {}),
		publicKeyEncoding: { type: 'spki', format: 'pem' },
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
	});
	return { privateKey: crypto.createPrivateKey(pem.privateKey),
		publicKey: crypto.createPublicKey(pem.publicKey) };
}

exports.keyPair = keyPair;
