#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
//
// Run once to (re)create jwks.json: the test provider's signing keys, WITH
// their private halves.  These keys exist only for pam_oidc's tests on
// loopback; they are committed so that tokens and fixtures stay stable.
// Never trust them for anything else.
//
//     node gen-keys.js > jwks.json
//     node gen-keys.js -next > jwks-next.json   (the "rotated" set: kids test-ALG-next)
import { keyPair } from '../lib/keypair.cjs';

function jwk(type, options, kid, alg) {
  const { privateKey } = keyPair(type, options);
  return { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}

const suffix = process.argv[2] || '';
const keys = [
  jwk('rsa', { modulusLength: 2048 }, `test-rs256${suffix}`, 'RS256'),
  jwk('rsa', { modulusLength: 2048 }, `test-ps256${suffix}`, 'PS256'),
  jwk('ec', { namedCurve: 'P-256' }, `test-es256${suffix}`, 'ES256'),
  jwk('ed25519', {}, `test-eddsa${suffix}`, 'EdDSA'),
];
process.stdout.write(`${JSON.stringify({ keys }, null, 2)}\n`);
