#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
//
// corpus.js — the verifier's corpus of ID tokens, good and hostile, for
// tests/child/verify_agree.sh: every token is taken through the login path
// (pam-oidc login against misbehave.js --scenario corpus) and through
// pam-oidc verify, and the two verdicts must be the same.
//
//   node corpus.js --dir DIR --issuer URL --username NAME
//
// Writes DIR/jwks.json (the public keys), one DIR/<case>.jwt per case (the
// case name doubles as the client_id, so aud, azp and the provider's choice
// of token all follow from it) and DIR/cases (one line per case:
// "<case> ADMIT|REFUSE", the verdict the specifications demand).
// Plain Node (crypto), no npm; keys are made fresh on every run.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { keyPair } from '../lib/keypair.cjs';

const opt = { dir: null, issuer: null, username: null };
for (let i = 2; i < process.argv.length; i += 2) {
	const k = process.argv[i].replace(/^--/, '');
	if (!(k in opt) || i + 1 >= process.argv.length) {
		process.stderr.write(`corpus.js: bad argument ${process.argv[i]}\n`);
		process.exit(2);
	}
	opt[k] = process.argv[i + 1];
}
if (!opt.dir || !opt.issuer || !opt.username) {
	process.stderr.write('usage: corpus.js --dir DIR --issuer URL --username NAME\n');
	process.exit(2);
}

const b64u = (b) => Buffer.from(b).toString('base64url');
const now = Math.floor(Date.now() / 1000);

function key(kid, type, param) {
	const { privateKey, publicKey } = keyPair(type, param);
	return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' } };
}
const K = {
	rsa: key('rsa-1', 'rsa', { modulusLength: 2048 }),
	ec: key('ec-1', 'ec', { namedCurve: 'P-256' }),
	ec384: key('ec-384', 'ec', { namedCurve: 'P-384' }),
	ed: key('ed-1', 'ed25519'),
	outsider: key('ec-1', 'ec', { namedCurve: 'P-256' }),	// same kid, not in the set
	weak: key('rsa-weak', 'rsa', { modulusLength: 1024 }),	// published, skipped by the verifier
};
// the weak key goes first: it must not cost the good keys beside it (RFC 7517 section 5)
const published = [K.weak, K.rsa, K.ec, K.ec384, K.ed];

// sign(alg, keyobj, input): the raw JWS signature.
function sign(alg, k, input) {
	const data = Buffer.from(input);
	switch (alg) {
	case 'RS256': return crypto.sign('sha256', data, k.privateKey);
	case 'PS256': return crypto.sign('sha256', data, { key: k.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
	case 'ES256': return crypto.sign('sha256', data, { key: k.privateKey, dsaEncoding: 'ieee-p1363' });
	case 'ES384': return crypto.sign('sha384', data, { key: k.privateKey, dsaEncoding: 'ieee-p1363' });
	case 'EdDSA': return crypto.sign(null, data, k.privateKey);
	default: throw new Error(`no signer for ${alg}`);
	}
}

function claims(id, over = {}) {
	const c = {
		iss: opt.issuer, sub: `sub-${opt.username}`, aud: id, exp: now + 300, iat: now,
		auth_time: now, preferred_username: opt.username,
	};
	for (const [k, v] of Object.entries(over)) {
		if (v === undefined)
			delete c[k];
		else
			c[k] = v;
	}
	return c;
}

// jws(id, {alg, key, header, claims, payload, sig}): a compact token; the
// pieces not given follow from the case.
function jws(id, o = {}) {
	const alg = o.alg ?? 'ES256';
	const k = o.key ?? K.ec;
	const header = o.rawHeader ?? JSON.stringify({ alg, typ: 'JWT', kid: k.kid, ...(o.header ?? {}) });
	const payload = o.rawPayload ?? JSON.stringify(claims(id, o.claims));
	const input = `${b64u(header)}.${b64u(payload)}`;
	const sig = o.sig ? o.sig(input) : sign(o.signAs ?? alg, k, input);
	return `${input}.${b64u(sig)}`;
}

const cases = [];
function add(name, verdict, token) {
	cases.push([name, verdict]);
	fs.writeFileSync(path.join(opt.dir, `${name}.jwt`), `${token}\n`);
}
const A = (name, o) => add(name, 'ADMIT', jws(name, o));
const R = (name, o) => add(name, 'REFUSE', jws(name, o));

// good tokens, one per algorithm family
A('rs256', { alg: 'RS256', key: K.rsa });
A('ps256', { alg: 'PS256', key: K.rsa });
A('es256', {});
A('es384', { alg: 'ES384', key: K.ec384 });
A('eddsa', { alg: 'EdDSA', key: K.ed });
A('typ-lower-jwt', { header: { typ: 'jwt' } });
A('typ-absent', { rawHeader: JSON.stringify({ alg: 'ES256', kid: 'ec-1' }) });
A('aud-array-azp', { claims: { aud: ['aud-array-azp', 'other'], azp: 'aud-array-azp' } });
A('nbf-past', { claims: { nbf: now - 10 } });
A('ignored-jku', { header: { jku: 'https://evil.example/jwks' } });

// explicit typing (RFC 8725 3.11): not an ID token
R('typ-at-jwt', { header: { typ: 'at+jwt' } });
R('typ-app-at-jwt', { header: { typ: 'application/at+JWT' } });
R('typ-logout-jwt', { header: { typ: 'logout+jwt' } });
R('typ-app-logout', { header: { typ: 'application/logout+jwt' } });

// algorithms and keys
R('alg-none', { rawHeader: JSON.stringify({ alg: 'none', kid: 'ec-1' }), sig: () => Buffer.alloc(0) });
R('alg-none-case', { rawHeader: JSON.stringify({ alg: 'nOnE', kid: 'ec-1' }), sig: () => Buffer.alloc(0) });
R('alg-hs256', {
	rawHeader: JSON.stringify({ alg: 'HS256', kid: 'rsa-1' }),
	sig: (input) => crypto.createHmac('sha256', K.rsa.publicKey.export({ format: 'pem', type: 'spki' })).update(input).digest(),
});
R('alg-unknown', { rawHeader: JSON.stringify({ alg: 'ES999', kid: 'ec-1' }), sig: () => Buffer.alloc(64, 1) });
R('alg-key-mismatch', { alg: 'RS256', key: K.rsa, header: { kid: 'ec-1' } });
R('kid-unknown', { header: { kid: 'nobody' } });
R('outsider-key', { key: K.outsider });
R('kid-of-skipped-key', { alg: 'RS256', key: K.weak });
R('embedded-jwk', { key: K.outsider, header: { kid: 'own', jwk: K.outsider.jwk } });
R('crit', { header: { crit: ['exp'], exp: 1 } });
R('es256-der', { sig: (input) => crypto.sign('sha256', Buffer.from(input), K.ec.privateKey) });

// signatures
R('badsig', { sig: (input) => { const s = sign('ES256', K.ec, input); s[7] ^= 1; return s; } });
R('sig-truncated', { sig: (input) => sign('ES256', K.ec, input).subarray(0, 63) });
R('sig-of-other', { sig: () => sign('ES256', K.ec, 'eyJhbGciOiJFUzI1NiJ9.e30') });
R('sig-empty', { sig: () => Buffer.alloc(0) });

// structure
add('two-parts', 'REFUSE', jws('two-parts').split('.').slice(0, 2).join('.'));
add('four-parts', 'REFUSE', `${jws('four-parts')}.AAAA`);
add('padded-b64', 'REFUSE', jws('padded-b64').replace(/\./, '=.'));
R('payload-not-json', { rawPayload: 'not json at all' });
R('payload-array', { rawPayload: '[1,2,3]' });
R('dup-claim', { rawPayload: JSON.stringify(claims('dup-claim')).replace(/^\{/, '{"iss":"https://evil.example",') });
R('nul-in-sub', { rawPayload: JSON.stringify(claims('nul-in-sub')).replace(/"sub-[^"]*"/, '"sub-x\\u0000y"') });
R('lone-surrogate', { rawPayload: JSON.stringify(claims('lone-surrogate')).replace(/"sub-[^"]*"/, '"\\ud800"') });
R('trailing-json', { rawPayload: `${JSON.stringify(claims('trailing-json'))} x` });
R('header-dup-alg', { rawHeader: '{"alg":"ES256","alg":"none","kid":"ec-1"}' });

// claims (OpenID Connect Core 3.1.3.7)
R('iss-other', { claims: { iss: 'https://evil.example' } });
R('iss-slash', { claims: { iss: `${opt.issuer}/` } });
R('aud-other', { claims: { aud: 'another-client' } });
R('aud-array-no-azp', { claims: { aud: ['aud-array-no-azp', 'other'] } });
R('azp-other', { claims: { azp: 'another-client' } });
R('aud-missing', { claims: { aud: undefined } });
R('expired', { claims: { exp: now - 3600 } });
R('exp-missing', { claims: { exp: undefined } });
R('exp-string', { claims: { exp: String(now + 300) } });
R('exp-huge', { rawPayload: JSON.stringify(claims('exp-huge')).replace(/"exp":\d+/, '"exp":1e300') });
R('iat-future', { claims: { iat: now + 3600 } });
R('iat-missing', { claims: { iat: undefined } });
R('nbf-future', { claims: { nbf: now + 3600 } });
R('sub-missing', { claims: { sub: undefined } });
R('sub-empty', { claims: { sub: '' } });
R('sub-long', { claims: { sub: 's'.repeat(256) } });
R('sub-control', { claims: { sub: 'a\u001bb' } });

fs.writeFileSync(path.join(opt.dir, 'jwks.json'), JSON.stringify({ keys: published.map((k) => k.jwk) }));
fs.writeFileSync(path.join(opt.dir, 'cases'), cases.map(([n, v]) => `${n} ${v}\n`).join(''));
process.stdout.write(`${cases.length} cases\n`);
