#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
//
// misbehave.js — a scripted OpenID provider that does what a good one never
// does, for the oidc-child tests.  Plain Node (https, crypto), no npm.
//
//   node misbehave.js --certs DIR --scenario NAME [--port-file FILE]
//        [--client-id ID] [--secret S] [--username NAME] [--interval N]
//        [--expires-in N] [--pending N] [--log FILE] [--watch-pid PID]
//        [--corpus DIR]
//
// DIR holds server.pem/server.key (tests/lib/mkcerts.sh).  Listens on
// 127.0.0.1, a kernel-chosen port; prints "listening PORT" and writes PORT
// to --port-file (by rename).  The issuer is https://127.0.0.1:PORT.
// Endpoints: /.well-known/openid-configuration, /jwks, /device/auth,
// /token.  The device authorization is always well formed unless the
// scenario says otherwise; --pending N (default 1) polls answer
// authorization_pending before the scenario's token answer.  --log FILE
// gets one line per request: "<ms since epoch> <path> <answer>".
//
// Scenarios (what the token endpoint, or another endpoint, does):
//   ok              a valid ES256 ID token for --username
//   slow_down       first poll slow_down, then pending, then ok
//   expired_token   error expired_token
//   access_denied   error access_denied
//   denied_403      error access_denied with HTTP 403 (Auth0's and Google's status)
//   invalid_grant   error invalid_grant
//   hang            never answers the token request
//   hang_device     never answers the device authorization request
//   hang_jwks       never answers the JWKS request
//   oversized       a 1 MiB JSON body
//   malformed       truncated JSON
//   dupkey          JSON with two id_token members
//   http500         HTTP 500
//   no_id_token     200 with an access token only
//   badsig          the ID token's signature is altered
//   wrong_aud       signed, aud is another client
//   wrong_iss       signed, iss is another issuer
//   rotate          signed with a new kid that /jwks shows only from its 2nd fetch
//   rotate_same_kid the key under kid mis-1 is replaced after the first /jwks
//                   fetch; the 1st login's token is signed with the first key,
//                   the 2nd with its replacement, the 3rd with the first (removed)
//   weak_key_in_set /jwks holds RSA-1024 (mis-weak) beside RSA-2048 (mis-rsa),
//                   P-256 (mis-1) and Ed25519 (mis-ed); odd logins get an RS256
//                   token of mis-rsa, even ones of mis-weak
//   device_ctl      the user_code holds an escape character
//   device_http     the verification_uri is http://
//   device_500      the device authorization endpoint answers HTTP 500
//   corpus          --corpus DIR: any client_id C with a file DIR/C.jwt is
//                   accepted, and its token answer is that file's ID token;
//                   /jwks serves DIR/jwks.json (tests/child/verify_agree.sh)
// Google accounts (required_claims, tests/child/required_claims.sh): an ID
// token with email --username@example.com, verified, and
//   hd_workspace    hd "example.com" (an account the Workspace manages)
//   hd_consumer     no hd (a consumer account registered on that address)
//   hd_other        hd "example.com.evil.test" (another Workspace)
// Discovery as providers publish it (pam-oidc check, tests/e2e/cli_check.sh):
//   issuer_slash    discovery's issuer ends in "/" (Auth0, authentik)
//   no_device       discovery names no device_authorization_endpoint (GitLab)
//   hs256_only      ID tokens signed HS256 only, /jwks has no key (authentik
//                   without a signing key)
// The fault matrix (tests/pam/fault_matrix.sh), see faultMatrix() below:
//   die_polling     the process exits once it answered the first poll
//   slow_body       discovery trickles one byte every 250 ms, never ending
//   redirect        discovery answers 302 to a valid copy of itself
//   slow_down_storm every poll answers slow_down
//   kid_storm       every ID token is signed with a new kid /jwks never shows
//   jwks_404        /jwks answers 404
//   skew_ahead      iat, nbf, auth_time and exp 2 h ahead (a fast provider clock)
//   skew_behind     the same 2 h behind (a slow one: the token has expired)
// An ES module, like the rest of tests/idp (package.json "type": "module").
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { keyPair } from '../lib/keypair.cjs';

function usage(msg) {
	process.stderr.write(`misbehave.js: ${msg}\n`);
	process.exit(2);
}

const opt = {
	certs: null, scenario: null, portFile: null, clientId: 'misbehave', secret: null,
	username: 'daemon', interval: null, expiresIn: 60, pending: 1, log: null, watchPid: 0,
	corpus: null,
};
for (let i = 2; i < process.argv.length; i++) {
	const a = process.argv[i];
	const next = () => {
		if (i + 1 >= process.argv.length)
			usage(`${a} needs a value`);
		return process.argv[++i];
	};
	switch (a) {
	case '--certs': opt.certs = next(); break;
	case '--scenario': opt.scenario = next(); break;
	case '--port-file': opt.portFile = next(); break;
	case '--client-id': opt.clientId = next(); break;
	case '--secret': opt.secret = next(); break;
	case '--username': opt.username = next(); break;
	case '--interval': opt.interval = Number.parseInt(next(), 10); break;
	case '--expires-in': opt.expiresIn = Number.parseInt(next(), 10); break;
	case '--pending': opt.pending = Number.parseInt(next(), 10); break;
	case '--log': opt.log = next(); break;
	case '--watch-pid': opt.watchPid = Number.parseInt(next(), 10); break;
	case '--corpus': opt.corpus = next(); break;
	default: usage(`unknown argument ${a}`);
	}
}
const SCENARIOS = ['ok', 'slow_down', 'expired_token', 'access_denied', 'denied_403', 'invalid_grant', 'hang', 'hang_device', 'hang_jwks',
	'oversized', 'malformed', 'dupkey', 'http500', 'no_id_token', 'badsig', 'wrong_aud',
	'wrong_iss', 'rotate', 'rotate_same_kid', 'weak_key_in_set', 'device_ctl', 'device_http', 'device_500', 'corpus',
	'hd_workspace', 'hd_consumer', 'hd_other', 'issuer_slash', 'no_device', 'hs256_only'];
// the fault matrix's scenarios, handled by faultMatrix()
const FAULT_SCENARIOS = ['die_polling', 'slow_body', 'redirect', 'slow_down_storm', 'kid_storm',
	'jwks_404', 'skew_ahead', 'skew_behind'];
SCENARIOS.push(...FAULT_SCENARIOS);
if (!opt.certs)
	usage('--certs DIR is required');
if ((opt.scenario === 'corpus') !== (opt.corpus !== null))
	usage('--corpus DIR goes with --scenario corpus, and only with it');
if (!SCENARIOS.includes(opt.scenario))
	usage(`--scenario must be one of ${SCENARIOS.join(' ')}`);

const b64u = (buf) => Buffer.from(buf).toString('base64url');

function makeKey(kid) {
	const { privateKey, publicKey } = keyPair('ec', { namedCurve: 'P-256' });
	const jwk = publicKey.export({ format: 'jwk' });
	return { kid, privateKey, jwk: { ...jwk, kid, alg: 'ES256', use: 'sig' } };
}

const oldKey = makeKey('mis-1');
const newKey = makeKey('mis-2');
// rotate_same_kid: another P-256 key under oldKey's kid
const sameKidKey = makeKey('mis-1');
// weak_key_in_set: the keys beside oldKey
function makeOtherKey(kid, type, options, alg) {
	const { privateKey, publicKey } = keyPair(type, options);
	const jwk = publicKey.export({ format: 'jwk' });
	return { kid, alg, privateKey, jwk: { ...jwk, kid, alg, use: 'sig' } };
}
const weakKeys = opt.scenario !== 'weak_key_in_set' ? null : {
	weak: makeOtherKey('mis-weak', 'rsa', { modulusLength: 1024 }, 'RS256'),
	rsa: makeOtherKey('mis-rsa', 'rsa', { modulusLength: 2048 }, 'RS256'),
	ed: makeOtherKey('mis-ed', 'ed25519', {}, 'EdDSA'),
};
let issuer = null;
let jwksFetches = 0;
let polls = 0;
let logins = 0;	// device authorization requests answered
const deviceCode = b64u(crypto.randomBytes(24));
const hung = [];

function log(p, what) {
	if (opt.log)
		fs.appendFileSync(opt.log, `${Date.now()} ${p} ${what}\n`);
}

function sign(claims, key) {
	const alg = key.alg || 'ES256';
	const header = { alg, typ: 'JWT', kid: key.kid };
	const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
	const sig = alg === 'ES256' ?
		crypto.sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' }) :
		crypto.sign(alg === 'RS256' ? 'sha256' : null, Buffer.from(input), key.privateKey);
	return `${input}.${b64u(sig)}`;
}

function idToken(over = {}, key = oldKey) {
	const now = Math.floor(Date.now() / 1000);
	const claims = {
		iss: issuer, sub: `sub-${opt.username}`, aud: opt.clientId, exp: now + 300, iat: now,
		auth_time: now, preferred_username: opt.username,
		email: `${opt.username}@example.test`, email_verified: true, groups: ['dev'],
		...over,
	};
	return sign(claims, key);
}

function send(res, status, obj, raw) {
	const body = raw !== undefined ? raw : JSON.stringify(obj);
	res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(body);
}

function tokenAnswer(res, form) {
	const tok = (t) => {
		const at = 'at-' + b64u(crypto.randomBytes(9));
		// logged so a test can prove no token leaks from the client
		log('issued', `id_token_sig=${t.slice(t.lastIndexOf('.') + 1)} access_token=${at}`);
		send(res, 200, { access_token: at, token_type: 'Bearer', expires_in: 300, id_token: t });
	};
	switch (opt.scenario) {
	case 'expired_token':
	case 'access_denied':
	case 'invalid_grant':
		return send(res, 400, { error: opt.scenario });
	case 'denied_403':
		return send(res, 403, { error: 'access_denied', error_description: 'User cancelled the confirmation prompt' });
	case 'hang':
		hung.push(res);
		return undefined;
	case 'oversized':
		return send(res, 200, { id_token: idToken(), pad: 'x'.repeat(1024 * 1024) });
	case 'malformed':
		return send(res, 200, null, `{"id_token": "${idToken()}"`);
	case 'dupkey':
		return send(res, 200, null, `{"id_token": "${idToken()}", "id_token": "${idToken()}"}`);
	case 'http500':
		return send(res, 500, null, 'internal server error');
	case 'no_id_token':
		return send(res, 200, { access_token: 'at', token_type: 'Bearer', expires_in: 300 });
	case 'badsig': {
		const t = idToken();
		const i = t.lastIndexOf('.');
		const sig = Buffer.from(t.slice(i + 1), 'base64url');
		sig[5] ^= 0x01;
		return tok(`${t.slice(0, i)}.${b64u(sig)}`);
	}
	case 'wrong_aud':
		return tok(idToken({ aud: 'another-client' }));
	case 'wrong_iss':
		return tok(idToken({ iss: 'https://evil.example' }));
	case 'rotate':
		return tok(idToken({}, newKey));
	case 'rotate_same_kid':
		return tok(idToken({}, logins === 2 ? sameKidKey : oldKey));
	case 'weak_key_in_set':
		return tok(idToken({}, logins % 2 === 1 ? weakKeys.rsa : weakKeys.weak));
	case 'corpus':
		return tok(fs.readFileSync(corpusFile(form.get('client_id')), 'latin1').trim());
	case 'hd_workspace':
	case 'hd_consumer':
	case 'hd_other': {
		const hd = { hd_workspace: 'example.com', hd_other: 'example.com.evil.test' }[opt.scenario];
		return tok(idToken({ email: `${opt.username}@example.com`, ...(hd ? { hd } : {}) }));
	}
	default:
		return tok(idToken());
	}
}

function readBody(req, cb) {
	const chunks = [];
	let n = 0;
	req.on('data', (c) => {
		n += c.length;
		if (n <= 65536)
			chunks.push(c);
	});
	req.on('end', () => cb(Buffer.concat(chunks).toString('latin1')));
}

// The client must authenticate as it is configured: Basic with --secret
// (each half form-urlencoded, RFC 6749 2.3.1), else client_id in the form.
function formDecode(x) {
	try {
		return decodeURIComponent(x.replace(/\+/g, ' '));
	} catch (e) {
		return null;
	}
}

// The corpus file of a client_id, or null when there is none.
function corpusFile(id) {
	if (opt.corpus === null || typeof id !== 'string' || !/^[a-z0-9_-]{1,64}$/.test(id))
		return null;
	const f = path.join(opt.corpus, `${id}.jwt`);
	return fs.existsSync(f) ? f : null;
}

function clientOk(req, form) {
	const auth = req.headers.authorization;
	if (opt.corpus !== null)
		return corpusFile(form.get('client_id')) !== null && !auth;
	if (opt.secret === null)
		return form.get('client_id') === opt.clientId && !auth;
	if (!auth || !auth.startsWith('Basic ') || form.has('client_secret'))
		return false;
	const cred = Buffer.from(auth.slice(6), 'base64').toString('latin1');
	const i = cred.indexOf(':');
	return i > 0 && formDecode(cred.slice(0, i)) === opt.clientId &&
		formDecode(cred.slice(i + 1)) === opt.secret;
}

// The fault matrix's scenarios (tests/pam/fault_matrix.sh): true when the
// request was answered here, false to let handle() answer it as usual.
function faultMatrix(req, res, p) {
	const sc = opt.scenario;
	const discovery = req.method === 'GET' && p === '/.well-known/openid-configuration';
	const token = req.method === 'POST' && p === '/token';
	const skew = { skew_ahead: 7200, skew_behind: -7200 }[sc];
	if (sc === 'die_polling' && token) {
		// the usual pending answer, then the provider is gone
		res.on('finish', () => process.exit(0));
		return false;
	}
	if (sc === 'slow_body' && discovery) {
		log(p, 'slow_body');
		res.writeHead(200, { 'content-type': 'application/json' });
		const body = `{"issuer": "${issuer}", "pad": "${' '.repeat(4096)}"}`;
		let i = 0;
		const t = setInterval(() => {
			if (i < body.length)
				res.write(body[i++]);
		}, 250);
		res.on('close', () => clearInterval(t));
		return true;
	}
	if (sc === 'redirect' && discovery && !req.url.includes('?')) {
		// the target is a valid document: following it would log in
		log(p, 'redirect');
		res.writeHead(302, { location: `${issuer}${p}?moved=1` });
		res.end();
		return true;
	}
	if (sc === 'jwks_404' && req.method === 'GET' && p === '/jwks') {
		log(p, 'jwks 404');
		send(res, 404, { error: 'not_found' });
		return true;
	}
	if (!token || !['slow_down_storm', 'kid_storm', 'skew_ahead', 'skew_behind'].includes(sc))
		return false;
	readBody(req, () => {
		polls++;
		if (sc === 'slow_down_storm') {
			log(p, 'slow_down');
			return send(res, 400, { error: 'slow_down' });
		}
		let t;
		if (sc === 'kid_storm') {
			t = idToken({}, makeKey(`storm-${b64u(crypto.randomBytes(6))}`));
		} else {
			const now = Math.floor(Date.now() / 1000) + skew;
			t = idToken({ iat: now, nbf: now, auth_time: now, exp: now + 300 });
		}
		log(p, `answer ${sc}`);
		log('issued', `id_token_sig=${t.slice(t.lastIndexOf('.') + 1)}`);
		return send(res, 200, { access_token: 'at-fm', token_type: 'Bearer', expires_in: 300, id_token: t });
	});
	return true;
}

function handle(req, res) {
	const p = req.url.split('?')[0];
	if (faultMatrix(req, res, p))
		return undefined;
	if (req.method === 'GET' && p === '/.well-known/openid-configuration') {
		log(p, 'discovery');
		const doc = {
			issuer,
			authorization_endpoint: `${issuer}/auth`,
			token_endpoint: `${issuer}/token`,
			device_authorization_endpoint: `${issuer}/device/auth`,
			jwks_uri: `${issuer}/jwks`,
			response_types_supported: ['code'],
			subject_types_supported: ['public'],
			id_token_signing_alg_values_supported: ['ES256'],
			grant_types_supported: ['urn:ietf:params:oauth:grant-type:device_code'],
		};
		switch (opt.scenario) {
		case 'issuer_slash':
			doc.issuer = `${issuer}/`;
			break;
		case 'no_device':
			delete doc.device_authorization_endpoint;
			break;
		case 'hs256_only':
			doc.id_token_signing_alg_values_supported = ['HS256'];
			break;
		default:
			break;
		}
		return send(res, 200, doc);
	}
	if (req.method === 'GET' && p === '/jwks') {
		jwksFetches++;
		if (opt.scenario === 'hang_jwks') {
			log(p, 'hang');
			hung.push(res);
			return undefined;
		}
		if (opt.corpus !== null) {
			log(p, `jwks ${jwksFetches} corpus`);
			return send(res, 200, null, fs.readFileSync(path.join(opt.corpus, 'jwks.json'), 'latin1'));
		}
		let keys = opt.scenario === 'rotate' && jwksFetches >= 2 ? [oldKey.jwk, newKey.jwk] : [oldKey.jwk];
		if (opt.scenario === 'hs256_only')
			keys = [];
		if (opt.scenario === 'rotate_same_kid' && jwksFetches >= 2)
			keys = [sameKidKey.jwk];
		if (weakKeys !== null)
			keys = [weakKeys.weak.jwk, weakKeys.rsa.jwk, oldKey.jwk, weakKeys.ed.jwk];
		log(p, `jwks ${jwksFetches} ${keys.length}`);
		return send(res, 200, { keys });
	}
	if (req.method === 'POST' && p === '/device/auth') {
		return readBody(req, (body) => {
			const form = new URLSearchParams(body);
			if (!clientOk(req, form)) {
				log(p, 'invalid_client');
				return send(res, 401, { error: 'invalid_client' });
			}
			if (opt.scenario === 'hang_device') {
				log(p, 'hang');
				hung.push(res);
				return undefined;
			}
			if (opt.scenario === 'device_500') {
				log(p, '500');
				return send(res, 500, null, 'oops');
			}
			logins++;
			const ans = {
				device_code: deviceCode,
				user_code: opt.scenario === 'device_ctl' ? 'ABCD-\u001b[2J' : 'WDJB-MJHT',
				verification_uri: opt.scenario === 'device_http' ? `http://127.0.0.1/device` : `${issuer}/device`,
				verification_uri_complete: `${issuer}/device?user_code=WDJB-MJHT`,
				expires_in: opt.expiresIn,
			};
			if (opt.interval !== null)
				ans.interval = opt.interval;
			// logged so a test can prove the device code never leaks from the client
			log(p, `device scope=${form.get('scope')} device_code=${deviceCode}`);
			return send(res, 200, ans);
		});
	}
	if (req.method === 'POST' && p === '/token') {
		return readBody(req, (body) => {
			const form = new URLSearchParams(body);
			polls++;
			if (!clientOk(req, form)) {
				log(p, 'invalid_client');
				return send(res, 401, { error: 'invalid_client' });
			}
			if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:device_code' ||
			    form.get('device_code') !== deviceCode) {
				log(p, 'invalid_grant');
				return send(res, 400, { error: 'invalid_grant' });
			}
			if (opt.scenario === 'slow_down') {
				if (polls === 1) {
					log(p, 'slow_down');
					return send(res, 400, { error: 'slow_down' });
				}
				if (polls === 2) {
					log(p, 'authorization_pending');
					return send(res, 400, { error: 'authorization_pending' });
				}
			} else if (polls <= opt.pending) {
				log(p, 'authorization_pending');
				return send(res, 400, { error: 'authorization_pending' });
			}
			log(p, `answer ${opt.scenario}`);
			return tokenAnswer(res, form);
		});
	}
	log(p, 'not_found');
	return send(res, 404, { error: 'not_found' });
}

const server = https.createServer({
	cert: fs.readFileSync(path.join(opt.certs, 'server.pem')),
	key: fs.readFileSync(path.join(opt.certs, 'server.key')),
}, handle);

server.listen(0, '127.0.0.1', () => {
	const port = server.address().port;
	issuer = `https://127.0.0.1:${port}`;
	if (opt.portFile) {
		fs.writeFileSync(`${opt.portFile}.tmp`, `${port}\n`);
		fs.renameSync(`${opt.portFile}.tmp`, opt.portFile);
	}
	process.stdout.write(`listening ${port}\n`);
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
