#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
//
// profiles.js — emulations of the OpenID providers administrators use, each
// written from that provider's public documentation: the discovery layout
// (issuer with or without a trailing slash, which endpoints it names), the
// device authorization response's field names, the HTTP status of each
// polling answer, the client authentication it takes, the JWKS shape
// (x5c/x5t, alg present or not, key types) and the ID token's claims and
// signature.  Plain Node (https, crypto; openssl for the x5c certificates),
// no npm.  For tests/child/providers.sh; see README.md.
//
//   node profiles.js --certs DIR --profile NAME [--port-file FILE] [--log FILE]
//        [--watch-pid PID] [--client-id ID] [--secret S] [--outcome approve|deny|expire]
//        [--pending N] [--slow-down N] [--interval N] [--user NAME]
//        [--claim NAME=VALUE]... [--drop-claim NAME]... [--mixed-keys]
//        [--sign-kid KID] [--replace-key-after-token]
//
// Listens on 127.0.0.1, a kernel-chosen port; prints "issuer ISSUER",
// "client_id ID" and "origin https://127.0.0.1:PORT", then writes PORT to
// --port-file (by rename).  Token polls: --slow-down N answers
// slow_down first, then --pending N (default 1) authorization_pending, then
// the outcome (approve: an ID token for the account; deny: the provider's
// denial; expire: expired_token), each in the provider's own status code.
// --interval N replaces the provider's interval (tests poll every second).
// --log FILE gets one line per request: "<ms since epoch> <what> ...", with
// "token STATUS ERROR" for each poll, so a test can measure the intervals.
//
// Options for the behaviours of issue 9's other items:
//   --mixed-keys      the JWKS also holds an RSA-1024 key (kid weak-1024), a
//                     P-256 key (kid ec-p256) and an Ed25519 key (kid ed25519)
//                     next to the profile's RSA-2048 one
//   --sign-kid KID    sign with that key (default: the profile's own)
//   --replace-key-after-token   after each ID token, the next device
//                     authorization replaces the signing key under the same
//                     kid (a restored or re-created realm)
//   --claim N=V, --drop-claim N   change the account's ID token claims (a
//                     value that parses as JSON is taken as JSON)
import https from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { keyPair } from '../lib/keypair.cjs';

function usage(msg) {
	process.stderr.write(`profiles.js: ${msg}\n`);
	process.exit(2);
}

const opt = {
	certs: null, profile: null, portFile: null, log: null, watchPid: 0, clientId: null,
	secret: null, outcome: 'approve', pending: 1, slowDown: 0, interval: null, user: 'daemon',
	claims: {}, drop: [], mixedKeys: false, signKid: null, replaceKey: false,
};
for (let i = 2; i < process.argv.length; i++) {
	const a = process.argv[i];
	const next = () => {
		if (i + 1 >= process.argv.length)
			usage(`${a} needs a value`);
		return process.argv[++i];
	};
	const int = () => {
		const v = next();
		if (!/^[0-9]+$/.test(v))
			usage(`${a} needs a number`);
		return Number.parseInt(v, 10);
	};
	switch (a) {
	case '--certs': opt.certs = next(); break;
	case '--profile': opt.profile = next(); break;
	case '--port-file': opt.portFile = next(); break;
	case '--log': opt.log = next(); break;
	case '--watch-pid': opt.watchPid = int(); break;
	case '--client-id': opt.clientId = next(); break;
	case '--secret': opt.secret = next(); break;
	case '--outcome': opt.outcome = next(); break;
	case '--pending': opt.pending = int(); break;
	case '--slow-down': opt.slowDown = int(); break;
	case '--interval': opt.interval = int(); break;
	case '--user': opt.user = next(); break;
	case '--claim': {
		const v = next();
		const eq = v.indexOf('=');
		if (eq < 1)
			usage('--claim needs NAME=VALUE');
		let val = v.slice(eq + 1);
		try {
			val = JSON.parse(val);
		} catch (e) {
			// a plain string
		}
		opt.claims[v.slice(0, eq)] = val;
		break;
	}
	case '--drop-claim': opt.drop.push(next()); break;
	case '--mixed-keys': opt.mixedKeys = true; break;
	case '--sign-kid': opt.signKid = next(); break;
	case '--replace-key-after-token': opt.replaceKey = true; break;
	default: usage(`unknown argument ${a}`);
	}
}
if (!opt.certs)
	usage('--certs DIR is required');
if (!['approve', 'deny', 'expire'].includes(opt.outcome))
	usage('--outcome is approve, deny or expire');

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const rand = (n) => b64u(crypto.randomBytes(n));

// ------------------------------------------------------------------ keys

// A self-signed certificate for the key, DER: what x5c carries (RFC 7517 4.7).
function selfSigned(privateKey) {
	// openssl reads a key from a pipe badly: a private 0600 file, removed at once
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profiles-'));
	const f = path.join(dir, 'key.pem');
	try {
		fs.writeFileSync(f, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
		return execFileSync('openssl', ['req', '-x509', '-new', '-key', f, '-subj',
			'/CN=profiles.js signing key', '-days', '2', '-outform', 'DER'],
		{ stdio: ['ignore', 'pipe', 'ignore'] });
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

// kind: rsa2048, rsa1024, p256, ed25519.  x5c: add x5c/x5t (and x5t#S256).
function makeKey(kind, kid, { alg = true, x5c = false, x5tS256 = false, extra = {} } = {}) {
	let pair;
	let jwa;
	switch (kind) {
	case 'rsa2048': pair = keyPair('rsa', { modulusLength: 2048 }); jwa = 'RS256'; break;
	case 'rsa1024': pair = keyPair('rsa', { modulusLength: 1024 }); jwa = 'RS256'; break;
	case 'p256': pair = keyPair('ec', { namedCurve: 'P-256' }); jwa = 'ES256'; break;
	case 'ed25519': pair = keyPair('ed25519'); jwa = 'EdDSA'; break;
	default: throw new Error(kind);
	}
	const pub = pair.publicKey.export({ format: 'jwk' });
	const jwk = { kty: pub.kty, use: 'sig', kid };
	if (alg)
		jwk.alg = jwa;
	Object.assign(jwk, pub, extra);
	if (x5c) {
		const der = selfSigned(pair.privateKey);
		jwk.x5c = [der.toString('base64')];
		jwk.x5t = b64u(crypto.createHash('sha1').update(der).digest());
		if (x5tS256)
			jwk['x5t#S256'] = b64u(crypto.createHash('sha256').update(der).digest());
	}
	return { kind, kid, jwa, privateKey: pair.privateKey, jwk, shape: { alg, x5c, x5tS256, extra } };
}

function signJws(header, claims, key, secret) {
	const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
	let sig;
	if (header.alg === 'HS256')
		sig = crypto.createHmac('sha256', secret).update(input).digest();
	else if (header.alg === 'ES256')
		sig = crypto.sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
	else if (header.alg === 'EdDSA')
		sig = crypto.sign(null, Buffer.from(input), key.privateKey);
	else
		sig = crypto.sign('sha256', Buffer.from(input), key.privateKey);
	return `${input}.${b64u(sig)}`;
}

// ------------------------------------------------------------------ profiles
//
// Each profile: the issuer's path (and trailing slash), the endpoint paths,
// the device response builder, the status of each polling answer, how the
// client must authenticate, the key set and the ID token's claims.  u is
// the account name (--user), iss the issuer, cid the client_id.

const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const rfcStatus = { pending: 400, slow_down: 400, deny: [400, 'access_denied'], expired: 400 };

const PROFILES = {
	// Google: accounts.google.com (no slash); verification_url, not _uri;
	// 428 pending, 403 slow_down and access_denied; a client secret is
	// required (TV and limited-input clients); RS256 keys with alg, no x5c;
	// hd only for Workspace accounts; no preferred_username.
	google: {
		issuerPath: '', clientId: 'g-123.apps.googleusercontent.com', confidential: true,
		paths: { discovery: '/.well-known/openid-configuration', device: '/device/code', token: '/token',
			jwks: '/oauth2/v3/certs', verification: '/device' },
		device: (iss, code, user) => ({ device_code: code, user_code: user,
			verification_url: `${origin()}/device`,
			expires_in: 1800, interval: 5 }),
		status: { pending: 428, slow_down: 403, deny: [403, 'access_denied'], expired: 400 },
		keys: () => [makeKey('rsa2048', rand(15), { alg: true })],
		claims: (u, iss, cid) => ({ iss, azp: cid, aud: cid, sub: '1098765432101234567890',
			hd: 'example.com', email: `${u}@example.com`, email_verified: true, at_hash: rand(16),
			name: 'Daemon User', given_name: 'Daemon', family_name: 'User', picture: 'https://lh3.example/a' }),
	},
	// Auth0: https://TENANT.auth0.com/ (trailing slash); 403 pending and
	// denial, 429 slow_down, 403 expired_token; a Native (public) client;
	// JWKS RS256 with alg, x5c and x5t; sub "auth0|..."; no preferred_username.
	auth0: {
		issuerPath: '/', clientId: 'Zm9vYmFyQXV0aDBjbGllbnQ', confidential: false,
		paths: { discovery: '/.well-known/openid-configuration', device: '/oauth/device/code',
			token: '/oauth/token', jwks: '/.well-known/jwks.json', verification: '/activate' },
		device: std,
		status: { pending: 403, slow_down: 429, deny: [403, 'access_denied'], expired: 403 },
		keys: () => [makeKey('rsa2048', rand(16), { x5c: true })],
		claims: (u, iss, cid) => ({ nickname: u, name: `${u}@example.com`, picture: 'https://s.gravatar.example/a.png',
			updated_at: new Date().toISOString(), email: `${u}@example.com`, email_verified: true,
			iss, aud: cid, sub: `auth0|${rand(12)}`, sid: rand(16) }),
	},
	// Entra ID: https://login.microsoftonline.com/TENANT/v2.0; device code at
	// /TENANT/oauth2/v2.0/devicecode with a "message"; every polling answer
	// 400, the denial is authorization_declined; a public client ("allow
	// public client flows"); JWKS without alg, with x5t, x5c and issuer;
	// claims oid, tid, ver 2.0, preferred_username (a mutable UPN).
	entra: {
		issuerPath: `/${TENANT}/v2.0`, clientId: '00000000-aaaa-bbbb-cccc-1234567890ab', confidential: false,
		paths: { discovery: `/${TENANT}/v2.0/.well-known/openid-configuration`,
			device: `/${TENANT}/oauth2/v2.0/devicecode`, token: `/${TENANT}/oauth2/v2.0/token`,
			jwks: `/${TENANT}/discovery/v2.0/keys`, verification: '/devicelogin' },
		device: (iss, code, user) => ({ user_code: user, device_code: code,
			verification_uri: `${origin()}/devicelogin`, expires_in: 900, interval: 5,
			message: `To sign in, use a web browser to open the page ${origin()}/devicelogin and enter the code ${user} to authenticate.` }),
		status: { pending: 400, slow_down: 400, deny: [400, 'authorization_declined'], expired: 400 },
		errorExtra: () => ({ error_description: 'AADSTS70016: OAuth 2.0 device flow error.', error_codes: [70016],
			timestamp: new Date().toISOString(), trace_id: crypto.randomUUID(), correlation_id: crypto.randomUUID() }),
		keys: () => [makeKey('rsa2048', rand(20), { alg: false, x5c: true, extra: { issuer: issuerUrl() } })],
		header: (key) => ({ typ: 'JWT', alg: 'RS256', kid: key.kid }),
		claims: (u, iss, cid) => ({ aud: cid, iss, iat: now(), nbf: now(), exp: now() + 3600,
			name: 'Daemon User', oid: crypto.randomUUID(), preferred_username: `${u}@example.com`,
			rh: rand(20), sub: rand(32), tid: TENANT, uti: rand(16), ver: '2.0' }),
	},
	// Entra ID, an application with a claims-mapping policy: its tokens are
	// signed with a key published only under ?appid=<client id>.
	'entra-appid': null,
	// authentik: https://authentik.company/application/o/SLUG/ (trailing
	// slash); /application/o/device/ reads client_id from the body only;
	// RS256 keys with alg, x5c, x5t and x5t#S256; groups.
	authentik: {
		issuerPath: '/application/o/pam/', clientId: 'QmF1dGhlbnRpa0NsaWVudElk', confidential: false,
		bodyClientId: true,
		paths: { discovery: '/application/o/pam/.well-known/openid-configuration',
			device: '/application/o/device/', token: '/application/o/token/',
			jwks: '/application/o/pam/jwks/', verification: '/if/flow/default-device-code/' },
		device: std,
		status: rfcStatus,
		keys: () => [makeKey('rsa2048', crypto.createHash('md5').update(rand(8)).digest('hex'), { x5c: true, x5tS256: true })],
		claims: (u, iss, cid) => ({ iss, sub: crypto.createHash('sha256').update(u).digest('hex'), aud: cid,
			auth_time: now(), acr: 'goauthentik.io/providers/oauth2/default', email: `${u}@example.com`,
			email_verified: true, name: 'Daemon User', given_name: 'Daemon User', preferred_username: u,
			nickname: u, groups: ['authentik Admins'] }),
	},
	// authentik with a confidential client: HTTP Basic at the token endpoint,
	// and still client_id in the body of the device request.
	'authentik-confidential': null,
	// authentik with no signing key selected: HS256 with the client secret,
	// an empty JWKS.
	'authentik-hs256': null,
	// GitLab 17.1+: the grant works at /oauth/authorize_device, discovery
	// does not name it; RS256 keys with alg.
	gitlab: {
		issuerPath: '', clientId: 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2', confidential: false,
		noDeviceInDiscovery: true,
		paths: { discovery: '/.well-known/openid-configuration', device: '/oauth/authorize_device',
			token: '/oauth/token', jwks: '/oauth/discovery/keys', verification: '/oauth/device' },
		device: std,
		status: rfcStatus,
		keys: () => [makeKey('rsa2048', rand(32))],
		claims: (u, iss, cid) => ({ iss, sub: '42', aud: cid, auth_time: now(), sub_legacy: rand(32),
			name: 'Daemon User', nickname: u, preferred_username: u, email: `${u}@example.com`,
			email_verified: true, website: '', profile: `${origin()}/${u}`, picture: `${origin()}/a.png`,
			groups_direct: ['infra'] }),
	},
	// Keycloak: /realms/NAME; an RSA-OAEP encryption key (use enc) beside
	// the RS256 signing key; typ "ID", azp, sid.
	keycloak: {
		issuerPath: '/realms/corp', clientId: 'pam-oidc', confidential: false,
		paths: { discovery: '/realms/corp/.well-known/openid-configuration',
			device: '/realms/corp/protocol/openid-connect/auth/device',
			token: '/realms/corp/protocol/openid-connect/token',
			jwks: '/realms/corp/protocol/openid-connect/certs', verification: '/realms/corp/device' },
		device: std,
		status: rfcStatus,
		keys: () => [makeKey('rsa2048', rand(32), { x5c: true, x5tS256: true }),
			makeKey('rsa2048', rand(32), { x5c: true, x5tS256: true, extra: { use: 'enc', alg: 'RSA-OAEP' } })],
		claims: (u, iss, cid) => ({ auth_time: now(), jti: crypto.randomUUID(), iss, aud: cid,
			sub: crypto.randomUUID(), typ: 'ID', azp: cid, sid: crypto.randomUUID(), acr: '1',
			email_verified: true, name: 'Daemon User', preferred_username: u, given_name: 'Daemon',
			family_name: 'User', email: `${u}@example.com` }),
	},
	// Okta: a custom authorization server /oauth2/default; a Native app;
	// RS256 keys with alg; preferred_username is the login (an email).
	okta: {
		issuerPath: '/oauth2/default', clientId: '0oa1b2c3d4e5f6g7h8i9', confidential: false,
		paths: { discovery: '/oauth2/default/.well-known/openid-configuration',
			device: '/oauth2/default/v1/device/authorize', token: '/oauth2/default/v1/token',
			jwks: '/oauth2/default/v1/keys', verification: '/activate' },
		device: std,
		status: rfcStatus,
		keys: () => [makeKey('rsa2048', rand(32))],
		claims: (u, iss, cid) => ({ sub: '00u1a2b3c4d5e6f7g8h9', name: 'Daemon User', email: `${u}@example.com`,
			ver: 1, iss, aud: cid, jti: `ID.${rand(24)}`, amr: ['pwd'], idp: '00o1a2b3c4d5e6f7g8h9',
			preferred_username: `${u}@example.com`, auth_time: now(), at_hash: rand(16) }),
	},
	// Dex: /dex, a public client; 401 for pending (Dex before 2.37), 400
	// slow_down; no preferred_username without a connector that sets it.
	dex: {
		issuerPath: '/dex', clientId: 'pam-oidc', confidential: false,
		paths: { discovery: '/dex/.well-known/openid-configuration', device: '/dex/device/code',
			token: '/dex/token', jwks: '/dex/keys', verification: '/dex/device' },
		device: std,
		status: { pending: 401, slow_down: 400, deny: [400, 'access_denied'], expired: 400 },
		keys: () => [makeKey('rsa2048', crypto.randomBytes(20).toString('hex'))],
		claims: (u, iss, cid) => ({ iss, sub: b64u(`\n\x04${u}\x12\x05local`), aud: cid, at_hash: rand(16),
			email: `${u}@example.com`, email_verified: true, name: 'Daemon User' }),
	},
	// ZITADEL: the instance's domain; aud holds the client and the project;
	// numeric kids.
	zitadel: {
		issuerPath: '', clientId: '245678901234567890@pam', confidential: false,
		paths: { discovery: '/.well-known/openid-configuration', device: '/oauth/v2/device_authorization',
			token: '/oauth/v2/token', jwks: '/oauth/v2/keys', verification: '/device' },
		device: std,
		status: rfcStatus,
		keys: () => [makeKey('rsa2048', '245678901234567999')],
		claims: (u, iss, cid) => ({ amr: ['pwd'], at_hash: rand(16), aud: [cid, '245678901234567000'],
			auth_time: now(), azp: cid, client_id: cid, iss, sub: '245678901234567111',
			email: `${u}@example.com`, email_verified: true, preferred_username: `${u}@example.com`,
			name: 'Daemon User', locale: 'en' }),
	},
	// PingFederate: /as/device_authz.oauth2, /as/token.oauth2, /pf/JWKS;
	// an ES256 (P-256) key with x5c beside an RSA one; sub is the username.
	pingfederate: {
		issuerPath: '', clientId: 'pam_oidc', confidential: false,
		paths: { discovery: '/.well-known/openid-configuration', device: '/as/device_authz.oauth2',
			token: '/as/token.oauth2', jwks: '/pf/JWKS', verification: '/as/user_authz.oauth2' },
		device: std,
		status: rfcStatus,
		keys: () => [makeKey('p256', 'k1ec', { alg: false, x5c: true }), makeKey('rsa2048', 'k1rsa', { alg: false })],
		header: (key) => ({ alg: key.jwa, kid: key.kid }),
		claims: (u, iss, cid) => ({ sub: u, aud: cid, jti: rand(8), iss, auth_time: now() }),
	},
};
PROFILES['entra-appid'] = { ...PROFILES.entra, appKey: true };
PROFILES['authentik-confidential'] = { ...PROFILES.authentik, confidential: true };
PROFILES['authentik-hs256'] = { ...PROFILES.authentik, confidential: true, hs256: true, keys: () => [] };

// RFC 8628 section 3.2, as most providers send it.
function std(iss, code, user) {
	const v = `${origin()}${prof.paths.verification}`;
	return { device_code: code, user_code: user, verification_uri: v,
		verification_uri_complete: `${v}?user_code=${user}`, expires_in: 600, interval: 5 };
}

const prof = PROFILES[opt.profile];
if (!prof)
	usage(`--profile must be one of ${Object.keys(PROFILES).join(' ')}`);
const clientId = opt.clientId || prof.clientId;
const secret = opt.secret || (prof.confidential ? 'profiles-secret-not-for-production' : null);
let port = 0;
const origin = () => `https://127.0.0.1:${port}`;
const issuerUrl = () => `${origin()}${prof.issuerPath}`;

// The key set: the profile's, and with --mixed-keys the other kinds.
let keys = prof.keys();
if (opt.mixedKeys) {
	keys = keys.concat([makeKey('rsa1024', 'weak-1024'), makeKey('p256', 'ec-p256'),
		makeKey('ed25519', 'ed25519')]);
}
// Entra's claims-mapping app: one more key, published only under ?appid=.
const appKey = prof.appKey ? makeKey('rsa2048', 'app-' + rand(8), { alg: false, x5c: true }) : null;
function signer() {
	if (appKey)
		return appKey;
	const k = opt.signKid ? keys.find((x) => x.kid === opt.signKid) : keys.find((x) => x.jwk.use !== 'enc');
	if (!k)
		usage(`no key ${opt.signKid}`);
	return k;
}

function log(what) {
	if (opt.log)
		fs.appendFileSync(opt.log, `${Date.now()} ${what}\n`);
}

function send(res, status, obj, headers = {}) {
	const body = JSON.stringify(obj);
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store',
		pragma: 'no-cache', ...headers });
	res.end(body);
}

// ------------------------------------------------------------------ requests

function discovery(query) {
	const iss = issuerUrl();
	const d = {
		issuer: iss,
		authorization_endpoint: `${origin()}${prof.paths.token.replace(/token\/?$/, 'authorize')}`,
		token_endpoint: `${origin()}${prof.paths.token}`,
		device_authorization_endpoint: `${origin()}${prof.paths.device}`,
		jwks_uri: `${origin()}${prof.paths.jwks}${appKey && query.get('appid') === clientId ? `?appid=${clientId}` : ''}`,
		userinfo_endpoint: `${origin()}/userinfo`,
		response_types_supported: ['code', 'id_token', 'code id_token'],
		subject_types_supported: ['public'],
		id_token_signing_alg_values_supported: prof.hs256 ? ['HS256'] : [...new Set(keys.map((k) => k.jwa))],
		scopes_supported: ['openid', 'email', 'profile'],
		token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
		claims_supported: ['aud', 'email', 'email_verified', 'exp', 'iat', 'iss', 'name', 'sub'],
		grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
	};
	if (prof.noDeviceInDiscovery)
		delete d.device_authorization_endpoint;
	return d;
}

function jwks(query) {
	// Entra names the issuer in each key
	const set = keys.map((k) => (k.jwk.issuer !== undefined ? { ...k.jwk, issuer: issuerUrl() } : k.jwk));
	if (appKey && query.get('appid') === clientId)
		set.push(appKey.jwk);
	return { keys: set };
}

function formDecode(x) {
	try {
		return decodeURIComponent(x.replace(/\+/g, ' '));
	} catch (e) {
		return null;
	}
}

// The client as the provider authenticates it: { id, basic, ok }.
function client(req, form) {
	const auth = req.headers.authorization;
	let id = form.get('client_id');
	let sec = form.get('client_secret');
	let basic = false;
	if (auth && auth.startsWith('Basic ')) {
		const cred = Buffer.from(auth.slice(6), 'base64').toString('latin1');
		const i = cred.indexOf(':');
		if (i < 1)
			return { ok: false, why: 'bad Basic' };
		basic = true;
		const bid = formDecode(cred.slice(0, i));
		if (id !== null && id !== bid)
			return { ok: false, why: 'client_id differs from Basic' };
		if (sec !== null)
			return { ok: false, why: 'two client authentications' };
		if (id === null && prof.bodyClientId && req.isDevice)
			return { ok: false, why: 'client_id not in the body' };
		id = bid;
		sec = formDecode(cred.slice(i + 1));
	}
	if (id !== clientId)
		return { ok: false, why: `unknown client ${id}` };
	if (secret !== null && sec !== secret)
		return { ok: false, why: 'bad or missing secret' };
	if (secret === null && sec !== null)
		return { ok: false, why: 'a public client has no secret' };
	return { ok: true, basic };
}

const deviceCode = rand(32);
const userCode = 'WDJB-MJHT';
let polls = 0;

function idToken() {
	const base = prof.claims(opt.user, issuerUrl(), clientId);
	const claims = { iat: now(), exp: now() + 3600, ...base, ...opt.claims };
	for (const n of opt.drop)
		delete claims[n];
	if (prof.hs256)
		return signJws({ alg: 'HS256', typ: 'JWT' }, claims, null, secret);
	const k = signer();
	const header = prof.header ? prof.header(k) : { alg: k.jwa, kid: k.kid, typ: 'JWT' };
	return signJws(header, claims, k);
}

function pollError(res, status, error) {
	const extra = prof.errorExtra ? prof.errorExtra() : {};
	log(`token ${status} ${error}`);
	send(res, status, { error, ...extra });
}

function token(req, res, form) {
	polls++;
	const c = client(req, form);
	if (!c.ok) {
		log(`token 401 invalid_client (${c.why})`);
		return send(res, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="token"' });
	}
	if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:device_code' ||
	    form.get('device_code') !== deviceCode) {
		log('token 400 invalid_grant');
		return send(res, 400, { error: 'invalid_grant' });
	}
	const st = prof.status;
	if (polls <= opt.slowDown)
		return pollError(res, st.slow_down, 'slow_down');
	if (polls <= opt.slowDown + opt.pending)
		return pollError(res, st.pending, 'authorization_pending');
	if (opt.outcome === 'deny')
		return pollError(res, st.deny[0], st.deny[1]);
	if (opt.outcome === 'expire')
		return pollError(res, st.expired, 'expired_token');
	const t = idToken();
	log(`token 200 id_token kid=${prof.hs256 ? '(hs256)' : signer().kid} basic=${c.basic ? 'yes' : 'no'}`);
	send(res, 200, { access_token: rand(24), token_type: 'Bearer', expires_in: 3599,
		scope: form.get('scope') || 'openid email profile', id_token: t });
	// the next login of this provider, if any, starts over
	polls = 0;
	replaceDue = opt.replaceKey;
	return undefined;
}

// --replace-key-after-token: the next login finds the signing key replaced
// under the same kid (after this login's client fetched the old one).
let replaceDue = false;
function replaceKeyIfDue() {
	if (!replaceDue)
		return;
	replaceDue = false;
	const old = signer();
	const fresh = makeKey(old.kind, old.kid, old.shape);
	keys = keys.map((k) => (k === old ? fresh : k));
	log(`replaced key ${old.kid}`);
}

function device(req, res, form) {
	req.isDevice = true;
	replaceKeyIfDue();
	const c = client(req, form);
	if (!c.ok) {
		log(`device 400 invalid_client (${c.why})`);
		return send(res, 400, { error: 'invalid_client', error_description: c.why });
	}
	const ans = prof.device(issuerUrl(), deviceCode, userCode);
	if (opt.interval !== null)
		ans.interval = opt.interval;
	log(`device 200 client_id_in_body=${form.has('client_id') ? 'yes' : 'no'} basic=${c.basic ? 'yes' : 'no'} scope=${form.get('scope')}`);
	return send(res, 200, ans);
}

function handle(req, res) {
	const url = new URL(req.url, 'https://127.0.0.1');
	const p = url.pathname;
	const chunks = [];
	let n = 0;
	req.on('data', (d) => {
		n += d.length;
		if (n <= 65536)
			chunks.push(d);
	});
	req.on('end', () => {
		const form = new URLSearchParams(Buffer.concat(chunks).toString('latin1'));
		if (req.method === 'GET' && p === prof.paths.discovery) {
			log(`discovery ${url.search || '-'}`);
			return send(res, 200, discovery(url.searchParams));
		}
		if (req.method === 'GET' && p === prof.paths.jwks) {
			log(`jwks ${url.search || '-'}`);
			return send(res, 200, jwks(url.searchParams));
		}
		if (req.method === 'POST' && p === prof.paths.device)
			return device(req, res, form);
		if (req.method === 'POST' && p === prof.paths.token)
			return token(req, res, form);
		log(`404 ${req.method} ${p}`);
		return send(res, 404, { error: 'not_found' });
	});
}

const server = https.createServer({
	cert: fs.readFileSync(path.join(opt.certs, 'server.pem')),
	key: fs.readFileSync(path.join(opt.certs, 'server.key')),
}, handle);

server.listen(0, '127.0.0.1', () => {
	port = server.address().port;
	// what a test configures, before the port file says the server is up
	fs.writeSync(1, `issuer ${issuerUrl()}\nclient_id ${clientId}\norigin ${origin()}\n`);
	if (opt.portFile) {
		fs.writeFileSync(`${opt.portFile}.tmp`, `${port}\n`);
		fs.renameSync(`${opt.portFile}.tmp`, opt.portFile);
	}
});

if (opt.watchPid > 0) {
	setInterval(() => {
		try {
			process.kill(opt.watchPid, 0);
		} catch (e) {
			process.exit(0);
		}
	}, 500).unref();
}
process.on('SIGTERM', () => process.exit(0));
