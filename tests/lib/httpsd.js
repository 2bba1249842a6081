#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
//
// httpsd.js — a tiny scripted HTTPS server for the pam_oidc tests (plain
// Node, no npm packages).
//
//   node httpsd.js --certs DIR [--port N] [--scenarios FILE.js]... [--watch-stdin]
//
// DIR holds server.pem and server.key (tests/lib/mkcerts.sh makes them).
// It listens on 127.0.0.1 (port 0 = any free port) and prints one line
// "PORT <n>" on stdout once it accepts connections.  With --watch-stdin it
// exits when its stdin reaches EOF, so a test that dies never leaves it
// behind.
//
// Behaviour is a table: exact request path -> handler(req, res, ctx, body).
// Every request is counted per path; GET /_counts returns the counters as
// JSON and GET /_reset clears them.  A scenario file is a module exporting
// function (routes, ctx) that adds or replaces entries, so other test
// areas (device flow misbehaviours, ...) extend the server without
// editing this file's core.
'use strict';

const https = require('https');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { keyPair } = require('./keypair.cjs');

function usage(msg) {
	process.stderr.write(`httpsd.js: ${msg}\n`);
	process.exit(2);
}

const args = { port: 0, certs: null, scenarios: [], watchStdin: false };
for (let i = 2; i < process.argv.length; i++) {
	const a = process.argv[i];
	const next = () => {
		if (i + 1 >= process.argv.length)
			usage(`${a} needs a value`);
		return process.argv[++i];
	};
	if (a === '--port')
		args.port = Number.parseInt(next(), 10);
	else if (a === '--certs')
		args.certs = next();
	else if (a === '--scenarios')
		args.scenarios.push(next());
	else if (a === '--watch-stdin')
		args.watchStdin = true;
	else
		usage(`unknown argument ${a}`);
}
if (!args.certs)
	usage('--certs DIR is required');
if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)
	usage('bad --port');

// ------------------------------------------------------------------ context
const ctx = {
	port: 0,
	base: '',		// https://127.0.0.1:PORT, set once listening
	counts: {},
	timers: new Set(),
	// A fixed-per-run signing key so JWKS documents parse as real keys.
	ecKey: keyPair('ec', { namedCurve: 'P-256' }),
	json(res, status, obj, headers) {
		const body = typeof obj === 'string' ? obj : JSON.stringify(obj);
		res.writeHead(status, Object.assign({
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(body),
			'Cache-Control': 'no-store',
		}, headers || {}));
		res.end(body);
	},
	jwks() {
		const jwk = ctx.ecKey.publicKey.export({ format: 'jwk' });
		return { keys: [Object.assign({ kid: 'k1', use: 'sig', alg: 'ES256' }, jwk)] };
	},
	// A discovery document for the issuer at base + prefix, then overrides.
	discovery(prefix, overrides) {
		const iss = ctx.base + prefix;
		return Object.assign({
			issuer: iss,
			authorization_endpoint: `${iss}/auth`,
			token_endpoint: `${iss}/token`,
			device_authorization_endpoint: `${iss}/device`,
			jwks_uri: `${iss}/jwks`,
			response_types_supported: ['code'],
			subject_types_supported: ['public'],
			id_token_signing_alg_values_supported: ['ES256'],
		}, overrides || {});
	},
};

// ------------------------------------------------------------------ routes
const WK = '/.well-known/openid-configuration';
const routes = {
	'/json': (req, res) => ctx.json(res, 200, { hello: 'world' }),
	'/text': (req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end('<html>not json</html>');
	},
	'/500': (req, res) => ctx.json(res, 500, { error: 'server_error' }),
	'/redirect': (req, res) => {
		res.writeHead(302, { Location: '/json', 'Content-Length': 0 });
		res.end();
	},
	// 300 KiB, chunked (no Content-Length): the write callback must cut it off.
	'/big': (req, res) => {
		res.writeHead(200, { 'Content-Type': 'application/json' });
		const chunk = 'x'.repeat(1024);
		res.write('{"a":"');
		for (let i = 0; i < 300; i++)
			res.write(chunk);
		res.end('"}');
	},
	// 300 KiB with Content-Length: refused before the body arrives.
	'/big-cl': (req, res) => ctx.json(res, 200, { a: 'x'.repeat(300 * 1024) }),
	// Headers at once, then one byte every 100 ms for 30 s.
	'/slow': (req, res) => {
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.write('{"a":"');
		let n = 0;
		const t = setInterval(() => {
			if (++n > 300) {
				clearInterval(t);
				ctx.timers.delete(t);
				res.end('"}');
				return;
			}
			res.write('x');
		}, 100);
		ctx.timers.add(t);
		res.on('close', () => { clearInterval(t); ctx.timers.delete(t); });
	},
	// Echo what the client sent (method, selected headers, body) for POST tests.
	'/echo': (req, res, c, body) => ctx.json(res, 200, {
		method: req.method,
		authorization: req.headers.authorization || null,
		content_type: req.headers['content-type'] || null,
		accept: req.headers.accept || null,
		cookie: req.headers.cookie || null,
		body: body.toString('utf8'),
	}),
	'/_counts': (req, res) => ctx.json(res, 200, ctx.counts),
	'/_reset': (req, res) => { ctx.counts = {}; ctx.json(res, 200, {}); },

	// Discovery: a good provider and its variations.
	['/good' + WK]: (req, res) => ctx.json(res, 200, ctx.discovery('/good')),
	'/good/jwks': (req, res) => ctx.json(res, 200, ctx.jwks()),
	// The document names the issuer with a trailing slash.
	['/slash' + WK]: (req, res) => ctx.json(res, 200, ctx.discovery('/slash/', {
		jwks_uri: `${ctx.base}/good/jwks`, token_endpoint: `${ctx.base}/good/token` })),
	// The document's issuer differs in letter case.
	['/case' + WK]: (req, res) => ctx.json(res, 200, ctx.discovery('/CASE')),
	// A plain-http token endpoint.
	['/httpep' + WK]: (req, res) => ctx.json(res, 200, ctx.discovery('/httpep', {
		token_endpoint: `http://127.0.0.1:${ctx.port}/httpep/token` })),
	// A plain-http jwks_uri.
	['/httpjwks' + WK]: (req, res) => ctx.json(res, 200, ctx.discovery('/httpjwks', {
		jwks_uri: `http://127.0.0.1:${ctx.port}/good/jwks` })),
	// jwks_uri missing.
	['/nojwks' + WK]: (req, res) => {
		const d = ctx.discovery('/nojwks');
		delete d.jwks_uri;
		ctx.json(res, 200, d);
	},
	// Duplicate "issuer" member: strict JSON must reject it.
	['/dup' + WK]: (req, res) => {
		const d = JSON.stringify(ctx.discovery('/dup'));
		ctx.json(res, 200, `{"issuer":"https://evil.example",${d.slice(1)}`);
	},
	// Right document, wrong content type.
	['/textdisc' + WK]: (req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html' });
		res.end(JSON.stringify(ctx.discovery('/textdisc')));
	},
	// Discovery answered with HTTP 500.
	['/err' + WK]: (req, res) => ctx.json(res, 500, { error: 'server_error' }),
	// Entra ID with a claims-mapping policy: the document (and its key set)
	// only under ?appid=test; without the query a 404.
	['/appid' + WK]: (req, res) => {
		if (new URL(req.url, 'https://127.0.0.1').search !== '?appid=test')
			return ctx.json(res, 404, { error: 'not_found' });
		return ctx.json(res, 200, ctx.discovery('/appid', {
			jwks_uri: `${ctx.base}/appid/jwks?appid=test` }));
	},
	// GitLab: the grant works, discovery names no device endpoint.
	['/nodev' + WK]: (req, res) => {
		const d = ctx.discovery('/nodev');
		delete d.device_authorization_endpoint;
		ctx.json(res, 200, d);
	},
	// authentik with a confidential client: HTTP Basic, and client_id read
	// from the body only; anything else is invalid_client.
	'/basic/device': (req, res, c, body) => {
		const form = new URLSearchParams(body.toString('latin1'));
		const auth = req.headers.authorization || '';
		const want = 'Basic ' + Buffer.from('test:s3cret').toString('base64');
		if (auth !== want || form.get('client_id') !== 'test' || form.has('client_secret'))
			return ctx.json(res, 400, { error: 'invalid_client' });
		return ctx.json(res, 200, { device_code: 'dc-basic', user_code: 'ABCD-EFGH',
			verification_uri: `${ctx.base}/device`, expires_in: 60, interval: 1 });
	},
	'/basic/token': (req, res, c, body) => {
		const form = new URLSearchParams(body.toString('latin1'));
		const auth = req.headers.authorization || '';
		const want = 'Basic ' + Buffer.from('test:s3cret').toString('base64');
		if (auth !== want || form.get('client_id') !== 'test' || form.has('client_secret') ||
		    form.get('device_code') !== 'dc-basic')
			return ctx.json(res, 400, { error: 'invalid_client' });
		return ctx.json(res, 200, { access_token: 'at', token_type: 'Bearer', id_token: 'a.b.c' });
	},
	// A JWKS that is not a key set.
	['/badjwks' + WK]: (req, res) => ctx.json(res, 200, ctx.discovery('/badjwks')),
	'/badjwks/jwks': (req, res) => ctx.json(res, 200, { keys: 'nope' }),
};

for (const f of args.scenarios) {
	const extend = require(path.resolve(f));
	extend(routes, ctx);
}

// ------------------------------------------------------------------ server
const server = https.createServer({
	cert: fs.readFileSync(path.join(args.certs, 'server.pem')),
	key: fs.readFileSync(path.join(args.certs, 'server.key')),
}, (req, res) => {
	const url = new URL(req.url, 'https://127.0.0.1');
	const p = url.pathname;
	const chunks = [];
	let size = 0;
	req.on('data', (d) => {
		size += d.length;
		if (size > 1024 * 1024) {
			req.destroy();
			return;
		}
		chunks.push(d);
	});
	req.on('end', () => {
		if (p !== '/_counts' && p !== '/_reset')
			ctx.counts[p] = (ctx.counts[p] || 0) + 1;
		const h = routes[p];
		if (!h) {
			ctx.json(res, 404, { error: 'not_found' });
			return;
		}
		try {
			h(req, res, ctx, Buffer.concat(chunks));
		} catch (e) {
			process.stderr.write(`httpsd.js: ${p}: ${e.stack}\n`);
			if (!res.headersSent)
				ctx.json(res, 500, { error: 'handler_failed' });
			else
				res.destroy();
		}
	});
});

function shutdown() {
	for (const t of ctx.timers)
		clearInterval(t);
	server.close();
	process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
if (args.watchStdin) {
	process.stdin.on('end', shutdown);
	process.stdin.on('error', shutdown);
	process.stdin.resume();
}

server.listen(args.port, '127.0.0.1', () => {
	ctx.port = server.address().port;
	ctx.base = `https://127.0.0.1:${ctx.port}`;
	process.stdout.write(`PORT ${ctx.port}\n`);
});
