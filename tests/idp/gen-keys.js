#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
//
// Run once to (re)create jwks.json: the test provider's signing keys, WITH
// their private halves.  These keys exist only for pam_oidc's tests on
// loopback; they are committed so that tokens and fixtures stay stable.
// Never trust them for anything else.
//
//     node gen-keys.js > jwks.json
import { generateKeyPairSync } from 'node:crypto';

function jwk(type, options, kid, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}

const keys = [
  jwk('rsa', { modulusLength: 2048 }, 'test-rs256', 'RS256'),
  jwk('rsa', { modulusLength: 2048 }, 'test-ps256', 'PS256'),
  jwk('ec', { namedCurve: 'P-256' }, 'test-es256', 'ES256'),
  jwk('ed25519', {}, 'test-eddsa', 'EdDSA'),
];
process.stdout.write(`${JSON.stringify({ keys }, null, 2)}\n`);
